"""Reading an article is not working on it: the list counts suggestions before an article is
opened, opening one leaves it ``todo``, and the first edit starts it, in one undo step,
also with two windows on the project."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.storage import Store
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import ARTICLES, select_text, show_active

TEXT = ARTICLES[0][1]
FORCES = TEXT.index("Government forces")
ALEPPO = TEXT.index("Aleppo on")
UNDO = Qt.KeyboardModifier.ControlModifier
REDO = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.view, key, modifier)


def stored(window):
    return sorted(s.key for s in window.store.spans(window.current.id, window.annotator))


def shown(window):
    return sorted(s.key for s in window.current.spans)


def spans_column(window, row: int):
    model = window.article_model
    return model.data(model.index(row, 2)), model.data(
        model.index(row, 2), Qt.ItemDataRole.ToolTipRole
    )


def test_the_list_counts_suggestions_of_articles_not_started(qtbot, window, project):
    project.add_suggestions([(window.article_model.rows[1].id, [])], "test-model-1")
    count, tip = spans_column(window, 0)
    assert count == "3" and "3 suggestions, not looked at yet" in tip
    assert spans_column(window, 1)[0] == "0"
    select_text(window.view, TEXT.index("rebel"), TEXT.index("rebel") + 5)
    press(qtbot, window, Qt.Key.Key_2)
    assert spans_column(window, 0)[0] == "4"  # now the annotator's own spans
    assert window.article_model.rows[0].status == "in_progress"


def test_the_list_writes_its_counts_in_the_programs_digits_whatever_the_locale(qtbot, window):
    """Under an Arabic locale the Spans column showed ٣ (Qt wrote the number in the locale's
    digits), every other figure of the program 0–9."""
    from PySide6.QtCore import QLocale

    arabic = QLocale(QLocale.Language.Arabic, QLocale.Country.Egypt)
    delegate = window.article_list.itemDelegate()
    assert delegate.displayText(spans_column(window, 0)[0], arabic) == "3"


def test_reading_articles_one_after_another_marks_none_in_progress(qtbot, window):
    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_N)
    window.clock.save_now()
    assert window.store.status_counts("ana")["todo"] == 3
    assert [row.status for row in window.article_model.rows] == ["todo"] * 3


def test_edits_after_the_first_undo_and_redo_through_the_start(qtbot, window):
    window._span_clicked(ALEPPO + 2)  # noqa: SLF001 - as a click
    press(qtbot, window, Qt.Key.Key_Delete)  # the first edit: starts the article
    window._span_clicked(FORCES + 2)  # noqa: SLF001
    press(qtbot, window, Qt.Key.Key_1)  # relabel a copied suggestion
    after = stored(window)
    assert (FORCES, FORCES + 17, "LOCATION") in after and len(after) == 2
    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_Z, UNDO)
    assert stored(window) == [] and len(shown(window)) == 3
    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_Z, REDO)
    assert stored(window) == after == shown(window)
    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_Z, UNDO)
    assert stored(window) == [] and window.store.status(window.current.id, "ana").status == "todo"
    assert not window.message_bar.isVisible()


def test_an_article_started_in_another_window_is_not_started_twice(qtbot, window, project):
    # (this window must not look before its own edit: its watcher, on a loaded machine,
    # noticed the other window's write first, and there was nothing to refuse)
    window.watcher.stop()
    other = MainWindow(Store(project.path), "ana")
    qtbot.addWidget(other)
    try:
        show_active(qtbot, other)
        other._span_clicked(ALEPPO + 2)  # noqa: SLF001
        press(qtbot, other, Qt.Key.Key_Delete)  # the other window starts on it
        assert len(stored(other)) == 2
        show_active(qtbot, window)  # this one still shows the suggestions, until it looks
        window._span_clicked(FORCES + 2)  # noqa: SLF001
        press(qtbot, window, Qt.Key.Key_Delete)
        assert "started in another window" in window.message_bar.text()
        assert shown(window) == stored(window) == stored(other)  # it shows what is saved
        assert not window.undo_stack.canUndo()
        window._span_clicked(FORCES + 2)  # noqa: SLF001 - again, on the stored span
        press(qtbot, window, Qt.Key.Key_Delete)
        assert len(stored(window)) == 1
    finally:
        other.close()
        other.store.close()


def test_the_next_article_s_span_list_starts_at_its_first_span(qtbot, tmp_path):
    """The list was left scrolled where the last article's was, its first spans hidden."""
    from annotator.core import Article, Span

    text = " ".join(f"Town{i} was shelled." for i in range(60))
    spans = [Span(text.index(f"Town{i} "), text.index(f"Town{i} ") + len(f"Town{i}"), "LOCATION")
             for i in range(60)]  # fmt: skip
    store = Store(tmp_path / "many.db")
    ids = store.add_articles([Article(text, title="One"), Article(text + " ", title="Two")]).ids
    store.add_suggestions([(i, spans) for i in ids], "m-1")
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    window.resize(1200, 700)
    show_active(qtbot, window)
    table = window.span_list
    qtbot.waitUntil(lambda: window.span_model.rowCount() == 60)
    bar = table.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    press(qtbot, window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.current.id == ids[1] and window.span_model.article_id == ids[1])
    assert bar.value() == 0
    window.close()
    store.close()


