"""Train a project model: the base pipeline and its rules, plus a recognizer fine-tuned on the
project's finished articles, merged with the rules (``annotator/nlp/learned.py``).

How, and why so:

- The recognizer is a copy of the base pipeline's ``ner`` (its own ``tok2vec`` included),
  fine-tuned with ``nlp.update`` on the training part. A LOCATION is taught as the base label
  the base model gave the same words (GPE, LOC or FAC), a FACTION as ORG or NORP, so the copy
  starts as good as the base model and only has to learn what the project does differently:
  its edges ("the"), which organisations are parties. A new ``ner`` head on the base's
  ``tok2vec`` learned far slower (wikigold, 20 articles: LOCATION 0.60, FACTION 0.14 exact
  F1, against 0.69 and 0.50 for the copy).
- On its own the recognizer does not beat the rules at these sizes. Per label, the merge
  plan (the rules alone, the learned spans alone, or one filling the other's gaps) is chosen
  by two-fold cross-validation on the training part (each half's model scored on the other
  half beside the rules), never on the held-out part, which only reports; a plan with learned
  spans must beat the rules alone by ``MARGIN``, so where learning does not help (yet), the
  rules' suggestions stay as they were.
- The project's edge convention (a "the" before a name, a possessive after it; GUM's
  markables take them in, the rules do not) is counted in the finished articles
  (``conventions.py``) and applied to every LOCATION and FACTION suggestion of the label,
  the rules' and the learned ones; the plans are compared with it applied. On GUM this is
  most of the gain (FACTION exact F1 0.31 → 0.49 on the held-out half); on wikigold, whose
  convention the rules follow, nothing is learned and nothing changes.
- CLAIM keeps the rules' spans, with the project's claim edges learned the same way (the
  full stop or comma after a claim, its quotation marks: GUM's attributions take them in,
  the rules' guidelines do not; CLAIM exact F1 on GUM's held-out half 0.02 → 0.19). A span
  finder and categorizer for clauses would need far more finished articles than a project
  has when it starts to train (see ``bench/learning_curve_notes.md``).

Deterministic: the seed fixes spaCy's and the shuffling's randomness.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import filter_spans, minibatch

from annotator.core.text import join_hard_line_breaks
from annotator.nlp.claims import CLAIM
from annotator.nlp.components import CLAIMS, ENTITIES, attribution_last
from annotator.nlp.learned import (
    CLAIM_EDGES_COMPONENT,
    LEARNED_NER,
    MERGE,
    PLANS,
    SET_ASIDE,
    TAUGHT_AS,
    learned_spans,
    merge,
    take_in_edges,
)
from annotator.nlp.training.conventions import learn_edges
from annotator.nlp.training.data import LEARNED_LABELS, LabelledText
from annotator.nlp.training.evaluate import score

EPOCHS = 6
BATCH = 8
DROPOUT = 0.1
SEED = 0
#: How much better than the rules alone, in cross-validated exact F1, a plan with the
#: learned spans must be for a label to take it.
MARGIN = 0.02

#: ``progress(stage, done, total)``; raising from it stops training.
StageProgress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


class TrainingFailed(Exception):
    """Training could not produce a model (a bug or a broken base pipeline, not user input)."""


@dataclass
class TrainedPipeline:
    nlp: Language  # the base pipeline with the rules and the learned components
    plan: dict[str, list[str]]  # per label, the sources merged, in order
    edges: dict[str, list[str]]  # per label, the edge words its spans take in
    cross_validation: dict[str, dict[str, float]]  # label -> plan ("rules+learned") -> F1
    seconds: float
    cpu_seconds: float


def train_pipeline(
    base: Language,
    train: Sequence[LabelledText],
    *,
    epochs: int = EPOCHS,
    seed: int = SEED,
    progress: StageProgress = _no_progress,
) -> TrainedPipeline:
    """Fine-tune a copy of ``base``'s ``ner`` on ``train`` and add it to ``base``.

    ``base`` must have the rule components already (``add_rule_components``); it is changed
    in place and returned inside the result.
    """
    if not base.has_pipe("ner"):
        raise TrainingFailed("the base pipeline has no ner to start from")
    started, cpu = time.perf_counter(), time.process_time()
    spacy.util.fix_random_seed(seed)
    texts = [join_hard_line_breaks(item.text) for item in train]
    progress("preparing", 0, len(texts))
    processed: list[Doc] = []
    for doc in base.pipe(texts, batch_size=16):
        processed.append(doc)
        progress("preparing", len(processed), len(texts))
    examples = [_example(base, doc, item) for doc, item in zip(processed, train, strict=True)]
    folds = [examples[0::2], examples[1::2]]
    # Exact: an estimate with room to spare left the bar at 24 of 33 when scoring began.
    steps = sum(_updates(len(part), epochs) for part in (*folds, examples))
    counter = _Counter(progress, "training", steps)
    # Cross-validation: which source should go first for each label.
    predicted: list[list[tuple[int, int, str]] | None] = [None] * len(examples)
    for k, fold in enumerate(folds):
        other = folds[1 - k]
        model = _fine_tune(base, other, epochs, seed, counter)
        docs = model.pipe(e.predicted.text for e in fold)
        for j, doc in zip(range(k, len(examples), 2), docs, strict=True):
            predicted[j] = [(s.start_char, s.end_char, s.label_) for s in learned_spans(doc)]
    edges = learn_edges(processed, train)
    entity_edges = {label: words for label, words in edges.items() if label != CLAIM}
    plan, cross = _choose_plan(processed, train, predicted, entity_edges)
    model = _fine_tune(base, examples, epochs, seed, counter)
    base.add_pipe(SET_ASIDE, after=CLAIMS if base.has_pipe(CLAIMS) else ENTITIES)
    base.add_pipe("ner", name=LEARNED_NER, source=model, after=SET_ASIDE)
    base.add_pipe(MERGE, after=LEARNED_NER, config={"plan": plan, "edges": entity_edges})
    attribution_last(base)  # claim sources are read from the merged entities
    if edges.get(CLAIM):  # after the sources were found at the rules' edges
        base.add_pipe(CLAIM_EDGES_COMPONENT, last=True, config={"words": edges[CLAIM]})
    return TrainedPipeline(
        base, plan, edges, cross, time.perf_counter() - started, time.process_time() - cpu
    )


class _Counter:
    def __init__(self, progress: StageProgress, stage: str, total: int):
        self.progress, self.stage, self.total, self.done = progress, stage, total, 0

    def step(self) -> None:
        self.done += 1
        self.progress(self.stage, min(self.done, self.total), self.total)


def _updates(examples: int, epochs: int) -> int:
    """The batches ``_fine_tune`` updates on: ``minibatch`` of a fixed size makes
    ⌈examples / BATCH⌉ a pass."""
    return epochs * -(-examples // BATCH)


def _example(base: Language, processed: Doc, item: LabelledText) -> Example:
    """The article as the base model saw it, with the project's spans taught as base labels."""
    reference = base.make_doc(processed.text)
    base_labels = {(e.start_char, e.end_char): e.label_ for e in processed.ents}
    ents = []
    for span in item.spans:
        if span.label not in TAUGHT_AS:
            continue
        seen = base_labels.get((span.start, span.end))
        label = seen if seen in TAUGHT_AS[span.label] else TAUGHT_AS[span.label][0]
        ent = reference.char_span(span.start, span.end, label=label, alignment_mode="expand")
        if ent is not None:
            ents.append(ent)
    reference.ents = filter_spans(ents)
    return Example(base.make_doc(processed.text), reference)


