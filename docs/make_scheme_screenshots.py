"""Make docs/labels-dialog.png (Project → Labels… on a project whose imported files brought
labels the scheme lacks). docs/dark-theme.png is made by ``make_dark_screenshots.py``.

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_scheme_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _screenshots import sample_project  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core import Span  # noqa: E402
from annotator.core.model import Label  # noqa: E402
from annotator.storage import Store  # noqa: E402
from annotator.ui.labels_dialog import show_labels  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402

DOCS = Path(__file__).resolve().parent


def imported_labels(store: Store) -> None:
    """What an imported file would have brought: PERSON and WEAPON spans of another team."""
    for article in list(store.iter_articles())[:6]:
        text = article.text
        for word, label in (("spokesman", "PERSON"), ("drone", "WEAPON"), ("missile", "WEAPON")):
            start = text.find(word)
            if start >= 0 and article.id is not None:
                store.add_span(article.id, "imported", Span(start, start + len(word), label))


def labels_dialog(window: MainWindow) -> None:
    window.store.add_label(
        Label("UNIT", "entity", description="A named military unit: brigade, battalion"),
        by="amal",
    )
    dialog = show_labels(window)
    dialog.resize(860, 470)
    QTest.qWaitForWindowExposed(dialog)
    dialog.select("UNIT")
    dialog.rekey_selected("5")
    dialog.rekey_selected("1")  # refused: the message shows in the dialog
    QTest.qWait(100)
    dialog.grab().save(str(DOCS / "labels-dialog.png"))
    dialog.close()


def main() -> int:
    _app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - must stay alive
    with tempfile.TemporaryDirectory() as folder:
        store = sample_project(folder)
        imported_labels(store)
        window = MainWindow(store, "amal")
        window.resize(1480, 900)
        window.show()
        QTest.qWaitForWindowExposed(window)
        window.done_and_next()
        labels_dialog(window)
        print(f"wrote {DOCS / 'labels-dialog.png'}")
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
