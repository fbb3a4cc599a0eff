"""Turn use-case results into the neutral reply model; wording lives here, not in adapters.

One module per feature; callers import the module they need, so a part of the bot that
only posts daily questions does not pull in every use case.
"""
