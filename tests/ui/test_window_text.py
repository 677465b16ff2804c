"""What the article view shows, and offsets across emoji, Arabic, combining marks and CRLF."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import Article, Span
from annotator.core.offsets import Utf16Offsets
from annotator.storage import Store
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import select_text, show_active


def open_window(qtbot, tmp_path, *texts: str) -> MainWindow:
    store = Store(tmp_path / "texts.db")
    store.add_articles([Article(t, title=f"T{i}") for i, t in enumerate(texts)])
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    return window


def labelled(qtbot, window, start: int, end: int) -> list[str]:
    """Select code points [start, end) and press 1: the words of ana's spans then."""
    select_text(window.view, start, end)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    text = window.current.article.text
    return sorted(text[s.start : s.end] for s in window.store.spans(window.current.id, "ana"))


def test_a_word_after_emoji_and_arabic_is_stored_at_its_code_point_offsets(qtbot, tmp_path):
    text = "Activists 👨‍👩‍👧 🇸🇩 posted: قوات الدعم السريع 👍🏽 took Kobani overnight."
    window = open_window(qtbot, tmp_path, text)
    start = text.index("Kobani")
    select_text(window.view, start, start + len("Kobani"))
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    (span,) = window.store.spans(window.current.id, "ana")
    assert (span.start, span.end) == (start, start + 6)
    assert text[span.start : span.end] == "Kobani"
    # and the Arabic words themselves, selected in the view, store as Python offsets too
    arabic = text.index("قوات")
    select_text(window.view, arabic, arabic + len("قوات الدعم السريع"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    spans = {s.label: s for s in window.store.spans(window.current.id, "ana")}
    assert text[spans["FACTION"].start : spans["FACTION"].end] == "قوات الدعم السريع"


def test_combining_marks_and_crlf_keep_offsets(qtbot, tmp_path):
    from annotator.core import normalize_newlines

    text = normalize_newlines("Shelling hit H\u0323alab\r\nand the Kurdish YPG said so.")
    window = open_window(qtbot, tmp_path, text)
    start = text.index("H\u0323alab")
    assert labelled(qtbot, window, start, start + 6) == ["H\u0323alab"]


def test_a_place_selected_in_chinese_text_stays_the_place_not_the_clause(qtbot, tmp_path):
    """Chinese puts no spaces between words: English token rules made the whole clause one
    token, so 北京 selected and labelled became the 19 characters up to the full stop."""
    text = "据新华社报道，解放军在北京附近举行演习。 Fighting near Aleppo."
    window = open_window(qtbot, tmp_path, text)
    start = text.index("北京")
    assert labelled(qtbot, window, start, start + 2) == ["北京"]
    # a selection inside an English word still grows to the word
    aleppo = text.index("Aleppo")
    assert labelled(qtbot, window, aleppo + 1, aleppo + 3) == ["Aleppo", "北京"]


def test_a_name_between_direction_marks_is_labelled_without_the_marks_or_the_stop(qtbot, tmp_path):
    text = "Shelling near \u200eإدلب\u200e. More later."
    window = open_window(qtbot, tmp_path, text)
    start = text.index("إدلب")
    assert labelled(qtbot, window, start, start + 4) == ["إدلب"]


def test_markup_in_an_article_is_shown_literally(qtbot, tmp_path):
    text = (
        '<b>Breaking</b> &amp; <img src="http://example.invalid/x.png"> '
        "<script>alert(1)</script> Rebels &lt;claimed&gt; <a href='#'>Idlib</a>.\n\n<p>end"
    )
    window = open_window(qtbot, tmp_path, text)
    assert window.view.toPlainText() == text


def test_highlights_are_drawn_where_the_spans_are(qtbot, tmp_path):
    text = "Rebels 😀 shelled Idlib.\n\nThe army 🇸🇾 denied it, a spokesman said."
    store = Store(tmp_path / "h.db")
    (article_id,) = store.add_articles([Article(text)]).ids
    idlib = text.index("Idlib")
    army = text.index("The army")
    store.add_suggestions(
        [(article_id, [Span(idlib, idlib + 5, "LOCATION"), Span(army, army + 8, "FACTION")])], "m"
    )
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    offsets = Utf16Offsets(text)
    formatted = {}
    block = window.view.document().begin()
    while block.isValid():
        for fmt in block.layout().formats():
            begin = block.position() + fmt.start
            formatted[(begin, begin + fmt.length)] = fmt.format
        block = block.next()
    assert (offsets.to_utf16(idlib), offsets.to_utf16(idlib + 5)) in formatted
    second = (offsets.to_utf16(army), offsets.to_utf16(army + 8))
    assert second in formatted and formatted[second].background().color().alpha() > 0


def test_block_starts_match_the_documents_paragraphs(qtbot, tmp_path):
    text = "one 😀\n\ntwo\u2029three\u2028still three\nfour"
    window = open_window(qtbot, tmp_path, text)
    document = window.view.document()
    starts = []
    block = document.begin()
    while block.isValid():
        starts.append(block.position())
        block = block.next()
    assert starts == window.view.formats.block_starts


def test_qts_frame_marks_in_an_article_are_shown_as_replacement_characters(qtbot, tmp_path):
    """U+FDD0 and U+FDD1, kept by every importer, are Qt's frame marks: setPlainText broke
    paragraphs at them and the window crashed (IndexError) on opening the article."""
    text = "one \ufdd0 two \ufdd1 three: rebels took Idlib."
    window = open_window(qtbot, tmp_path, text)
    assert window.view.toPlainText() == text.replace("\ufdd0", "\ufffd").replace("\ufdd1", "\ufffd")
    assert window.view.document().blockCount() == 1 == len(window.view.formats.block_starts)
    start = text.index("Idlib")
    select_text(window.view, start, start + 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    (span,) = window.store.spans(window.current.id, "ana")
    assert text[span.start : span.end] == "Idlib"


def test_unconfirmed_suggestions_look_different_until_the_article_is_done(qtbot, tmp_path):
    from PySide6.QtGui import QTextCharFormat

    text = "Rebels shelled Idlib and Ariha on Monday."
    store = Store(tmp_path / "c.db")
    article_id, _ = store.add_articles([Article(text), Article("Second.")]).ids
    idlib, ariha = text.index("Idlib"), text.index("Ariha")
    store.add_suggestions([(article_id, [Span(idlib, idlib + 5, "LOCATION")])], "m")
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    show_active(qtbot, window)
    select_text(window.view, ariha, ariha + 5)
    qtbot.keyClick(window.view, Qt.Key.Key_1)  # a span of the annotator's own

    def format_at(offset):
        block = window.view.document().begin()
        for fmt in block.layout().formats():
            if fmt.start <= offset < fmt.start + fmt.length:
                return QTextCharFormat(fmt.format)  # a copy: the layout's is temporary
        return None

    suggested, own = format_at(idlib), format_at(ariha)
    dashed = QTextCharFormat.UnderlineStyle.DashUnderline
    assert suggested.underlineStyle() == dashed and own.underlineStyle() != dashed
    assert suggested.background().color().alpha() < own.background().color().alpha()
    window.action_done.trigger()  # done: what was kept is confirmed
    window.open_article(article_id)
    confirmed = format_at(idlib)
    assert confirmed.underlineStyle() != dashed
    assert confirmed.background().color().alpha() == own.background().color().alpha()


def test_span_edges_move_over_whole_emoji_never_into_one(qtbot, tmp_path):
    text = "Shelling near Aleppo 🇸🇾 on Monday; Hezbollah fighters 👨‍👩‍👧 👍🏽 left."
    window = open_window(qtbot, tmp_path, text)
    start = text.index("Aleppo")
    select_text(window.view, start, text.index(" on") + 3)  # "Aleppo 🇸🇾 on"
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    shift = Qt.KeyboardModifier.ShiftModifier
    stored = []
    for _ in range(2):  # narrow the end a token at a time: "on", then the whole flag
        qtbot.keyClick(window.view, Qt.Key.Key_Left, shift)
        (span,) = window.store.spans(window.current.id, "ana")
        stored.append(text[span.start : span.end])
    assert stored == ["Aleppo 🇸🇾", "Aleppo"]
    group = text.index("Hezbollah")
    select_text(window.view, group, group + len("Hezbollah fighters"))
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    for _ in range(2):  # widen the end over the family, then the thumb with its skin tone
        qtbot.keyClick(window.view, Qt.Key.Key_Right, shift)
    faction = next(s for s in window.store.spans(window.current.id, "ana") if s.label == "FACTION")
    assert text[faction.start : faction.end] == "Hezbollah fighters 👨‍👩‍👧 👍🏽"


def test_the_columns_keep_their_widths_whatever_an_articles_heading(qtbot, tmp_path):
    store = Store(tmp_path / "headings.db")
    store.add_articles(
        [
            Article("Shelling near Aleppo.", title="Aleppo", source="a.txt"),
            Article(
                "Clashes in Marib.",
                title="A long title " * 12,
                source="a_very_long_source_file_name_without_any_space_at_all_" * 4 + ".txt",
                url="https://example.invalid/" + "x" * 300,
            ),
        ]
    )
    window = MainWindow(store, "ana")
    qtbot.addWidget(window)
    window.resize(1200, 800)
    show_active(qtbot, window)
    widths = [window.splitter.sizes()]
    for action in (window.action_next, window.action_previous):  # the long heading, and back
        action.trigger()
        qtbot.wait(50)
        widths.append(window.splitter.sizes())
    assert widths[0] == widths[1] == widths[2]
    window.close()
    store.close()


def test_a_range_in_right_to_left_words_is_framed_where_its_words_are(qtbot, tmp_path):
    """The frame of a source (and a disagreement's box) went from the x of its first
    position to that of its last: in an Arabic name, around the word before it."""
    from annotator.ui.range_marks import range_rects

    text = "The leader (أبو محمد الجولاني) said the town fell. 😀 Then Idlib."
    window = open_window(qtbot, tmp_path, text)
    window.resize(1600, 900)  # the name on one line, whatever a first window's columns
    qtbot.waitUntil(lambda: window.view.width() > 600)
    view, units = window.view, Utf16Offsets(text)

    def frames(word: str) -> list[tuple[float, float]]:
        start = text.index(word)
        qt = units.to_utf16(start), units.to_utf16(start + len(word))
        return [(r.left(), r.right()) for r in range_rects(view, *qt, 10_000)]

    name, before = frames("محمد الجولاني"), frames("أبو")
    assert len(name) == 1 and len(before) == 1
    (left, right), (other_left, other_right) = name[0], before[0]
    assert right <= other_left + 1 or other_right <= left + 1  # side by side, not on it
    advance = view.fontMetrics().horizontalAdvance("محمد الجولاني")
    assert right - left >= 0.8 * advance
    (place,) = frames("Idlib")  # after the emoji, left to right: as before
    assert place[1] - place[0] >= 0.8 * view.fontMetrics().horizontalAdvance("Idlib")


def test_a_claims_link_reaches_a_source_that_ends_in_arabic(qtbot, tmp_path, monkeypatch):
    """The source's tag hangs after the Arabic name's closing letter; the link looked for
    it at the name's end, found nothing, and ran off the bottom of the view."""
    from annotator.core.relations import Relation
    from annotator.ui import relation_painter

    text = "The leader (أبو محمد الجولاني) said the town fell."
    window = open_window(qtbot, tmp_path, text)
    store, article = window.store, window.current.id
    name = text.index("محمد")
    source = store.add_span(article, "ana", Span(name, name + 13, "FACTION"))
    claim_at = text.index("the town fell")
    claim = store.add_span(article, "ana", Span(claim_at, claim_at + 13, "CLAIM"))
    store.add_relation(article, "ana", Relation(claim.id, source.id))
    window.reload_from_store()
    off_screen = []
    real_edge = relation_painter._edge_rect
    monkeypatch.setattr(
        relation_painter, "_edge_rect", lambda *a: off_screen.append(a) or real_edge(*a)
    )
    window._span_clicked(claim_at + 2)  # noqa: SLF001 - as a click
    assert window.view.tag_painter.joined
    window.view.viewport().grab()  # paints
    assert off_screen == []  # both ends found on screen


def test_a_spans_label_is_said_in_words_on_hovering_it_and_to_a_screen_reader(qtbot, window):
    """Colour alone said which label a span had (LOCATION and FACTION alike in greyscale),
    and a screen reader read the words of a span selected with Tab, not its label."""
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    text = window.current.article.text
    aleppo = text.index("Aleppo", 10)
    assert window.editor.span_tip(aleppo + 2).startswith("LOCATION: Aleppo")
    assert window.editor.span_tip(text.index("shelled")) is None
    view = window.view
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_utf16(aleppo + 2))
    point = view.cursorRect(cursor).center() + QPoint(-2, 0)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert QToolTip.text().startswith("LOCATION: Aleppo")
    span = next(s for s in window.current.spans if s.start == aleppo)
    window.editor.select_span(span)
    assert view.accessibleDescription().startswith("LOCATION: Aleppo")
