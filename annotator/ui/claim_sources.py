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

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QColor

from annotator.core.claim_changes import ClaimComparison
from annotator.core.model import Span, SpanKey, SpanLink
from annotator.core.relations import (
    AttributeType,
    AttributeValue,
    Relation,
    RelationType,
    SpanLinks,
)
from annotator.core.text import counted, excerpt, isolated
from annotator.ui.article_commands import with_start
from annotator.ui.article_work import read_claim_work, shown_started
from annotator.ui.claim_actions import claim_rows, keys_help
from annotator.ui.claim_choosing import Choosing, SourceChooser
from annotator.ui.claim_commands import AttributeChange, RelationChange
from annotator.ui.claim_links import ClaimLinks, Tag, TagSource, heads_in_words
from annotator.ui.widgets import add_actions, give_mnemonics

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow
    from annotator.ui.open_article import OpenArticle


class ClaimEditor:
    """The claim gestures of one window and the links it shows."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.links = ClaimLinks()
        self.chooser = SourceChooser(self)
        self.actions: dict[str, QAction] = {}
        self._by_id: dict[int, Span] = {}  # the open article's linked spans, by id
        # The open article's spans beside its suggested relations and values, made again
        # when the spans change (every change makes a new list)
        self._compared: tuple[int, ClaimComparison] | None = None
        # The open article's suggestions' links by place (``_suggested_links``)
        self._links_suggested: tuple[OpenArticle, dict] | None = None

    def say(self, message: str, ms: int = 4000) -> None:
        self.window.statusBar().showMessage(message, ms)

    def describe(self, span: Span) -> str:
        """What the span list says of the span's links."""
        current = self.window.current
        return self.links.describe(span, current.article.text, self._by_id) if current else ""

    # -- the scheme and its keys -----------------------------------------------------------

    def reload_scheme(self) -> None:
        """(Re)make the actions of the scheme's relations and attributes
        (``claim_actions.py``), keys checked against the window's other keys."""
        window = self.window
        for action in self.actions.values():
            window.removeAction(action)
            action.deleteLater()
        store = window.store
        self.links = ClaimLinks(
            relation_types=store.relation_types(), attribute_types=store.attribute_types()
        )
        self._compared = None  # (its attributes' defaults are the scheme's)
        mine = set(self.actions.values())
        taken = {
            key.toString()
            for action in window.actions()
            if action not in mine
            for key in action.shortcuts()
        }
        rows, clashes = claim_rows(self.links, taken)
        self.actions = add_actions(window, rows)
        if self.links.relation_types:
            window.view.relation_color = QColor(self.links.relation_types[0].color)
        menu = window.menu("C&laim")
        menu.clear()
        menu.addActions(list(self.actions.values()))
        give_mnemonics(menu)
        window.side.claim_keys.setText(keys_help(self.actions, self.links))
        if clashes:
            window.show_problem(
                f"Keys of the claim scheme already in use, left without a key: "
                f"{', '.join(clashes)}. Set other keys in the scheme."
            )
        self.refresh()

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
        relations, values = current.read_with_it.take_claim_work() or read_claim_work(
            window.store, current.id, window.annotator, current.spans
        )
        self.links = ClaimLinks(
            relations, values, self.links.relation_types, self.links.attribute_types
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
        model.set_links(
            lambda span: links.describe(span, text, by_id), links.numbers, self._origins()
        )

    def _origins(self) -> Callable[[Span], str]:
        """Each span's origin as the usage figures count it (a suggestion kept in place
        whose sources or values the annotator changed is edited; one deleted and made again
        by hand is the suggestion): asked by the span list for the rows it shows, each
        answered once."""
        current = self.window.current
        assert current is not None
        if not shown_started(current.spans):
            return lambda span: span.origin
        links, by_id, answers = self.links, self._by_id, {}

        def origin(span: Span) -> str:
            if span.id not in answers:
                relations = [*links.sources_of(span.id), *links.claims_of(span.id)]
                answers[span.id] = self._comparison(current).origin(
                    span, relations, links.held_values(span.id), by_id
                )
            return answers[span.id]

        return origin

    def _comparison(self, current: OpenArticle) -> ClaimComparison:
        """The open article's spans beside its suggestions' relations and values, made
        again when the spans change (every change makes a new list of them)."""
        compared = self._compared
        if compared is None or compared[0] != current.id or compared[1].spans is not current.spans:
            suggested = self.window.store.suggested_work(current.id)
            comparison = ClaimComparison(
                current.spans,
                suggested,
                self.links.attribute_types,
                self._suggested_links(current),
            )
            self._compared = compared = (current.id, comparison)
        return compared[1]

    def _suggested_links(self, current: OpenArticle) -> dict[SpanKey, set[SpanLink]]:
        """The article's suggestions' links by place, once a span made by hand asks (read
        once per article opened: 20,000 suggestions take 0.15 s). Of the article the span
        list was filled for, not the window's at the time: a row painted as the window let
        go of its article asked the window's, and found none (AssertionError)."""
        if not any(span.origin == "human" for span in current.spans):
            return {}
        if self._links_suggested is None or self._links_suggested[0] is not current:
            self._links_suggested = (current, self.window.store.suggested_links(current.id))
        return self._links_suggested[1]

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

    # -- choosing a source (``claim_choosing.py``) ------------------------------------------

    @property
    def choosing(self) -> Choosing | None:
        return self.chooser.choosing

    @property
    def is_choosing(self) -> bool:
        return self.chooser.choosing is not None

    def start_choosing(self, relation_type: RelationType) -> None:
        """The relation's key: choose the other end of a relation from the selected span."""
        self.chooser.start(relation_type)

    def clicked(self, offset: int) -> None:
        self.chooser.clicked(offset)

    def prompt_again(self) -> None:
        """Say again what choosing expects (after a refusal, another span was selected)."""
        self.say(self.chooser.prompt(), 0)

    def confirm(self) -> None:
        self.chooser.confirm()

    def cancel(self, quiet: bool = False) -> None:
        self.chooser.cancel(quiet)

    # -- removing --------------------------------------------------------------------------

    def remove_relations(self, relation_type: RelationType) -> None:
        """Shift+key: remove the selected claim's relations of this type (or, on a source,
        the relations to it)."""
        window = self.window
        current = window.current
        span = window.editor.selected
        if current is None or span is None:
            self.say("Click a claim first")
            return
        name = relation_type.name
        found = [
            r
            for r in (*self.links.sources_of(span.id, name), *self.links.claims_of(span.id))
            if r.label == name
        ]
        if not found:
            self.say(f"The selected {span.label} has no {name} link")
            return
        said = self._removed_words(span, found, relation_type)
        if window.push(
            with_start(
                window,
                RelationChange(
                    window.store,
                    window,
                    window.history.ids,
                    current.id,
                    window.annotator,
                    [],
                    found,
                    f"remove {len(found)} {name} link(s)",
                ),
            )
        ):
            self.say(said, 4000)  # (SDF went off claim 3 with nothing said)

    def _removed_words(
        self, span: Span, removed: list[Relation], relation_type: RelationType
    ) -> str:
        """What a removal did, in words: "'a car bomb exploded…': 2 sources removed";
        "'SDF' is no longer the source of 'a car bomb exploded…'". Each claim by its words:
        a claim's number goes with its last source, and the claims after it are numbered
        again at once ("… the source of claims 4, 5" was said, and claim 4 was then another)."""
        name = relation_type.name
        if span.label in relation_type.head_labels:
            return f"{self._quoted(span)}: {counted(len(removed), name)} removed"
        heads = {r.head for r in removed}
        claims = sorted((self._by_id[i] for i in heads if i in self._by_id), key=lambda s: s.key)
        if claims and len(claims) == len(heads):
            quoted = [self._quoted(claim) for claim in claims]
            which = " and ".join(filter(None, [", ".join(quoted[:-1]), quoted[-1]]))
        else:
            which = counted(len(removed), heads_in_words(relation_type))
        return f"{self._quoted(span)} is no longer the {name} of {which}"

    def _quoted(self, span: Span) -> str:
        """A span's words in a message, cut as the span list's Links column cuts them."""
        text = self.window.current.article.text  # type: ignore[union-attr]
        return f"'{isolated(excerpt(span.text(text), 40))}'"

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
            self.say(f"Click a {attribute_type.label} span first ({attribute_type.name})")
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
            with_start(
                window,
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
                ),
            )
        ):
            self.say(f"{what.capitalize()}: {attribute_type.name} {value}", 3000)
