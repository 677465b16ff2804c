"""Suggested sources and attributes of claims, on small hand-written sentences: with the
default pipeline's parse, and with the blank pipeline's word patterns."""

from __future__ import annotations

import pytest

from annotator.core.model import Span
from annotator.core.text import join_hard_line_breaks
from annotator.nlp.attribution import attribute_claims
from annotator.nlp.loading import load_preannotator, load_rules_only


@pytest.fixture(scope="module")
def blank():
    return load_rules_only()


@pytest.fixture(scope="module")
def parsed():
    return load_preannotator(None)


def claim(text: str, words: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words), "CLAIM")


def entity(text: str, words: str, label: str = "FACTION") -> Span:
    start = text.index(words)
    return Span(start, start + len(words), label)


def sources(preannotator, text: str, claims: list[Span], entities=()) -> dict[str, tuple]:
    """Claim text -> (source text, label) and claim text -> attribute values."""
    doc = preannotator.nlp(join_hard_line_breaks(text))
    found = attribute_claims(doc, claims, list(entities))
    of = {text[r.head.start : r.head.end]: r.child for r in found.relations}
    values: dict[str, dict[str, str]] = {}
    for a in found.attributes:
        values.setdefault(text[a.span.start : a.span.end], {})[a.name] = a.value
    return {
        text[c.start : c.end]: (
            (text[of[text[c.start : c.end]].start : of[text[c.start : c.end]].end],
             of[text[c.start : c.end]].label)
            if text[c.start : c.end] in of
            else None,
            values.get(text[c.start : c.end], {}),
        )
        for c in claims
    }  # fmt: skip


TRAILING = "At least 40 trucks were burned, activists and state media said."
LEADING = "The Syrian Observatory for Human Rights said that 12 civilians were killed in Ariha."
ACCORDING = "According to the World Food Programme, helicopters last reached the town in May."
QUOTED = '"We have nowhere left to go," a father of four told reporters.'
DENIED = "The RSF denied hitting civilians in the market."


@pytest.mark.parametrize("pipeline", ["blank", pytest.param("parsed", marks=pytest.mark.slow)])
@pytest.mark.parametrize(
    ("text", "claimed", "source"),
    [
        (TRAILING, "At least 40 trucks were burned", "activists and state media"),
        (LEADING, "12 civilians were killed in Ariha", "Syrian Observatory for Human Rights"),
        (ACCORDING, "helicopters last reached the town in May", "World Food Programme"),
        (QUOTED, "We have nowhere left to go", "father of four"),
    ],
)
def test_a_claims_speaker_becomes_a_source_span(request, pipeline, text, claimed, source):
    found = sources(request.getfixturevalue(pipeline), text, [claim(text, claimed)])
    assert found[claimed][0] == (source, "SOURCE")


@pytest.mark.parametrize("pipeline", ["blank", pytest.param("parsed", marks=pytest.mark.slow)])
def test_a_faction_that_speaks_is_the_source_and_no_source_span_is_made(request, pipeline):
    text = "Hayat Tahrir al-Sham said its fighters had fired rockets at army positions."
    claimed = claim(text, "its fighters had fired rockets at army positions")
    faction = entity(text, "Hayat Tahrir al-Sham")
    doc = request.getfixturevalue(pipeline).nlp(text)
    found = attribute_claims(doc, [claimed], [faction, entity(text, "army")])
    assert found.sources == []
    (relation,) = found.relations
    assert (relation.head, relation.child, relation.label) == (claimed, faction, "source")
    assert relation.origin == "model"


@pytest.mark.slow
def test_a_spokesman_for_a_faction_speaks_for_it(parsed):
    text = "A spokesman for the RSF said the paramilitary group had taken the airport."
    claimed = "the paramilitary group had taken the airport"
    found = sources(parsed, text, [claim(text, claimed)], [entity(text, "RSF")])
    assert found[claimed][0] == ("RSF", "FACTION")


@pytest.mark.slow
def test_a_source_span_keeps_off_entities(parsed):
    text = "US officials said the strike had killed a senior commander."
    claimed = "the strike had killed a senior commander"
    found = sources(parsed, text, [claim(text, claimed)], [entity(text, "US", "LOCATION")])
    assert found[claimed][0] == ("officials", "SOURCE")


