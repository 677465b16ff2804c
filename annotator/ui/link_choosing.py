"""L on a selected span (``EntityLinks.open_dialog``): the link dialog opened on what the
span refers to now, the searches it makes as a name is typed, a new faction made from it,
and the choice written as one undoable edit (``EntityLinks.link``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from annotator.core.model import Span
from annotator.kb import AMBIGUOUS, GENERIC, Entry, link_article
from annotator.kb.linking import ACTORS, ANY, PLACES
from annotator.kb.normalize import name_key
from annotator.storage.links import add_project_actor
from annotator.ui.commands import WRITE_ERRORS, failure_message
from annotator.ui.link_candidates import FACTION, LOCATION
from annotator.ui.link_dialog import (
    GENERIC_ACTOR,
    STILL_AMBIGUOUS,
    VERDICT_OF,
    LinkDialog,
    NewFactionDialog,
)
from annotator.ui.link_search import article_countries, search_entries
from annotator.ui.places_panel import BUILDING_NOTE
from annotator.ui.span_editor import SELECT_A_SPAN

if TYPE_CHECKING:
    from annotator.kb.places import Gazetteer
    from annotator.ui.entity_links import EntityLinks


def open_link_dialog(links: EntityLinks) -> None:
    """L on a selected span: the dialog, what the span refers to now picked."""
    window = links.window
    current = window.current
    span = window.editor.selected
    if current is None or span is None:
        window.statusBar().showMessage(f"{SELECT_A_SPAN}, then press L", 3000)
        return
    if window.kinds.get(span.label) != "entity":
        window.statusBar().showMessage(f"{span.label} spans do not refer to places or actors", 3000)
        return
    links.index.start()
    links.show_index_state()
    kind = PLACES if span.label == LOCATION else ACTORS if span.label == FACTION else ANY
    text = " ".join(span.text(current.article.text).split())
    initial = list(links.candidates.get(span.key, []))
    if span.kb_id and (entry := links.entry(span.kb_id)) is not None:
        initial.insert(0, entry)
    linkers_verdict = ""
    if not initial:
        initial, said = _linkers_answer(links, span)
        # The same words, the same verdict: a name made by hand that the linker finds
        # ambiguous is offered "Ambiguous", as a suggestion of it is ("troops" beside four
        # countries: its first candidate was picked, and Enter linked Nigeria's army).
        # So is one it finds generic ("gunmen" made by hand opened on the first entry, or
        # on "No entry", where a suggestion of it opened on "Generic").
        linkers_verdict = {AMBIGUOUS: STILL_AMBIGUOUS, GENERIC: GENERIC_ACTOR}.get(said, "")
    note = BUILDING_NOTE if kind != ACTORS and not links.index.is_ready else ""
    # The article's countries, read once per dialog (a keystroke searches again), once
    # the place index is there.
    countries = cache(lambda gazetteer: _article_countries(links, gazetteer, span))
    # (what it refers to now is picked: a span marked not listed or generic was "No
    # entry", and a reflex Enter took its verdict away)
    status = links.statuses.get(span.key)
    now = span.kb_id or next((c for c, v in VERDICT_OF.items() if v == status), "")
    dialog = LinkDialog(
        window, text, span.label, now, lambda q: _search(links, q, kind, countries),
        initial, note, factions=kind != PLACES, linkers_verdict=linkers_verdict,
    )  # fmt: skip
    dialog.newFactionRequested.connect(lambda: _new_faction(links, dialog, text))
    dialog.finished.connect(lambda result: _dialog_closed(links, dialog, span, result))
    links.dialog = dialog
    dialog.open()
    dialog.activateWindow()  # typing goes to its search box at once
    dialog.query.setFocus()


#: An article longer than this is not linked again on the GUI thread when L opens on one
#: of its names: the linker reads all its places (seconds for a report of a million
#: characters; ``link_candidates.py`` finds an ambiguous name's candidates off the thread).
LINK_AGAIN_CHARS = 50_000


def _linkers_answer(links: EntityLinks, span: Span) -> tuple[list[Entry], str]:
    """What the linker says of ``span`` now, its entry or its candidates, to list first, and
    its status (``ambiguous``…): a name made by hand ("army" in a Sudan article) was offered
    the entries named "Army…", a Syrian coalition picked on top, though the linker read it
    as Sudan's forces."""
    current, gazetteer = links.window.current, links.index.gazetteer
    if current is None or gazetteer is None or span.label not in (LOCATION, FACTION):
        return [], ""
    article = current.article
    if len(article.text) > LINK_AGAIN_CHARS:
        return [], ""
    context = [s for s in current.spans if s.label == LOCATION and s.key != span.key]
    spans = sorted([*context, span], key=lambda s: (s.start, s.end))
    found = link_article(article.text, spans, article.published, gazetteer, links.kb)
    link = next((f for f in found if (f.start, f.end) == (span.start, span.end)), None)
    if link is None:
        return [], ""
    ids = [link.kb_id] if link.kb_id else [c.kb_id for c in link.candidates]
    return [entry for entry in map(links.entry, ids) if entry is not None], link.status


def _search(
    links: EntityLinks, query: str, kind: str, countries: Callable[[Gazetteer], set[str]]
) -> list[Entry]:
    return search_entries(query, kind, links.index.gazetteer, links.kb, countries)


def _article_countries(links: EntityLinks, gazetteer: Gazetteer, linking: Span) -> set[str]:
    current = links.window.current
    if current is None:
        return set()
    return article_countries(gazetteer, current.article.text, current.spans, linking)


def _dialog_closed(links: EntityLinks, dialog: LinkDialog, span: Span, result: int) -> None:
    links.dialog = None
    dialog.deleteLater()
    # Keys go back to the article: the next span, the next label, L again.
    links.window.activateWindow()
    links.window.view.setFocus()
    if result == QDialog.DialogCode.Accepted and dialog.chosen is not None:
        links.link(span, dialog.chosen)


def _new_faction(links: EntityLinks, dialog: LinkDialog, name: str) -> None:
    window = links.window
    taken = set(links.kb.actors)
    known = {
        name_key(other): actor.label for actor in links.kb.actors.values() for other in actor.names
    }
    form = NewFactionDialog(dialog, name, taken, known)
    if form.exec() != QDialog.DialogCode.Accepted:
        if form.warned_of:  # "choose it in the list": the list shows it
            dialog.query.setText(form.warned_of)
        return
    record = form.record()
    try:
        add_project_actor(window.store, record, window.annotator)
    except WRITE_ERRORS as error:
        window.show_problem(failure_message(error))
        return
    links.actors_changed()  # read again, with the new actor
    window.statusBar().showMessage(f"{record['name']} added to the project's actors", 5000)
    dialog.choose(record["id"])
