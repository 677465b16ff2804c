"""The review screen on an Arabic article whose versions differ near their ends, one of
them holding two LOCATIONs that overlap (as an imported file brought them): what the keys
take into gold, and how the list and the refusals say the versions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core import Article
from annotator.core.model import GOLD
from annotator.core.spans import has_overlap
from annotator.storage import Store
from tests.ui.conftest import open_review, review_cell, word

TEXT = (
    "قال الجيش السوداني إن قواته استعادت مواقع في الخرطوم بحري.\n\n"
    "ونفت وكالة الأنباء السورية الرسمية (سانا) وقوع أي قصف."
)
ARMY = word(TEXT, "الجيش السوداني", "FACTION")
KHARTOUM = word(TEXT, "الخرطوم", "LOCATION")
KHARTOUM_NORTH = word(TEXT, "الخرطوم بحري", "LOCATION")
SANA = word(TEXT, "وكالة الأنباء السورية الرسمية (سانا)", "SOURCE")
SANA_SHORT = word(TEXT, "وكالة الأنباء السورية الرسمية", "SOURCE")


@pytest.fixture
def project(tmp_path) -> Store:
    """ana marked Khartoum North and the agency with its abbreviation; ben Khartoum and
    Khartoum North both, and the agency without it."""
    store = Store(tmp_path / "project.db")
    (article_id,) = store.add_articles([Article(TEXT, title="الخرطوم بحري")]).ids
    for name, spans in (
        ("ana", [ARMY, KHARTOUM_NORTH, SANA]),
        ("ben", [ARMY, KHARTOUM, KHARTOUM_NORTH, SANA_SHORT]),
    ):
        store.replace_annotations(article_id, name, spans, [], [])
        store.set_status(article_id, name, "done")
    yield store
    store.close()


@pytest.fixture
def window(qtbot, project):
    yield from open_review(qtbot, project)


def entities_in_gold(window) -> list:
    return [s for s in window.gold if window.review.kinds.get(s.label) == "entity"]


def test_a_version_whose_entities_overlap_is_refused_naming_their_words(qtbot, window, project):
    """2 on ben's version put both LOCATIONs into gold, silently, and the gold lane showed
    one box."""
    assert window.current == 0 and window.items[0].start == KHARTOUM.start
    qtbot.keyClick(window.gold_view, Qt.Key.Key_2)
    said = window.statusBar().currentMessage()
    assert "ben's version has LOCATION '\u2068الخرطوم\u2069'" in said
    assert "LOCATION '\u2068الخرطوم بحري\u2069', which overlap" in said
    assert not has_overlap(entities_in_gold(window))
    assert project.spans(window.review.article.id, GOLD) == []  # nothing written
    assert window.current == 0  # still to settle
    qtbot.keyClick(window.gold_view, Qt.Key.Key_1)  # ana's, which gold can hold
    assert KHARTOUM_NORTH in window.gold and KHARTOUM not in window.gold


def test_all_refused_names_the_words_not_their_offsets(qtbot, window):
    """A said "characters 65-101 need one annotator's version": offsets, to a reviewer."""
    window.go_to(1)
    assert window.items[1].start == SANA.start
    qtbot.keyClick(window.gold_view, Qt.Key.Key_A)
    said = window.statusBar().currentMessage()
    assert said.endswith(
        f"SOURCE spans may not overlap one another: '\u2068{SANA.text(TEXT)}\u2069' "
        "needs one annotator's version"
    )
    assert "characters" not in said


def test_the_list_shows_versions_that_differ_at_their_ends_apart(window):
    """Both read "SOURCE 'وكالة الأنباء السورية ا…'": cut from the start, at 24 characters,
    and not isolated (a letter stood beside the opening quote)."""
    assert review_cell(window, 1, 3) == "SOURCE '\u2068وكالة الأنباء … (سانا)\u2069'"
    assert review_cell(window, 1, 4) == "SOURCE '\u2068وكالة الأنباء … الرسمية\u2069'"
    # whole in the tooltip, and a short one whole in the cell
    model = window.disagreement_model
    tip = model.data(model.index(1, 3), Qt.ItemDataRole.ToolTipRole)
    assert SANA.text(TEXT) in tip
    assert review_cell(window, 0, 3) == "LOCATION '\u2068الخرطوم بحري\u2069'"
