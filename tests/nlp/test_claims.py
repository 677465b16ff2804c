"""CLAIM rules on the blank pipeline (word patterns, no parser), as the fallback runs them."""

from __future__ import annotations

import pytest

from tests.nlp.helpers import suggest_one, texts_of


def claims(rules, text: str) -> list[str]:
    return texts_of(text, suggest_one(rules, text), "CLAIM")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Rebels seized Aleppo and Idlib on Monday, activists and state media said.",
            ["Rebels seized Aleppo and Idlib on Monday"],
        ),
        (
            "Government forces retook the town, the army said in a statement on Tuesday.",
            ["Government forces retook the town"],
        ),
        (
            "Forty civilians were killed in the strike, said a local council official.",
            ["Forty civilians were killed in the strike"],
        ),
        (
            "Twelve fighters died, Khaled Omar, a spokesman for the group, said.",
            ["Twelve fighters died"],
        ),
    ],
)
def test_sentence_ending_with_source_and_reporting_verb(rules, text, expected):
    assert claims(rules, text) == expected


def test_according_to_before_the_content(rules):
    text = (
        "According to the Syrian Observatory for Human Rights, 40 regime troops were "
        "killed near Homs."
    )
    assert claims(rules, text) == ["40 regime troops were killed near Homs"]


def test_according_to_after_the_content(rules):
    text = "At least 30 people died in the raid, according to local officials."
    assert claims(rules, text) == ["At least 30 people died in the raid"]


def test_source_said_that(rules):
    text = "The Nusra Front said that it had killed 40 soldiers in Hama."
    # The guidelines: the span starts after "that" and ends before the full stop.
    assert claims(rules, text) == ["it had killed 40 soldiers in Hama"]


@pytest.mark.parametrize("day", ["Monday", "on Monday", "Tuesday night"])
def test_the_day_of_the_saying_is_no_part_of_the_claim(rules, day):
    """The wires' "said Monday the rebels had…" was claimed from "Monday" ("said on Monday"
    was no claim at all without a parse)."""
    text = f"The army said {day} the rebels had withdrawn from Sake."
    assert claims(rules, text) == ["the rebels had withdrawn from Sake"]


def test_source_said_without_that(rules):
    text = "A military spokesman said the convoy was hit by a roadside bomb."
    assert claims(rules, text) == ["the convoy was hit by a roadside bomb"]


def test_accused_of(rules):
    text = "The army accused Kurdish fighters of shelling Afrin."
    assert claims(rules, text) == ["Kurdish fighters of shelling Afrin"]


def test_blamed_for(rules):
    text = "Officials blamed the Houthis for the drone attack on Marib."
    assert claims(rules, text) == ["the Houthis for the drone attack on Marib"]


def test_quotation_after_reporting_verb(rules):
    text = 'The commander told reporters: "We control the whole town. They fled."'
    # A quotation that is the whole claim is marked inside its quotation marks.
    assert "We control the whole town. They fled" in claims(rules, text)


def test_fronted_quotation(rules):
    text = '"We will not retreat from Hodeidah," a Houthi spokesman said on Sunday.'
    assert claims(rules, text)[0] == "We will not retreat from Hodeidah"


def test_curly_quotes(rules):
    text = "“The ceasefire is over,” the militia announced."
    assert "The ceasefire is over" in claims(rules, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A quotation that only ends or begins the claim keeps its marks.
        (
            'Islamic State said its fighters had killed "more than 40 soldiers".',
            ['its fighters had killed "more than 40 soldiers"'],
        ),
        (
            'The army accused "foreign intelligence services" of helping the group.',
            ['"foreign intelligence services" of helping the group'],
        ),
        # The next sentence's opening quotation mark is no part of the claim before it.
        (
            'Residents said the fighting lasted three hours. "We lay on the floor," a trader said.',
            ["the fighting lasted three hours", "We lay on the floor"],
        ),
    ],
)
def test_quotation_marks_inside_a_claim(rules, text, expected):
    assert claims(rules, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Government forces shelled Idlib on Monday.",
        "The report was published in March.",
        "He was said to be in Raqqa.",
        "The claims could not be verified.",
        'The town, known as "the bride of the desert", fell.',
    ],
)
def test_no_claim_without_attribution(rules, text):
    assert claims(rules, text) == []


