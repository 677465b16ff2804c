"""Project → Actors…: the project's own actors (the link dialog's New faction…) listed and
changed from the window, each change undoable, the window and the linker reading them again
(a misspelt name, a missing alias or a wrong country stayed for good)."""

from __future__ import annotations

import pytest

from annotator.nlp.preannotate import project_kb_of
from annotator.storage import Store
from annotator.storage.links import add_project_actor, project_actors, set_span_link, span_links
from annotator.storage.project_actors import change_project_actor
from annotator.ui.actors_dialog import ActorsDialog
from tests.ui.conftest import ARTICLES, open_window

TEXT = ARTICLES[0][1]
MINE = "project:liwa-al-tahrir"
RECORD = {
    "id": MINE,
    "name": "Liwa al-Tahrirr",
    "kind": "armed group",
    "names": [{"names": ["Liwa al-Tahrirr"]}],
    "countries": ["LY"],
}


@pytest.fixture
def window(qtbot, project):
    """ana's window on an article whose "Hayat Tahrir al-Sham" she linked to the project's
    own actor."""
    add_project_actor(project, RECORD, "ana")
    article = project.article_ids()[0]
    project.start_article(article, "ana")
    [span] = [s for s in project.open_article(article, "ana") if s.text(TEXT).startswith("Hayat")]
    set_span_link(project, span.id, MINE)
    yield from open_window(qtbot, project, rows=3)


@pytest.fixture
def dialog(qtbot, window):
    window.named_actions["actionActors"].trigger()  # Project → Actors…
    shown = window.findChild(ActorsDialog, "actorsDialog")
    qtbot.waitExposed(shown)
    yield shown
    shown.close()


