"""Content packs: finding, parsing and validating the question files."""
