"""Who claims what in the review's gold lane, with the annotation window's keys (the
scheme's: by default ``R`` choose a claim's source, ``Shift+R`` remove it, ``D``/``H``/``Q``
step its attributes).

The disagreements only offer what some annotator did: a claim every annotator left without
a source, or with the wrong source alike, could not get the right one in gold. Here the
reviewer clicks a claim in the gold lane, presses ``R``, and clicks its source (or selects
the source's words and presses ``Enter``: they become a SOURCE span); ``Esc`` cancels. Each
gesture is one ``GoldChange``, undone with ``Ctrl+Z`` like a choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction

from annotator.core import editing
from annotator.core.model import Span
from annotator.core.relations import (
    AttributeType,
    ClaimWork,
    RelationType,
    SpanAttribute,
    SpanRelation,
)
from annotator.core.text import excerpt
from annotator.ui.claim_actions import claim_rows, first_key
from annotator.ui.claim_choosing import Choosing, choosing_from
from annotator.ui.claim_links import ClaimLinks, heads_in_words

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow

_CHOOSING_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class GoldClaimEditor(QObject):
    """The claim gestures of the gold lane, and the relation being made, if any. Installed
    on the gold lane, it takes ``Enter`` and ``Esc`` while a source is being chosen (they
    mark the article reviewed, and close the window, otherwise)."""

    def __init__(self, window: ReviewWindow):
        super().__init__(window)
        self.window = window
        self.choosing: Choosing | None = None
        self.actions: dict[str, QAction] = {}
        window.gold_view.installEventFilter(self)

    def say(self, message: str, ms: int = 4000) -> None:
        self.window.statusBar().showMessage(message, ms)

    def reload_scheme(self) -> str:
        """(Re)make the actions of the scheme's relations and attributes, with keys the
        review window does not use already; returns the keys in words, for the gold lane's
        heading."""
        window = self.window
        for name, action in self.actions.items():
            window.removeAction(action)
            window.named_actions.pop(name, None)
            action.deleteLater()
        mine = set(self.actions.values())
        taken = {key.toString() for a in window.actions() if a not in mine for key in a.shortcuts()}
        scheme = window.claim_scheme
        links = ClaimLinks(
            relation_types=scheme.relation_types, attribute_types=scheme.attribute_types
        )
        rows, _ = claim_rows(links, taken)  # a clash is said by the annotation window
        self.actions = window.add_actions(rows)
        return gold_claim_keys(self.actions, links)

    # -- choosing a source ------------------------------------------------------------------

    def start_choosing(self, relation_type: RelationType) -> None:
        """The relation's key on the selected gold span: a claim chooses its source, a
        source its claim."""
        window = self.window
        ends = (*relation_type.head_labels, *relation_type.child_labels)
        span = self.choosing.anchor if self.choosing is not None else self._selected(ends)
        if window.review is None:
            return
        if span is None:
            heads = "/".join(relation_type.head_labels)
            self.say(
                f"Click a {heads} span in the gold lane first (or put the caret in it), then "
                f"press {relation_type.key}"
            )
            return
        choosing = choosing_from(relation_type, span)
        if isinstance(choosing, str):
            self.say(choosing, 5000)
            return
        self.choosing = choosing
        view = window.gold_view
        view.clear_selection()
        view.set_links(picking=(span.start, span.end))
        view.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        view.setFocus()
        self.say(self.prompt(), 0)

    def prompt(self) -> str:
        choosing = self.choosing
        assert choosing is not None and self.window.review is not None
        anchor = f"'{excerpt(choosing.anchor.text(self.window.review.article.text))}'"
        return (
            f"Gold: choose {choosing.chosen_for(anchor)} (Esc cancels): click a "
            f"{' or '.join(choosing.labels)} span in the gold lane, or select its words and "
            f"press Enter (they become a {choosing.new_label} span)"
        )

    def cancel(self, quiet: bool = False) -> None:
        if self.choosing is None:
            return
        self.choosing = None
        view = self.window.gold_view
        view.viewport().unsetCursor()
        view.set_links()
        self.window.statusBar().clearMessage()
        if not quiet:
            self.say("Not linked", 2000)

    def clicked(self, offset: int) -> None:
        """A click on the gold lane while choosing: the innermost span there that the
        relation allows."""
        choosing = self.choosing
        assert choosing is not None
        under = sorted(
            (s for s in self.window.gold if s.start <= offset < s.end),
            key=lambda s: (s.end - s.start, s.start),
        )
        allowed = [s for s in under if s.label in choosing.labels and s != choosing.anchor]
        if allowed:
            self._link(allowed[0], list(self.window.gold))
        elif under:
            self.say(
                f"That is a {under[0].label} span: the {choosing.what()} is a "
                f"{' or '.join(choosing.labels)} span. {self.prompt()}",
                0,
            )

    def confirm(self) -> None:
        """Enter while choosing: the selected words are the other end (a span of an allowed
        label with the same extent, else a new span over them, snapped to words)."""
        window = self.window
        choosing = self.choosing
        assert choosing is not None and window.review is not None
        start, end = window.gold_view.selected_range()
        if start == end:
            self.say(f"Click a span or select words first. {self.prompt()}", 0)
            return
        snapped = window.gold_editor.tokens().snap(start, end)
        if snapped is None:
            self.say(f"The selection holds no word. {self.prompt()}", 0)
            return
        start, end = snapped
        if (start, end) == (choosing.anchor.start, choosing.anchor.end):
            self.say(f"That is the {choosing.anchor.label} itself. {self.prompt()}", 0)
            return
        gold = list(window.gold)
        same = [s for s in gold if (s.start, s.end) == (start, end)]
        allowed = [s for s in same if s.label in choosing.labels]
        if allowed:
            self._link(allowed[0], gold)
            return
        if same:
            self.say(
                f"That is a {same[0].label} span: the {choosing.what()} is a "
                f"{' or '.join(choosing.labels)} span (relabel it first). {self.prompt()}",
                0,
            )
            return
        try:
            edit = editing.create(gold, start, end, choosing.new_label, window.kinds, None)
        except editing.EditRefused as refusal:
            self.say(f"{refusal}. {self.prompt()}", 0)
            return
        if isinstance(edit, Span):
            self._link(edit, gold)
            return
        if choosing.anchor in edit.removed:
            self.say(f"The new span would replace the {choosing.anchor.label}. {self.prompt()}")
            return
        if refused := choosing.overlap_refused(edit, window.review.article.text):
            self.say(f"{refused}. {self.prompt()}", 0)
            return
        new = edit.added[0]
        self._link(new, editing.applied(gold, edit), f" (a new {new.label} span)")

    def _link(self, other: Span, spans: list[Span], made: str = "") -> None:
        choosing = self.choosing
        window = self.window
        assert choosing is not None and window.review is not None
        self.cancel(quiet=True)
        anchor, name = choosing.anchor, choosing.relation_type.name
        if anchor not in spans:  # gold changed meanwhile (an undo, another reviewer)
            self.say(f"The {anchor.label} is no longer in gold: nothing was linked")
            return
        head, child = (anchor, other) if choosing.wants_child else (other, anchor)
        work = window.gold_claims
        relation = SpanRelation(head, child, name)
        if any(r.key == relation.key for r in work.relations):
            self.say(f"Already linked: '{excerpt(other.text(window.review.article.text))}'")
            return
        claims = ClaimWork((*work.relations, relation), work.attributes)
        source = excerpt(child.text(window.review.article.text))
        if window.push(window.gold_change(spans, f"gold: {name} '{source}'", claims=claims)):
            self.say(f"Gold: {name} '{source}'{made}", 5000)

    # -- removing, attributes ----------------------------------------------------------------

    def remove_relations(self, relation_type: RelationType) -> None:
        """Shift + the relation's key: the selected gold claim's links of this type (or, on
        a source, its links to claims) are removed."""
        window = self.window
        span = self._selected((*relation_type.head_labels, *relation_type.child_labels))
        if span is None:
            self.say("Click a claim in the gold lane first (or put the caret in it)")
            return
        work, name = window.gold_claims, relation_type.name
        found = [r for r in work.relations if r.label == name and span in (r.head, r.child)]
        if not found:
            self.say(f"The selected {span.label} has no {name} link in gold")
            return
        kept = tuple(r for r in work.relations if r not in found)
        claims = ClaimWork(kept, work.attributes)
        if window.push(
            window.gold_change(list(window.gold), f"gold: remove {name}", claims=claims)
        ):
            self.say(f"Gold: {len(found)} {name} link(s) removed", 3000)

    def step_attribute(self, attribute_type: AttributeType) -> None:
        """The attribute's key: the selected gold claim's value steps to the next one (the
        default is stored as no value, as in the annotation window)."""
        window = self.window
        labels = (attribute_type.label,)
        span = self.choosing.anchor if self.choosing is not None else self._selected(labels)
        if span is None or span.label != attribute_type.label:
            self.say(
                f"Click a {attribute_type.label} span in the gold lane first, or put the "
                f"caret in it ({attribute_type.name})"
            )
            return
        work, name = window.gold_claims, attribute_type.name
        value = attribute_type.next_value(work.values(span).get(name))
        kept = tuple(a for a in work.attributes if not (a.span == span and a.name == name))
        added = () if value == attribute_type.default else (SpanAttribute(span, name, value),)
        claims = ClaimWork(work.relations, (*kept, *added))
        if window.push(
            window.gold_change(list(window.gold), f"gold: {name} {value}", claims=claims)
        ):
            self.say(f"Gold: {name} {value}", 3000)

    def _selected(self, labels: Sequence[str]) -> Span | None:
        """The gold span selected; with nothing selected, the innermost of ``labels``
        around the caret (put there with the arrow keys: no span could be chosen from
        the keyboard but by selecting its words exactly)."""
        if (span := self.window.gold_editor.still_selected()) is not None:
            return span
        start, end = self.window.gold_view.selected_range()
        around = [s for s in self.window.gold if s.label in labels and s.start <= start < s.end]
        return min(around, key=len) if start == end and around else None

    # -- Enter and Esc while choosing ---------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if self.choosing is None or kind not in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            return False
        key = event.key()  # type: ignore[attr-defined]
        if key not in _CHOOSING_KEYS:
            return False
        event.accept()
        if kind == QEvent.Type.KeyPress:
            if key == Qt.Key.Key_Escape:
                self.cancel()
            else:
                self.confirm()
        return True


def gold_claim_keys(actions: dict[str, QAction], links: ClaimLinks) -> str:
    """The gold lane's claim keys in a few words: "R source (Shift+R unlinks) · D H Q"."""

    def key(name: str) -> str:
        return first_key(actions, name)

    parts = []
    for t in links.relation_types:
        if choose := key(f"actionRelation_{t.name}"):
            remove = key(f"actionRemoveRelation_{t.name}")
            parts.append(
                f"{choose} on a {heads_in_words(t)}: its {t.name}"
                + (f" ({remove} unlinks)" if remove else "")
            )
    marks = [
        key(f"actionAttribute_{t.name}")
        for t in links.attribute_types
        if key(f"actionAttribute_{t.name}")
    ]
    if marks:
        parts.append(" ".join(marks) + " its marks")
    return " · ".join(parts)
