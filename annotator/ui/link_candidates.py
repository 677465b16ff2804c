"""The linker's candidates for the open article's ambiguous spans, found off the GUI thread.

Every place of the article is context for the others, and the linker scores them in pairs:
0.08 s on a 50,000-character article of 208 places, but 2–9 s on the GUI thread for a
report of a million characters or a list of thousands of places, the window frozen at each
opening. The span list says "? ambiguous" until they are found, then how many.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from annotator.core.model import Span, SpanKey
from annotator.kb import AMBIGUOUS, Entry, link_article

LOCATION, FACTION = "LOCATION", "FACTION"


def linked_with(spans: Sequence[Span], statuses: Mapping[SpanKey, str]) -> list[Span]:
    """What the linker reads to find candidates for the ambiguous spans (none if no span is
    ambiguous): every place is context for the others; a faction only when it is one of
    those asked about (a long article has thousands: 0.8 s on opening it)."""
    if not any(statuses.get(s.key) == AMBIGUOUS for s in spans):
        return []
    return [
        s
        for s in spans
        if s.label == LOCATION or (s.label == FACTION and statuses.get(s.key) == AMBIGUOUS)
    ]


def candidate_entries(
    spans: Sequence[Span],
    statuses: Mapping[SpanKey, str],
    links: Sequence[Any],
    entry: Callable[[str], Entry | None],
) -> dict[SpanKey, list[Entry]]:
    """The entries the linker offers for each ambiguous span, from its ``links``."""
    by_place = {(link.start, link.end): link for link in links}
    found: dict[SpanKey, list[Entry]] = {}
    for span in spans:
        link = by_place.get((span.start, span.end))
        if statuses.get(span.key) == AMBIGUOUS and link is not None and link.candidates:
            entries = [entry(c.kb_id) for c in link.candidates]
            found[span.key] = [e for e in entries if e is not None]
    return found


class CandidateSearch(QObject):
    """``start`` looks for the candidates in a thread of its own; ``found`` gives back the
    links (``kb.link_article``'s) with the token ``start`` was given, on the GUI thread.
    A search started again makes the one before stale: its answer is dropped."""

    found = Signal(object, object)  # token, links

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._latest: object = None

    def start(
        self,
        token: object,
        text: str,
        entities: Sequence[Span],
        published: str,
        gazetteer: Any,
        kb: Any,
    ) -> None:
        self._latest = token
        spans = list(entities)  # (a copy: the window's list changes with the next edit)

        def work() -> None:
            links = link_article(text, spans, published, gazetteer, kb)
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self.found.emit(token, links)

        threading.Thread(target=work, name="link-candidates", daemon=True).start()

    def is_latest(self, token: object) -> bool:
        return token == self._latest

    def forget(self) -> None:
        """No answer expected any more (the article changed)."""
        self._latest = None
