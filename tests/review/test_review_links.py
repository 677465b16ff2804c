"""What spans refer to, in review and agreement: the ``link`` class of disagreement (same
span, another entry), taking an annotator's entry into gold, and link accuracy per pair,
with figures computed by hand."""

from __future__ import annotations

import json
import random

import pytest

from annotator.cli import main
from annotator.core import Article, Span
from annotator.core.model import DEFAULT_LABELS, GOLD
from annotator.review.adjudication import (
    EntityConflict,
    agreed_spans,
    open_review,
    save_gold,
    take_all,
    take_none,
    take_version,
)
from annotator.review.agreement import agreement_report
from annotator.review.disagreements import KINDS, find_disagreements, rank_articles
from annotator.review.kb_links import (
    LINK,
    find_link_disagreements,
    link_choice_in_gold,
    take_link,
)
from annotator.storage import Store
from annotator.storage.links import span_links

KINDS_OF = {label.name: label.kind for label in DEFAULT_LABELS}
TEXT = "Clashes in Tripoli and Beirut; Hezbollah fighters moved to Homs and Aleppo."
LIBYA, LEBANON = "geonames:2210247", "geonames:266826"
HEZBOLLAH = "wikidata:Q41053"


def at(piece: str, label: str = "LOCATION", kb_id: str = "", link_status: str = "") -> Span:
    start = TEXT.index(piece)
    return Span(start, start + len(piece), label, kb_id=kb_id, link_status=link_status)


def test_link_is_a_class_of_its_own_after_the_claims():
    assert KINDS[-1] == LINK == "link"


def test_the_same_span_with_another_entry_or_none_is_a_link_disagreement():
    versions = {
        "ana": [at("Tripoli", kb_id=LIBYA), at("Beirut"), at("Hezbollah", "FACTION", HEZBOLLAH)],
        "ben": [at("Tripoli", kb_id=LEBANON), at("Beirut"), at("Hezbollah", "FACTION")],
        "cem": [at("Tripoli", kb_id=LIBYA), at("Homs", kb_id="geonames:169577")],
    }
    found = find_link_disagreements(versions)
    assert [(d.span.key, dict(d.versions)) for d in found] == [
        (at("Tripoli").key, {"ana": LIBYA, "ben": LEBANON, "cem": LIBYA}),
        # an entry against none; cem, who has no such span, is not a version
        (at("Hezbollah", "FACTION").key, {"ana": HEZBOLLAH, "ben": ""}),
    ]
    assert {d.kind for d in found} == {"link"}
    # Beirut, unlinked by both who have it, is agreed on its entry; the spans cem lacks or
    # alone has are span disagreements
    assert [d.kind for d in find_disagreements(versions, KINDS_OF)] == ["missing"] * 3


def test_take_link_writes_the_chosen_entry_onto_gold():
    (d,) = find_link_disagreements(
        {"ana": [at("Tripoli", kb_id=LIBYA)], "ben": [at("Tripoli", kb_id=LEBANON)]}
    )
    gold = [at("Tripoli"), at("Beirut")]  # the pre-fill: the span, no entry (they differ)
    assert link_choice_in_gold(gold, d) is None
    chosen = take_link(gold, d, "ben", KINDS_OF)
    assert [(s.key, s.kb_id) for s in chosen] == [
        (at("Tripoli").key, LEBANON),
        (at("Beirut").key, ""),
    ]
    assert link_choice_in_gold(chosen, d) == "ben"
    assert link_choice_in_gold(take_link(chosen, d, "ana", KINDS_OF), d) == "ana"
    with pytest.raises(KeyError):
        take_link(gold, d, "cem", KINDS_OF)


def test_gold_holds_the_annotator_whose_verdict_it_holds_not_the_first_with_no_entry():
    """ana's "not in the gazetteer" and ben's "ambiguous" both have no entry: gold holding
    ben's was said to hold ana's, and so was gold before any choice (no verdict at all)."""
    (d,) = find_link_disagreements(
        {
            "ana": [at("Tripoli", link_status="unknown")],
            "ben": [at("Tripoli", link_status="ambiguous")],
            "cem": [at("Tripoli", kb_id=LIBYA)],
        }
    )
    assert link_choice_in_gold([at("Tripoli")], d) is None  # the pre-fill: nobody's
    assert link_choice_in_gold(take_link([at("Tripoli")], d, "ben", KINDS_OF), d) == "ben"
    assert link_choice_in_gold(take_link([], d, "ana", KINDS_OF), d) == "ana"
    assert link_choice_in_gold(take_link([], d, "cem", KINDS_OF), d) == "cem"
    stored = [at("Tripoli", kb_id=LIBYA, link_status="linked")]  # as gold reads back
    assert link_choice_in_gold(stored, d) == "cem"


def test_take_link_adds_the_span_where_gold_lacks_it_unless_it_would_overlap():
    (d,) = find_link_disagreements({"ana": [at("Tripoli", kb_id=LIBYA)], "ben": [at("Tripoli")]})
    assert [(s.key, s.kb_id) for s in take_link([], d, "ana", KINDS_OF)] == [
        (at("Tripoli").key, LIBYA)
    ]
    start = TEXT.index("Tripoli")
    overlapping = [Span(start - 3, start + 3, "FACTION")]
    with pytest.raises(EntityConflict):
        take_link(overlapping, d, "ana", KINDS_OF)


