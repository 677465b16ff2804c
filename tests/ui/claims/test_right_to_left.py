"""Arabic in the article: an English paragraph that starts with an Arabic name is laid out
left to right, and a tag after an Arabic name opens its gap after the name, not inside it
(its last letter was split off); an Arabic article is laid out right to left."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core import Article, Span
from annotator.core.relations import SpanRelation
from annotator.core.text import isolated, mostly_right_to_left
from annotator.storage import Store
from tests.ui.conftest import open_window, select_text

SDF = "قوات سوريا الديمقراطية"
TEXT = (
    "Fighting went on near Manbij on Monday, activists said.\n\n"
    f"{SDF} denied that Kurdish fighters had withdrawn from Manbij.\n\n"
    f"The Kurdish-led Syrian Democratic Forces ({SDF}) said it held the town."
)


def at(words: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return Span(start, start + len(words), label)


def gapped(view, position: int) -> list[int]:
    """The characters of ``position``'s paragraph given a gap (letter spacing) for a tag,
    as Qt positions."""
    block = view.document().findBlock(position)
    return sorted(
        block.position() + r.start
        for r in block.layout().formats()
        if r.format.fontLetterSpacing() > 0
    )


def test_arabic_names_in_an_english_article(qtbot, tmp_path):
    first, second = at(SDF, "FACTION"), at(SDF, "FACTION", 1)
    denied = at("Kurdish fighters had withdrawn from Manbij", "CLAIM")
    held = at("it held the town", "CLAIM")
    store = Store(tmp_path / "rtl.db")
    (article,) = store.add_articles([Article(TEXT, title="Manbij")]).ids
    with store.transaction():
        store.add_suggestions([(article, [first, denied, second, held])], "m")
        relations = [SpanRelation(denied, first), SpanRelation(held, second)]
        store.add_suggested_links([(article, relations, [])], "m")
    for window in open_window(qtbot, store, rows=4):
        view = window.view
        option = view.document().defaultTextOption()
        assert option.textDirection() == Qt.LayoutDirection.LeftToRight
        # The paragraph that starts in Arabic reads left to right: the name, then "denied".
        block = view.document().findBlock(first.start)
        line = block.layout().lineForTextPosition(0)
        name_x = line.cursorToX(first.end - 1 - block.position())[0]
        denied_x = line.cursorToX(TEXT.index("denied") - block.position())[0]
        assert denied_x > name_x
        # The source's tag opens its gap after the name (on the bracket), not in its last
        # letter; an English claim's, in its own last letter.
        assert gapped(view, second.end) == [second.end, held.end - 1]
        assert gapped(view, first.end) == [first.end, denied.end - 1]  # the space after it
    store.close()


def test_an_arabic_article_is_laid_out_right_to_left(qtbot, tmp_path):
    text = "قالت قوات سوريا الديمقراطية إن المقاتلين لم ينسحبوا من منبج يوم الاثنين."
    assert mostly_right_to_left(text) and not mostly_right_to_left(TEXT)
    store = Store(tmp_path / "ar.db")
    store.add_articles([Article(text, title="منبج")])
    for window in open_window(qtbot, store):
        option = window.view.document().defaultTextOption()
        assert option.textDirection() == Qt.LayoutDirection.RightToLeft
    store.close()


def test_arabic_values_in_the_windows_own_lines_are_laid_out_on_their_own(qtbot, tmp_path):
    """Between isolate marks: "عنب بلدي · 2024-03-08  (#1, …)" read "(… ,1#)  08-03-2024
    · عنب بلدي", and "LOCATION 'دير الزور': 1 more mention" read "'1 :'دير الزور more"."""
    place = "دير الزور"
    text = f"Shelling hit {place} on Monday. Residents of {place} fled."
    store = Store(tmp_path / "ar.db")
    store.add_articles([Article(text, title="Deir ez-Zor", source="عنب بلدي", published="2024")])
    for window in open_window(qtbot, store):
        assert window.centre.meta_label.text().startswith("\u2068عنب بلدي\u2069 · 2024  (#1")
        start = text.index(place)
        select_text(window.view, start, start + len(place))
        qtbot.keyClick(window.view, Qt.Key.Key_1)
        qtbot.keyClick(window.view, Qt.Key.Key_Equal)
        assert window.statusBar().currentMessage() == (
            f"LOCATION '\u2068{place}\u2069': 1 more mention labelled (Ctrl+Z undoes them)"
        )
    store.close()
    assert isolated("Homs") == "Homs"  # no right-to-left letter: as it is
    # A mark that turns the rest of the line around is closed where the value ends.
    assert isolated("SANA\u202e news") == "\u2068SANA\u202e news\u2069"


def test_in_an_arabic_article_shift_and_an_arrow_select_towards_the_arrow(qtbot, tmp_path):
    """Right to left, Shift+→ went on in the text, which is to the left on screen."""
    text = "قالت قوات سوريا الديمقراطية إن المقاتلين لم ينسحبوا من منبج يوم الاثنين."
    store = Store(tmp_path / "ar.db")
    store.add_articles([Article(text, title="منبج")])
    for window in open_window(qtbot, store):
        view = window.view
        second = text.index("قوات")
        view.select_range(second, second)  # the caret before the second word
        qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
        assert text[slice(*view.selected_range())].strip() == "قوات"  # on, leftwards
        window.clear_selection()
        view.select_range(second, second)
        qtbot.keyClick(
            view,
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        assert text[slice(*view.selected_range())].strip() == "قالت"  # back, rightwards
    store.close()