def test_a_damaged_page_under_the_list_is_said_once_not_at_every_paint(qtbot, window):
    """A damaged index page: the article list raised on every repaint (70 tracebacks in a
    few seconds) and the window said nothing."""
    from annotator.storage.errors import CorruptProject

    calls = []

    def damaged(ids):
        calls.append(ids)
        raise CorruptProject("project.db: the project file is damaged")

    model = window.article_model
    model.set_rows(list(model.rows))  # nothing counted yet
    model.count_suggestions = damaged
    for _ in range(3):  # three paints
        assert [model.suggestions(row) for row in range(len(model.rows))] == [0] * len(model.rows)
    assert len(calls) == 1
    assert "Suggestions not counted" in window.message_bar.text()
    assert "damaged" in window.message_bar.text()


def test_a_list_that_cannot_be_read_keeps_its_rows_and_says_why(qtbot, window, monkeypatch):
    from annotator.storage.errors import CorruptProject

    def damaged(*args, **kwargs):
        raise CorruptProject("project.db: the project file is damaged")

    rows = list(window.article_model.rows)
    monkeypatch.setattr(window.store, "article_list", damaged)
    # (another program wrote: the list is read again, not filtered from what it holds)
    monkeypatch.setattr(window.store, "article_list_key", lambda annotator: ("written",))
    window.refresh_article_list()  # no traceback
    assert window.article_model.rows == rows
    assert "damaged" in window.message_bar.text()


def test_a_list_that_cannot_be_read_is_not_called_an_empty_project(qtbot, project, monkeypatch):
    """A damaged page under the list: the status bar said "This project has no articles
    yet: File → Import…" beside "0 / 20 done"."""
    from annotator.storage.errors import CorruptProject
    from annotator.ui.main_window import MainWindow

    def damaged(*args, **kwargs):
        raise CorruptProject("project.db: the project file is damaged")

    monkeypatch.setattr(project, "article_list", damaged)
    window = MainWindow(project, "ana")
    qtbot.addWidget(window)
    assert "damaged" in window.message_bar.label.text()
    assert "no articles yet" not in window.statusBar().currentMessage()


def test_active_time_a_full_disk_refused_goes_with_the_next_save(qtbot, window, monkeypatch):
    """Seconds whose save failed when the article changed were dropped: 38 s shown, none
    stored once the disk had room again."""
    from annotator.storage.errors import DiskFull

    store = window.store
    first = window.current.id
    add = store.add_active_time

    def disk_full(*args, **kwargs):
        raise DiskFull("project.db: the disk is full; the last change was not saved")

    monkeypatch.setattr(store, "add_active_time", disk_full)
    window.clock._active = 38  # noqa: SLF001 - seconds counted on the first article
    press(qtbot, window, Qt.Key.Key_N)  # the next article: its save is refused
    second = window.current.id
    assert second != first
    monkeypatch.setattr(store, "add_active_time", add)  # room again
    window.clock._active = 5  # noqa: SLF001
    window.clock.save_now()
    assert store.status(first, "ana").seconds_active == 38
    assert store.status(second, "ana").seconds_active == 5