@pytest.mark.slow
def test_one_source_span_for_a_speaker_of_several_claims(parsed):
    text = (
        "The Observatory said 12 people were killed in Ariha. "
        "The Observatory said four children were among them."
    )
    claims = [claim(text, "12 people were killed in Ariha"), claim(text, "four children")]
    claims[1] = Span(claims[1].start, text.index(" were among") + 17, "CLAIM")
    doc = parsed.nlp(text)
    found = attribute_claims(doc, claims, [])
    assert len(found.sources) == 2  # two mentions, two spans: each is where it is said
    assert [text[s.start : s.end] for s in found.sources] == ["Observatory", "Observatory"]
    assert len(found.relations) == 2


@pytest.mark.slow
def test_a_first_person_in_a_quotation_is_the_quotations_speaker(parsed):
    text = '"I think we have learned a lot from this game," the coach said.'
    claimed = "we have learned a lot from this game"
    assert sources(parsed, text, [claim(text, claimed)])[claimed][0] == ("coach", "SOURCE")


@pytest.mark.parametrize("pipeline", ["blank", pytest.param("parsed", marks=pytest.mark.slow)])
def test_a_denial_is_marked_denied(request, pipeline):
    found = sources(request.getfixturevalue(pipeline), DENIED, [claim(DENIED, "hitting civilians")])
    source, values = found["hitting civilians"]
    assert values == {"polarity": "denied"}
    assert source is not None and source[0] == "RSF"


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        ("Rebels reportedly said they had shot down a drone.", "they had shot down a drone"),
        (
            "The group said it had killed 40 soldiers. The claim could not be independently "
            "verified.",
            "it had killed 40 soldiers",
        ),
        (
            "Residents said the unconfirmed strike hit a school.",
            "the unconfirmed strike hit a school",
        ),
    ],
)
def test_a_claim_the_article_calls_unverified_is_hedged(blank, text, claimed):
    assert sources(blank, text, [claim(text, claimed)])[claimed][1] == {"hedged": "yes"}


def test_a_hedge_in_another_claim_of_the_sentence_is_not_this_claims(blank):
    text = "The army said it took the town, while rebels said they reportedly held it."
    first, second = claim(text, "it took the town"), claim(text, "they reportedly held it")
    found = sources(blank, text, [first, second])
    assert found["it took the town"][1] == {}
    assert found["they reportedly held it"][1] == {"hedged": "yes"}


def test_the_verb_alleged_attributes_without_hedging(blank):
    text = "The army alleged that rebels had hidden weapons in schools."
    claimed = "rebels had hidden weapons in schools"
    assert sources(blank, text, [claim(text, claimed)])[claimed][1] == {}


def test_a_quotation_is_marked_a_quote_and_a_paraphrase_is_not(blank):
    text = '"We fought them until our ammunition ran out," he said. He said they had left.'
    quoted, paraphrase = "We fought them until our ammunition ran out", "they had left"
    found = sources(blank, text, [claim(text, quoted), claim(text, paraphrase)])
    assert found[quoted][1] == {"quote": "yes"}
    assert found[paraphrase][1] == {}


def test_a_claim_without_a_speaker_gets_no_relation(blank):
    text = "Smoke rose over the city as fighting went on."
    found = sources(blank, text, [claim(text, "fighting went on")])
    assert found["fighting went on"] == (None, {})


def test_a_place_that_speaks_gets_no_source_span(blank):
    text = "Kidal said the convoy had been ambushed."
    claimed = "the convoy had been ambushed"
    found = sources(blank, text, [claim(text, claimed)], [entity(text, "Kidal", "LOCATION")])
    assert found[claimed][0] is None


def test_offsets_stay_those_of_the_text_across_hard_line_breaks(blank):
    text = "Fighters took the\nvillage on Monday, the local council said."
    claimed = "Fighters took the\nvillage on Monday"
    found = sources(blank, text, [claim(text, claimed)])
    assert found[claimed][0] == ("local council", "SOURCE")


@pytest.mark.parametrize("pipeline", ["blank", pytest.param("parsed", marks=pytest.mark.slow)])
def test_an_emoji_is_no_source_and_no_edge_of_one(request, pipeline):
    """A family emoji (a ZWJ sequence spaCy cuts in pieces) that "said" names nobody, and a
    speaker's words never end in a piece of one."""
    preannotator = request.getfixturevalue(pipeline)
    alone = "👨‍👩‍👧 said the shelling of Idlib continued overnight."
    claimed = "the shelling of Idlib continued overnight"
    assert sources(preannotator, alone, [claim(alone, claimed)])[claimed][0] is None
    beside = "The family 👨‍👩‍👧 said the shelling of Idlib continued overnight."
    found = sources(preannotator, beside, [claim(beside, claimed)])[claimed][0]
    assert found is None or found == ("family", "SOURCE")
