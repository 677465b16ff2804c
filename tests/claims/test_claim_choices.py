"""The review keys on claim disagreements: one annotator's version, all sources, none."""

import pytest

from annotator.core.model import DEFAULT_LABELS, Span
from annotator.core.relations import (
    DEFAULT_ATTRIBUTE_TYPES,
    DEFAULT_RELATION_TYPES,
    ClaimWork,
    SpanAttribute,
    SpanRelation,
)
from annotator.review.claim_choices import (
    ChoiceRefused,
    can_take_all_claims,
    claim_choice_label,
    take_claim_choice,
)
from annotator.review.claims import AttributeDisagreement, ClaimScheme, SourceDisagreement

KINDS = {label.name: label.kind for label in DEFAULT_LABELS}
SCHEME = ClaimScheme(DEFAULT_RELATION_TYPES, DEFAULT_ATTRIBUTE_TYPES)
REBELS = Span(0, 6, "FACTION")
CLAIM = Span(15, 32, "CLAIM")
OBSERVATORY = Span(38, 49, "SOURCE")
SOURCES = SourceDisagreement(CLAIM, "source", {"ana": (REBELS,), "ben": (OBSERVATORY,), "cem": ()})
QUOTE = AttributeDisagreement(CLAIM, "quote", {"ana": "yes", "ben": "no"})


def test_one_annotators_source_all_of_them_or_none():
    gold, work = take_claim_choice([REBELS], ClaimWork(), SOURCES, "ben", KINDS, SCHEME)
    assert gold == [REBELS, CLAIM, OBSERVATORY]  # the claim and its source come into gold
    assert work.sources(CLAIM) == {OBSERVATORY}
    assert claim_choice_label(work, SOURCES, SCHEME) == "ben"

    gold, work = take_claim_choice(gold, work, SOURCES, "all", KINDS, SCHEME)
    assert work.sources(CLAIM) == {REBELS, OBSERVATORY}
    assert claim_choice_label(work, SOURCES, SCHEME) == "all"

    gold, work = take_claim_choice(gold, work, SOURCES, "none", KINDS, SCHEME)
    assert work.relations == () and CLAIM in gold
    assert claim_choice_label(work, SOURCES, SCHEME) == "cem"  # cem gave none either
    assert can_take_all_claims(SOURCES) and not can_take_all_claims(QUOTE)


def test_an_attribute_takes_one_value_or_the_default():
    gold, work = take_claim_choice([], ClaimWork(), QUOTE, "ana", KINDS, SCHEME)
    assert gold == [CLAIM]  # the value needs its claim in gold
    assert work.values(CLAIM) == {"quote": "yes"}
    with pytest.raises(ChoiceRefused, match="one quote"):
        take_claim_choice(gold, work, QUOTE, "all", KINDS, SCHEME)
    _, work = take_claim_choice(gold, work, QUOTE, "none", KINDS, SCHEME)
    assert work.values(CLAIM) == {}
    assert claim_choice_label(work, QUOTE, SCHEME) == "ben"  # "no", the default, is ben's
    other = ClaimWork((SpanRelation(CLAIM, REBELS),), (SpanAttribute(CLAIM, "quote", "yes"),))
    assert take_claim_choice(gold, other, QUOTE, "none", KINDS, SCHEME)[1].relations == (
        other.relations
    )
