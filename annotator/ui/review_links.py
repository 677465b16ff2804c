"""What spans refer to, on the review screen: link disagreements after the claims' ones.

A link disagreement is a span the annotators marked alike (start, end, label) and linked to
different entries, or one of them to none (``review/kb_links.py``). ``1``–``9`` take that
annotator's entry into gold (bringing the span, if gold lacks it), ``0`` leaves gold's span
referring to nothing, and ``A`` is refused: a span refers to one entry. Each version is shown
by the entry's name where the knowledge base or the place index knows it, else by its id.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.kb.actors import ActorKB
from annotator.kb.linking import describe, project_kb
from annotator.review.kb_links import LinkDisagreement, link_choice_in_gold, take_link
from annotator.storage import Store
from annotator.storage.links import project_actors
from annotator.ui.place_index import place_index
from annotator.ui.review_spans import held_already

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow


class LinkChoiceRefused(AnnotatorError):
    """``A`` on a link disagreement: a span refers to one entry."""


def is_link_item(item: object) -> bool:
    return isinstance(item, LinkDisagreement)


def take_link_choice(
    gold: Sequence[Span], item: LinkDisagreement, choice: str, kinds: dict[str, str]
) -> list[Span]:
    """Gold with ``choice`` (an annotator, or ``none``) taken for the link disagreement."""
    if choice == "all":
        raise LinkChoiceRefused(
            "a span refers to one entry: take one annotator's (1–9), or 0 for none"
        )
    if choice != "none":
        if choice not in item.versions:  # a key of the header: not every annotator has it
            having = ", ".join(item.versions)
            raise LinkChoiceRefused(
                f"{choice} has no {item.span.label} span here: only {having} link it "
                "(whether it is a span at all is a disagreement of its own)"
            )
        return take_link(gold, item, choice, kinds)
    return sorted(
        (
            dataclasses.replace(s, kb_id="", link_status="") if s.key == item.span.key else s
            for s in gold
        ),
        key=lambda s: (s.start, s.end, s.label),
    )


def link_choice_label(gold: Sequence[Span], item: LinkDisagreement) -> str | None:
    """Which choice gold holds: the first annotator whose entry it is, ``none`` (the span,
    referring to nothing, and nobody chose that), ``no span`` (gold lacks the span: not
    "an edit", the reviewer has done nothing), or ``None`` (an entry nobody chose)."""
    held = link_choice_in_gold(gold, item)
    if held is None:
        mine = [s for s in gold if s.key == item.span.key]
        if not mine:
            return "no span"
        if not mine[0].kb_id:
            return "none"
    return held


class EntryNames:
    """Entries by name for the review list: the shipped and the project's actors, and the
    places once the place index is ready (it is not built for this: ids until then)."""

    def __init__(self, store: Store):
        self.store = store
        self._kb: ActorKB | None = None
        self._names: dict[str, str] = {}

    def name(self, kb_id: str) -> str:
        if not kb_id:
            return "no entry"
        if kb_id not in self._names:
            index = place_index()
            places = index.gazetteer if index.is_ready else None
            if kb_id.startswith("geonames:") and places is None:
                return kb_id  # not remembered: the index may be ready next time
            if self._kb is None:
                try:
                    self._kb = project_kb(project_actors(self.store))
                except AnnotatorError:  # a project actor that cannot be read: the shipped ones
                    self._kb = project_kb([])
            try:
                entry = describe(kb_id, places, self._kb)
            except (AnnotatorError, sqlite3.Error, OSError):
                entry = None  # a name is a nicety: the id says as much
            self._names[kb_id] = entry.label if entry else kb_id
        return self._names[kb_id]


def where_link(window: ReviewWindow, item: LinkDisagreement) -> tuple[bool, str | None, str]:
    """For the heading: ``A`` never applies; which choice gold holds; what it is about."""
    return False, link_choice_label(window.gold, item), f"what the {item.span.label} span refers to"


def take_link_item(window: ReviewWindow, item: LinkDisagreement, choice: str) -> None:
    """Settle a link disagreement in gold, in one undo step."""
    review = window.review
    assert review is not None and window.current is not None
    try:
        spans = take_link_choice(window.gold, item, choice, review.kinds)
    except AnnotatorError as error:
        window.statusBar().showMessage(error.in_words(window.current_text()), 5000)
        return
    changed = [(s.key, s.kb_id, s.link_status) for s in spans] != [
        (s.key, s.kb_id, s.link_status) for s in window.gold
    ]
    if changed or not review.gold_saved:
        window.push(window.gold_change(spans, f"take {choice}", window.current))
    else:
        held_already(window, choice)
