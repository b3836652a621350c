"""negobot: turns a merchant's one-line description of a return gone wrong into advice and drafts."""

__version__ = "0.1.0"
