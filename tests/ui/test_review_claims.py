"""The review screen on who claims what: source and attribute disagreements in the list and
the lanes, taken into gold from the keyboard, undone exactly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core import Article
from annotator.core.model import GOLD
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.storage import Store
from tests.ui.conftest import open_review, review_cell, word

TEXT = (
    "Rebels said they shot down a drone near Saraqib, the Observatory said, "
    "while the army denied it."
)
REBELS = word(TEXT, "Rebels", "FACTION")
CLAIM = word(TEXT, "they shot down a drone near Saraqib", "CLAIM")
OBSERVATORY = word(TEXT, "Observatory", "SOURCE")
ARMY = word(TEXT, "army", "FACTION")
SARAQIB = word(TEXT, "Saraqib", "LOCATION")
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def project(tmp_path) -> Store:
    """ana says the rebels make the claim and quote it; ben says the Observatory does; both
    marked the same spans."""
    store = Store(tmp_path / "project.db")
    (article_id,) = store.add_articles([Article(TEXT, title="Saraqib")]).ids
    spans = [REBELS, CLAIM, SARAQIB, OBSERVATORY, ARMY]
    for name, relations, values in (
        ("ana", [SpanRelation(CLAIM, REBELS)], [SpanAttribute(CLAIM, "quote", "yes")]),
        ("ben", [SpanRelation(CLAIM, OBSERVATORY)], []),
    ):
        store.replace_annotations(article_id, name, spans, relations, values)
        store.set_status(article_id, name, "done")
    yield store
    store.close()


@pytest.fixture
def window(qtbot, project):
    yield from open_review(qtbot, project)


def gold_tags(window) -> list[str]:
    return [t.text for t in window.gold_view.tags_shown()]


def lane_tags(window, lane: int) -> list[str]:
    return [t.text for t in window.lanes.lane_views[lane].tags_shown()]


def test_claim_disagreements_are_listed_after_those_of_spans(qtbot, window):
    assert window.review.disagreements == []  # the spans agree
    assert window.disagreement_model.rowCount() == 2
    assert [review_cell(window, row, 1) for row in range(2)] == ["source (claim)", "quote (claim)"]
    assert [review_cell(window, 0, column) for column in (0, 2, 3, 4)] == [
        "none",  # gold starts from what both agree on: no source
        "they shot down a drone near Saraqib",
        "← FACTION 'Rebels'",
        "← SOURCE 'Observatory'",
    ]
    # Gold holds the default quote "no": ben's value.
    assert [review_cell(window, 1, column) for column in (0, 3, 4)] == ["ben", "yes", "no"]
    assert window.current == 0
    assert "source of a claim" in window.where_label.text()
    # Each lane draws its version: the claim numbered with its source, a Q for ana's quote.
    assert lane_tags(window, 0) == ["1", "1 Q"]
    assert sorted(lane_tags(window, 1)) == ["1", "1"]
    assert gold_tags(window) == ["–"]  # the claim, no source yet
    # The current (source) disagreement outlines each lane's source.
    offsets = window.gold_view.offsets
    ana = window.lanes.lane_views[0].tag_painter
    assert ana.outlined == [(offsets.to_utf16(REBELS.start), offsets.to_utf16(REBELS.end))]


def test_keys_take_a_source_and_an_attribute_and_undo_them(qtbot, window, project):
    article_id = window.review.article.id
    qtbot.keyClick(window, Qt.Key.Key_2)  # ben's source: the Observatory
    work = project.claim_work(article_id, GOLD)
    assert work.sources(CLAIM) == {OBSERVATORY}
    assert window.current == 1  # on to the attribute
    assert review_cell(window, 0, 0) == "ben"
    assert sorted(gold_tags(window)) == ["1", "1"]

    qtbot.keyClick(window, Qt.Key.Key_1)  # ana's quote: yes
    assert project.claim_work(article_id, GOLD).values(CLAIM) == {"quote": "yes"}
    assert review_cell(window, 1, 0) == "ana"
    assert "1 Q" in gold_tags(window)

    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert project.claim_work(article_id, GOLD).values(CLAIM) == {}
    assert window.current == 1
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert project.claim_work(article_id, GOLD).sources(CLAIM) == frozenset()
    assert window.current == 0


def test_all_sources_none_and_an_attribute_refuses_all(qtbot, window, project):
    article_id = window.review.article.id
    qtbot.keyClick(window, Qt.Key.Key_A)  # both sources
    assert project.claim_work(article_id, GOLD).sources(CLAIM) == {REBELS, OBSERVATORY}
    assert review_cell(window, 0, 0) == "all"
    qtbot.keyClick(window, Qt.Key.Key_A)  # on the attribute: one value only
    assert "one quote" in window.statusBar().currentMessage()
    assert window.current == 1
    qtbot.keyClick(window, Qt.Key.Key_0)  # none: the default
    assert project.claim_work(article_id, GOLD).values(CLAIM) == {}
    window.go_to(0)
    qtbot.keyClick(window, Qt.Key.Key_0)  # no source at all
    assert project.claim_work(article_id, GOLD).sources(CLAIM) == frozenset()


def test_undo_of_a_span_take_puts_back_the_relations_it_took(qtbot, window, project):
    article_id = window.review.article.id
    qtbot.keyClick(window, Qt.Key.Key_2)  # the Observatory is the source in gold
    # Delete the Observatory span from gold: its relation goes with it; undo brings both.
    window.gold_editor.clicked(OBSERVATORY.start + 1)  # a click in the gold lane
    window.gold_editor.delete_selected()
    assert OBSERVATORY not in project.spans(article_id, GOLD)
    assert project.claim_work(article_id, GOLD).relations == ()
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert project.claim_work(article_id, GOLD).sources(CLAIM) == {OBSERVATORY}


def test_a_source_whose_span_would_overlap_gold_is_refused_with_a_reason(qtbot, window, project):
    article_id = window.review.article.id
    # Gold marks "the Observatory" as a LOCATION first (a wrong edit in the gold lane).
    window.gold_view.select_range(OBSERVATORY.start, OBSERVATORY.end)
    window.gold_editor.clicked(OBSERVATORY.start + 1)
    window.gold_editor.label_selection("LOCATION")
    window.go_to(0)
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert "delete or change that one in gold first" in window.statusBar().currentMessage()
    assert project.claim_work(article_id, GOLD).relations == ()


def test_agreement_dialog_shows_source_pair_f1_and_attribute_kappa(qtbot, project):
    from annotator.review.agreement import agreement_report
    from annotator.ui.agreement_view import AgreementDialog
    from annotator.ui.main_window import MainWindow

    # A second article where both give the same source and the same quote value.
    (article_id,) = project.add_articles([Article(TEXT + " ", title="again")]).ids
    for name in ("ana", "ben"):
        project.replace_annotations(
            article_id,
            name,
            [REBELS, CLAIM, SARAQIB, OBSERVATORY, ARMY],
            [SpanRelation(CLAIM, REBELS)],
            [SpanAttribute(CLAIM, "quote", "yes")],
        )
        project.set_status(article_id, name, "done")
    report = agreement_report(project).to_dict()
    (pair,) = report["claims"]["pairs"]
    assert (pair["relations_a"], pair["relations_b"], pair["f1_exact"]) == (2, 2, 0.5)

    main = MainWindow(project, "dora")
    qtbot.addWidget(main)
    dialog = AgreementDialog(main, report)
    qtbot.addWidget(dialog)
    table = dialog.claims_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == [
        "pair",
        "articles",
        "sources",
        "pair F1 exact",
        "pair F1 overlap",
        "polarity κ",
        "hedged κ",
        "quote κ",
    ]
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    quote = pair["attributes"]["quote"]["kappa"]
    assert row[:5] == ["ana / ben", "2", "2 / 2", "0.500", "0.500"]
    assert row[7] == ("n/a" if quote is None else f"{quote:.3f}")
    assert "2 claims both marked" in table.item(0, 7).toolTip()
    assert "pair F1 exact 0.500" in dialog.claims_label.text()


def test_taking_one_extent_of_a_claim_brings_the_source_and_value_its_annotators_gave(
    qtbot, tmp_path
):
    """ana and ben both say the Observatory makes the claim; ben's claim is two words
    shorter. Taking either extent keeps that source (and ana's quote with hers): no source
    disagreement follows a boundary one, so gold must not lose what both gave."""
    short = word(TEXT, "they shot down a drone", "CLAIM")
    with Store(tmp_path / "extent.db") as store:
        (article_id,) = store.add_articles([Article(TEXT, title="Saraqib")]).ids
        for name, claim, values in (
            ("ana", CLAIM, [SpanAttribute(CLAIM, "quote", "yes")]),
            ("ben", short, []),
        ):
            spans = [REBELS, claim, SARAQIB, OBSERVATORY, ARMY]
            store.replace_annotations(
                article_id, name, spans, [SpanRelation(claim, OBSERVATORY)], values
            )
            store.set_status(article_id, name, "done")
    with Store(tmp_path / "extent.db") as store:
        window = next(open_review(qtbot, store))
        assert [review_cell(window, 0, 1)] == ["boundary (claim)"]
        assert window.disagreement_model.rowCount() == 1  # no source disagreement
        qtbot.keyClick(window, Qt.Key.Key_1)  # ana's extent
        work = store.claim_work(article_id, GOLD)
        assert CLAIM in store.spans(article_id, GOLD)
        assert work.sources(CLAIM) == {OBSERVATORY}
        assert work.values(CLAIM) == {"quote": "yes"}
        # One number per claim in every lane: ben's shorter claim is 1, ana's (in gold) 2.
        assert gold_tags(window) == ["2 Q", "2"] == lane_tags(window, 0)
        assert lane_tags(window, 1) == ["1", "1"]
        qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
        assert store.claim_work(article_id, GOLD).relations == ()
        window.go_to(0)
        qtbot.keyClick(window, Qt.Key.Key_2)  # ben's extent, with the same source
        work = store.claim_work(article_id, GOLD)
        assert work.sources(short) == {OBSERVATORY} and work.values(short) == {}
        window.close()


def test_a_claim_brought_into_gold_by_its_polarity_keeps_the_source_and_quote_all_gave(
    qtbot, tmp_path
):
    """ana and ben mark the claim, both with the Observatory as source and quote yes; ana
    says denied; cem has no claim. Taking ana's polarity brought the bare claim into gold:
    no source, quote no, and no disagreement left to say so."""
    with Store(tmp_path / "polarity.db") as store:
        (article_id,) = store.add_articles([Article(TEXT, title="Saraqib")]).ids
        for name in ("ana", "ben", "cem"):
            spans = [REBELS, SARAQIB, OBSERVATORY, ARMY] + ([CLAIM] if name != "cem" else [])
            relations = [SpanRelation(CLAIM, OBSERVATORY)] if name != "cem" else []
            values = [SpanAttribute(CLAIM, "quote", "yes")] if name != "cem" else []
            if name == "ana":
                values.append(SpanAttribute(CLAIM, "polarity", "denied"))
            store.replace_annotations(article_id, name, spans, relations, values)
            store.set_status(article_id, name, "done")
    with Store(tmp_path / "polarity.db") as store:
        window = next(open_review(qtbot, store))
        rows = [review_cell(window, row, 1) for row in range(window.disagreement_model.rowCount())]
        polarity = next(i for i, kind in enumerate(rows) if kind.startswith("polarity"))
        window.go_to(polarity)
        qtbot.keyClick(window, Qt.Key.Key_1)  # ana's: denied
        work = store.claim_work(article_id, GOLD)
        assert CLAIM in store.spans(article_id, GOLD)
        assert work.sources(CLAIM) == {OBSERVATORY}
        assert work.values(CLAIM) == {"quote": "yes", "polarity": "denied"}
        window.close()


def test_the_key_of_an_annotator_the_article_lacks_says_so(qtbot, window):
    """3 with two annotators did nothing and said nothing."""
    qtbot.keyClick(window, Qt.Key.Key_3)
    assert window.statusBar().currentMessage() == "No annotator 3 here: 1 ana, 2 ben"
