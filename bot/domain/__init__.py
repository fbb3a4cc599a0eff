"""Plain values the whole core speaks in; no I/O and no framework imports."""
