"""Claim sources on GUM news: the project's ``attribute_claims`` against a baseline, same run.

GUM's attribution layer gives, for each attribution, its content (our CLAIM) and the noun
phrase of its source (``source_np``). For the claims the pipeline suggests, and again for
GUM's own claim spans (which measures the source finder alone), each system names a source:

- **baseline**: the nominal subject (its whole subtree) of the reporting verb nearest to
  the claim;
- **project**: ``annotator.nlp.attribution.attribute_claims`` (FACTION or SOURCE span).

Figures: source span F1 over each article's distinct sources (exact as GUM marks them; same
edges, i.e. exact after ``same_edges`` is applied alike to gold and systems, since GUM keeps
"the" and the guidelines do not; overlap), and claim–source pair F1 (a pair matches when
both its claim and its source overlap those of a gold pair). Precision counts the system's
items that match some gold item, recall the gold items some system item matches.

Attributes: GUM marks polarity (one attribution of 247 is negative, "U.S. officials have
not said why ...", a negated report rather than a denial) and nothing on hedging or
quotation; the script prints what the project suggests and where GUM's negative one stands,
no invented gold.

    .venv/bin/python bench/attribution_quality.py [--blank] [--misses N]

Exits 1 if the project's pair F1 on suggested claims is below 0.60 or not above the
baseline's.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence

from _common import GUM, read_jsonl, same_edges, table

from annotator.core.model import Span
from annotator.core.relations import HEDGED, POLARITY, QUOTE
from annotator.core.text import join_hard_line_breaks
from annotator.nlp.attribution import attribute_claims
from annotator.nlp.claims import REPORTING_FORMS
from annotator.nlp.loading import load_preannotator, load_rules_only

Range = tuple[int, int]
Pair = tuple[Range, Range]
TARGET_PAIR_F1 = 0.60


def baseline_pairs(doc, claims: Sequence[Span]) -> list[Pair]:
    """For each claim, the nominal subject of the nearest reporting verb (tagged a verb)."""
    verbs = [t for t in doc if t.lower_ in REPORTING_FORMS and t.tag_.startswith("VB")]
    pairs = []
    for claim in claims:
        if not verbs:
            break

        def distance(verb, claim=claim) -> int:
            if claim.start <= verb.idx < claim.end:
                return 0
            return min(abs(verb.idx - claim.start), abs(verb.idx - claim.end))

        verb = min(verbs, key=distance)
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if subjects:
            s = subjects[0]
            right = s.right_edge
            pairs.append(((claim.start, claim.end), (s.left_edge.idx, right.idx + len(right.text))))
    return pairs


def project_pairs(
    doc, claims: Sequence[Span], entities: Sequence[Span], marked: list | None = None
) -> tuple[list[Pair], Counter]:
    """The project's pairs and attribute counts; ``marked`` collects the claims with a
    value other than the default, as (attribute, value, claim text)."""
    found = attribute_claims(doc, claims, entities)
    if marked is not None:
        marked += [(a.name, a.value, doc.text[a.span.start : a.span.end]) for a in found.attributes]
    pairs = [((r.head.start, r.head.end), (r.child.start, r.child.end)) for r in found.relations]
    values = Counter((a.name, a.value) for a in found.attributes)
    return pairs, values


def _overlap(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def prf(system: list, gold: list, match: Callable) -> tuple[float, float, float]:
    tp_system = sum(1 for s in system if any(match(s, g) for g in gold))
    tp_gold = sum(1 for g in gold if any(match(s, g) for s in system))
    p = tp_system / len(system) if system else 0.0
    r = tp_gold / len(gold) if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def same_doc(match: Callable) -> Callable:
    return lambda a, b: a[0] == b[0] and match(a[1], b[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blank", action="store_true", help="also the blank (rules-only) pipeline")
    parser.add_argument("--misses", type=int, default=0, help="print N missed gold pairs")
    args = parser.parse_args()

    docs = read_jsonl(GUM)
    pipelines = [("model", load_preannotator(None))]
    if args.blank:
        pipelines.append(("blank", load_rules_only()))
    print(f"pipeline: {pipelines[0][1].description}", file=sys.stderr)

    gold_pairs: list = []
    for n, d in enumerate(docs):
        for a in d["attributions"]:
            if a["source_np"]:
                content, source = a["content"], a["source_np"]
                gold_pairs.append(
                    (n, ((content["start"], content["end"]), (source["start"], source["end"])))
                )
    gold_sources = sorted({(n, p[1]) for n, p in gold_pairs})
    texts = [d["text"] for d in docs]

    rows = []
    attribute_counts: dict[str, Counter] = {}
    marked: dict[str, list] = {}
    ratio = None
    for name, pre in pipelines:
        runs: dict[str, list] = {}
        seconds = 0.0
        for n, d in enumerate(docs):
            doc = pre.nlp(join_hard_line_breaks(d["text"]))
            spans = pre.spans(doc)
            claims = [s for s in spans if s.label == "CLAIM"]
            entities = [s for s in spans if s.label != "CLAIM"]
            gold_claims = [
                Span(a["content"]["start"], a["content"]["end"], "CLAIM") for a in d["attributions"]
            ]
            for claim_set, claim_spans in (("suggested", claims), ("GUM's", gold_claims)):
                if name == "model":
                    base = baseline_pairs(doc, claim_spans)
                    runs.setdefault(f"baseline|{claim_set}", []).extend((n, p) for p in base)
                t = time.perf_counter()
                pairs, values = project_pairs(
                    doc, claim_spans, entities, marked.setdefault(f"{name}|{claim_set}", [])
                )
                seconds += time.perf_counter() - t
                runs.setdefault(f"project|{claim_set}", []).extend((n, p) for p in pairs)
                attribute_counts.setdefault(f"{name}|{claim_set}", Counter()).update(values)
                if claim_set == "suggested" and name == "model":
                    runs.setdefault("claims", []).extend((n, (c.start, c.end)) for c in claims)
        for key, pairs in runs.items():
            if key == "claims":
                continue
            system, claim_set = key.split("|")
            label = system if name == "model" else f"{system} (blank pipeline)"
            sources = sorted({(n, p[1]) for n, p in pairs})
            exact = prf(sources, gold_sources, lambda a, b: a == b)
            edges = prf(
                [(n, same_edges(texts[n], s)) for n, s in sources],
                [(n, same_edges(texts[n], s)) for n, s in gold_sources],
                lambda a, b: a == b,
            )
            overlap = prf(sources, gold_sources, same_doc(_overlap))
            pair = prf(
                pairs,
                gold_pairs,
                same_doc(lambda a, b: _overlap(a[0], b[0]) and _overlap(a[1], b[1])),
            )
            rows.append(
                [claim_set, label, len(pairs), f"{exact[2]:.3f}", f"{edges[2]:.3f}",
                 f"{overlap[0]:.3f}", f"{overlap[1]:.3f}", f"{overlap[2]:.3f}",
                 f"{pair[0]:.3f}", f"{pair[1]:.3f}", f"**{pair[2]:.3f}**"]
            )  # fmt: skip
            if name == "model" and claim_set == "suggested":
                if system == "project":
                    project_f1 = pair[2]
                else:
                    baseline_f1 = pair[2]
        if name == "model":
            ratio = (project_f1, baseline_f1)
            print(
                f"attribute_claims: {1000 * seconds / len(docs) / 2:.1f} ms per article",
                file=sys.stderr,
            )
        if args.misses and name == "model":
            _print_misses(docs, runs["project|GUM's"], gold_pairs, args.misses)

    rows.sort(key=lambda r: (r[0] != "suggested", r[1]))
    print(
        f"Claim sources on GUM news ({len(docs)} articles, "
        f"{len(gold_pairs)} attributions with a source)"
    )
    print()
    print(
        table(
            rows,
            [
                "claims",
                "system",
                "pairs",
                "source exact F1",
                "source same-edges F1",
                "source overlap P",
                "source overlap R",
                "source overlap F1",
                "pair P",
                "pair R",
                "pair F1",
            ],
        )  # fmt: skip
    )
    print()
    negative = [
        (n, a) for n, d in enumerate(docs) for a in d["attributions"] if a["polarity"] != "positive"
    ]
    lines = []
    for key, counts in attribute_counts.items():
        pipeline, claim_set = key.split("|")
        lines.append(
            [claim_set, pipeline, counts[(POLARITY, "denied")], counts[(HEDGED, "yes")],
             counts[(QUOTE, "yes")]]
        )  # fmt: skip
    print("Attributes suggested (GUM has no gold for hedged or quote; its polarity has one")
    print(f"negative attribution of {sum(len(d['attributions']) for d in docs)}: ", end="")
    print(
        "; ".join(f"{a['source_clause']['text']!r} {a['content']['text']!r}" for _, a in negative)
    )
    print()
    print(table(lines, ["claims", "pipeline", "polarity denied", "hedged yes", "quote yes"]))
    print()
    print("Claims suggested denied or hedged (model pipeline, suggested claims), to judge by eye:")
    for attribute, value, text in marked.get("model|suggested", []):
        if attribute != QUOTE:
            print(f"  {attribute}={value}: {text[:90]!r}")
    project_f1, baseline_f1 = ratio
    print()
    print(
        f"pair F1 on suggested claims: project {project_f1:.3f} vs baseline {baseline_f1:.3f} "
        f"({project_f1 / baseline_f1:.2f}x); target >= {TARGET_PAIR_F1} and above the baseline"
    )
    return 0 if project_f1 >= TARGET_PAIR_F1 and project_f1 > baseline_f1 else 1


def _print_misses(docs, pairs, gold_pairs, limit: int) -> None:
    shown = 0
    for n, (claim, source) in gold_pairs:
        if shown >= limit:
            return
        if any(m == n and _overlap(p[0], claim) and _overlap(p[1], source) for m, p in pairs):
            continue
        text = docs[n]["text"]
        found = [text[p[1][0] : p[1][1]] for m, p in pairs if m == n and _overlap(p[0], claim)]
        gold = f"{text[source[0] : source[1]]!r} | {text[claim[0] : claim[1]][:70]!r}"
        print(f"MISS {gold} | got {found}", file=sys.stderr)
        shown += 1


if __name__ == "__main__":
    sys.exit(main())
