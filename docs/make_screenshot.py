"""Make docs/screenshot.png: the window on the bundled sample project, mid-annotation, with
each suggested claim's source tagged in the text and the selected claim joined to its source.

QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshot.py
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

from annotator.ui.main_window import MainWindow  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshot.png"


def main() -> int:
    _app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 - must stay alive
    with tempfile.TemporaryDirectory() as folder:
        store = sample_project(folder)
        # The sources come from the sample project's own pre-annotation: none is a bug.
        if not store.suggested_work(store.article_ids()[2]).relations:
            sys.exit("the sample project's pre-annotation suggested no claim sources")
        window = MainWindow(store, "amal")
        window.resize(1480, 900)
        window.show()
        QTest.qWaitForWindowExposed(window)
        # Finish the first two articles as an annotator would, keeping the suggestions.
        window.done_and_next()
        window.done_and_next()
        # On the third, confirm by hand one span and correct another, then select a claim.
        text = window.current.article.text
        first_entity = next(s for s in window.current.spans if s.label != "CLAIM")
        window.editor.select_span(first_entity)  # noqa: SLF001 - as a click would
        window.apply_label(first_entity.label == "LOCATION" and "FACTION" or "LOCATION")
        window.apply_label(first_entity.label)  # relabelled back: now a corrected span
        # Select the claim whose source comes right before it: the arc joins them.
        numbers = window.claims.links.numbers
        claim = next(s for s in window.current.spans if numbers.get(s.id) == 2)
        window.editor.select_span(claim)
        QTest.qWait(200)  # let the span list follow, as it does while one reads
        window.grab().save(str(OUT))
        print(f"wrote {OUT} ({window.current.article.title!r}, {len(text):,} characters)")
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
