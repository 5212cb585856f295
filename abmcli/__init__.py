"""abm: merge, score and tier account data from FIRE vendors into one account hub."""

__version__ = "0.1.0"
