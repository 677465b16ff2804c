"""The review as it opens: the lanes show the disagreement the heading names."""

from __future__ import annotations

from annotator.core.model import Article, Span
from annotator.storage import Store
from annotator.ui.review_window import ReviewWindow
from tests.ui.conftest import show_active

FILLER = "Nothing happened in the quiet valley that week, residents said. " * 3


def test_the_lanes_open_on_the_current_disagreement(qtbot, tmp_path):
    """On the window's first opening the lanes showed the article's start, while the
    heading named a disagreement forty paragraphs down: a reviewer pressing 1 took a
    version they could not see."""
    text = "\n\n".join([FILLER] * 40 + ["The White Helmets said Idlib was shelled."])
    start = text.index("White Helmets")
    with Store(tmp_path / "p.db") as store:
        (article_id,) = store.add_articles([Article(text, title="Idlib")]).ids
        for name, label in (("ana", "FACTION"), ("ben", "SOURCE")):
            store.replace_spans(article_id, name, [Span(start, start + 13, label)])
            store.set_status(article_id, name, "done")
    store = Store(tmp_path / "p.db")
    window = ReviewWindow(store)
    qtbot.addWidget(window)
    window.resize(1200, 700)
    show_active(qtbot, window)
    assert window.current == 0
    for view in window.lanes.views:
        qtbot.waitUntil(lambda view=view: _shows(view, start), timeout=2000)
    window.close()
    store.close()


def _shows(view, position: int) -> bool:
    cursor = view.textCursor()
    cursor.setPosition(position)
    where = view.cursorRect(cursor)
    return where.top() >= 0 and where.bottom() <= view.viewport().height()
