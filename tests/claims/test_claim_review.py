"""Review of who claims what: source and attribute disagreements beside span ones, settling
them in gold, and agreement figures checked against values computed by hand."""

import json
from dataclasses import replace

import pytest

from annotator.cli import main
from annotator.core.model import DEFAULT_LABELS, GOLD, Article, Span
from annotator.core.relations import (
    DEFAULT_ATTRIBUTE_TYPES,
    DEFAULT_RELATION_TYPES,
    ClaimWork,
    Relation,
    SpanAttribute,
    SpanRelation,
)
from annotator.review.adjudication import EntityConflict, open_review, save_gold
from annotator.review.agreement import agreement_report
from annotator.review.claim_gold import claim_choice_in_gold, take_attribute, take_source
from annotator.review.claims import (
    ATTRIBUTE,
    SOURCE,
    AttributeDisagreement,
    ClaimScheme,
    SourceDisagreement,
    find_claim_disagreements,
)
from annotator.review.disagreements import rank_articles
from annotator.storage import Store

KINDS = {label.name: label.kind for label in DEFAULT_LABELS}
SCHEME = ClaimScheme(DEFAULT_RELATION_TYPES, DEFAULT_ATTRIBUTE_TYPES)

TEXT = "Rebels claimed they took Saraqib, the Observatory said, but the army denied it."
#       0         1         2         3         4         5         6         7
#       01234567890123456789012345678901234567890123456789012345678901234567890123456789
REBELS = Span(0, 6, "FACTION")
CLAIM = Span(15, 32, "CLAIM")  # they took Saraqib
OBSERVATORY = Span(38, 49, "SOURCE")
ARMY = Span(64, 68, "FACTION")


def test_the_constants_name_the_words():
    assert [TEXT[s.start : s.end] for s in (REBELS, CLAIM, OBSERVATORY, ARMY)] == [
        "Rebels",
        "they took Saraqib",
        "Observatory",
        "army",
    ]


def _work(*relations, attributes=()):
    return ClaimWork(
        tuple(SpanRelation(head, child) for head, child in relations), tuple(attributes)
    )


def test_a_claim_with_another_source_is_a_source_disagreement():
    spans = {"ana": [REBELS, CLAIM, OBSERVATORY], "ben": [REBELS, CLAIM, OBSERVATORY]}
    works = {"ana": _work((CLAIM, REBELS)), "ben": _work((CLAIM, OBSERVATORY))}
    (found,) = find_claim_disagreements(spans, works, SCHEME)
    assert isinstance(found, SourceDisagreement) and found.kind == SOURCE
    assert found.claim == CLAIM and (found.start, found.end) == (15, 32)
    assert found.versions == {"ana": (REBELS,), "ben": (OBSERVATORY,)}


def test_no_source_at_all_is_a_version_too_and_the_same_sources_agree():
    spans = {"ana": [REBELS, CLAIM], "ben": [REBELS, CLAIM], "cem": [REBELS, CLAIM]}
    same = {name: _work((CLAIM, REBELS)) for name in spans}
    assert find_claim_disagreements(spans, same, SCHEME) == []
    works = dict(same, cem=ClaimWork())
    (found,) = find_claim_disagreements(spans, works, SCHEME)
    assert found.versions["cem"] == ()


def test_a_claim_only_one_annotator_has_is_a_span_matter_not_a_source_one():
    spans = {"ana": [REBELS, CLAIM], "ben": [REBELS]}
    assert find_claim_disagreements(spans, {"ana": _work((CLAIM, REBELS))}, SCHEME) == []


def test_an_attribute_with_other_values_is_an_attribute_disagreement():
    spans = {"ana": [CLAIM], "ben": [CLAIM], "cem": [CLAIM]}
    works = {
        "ana": _work(attributes=[SpanAttribute(CLAIM, "hedged", "yes")]),
        "ben": _work(attributes=[SpanAttribute(CLAIM, "hedged", "no")]),  # = the default
        "cem": ClaimWork(),
    }
    (found,) = find_claim_disagreements(spans, works, SCHEME)
    assert isinstance(found, AttributeDisagreement) and found.kind == ATTRIBUTE
    assert found.name == "hedged"
    assert found.versions == {"ana": "yes", "ben": "no", "cem": "no"}


