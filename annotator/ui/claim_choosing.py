"""Choosing the other end of a relation in the annotation window: ``R`` on a claim, then a
click on its source, or the source's words selected and ``Enter`` (``claim_sources.py``
has the keys)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from annotator.core import editing
from annotator.core.model import Span
from annotator.core.relations import SOURCE_LABEL, Relation, RelationType
from annotator.core.text import excerpt, one_line
from annotator.ui.article_commands import with_start
from annotator.ui.claim_commands import RelationChange
from annotator.ui.claim_links import heads_in_words
from annotator.ui.commands import CommandGroup, StoreCommand
from annotator.ui.span_commands import SpanChange

if TYPE_CHECKING:
    from annotator.ui.claim_sources import ClaimEditor


@dataclass(frozen=True)
class Choosing:
    """A relation being made: ``anchor`` is the span it starts from; ``wants_child`` when
    the anchor is the head (a claim whose source is chosen)."""

    relation_type: RelationType
    anchor: Span
    wants_child: bool

    @property
    def labels(self) -> tuple[str, ...]:
        """Labels the chosen span may carry."""
        t = self.relation_type
        return t.child_labels if self.wants_child else t.head_labels

    @property
    def new_label(self) -> str:
        """The label of a span made from selected words."""
        labels = self.labels
        return SOURCE_LABEL if SOURCE_LABEL in labels else labels[-1]

    def relation(self, other: int) -> Relation:
        anchor = self.anchor.id
        assert anchor is not None
        head, child = (anchor, other) if self.wants_child else (other, anchor)
        return Relation(head, child, self.relation_type.name)

    def what(self) -> str:
        """What is being chosen, in words: the relation's name for its child ("source"),
        the head's label for its head ("claim")."""
        return self.relation_type.name if self.wants_child else heads_in_words(self.relation_type)

    def chosen_for(self, anchor: str) -> str:
        """What is chosen for ``anchor`` (in words): "the source of claim 3"; "the claim
        'SDF' is the source of" ("the claim of 'SDF'" read as a claim SDF makes)."""
        if self.wants_child:
            return f"the {self.what()} of {anchor}"
        return f"the {self.what()} {anchor} is the {self.relation_type.name} of"

    def overlap_refused(self, edit: editing.SpanEdit, text: str) -> str | None:
        """Why a new span over the selected words is not made, where it would replace the
        spans it overlaps: "The Syrian army" over the FACTION "Syrian army" took its place,
        its entry and its other claims' links, unsaid. None where it replaces nothing."""
        if not edit.removed:
            return None
        new, there = edit.added[0], edit.removed[0]
        words, its_words = (one_line(s.text(text), 60) for s in (new, there))
        said = f"“{words}” overlaps the {there.label} span “{its_words}”"
        if there.label in self.labels:
            return f"{said}: click it to make it the {self.what()}, or select other words"
        return f"{said}: select other words, or relabel or delete that span first"


def choosing_from(relation_type: RelationType, span: Span) -> Choosing | str:
    """The relation to make from ``span``: a claim chooses its source, a source its claim;
    else why not, in words (the annotation window and the review's gold lane alike)."""
    if span.label in relation_type.head_labels:
        return Choosing(relation_type, span, wants_child=True)
    if span.label in relation_type.child_labels:
        return Choosing(relation_type, span, wants_child=False)
    return (
        f"A {relation_type.name} goes from {'/'.join(relation_type.head_labels)} to "
        f"{'/'.join(relation_type.child_labels)}, not from {span.label}"
    )


