"""The writer's aside after a claim, and the speaker's pledge joined to it, with the default
pipeline and the blank one, as a second hostile check found them: a comma phrase that ends
in a saying verb is the claim's source, no aside; the words after a comma aside are claimed
as after dashes; the writer's doubt in a "which" stays out; a vow is no part of a claim."""

from __future__ import annotations

import pytest

from annotator.nlp import DEFAULT_PIPELINE, load_preannotator
from tests.nlp.helpers import claims_said


@pytest.fixture(scope="module")
def default():
    return load_preannotator(DEFAULT_PIPELINE)


GAZA = "Israeli strikes killed 30 people in Gaza"


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
@pytest.mark.parametrize(
    ("text", "source"),
    [
        (f"{GAZA}, a tally by the health ministry said.", "tally by the health ministry"),
        (f"{GAZA}, the latest tally from the health ministry said.",
         "latest tally from the health ministry"),
        (f"{GAZA}, a Reuters tally showed on Monday.", "Reuters tally"),
    ],
)  # fmt: skip
def test_a_comma_phrase_ending_in_a_saying_verb_is_the_source(request, pipeline, text, source):
    """Version 12 gave the SOURCE "latest tally from the health ministry"; 13 read ", the
    latest tally" as the writer's aside, and the claim had no source."""
    assert claims_said(request.getfixturevalue(pipeline), text) == {GAZA: (source, {})}


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
def test_an_aside_whose_noun_a_party_confirms_stays_the_writers(request, pipeline):
    text = "Rebels said they had taken the airbase, a claim the army confirmed."
    assert claims_said(request.getfixturevalue(pipeline), text) == {
        "they had taken the airbase": ("Rebels", {})
    }


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels said they had taken the airbase, a claim the army denied, and killed five "
         "soldiers.",
         {"they had taken the airbase": ("Rebels", {}), "killed five soldiers": ("Rebels", {})}),
        ("The RSF said it had seized El Fasher, a claim the army denied, and killed five "
         "soldiers.",
         {"it had seized El Fasher": ("RSF", {}), "killed five soldiers": ("RSF", {})}),
        # a pledge after it is none
        ("Rebels said they had taken the airbase, a claim the army denied, and vowed more "
         "attacks.", {"they had taken the airbase": ("Rebels", {})}),
    ],
)  # fmt: skip
def test_the_words_after_a_comma_aside_are_a_claim_of_the_speaker(
    request, pipeline, text, expected
):
    """The parser hung the aside from "Rebels" and "killed" from "said": the claim had no
    source, and the soldiers were in no claim ("The RSF said…" had both)."""
    assert claims_said(request.getfixturevalue(pipeline), text) == expected


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
@pytest.mark.parametrize("aside", [", a claim Israel denied,", " — a claim Israel denied —"])
def test_a_participle_after_a_comma_aside_is_claimed_as_after_dashes(request, pipeline, aside):
    """ "…, a claim Israel denied, killing 20 people" gave no claim for the killing (the
    parser hung it from "claim"), which the dashes gave, Hamas's."""
    text = f"Hamas said the strikes hit a school{aside} killing 20 people."
    assert claims_said(request.getfixturevalue(pipeline), text) == {
        "the strikes hit a school": ("Hamas", {}),
        "killing 20 people": ("Hamas", {}),
    }


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
@pytest.mark.parametrize(
    "doubt",
    [", which could not be verified", ", which Reuters could not independently verify",
     ", a claim that could not be verified"],
)  # fmt: skip
def test_the_writers_doubt_in_a_which_stays_out_of_the_claim_and_hedges_it(
    request, pipeline, doubt
):
    """ "…in Marib, which could not be verified" was claimed with the doubt in it."""
    text = f"The Houthis said they had killed 40 militants in Marib{doubt}."
    assert claims_said(request.getfixturevalue(pipeline), text) == {
        "they had killed 40 militants in Marib": ("Houthis", {"hedged": "yes"})
    }


ROCKETS = "Hezbollah said it fired rockets at northern Israel"


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
@pytest.mark.parametrize(
    "pledge",
    [" and vowed to retaliate", ", and threatened more deadly attacks",
     " and called on residents to leave"],
)  # fmt: skip
def test_the_speakers_pledge_after_its_claim_is_no_part_of_it(request, pipeline, pledge):
    """ "… and vowed to retaliate" was claimed with the rockets; ", and threatened further
    attacks" made "Hezbollah said it fired rockets at northern Israel" a claim of nobody's."""
    assert claims_said(request.getfixturevalue(pipeline), f"{ROCKETS}{pledge}.") == {
        "it fired rockets at northern Israel": ("Hezbollah", {})
    }


@pytest.mark.parametrize("pipeline", ["rules", pytest.param("default", marks=pytest.mark.slow)])
def test_a_pledge_of_another_party_is_part_of_the_claim(request, pipeline):
    text = "Hezbollah said Israel fired rockets at Tyre and vowed to retaliate."
    assert claims_said(request.getfixturevalue(pipeline), text) == {
        "Israel fired rockets at Tyre and vowed to retaliate": ("Hezbollah", {})
    }
