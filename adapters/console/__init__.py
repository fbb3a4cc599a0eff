"""The local console: the whole bot in a terminal, interactively or from piped input."""
