"""storage.links for the window and the exports: refusing a changed span, whether a project
uses links, the links of a range of articles, links an import brings; kb.describe."""

import pytest

from annotator.core import Article, Span
from annotator.kb import describe
from annotator.storage.errors import SpanConflict
from annotator.storage.links import (
    has_links,
    links_between,
    set_span_link,
    span_links,
    write_imported_links,
)

TEXT = "Hayat Tahrir al-Sham fighters entered Kassab."
HTS = "annotator:hayat-tahrir-al-sham"


@pytest.fixture
def article(store):
    [article_id] = store.add_articles([Article(TEXT)]).ids
    return article_id


def test_a_link_to_a_span_changed_elsewhere_is_refused(store, article):
    span = store.add_span(article, "ana", Span(38, 44, "LOCATION"))
    with pytest.raises(SpanConflict, match="changed elsewhere"):
        set_span_link(store, span.id, "geonames:168519", expected=(38, 44, "FACTION", ""))
    set_span_link(store, span.id, "geonames:1")  # another window links it
    with pytest.raises(SpanConflict, match="it refers to geonames:1 now"):
        set_span_link(store, span.id, "geonames:168519", expected=(38, 44, "LOCATION", ""))
    assert span_links(store, article, "ana") == {span.id: ("geonames:1", "linked")}


def test_a_project_uses_links_once_a_span_or_suggestion_has_one(store, article):
    assert not has_links(store)
    span = store.add_span(article, "ana", Span(38, 44, "LOCATION"))
    assert not has_links(store)
    set_span_link(store, span.id, "geonames:168519")
    assert has_links(store)


def test_links_of_a_range_of_articles_by_version(store, article):
    [later] = store.add_articles([Article("Kassab again.")]).ids
    for who in ("ana", "ben"):
        store.add_span(article, who, Span(38, 44, "LOCATION", kb_id=f"geonames:{who}"))
    store.add_span(article, "ana", Span(0, 20, "FACTION"))  # not linked: not listed
    store.add_span(later, "ana", Span(0, 6, "LOCATION", kb_id="geonames:168519"))
    assert links_between(store, article, article) == {
        (article, "ana"): {(38, 44, "LOCATION"): "geonames:ana"},
        (article, "ben"): {(38, 44, "LOCATION"): "geonames:ben"},
    }
    assert set(links_between(store, article, later)) == {
        (article, "ana"),
        (article, "ben"),
        (later, "ana"),
    }


def test_links_an_import_brings_are_set_on_the_spans(store, article):
    span = store.add_span(article, "ana", Span(0, 20, "FACTION"))
    rows = [
        (article, "ana", 0, 20, "FACTION", HTS, ""),
        (article, "ana", 1, 2, "FACTION", "x:y", ""),
    ]
    assert write_imported_links(store, rows) == 1  # the second names no span
    assert span_links(store, article, "ana") == {span.id: (HTS, "linked")}


def test_describe_names_an_entry_or_says_there_is_none(gazetteer):
    assert describe("geonames:168519", gazetteer).label == "Kassab, Latakia, SY"
    assert describe("geonames:168519") is None  # no gazetteer given: no place
    assert describe(HTS).label == f"Hayat Tahrir al-Sham ({HTS})"
    assert describe("wikidata:Q0") is None
