"""An annotator given articles by a lead (``annotator assign``) sees and walks only those,
as soon as they are given, and can still see every article."""

from __future__ import annotations

from annotator.storage import Store


def test_the_list_keeps_to_the_articles_given_and_a_box_shows_them_all(qtbot, window):
    ids = [row.id for row in window.article_model.rows]
    assert not window.articles.mine_only.isVisibleTo(window) and len(ids) == 3
    with Store(window.store.path) as lead:  # another program, while the window is open
        lead.assign(["ana"], article_ids=[ids[0], ids[2]])
        lead.assign(["ben"], article_ids=[ids[1]])
    qtbot.waitUntil(lambda: len(window.article_model.rows) == 2, timeout=3000)
    box = window.articles.mine_only
    assert box.isVisibleTo(window) and box.text() == "Only my 2 articles"
    assert window.progress_label.text() == "0 / 2 done"
    window.open_article(ids[0])
    window.action_next.trigger()
    assert window.current.id == ids[2]  # the article given to ben is passed over
    window.done_and_next()
    assert window.progress_label.text() == "1 / 2 done"
    box.setChecked(False)
    assert [row.id for row in window.article_model.rows] == ids
    assert window.progress_label.text() == "1 / 3 done"


def test_a_name_given_articles_is_found_in_another_case(qtbot, window):
    """Switching to "cem" where the lead gave "Cem" the articles showed all, no box."""
    ids = [row.id for row in window.article_model.rows]
    window.store.assign(["Cem"], article_ids=ids[:1])
    assert window.switch_annotator("cem")
    assert window.annotator == "Cem" and [row.id for row in window.article_model.rows] == ids[:1]


def test_a_search_says_how_many_articles_it_finds_outside_those_given(qtbot, window):
    ids = [row.id for row in window.article_model.rows]
    window.store.assign(["ana"], article_ids=ids[1:2])
    window.reload_from_store()
    window.articles.search_box.setText("Aleppo")  # in the first article only
    qtbot.waitUntil(lambda: "elsewhere" in window.articles.mine_only.text())
    assert window.article_model.rows == []
    assert window.articles.mine_only.text() == "Only mine (+1 elsewhere)"
