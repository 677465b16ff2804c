"""Wire copy's headline tags and dashes, with the default pipeline and the blank one: a tag
opening a story is no part of a claim nor its source."""

from __future__ import annotations

import pytest

from annotator.nlp import DEFAULT_PIPELINE, load_preannotator
from tests.nlp.helpers import claim_sources, suggest_one, texts_of


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