def test_gold_keeps_entries_the_annotators_agree_on_and_takes_an_annotators_own():
    versions = {
        "ana": [at("Tripoli", kb_id=LIBYA), at("Homs", kb_id="geonames:169577")],
        "ben": [at("Tripoli", kb_id=LEBANON), at("Homs", kb_id="geonames:169577")],
    }
    prefill = {s.key: s.kb_id for s in agreed_spans(versions)}
    assert prefill == {at("Tripoli").key: "", at("Homs").key: "geonames:169577"}
    versions["ben"].append(at("Beirut", kb_id=LEBANON))
    (missing,) = find_disagreements(versions, KINDS_OF)
    assert [(s.key, s.kb_id) for s in take_version([], missing, "ben", KINDS_OF, TEXT)] == [
        (at("Beirut").key, LEBANON)
    ]
    # "all" is nobody's version: a span keeps the entry gold has on it (chosen before),
    # else the one the annotators who have it agree on
    gold = [at("Beirut", kb_id="geonames:276781")]
    assert [s.kb_id for s in take_all(gold, missing, KINDS_OF, TEXT)] == ["geonames:276781"]
    assert [s.kb_id for s in take_all([], missing, KINDS_OF, TEXT)] == [LEBANON]
    assert take_none(gold, missing, KINDS_OF) == []


def test_saving_gold_writes_the_chosen_entry_and_marks_it_linked(store):
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    store.replace_spans(article_id, "ana", [at("Tripoli", kb_id=LIBYA), at("Beirut")])
    store.replace_spans(article_id, "ben", [at("Tripoli", kb_id=LEBANON), at("Beirut")])
    for name in ("ana", "ben"):
        store.set_status(article_id, name, "done")
    review = open_review(store, article_id)
    (d,) = review.link_disagreements
    assert dict(d.versions) == {"ana": LIBYA, "ben": LEBANON}
    assert review.disagreements == []  # the spans themselves agree
    save_gold(store, article_id, take_link(review.gold, d, "ana", review.kinds))
    gold = {s.key: s for s in store.spans(article_id, GOLD)}
    assert gold[at("Tripoli").key].kb_id == LIBYA and gold[at("Beirut").key].kb_id == ""
    assert span_links(store, article_id, GOLD) == {gold[at("Tripoli").key].id: (LIBYA, "linked")}
    assert link_choice_in_gold(open_review(store, article_id).gold, d) == "ana"


def test_an_annotators_verdict_of_no_entry_taken_into_gold_stays_with_it(store):
    """Taking ana's "not in the gazetteer" (a link, or a span only she has) gave gold the
    span with no verdict: "–", as for a span nobody looked at; the list said "no entry"."""
    from annotator.review.adjudication import take_version
    from annotator.ui.review_claims import version_text

    (article_id,) = store.add_articles([Article(TEXT)]).ids
    tripoli, homs = at("Tripoli"), at("Homs")
    store.add_span(article_id, "ana", Span(*tripoli.key, link_status="unknown"))
    store.add_span(article_id, "ana", Span(*homs.key, link_status="unknown"))
    store.add_span(article_id, "ben", Span(*tripoli.key, kb_id=LIBYA))
    hezbollah = at("Hezbollah", "FACTION")
    store.add_span(article_id, "ana", Span(*hezbollah.key, link_status="unknown"))
    store.add_span(article_id, "ben", Span(*hezbollah.key, kb_id=HEZBOLLAH))
    for name in ("ana", "ben"):
        store.set_status(article_id, name, "done")
    review = open_review(store, article_id)
    link, faction = review.link_disagreements
    assert dict(link.verdicts) == {"ana": "unknown"}
    assert version_text(link, "ana", TEXT) == "not in the gazetteer"
    assert version_text(faction, "ana", TEXT) == "not in the actors"
    assert version_text(link, "ben", TEXT) == LIBYA
    (missing,) = review.disagreements  # Homs: ana's alone
    gold = take_version(review.gold, missing, "ana", review.kinds, review.article.text)
    gold = take_link(gold, link, "ana", review.kinds)
    save_gold(store, article_id, gold)
    saved = {
        s.key: span_links(store, article_id, GOLD).get(s.id) for s in store.spans(article_id, GOLD)
    }
    assert saved[tripoli.key] == ("", "unknown") and saved[homs.key] == ("", "unknown")
    # and ben's entry over it: linked, the verdict gone
    save_gold(store, article_id, take_link(gold, link, "ben", review.kinds))
    (span,) = [s for s in store.spans(article_id, GOLD) if s.key == tripoli.key]
    assert span_links(store, article_id, GOLD)[span.id] == (LIBYA, "linked")


# -- every article at once, and agreement ---------------------------------------------------


