"""A span's id is its identity: never given to another span, and edits that name a span
refuse to touch one that is not what they expect (``SpanConflict``)."""

import sqlite3
from contextlib import closing
from dataclasses import replace

import pytest
from sqlite_utils import Database

from annotator.core import Article, Span
from annotator.storage import SpanConflict, Store
from annotator.storage.migrations import migrations

TEXT = "Government forces shelled Idlib, activists said."


@pytest.fixture
def article_id(store):
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    return article_id


def test_a_deleted_spans_id_is_never_given_to_a_new_span(store, article_id):
    first = store.add_span(article_id, "ana", Span(0, 17, "FACTION"))
    newest = store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))
    store.delete_span(newest.id)
    other = store.add_span(article_id, "ben", Span(26, 31, "LOCATION"))
    assert other.id not in {first.id, newest.id}


def test_redo_of_a_delete_cannot_remove_another_annotators_span(store, article_id):
    # The window's undo stack holds ana's span; her delete was undone elsewhere and ben
    # added a span since. Replaying her delete must not reach ben's span.
    ana = store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))
    store.delete_span(ana.id)
    ben = store.add_span(article_id, "ben", Span(26, 31, "LOCATION"))
    with pytest.raises(SpanConflict, match="deleted elsewhere"):
        store.delete_span(ana.id, expected=ana, annotator="ana")
    assert store.spans(article_id, "ben") == [ben]
    assert [e["annotator"] for e in store.events(article_id, annotator=None)] == [
        "ana",
        "ana",
        "ben",
    ]


def test_an_edit_on_a_span_changed_elsewhere_is_refused(store, article_id):
    span = store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))
    store.update_span(span.id, 26, 31, "FACTION", "human")  # another window relabels it
    with pytest.raises(SpanConflict, match="changed elsewhere") as error:
        store.update_span(span.id, 20, 31, "LOCATION", "human", expected=span)
    assert "nothing was changed" in str(error.value)
    assert store.span(span.id).label == "FACTION"
    with pytest.raises(SpanConflict):
        store.delete_span(span.id, expected=span)
    assert store.spans(article_id, "ana") == [Span(26, 31, "FACTION", id=span.id)]


def test_an_edit_on_another_annotators_or_articles_span_is_refused(store, article_id):
    (other_article,) = store.add_articles([Article("Rebels took Kidal.")]).ids
    span = store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))
    with pytest.raises(SpanConflict, match="another article or annotator"):
        store.delete_span(span.id, annotator="ben")
    with pytest.raises(SpanConflict, match="another article or annotator"):
        store.update_span(span.id, 26, 31, "FACTION", "edited", article_id=other_article)
    assert store.spans(article_id, "ana") == [span]


def test_the_expected_span_lets_the_edit_through(store, article_id):
    span = store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))
    moved = store.update_span(
        span.id, 20, 31, "LOCATION", "human", expected=span, article_id=article_id, annotator="ana"
    )
    assert store.delete_span(moved.id, expected=moved, annotator="ana") == moved
    updated = store.events(article_id)[1]
    assert updated["annotator"] == "ana" and updated["payload"]["before"]["start"] == 26


def test_a_span_restored_twice_is_a_conflict_and_a_failed_command_writes_nothing(store, article_id):
    span = store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))
    removed = store.delete_span(span.id)
    assert store.add_span(article_id, "ana", removed).id == span.id  # undo of the delete
    before = store.events(article_id)
    with pytest.raises(SpanConflict, match="already back"), store.transaction():
        store.add_span(article_id, "ana", Span(0, 17, "FACTION"))  # rolled back with the rest
        store.add_span(article_id, "ana", removed)  # the same undo, in another window
    assert store.spans(article_id, "ana") == [span]
    assert store.events(article_id) == before


def test_twin_spans_do_not_stop_an_edit_its_undo_or_a_restore(store, article_id):
    """With a twin there (a script's: the window never makes one), an edge moved and moved
    back, or a span deleted and given back, was refused as "made elsewhere" by a check the
    store had for a while, and the window's undo history was lost."""
    store.add_spans_in_bulk([(article_id, "ana", 26, 31, "LOCATION", "manual")] * 2)
    first, _ = store.spans(article_id, "ana")
    moved = store.update_span(first.id, 26, 32, "LOCATION", "manual", expected=first)
    back = store.update_span(first.id, 26, 31, "LOCATION", "manual", expected=moved)
    removed = store.delete_span(back.id, expected=back)
    assert store.add_span(article_id, "ana", removed).id == first.id  # the undo of a delete
    store.delete_span(first.id)
    assert store.add_span(article_id, "ana", replace(removed, id=None))  # as the window does


def test_migration_keeps_every_span_id_index_and_foreign_key(project_path):
    # A project as the program wrote it before 0005: ids 1..3, the newest span (4) deleted.
    old = Database(project_path)
    migrations.apply(old, stop_before="0005_span_identities")
    old.execute("PRAGMA journal_mode=WAL")
    old["articles"].insert({"text_hash": "h", "text": TEXT, "title": "t"})
    for start in (0, 10, 20, 26):
        old["spans"].insert(
            {"article_id": 1, "annotator": "ana", "start": start, "end": start + 5,
             "label": "LOCATION", "origin": "human"}
        )  # fmt: skip
    old.execute("DELETE FROM spans WHERE id = 4")
    old["events"].insert(
        {"ts": "t", "annotator": "ana", "article_id": 1, "action": "delete_span",
         "payload": '{"id": 4, "start": 26, "end": 31, "label": "LOCATION"}'}
    )  # fmt: skip
    old.conn.commit()
    indexes_before = {index.name for index in old["spans"].indexes}
    old.close()

    with Store(project_path) as store:
        assert [s.id for s in store.spans(1, "ana")] == [1, 2, 3]
        assert store.add_span(1, "ben", Span(26, 31, "LOCATION")).id == 5  # not 4
    with closing(sqlite3.connect(project_path)) as db:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'spans'").fetchone()[0]
        assert "AUTOINCREMENT" in sql and 'REFERENCES "articles"("id")' in sql
        indexes = {row[1] for row in db.execute("PRAGMA index_list(spans)")}
        assert indexes_before <= indexes
        assert db.execute("PRAGMA foreign_key_check(spans)").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert project_path.with_name("project.db.before-0005_span_identities.bak").exists()


def test_an_undo_after_another_window_made_the_same_span_again_is_refused(store, article_id):
    """ana deleted a span; her second window (or a merge) made the same one again; her undo
    added a second, identical span: both windows listed it twice, with no word."""
    span = store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))
    removed = store.delete_span(span.id, annotator="ana")
    again = store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))  # the other window
    with pytest.raises(SpanConflict, match="is there again"):
        store.add_span(article_id, "ana", removed)  # the undo of the delete
    assert store.spans(article_id, "ana") == [again]