def _project(store: Store) -> int:
    (article_id,) = store.add_articles([Article(TEXT, title="Saraqib")]).ids
    sources = {"ana": REBELS, "ben": OBSERVATORY}
    for name, source in sources.items():
        store.replace_annotations(
            article_id,
            name,
            [REBELS, CLAIM, OBSERVATORY, ARMY],
            [SpanRelation(CLAIM, source)],
            [SpanAttribute(CLAIM, "quote", "yes")] if name == "ana" else [],
        )
        store.set_status(article_id, name, "done")
    return article_id


def test_the_review_list_counts_them_as_the_review_screen_shows_them(store):
    article_id = _project(store)
    (row,) = rank_articles(store)
    review = open_review(store, article_id)
    assert row.counts == {
        "missing": 0,
        "label": 0,
        "boundary": 0,
        "source": 1,
        "attribute": 1,
        "link": 0,
    }
    assert [d.kind for d in review.claim_disagreements] == [SOURCE, ATTRIBUTE]
    assert review.disagreements == []  # the spans all agree


def test_gold_starts_with_the_relations_everyone_agrees_on(store):
    article_id = _project(store)
    for name in ("ana", "ben"):
        claim = next(s for s in store.spans(article_id, name) if s.label == "CLAIM")
        army = next(s for s in store.spans(article_id, name) if s.label == "FACTION" and s.start)
        store.add_relation(article_id, name, Relation(claim.id, army.id))
    review = open_review(store, article_id)
    assert review.gold_claims.sources(CLAIM) == {ARMY}  # ana's and ben's, not theirs alone


def test_taking_a_source_and_an_attribute_settles_them_in_gold(store):
    article_id = _project(store)
    review = open_review(store, article_id)
    source, attribute = review.claim_disagreements
    assert claim_choice_in_gold(review.gold_claims, source) is None
    gold, claims = take_source(review.gold, review.gold_claims, source, "ben", KINDS)
    assert claims.sources(CLAIM) == {OBSERVATORY}
    assert claim_choice_in_gold(claims, source) == "ben"
    quote = next(t for t in review.scheme.attribute_types if t.name == "quote")
    claims = take_attribute(claims, attribute, "ana", quote)
    assert claim_choice_in_gold(claims, attribute, quote.default) == "ana"
    assert take_attribute(claims, attribute, "ben", quote).values(CLAIM) == {}  # the default

    save_gold(store, article_id, gold, claims=claims)
    again = open_review(store, article_id)
    assert again.gold_saved and again.gold_claims.sources(CLAIM) == {OBSERVATORY}
    assert again.gold_claims.values(CLAIM) == {"quote": "yes"}
    # Saving the spans alone (the span lanes' edits) keeps the relations on kept spans.
    save_gold(store, article_id, [s for s in again.gold if s != ARMY])
    assert store.claim_work(article_id, GOLD).sources(CLAIM) == {OBSERVATORY}
    save_gold(store, article_id, [s for s in again.gold if s != OBSERVATORY])
    assert store.claim_work(article_id, GOLD).relations == ()


def test_taking_a_source_brings_its_span_into_gold_unless_it_would_overlap(store):
    article_id = _project(store)
    review = open_review(store, article_id)
    source = review.claim_disagreements[0]
    gold, claims = take_source([CLAIM], ClaimWork(), source, "ben", KINDS)
    assert gold == [CLAIM, OBSERVATORY]
    clash = [CLAIM, Span(38, 42, "LOCATION")]
    with pytest.raises(EntityConflict, match="delete or change that one in gold first"):
        take_source(clash, ClaimWork(), source, "ben", KINDS)


