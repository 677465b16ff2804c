"""The rules as pipeline components: saved with a pipeline, loaded by spaCy alone, run in
worker processes, and given texts longer than the pipeline takes at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from annotator.core.model import Article
from annotator.core.text import join_hard_line_breaks
from annotator.nlp import load_preannotator, preannotate_store
from annotator.nlp.components import (
    ATTRIBUTION,
    CLAIMS,
    ENTITIES,
    RULE_COMPONENTS,
    claim_links,
    suggestions,
)
from annotator.nlp.loading import load_rules_only

TEXTS = [
    "Rebels shelled Aleppo on Monday, activists said.\n\nHezbollah fighters entered Homs.",
    "Government forces retook the town, the army said in a statement on Tuesday.",
    "According to the Syrian Observatory, 200 families fled Hama.",
    "",
    "ALEPPO, Syria (Wire) — The Nusra Front claimed it had killed 40 soldiers near Idlib.",
    "Nothing here.",
    # a wire story's hard line breaks: spacy.load's own tokenizer joins them, as the program
    "KHARTOUM, Sudan (Wire) — The Rapid Support\nForces shelled Omdurman on Monday,\nresidents"
    " said.\n\nThe army said it repelled\nthe attack.",
]


def keys(spans):
    return [(s.start, s.end, s.label) for s in spans]


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("model") / "rules"
    load_rules_only().nlp.to_disk(path)
    return path


def test_saved_pipeline_carries_the_rules_and_their_data_files(saved):
    names = spacy.load(saved).pipe_names
    assert set(RULE_COMPONENTS) <= set(names)
    assert sorted(p.name for p in (saved / ENTITIES).iterdir()) == [
        "actors.jsonl",
        "entity_words.txt",
        "factions.txt",
        "gazetteer.txt",
    ]
    assert [p.name for p in (saved / CLAIMS).iterdir()] == ["claim_words.txt"]
    assert [p.name for p in (saved / ATTRIBUTION).iterdir()] == ["claim_words.txt"]
    assert names[-1] == ATTRIBUTION


def test_spacy_load_alone_gives_the_programs_suggestions(saved):
    """In a fresh interpreter that never imported the program: spaCy finds the components
    and the tokenizer through their entry points, and the texts go in as they come (the
    wrapped wire story's FACTION and claims differed, its lines not joined)."""
    joined = [join_hard_line_breaks(t) for t in TEXTS]
    script = (
        "import json, sys, spacy\n"
        f"nlp = spacy.load({str(saved)!r})\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps([[[(s.start_char, s.end_char, s.label_) "
        "for s in d.spans['annotator_suggestions']], d.user_data['annotator_relations'], "
        "d.user_data['annotator_attributes']] for d in nlp.pipe(texts)]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(TEXTS),
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(done.stdout)
    found = [sorted(tuple(s) for s in spans) for spans, _, _ in loaded]
    assert found == [keys(s) for s in load_rules_only().suggest(TEXTS)]
    assert any(found)
    # The claims' sources and attributes too, as doc.user_data holds them.
    program = [claim_links(load_rules_only().nlp(text)) for text in joined]
    relations = [[(*keys([r.head, r.child]), r.label) for r in rels] for rels, _ in program]
    assert [
        [((h[0], h[1], h[2]), (h[3], h[4], h[5]), h[6]) for h in rels] for _, rels, _ in loaded
    ] == relations
    assert any(relations)
    assert [[tuple(a) for a in values] for _, _, values in loaded] == [
        [(a.span.start, a.span.end, a.span.label, a.name, a.value) for a in values]
        for _, values in program
    ]


def test_a_saved_pipeline_keeps_its_own_components(saved):
    preannotator = load_preannotator(str(saved))
    assert preannotator.nlp.pipe_names == spacy.load(saved).pipe_names  # nothing added twice
    assert [keys(s) for s in preannotator.suggest(TEXTS)] == [
        keys(s) for s in load_rules_only().suggest(TEXTS)
    ]


def test_the_saved_word_lists_are_the_ones_used(tmp_path, saved):
    """A saved pipeline reads its own copy of the data files, not the program's."""
    text = "Rebels seized the town, the army quipped."
    before = load_preannotator(str(saved))
    assert not [s for s in next(before.suggest([text])) if s.label == "CLAIM"]
    copy = tmp_path / "copy"
    spacy.load(saved).to_disk(copy)
    words = copy / CLAIMS / "claim_words.txt"
    words.write_text(
        words.read_text(encoding="utf-8").replace("say: say", "quip: quipped\nsay: say"),
        encoding="utf-8",
    )
    claims = [s for s in next(load_preannotator(str(copy)).suggest([text])) if s.label == "CLAIM"]
    assert [text[s.start : s.end] for s in claims] == ["Rebels seized the town"]


def test_suggestions_travel_in_the_doc():
    nlp = load_rules_only().nlp
    doc = nlp(TEXTS[0])
    assert ("Aleppo", "LOCATION") in [
        (doc.text[s.start : s.end], s.label) for s in suggestions(doc)
    ]
    # Running the components again replaces their suggestions, never doubles them.
    again = nlp.get_pipe(CLAIMS)(nlp.get_pipe(ENTITIES)(doc))
    assert keys(suggestions(again)) == keys(suggestions(nlp(TEXTS[0])))


def test_two_worker_processes_suggest_what_one_does(store):
    rules = load_rules_only()
    one = [keys(s) for s in rules.suggest(TEXTS * 3, batch_size=2, n_process=1)]
    two = [keys(s) for s in rules.suggest(TEXTS * 3, batch_size=2, n_process=2)]
    assert two == one
    assert any(one)
    # A spaCy user's rows are the same from nlp() and from nlp.pipe's workers (tuples came
    # back from the workers as lists, and compared unequal).
    nlp = rules.nlp
    alone = [nlp(text).user_data for text in TEXTS if text]
    piped = [doc.user_data for doc in nlp.pipe([t for t in TEXTS if t], n_process=2)]
    for key in ("annotator_relations", "annotator_attributes"):
        assert [data[key] for data in piped] == [data[key] for data in alone]
    assert any(data["annotator_relations"] for data in alone)
    # ... and through the store, as ``annotator preannotate --n-process 2`` runs it.
    store.add_articles(Article(text) for text in TEXTS if text)
    report = preannotate_store(store, rules, n_process=2, batch_size=2)
    assert report.articles == len(TEXTS) - 1
    stored = [keys(store.suggestions(i, rules.name)) for i in store.article_ids()]
    assert stored == [sorted(keys(s)) for s in rules.suggest([t for t in TEXTS if t])]