def rows(dialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def refers_to(window) -> str:
    model = window.span_model
    span = next(s for s in window.current.spans if s.text(TEXT) == "Hayat Tahrir al-Sham")
    return model.data(model.index(model.row_of(span.id), 2))


def undo(window) -> None:
    window.named_actions["actionUndo"].trigger()


def test_the_project_menu_lists_the_projects_actors(window, dialog):
    assert window.named_actions["actionActors"] in window.menus["&Project"].actions()
    assert rows(dialog) == [["Liwa al-Tahrirr", "", "LY", "1", MINE]]


def test_the_actors_are_listed_by_name_as_read(qtbot, window):
    """Case and accents do not count: "Şam Legion" came after "Unused Front"."""
    for kb_id, name in (("project:uf", "Unused Front"), ("project:sl", "Şam Legion")):
        add_project_actor(window.store, {"id": kb_id, "name": name}, "ana")
    window.named_actions["actionActors"].trigger()
    shown = window.findChild(ActorsDialog, "actorsDialog")
    qtbot.waitExposed(shown)
    try:
        assert [row[0] for row in rows(shown)] == ["Liwa al-Tahrirr", "Şam Legion", "Unused Front"]
    finally:
        shown.close()


def test_a_rename_shows_in_the_window_and_is_undone_with_ctrl_z(qtbot, window, dialog):
    assert refers_to(window) == "Liwa al-Tahrirr (project)"
    assert dialog.rename_selected("Liwa al-Tahrir")
    assert project_actors(window.store)[0]["names"] == [{"names": ["Liwa al-Tahrir"]}]
    assert rows(dialog)[0][0] == "Liwa al-Tahrir"
    qtbot.waitUntil(lambda: refers_to(window) == "Liwa al-Tahrir (project)")
    undo(window)
    assert project_actors(window.store) == [RECORD]
    assert rows(dialog)[0][0] == "Liwa al-Tahrirr"
    qtbot.waitUntil(lambda: refers_to(window) == "Liwa al-Tahrirr (project)")


def test_an_alias_and_countries_reach_the_link_search_and_the_next_suggestion_run(window, dialog):
    assert dialog.add_alias("Tahrir Brigade")
    assert dialog.set_countries("Libya, tn")
    assert rows(dialog) == [["Liwa al-Tahrirr", "Tahrir Brigade", "LY, TN", "1", MINE]]
    assert [a.kb_id for a in window.entity_links.kb.by_name("Tahrir Brigade")] == [MINE]
    kb = project_kb_of(window.store)  # what preannotate's linker reads
    assert kb is not None and [a.kb_id for a in kb.by_name("Tahrir Brigade")] == [MINE]
    assert dialog.remove_alias("tahrir brigade")
    assert window.entity_links.kb.by_name("Tahrir Brigade") == []


def test_a_change_the_rules_refuse_is_said_and_is_no_edit(window, dialog):
    steps = window.history.stack.count()
    assert not dialog.add_alias("HTS")
    assert dialog.problem.isVisible()
    assert dialog.problem.text() == (
        "HTS is a name of Hayat Tahrir al-Sham (annotator:hayat-tahrir-al-sham) already"
    )
    assert not dialog.set_countries("Narnia")
    assert dialog.problem.text().startswith("Not a country: Narnia")
    assert window.history.stack.count() == steps and project_actors(window.store) == [RECORD]


def test_removing_a_linked_actor_asks_unlinks_and_is_undone(qtbot, window, dialog):
    asked: list[str] = []

    def refuse(parent, question, what):
        asked.append(question)
        return False

    assert not dialog.remove_selected(confirm=refuse)
    assert "1 span of the project is linked to it: they will refer to no entry" in asked[0]
    assert project_actors(window.store) == [RECORD]
    assert dialog.remove_selected(confirm=lambda parent, question, what: True)
    assert project_actors(window.store) == [] and rows(dialog) == []
    assert dialog.problem.text().startswith("The project has no actors of its own")
    article = window.current.id
    assert span_links(window.store, article, "ana") == {}
    qtbot.waitUntil(lambda: refers_to(window) == "–")
    undo(window)
    assert project_actors(window.store) == [RECORD]
    assert list(span_links(window.store, article, "ana").values()) == [(MINE, "linked")]
    qtbot.waitUntil(lambda: refers_to(window) == "Liwa al-Tahrirr (project)")
    assert rows(dialog)[0][3] == "1"
    # the note that there are none goes with the actor come back (it stayed, red, under it)
    assert dialog.problem.isHidden() and dialog.problem.text() == ""


def test_a_rename_elsewhere_shows_when_the_window_follows_the_file(qtbot, window, project):
    """`annotator actors rename` (or another window's Actors…) while this window is open:
    its links kept the old name until the project was opened again."""
    other = Store(project.path)  # another program on the same file
    try:
        change_project_actor(other, {**RECORD, "name": "Liwa al-Tahrir"}, "ben")
    finally:
        other.close()
    window.watcher.poll()
    qtbot.waitUntil(lambda: refers_to(window) == "Liwa al-Tahrir (project)")


def change_elsewhere(project, **fields) -> None:
    """``annotator actors`` (or another window's Actors…) on the same file; this window's
    watcher not yet polled, the dialog still lists the copy it read."""
    other = Store(project.path)
    try:
        [now] = project_actors(other)
        change_project_actor(other, {**now, **fields}, "ben")
    finally:
        other.close()


def test_a_change_keeps_what_another_program_changed_since_the_list_was_read(window, dialog):
    """`annotator actors --alias … SSI` while the dialog was open, then Countries… in it:
    SSI was gone, the dialog's old copy written back whole."""
    change_elsewhere(window.store, names=[{"names": ["Liwa al-Tahrirr", "SSI"]}])
    assert rows(dialog)[0][1] == ""  # (not read again yet)
    assert dialog.set_countries("Libya, Tunisia")
    [record] = project_actors(window.store)
    assert record["names"] == [{"names": ["Liwa al-Tahrirr", "SSI"]}]
    assert record["countries"] == ["LY", "TN"]
    assert rows(dialog)[0][1:3] == ["SSI", "LY, TN"]


def test_another_windows_rename_stays_when_a_name_is_added_here(window, dialog):
    change_elsewhere(window.store, name="Liwa al-Tahrir", names=[{"names": ["Liwa al-Tahrir"]}])
    assert dialog.add_alias("Tahrir Brigade")
    [record] = project_actors(window.store)
    assert record["name"] == "Liwa al-Tahrir"
    assert record["names"] == [{"names": ["Liwa al-Tahrir", "Tahrir Brigade"]}]


def test_an_undo_after_a_change_elsewhere_is_refused_and_leaves_the_history(window, dialog):
    """Ctrl+Z wrote back the whole record the change replaced, undoing another program's
    change made since."""
    assert dialog.set_countries("Libya, Tunisia")
    change_elsewhere(window.store, names=[{"names": ["Liwa al-Tahrirr", "SSI"]}])
    steps = window.history.stack.count()
    undo(window)
    [record] = project_actors(window.store)
    assert record["names"] == [{"names": ["Liwa al-Tahrirr", "SSI"]}]
    assert record["countries"] == ["LY", "TN"]
    said = window.message_bar.text()
    assert said.startswith(
        f"Not saved: Liwa al-Tahrirr ({MINE}) was changed elsewhere (another window or program)"
    )
    assert "That step cannot be undone: it leaves the undo history." in said
    assert window.history.stack.count() == steps - 1


def test_a_change_names_the_actor_as_it_is_when_written(window, dialog):
    """Countries… while `annotator actors --rename` renamed the actor: the data was right,
    the status bar said "Set the countries of" the old name."""
    change_elsewhere(window.store, name="Liwa al-Tahrir", names=[{"names": ["Liwa al-Tahrir"]}])
    assert rows(dialog)[0][0] == "Liwa al-Tahrirr"  # (not read again yet)
    assert dialog.set_countries("Libya, Tunisia")
    assert window.statusBar().currentMessage() == "Set the countries of Liwa al-Tahrir"
    assert window.history.stack.undoText() == "set the countries of Liwa al-Tahrir"
    change_elsewhere(window.store, name="Tahrir Brigade", names=[{"names": ["Tahrir Brigade"]}])
    assert dialog.remove_selected(confirm=lambda *asked: True)
    assert window.statusBar().currentMessage() == "Remove actor Tahrir Brigade"


def test_the_dialog_and_its_buttons_fit_a_small_screen(dialog):
    """It opened 920 px wide on an 853-px screen (1280 x 720 scaled 150 %), its buttons cut
    at the edge: "Renam", "Countri", "Remov" (the tests' screen is 800 px)."""
    room = dialog.screen().availableGeometry()
    assert dialog.width() <= room.width()
    assert dialog.minimumSizeHint().width() <= room.width()
    for button in dialog.buttons.values():
        assert button.width() >= button.sizeHint().width()  # its words whole
        assert button.geometry().right() < dialog.width()
