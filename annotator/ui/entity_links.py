"""What the open article's names refer to, in the annotation window.

``EntityLinks`` adds to a ``MainWindow``:

- the span list's "Refers to" column ("Kassab, Latakia, SY", "Hayat Tahrir al-Sham (Q…)",
  "? ambiguous: 3 candidates", "? not in the gazetteer");
- the key L (and Ctrl+L) on a selected span: the link dialog (``link_dialog.py``; what it
  offers as a name is typed, ``link_search.py``), whose choice is one undoable
  ``LinkChange`` written to the project;
- the "Places" panel (``places_panel.py``): a map of the article's linked places, in step with
  the selected span; a click on a place selects its span;
- the place index, opened or built off the GUI thread (``place_index.py``) when the project
  uses links or the dialog needs it, with a note in the status bar meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from annotator.core.model import Span
from annotator.kb import AMBIGUOUS, GENERIC, UNKNOWN, Entry, describe
from annotator.kb.actors import ActorError, ActorKB
from annotator.kb.faction_linker import note_warns
from annotator.kb.linking import project_kb
from annotator.kb.links import verdict_words
from annotator.storage.links import (
    has_links,
    project_actors,
)
from annotator.ui.article_commands import with_start
from annotator.ui.article_work import linker_notes, read_link_statuses
from annotator.ui.link_candidates import (
    FACTION,
    LOCATION,
    CandidateSearch,
    candidate_entries,
    linked_with,
)
from annotator.ui.link_choosing import open_link_dialog
from annotator.ui.link_commands import LinkChange
from annotator.ui.link_dialog import VERDICT_OF, LinkDialog
from annotator.ui.models import NO_ENTRY, Reference
from annotator.ui.place_index import BUILDING, FAILED, place_index
from annotator.ui.places_panel import BUILDING_NOTE, PlacesPanel
from annotator.ui.widgets import Act, give_mnemonics, plain_label

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


ACTIONS = (
    Act(
        "actionLink",
        "What it refers to…",
        ("L", "Ctrl+L"),
        lambda window: window.entity_links.open_dialog(),
        "Choose the place or actor the selected span refers to",
    ),
    Act(
        "actionShowPlaces",
        "Places on the map",
        ("Ctrl+M",),
        lambda window: window.entity_links.places.toggle(),
        "Show the map of the article's linked places (again: hide it)",
    ),
)


class EntityLinks(QObject):
    """The window's links: see the module docstring."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.index = place_index()
        self.index.ready.connect(self._index_ready)
        self.index.failed.connect(self._index_failed)
        # How the linker judged each span, by (start, end, label): an article not started
        # shows its suggestions, whose ids change when the first edit copies them.
        self.statuses: dict[tuple[int, int, str], str] = {}
        self.candidates: dict[tuple[int, int, str], list[Entry]] = {}  # of ambiguous spans
        self._candidates = CandidateSearch(self)
        self._candidates.found.connect(self._candidates_found)
        #: The linker's notes on the suggestions shown or taken ("name used 2012–2016; the
        #: article is dated 2008-08-10"), by span, with the entry they are about.
        self.notes: dict[tuple[int, int, str], tuple[str, str]] = {}
        self._kb: tuple[object, ActorKB] | None = None  # (the store it was read from, the KB)
        self._actors: list[dict] = []  # the project's actor records the KB was made of
        self.dialog: LinkDialog | None = None
        self._entries: dict[tuple[str, bool], Entry | None] = {}
        self.places = PlacesPanel(window, self.index)
        self.map = self.places.map
        self.index_label = plain_label(objectName="placeIndexLabel")
        window.add_status_item(self.index_label)
        made = window.add_actions(ACTIONS)
        edit = window.menu("&Edit")
        edit.addSeparator()
        edit.addActions(list(made.values()))
        give_mnemonics(edit)
        window.span_model.describe = self.describe
        window.span_model.modelReset.connect(self.places.refresh)
        window.articleShown.connect(self._article_shown)
        self.show_index_state()
        if window.try_write(lambda: has_links(window.store)):
            self.index.start()
            self.show_index_state()

    # -- knowledge bases -------------------------------------------------------------------

    @property
    def kb(self) -> ActorKB:
        """The shipped actors and the project's own (read again for another project)."""
        store = self.window.store
        if self._kb is None or self._kb[0] is not store:
            self._entries.clear()
            self._actors = project_actors(store)
            try:
                self._kb = (store, project_kb(self._actors))
            except ActorError as error:  # a project actor that cannot be read
                self.window.show_problem(str(error))
                self._kb = (store, project_kb([]))
        return self._kb[1]

    def actors_changed(self) -> None:
        """The project's actors were changed (Project → Actors…, here or elsewhere): read
        them again."""
        self._kb = None
        self.window.span_model.references_changed()

    def actors_changed_elsewhere(self) -> bool:
        """Whether the project's actors differ from those last read (another window or
        ``annotator actors`` renamed one: the links kept the old name until a reopen)."""
        return self._kb is not None and project_actors(self.window.store) != self._actors

    def entry(self, kb_id: str) -> Entry | None:
        """The entry ``kb_id`` names (remembered: the span list asks at every repaint)."""
        kb = self.kb  # (a new knowledge base forgets what was remembered)
        key = (kb_id, self.index.gazetteer is not None)
        if key not in self._entries:
            if len(self._entries) > 5000:
                self._entries.clear()
            self._entries[key] = describe(kb_id, self.index.gazetteer, kb)
        return self._entries[key]

    # -- the span list ---------------------------------------------------------------------

    def describe(self, span: Span) -> Reference | None:
        """What the span list shows in "Refers to"."""
        if span.kb_id:
            if span.kb_id.startswith("geonames:") and not self.index.is_ready:
                return Reference(span.kb_id, f"{span.kb_id}\n{BUILDING_NOTE}", "#777777")
            entry = self.entry(span.kb_id)
            if entry is None:
                return Reference(f"? {span.kb_id}", f"{span.kb_id}: no such entry", "#b71c1c")
            tip = f"{entry.label}\n{entry.kind} · {entry.detail}"
            kb_id, note = self.notes.get(span.key, ("", ""))
            if note and kb_id == span.kb_id:
                tip += f"\nNote: {note}"
                if note_warns(note):  # a name used outside its period
                    return Reference(f"⚠ {_short_label(entry)}", tip, "#e65100")
            return Reference(_short_label(entry), tip)
        if span.label not in (LOCATION, FACTION):
            return None
        status = self.statuses.get(span.key, "")
        if status == AMBIGUOUS:
            found = self.candidates.get(span.key)
            many = "s" if found and len(found) != 1 else ""
            text = f"? ambiguous: {len(found)} candidate{many}" if found else "? ambiguous"
            tip = "\n".join(entry.label for entry in found or ()) or "Press L to choose"
            return Reference(text, f"{tip}\n(L to choose)", "#e65100")
        if status == UNKNOWN and span.label == FACTION:  # actors are no gazetteer's
            kb_id, note = self.notes.get(span.key, ("", ""))
            if note and not kb_id:  # "no state forces known then": the actor is no news
                return Reference(f"? {note}", "Press L to choose an entry", "#8a8a8a")
        if status in (UNKNOWN, GENERIC):  # (a generic phrase is no question)
            said = verdict_words(status, span.label)
            text = said if status == GENERIC else f"? {said}"
            return Reference(text, "Press L to choose an entry", "#8a8a8a")
        return Reference(NO_ENTRY, "Refers to no entry yet: press L to choose one", "#b0b0b0")

    def _article_shown(self, article_id: int) -> None:
        window = self.window
        current = window.current
        read = current.read_with_it.take_link_statuses() if current is not None else None
        if read is None:
            store, annotator = window.store, window.annotator
            read = window.try_write(lambda: read_link_statuses(store, article_id, annotator))
        self.statuses = read or {}
        self.candidates = {}
        store, annotator = window.store, window.annotator
        self.notes = window.try_write(lambda: linker_notes(store, article_id, annotator)) or {}
        if current is not None and self._needs_places(current.spans):
            self.index.start()
            self.show_index_state()
        self._find_candidates()
        self.places.refresh()

    def spans_changed(self, removed: list[Span], added: list[Span]) -> None:
        """A span edit was written (or undone): the verdicts of the spans it wrote, as
        stored. (After ``=`` the other mentions showed "–" while the project held the
        name's "not in the gazetteer", until the article was opened again.)"""
        for span in removed:
            self.statuses.pop(span.key, None)
            # (a suggestion's candidates outlived it: "Tine" deleted and labelled again by
            # hand opened the dialog on the suggestion's first candidate, a town in France)
            self.candidates.pop(span.key, None)
        for span in added:
            if span.link_status:
                self.statuses[span.key] = span.link_status
        if any(s.link_status == AMBIGUOUS and s.key not in self.candidates for s in added):
            self._find_candidates()  # an undone deletion: counted again

    def spans_stored(self, spans: list[Span]) -> None:
        """The open article's spans as another window left them: their verdicts too."""
        self.statuses = {s.key: s.link_status for s in spans if s.link_status}
        self.candidates = {
            key: found
            for key, found in self.candidates.items()
            if self.statuses.get(key) == AMBIGUOUS
        }

    def _needs_places(self, spans) -> bool:
        return any(
            s.kb_id.startswith("geonames:") or self.statuses.get(s.key) == AMBIGUOUS for s in spans
        )

    def _find_candidates(self) -> None:
        """Look for the linker's candidates for the open article's ambiguous spans, off the
        GUI thread (``link_candidates.py``)."""
        current = self.window.current
        self._candidates.forget()
        if current is None or current.loading or not self.index.is_ready:
            return
        entities = linked_with(current.spans, self.statuses)
        if entities:
            article = current.article
            token = (article.id, current)
            gazetteer, kb = self.index.gazetteer, self.kb  # (the kb reads the project: here)
            self._candidates.start(token, article.text, entities, article.published, gazetteer, kb)

    def _candidates_found(self, token: object, found: list) -> None:
        current = self.window.current
        if self._candidates.is_latest(token) and current is not None:
            found_for = candidate_entries(current.spans, self.statuses, found, self.entry)
            self.candidates.update(found_for)
            self.window.span_model.references_changed()

    # -- the place index -------------------------------------------------------------------

    def _index_ready(self) -> None:
        self.show_index_state()
        self._find_candidates()
        self.window.span_model.references_changed()
        self.places.refresh()
        if self.dialog is not None:
            self.dialog.set_note("")
            self.dialog.refresh()

    def _index_failed(self, message: str) -> None:
        self.show_index_state()
        self.window.show_problem(message)
        self.map.show_message(message)

    def show_index_state(self) -> None:
        building = self.index.state == BUILDING
        self.index_label.setText("Building the place index…" if building else "")
        self.index_label.setVisible(building or self.index.state == FAILED)
        if self.index.state == FAILED:
            self.index_label.setText("No place index")
        if building:
            self.map.show_message(BUILDING_NOTE)

    # -- the link dialog (``link_choosing.py``) ----------------------------------------------

    def open_dialog(self) -> None:
        """L on a selected span: choose what it refers to."""
        open_link_dialog(self)

    def link(self, span: Span, kb_id: str) -> bool:
        """Make ``span`` refer to ``kb_id`` (``""``: to nothing; a key of ``VERDICT_OF``: to
        nothing, for the reason it gives: not in the gazetteer or the actors, generic), as
        one undoable edit."""
        window = self.window
        current = window.current
        status = self.statuses.get(span.key, "")
        verdict = VERDICT_OF.get(kb_id, "")
        kb_id = "" if verdict else kb_id
        if current is None or (kb_id, verdict) == (span.kb_id, "" if span.kb_id else status):
            return False  # said so already ("No entry" settles an ambiguous name)
        shown = " ".join(span.text(current.article.text).split())[:40]
        entry = self.entry(kb_id) if kb_id else None
        what = (
            f"link “{shown}” to {_short_label(entry) if entry else kb_id}"
            if kb_id
            else f"“{shown}” is {verdict_words(verdict, span.label)}"
            if verdict
            else f"clear the link of “{shown}”"
            if span.kb_id
            else f"“{shown}” refers to no entry"
        )
        ids = window.history.ids
        # On an article not started yet, the link is its first edit: it starts it too.
        command = LinkChange(window.store, self, ids, current.id, span, kb_id, what, verdict)
        return window.push(with_start(window, command))

    # -- what commands report --------------------------------------------------------------

    def link_changed(self, article_id: int, span: Span, status: str) -> None:
        """A link was written (an edit, its undo or redo): show it where the reader is."""
        window = self.window
        window.source.forget(article_id)  # a copy read ahead holds the link it had
        current = window.current
        if current is None or current.id != article_id or current.loading:
            window.open_article(article_id)
            return
        current.spans = [span if s.id == span.id else s for s in current.spans]
        self.statuses[span.key] = status
        if status == AMBIGUOUS and span.key not in self.candidates:
            # A name made by hand, left ambiguous: its candidates counted as a suggestion's
            # are (it read "? ambiguous" until the article was opened again)
            self._find_candidates()
        window.editor.select_span(span)
        window.editor.refresh_span_list_soon()
        window.statusBar().showMessage(
            f"Refers to {_short_label(e) if (e := self.entry(span.kb_id)) else span.kb_id}"
            if span.kb_id
            else _sentence(verdict_words(status, span.label))
            if status in VERDICT_OF.values()
            else "Refers to no entry",
            4000,
        )

    def edit_failed(self, message: str) -> None:
        self.window.edit_failed(message)


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]  # "Generic: no one actor"


def _short_label(entry: Entry) -> str:
    """ "Kassab, Latakia, SY"; "Hayat Tahrir al-Sham (Q…)" for an actor with a Wikidata
    item, "… (project)" for the project's own, the name alone for the program's."""
    if not entry.kb_id.startswith(("wikidata:", "annotator:", "project:")):
        return entry.label
    name = entry.label.rsplit(" (", 1)[0]
    prefix, _, rest = entry.kb_id.partition(":")
    return {"wikidata": f"{name} ({rest})", "project": f"{name} (project)"}.get(prefix, name)