def test_the_clock_counts_while_a_dialog_of_the_window_is_in_front(qtbot, window, monkeypatch):
    """Choosing an entry with L (a dialog in front) counted no time: 21 s of work, 2 s."""
    from PySide6.QtWidgets import QDialog, QWidget

    from annotator.ui import clock

    clock_ = window.clock
    dialog = QDialog(window)
    other = QWidget()  # another program's window, say: not ours
    qtbot.addWidget(other)
    for active, counts in ((dialog, True), (QDialog(other), False), (None, False)):
        monkeypatch.setattr(clock.QApplication, "activeWindow", staticmethod(lambda a=active: a))
        before = clock_._active  # noqa: SLF001
        clock_._last_input = clock.time.monotonic()  # noqa: SLF001 - touched just now
        clock_._tick()  # noqa: SLF001 - a second passes
        assert (clock_._active > before) is counts, active  # noqa: SLF001


def test_the_clock_counts_while_a_dialog_that_names_a_window_has_a_picker_in_front(
    qtbot, window, monkeypatch
):
    """Train… → Start from: A pipeline folder…: with the picker open each tick raised
    "'MainWindow' object is not callable" (the Train dialog's ``window`` hid
    QWidget.window()), a traceback a second in errors.log, and the clock stood still."""
    from PySide6.QtWidgets import QDialog, QFileDialog

    from annotator.ui import clock

    naming = QDialog(window)
    naming.window = window  # type: ignore[method-assign] - what any dialog of ours may do
    picker = QFileDialog(naming)
    monkeypatch.setattr(clock.QApplication, "activeWindow", staticmethod(lambda: picker))
    clock_ = window.clock
    before = clock_._active  # noqa: SLF001
    clock_._last_input = clock.time.monotonic()  # noqa: SLF001 - touched just now
    clock_._tick()  # noqa: SLF001 - a second passes
    assert clock_._active > before  # noqa: SLF001


def test_the_train_dialog_and_the_model_panel_keep_qts_window(window):
    """Their ``window`` attribute (the main window) hid QWidget.window() from Qt's code
    and ours: the clock's call on the Train dialog raised."""
    from annotator.ui.model_dialog import show_train_dialog

    train_dialog = show_train_dialog(window)
    assert train_dialog.window() is train_dialog
    assert window.model_panel.window() is window
    train_dialog.close()


def test_reading_the_next_article_ahead_on_a_damaged_page_prints_no_traceback(
    qtbot, window, monkeypatch
):
    """A zeroed page under the next article's suggestions: the read ahead (a timer's)
    raised CorruptProject into Qt's event loop, a traceback on stderr; opening that article
    says what is wrong."""
    from annotator.storage.errors import CorruptProject

    def damaged(*_args, **_kwargs):
        raise CorruptProject("project.db: the project file is damaged")

    monkeypatch.setattr(window.store, "open_article", damaged)
    window.source.read_ahead_soon(window.article_model.rows[1].id)
    window.source._read_ahead()  # noqa: SLF001 - what the timer calls
    assert window.source.ahead is None


def test_an_article_that_cannot_be_read_says_it_was_not_opened(qtbot, window, monkeypatch):
    """A damaged page under the next article: "Not saved: … damaged", though nothing was
    being saved, only an article opened."""
    from annotator.storage.errors import CorruptProject

    def damaged(*_args, **_kwargs):
        raise CorruptProject("project.db: the project file is damaged")

    monkeypatch.setattr(window.store, "open_article", damaged)
    window.source.ahead = None  # (not read ahead before the page was damaged)
    window.open_article(window.article_model.rows[2].id)
    assert window.message_bar.text() == (
        "Could not open it: project.db: the project file is damaged."
    )


def test_an_article_list_that_cannot_be_read_says_so(qtbot, window, monkeypatch):
    """A damaged page under the list at opening said "Not saved: … damaged" (nothing was
    being saved) over an empty list."""
    from annotator.storage.errors import CorruptProject

    def damaged(*_args, **_kwargs):
        raise CorruptProject("project.db: the project file is damaged")

    monkeypatch.setattr(window.store, "article_list", damaged)
    window.articles._read_with = None  # noqa: SLF001 - (read again, not the rows read before)
    window.refresh_article_list()
    assert window.message_bar.text() == (
        "Could not read the article list: project.db: the project file is damaged."
    )
