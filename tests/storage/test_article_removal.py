"""storage/articles.py: an article's title edited, an article removed with everything on it
and put back exactly as it was."""

from __future__ import annotations

import pytest

from annotator.core import Article, Span
from annotator.storage import ArticleConflict, Store
from annotator.storage.import_records import known_negatives
from annotator.storage.links import set_span_link
from annotator.storage.token_cache import cache_tokens, cached_tokens

TEXT = "Government forces shelled Idlib, activists said."
OTHER = "Houthi rebels advanced on Marib, a military official said."


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table that hangs on articles, and the search index."""
    tables = [
        "articles",
        "spans",
        "suggestions",
        "article_status",
        "preannotated",
        "token_cache",
        "known_negatives",
        "provenance",
    ]
    found = {t: sorted(map(tuple, store._db.execute(f"SELECT * FROM {t}"))) for t in tables}
    found["fts"] = sorted(store._db.execute("SELECT rowid, title, text FROM articles_fts"))
    return found


@pytest.fixture
def busy_article(store: Store) -> int:
    """An article with suggestions, two annotators' spans and statuses, gold, a link, a
    rejected span, cached tokens and an import's provenance."""
    article_id, other = store.add_articles(
        [Article(TEXT, title="Idlib"), Article(OTHER, title="Marib")]
    ).ids
    store.add_suggestions([(article_id, [Span(26, 31, "LOCATION")])], "m")
    store.start_article(article_id, "ana")
    ben = store.add_span(article_id, "ben", Span(0, 17, "FACTION"))
    store.set_status(article_id, "ben", "done")
    store.add_span(article_id, "gold", Span(0, 17, "FACTION"))
    store.add_span(other, "ana", Span(0, 13, "FACTION"))
    set_span_link(store, ben.id, "project:gov")
    cache_tokens(store, [(article_id, b"\x00\x01")], "t")
    with store.transaction():
        store._db.execute(
            "INSERT INTO known_negatives VALUES (?, 'ana', 0, 10, 'LOCATION')", [article_id]
        )
        store._db.execute("INSERT INTO provenance VALUES (?, 'prodigy', '{}')", [article_id])
    return article_id


def test_a_title_is_edited_and_the_search_follows(store):
    (article_id,) = store.add_articles([Article(TEXT, title="Idlib")]).ids
    before = store.set_article_title(article_id, "  Shelling\nof   Idlib ", by="ana")
    assert before == "Idlib"
    assert store.article(article_id).title == "Shelling of Idlib"
    assert store.search("Shelling") == [article_id]
    store.set_article_title(article_id, before)  # the undo
    assert store.search("Shelling") == []
    assert [e["action"] for e in store.events(article_id)] == ["set_title", "set_title"]


def test_removing_an_article_takes_everything_on_it_and_restoring_puts_it_back(store, busy_article):
    before = snapshot(store)
    work = store.article_work(busy_article)
    assert [(w.annotator, w.spans, w.status) for w in work] == [
        ("ana", 1, "in_progress"),
        ("ben", 1, "done"),
        ("gold", 1, "in_progress"),
    ]

    removed = store.remove_article(busy_article, by="ana")
    assert removed.count("spans") == 3 and removed.count("suggestions") == 1
    assert store.article_ids() == [busy_article + 1]
    assert store.search("Idlib") == []
    assert store.annotators() == ["ana"]  # ben's only work was on it
    after = snapshot(store)
    assert all(row[0] != busy_article for row in after["article_status"])
    assert after["token_cache"] == after["known_negatives"] == after["provenance"] == []
    assert store.events()[-1]["action"] == "remove_article"

    store.restore_article(removed, by="ana")
    assert snapshot(store) == before  # same ids, same rows, same index
    assert cached_tokens(store, [busy_article], "t") == {busy_article: b"\x00\x01"}
    assert known_negatives(store, busy_article, "ana") == [Span(0, 10, "LOCATION")]


def test_an_article_whose_text_came_back_meanwhile_is_not_restored(store, busy_article):
    removed = store.remove_article(busy_article)
    store.add_articles([Article(TEXT, title="again")])
    with pytest.raises(ArticleConflict, match="cannot come back"):
        store.restore_article(removed)
    assert [a.title for a in store.iter_articles()] == ["Marib", "again"]
