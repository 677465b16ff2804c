"""How long work reports progress, to a terminal bar or a progress dialog alike."""

from collections.abc import Callable

#: ``progress(done, total)``; raising ``Cancelled`` inside it stops the work.
Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """The default: report nothing."""
