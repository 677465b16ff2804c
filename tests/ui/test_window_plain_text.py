"""Titles, sources, URLs, label and annotator names come from outside: they are shown as
written, never as HTML, and an ``&`` is not a keyboard-shortcut marker."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QToolButton

from annotator.core import Article, Label, Span
from annotator.storage import Store
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import show_active

HOSTILE = '<img src=x><b>R&D</b> <a href="y">link</a>'


def might_be_rich(text: str) -> bool:
    """Qt's ``mightBeRichText`` (not in PySide6): a tag before the first line break."""
    return re.match(r"[^\n<]*<[!a-zA-Z][^>]*>", text) is not None


def as_qt_shows(text: str) -> str:
    """What Qt displays for a tooltip or label text it takes for HTML."""
    if not might_be_rich(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def shown_by(label: QLabel) -> str:
    """The characters a label puts on screen (rich text is rendered, as Qt does)."""
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and might_be_rich(label.text())
    )
    if not rich:
        return label.text()
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def test_markup_in_titles_sources_and_label_names_shows_literally(qtbot, tmp_path):
    store = Store(tmp_path / "hostile.db")
    text = "Rebels took the R&D centre near Kidal."
    (article_id,) = store.add_articles(
        [
            Article(
                text,
                title=HOSTILE,
                source="<i>Reuters</i> & co",
                url="http://x/?a=1&b=2",
                meta={"event_type": "<b>Battles</b>", "fatalities": 3, "actors": ["A", "B"]},
            )
        ]
    ).ids
    store.save_label(Label("R&D", "entity", "#336699", "4", "<b>Research</b> sites & labs"))
    store.add_suggestions([(article_id, [Span(16, 19, "R&D")])], "m")
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)

    title, meta = window.title_label, window.centre.meta_label
    assert shown_by(title) == HOSTILE
    assert shown_by(meta).startswith("<i>Reuters</i> & co · http://x/?a=1&b=2")
    # the article's metadata, shown nowhere before: counted, and listed in the tooltip
    assert shown_by(meta).endswith("characters, 3 more fields)")
    assert as_qt_shows(meta.toolTip()) == (
        'event_type: <b>Battles</b>\nfatalities: 3\nactors: ["A", "B"]'
    )

    action = window.label_actions["R&D"]
    assert action.iconText() == "R&D"  # what a toolbar or button shows; "RD" if unescaped
    button = next(b for b in window.legend.findChildren(QToolButton) if b.defaultAction() is action)
    assert as_qt_shows(button.toolTip()) == "R&D: <b>Research</b> sites & labs"  # its name too
    assert as_qt_shows(action.toolTip()) == "<b>Research</b> sites & labs (4)"

    model = window.article_model
    tip = model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    assert as_qt_shows(tip) == f"{HOSTILE}\nstatus: todo\n1 suggestion, not looked at yet"
    assert model.data(model.index(0, 1)) == HOSTILE
    span_tip = window.span_model.data(window.span_model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    assert as_qt_shows(span_tip) == "R&D"

    window.apply_label("R&D")  # nothing selected: says so, in plain words
    window.editor.select_span(window.current.spans[0])
    window.apply_label("LOCATION")
    # The menu's text escapes the name ("R&&D" shows as "R&D"), the tooltip names it as
    # it is, and the toolbar's button says the verb alone.
    assert window.action_undo.text() == "&Undo relabel R&&D → LOCATION"
    assert as_qt_shows(window.action_undo.toolTip()) == "Undo relabel R&D → LOCATION"
    assert window.action_undo.iconText() == "Undo"


def test_annotator_names_in_the_review_window_show_literally(qtbot, tmp_path):
    from annotator.ui.review_window import ReviewWindow

    store = Store(tmp_path / "names.db")
    text = "Rebels shelled Idlib and Ariha."
    (article_id,) = store.add_articles([Article(text, title=HOSTILE)]).ids
    names = ["<b>ana</b>", "ben & co"]
    for name, label in zip(names, ("LOCATION", "FACTION"), strict=True):
        store.add_span(article_id, name, Span(15, 20, label))
        store.set_status(article_id, name, "done")
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    show_active(qtbot, window)
    assert shown_by(window.title_label) == HOSTILE
    lanes = [shown_by(label) for label in window.lanes.lane_names]
    assert lanes == ["1 · <b>ana</b>", "2 · ben & co"]
    assert "1 <b>ana</b>, 2 ben & co" in shown_by(window.where_label)
    window.close()
    store.close()


def test_a_long_label_name_reads_whole_in_the_span_list(qtbot, tmp_path):
    """ARMED_GROUP read "ARM…OUP" in the span list's Label column, where the window says a
    span's label in words; a name past reason is still cut in the middle, not the text."""
    from PySide6.QtWidgets import QStyle

    store = Store(tmp_path / "long.db")
    (article,) = store.add_articles([Article("Rebels took Kidal on Monday.")]).ids
    store.save_label(Label("ARMED_GROUP", "entity", "#336699", "", ""))
    store.replace_spans(article, "ana", [Span(0, 6, "ARMED_GROUP"), Span(12, 17, "LOCATION")])
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    view = window.span_list
    qtbot.waitUntil(lambda: window.span_model.rowCount() == 2)
    # What Qt draws in a cell: its width less a margin each side, cut in the middle to fit.
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    room = view.columnWidth(0) - 2 * margin
    shown = view.fontMetrics().elidedText("ARMED_GROUP", Qt.TextElideMode.ElideMiddle, room)
    assert shown == "ARMED_GROUP"
    assert window.span_model.data(window.span_model.index(0, 0)) == "ARMED_GROUP"

    store.save_label(Label("A_LABEL_NAME_OF_FORTY_CHARACTERS_AT_MOST", "entity", "#aa3366"))
    window.reload_labels()
    assert view.columnWidth(0) <= 24 * view.fontMetrics().averageCharWidth()
    window.close()
    store.close()


def test_the_list_the_keys_go_to_is_framed(qtbot, window):
    """F6 to the span list changed nothing one could see but a faint dotted row."""
    table = window.span_list
    window.view.setFocus()
    qtbot.waitUntil(lambda: not table.hasFocus())
    unfocused = table.grab().toImage()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    focused = table.grab().toImage()
    middle = table.height() // 2
    assert focused.pixelColor(0, middle) != unfocused.pixelColor(0, middle)
    assert focused.pixelColor(0, middle) == table.palette().highlight().color()
