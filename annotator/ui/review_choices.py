"""A key that settles the review's current disagreement: 1–9 an annotator's version, A all
of them, 0 none. Each kind of disagreement is settled by its own module: spans
(``review_spans.py``), claims' sources and attributes (``review_claims.py``), what a span
refers to (``review_links.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.text import isolated
from annotator.ui.review_claims import is_claim_item, take_claim
from annotator.ui.review_links import is_link_item, take_link_item
from annotator.ui.review_spans import take_spans

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow


def take_lane(window: ReviewWindow, lane: int) -> None:
    """The version of the annotator in ``lane`` (from 0); a lane there is not is said."""
    if window.review is None:
        return
    if lane < len(window.review.annotators):
        take_choice(window, window.review.annotators[lane])
    else:  # (it did nothing, and said nothing)
        names = window.review.annotators
        keys = ", ".join(f"{i} {isolated(name)}" for i, name in enumerate(names, start=1))
        window.statusBar().showMessage(f"No annotator {lane + 1} here: {keys}", 5000)


def take_choice(window: ReviewWindow, choice: str) -> None:
    """Settle the current disagreement: an annotator's version, ``all`` or ``none``."""
    if window.review is None or window.current is None:
        window.statusBar().showMessage("No disagreement selected", 3000)
        return
    disagreement = window.items[window.current]
    if is_link_item(disagreement):
        take_link_item(window, disagreement, choice)  # type: ignore[arg-type]
    elif is_claim_item(disagreement):
        take_claim(window, disagreement, choice)  # type: ignore[arg-type]
    else:
        take_spans(window, disagreement, choice)  # type: ignore[arg-type]
