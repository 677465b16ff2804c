"""The review window's line over the lanes: which disagreement is current, its class, the
keys that settle it and what gold holds there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.text import isolated
from annotator.review.adjudication import can_take_all, choice_in_gold
from annotator.ui.review_claims import is_claim_item, where_claim
from annotator.ui.review_links import is_link_item, where_link

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow


def where_text(window: ReviewWindow) -> str:
    """ "Disagreement 3 / 17 · boundary on the entity layer · keys: 1 alice, … · gold holds: …"."""
    assert window.review is not None and window.current is not None
    disagreement = window.items[window.current]
    names = [f"{i} {isolated(n)}" for i, n in enumerate(window.review.annotators, start=1)]
    if is_link_item(disagreement):
        all_ok, held, what = where_link(window, disagreement)  # type: ignore[arg-type]
    elif is_claim_item(disagreement):
        all_ok, held, what = where_claim(window, disagreement)  # type: ignore[arg-type]
    else:
        all_ok = can_take_all(disagreement)  # type: ignore[arg-type]
        held = choice_in_gold(window.gold, disagreement, window.review.kinds)  # type: ignore[arg-type]
        what = f"{disagreement.kind} on the {disagreement.layer} layer"  # type: ignore[union-attr]
    keys = ", ".join(names) + (", A all" if all_ok else "") + ", 0 none"
    return (
        f"Disagreement {window.current + 1} / {len(window.items)} · {what} · keys: {keys} · "
        f"gold holds: {isolated(held) if held else 'an edit'}"
    )
