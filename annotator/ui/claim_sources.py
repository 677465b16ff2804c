"""Who claims what, in the annotation window: choosing a claim's source, removing it,
toggling a claim's attributes, and showing them (tags in the text, arcs for the selected
span, the span list's Links column).

The keys come from the scheme (``relation_types.key``, ``attribute_types.key``): by default

- ``R`` on a selected claim starts *choosing its source*: click a FACTION or SOURCE span
  (the click alone chooses it), or select the source's words and press ``Enter`` (they
  become a SOURCE span, snapped to tokens like any new span); ``Esc`` cancels. ``R`` on a
  claim that has a source adds another; ``R`` on a selected FACTION or SOURCE span chooses
  the claim it is the source of, the same way.
- ``Shift+R`` removes the selected claim's sources (or the selected source's links).
- ``D``, ``H``, ``Q`` step the selected claim's polarity, hedged and quote to their next
  value (``AttributeType.next_value``).

Each is one undo command (``claim_commands.py``); a source made from selected words and its
relation are one undo step together.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence

from annotator.core import editing
from annotator.core.model import Span
from annotator.core.relations import (
    SOURCE_LABEL,
    AttributeType,
    AttributeValue,
    Relation,
    RelationType,
    SpanLinks,
)
from annotator.ui.claim_commands import AttributeChange, RelationChange
from annotator.ui.claim_links import ClaimLinks, Tag, TagSource
from annotator.ui.commands import CommandGroup, SpanChange
from annotator.ui.widgets import Act, add_actions

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


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
        return "source" if self.wants_child else "claim"


class ClaimEditor:
    """The claim gestures of one window and the links it shows."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.links = ClaimLinks()
        self.choosing: Choosing | None = None
        self.actions: dict[str, QAction] = {}
        self._by_id: dict[int, Span] = {}  # the open article's linked spans, by id

    def _say(self, message: str, ms: int = 4000) -> None:
        self.window.statusBar().showMessage(message, ms)

    # -- the scheme and its keys -----------------------------------------------------------

    def reload_scheme(self) -> None:
        """(Re)make the actions of the scheme's relations and attributes, keys checked
        against the window's other keys."""
        window = self.window
        for action in self.actions.values():
            window.removeAction(action)
            action.deleteLater()
        store = window.store
        self.links = ClaimLinks(
            relation_types=store.relation_types(), attribute_types=store.attribute_types()
        )
        taken = {
            key.toString()
            for action in window.actions()
            for key in action.shortcuts()
            if action not in self.actions.values()
        }
        rows, clashes = [], []

        def keys(key: str, what: str) -> tuple[str, ...]:
            if not key:
                return ()
            if QKeySequence(key).toString() in taken:
                clashes.append(f"{key} ({what})")
                return ()
            taken.add(QKeySequence(key).toString())
            return (key,)

        for relation_type in self.links.relation_types:
            name = relation_type.name
            rows.append(
                Act(
                    f"actionRelation_{name}",
                    f"Choose {name}…",
                    keys(relation_type.key, f"choose {name}"),
                    lambda w, t=relation_type: w.claims.start_choosing(t),
                    f"With a claim selected: click its {name}, or select the words and press "
                    "Enter (Esc cancels)",
                )
            )
            rows.append(
                Act(
                    f"actionRemoveRelation_{name}",
                    f"Remove {name}s",
                    keys(
                        f"Shift+{relation_type.key}" if relation_type.key else "", f"remove {name}"
                    ),
                    lambda w, t=relation_type: w.claims.remove_relations(t),
                    f"Remove the selected claim's {name}s",
                )
            )
        for attribute_type in self.links.attribute_types:
            name = attribute_type.name
            rows.append(
                Act(
                    f"actionAttribute_{name}",
                    f"{name.capitalize()}: {' → '.join(attribute_type.values)}",
                    keys(attribute_type.key, name),
                    lambda w, t=attribute_type: w.claims.step_attribute(t),
                    attribute_type.description,
                )
            )
        self.actions = add_actions(window, rows)
        if self.links.relation_types:
            window.view.relation_color = QColor(self.links.relation_types[0].color)
        menu = window.menu("C&laim")
        menu.clear()
        menu.addActions(list(self.actions.values()))
        window.side.claim_keys.setText(self._keys_help())
        if clashes:
            window.show_problem(
                f"Keys of the claim scheme already in use, left without a key: "
                f"{', '.join(clashes)}. Set other keys in the scheme."
            )
        self.refresh()

    def _keys_help(self) -> str:
        def key(name: str) -> str:
            action = self.actions.get(name)
            keys = action.shortcuts() if action is not None else []
            return html.escape(keys[0].toString()) if keys else ""

        parts = []
        for t in self.links.relation_types:
            choose, remove = key(f"actionRelation_{t.name}"), key(f"actionRemoveRelation_{t.name}")
            if choose:
                parts.append(
                    f"{choose} on a claim: click its {html.escape(t.name)} (or select words, "
                    "Enter)" + (f" · {remove} unlink" if remove else "")
                )
        marks = [
            f"{key(f'actionAttribute_{t.name}')} {html.escape(t.name)}"
            for t in self.links.attribute_types
            if key(f"actionAttribute_{t.name}")
        ]
        if marks:
            parts.append(" · ".join(marks))
        return f"<small>{'<br>'.join(parts)}</small>" if parts else ""

    # -- what the window shows -------------------------------------------------------------

    def refresh(self) -> None:
        """Read the open article's relations and values again and redraw tags, links and
        the span list's Links column."""
        self.window.view.set_tag_source(self.load())
        self.shown()

    def load(self) -> TagSource | None:
        """Read the open article's relations and values; returns where its tags come
        from, for the view (``None`` while there is no article), before it shows the text."""
        window = self.window
        current = window.current
        if current is None or current.loading:
            self.links = self.links.empty()
            self._by_id = {}
            return None
        store = window.store
        self.links = ClaimLinks(
            store.relations(current.id, window.annotator),
            store.attribute_values(current.id, window.annotator),
            self.links.relation_types,
            self.links.attribute_types,
        )
        return self._numbered()

    def shown(self) -> None:
        """The article with its tags is on screen: the span list and the selection follow."""
        current = self.window.current
        if current is None:
            return
        if self.choosing is not None and current.span(self.choosing.anchor.id) is None:
            self.cancel(quiet=True)  # the claim is gone (deleted, undone, elsewhere)
        self.fill_span_list()
        self.show_focus()

    def _numbered(self) -> TagSource:
        """Number the claims; the tags of a stretch of the text, asked by the view."""
        current = self.window.current
        assert current is not None
        links = self.links
        self._by_id = links.number_claims(current.spans)
        confirmed = current.confirmed

        def tags(start: int, end: int) -> list[Tag]:
            return links.tags_between(current.spans, start, end, confirmed)

        return tags

    def spans_changed(self, removed: list[Span], added: list[Span]) -> None:
        """A span edit was written: take the links of the spans it touched from the store
        (a delete took some along, an undo put some back); redraw everything only if links
        changed."""
        window = self.window
        current = window.current
        if current is None:
            return
        touched = {s.id for s in (*removed, *added) if s.id is not None}
        added_ids = [s.id for s in added if s.id is not None]
        fresh = window.store.span_links(added_ids) if added_ids else SpanLinks()
        if fresh or self.links.touches(touched):
            self.links.replace_spans(touched, fresh)
            self._redraw()
            return
        # No link changed: the numbers stay, and the paragraphs of these spans, formatted
        # again by the view, asked the tag source for their tags anew.

    def _redraw(self) -> None:
        if self.window.current is not None:
            self.window.view.set_tag_source(self._numbered())
            self.shown()

    def fill_span_list(self) -> None:
        window = self.window
        current = window.current
        model = window.span_model
        if current is None or model.article_id != current.id:
            return  # the list follows in a moment (it is filled after the text)
        text, by_id, links = current.article.text, self._by_id, self.links
        model.set_links(lambda span: links.describe(span, text, by_id), links.numbers)

    def show_focus(self) -> None:
        """Outline and join the selected span's links (or the claim being given a source)."""
        window = self.window
        current = window.current
        if current is None:
            return
        span = window.editor.selected
        choosing = self.choosing
        view = window.view
        if choosing is not None:
            anchor = choosing.anchor
            view.set_links(picking=(anchor.start, anchor.end))
            return
        if span is None:
            view.set_links()
            return
        by_id = self._by_id
        pairs = [
            (by_id[r.head], by_id[r.child])
            for r in (*self.links.sources_of(span.id), *self.links.claims_of(span.id))
            if r.head in by_id and r.child in by_id
        ]
        others = [child if head.id == span.id else head for head, child in pairs]
        view.set_links([(s.start, s.end) for s in others], pairs)

    # -- choosing a source -----------------------------------------------------------------

    def start_choosing(self, relation_type: RelationType) -> None:
        """The relation's key: choose the other end of a relation from the selected span."""
        window = self.window
        current = window.current
        if current is None or current.loading:
            return
        span = self.choosing.anchor if self.choosing is not None else window.editor.selected
        if span is None:
            heads = "/".join(relation_type.head_labels)
            self._say(f"Click a {heads} span first, then press {relation_type.key or 'the key'}")
            return
        if span.label in relation_type.head_labels:
            self.choosing = Choosing(relation_type, span, wants_child=True)
        elif span.label in relation_type.child_labels:
            self.choosing = Choosing(relation_type, span, wants_child=False)
        else:
            self._say(
                f"A {relation_type.name} goes from {'/'.join(relation_type.head_labels)} to "
                f"{'/'.join(relation_type.child_labels)}, not from {span.label}",
                5000,
            )
            return
        window.editor.selected_span_id = None
        window.view.clear_selection()
        window.span_list.clear_span_selection()
        window.view.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.show_focus()
        self._say(self._prompt(), 0)

    def _prompt(self) -> str:
        choosing = self.choosing
        assert choosing is not None
        number = self.links.numbers.get(choosing.anchor.id or -1)
        anchor = (
            f"claim {number}"
            if number and choosing.wants_child
            else (
                f"'{_short(choosing.anchor.text(self.window.current.article.text))}'"  # type: ignore[union-attr]
            )
        )
        labels = " or ".join(choosing.labels)
        made = f" (they become a {choosing.new_label} span)"
        return (
            f"Choose the {choosing.what()} of {anchor}: click a {labels} span, or select its "
            f"words and press Enter{made} · Esc cancels"
        )

    @property
    def is_choosing(self) -> bool:
        return self.choosing is not None

    def cancel(self, quiet: bool = False) -> None:
        """Esc: stop choosing; the claim is selected again."""
        choosing = self.choosing
        if choosing is None:
            return
        self.choosing = None
        self.window.view.viewport().unsetCursor()
        self.window.statusBar().clearMessage()
        if not quiet:
            self._say("Not linked", 2000)
            anchor = self.window.current.span(choosing.anchor.id) if self.window.current else None
            if anchor is not None:
                self.window.editor.select_span(anchor, scroll=False)
        self.show_focus()

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
            self._say(
                f"That is a {under[0].label} span: the {choosing.what()} is a "
                f"{' or '.join(choosing.labels)} span. {self._prompt()}",
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
            self._say(f"Click a span or select words first. {self._prompt()}", 0)
            return
        tokens = window.editor.tokens()
        if tokens is not None:
            snapped = tokens.snap(start, end)
            if snapped is None:
                self._say(f"The selection holds no word. {self._prompt()}", 0)
                return
            start, end = snapped
        same = [
            s
            for s in editing.overlapping(current.spans, start, end)
            if (s.start, s.end) == (start, end) and s.label in choosing.labels
        ]
        if same:
            self._link(same[0])
            return
        try:
            edit = editing.create(current.spans, start, end, choosing.new_label, window.kinds, None)
        except editing.EditRefused as refusal:
            self._say(f"{refusal}. {self._prompt()}", 0)
            return
        if isinstance(edit, Span):
            self._link(edit)
            return
        span_change = SpanChange(
            window.store,
            window,
            window.history.ids,
            current.id,
            window.annotator,
            edit.removed,
            edit.added,
            edit.description,
        )
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
        exists = any(r == relation for r in self.links.sources_of(relation.head, relation.label))
        if exists:
            self._say(f"Already linked: '{_short(other.text(self.window.current.article.text))}'")  # type: ignore[union-attr]
            self.cancel(quiet=True)
            self.window.editor.select_span(choosing.anchor, scroll=False)
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

    def _finish(self, command) -> None:
        choosing = self.choosing
        assert choosing is not None
        self.choosing = None
        window = self.window
        window.view.viewport().unsetCursor()
        if window.push(command):
            anchor = window.current.span(window.history.ids.current(choosing.anchor.id))  # type: ignore[union-attr]
            if anchor is not None:
                window.editor.select_span(anchor, scroll=False)
            self._say(self._linked_message(anchor), 5000)
        self.show_focus()

    def _linked_message(self, anchor: Span | None) -> str:
        if anchor is None:
            return "Linked"
        description = self.links.describe(
            anchor,
            self.window.current.article.text,
            {s.id: s for s in self.window.current.spans},  # type: ignore[union-attr,misc]
        )
        number = self.links.numbers.get(anchor.id or -1)
        what = f"Claim {number}" if number else anchor.label
        return f"{what}: {description}" if description else "Linked"

    # -- removing --------------------------------------------------------------------------

    def remove_relations(self, relation_type: RelationType) -> None:
        """Shift+key: remove the selected claim's relations of this type (or, on a source,
        the relations to it)."""
        window = self.window
        current = window.current
        span = window.editor.selected
        if current is None or span is None:
            self._say("Click a claim first")
            return
        name = relation_type.name
        found = [
            r
            for r in (*self.links.sources_of(span.id, name), *self.links.claims_of(span.id))
            if r.label == name
        ]
        if not found:
            self._say(f"The selected {span.label} has no {name} link")
            return
        window.push(
            RelationChange(
                window.store,
                window,
                window.history.ids,
                current.id,
                window.annotator,
                [],
                found,
                f"remove {len(found)} {name} link(s)",
            )
        )

    # -- attributes ------------------------------------------------------------------------

    def step_attribute(self, attribute_type: AttributeType) -> None:
        """The attribute's key: the selected claim's value steps to the next one (the
        default is stored as no value)."""
        window = self.window
        current = window.current
        span = self.choosing.anchor if self.choosing is not None else window.editor.selected
        if current is None or current.loading:
            return
        if span is None or span.label != attribute_type.label or span.id is None:
            self._say(f"Click a {attribute_type.label} span first ({attribute_type.name})")
            return
        before = self.links.value(span.id, attribute_type.name)
        value = attribute_type.next_value(before.value if before else None)
        after = (
            None
            if value == attribute_type.default
            else AttributeValue(span.id, attribute_type.name, value, "human")
        )
        number = self.links.numbers.get(span.id)
        what = f"claim {number}" if number else span.label
        if window.push(
            AttributeChange(
                window.store,
                window,
                window.history.ids,
                current.id,
                window.annotator,
                span.id,
                attribute_type.name,
                before,
                after,
                f"{attribute_type.name}: {value}",
            )
        ):
            self._say(f"{what.capitalize()}: {attribute_type.name} {value}", 3000)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
