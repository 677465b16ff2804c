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


def test_a_key_of_an_annotator_without_the_claim_is_refused_in_words():
    """The heading offers every lane's key: cem's on ana's and ben's quote raised KeyError."""
    with pytest.raises(ChoiceRefused, match="cem has no version of this claim: only ana, ben"):
        take_claim_choice([CLAIM], ClaimWork(), QUOTE, "cem", KINDS, SCHEME)


def test_a_claim_gold_holds_with_other_edges_is_not_added_again():
    """ben's shorter extent taken, then a choice on ana's longer claim's attribute added the
    longer claim back: two claims in gold for one statement."""
    shorter = Span(15, 28, "CLAIM")
    for choice in ("ana", "none"):
        with pytest.raises(ChoiceRefused, match=r"other edges \(characters 15-28\)") as refused:
            take_claim_choice([shorter], ClaimWork(), QUOTE, choice, KINDS, SCHEME)
        # in the window, by its words
        words = refused.value.in_words("x" * 15 + "they held Gao" + " and more")
        assert words.startswith("gold holds this claim with other edges (CLAIM 'they held Gao')")
    assert claim_choice_label(ClaimWork(), QUOTE, SCHEME, [shorter]) == "the claim with other edges"
    assert claim_choice_label(ClaimWork(), QUOTE, SCHEME, []) == "no claim"
    # A claim gold does not hold at all (not in the pre-fill) still comes in with the choice.
    gold, _ = take_claim_choice([REBELS], ClaimWork(), QUOTE, "ana", KINDS, SCHEME)
    assert CLAIM in gold


def test_a_source_gold_holds_under_another_label_is_taken_as_gold_has_it():
    """The Observatory settled as a SOURCE; ben's version has it as a FACTION: every key was
    refused ("overlaps the SOURCE span ... settle that span first"), though it was."""
    as_faction = Span(38, 49, "FACTION")
    army = Span(55, 59, "FACTION")
    sources = SourceDisagreement(
        CLAIM, "source", {"ana": (OBSERVATORY,), "ben": (as_faction, army)}
    )
    gold, work = take_claim_choice([CLAIM, OBSERVATORY], ClaimWork(), sources, "ben", KINDS, SCHEME)
    assert gold == [CLAIM, OBSERVATORY, army]
    assert work.sources(CLAIM) == {OBSERVATORY, army}


def test_all_sources_that_overlap_one_another_are_refused_saying_so():
    """The refusal named "the SOURCE span ... in gold: settle that span first", and neither
    span was in gold: the annotators' sources overlap one another."""
    longer = Span(38, 50, "SOURCE")
    both = SourceDisagreement(CLAIM, "source", {"ana": (OBSERVATORY,), "ben": (longer,)})
    with pytest.raises(ChoiceRefused) as refused:
        take_claim_choice([REBELS, CLAIM], ClaimWork(), both, "all", KINDS, SCHEME)
    assert str(refused.value) == (
        "the sources overlap one another (SOURCE 38-50 and SOURCE 38-49): gold holds one "
        "of them; take one annotator's version"
    )
