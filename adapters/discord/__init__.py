"""Discord: app command groups, persistent buttons and daily posts through discord.py."""
