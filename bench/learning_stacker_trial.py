"""A trial, not the program: would a span stacker beat the merge plans? (issue 8, notes §6)

Instead of a fixed plan (the rules, the learned spans, one filling the other's gaps), a
logistic regression chooses among every source's candidate spans:

- the rules' LOCATION and FACTION suggestions;
- every entity of the base ``ner``, PERSON and WORK_OF_ART included;
- the gazetteer and lexicon matches;
- the fine-tuned recognizer's spans (``annotator train``'s, as cross-validated predictions
  on the training articles, ``--folds`` folds; on the held-out half, the model trained on
  all k);
- with ``--geonames``, every capitalised 1–3-word GeoNames name (cities500, regions,
  countries and their alternate names).

Each candidate gets its sources with their labels and their combination, its first and last
words, the words on either side, its length and shape (with GeoNames, also the kind and
population bucket). Spans are kept greedily by probability, without overlap, above
``--threshold``.

It reports exact F1 for today's rules, the fine-tuned recognizer alone and the stacker, in
two ways:
- 2-fold cross-validation over the first k articles of the train half (what the program
  could choose by);
- the held-out half (what the issue's target is measured on).

    python bench/learning_stacker_trial.py [--corpus wikigold] [--k 72] [--geonames]
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Sequence

from _common import GUM, WIKIGOLD, gum_gold, read_jsonl, table, wikigold_gold
from learning_curve import finished, halves

LABELS = ("LOCATION", "FACTION")
Range = tuple[int, int, str]


def shape(text: str) -> str:
    coded = re.sub("[0-9]", "d", re.sub("[a-z]", "x", re.sub("[A-Z]", "X", text)))
    return re.sub(r"(.)\1+", r"\1\1", coded)[:8]


def geonames_names() -> dict[str, tuple[str, int]]:
    """Every GeoNames name key → (kind, population) of its most populous place."""
    from annotator.kb.geonames import geonames_places
    from annotator.kb.normalize import name_key

    names: dict[str, tuple[str, int]] = {}
    for place in geonames_places():
        for name in (place.name, *place.aliases):
            key = name_key(name)
            if key and (key not in names or place.population > names[key][1]):
                names[key] = (place.kind, place.population)
    return names


class Candidates:
    """Candidate spans of one processed article and their features."""

    def __init__(self, doc, learned: Sequence[Range], names: dict | None):
        from annotator.kb.normalize import name_key
        from annotator.nlp.components import suggestions

        found: dict[tuple[int, int], dict[str, float]] = {}

        def add(start: int, end: int, feature: str) -> None:
            found.setdefault((start, end), {})[feature] = 1.0

        for s in suggestions(doc):
            if s.label in LABELS:
                add(s.start, s.end, f"rule={s.label}")
        for ent in doc.ents:
            add(ent.start_char, ent.end_char, f"ent={ent.label_}")
        for span in doc.spans.get("annotator_rules", ()):
            add(span.start_char, span.end_char, f"ruler={span.label_}")
        for start, end, label in learned:
            add(start, end, f"learned={label}")
        for start in range(len(doc)) if names is not None else ():
            for n in (3, 2, 1):
                span = doc[start : start + n]
                if len(span) < n or not (
                    span[0].text[:1].isupper() and span[-1].text[:1].isupper()
                ):
                    continue
                place = names.get(name_key(span.text))
                if place is not None:
                    kind, population = place
                    add(span.start_char, span.end_char, f"geonames={kind}")
                    bucket = min(7, int(math.log10(population + 1)))
                    found[(span.start_char, span.end_char)][f"population={bucket}"] = 1.0
                    break
        self.ranges = list(found)
        self.features = [self._features(doc, r, found[r]) for r in self.ranges]

    @staticmethod
    def _features(doc, edges: tuple[int, int], sources: dict[str, float]) -> dict[str, float]:
        features = dict(sources)
        features["sources=" + "|".join(sorted(sources))] = 1.0
        span = doc.char_span(*edges, alignment_mode="expand")
        if span is None:
            return features
        before = doc[span.start - 1].lower_ if span.start else "<s>"
        after = doc[span.end].lower_ if span.end < len(doc) else "</s>"
        for name, value in (
            ("first", span[0].lower_),
            ("last", span[-1].lower_),
            ("before", before),
            ("after", after),
            ("length", str(min(len(span), 4))),
            ("shape", shape(span.text)),
        ):
            features[f"{name}={value}"] = 1.0
        return features


def gold_labels(candidates: Candidates, item) -> list[str]:
    gold = {(s.start, s.end): s.label for s in item.spans if s.label in LABELS}
    return [gold.get(r, "O") for r in candidates.ranges]


class Stacker:
    def __init__(self, threshold: float):
        self.threshold = threshold

    def fit(self, articles: Sequence[Candidates], items) -> Stacker:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        rows = [f for a in articles for f in a.features]
        labels = [g for a, item in zip(articles, items, strict=True) for g in gold_labels(a, item)]
        self.vectorizer = DictVectorizer()
        self.model = LogisticRegression(C=1.0, max_iter=3000)
        self.model.fit(self.vectorizer.fit_transform(rows), labels)
        return self

    def predict(self, article: Candidates) -> list[Range]:
        if not article.features:
            return []
        classes = list(self.model.classes_)
        scored = []
        for edges, probabilities in zip(
            article.ranges,
            self.model.predict_proba(self.vectorizer.transform(article.features)),
            strict=True,
        ):
            p, label = max((p, c) for p, c in zip(probabilities, classes, strict=True) if c != "O")
            if p >= self.threshold:
                scored.append((p, edges, label))
        kept: list[Range] = []
        for _, (start, end), label in sorted(scored, reverse=True):
            if all(end <= s or start >= e for s, e, _ in kept):
                kept.append((start, end, label))
        return kept


def f1(items, predicted: Sequence[Sequence[Range]]) -> dict[str, float]:
    figures = {}
    for label in LABELS:
        gold = {
            (i, s.start, s.end) for i, it in enumerate(items) for s in it.spans if s.label == label
        }
        found = {(i, s, e) for i, p in enumerate(predicted) for s, e, lab in p if lab == label}
        right = len(gold & found)
        p = right / len(found) if found else 0.0
        r = right / len(gold) if gold else 0.0
        figures[label] = 2 * p * r / (p + r) if p + r else 0.0
    return figures


def learned_predictions(base, items, folds: int):
    """The fine-tuned recognizer's spans: cross-validated on ``items``, and the model
    trained on all of them (to predict the held-out half)."""
    from annotator.core.text import join_hard_line_breaks
    from annotator.nlp.learned import learned_spans
    from annotator.nlp.training import train

    processed = list(base.pipe(join_hard_line_breaks(i.text) for i in items))
    examples = [train._example(base, d, i) for d, i in zip(processed, items, strict=True)]
    counter = train._Counter(train._no_progress, "training", 1)
    predicted: list[list[Range]] = [[] for _ in items]
    for k in range(folds):
        rest = [e for j, e in enumerate(examples) if j % folds != k]
        model = train._fine_tune(base, rest, train.EPOCHS, train.SEED, counter)
        held = [j for j in range(len(items)) if j % folds == k]
        for j, doc in zip(held, model.pipe(examples[j].predicted.text for j in held), strict=True):
            predicted[j] = [(s.start_char, s.end_char, s.label_) for s in learned_spans(doc)]
    full = train._fine_tune(base, examples, train.EPOCHS, train.SEED, counter)
    return processed, predicted, full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="wikigold", choices=("wikigold", "gum"))
    parser.add_argument("--k", type=int, default=72)
    parser.add_argument("--folds", type=int, default=4, help="for the recognizer's predictions")
    parser.add_argument("--threshold", type=float, default=0.2)
    parser.add_argument("--geonames", action="store_true")
    args = parser.parse_args()

    from annotator.core.text import join_hard_line_breaks
    from annotator.nlp.components import add_rule_components, suggestions
    from annotator.nlp.learned import learned_spans
    from annotator.nlp.loading import DEFAULT_PIPELINE, load_pipeline

    docs = read_jsonl(WIKIGOLD if args.corpus == "wikigold" else GUM)
    train_half, held_half = halves((wikigold_gold if args.corpus == "wikigold" else gum_gold)(docs))
    items = [finished(g, i) for i, g in enumerate(train_half[: args.k])]
    held = [finished(g, 10_000 + i) for i, g in enumerate(held_half)]
    base = load_pipeline(DEFAULT_PIPELINE)
    add_rule_components(base)
    names = geonames_names() if args.geonames else None

    processed, predicted, full = learned_predictions(base, items, args.folds)
    held_docs = list(base.pipe(join_hard_line_breaks(i.text) for i in held))
    held_learned = [
        [(s.start_char, s.end_char, s.label_) for s in learned_spans(d)]
        for d in full.pipe(d.text for d in held_docs)
    ]
    train_cands = [Candidates(d, p, names) for d, p in zip(processed, predicted, strict=True)]
    held_cands = [Candidates(d, p, names) for d, p in zip(held_docs, held_learned, strict=True)]

    def rules(docs_) -> list[list[Range]]:
        return [
            [(s.start, s.end, s.label) for s in suggestions(d) if s.label in LABELS] for d in docs_
        ]

    cross: list[list[Range]] = [[] for _ in items]
    for k in (0, 1):  # the stacker's own 2-fold cross-validation on the train half
        fit_on = [j for j in range(len(items)) if j % 2 != k]
        stacker = Stacker(args.threshold).fit(
            [train_cands[j] for j in fit_on], [items[j] for j in fit_on]
        )
        for j in range(k, len(items), 2):
            cross[j] = stacker.predict(train_cands[j])
    stacker = Stacker(args.threshold).fit(train_cands, items)
    rows = [
        ("rules (today)", f1(items, rules(processed)), f1(held, rules(held_docs))),
        ("fine-tuned recognizer alone", f1(items, predicted), f1(held, held_learned)),
        (
            "stacker" + (" + GeoNames" if names is not None else ""),
            f1(items, cross),
            f1(held, [stacker.predict(c) for c in held_cands]),
        ),
    ]
    print(f"\n{args.corpus}, k = {args.k}, threshold {args.threshold}; exact F1\n")
    print(
        table(
            [
                [
                    name,
                    *(f"{cv[label]:.3f}" for label in LABELS),
                    *(f"{h[label]:.3f}" for label in LABELS),
                ]
                for name, cv, h in rows
            ],
            ["variant", "CV LOC", "CV FAC", "held-out LOC", "held-out FAC"],
        )
    )


if __name__ == "__main__":
    main()
