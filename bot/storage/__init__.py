"""Persistence: tables, engine set-up, migrations, repositories and the unit of work."""
