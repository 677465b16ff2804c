"""Claim sources and attributes on GUM news, for ``preannotation_quality.py``.

GUM's attribution layer gives, for each attribution, its content (our CLAIM) and the noun
phrase of its source (``source_np``). Two sets of claims, each given a source by two systems:

- suggested claims: the pre-annotator's own CLAIM suggestions, and the sources and relations
  its attribution component (``annotator_attribution``) stored beside them: exactly what
  pre-annotation writes to a project;
- GUM's claims: GUM's own claim spans given to ``attribute_claims`` with the suggested
  entities, which measures the source finder alone;
- **baseline** for both: the nominal subject (its whole subtree) of the reporting verb
  nearest to the claim, in the same parse.

Figures: source span F1 over each article's distinct sources (exact as GUM marks them; same
edges, i.e. exact after ``same_edges`` is applied alike to gold and systems, since GUM keeps
"the" and the guidelines do not; overlap), and claim–source pair F1 (a pair matches when
both its claim and its source overlap those of a gold pair). Precision counts the system's
items that match some gold item, recall the gold items some system item matches.

Attributes: GUM marks polarity (one attribution of 247 is negative, "U.S. officials have
not said why ...", a negated report rather than a denial) and nothing on hedging or
quotation; the script prints what the project suggests and where GUM's negative one stands,
no invented gold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from _common import same_edges, table

from annotator.core.model import Span
from annotator.core.relations import HEDGED, POLARITY, QUOTE, SpanAttribute, SpanRelation
from annotator.nlp.attribution import attribute_claims
from annotator.nlp.wordlists import load_claim_words

Range = tuple[int, int]
Pair = tuple[Range, Range]
TARGET_PAIR_F1 = 0.60
HEADER = [
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
]


@dataclass
class AttributionRun:
    """Pairs (article index, (claim, source)) per (claim set, system), and what the project
    marked on its suggested claims."""

    pairs: dict[tuple[str, str], list[tuple[int, Pair]]] = field(default_factory=dict)
    values: dict[str, Counter] = field(default_factory=dict)
    marked: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, claim_set: str, system: str, n: int, pairs: Sequence[Pair]) -> None:
        self.pairs.setdefault((claim_set, system), []).extend((n, p) for p in pairs)


def gold_pairs(docs: Sequence[dict]) -> list[tuple[int, Pair]]:
    """GUM's (article index, (content, source noun phrase)) for each attribution with one."""
    found = []
    for n, d in enumerate(docs):
        for a in d["attributions"]:
            if a["source_np"]:
                content, source = a["content"], a["source_np"]
                found.append(
                    (n, ((content["start"], content["end"]), (source["start"], source["end"])))
                )
    return found


def baseline_pairs(doc, claims: Sequence[Span]) -> list[Pair]:
    """For each claim, the nominal subject of the nearest reporting verb (tagged a verb)."""
    forms = load_claim_words().reporting_forms
    verbs = [t for t in doc if t.lower_ in forms and t.tag_.startswith("VB")]
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


def as_pairs(relations: Sequence[SpanRelation]) -> list[Pair]:
    return [((r.head.start, r.head.end), (r.child.start, r.child.end)) for r in relations]


def collect(
    run: AttributionRun,
    n: int,
    doc,
    spans: Sequence[Span],
    relations: Sequence[SpanRelation],
    attributes: Sequence[SpanAttribute],
    gum: dict,
) -> None:
    """Add one article: the project's stored suggestions, the source finder on GUM's claims,
    and the baseline on both claim sets."""
    claims = [s for s in spans if s.label == "CLAIM"]
    entities = [s for s in spans if s.label in ("LOCATION", "FACTION")]
    gold_claims = [
        Span(a["content"]["start"], a["content"]["end"], "CLAIM") for a in gum["attributions"]
    ]
    run.add("suggested", "project", n, as_pairs(relations))
    run.add("suggested", "baseline", n, baseline_pairs(doc, claims))
    finder = attribute_claims(doc, gold_claims, entities)
    run.add("GUM's", "project", n, as_pairs(finder.relations))
    run.add("GUM's", "baseline", n, baseline_pairs(doc, gold_claims))
    for claim_set, values in (("suggested", attributes), ("GUM's", finder.attributes)):
        run.values.setdefault(claim_set, Counter()).update((a.name, a.value) for a in values)
    run.marked += [(a.name, a.value, doc.text[a.span.start : a.span.end]) for a in attributes]


