"""storage.links: what spans refer to, kept in the project with every edit logged."""

import sqlite3

import pytest
from sqlite_utils import Database

from annotator.core import Article, Span
from annotator.storage import Store
from annotator.storage.errors import SpanConflict
from annotator.storage.links import (
    ProjectActorError,
    SuggestedLink,
    add_project_actor,
    article_links,
    clear_span_link,
    link_statuses,
    project_actors,
    set_span_link,
    span_links,
    store_suggested_links,
    suggested_links,
)
from annotator.storage.migrations import migrations
from annotator.storage.project_actors import remove_project_actor

TEXT = "Hayat Tahrir al-Sham fighters entered Kassab."
HTS = "annotator:hayat-tahrir-al-sham"


@pytest.fixture
def article(store):
    [article_id] = store.add_articles([Article(TEXT)]).ids
    return article_id


def test_the_migration_adds_link_columns_to_an_older_project(project_path):
    old = Database(project_path)
    migrations.apply(old, stop_before="0009_entity_links")
    old["articles"].insert({"text_hash": "h", "text": TEXT, "title": "t"})
    old["spans"].insert({"article_id": 1, "annotator": "ana", "start": 38, "end": 44,
                         "label": "LOCATION", "origin": "human"})  # fmt: skip
    old.close()
    with Store(project_path) as store:
        assert store.schema_version() >= "0009_entity_links"
        assert span_links(store, 1, "ana") == {}
        set_span_link(store, 1, "geonames:168519")
        assert span_links(store, 1, "ana") == {1: ("geonames:168519", "linked")}
        assert project_actors(store) == []


def test_setting_and_clearing_a_link_is_logged_and_returns_what_was_there(store, article):
    span = store.add_span(article, "ana", Span(38, 44, "LOCATION"))
    assert set_span_link(store, span.id, "geonames:168519") == ("", "")
    assert set_span_link(store, span.id, "geonames:999") == ("geonames:168519", "linked")
    assert clear_span_link(store, span.id) == ("geonames:999", "linked")
    assert span_links(store, article, "ana") == {}
    events = [e for e in store.events(article) if e["action"] == "link_span"]
    assert [(e["payload"]["before"], e["payload"]["after"]) for e in events] == [
        ("", "geonames:168519"),
        ("geonames:168519", "geonames:999"),
        ("geonames:999", ""),
    ]
    assert all(e["annotator"] == "ana" for e in events)


def test_a_link_on_a_missing_span_is_an_error_and_writes_nothing(store, article):
    with pytest.raises(SpanConflict):
        set_span_link(store, 42, "geonames:1")
    assert store.events(article) == []


def test_article_links_lists_every_annotator(store, article):
    a = store.add_span(article, "ana", Span(0, 20, "FACTION"))
    b = store.add_span(article, "ben", Span(0, 20, "FACTION"))
    store.add_span(article, "ben", Span(38, 44, "LOCATION"))  # not linked: left out
    set_span_link(store, a.id, HTS)
    set_span_link(store, b.id, "project:other")
    links = article_links(store, article)
    assert [(x.annotator, x.kb_id) for x in links] == [("ana", HTS), ("ben", "project:other")]


def test_suggested_links_are_stored_and_copied_to_the_annotators_spans(store, article):
    store.add_suggestions([(article, [Span(0, 20, "FACTION"), Span(38, 44, "LOCATION")])], "m@1")
    updated = store_suggested_links(store, article, "m@1", [
        SuggestedLink(0, 20, "FACTION", HTS, "linked", "name used 2017–2025"),
        SuggestedLink(38, 44, "LOCATION", "", "ambiguous"),
        SuggestedLink(1, 2, "LOCATION", "geonames:1", "linked"),  # no such suggestion
    ])  # fmt: skip
    assert updated == 2
    assert suggested_links(store, article)[0].note == "name used 2017–2025"
    spans = store.start_article(article, "ana")  # the annotator's spans get their links
    assert {s.key: s.kb_id for s in spans} == {(0, 20, "FACTION"): HTS, (38, 44, "LOCATION"): ""}
    by_key = {s.key: s.id for s in spans}
    assert span_links(store, article, "ana") == {
        by_key[(0, 20, "FACTION")]: (HTS, "linked"),
        by_key[(38, 44, "LOCATION")]: ("", "ambiguous"),
    }
    # An annotator's own link is theirs: opening the article again copies nothing.
    set_span_link(store, by_key[(0, 20, "FACTION")], "project:mine")
    assert store.open_article(article, "ana")[0].kb_id == "project:mine"


def test_project_actors_are_added_replaced_listed_and_removed(store):
    record = {"id": "project:valley-brigade", "name": "Valley Brigade", "countries": ["SY"]}
    add_project_actor(store, record, "ana")
    add_project_actor(store, {**record, "names": [{"names": ["Valley Brigade", "VB"]}]}, "ana")
    assert project_actors(store) == [{**record, "names": [{"names": ["Valley Brigade", "VB"]}]}]
    remove_project_actor(store, "project:valley-brigade", "ana")
    assert project_actors(store) == []
    assert [e["action"] for e in store.events()] == ["add_actor", "add_actor", "remove_actor"]


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"id": "annotator:x", "name": "X"}, "starts with 'project:'"),
        ({"id": "project:", "name": "X"}, "starts with 'project:'"),
        ({"id": "project:x", "name": " "}, "has no name"),
    ],
)
def test_a_bad_project_actor_is_refused_with_a_reason(store, record, message):
    with pytest.raises(ProjectActorError, match=message):
        add_project_actor(store, record, "ana")
    assert project_actors(store) == []


def test_the_link_columns_default_to_empty(store, article):
    span = store.add_span(article, "ana", Span(38, 44, "LOCATION"))
    row = store._db.execute("SELECT kb_id, link_status FROM spans WHERE id = ?", [span.id])
    assert row.fetchone() == ("", "")
    with pytest.raises(sqlite3.IntegrityError):
        store._db.execute("UPDATE spans SET kb_id = NULL WHERE id = ?", [span.id])


def test_link_statuses_name_the_spans_by_where_they_are(store, article):
    linked = store.add_span(article, "ana", Span(38, 44, "LOCATION"))
    store.add_span(article, "ana", Span(0, 5, "FACTION"))
    set_span_link(store, linked.id, "geonames:168519")
    assert link_statuses(store, article, "ana") == {(38, 44, "LOCATION"): "linked"}
    assert link_statuses(store, article, "bo") == {}
