"""The project's edge convention: learned from finished spans, applied to the suggestions."""

from __future__ import annotations

import pytest
import spacy

from annotator.core.model import Span
from annotator.nlp.components import SUGGESTIONS_KEY, add_rule_components
from annotator.nlp.learned import (
    LEADING_THE,
    MERGE,
    POSSESSIVE,
    MergeSuggestions,
    take_in_edges,
)
from annotator.nlp.training.conventions import learn_edges
from annotator.nlp.training.data import LabelledText

TEXT = "Fighters of the Nusra Front entered Idlib. The RSF took Idlib's airport on Monday."


def finished(spans: list[tuple[str, str]]) -> LabelledText:
    found = []
    for words, label in spans:
        start = TEXT.index(words)
        found.append(Span(start, start + len(words), label, origin="human"))
    return LabelledText(1, TEXT, tuple(found), "gold")


def test_annotators_who_take_in_the_and_possessives_teach_the_convention():
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    item = finished(
        [("the Nusra Front", "FACTION"), ("The RSF", "FACTION"), ("Idlib's", "LOCATION")]
    )
    edges = learn_edges([doc, doc, doc], [item, item, item])
    assert edges == {"FACTION": [LEADING_THE], "LOCATION": [POSSESSIVE]}


def test_annotators_who_leave_them_out_teach_nothing():
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    item = finished([("Nusra Front", "FACTION"), ("RSF", "FACTION"), ("Idlib", "LOCATION")])
    assert learn_edges([doc, doc, doc], [item, item, item]) == {}


def test_too_few_cases_teach_nothing():
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    item = finished([("the Nusra Front", "FACTION")])
    assert learn_edges([doc], [item]) == {}


def test_suggestions_take_in_the_learned_edges_and_no_others():
    doc = spacy.blank("en")(TEXT)
    nusra = doc.char_span(TEXT.index("Nusra"), TEXT.index(" entered"))
    idlib = doc.char_span(TEXT.index("Idlib's"), TEXT.index("Idlib's") + len("Idlib"))
    assert nusra is not None and idlib is not None
    ranges = [(nusra.start, nusra.end, "FACTION"), (idlib.start, idlib.end, "LOCATION")]
    widened = take_in_edges(doc, ranges, {"FACTION": [LEADING_THE]})
    assert [doc[s:e].text for s, e, _ in widened] == ["the Nusra Front", "Idlib"]
    widened = take_in_edges(doc, ranges, {"LOCATION": [POSSESSIVE]})
    assert [doc[s:e].text for s, e, _ in widened] == ["Nusra Front", "Idlib's"]


def test_the_merge_component_refuses_an_unknown_edge_word():
    with pytest.raises(ValueError, match="cannot take in"):
        MergeSuggestions("merge", {}, "sc", {"FACTION": ["of"]})


def test_a_saved_model_keeps_its_edge_convention(tmp_path):
    nlp = spacy.blank("en")
    add_rule_components(nlp)
    nlp.add_pipe(
        MERGE,
        config={
            "plan": {"LOCATION": ["rules"], "FACTION": ["rules"]},
            "edges": {"FACTION": [LEADING_THE]},
        },
    )
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    doc = loaded("Fighters of the Nusra Front entered Idlib on Monday.")
    factions = [s.text for s in doc.spans[SUGGESTIONS_KEY] if s.label_ == "FACTION"]
    assert factions == ["the Nusra Front"]