def _linked_project(store: Store) -> list[int]:
    """Two articles. The first, done by ana, ben and cem:

    - Tripoli: ana Libya, ben Libya, cem Lebanon;
    - Hezbollah: ana Q41053, ben none, cem Q41053;
    - Beirut: nobody links it;
    - Homs: ana and cem, both the same place (ben has no such span).

    The second, done by ana and ben (cem's work there is in progress, so not compared):
    Aleppo, both the same place; cem another. Gold links Tripoli to Lebanon: never compared.
    """
    first, second = store.add_articles([Article(TEXT), Article(TEXT + " ")]).ids
    homs = "geonames:169577"
    spans = {
        "ana": [at("Tripoli", kb_id=LIBYA), at("Hezbollah", "FACTION", HEZBOLLAH),
                at("Beirut"), at("Homs", kb_id=homs)],
        "ben": [at("Tripoli", kb_id=LIBYA), at("Hezbollah", "FACTION"), at("Beirut")],
        "cem": [at("Tripoli", kb_id=LEBANON), at("Hezbollah", "FACTION", HEZBOLLAH),
                at("Beirut"), at("Homs", kb_id=homs)],
    }  # fmt: skip
    for name, theirs in spans.items():
        store.replace_spans(first, name, theirs)
        store.set_status(first, name, "done")
    for name, entry in (("ana", "geonames:170063"), ("ben", "geonames:170063"), ("cem", "x:1")):
        store.replace_spans(second, name, [at("Aleppo", kb_id=entry)])
        store.set_status(second, name, "in_progress" if name == "cem" else "done")
    store.replace_spans(first, GOLD, [at("Tripoli", kb_id=LEBANON)])
    return [first, second]


def test_the_list_counts_link_disagreements_as_the_review_screen_finds_them(store):
    first, second = _linked_project(store)
    counts = {row.article_id: row.counts for row in rank_articles(store)}
    assert counts[first][LINK] == 2  # Tripoli, Hezbollah
    assert counts[second][LINK] == 0  # ana and ben agree; cem is not compared
    for article_id in (first, second):
        found = open_review(store, article_id).link_disagreements
        assert counts[article_id][LINK] == len(found)


def test_link_accuracy_per_pair_computed_by_hand(store):
    _linked_project(store)
    report = agreement_report(store)
    pairs = {(p.a, p.b): p for p in report.links.pairs}
    # ana/ben: Tripoli (same), Hezbollah (one unlinked), Aleppo (same); Beirut unlinked by
    # both does not count: 2 of 3
    assert (pairs["ana", "ben"].spans, pairs["ana", "ben"].agreed) == (3, 2)
    assert pairs["ana", "ben"].articles == 2
    # ana/cem: Tripoli (differs), Hezbollah (same), Homs (same): 2 of 3, one article
    ana_cem = pairs["ana", "cem"]
    assert (ana_cem.spans, ana_cem.agreed, ana_cem.articles) == (3, 2, 1)
    # ben/cem: Tripoli (differs), Hezbollah (unlinked by ben): 0 of 2
    assert (pairs["ben", "cem"].spans, pairs["ben", "cem"].agreed) == (2, 0)
    assert pairs["ana", "ben"].accuracy == pytest.approx(2 / 3)
    assert pairs["ben", "cem"].accuracy == 0.0
    table = report.format_table()
    assert "links (what spans refer to)" in table
    assert "ana / ben         2       3     0.667" in table


def test_link_accuracy_without_links_is_none(store):
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    for name in ("ana", "ben"):
        store.replace_spans(article_id, name, [at("Tripoli")])
        store.set_status(article_id, name, "done")
    report = agreement_report(store)
    ((pair),) = report.links.pairs
    assert (pair.spans, pair.accuracy) == (0, None)
    assert "links (what spans refer to)" not in report.format_table()


def test_agreement_json_has_link_accuracy(tmp_path, capsys):
    path = tmp_path / "p.db"
    with Store(path) as store:
        _linked_project(store)
    assert main(["agreement", str(path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["links"]["pairs"][0] == {
        "a": "ana",
        "b": "ben",
        "articles": 2,
        "spans": 3,
        "agreed": 2,
        "accuracy": pytest.approx(2 / 3),
    }


def test_list_counts_match_the_screen_on_random_projects(store):
    """Random spans and entries, three annotators: the array count is the screen's."""
    rng = random.Random(7)
    words = [m for m in ("Clashes", "Tripoli", "Beirut", "Hezbollah", "Homs", "Aleppo")]
    entries = ["", "", "geonames:1", "geonames:2", "wikidata:Q3"]
    ids = store.add_articles([Article(f"{TEXT} {n}") for n in range(12)]).ids
    for article_id in ids:
        for name in ("ana", "ben", "cem"):
            chosen = rng.sample(words, rng.randint(1, len(words)))
            spans = [at(word, "LOCATION", rng.choice(entries)) for word in chosen]
            store.replace_spans(article_id, name, spans)
            if rng.random() < 0.8:
                store.set_status(article_id, name, "done")
    rows = rank_articles(store)
    assert rows and sum(row.counts[LINK] for row in rows) > 5
    for row in rows:
        versions = {n: store.spans(row.article_id, n) for n in row.annotators}
        assert row.counts[LINK] == len(find_link_disagreements(versions))
