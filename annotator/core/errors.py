"""Errors a user can cause and act on. The command line prints their message on one line."""


class AnnotatorError(Exception):
    """Caused by input, not by a bug: a bad file, an unknown name, an impossible span."""

    def in_words(self, text: str) -> str:
        """The message for a window showing the article ``text``: spans by their words
        where the error knows them (``EntityConflict``), not by their offsets."""
        del text
        return str(self)


class Cancelled(Exception):  # noqa: N818 - reads naturally: ``raise Cancelled``
    """Raised from a progress callback to stop long work; its transaction rolls back."""