class SourceChooser:
    """The relation being made in one window, if any, and the gestures that finish it."""

    def __init__(self, editor: ClaimEditor):
        self.editor = editor
        self.window = editor.window
        self.choosing: Choosing | None = None

    def start(self, relation_type: RelationType) -> None:
        """The relation's key: choose the other end of a relation from the selected span."""
        window = self.window
        current = window.current
        if current is None or current.loading:
            return
        span = self.choosing.anchor if self.choosing is not None else window.editor.selected
        if span is None:
            heads = "/".join(relation_type.head_labels)
            self.editor.say(
                f"Click a {heads} span first, then press {relation_type.key or 'the key'}"
            )
            return
        choosing = choosing_from(relation_type, span)
        if isinstance(choosing, str):
            self.editor.say(choosing, 5000)
            return
        self.choosing = choosing
        window.editor.selected_span_id = None
        window.view.clear_selection()
        window.span_list.clear_span_selection()
        window.view.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.editor.show_focus()
        self.editor.say(self.prompt(), 0)

    def prompt(self) -> str:
        choosing = self.choosing
        assert choosing is not None
        number = self.editor.links.numbers.get(choosing.anchor.id or -1)
        anchor = (
            f"claim {number}"
            if number and choosing.wants_child
            else (
                f"'{excerpt(choosing.anchor.text(self.window.current.article.text), 40)}'"  # type: ignore[union-attr]
            )
        )
        labels = " or ".join(choosing.labels)
        made = f" (they become a {choosing.new_label} span)"
        # (the way out first: at the end, a laptop's status bar cut it off)
        return (
            f"Choose {choosing.chosen_for(anchor)} (Esc cancels): click a {labels} span "
            f"(or Tab to it), or select its words and press Enter{made}"
        )

    def cancel(self, quiet: bool = False) -> None:
        """Esc: stop choosing; the claim is selected again."""
        choosing = self.choosing
        if choosing is None:
            return
        self.choosing = None
        self.window.view.viewport().unsetCursor()
        self.window.statusBar().clearMessage()
        if not quiet:
            self.editor.say("Not linked", 2000)
            anchor = self.window.current.span(choosing.anchor.id) if self.window.current else None
            if anchor is not None:
                self.window.editor.select_span(anchor, scroll=False)
        self.editor.show_focus()

    def clicked(self, offset: int) -> None:
        """A click while choosing: the innermost span there that the relation allows."""
        choosing = self.choosing
        current = self.window.current
        assert choosing is not None and current is not None
        under = [
            s
            for s in editing.overlapping(current.spans, offset - 1, offset + 1)
            if s.start <= offset < s.end
        ]
        under.sort(key=lambda s: (s.end - s.start, s.start))
        allowed = [s for s in under if s.label in choosing.labels and s.id != choosing.anchor.id]
        if allowed:
            self._link(allowed[0])
        elif under:
            self.editor.say(
                f"That is a {under[0].label} span: the {choosing.what()} is a "
                f"{' or '.join(choosing.labels)} span. {self.prompt()}",
                0,
            )

    def confirm(self) -> None:
        """Enter while choosing: the selected words are the other end (an existing span of
        an allowed label with the same extent, else a new span over them)."""
        window = self.window
        choosing = self.choosing
        current = window.current
        assert choosing is not None and current is not None
        start, end = window.view.selected_range()
        if start == end:
            self.editor.say(f"Click a span or select words first. {self.prompt()}", 0)
            return
        tokens = window.editor.tokens()
        if tokens is not None:
            snapped = tokens.snap(start, end)
            if snapped is None:
                self.editor.say(f"The selection holds no word. {self.prompt()}", 0)
                return
            start, end = snapped
        if (start, end) == (choosing.anchor.start, choosing.anchor.end):
            # Shift+Tab came back to the claim itself: it is not its own source (made a
            # SOURCE over it, it replaced the entities inside).
            self.editor.say(
                f"That is the {choosing.anchor.label} itself: choose another span. {self.prompt()}",
                0,
            )
            return
        same = [
            s
            for s in editing.overlapping(current.spans, start, end)
            if (s.start, s.end) == (start, end) and s.id != choosing.anchor.id
        ]
        allowed = [s for s in same if s.label in choosing.labels]
        if allowed:
            self._link(allowed[0])
            return
        if same:  # the words of a span (Tab went to it): not made into another span
            self.editor.say(
                f"That is a {same[0].label} span: the {choosing.what()} is a "
                f"{' or '.join(choosing.labels)} span (relabel it first). {self.prompt()}",
                0,
            )
            return
        try:
            edit = editing.create(current.spans, start, end, choosing.new_label, window.kinds, None)
        except editing.EditRefused as refusal:
            self.editor.say(f"{refusal}. {self.prompt()}", 0)
            return
        if isinstance(edit, Span):
            self._link(edit)
            return
        if refused := choosing.overlap_refused(edit, current.article.text):
            self.editor.say(f"{refused}. {self.prompt()}", 0)
            return
        span_change = SpanChange.of_open_article(window, edit)
        relation = choosing.relation(0)
        link = RelationChange(
            window.store,
            window,
            window.history.ids,
            current.id,
            window.annotator,
            [relation],
            [],
            f"{choosing.relation_type.name}: link",
            made_by=span_change,
            made_end="child" if choosing.wants_child else "head",
        )
        self._finish(
            CommandGroup(
                window.store,
                window,
                f"add {choosing.new_label} as {choosing.what()}",
                [span_change, link],
            )
        )

    def _link(self, other: Span) -> None:
        choosing = self.choosing
        assert choosing is not None and other.id is not None
        relation = choosing.relation(other.id)
        if relation in self.editor.links.sources_of(relation.head, relation.label):
            text = self.window.current.article.text  # type: ignore[union-attr]
            self.cancel(quiet=True)
            self.window.editor.select_span(choosing.anchor, scroll=False)
            self.editor.say(f"Already linked: '{excerpt(other.text(text), 40)}'")
            return
        window = self.window
        assert window.current is not None
        self._finish(
            RelationChange(
                window.store,
                window,
                window.history.ids,
                window.current.id,
                window.annotator,
                [relation],
                [],
                f"link {choosing.what()}",
            )
        )

    def _finish(self, command: StoreCommand) -> None:
        choosing = self.choosing
        assert choosing is not None
        self.choosing = None
        window = self.window
        window.view.viewport().unsetCursor()
        # On an article not started yet, this is its first edit: it starts it too.
        if window.push(with_start(window, command)):
            anchor = window.current.span(window.history.ids.current(choosing.anchor.id))  # type: ignore[union-attr]
            if anchor is not None:
                window.editor.select_span(anchor, scroll=False)
            self.editor.say(self._linked_message(anchor), 5000)
        self.editor.show_focus()

    def _linked_message(self, anchor: Span | None) -> str:
        if anchor is None:
            return "Linked"
        description = self.editor.describe(anchor)
        number = self.editor.links.numbers.get(anchor.id or -1)
        what = f"{anchor.label.capitalize()} {number}" if number else anchor.label
        return f"{what}: {description}" if description else "Linked"
