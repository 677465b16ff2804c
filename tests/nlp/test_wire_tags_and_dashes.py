"""Wire copy's headline tags and dashes, with the default pipeline and the blank one: a tag
opening a story is no part of a claim nor its source; the writer's aside after a dash is no
part of the claim, nor its speaker, nor a hedge of it; a spaced dash joins no words into a
name, nor one statement to the next."""

from __future__ import annotations

import pytest

from annotator.nlp import DEFAULT_PIPELINE, load_preannotator
from tests.nlp.helpers import claim_sources, claims_said, suggest_one, texts_of, with_ents


@pytest.fixture(scope="module")
def default():
    return load_preannotator(DEFAULT_PIPELINE)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EXCLUSIVE-Wagner fighters pull out of Mali base, sources say",
         {"Wagner fighters pull out of Mali base": ("sources", "SOURCE")}),
        ("UPDATE 2-Israeli strikes kill 12 in southern Lebanon, ministry says",
         {"Israeli strikes kill 12 in southern Lebanon": ("ministry", "SOURCE")}),
        ("WRAPUP 2-Israel says it killed Hamas commander",
         {"it killed Hamas commander": ("Israel", "FACTION")}),
    ],
)  # fmt: skip
def test_a_headline_tag_is_no_part_of_the_claim_nor_its_source(default, text, expected):
    """A hostile check's headlines: the claim began "EXCLUSIVE-Wagner fighters", "UPDATE
    2-Israeli strikes", and "WRAPUP 2" was a SOURCE, Israel's claim its own."""
    assert claim_sources(default, text) == expected
    assert texts_of(text, suggest_one(default, text), "SOURCE") == [
        words for words, label in expected.values() if label == "SOURCE"
    ]


def test_a_headline_tag_is_no_part_of_a_claim_found_by_words(rules):
    text = "UPDATE 2-Israeli strikes kill 12 in southern Lebanon, ministry says"
    assert texts_of(text, suggest_one(rules, text), "CLAIM") == [
        "Israeli strikes kill 12 in southern Lebanon"
    ]


DRONE = (
    "The Houthis said they had shot down a U.S. drone over Marib — a claim the Pentagon did "
    "not confirm — and vowed more attacks."
)
AIRBASE = "The rebels said they had taken the airbase - a claim the army denied."


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (DRONE, {"they had shot down a U.S. drone over Marib": ("Houthis", {})}),
        (AIRBASE, {"they had taken the airbase": ("rebels", {})}),
        # the writer's own doubt there hedges it
        ("The army said it had killed 30 fighters - a figure that could not be independently "
         "verified.", {"it had killed 30 fighters": ("army", {"hedged": "yes"})}),
    ],
)  # fmt: skip
def test_the_writers_aside_neither_hedges_the_claim_nor_speaks_it(
    request, pipeline, text, expected
):
    """A hostile check's asides: "— a claim the Pentagon did not confirm —" made the claim
    hedged, and without a parse "claim the Pentagon" was its source; "- a claim the army
    denied" made the army's denial the claim's source and polarity. A party's silence is no
    hedge; the writer's "could not be independently verified" is."""
    assert claims_said(request.getfixturevalue(pipeline), text) == expected


@pytest.mark.parametrize(
    ("text", "ents", "places", "factions"),
    [
        ("The rebels took Sake, west of Goma - the army said fighting continued.",
         [("Goma - the army", "ORG")], ["Goma"], ["rebels", "army"]),
        ("Families fled the village of Kibati - M23 fighters moved in.",
         [], ["Kibati"], ["M23 fighters"]),
        # a dash between words joins them
        ("Families fled the village of Deir ez-Zor.", [], ["Deir ez-Zor"], []),
    ],
)  # fmt: skip
def test_a_spaced_dash_joins_no_words_into_a_name(rules, text, ents, places, factions):
    """A hostile check's wire story: "west of Goma - the army said" gave the FACTION "Goma -
    the army", the source of a claim not the army's."""
    spans = rules.entities.spans(with_ents(rules, text, ents))
    assert (texts_of(text, spans, "LOCATION"), texts_of(text, spans, "FACTION")) == (
        places,
        factions,
    )


