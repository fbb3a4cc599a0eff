"""Slack: slash commands, buttons and daily posts through slack-bolt's AsyncApp."""
