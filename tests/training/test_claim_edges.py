"""The project's claim edges: learned from finished claims (the punctuation mark after a
claim, its quotation marks), applied last to the rules' claims, with their sources and
values following them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from annotator.cli import main
from annotator.core.model import Span
from annotator.nlp.attribution_component import ATTRIBUTES_KEY, ATTRIBUTION, RELATIONS_KEY
from annotator.nlp.components import SUGGESTIONS_KEY
from annotator.nlp.learned import (
    CLAIM_EDGES_COMPONENT,
    PUNCTUATION,
    QUOTES,
    ClaimEdges,
    take_in_claim_edges,
)
from annotator.nlp.loading import load_rules_only
from annotator.nlp.training.conventions import learn_edges
from annotator.nlp.training.data import LabelledText
from annotator.storage import Store
from tests.training.conftest import make_project

TEXT = (
    '"We fought them off," the commander said. Officials said the town had fallen. '
    "Rebels shelled Aleppo on Monday, activists said."
)


def finished(claims: list[str]) -> LabelledText:
    spans = []
    for words in claims:
        start = TEXT.index(words)
        spans.append(Span(start, start + len(words), "CLAIM", origin="human"))
    return LabelledText(1, TEXT, tuple(spans), "gold")


def claims_of(doc) -> list[str]:
    return sorted(s.text for s in doc.spans[SUGGESTIONS_KEY] if s.label_ == "CLAIM")


def test_annotators_who_take_in_the_marks_teach_them():
    doc = spacy.blank("en")(TEXT)
    two_of_three = [
        '"We fought them off,"',
        "the town had fallen.",
        "Rebels shelled Aleppo on Monday",
    ]
    # Two of three claims take in the mark after them (67 %, under 70 %): not learned; the
    # one that could take in its quotation marks did, three times over.
    assert learn_edges([doc] * 3, [finished(two_of_three)] * 3) == {"CLAIM": [QUOTES]}
    every = ['"We fought them off,"', "the town had fallen.", "Rebels shelled Aleppo on Monday,"]
    assert learn_edges([doc] * 3, [finished(every)] * 3) == {"CLAIM": [PUNCTUATION, QUOTES]}


def test_annotators_who_leave_them_out_teach_nothing():
    doc = spacy.blank("en")(TEXT)
    item = finished(
        ["We fought them off", "the town had fallen", "Rebels shelled Aleppo on Monday"]
    )
    assert learn_edges([doc] * 3, [item] * 3) == {}


def test_claims_take_in_joined_marks_only():
    text = 'He said "we will win" and "they, too , lost" today.'
    doc = spacy.blank("en")(text)
    win = doc.char_span(text.index("we"), text.index("win") + 3)
    lost = doc.char_span(text.index("they"), text.index("too") + 3)
    assert win is not None and lost is not None
    ranges = [(win.start, win.end, "CLAIM"), (lost.start, lost.end, "CLAIM")]
    both = take_in_claim_edges(doc, ranges, [PUNCTUATION, QUOTES])
    # "too ," : the comma stands apart, so it is not taken, nor the closing mark after it.
    assert [doc[s:e].text for s, e, _ in both] == ['"we will win"', '"they, too']
    assert take_in_claim_edges(doc, ranges, [PUNCTUATION]) == ranges
    assert take_in_claim_edges(doc, ranges, []) == ranges


def test_the_sources_and_values_follow_the_claims_and_a_saved_model_keeps_them(tmp_path):
    nlp = load_rules_only().nlp
    before = nlp(TEXT)
    nlp.add_pipe(CLAIM_EDGES_COMPONENT, last=True, config={"words": [PUNCTUATION, QUOTES]})
    after = nlp(TEXT)
    assert claims_of(before) == [
        "Rebels shelled Aleppo on Monday",
        "We fought them off",
        "the town had fallen",
    ]
    assert claims_of(after) == [
        '"We fought them off,"',
        "Rebels shelled Aleppo on Monday,",
        "the town had fallen.",
    ]

    def sources(doc):
        return sorted(
            (TEXT[hs:he], TEXT[cs:ce]) for hs, he, _, cs, ce, _, _ in doc.user_data[RELATIONS_KEY]
        )

    def values(doc):
        return sorted(
            (TEXT[s:e], name, value) for s, e, _, name, value in doc.user_data[ATTRIBUTES_KEY]
        )

    assert sources(before) == [
        ("Rebels shelled Aleppo on Monday", "activists"),
        ("We fought them off", "commander"),
        ("the town had fallen", "Officials"),
    ]
    # The sources are found at the rules' edges, then follow their claims.
    assert sources(after) == [
        ('"We fought them off,"', "commander"),
        ("Rebels shelled Aleppo on Monday,", "activists"),
        ("the town had fallen.", "Officials"),
    ]
    assert values(after) == [('"We fought them off,"', "quote", "yes")]
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names[-2:] == [ATTRIBUTION, CLAIM_EDGES_COMPONENT]
    assert claims_of(loaded(TEXT)) == claims_of(after)


def test_the_component_refuses_an_unknown_edge():
    with pytest.raises(ValueError, match="cannot take in"):
        ClaimEdges("edges", ["the"], SUGGESTIONS_KEY)


@pytest.mark.slow  # trains for a few seconds
def test_a_project_whose_claims_take_in_the_comma_trains_a_model_that_does(
    tmp_path, tiny_base, capsys
):
    project = make_project(tmp_path / "project.db", done=20, untouched=0)
    with Store(project) as store:
        for article_id in store.article_ids():
            # "Report k: X fighters attacked Y on day k, residents said.": the rules' claim,
            # with the comma
            text = store.article(article_id).text
            claim = Span(0, text.index(", residents") + 1, "CLAIM", origin="human")
            store.replace_spans(article_id, "ann", [*store.spans(article_id, "ann"), claim])
    status = main(
        ["train", str(project), "--base", str(tiny_base), "--out", str(tmp_path / "m"), "--json"]
    )
    out, err = capsys.readouterr()
    assert status == 0, err
    report = json.loads(out)
    assert report["edge_convention"]["CLAIM"] == [PUNCTUATION]
    nlp = spacy.load(Path(report["model"]))
    assert nlp.pipe_names[-2:] == [ATTRIBUTION, CLAIM_EDGES_COMPONENT]
    doc = nlp("Report 40: Hamas fighters attacked Gao on day 40, residents said.")
    assert claims_of(doc) == ["Report 40: Hamas fighters attacked Gao on day 40,"]
    # The held-out claims are scored at the edges the annotators use: the new model's
    # exact F1 is above the rules' (which leave the comma out).
    new, old = report["scores"]["CLAIM"]["exact"]["f1"], report["current_scores"]["CLAIM"]
    assert new > old["exact"]["f1"]
