"""Make docs/map.png and docs/link_dialog.png: the Places map showing a wrong "Tripoli".

On the bundled sample about clashes in Tripoli, Libya, one "Tripoli" is linked, from the
keyboard, to Tripoli in Lebanon (L, type, ↓, Enter): the map shows it far from the others.
Uses the real place index (built first if this computer has none: about a minute).

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_map_screenshot.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _screenshots import sample_project  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.kb import default_gazetteer, link_article  # noqa: E402
from annotator.storage import Store  # noqa: E402
from annotator.storage.links import (  # noqa: E402
    SuggestedLink,
    store_suggested_links,
    suggested_links,
)
from annotator.ui.main_window import MainWindow  # noqa: E402
from annotator.ui.places_panel import MAP_BESIDE_TEXT  # noqa: E402

DOCS = Path(__file__).resolve().parent
LEBANON_TRIPOLI = "geonames:266826"


def link_suggestions(store: Store) -> None:
    """Link the samples' suggestions, where pre-annotation did not link them already."""
    gazetteer = default_gazetteer()
    for article_id in store.article_ids():
        model = store.suggestion_model(article_id)
        if model is None or suggested_links(store, article_id, model):
            continue
        article = store.article(article_id)
        spans = store.suggestions(article_id, model)
        labels = {(s.start, s.end): s.label for s in spans}
        found = link_article(article.text, spans, article.published, gazetteer)
        store_suggested_links(
            store,
            article_id,
            model,
            [SuggestedLink(k.start, k.end, labels[(k.start, k.end)], k.kb_id, k.status, k.note)
             for k in found],
        )  # fmt: skip


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        store = sample_project(folder)
        link_suggestions(store)
        window = MainWindow(store, "amal")
        # Wide enough for the map beside the text: narrower, it opens in a window of its
        # own, which the window's picture leaves out (map.png showed no map).
        window.resize(MAP_BESIDE_TEXT, 940)
        window.show()
        QTest.qWaitForWindowExposed(window)
        # (hidden on a screen as narrow as the offscreen one; shown once the window is
        # laid out, or the text seems to have no room for it)
        window.entity_links.places.show()
        window.activateWindow()
        while not window.entity_links.index.is_ready:
            QTest.qWait(100)
        tripoli = next(row.id for row in window.article_model.rows if "Tripoli" in row.title)
        window.open_article(tripoli)
        QTest.qWait(300)
        text = window.current.article.text
        mentions = [s for s in window.current.spans if text[s.start : s.end] == "Tripoli"]
        window.editor.select_span(mentions[1])
        QTest.keyClick(window.view, Qt.Key.Key_L)
        dialog = window.entity_links.dialog
        assert dialog is not None, "L opened no dialog"
        QTest.keyClicks(dialog.query, "Tripoli")
        rows = dialog.candidates
        while rows.currentItem().data(Qt.ItemDataRole.UserRole) != LEBANON_TRIPOLI:
            QTest.keyClick(dialog.query, Qt.Key.Key_Down)
        QTest.qWait(100)
        dialog.grab().save(str(DOCS / "link_dialog.png"))
        QTest.keyClick(dialog.query, Qt.Key.Key_Return)
        QTest.qWait(400)
        window.grab().save(str(DOCS / "map.png"))
        print(f"wrote {DOCS / 'map.png'} and {DOCS / 'link_dialog.png'}")
        window.close()
        store.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
