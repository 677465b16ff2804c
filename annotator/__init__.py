"""Annotate news about armed conflict and turn it into training data."""

from annotator.core.c_locale import ascii_case_rules

__version__ = "0.2.0"

# Every process of the program (the command, the window, training and export workers)
# imports this package first: C's case rules are made ASCII's before any query runs.
ascii_case_rules()