def _overlap(a: Range, b: Range) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def prf(system: list, gold: list, match: Callable) -> tuple[float, float, float]:
    tp_system = sum(1 for s in system if any(match(s, g) for g in gold))
    tp_gold = sum(1 for g in gold if any(match(s, g) for s in system))
    p = tp_system / len(system) if system else 0.0
    r = tp_gold / len(gold) if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _same_doc(match: Callable) -> Callable:
    return lambda a, b: a[0] == b[0] and match(a[1], b[1])


def _pair_match(a: Pair, b: Pair) -> bool:
    return _overlap(a[0], b[0]) and _overlap(a[1], b[1])


def report(run: AttributionRun, docs: Sequence[dict]) -> bool:
    """Print the source and attribute tables; True when the project's pair F1 on suggested
    claims reaches the target and beats the baseline."""
    texts = [d["text"] for d in docs]
    gold = gold_pairs(docs)
    gold_sources = sorted({(n, p[1]) for n, p in gold})
    rows, pair_f1 = [], {}
    for (claim_set, system), pairs in sorted(
        run.pairs.items(), key=lambda kv: kv[0][0] != "suggested"
    ):
        sources = sorted({(n, p[1]) for n, p in pairs})
        exact = prf(sources, gold_sources, lambda a, b: a == b)
        edges = prf(
            [(n, same_edges(texts[n], s)) for n, s in sources],
            [(n, same_edges(texts[n], s)) for n, s in gold_sources],
            lambda a, b: a == b,
        )
        overlap = prf(sources, gold_sources, _same_doc(_overlap))
        pair = prf(pairs, gold, _same_doc(_pair_match))
        pair_f1[claim_set, system] = pair[2]
        bold = f"**{pair[2]:.3f}**" if system == "project" else f"{pair[2]:.3f}"
        rows.append(
            [
                claim_set,
                system,
                len(pairs),
                f"{exact[2]:.3f}",
                f"{edges[2]:.3f}",
                f"{overlap[0]:.3f}",
                f"{overlap[1]:.3f}",
                f"{overlap[2]:.3f}",
                f"{pair[0]:.3f}",
                f"{pair[1]:.3f}",
                bold,
            ]
        )
    print(
        f"\n## Claim sources on GUM news ({len(docs)} articles, "
        f"{len(gold)} attributions with a source)\n"
    )
    print(table(rows, HEADER))
    _print_attributes(run, docs)
    ours, base = pair_f1["suggested", "project"], pair_f1["suggested", "baseline"]
    ratio = f"{ours / base:.2f}x" if base else "baseline 0"
    print(
        f"\npair F1 on suggested claims: project {ours:.3f} vs baseline {base:.3f} ({ratio}); "
        f"target >= {TARGET_PAIR_F1} and above the baseline"
    )
    return ours >= TARGET_PAIR_F1 and ours > base


def _print_attributes(run: AttributionRun, docs: Sequence[dict]) -> None:
    negative = [a for d in docs for a in d["attributions"] if a["polarity"] != "positive"]
    total = sum(len(d["attributions"]) for d in docs)
    print("\nAttributes suggested (GUM has no gold for hedged or quote; its polarity has")
    print(f"{len(negative)} negative attribution(s) of {total}: ", end="")
    print("; ".join(f"{a['source_clause']['text']!r} {a['content']['text']!r}" for a in negative))
    lines = [
        [claim_set, c[(POLARITY, "denied")], c[(HEDGED, "yes")], c[(QUOTE, "yes")]]
        for claim_set, c in run.values.items()
    ]
    print()
    print(table(lines, ["claims", "polarity denied", "hedged yes", "quote yes"]))
    print("\nSuggested claims marked denied or hedged, to judge by eye:")
    for attribute, value, text in run.marked:
        if attribute != QUOTE:
            print(f"  {attribute}={value}: {text[:90]!r}")


def print_misses(run: AttributionRun, docs: Sequence[dict], limit: int) -> None:
    """The first ``limit`` gold pairs the source finder misses on GUM's claims."""
    pairs = run.pairs.get(("GUM's", "project"), [])
    shown = 0
    for n, (claim, source) in gold_pairs(docs):
        if shown >= limit:
            return
        if any(m == n and _pair_match(p, (claim, source)) for m, p in pairs):
            continue
        text = docs[n]["text"]
        found = [text[p[1][0] : p[1][1]] for m, p in pairs if m == n and _overlap(p[0], claim)]
        print(
            f"MISS {text[source[0] : source[1]]!r} | {text[claim[0] : claim[1]][:70]!r} "
            f"| got {found}"
        )
        shown += 1