@pytest.mark.slow
def test_a_statement_after_a_spaced_dash_is_its_speakers_own(default):
    """The parser hung "The M23 rebels said …" from the army's "said" after the dash: it was
    the army's claim, and the army's own words no claim."""
    text = (
        "GOMA, Feb 10 (Reuters) - The M23 rebels said they had seized Sake, a town west of "
        "Goma - the army said fighting continued there."
    )
    assert claim_sources(default, text) == {
        "they had seized Sake, a town west of Goma": ("M23 rebels", "FACTION"),
        "fighting continued there": ("army", "FACTION"),
    }


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
def test_an_aside_after_the_saying_verb_keeps_the_claim_and_its_source(request, pipeline):
    """A hostile check's wire story: "… said on Wednesday - the highest toll in a week" had
    no claim and no source, which it had without the aside."""
    text = (
        "BEIRUT, Oct 2 (Reuters) - Israeli strikes killed 12 people in the town of Nabatieh, "
        "Lebanon's health ministry said on Wednesday - the highest toll in a week."
    )
    assert claim_sources(request.getfixturevalue(pipeline), text) == {
        "Israeli strikes killed 12 people in the town of Nabatieh": ("health ministry", "SOURCE")
    }


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels said they had taken the airbase, a claim the army denied.",
         {"they had taken the airbase": ("Rebels", {})}),
        ("Hamas said the strikes hit a school, a claim Israel denied.",
         {"the strikes hit a school": ("Hamas", {})}),
        ("Rebels said they had taken the airbase, a charge Moscow rejects.",
         {"they had taken the airbase": ("Rebels", {})}),
        ("Rebels said they had taken the airbase, an assertion that could not be verified.",
         {"they had taken the airbase": ("Rebels", {"hedged": "yes"})}),
    ],
)  # fmt: skip
def test_the_writers_aside_after_a_comma_is_as_after_a_dash(request, pipeline, text, expected):
    """A hostile check's Reuters form: ", a claim the army denied" made "Rebels said they had
    taken the airbase" a second claim, the army's, denied; ", a charge Moscow rejects" stayed
    in the claim, and ", an assertion that could not be verified" did not hedge it."""
    assert claims_said(request.getfixturevalue(pipeline), text) == expected


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("M23 rebels said they controlled the Kyiv - Kharkiv road.",
         {"they controlled the Kyiv - Kharkiv road": "M23 rebels"}),
        ("The army said Hezbollah fired rockets across the Israel – Lebanon border on Sunday.",
         {"Hezbollah fired rockets across the Israel – Lebanon border on Sunday": "army"}),
    ],
)  # fmt: skip
def test_a_spaced_dash_between_two_names_before_a_road_joins_them(
    request, pipeline, text, expected
):
    """A hostile check's road: the claim was "they controlled the Kyiv", cut at the dash as
    at one that opens an aside."""
    found = claims_said(request.getfixturevalue(pipeline), text)
    assert {words: source for words, (source, _) in found.items()} == expected


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels said they shot down a drone near Anefis — a claim the junta did not confirm — "
         "and captured two soldiers.",
         {"they shot down a drone near Anefis": ("Rebels", {}),
          "captured two soldiers": ("Rebels", {})}),
        ("The Turkish defence ministry said its drones struck Kurdish YPG targets near Afrin — "
         "a claim the SDF rejected — killing five.",
         {"its drones struck Kurdish YPG targets near Afrin": ("Turkish defence ministry", {}),
          "killing five": ("Turkish defence ministry", {})}),
        # the writer's doubt hedges both; a pledge after it is no claim (DRONE)
        ("The army said it had killed 30 fighters — a figure that could not be independently "
         "verified — and seized weapons.",
         {"it had killed 30 fighters": ("army", {"hedged": "yes"}),
          "seized weapons": ("army", {"hedged": "yes"})}),
    ],
)  # fmt: skip
def test_the_words_after_the_writers_aside_are_claimed_too(request, pipeline, text, expected):
    """A hostile check's wire story: the claim stopped at "near Anefis", and "and captured two
    soldiers" after the aside was no claim (in the default pipeline, with the junta its
    speaker once it was)."""
    assert claims_said(request.getfixturevalue(pipeline), text) == expected
