"""A tiny base pipeline (a blank English tokenizer and a small, briefly trained ner) and
projects of finished articles, so that training runs in seconds."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from annotator.core.model import Article, Span
from annotator.storage import Store

PLACES = ["Aleppo", "Idlib", "Homs", "Hama", "Raqqa", "Mosul", "Sanaa", "Tripoli", "Gao", "Goma"]
GROUPS = ["Hezbollah", "the Nusra Front", "Hamas", "the Houthis", "the RSF", "Wagner"]


def article_text(k: int) -> tuple[str, list[Span]]:
    """A short article with one place and one group, and its spans (groups without "the")."""
    place, group = PLACES[k % len(PLACES)], GROUPS[k % len(GROUPS)]
    text = f"Report {k}: {group} fighters attacked {place} on day {k}, residents said."
    named = group.removeprefix("the ")
    spans = [
        Span(text.index(named), text.index(named) + len(named), "FACTION", origin="human"),
        Span(text.index(place), text.index(place) + len(place), "LOCATION", origin="human"),
    ]
    return text, spans


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    """A pipeline with a tokenizer and a small ner over OntoNotes-style labels."""
    nlp = spacy.blank("en")
    ner = nlp.add_pipe(
        "ner",
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": 16,
                "maxout_pieces": 2,
                "use_upper": True,
                "tok2vec": {
                    "@architectures": "spacy.HashEmbedCNN.v2",
                    "pretrained_vectors": None,
                    "width": 32,
                    "depth": 1,
                    "embed_size": 500,
                    "window_size": 1,
                    "maxout_pieces": 2,
                    "subword_features": True,
                },
            }
        },
    )
    for label in ("GPE", "LOC", "FAC", "ORG", "NORP", "PERSON"):
        ner.add_label(label)
    examples = []
    for k in range(12):
        text, spans = article_text(k)
        doc = nlp.make_doc(text)
        label = {"LOCATION": "GPE", "FACTION": "ORG"}
        ents = [doc.char_span(s.start, s.end, label=label[s.label]) for s in spans]
        doc.ents = ents
        examples.append(Example(nlp.make_doc(text), doc))
    spacy.util.fix_random_seed(0)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(3):
        random.Random(0).shuffle(examples)
        nlp.update(examples, sgd=optimizer)
    nlp.meta["name"] = "tiny_base"
    path = tmp_path_factory.mktemp("base") / "tiny_base"
    nlp.to_disk(path)
    return path


def make_project(path: Path, done: int, untouched: int = 3, annotator: str = "ann") -> Path:
    """``done`` articles marked done by ``annotator`` with their spans, ``untouched`` more."""
    with Store(path) as store:
        texts = [article_text(k) for k in range(done + untouched)]
        ids = store.add_articles(Article(text) for text, _ in texts).ids
        for article_id, (_, spans) in zip(ids[:done], texts, strict=False):
            store.replace_spans(article_id, annotator, spans)
            store.set_status(article_id, annotator, "done")
    return path