def _agreement_project(store: Store) -> None:
    """Two articles done by ana and ben, with sources and polarities to count by hand."""
    ids = store.add_articles([Article(TEXT), Article(TEXT + " ")]).ids
    c2 = Span(45, 52, "CLAIM")  # "ory sai" - any span will do as a second claim
    c3 = Span(68, 78, "CLAIM")
    polarity = {
        # per article, ana's and ben's values on CLAIM and c2
        "ana": [("denied", "asserted"), ("asserted", "denied")],
        "ben": [("denied", "asserted"), ("denied", "denied")],
    }
    for index, article_id in enumerate(ids):
        for name in ("ana", "ben"):
            spans = [REBELS, CLAIM, c2, OBSERVATORY, ARMY] + ([c3] if name == "ben" else [])
            relations = [SpanRelation(CLAIM, OBSERVATORY)] if index == 0 else []
            if index == 1:
                # ana: c2 -> army; ben: c2 -> a SOURCE over the same word; ben: c3 -> rebels
                relations = [SpanRelation(c2, ARMY)] if name == "ana" else []
            values = [
                SpanAttribute(claim, "polarity", value)
                for claim, value in zip((CLAIM, c2), polarity[name][index], strict=True)
                if value != "asserted"
            ]
            if name == "ben" and index == 1:
                spans = [s for s in spans if s != ARMY] + [Span(64, 68, "SOURCE")]
                relations = [
                    SpanRelation(c2, Span(64, 68, "SOURCE")),
                    SpanRelation(c3, REBELS),
                ]
            store.replace_annotations(article_id, name, spans, relations, values)
            store.set_status(article_id, name, "done")


def test_claim_agreement_figures_are_those_computed_by_hand(store):
    _agreement_project(store)
    pair = agreement_report(store).claims.pair("ana", "ben")
    # ana: CLAIM->Observatory, c2->army; ben: CLAIM->Observatory, c2->army as SOURCE, c3->rebels
    assert (pair.sources.a, pair.sources.b, pair.sources.exact, pair.sources.overlap) == (
        2,
        3,
        1,
        2,
    )
    assert pair.f1_exact == pytest.approx(2 * 1 / 5)
    assert pair.f1_partial == pytest.approx(2 * 2 / 5)
    # Polarity on the four claims both marked: ana d a a d, ben d a d d.
    # p_o = 3/4; p_e = 1/2 * 1/4 + 1/2 * 3/4 = 1/2; kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2.
    polarity = pair.attributes["polarity"]
    assert (polarity.claims, polarity.agreed) == (4, 3)
    assert polarity.observed == pytest.approx(0.75)
    assert polarity.kappa == pytest.approx(0.5)
    assert pair.attributes["quote"].kappa is None  # every value the default: no figure


def test_the_command_prints_claim_agreement(project_path, capsys):
    with Store(project_path) as store:
        _agreement_project(store)
    assert main(["agreement", str(project_path), "--json"]) == 0
    claims = json.loads(capsys.readouterr().out)["claims"]
    (pair,) = claims["pairs"]
    assert (pair["relations_a"], pair["relations_b"]) == (2, 3)
    assert pair["attributes"]["polarity"] == {"claims": 4, "observed": 0.75, "kappa": 0.5}
    assert pair["attributes"]["hedged"]["kappa"] is None
    assert main(["agreement", str(project_path)]) == 0
    table = capsys.readouterr().out
    assert "claims: who makes each claim (claim–source pair F1)" in table
    line = next(
        line
        for line in table.splitlines()
        if line.strip().startswith("ana / ben") and "2/3" in line
    )
    assert "0.400" in line and "0.800" in line and "0.500" in line
    # each kappa with the observed agreement ("hedged κ 0.000" read as no agreement where
    # 14 of 15 claims agreed); hedged: every value the default, no kappa, all agreed
    assert "polarity κ (observed)" in table
    assert line.split()[-6:] == ["0.500", "(0.750)", "-", "(1.000)", "-", "(1.000)"]


def test_a_source_taken_into_gold_keeps_the_entry_its_annotator_gave_it(store):
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    linked = replace(OBSERVATORY, kb_id="annotator:syrian-observatory")
    for name, source in {"ana": REBELS, "ben": linked}.items():
        store.replace_annotations(
            article_id, name, [REBELS, CLAIM, linked, ARMY], [SpanRelation(CLAIM, source)], []
        )
        store.set_status(article_id, name, "done")
    source = open_review(store, article_id).claim_disagreements[0]
    gold, _ = take_source([CLAIM], ClaimWork(), source, "ben", KINDS)
    assert [(s.key, s.kb_id) for s in gold] == [
        (CLAIM.key, ""),
        (OBSERVATORY.key, "annotator:syrian-observatory"),
    ]
