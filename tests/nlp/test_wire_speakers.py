"""Wire copy's speakers and their claims, with the default pipeline: the day of the saying
before a subject of several words, a force led by a named one, a group's own news agency,
and a statement a named speaker issued."""

from __future__ import annotations

import pytest

from annotator.nlp import DEFAULT_PIPELINE, load_preannotator
from tests.nlp.helpers import claim_sources

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def default():
    return load_preannotator(DEFAULT_PIPELINE)


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Russia's defence ministry said on Saturday its forces had repelled Ukrainian attacks "
         "near Bakhmut.", "its forces had repelled Ukrainian attacks near Bakhmut"),
        ("The army said on Monday the rebels had fled the town.", "the rebels had fled the town"),
        ("The rebels said on Monday they had captured the town.", "they had captured the town"),
        # the wires' day without "on" ("Monday the rebels had withdrawn…" was claimed)
        ("The army said Monday the rebels had withdrawn from Sake.",
         "the rebels had withdrawn from Sake"),
        ("The army said Tuesday night the rebels had withdrawn from Sake.",
         "the rebels had withdrawn from Sake"),
    ],
)  # fmt: skip
def test_the_day_of_the_saying_is_no_part_of_the_claim_whatever_its_subject(default, text, claim):
    """A hostile check's wire story: "on Saturday its forces had repelled…" was the claim,
    the day left out only before a one-word subject ("they")."""
    assert list(claim_sources(default, text)) == [claim]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("NATO-led forces said they had evacuated 200 civilians from Kabul airport.",
         "NATO-led forces"),
        ("Russian-led troops said they had secured the airport.", "Russian-led troops"),
        ("A NATO-led force said it had repelled an attack.", "NATO-led force"),
        # "Iran" was a LOCATION beside the FACTION "Houthi rebels"
        ("Iran-backed Houthi rebels said they had fired missiles at a ship.",
         "Iran-backed Houthi rebels"),
        ("The Saudi-led coalition said it had struck Houthi positions.", "Saudi-led coalition"),
    ],
)  # fmt: skip
def test_a_force_led_by_a_named_one_is_one_faction_that_speaks(default, text, source):
    """A hostile check's wire story: "NATO-led forces" was the FACTION "NATO" and the SOURCE
    "forces", which said it; "Saudi-led coalition" was one FACTION."""
    [(_, (words, label))] = claim_sources(default, text).items()
    assert (words, label) == (source, "FACTION")
