"""Look at the secondary windows in the dark theme: the review window (lanes, claim tags,
a source disagreement), the Agreement dialog, the link dialog and the map, and the
annotation window with a claim's source joined (``docs/dark-theme.png`` with ``--docs``).

xvfb-run -a .venv/bin/python docs/make_dark_screenshots.py [--docs] [OUT_FOLDER]

Two annotators start from the sample's suggestions; the second drops a span, relabels
another and gives a claim another source, so the review has span and source
disagreements to show.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _screenshots import sample_project
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.core.relations import Relation
from annotator.kb.linking import Entry
from annotator.review.agreement import agreement_report
from annotator.storage import Store
from annotator.ui.agreement_view import AgreementDialog
from annotator.ui.link_dialog import LinkDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.map_view import MapPlace, MapView
from annotator.ui.review_window import open_review_window
from annotator.ui.theme import follower

DOCS = Path(__file__).resolve().parent


def two_annotators(store: Store, articles: list[int]) -> None:
    """amal takes the suggestions as they are; ben differs on a span, a label, a source."""
    for article_id in articles:
        for who in ("amal", "ben"):
            store.copy_suggestions(article_id, who)
        spans = store.spans(article_id, "ben")
        entities = [s for s in spans if s.label in ("LOCATION", "FACTION")]
        store.delete_span(entities[0].id)
        relations = store.relations(article_id, "ben")
        sources = [s for s in spans if s.label in ("FACTION", "SOURCE")]
        if relations and len(sources) > 1:
            first = relations[0]
            other = next(s for s in sources if s.id != first.child and s.id != entities[0].id)
            store.delete_relation(first.id)
            store.add_relation(article_id, "ben", Relation(first.head, other.id, first.label))
        for who in ("amal", "ben"):
            store.set_status(article_id, who, "done")


def main() -> int:
    docs = "--docs" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--docs"]
    out = Path(args[0]) if args else Path(tempfile.gettempdir()) / "dark"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as folder:
        store = sample_project(folder)
        two_annotators(store, store.article_ids()[:3])
        window = MainWindow(store, "amal")
        window.resize(1480, 900)
        window.show()
        QTest.qWaitForWindowExposed(window)
        follower(app).apply("dark")  # after the window, which applies the preference
        window.open_article(store.article_ids()[1])
        QTest.qWait(300)
        relation = store.relations(window.current.id, "amal")[0]
        claim = next(s for s in window.current.spans if s.id == relation.head)
        window.editor.select_span(claim)
        QTest.qWait(300)
        window.grab().save(str(out / "window.png"))
        if docs:
            window.grab().save(str(DOCS / "dark-theme.png"))

        review = open_review_window(window)
        review.resize(1500, 900)
        QTest.qWaitForWindowExposed(review)
        review.step(1)
        QTest.qWait(300)
        review.grab().save(str(out / "review.png"))
        review.go_to(len(review.items) - 1)  # the claims' disagreements come last
        QTest.qWait(300)
        review.grab().save(str(out / "review_claims.png"))

        agreement = AgreementDialog(window, agreement_report(store).to_dict())
        agreement.show()
        QTest.qWaitForWindowExposed(agreement)
        QTest.qWait(200)
        agreement.grab().save(str(out / "agreement.png"))

        entries = [
            Entry("geonames:2210247", "Tripoli, Tripoli, LY", "place", "32.89, 13.19"),
            Entry("geonames:266826", "Tripoli, North Governorate, LB", "place", "34.44, 35.85"),
        ]
        link = LinkDialog(
            window, "Tripoli", "LOCATION", "", lambda q: entries, entries, "2 places named so"
        )
        link.show()
        QTest.qWaitForWindowExposed(link)
        QTest.qWait(200)
        link.grab().save(str(out / "link.png"))

        places = MapView()
        places.resize(520, 380)
        places.set_places(
            [
                MapPlace("geonames:2210247", "Tripoli", "Tripoli, LY", "place", 32.89, 13.19, 3),
                MapPlace("geonames:2219905", "Misrata", "Misrata, LY", "place", 32.38, 15.09),
                MapPlace("geonames:2215636", "Libya", "Libya", "country", 26.3, 17.2),
            ]
        )
        places.select_place("geonames:2210247")
        places.show()
        QTest.qWaitForWindowExposed(places)
        QTest.qWait(200)
        places.grab().save(str(out / "map.png"))
        print(f"wrote {', '.join(p.name for p in sorted(out.glob('*.png')))} in {out}")
        for widget in (places, link, agreement, review, window):
            widget.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