def test_claims_in_several_sentences(rules):
    text = (
        "Shelling resumed overnight. Three children were wounded, medics said. "
        "According to the UN, 200 families fled."
    )
    assert claims(rules, text) == ["Three children were wounded", "200 families fled"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "IDLIB, Syria (Wire) — Artillery fire struck the town of Ariha on Tuesday, "
            "according to the Syrian Civil Defence rescue service.",
            ["Artillery fire struck the town of Ariha on Tuesday"],
        ),
        (
            "BEIRUT - Rebels seized two villages overnight, activists said.",
            ["Rebels seized two villages overnight"],
        ),
        (
            "KYIV, Dec 29, 2023 (Reuters) - Russia fired 122 missiles, the air force said.",
            ["Russia fired 122 missiles"],
        ),
        (
            "OUAGADOUGOU, Burkina Faso, 14 March 2024 (AFP) - Gunmen killed 12 soldiers, "
            "the army said.",
            ["Gunmen killed 12 soldiers"],
        ),
        (
            "KYIV, 14 March, 2024 (Reuters) - Russian drones hit a power plant, the governor said.",
            ["Russian drones hit a power plant"],
        ),
        (
            "GOMA, Congo, 1st March 2024 (AFP) - Rebels took the town, residents said.",
            ["Rebels took the town"],
        ),
        # No comma, agency or capitals before the dash: the subject of the claim.
        (
            "Hamas — the group that rules Gaza — fired rockets at Ashkelon, the army said.",
            ["Hamas — the group that rules Gaza — fired rockets at Ashkelon"],
        ),
    ],
)
def test_a_dateline_is_no_part_of_the_claim(rules, text, expected):
    assert claims(rules, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The rebels said they had taken the airbase - a claim the army denied.",
            ["they had taken the airbase"],
        ),
        (
            "The rebels said they had taken the airbase – a claim the army denied on Monday.",
            ["they had taken the airbase"],
        ),
        (
            "Activists said the militia shelled the camp—the third attack this week.",
            ["the militia shelled the camp"],
        ),
        # a pair of dashes keeps its aside, unless it is the writer's comment on the claim
        (
            "The Houthis said they had shot down a U.S. drone over Marib — a claim the "
            "Pentagon did not confirm — and vowed more attacks.",
            ["they had shot down a U.S. drone over Marib"],
        ),
        (
            "The army said it had killed 30 fighters - a figure the rebels disputed - in the "
            "village of Tal Abyad.",
            ["it had killed 30 fighters"],
        ),
        # a dash inside a quotation is the speaker's
        (
            "Officials said the army – which denies it – killed 12 people.",
            ["the army – which denies it – killed 12 people"],
        ),
        ("“We will fight – we will win,” the commander said.", ["We will fight – we will win"]),
        (
            "Police said the pro-army militia took the 2023–2024 harvest.",
            ["the pro-army militia took the 2023–2024 harvest"],
        ),
    ],
)
def test_a_claim_ends_before_a_dash_that_opens_the_writers_aside(rules, text, expected):
    """ "they had taken the airbase - a claim the army denied" was one claim: the README
    says a claim ends before a dash standing alone. A hostile check's pairs of dashes kept
    the writer's own rebuttal inside the claim ("— a claim the Pentagon did not confirm —")."""
    assert claims(rules, text) == expected


def test_a_claim_ends_before_the_dash_of_a_headlines_source(rules):
    """ "IT RETOOK OMDURMAN -" was the claim: the dash before "STATE TV" came with it."""
    text = "SUDAN ARMY SAYS IT RETOOK OMDURMAN - STATE TV\n\nThe army said it retook Omdurman."
    assert claims(rules, text) == ["IT RETOOK OMDURMAN", "it retook Omdurman"]