def _fine_tune(
    base: Language, examples: list[Example], epochs: int, seed: int, counter: _Counter
) -> Language:
    """A pipeline with only a copy of ``base``'s ner, updated on ``examples``.

    A copy through bytes: ``add_pipe(source=base)`` would hand over the base's own ner, and
    training would change the ner the rules read (and carry one fold's training into the next).
    """
    nlp = spacy.blank(base.lang or "en", vocab=base.vocab)
    settings = {k: v for k, v in base.config["components"]["ner"].items() if k != "factory"}
    ner = cast(EntityRecognizer, nlp.add_pipe("ner", config=settings))
    source = cast(EntityRecognizer, base.get_pipe("ner"))
    ner.from_bytes(source.to_bytes(exclude=["vocab"]), exclude=["vocab"])
    optimizer = nlp.resume_training()
    order = list(examples)
    shuffle = random.Random(seed)
    for _ in range(epochs):
        shuffle.shuffle(order)
        for batch in minibatch(order, size=BATCH):
            nlp.update(batch, sgd=optimizer, drop=DROPOUT)
            counter.step()
    return nlp


def _choose_plan(
    processed: list[Doc],
    train: Sequence[LabelledText],
    predicted: list[list[tuple[int, int, str]] | None],
    edges: dict[str, list[str]],
) -> tuple[dict[str, list[str]], dict[str, dict[str, float]]]:
    """The merge plan for each label, by exact F1 on the training part from the fold
    models' predictions (with the edge convention applied, as the model will apply it);
    and each label's F1 under each plan, the other's being chosen."""

    from annotator.core.model import Span
    from annotator.nlp.components import suggestions

    gold = [item.spans for item in train]
    learned = [list(p or ()) for p in predicted]
    rules = [[(s.start, s.end, s.label) for s in suggestions(doc)] for doc in processed]

    def f1s(plan: dict[str, list[str]]) -> dict[str, float]:
        merged = [
            [Span(s, e, label) for s, e, label in _widened(doc, merge(plan, one, other), edges)]
            for doc, one, other in zip(processed, learned, rules, strict=True)
        ]
        found = score(gold, merged, LEARNED_LABELS)
        return {label: found[label]["exact"]["f1"] for label in LEARNED_LABELS}

    # Per label, the best plan given the other label's, in two rounds; a plan with learned
    # spans must beat the rules alone by MARGIN on this label, or the rules stay: small
    # training parts are noisy, and a project's suggestions should never get worse.
    chosen: dict[str, list[str]] = {label: ["rules"] for label in LEARNED_LABELS}
    for _ in range(2):
        for label in LEARNED_LABELS:
            rules_only = f1s({**chosen, label: ["rules"]})[label]
            best, best_f1 = ["rules"], rules_only
            for sources in PLANS[1:]:
                f1 = f1s({**chosen, label: list(sources)})[label]
                if f1 >= rules_only + MARGIN and f1 > best_f1:
                    best, best_f1 = list(sources), f1
            chosen[label] = best
    cross: dict[str, dict[str, float]] = {label: {} for label in LEARNED_LABELS}
    for label in LEARNED_LABELS:
        for sources in PLANS:
            figures = f1s({**chosen, label: list(sources)})
            cross[label]["+".join(sources)] = figures[label]
    return chosen, cross


def _widened(
    doc: Doc, ranges: list[tuple[int, int, str]], edges: dict[str, list[str]]
) -> list[tuple[int, int, str]]:
    """Character ranges with the edge convention applied (``take_in_edges`` works on tokens;
    an edge that does not move keeps its character offset)."""
    if not edges:
        return ranges
    tokens = []
    for start, end, label in ranges:
        span = doc.char_span(start, end, alignment_mode="expand")
        tokens.append((span.start, span.end, label) if span is not None else None)
    known = [t for t in tokens if t is not None]
    widened = dict(zip(known, take_in_edges(doc, known, edges), strict=True))
    result = []
    for (start, end, label), token_range in zip(ranges, tokens, strict=True):
        if token_range is not None:
            new_start, new_end, _ = widened[token_range]
            if new_start != token_range[0]:
                start = doc[new_start].idx
            if new_end != token_range[1]:
                end = doc[new_end - 1].idx + len(doc[new_end - 1].text)
        result.append((start, end, label))
    return result
