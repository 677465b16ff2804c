"""storage/spans.py: reading an article writes nothing; the annotator starts on it with the
first edit, which copies the suggestions, and that start can be undone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core import Article, Span
from annotator.storage import SpanConflict, Store
from annotator.storage.starting import is_suggestion

TEXT = "Government forces shelled Idlib, activists said."


@pytest.fixture
def article(store: Store) -> int:
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    store.add_suggestions(
        [(article_id, [Span(26, 31, "LOCATION", score=0.9), Span(0, 17, "FACTION")])], "m-1"
    )
    return article_id


def test_reading_an_article_writes_nothing_and_leaves_it_todo(store, article):
    changes = store._db.total_changes
    shown = store.open_article(article, "ana")
    assert [s.key for s in shown] == [(0, 17, "FACTION"), (26, 31, "LOCATION")]
    assert all(is_suggestion(s) and s.origin == "model" for s in shown)
    assert len({s.id for s in shown}) == 2
    assert store._db.total_changes == changes
    store.add_active_time(article, "ana", 12.0)  # time spent reading is kept...
    assert store.status(article, "ana").status == "todo"  # ...and it stays todo
    assert not store.started(article, "ana")
    assert store.status_counts("ana")["todo"] == 1


def test_the_article_list_counts_suggestions_until_the_annotator_starts(store, article):
    (row,) = store.article_list("ana")
    assert (row.status, row.spans, row.started) == ("todo", 0, False)
    assert store.suggestion_counts([article, 99]) == {article: 2}
    store.add_suggestions([(article, [Span(0, 10, "FACTION")])], "m-2")  # a newer model
    assert store.suggestion_counts([article]) == {article: 1}
    store.start_article(article, "ana")
    (row,) = store.article_list("ana")
    assert (row.status, row.spans, row.started) == ("in_progress", 1, True)


def test_copying_the_suggestions_starts_the_article_and_uncopying_undoes_it(store, article):
    suggested = {-s.id: s.key for s in store.suggested_spans(article)}
    copied = store.copy_suggestions(article, "ana")
    assert set(copied.span_ids) == set(suggested)
    shown = {s.id: s.key for s in store.open_article(article, "ana")}
    assert {suggested[sid]: shown[span] for sid, span in copied.span_ids.items()} == {
        key: key for key in suggested.values()
    }
    assert store.started(article, "ana")
    with pytest.raises(SpanConflict, match="started in another window"):
        store.copy_suggestions(article, "ana")

    # An undone delete puts a copy back under a new id: it still counts as the copy.
    faction_sid = next(sid for sid, key in suggested.items() if key[2] == "FACTION")
    faction = store.delete_span(copied.span_ids[faction_sid])
    back = store.add_span(article, "ana", replace(faction, id=None))
    deleted = store.uncopy_suggestions(copied)
    assert deleted[faction_sid] == back.id
    assert set(deleted.values()) == set(shown) - {faction.id} | {back.id}
    assert store.status(article, "ana").status == "todo"
    assert all(is_suggestion(s) for s in store.open_article(article, "ana"))


def test_uncopying_refuses_when_the_spans_were_edited_elsewhere(store, article):
    copied = store.copy_suggestions(article, "ana")
    store.add_span(article, "ana", Span(33, 43, "FACTION"))  # another window
    with pytest.raises(SpanConflict, match="edited elsewhere"):
        store.uncopy_suggestions(copied)
    assert len(store.spans(article, "ana")) == 3
    store.delete_span(store.spans(article, "ana")[-1].id)
    store.set_status(article, "ana", "done")  # marked in another window
    with pytest.raises(SpanConflict, match="edited elsewhere"):
        store.uncopy_suggestions(copied)
    store.set_status(article, "ana", "in_progress")
    store.clear_suggestions([article], "m-1")  # pre-annotated again (--force)
    store.add_suggestions([(article, [Span(0, 10, "FACTION"), Span(26, 31, "LOCATION")])], "m-1")
    with pytest.raises(SpanConflict, match="edited elsewhere"):
        store.uncopy_suggestions(copied)


def test_a_script_starts_an_article_in_progress(store, article):
    assert len(store.start_article(article, "ana")) == 2
    assert store.status(article, "ana").status == "in_progress"


def test_an_edit_makes_a_todo_article_in_progress(store, article):
    store.add_active_time(article, "ana", 3.0)
    store.add_span(article, "ana", Span(33, 43, "FACTION"))
    assert store.status(article, "ana").status == "in_progress"
    assert store.status(article, "ana").seconds_active == 3.0


def test_a_reader_is_not_among_the_annotators_of_an_article(store, article):
    store.add_active_time(article, "ana", 30.0)  # read it
    store.start_article(article, "ben")
    assert store.annotators_of(article) == ["ben"]


def test_an_article_with_more_suggestions_than_sqlite_takes_variables_starts(store):
    """More suggestions than SQLite takes variables in one statement (32,766 in a default
    build; 1,000 here, to keep the test quick): the first edit copies them all, with the
    suggested source and value of the last one."""
    import sqlite3

    from annotator.core.relations import SpanAttribute, SpanRelation

    store._db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1000)  # noqa: SLF001
    text = "Idlib said. " * 1200
    (article_id,) = store.add_articles([Article(text)]).ids
    spans = [Span(12 * i, 12 * i + 5, "SOURCE") for i in range(1200)]
    claim = Span(12 * 1199 + 6, 12 * 1199 + 10, "CLAIM")
    store.add_suggestions([(article_id, [*spans, claim])], "m-1")
    relation = SpanRelation(claim, spans[-1])
    store.add_suggested_links(
        [(article_id, [relation], [SpanAttribute(claim, "hedged", "yes")])], "m-1"
    )
    work = store.suggested_work(article_id)
    assert [(r.head.key, r.child.key) for r in work.relations] == [(claim.key, spans[-1].key)]
    started = store.start_article(article_id, "ana")
    assert len(started) == 1201
    mine = store.claim_work(article_id, "ana")
    assert mine.sources(claim) == {spans[-1]}
    assert mine.values(claim) == {"hedged": "yes"}
