"""Quizbot's platform-neutral core: domain, use cases, storage, config and the command line."""
