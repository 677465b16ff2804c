"""Annotate news about armed conflict and turn it into training data."""

__version__ = "0.2.0"
