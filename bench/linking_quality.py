"""How often does a place mention get the right GeoNames entry? Beside a baseline, one run.

Gold: ``bench/data/linking_gold_samples.jsonl``, every LOCATION mention of the 18 bundled
sample articles with its GeoNames entry, made by hand (see ``bench/data/README.md``).
Mentions whose place the gazetteer lacks (camps, crossings, rivers, districts, small
villages) are gold ``null``: the right answer for them is to stay unlinked.

Both systems get the gold mentions (as Mordecai's "given the place name" figures do):

- baseline: the most populous gazetteer entry with the mention's name, context ignored;
- linker: ``annotator.kb.place_linker.link_places`` on the article's mentions.

A third row links as pre-annotation does: the default pipeline's own suggestions of each
sample (places and factions together), scored on the suggested spans that are exactly a
gold mention. There the article's other suggestions are context too (a country the gold
does not mark, "Israel" in the Gaza sample).

Figures over the mentions with a gold entry: exact-id accuracy, accuracy within 161 km
(100 miles, the geoparsing literature's usual tolerance), how many were left unlinked; over
the gold-null mentions: how many were (rightly) left unlinked. Then the lookup time per
mention (p50, p95) and the index build time when ``--build`` asks for a fresh index.
Exits 1 if the linker misses the targets (>= 90 % exact, >= 95 % within 161 km, above the
baseline, lookup p95 < 5 ms).

    python bench/linking_quality.py [--build] [--errors]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.model import Span  # noqa: E402
from annotator.core.resources import resource  # noqa: E402
from annotator.kb.geonames import ensure_index  # noqa: E402
from annotator.kb.place_linker import link_places, most_populous  # noqa: E402
from annotator.kb.places import Gazetteer, Place  # noqa: E402

GOLD = Path(__file__).resolve().parent / "data" / "linking_gold_samples.jsonl"
TOLERANCE_KM = 161.0


def sample_text(name: str) -> str:
    # The project stores texts with \r\n made \n; the gold offsets are into that text.
    raw = resource("samples", name).read_bytes().decode("utf-8")
    return raw.replace("\r\n", "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="time a fresh index build")
    parser.add_argument("--errors", action="store_true", help="list the linker's mistakes")
    args = parser.parse_args()

    if args.build:
        with tempfile.TemporaryDirectory() as folder:
            info = ensure_index(Path(folder))
            print(f"index build: {info.seconds:.1f} s, {info.path.stat().st_size / 1e6:.0f} MB")
    info = ensure_index()
    gazetteer = Gazetteer(info.path)
    print(f"gazetteer: {gazetteer.size():,} entries ({gazetteer.meta.get('version')})")

    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]
    by_file: dict[str, list[dict]] = defaultdict(list)
    for row in gold:
        by_file[row["file"]].append(row)

    predicted: dict[tuple[str, int], str] = {}
    baseline: dict[tuple[str, int], str] = {}
    link_seconds: list[float] = []
    for name, rows in sorted(by_file.items()):
        text = sample_text(name)
        spans = [Span(r["start"], r["end"], "LOCATION") for r in rows]
        started = time.perf_counter()
        links = link_places(text, spans, gazetteer)
        link_seconds.append(time.perf_counter() - started)
        for row, link in zip(rows, links, strict=True):
            predicted[(name, row["start"])] = link.kb_id
            best = most_populous(row["text"], gazetteer)
            baseline[(name, row["start"])] = best.kb_id if best else ""

    def score(answers: dict[tuple[str, int], str]) -> dict[str, float]:
        return score_rows(gold, answers, gazetteer)

    ours, base = score(predicted), score(baseline)
    suggested = _as_suggested(by_file, gazetteer)
    ours_suggested = score_rows(gold, suggested, gazetteer)
    lookup_ms = _lookup_times(gazetteer, [r["text"] for r in gold])
    p50 = statistics.median(lookup_ms)
    p95 = statistics.quantiles(lookup_ms, n=20)[-1]

    print(f"\nmentions: {ours['known']} with a gold entry, {ours['nil']} gold-null")
    print(f"{'':30}{'exact id':>10}{'<= 161 km':>11}{'unlinked':>10}{'null kept':>11}")
    rows = (
        ("baseline: most populous", base),
        ("linker (context)", ours),
        (
            f"linker, suggested spans ({ours_suggested['known'] + ours_suggested['nil']})",
            ours_suggested,
        ),
    )
    for title, s in rows:
        print(
            f"{title:30}{s['exact']:>10.1%}{s['near']:>11.1%}{s['unlinked']:>10.1%}{s['nil_ok']:>11.1%}"
        )
    print(
        "(the last row: the program's own LOCATION suggestions of the samples, linked as "
        "pre-annotation links them, on the gold mentions they match exactly)"
    )
    print(f"ratio linker / baseline, exact: {ours['exact'] / max(base['exact'], 1e-9):.2f}")
    print(f"lookup per mention: p50 {p50:.3f} ms, p95 {p95:.3f} ms")
    print(f"link_places per article: mean {statistics.mean(link_seconds) * 1000:.1f} ms")

    if args.errors:
        print("\nlinker mistakes (gold entry → answer):")
        for r in gold:
            answer = predicted[(r["file"], r["start"])]
            if answer != (r["kb_id"] or ""):
                got = answer or "(unlinked)"
                print(f"  {r['file'][:2]} {r['text']!r:28} gold {r['kb_id']} → {got}")

    met = (
        ours["exact"] >= 0.90
        and ours["near"] >= 0.95
        and ours["exact"] > base["exact"]
        and p95 < 5.0
    )
    print("targets met" if met else "targets NOT met")
    return 0 if met else 1


def score_rows(
    gold: list[dict], answers: dict[tuple[str, int], str], gazetteer: Gazetteer
) -> dict[str, float]:
    """Exact and near accuracy over the gold mentions ``answers`` has (by file and start)."""
    rows = [r for r in gold if (r["file"], r["start"]) in answers]
    known = [r for r in rows if r["kb_id"]]
    nil = [r for r in rows if not r["kb_id"]]
    exact = near = unlinked = 0
    for r in known:
        answer = answers[(r["file"], r["start"])]
        if not answer:
            unlinked += 1
            continue
        exact += answer == r["kb_id"]
        near += _distance(gazetteer, answer, r["kb_id"]) <= TOLERANCE_KM
    nil_ok = sum(not answers[(r["file"], r["start"])] for r in nil)
    return {
        "exact": exact / len(known) if known else 0.0,
        "near": near / len(known) if known else 0.0,
        "unlinked": unlinked / len(known) if known else 0.0,
        "nil_ok": nil_ok / len(nil) if nil else 1.0,
        "known": len(known),
        "nil": len(nil),
    }


def _as_suggested(
    by_file: dict[str, list[dict]], gazetteer: Gazetteer
) -> dict[tuple[str, int], str]:
    """What pre-annotation links: the default pipeline's suggestions of each sample, linked
    together (places and factions, as ``SuggestionLinker`` does), for the suggested spans
    that are exactly a gold mention."""
    from annotator.kb import link_article
    from annotator.kb.linking import project_kb
    from annotator.nlp import load_preannotator

    preannotator = load_preannotator(link=False)
    kb = project_kb([])
    answers: dict[tuple[str, int], str] = {}
    for name, rows in sorted(by_file.items()):
        text = sample_text(name)
        [spans] = list(preannotator.suggest([text]))
        gold_spans = {(r["start"], r["end"]) for r in rows}
        for link in link_article(text, spans, "", gazetteer, kb):
            if (link.start, link.end) in gold_spans:
                answers[(name, link.start)] = link.kb_id
    return answers


def _distance(gazetteer: Gazetteer, a: str, b: str) -> float:
    pa, pb = gazetteer.get(a), gazetteer.get(b)
    if pa is None or pb is None:
        return float("inf")
    return Place.distance_km(pa, pb)


def _lookup_times(gazetteer: Gazetteer, names: list[str], rounds: int = 5) -> list[float]:
    times = []
    for _ in range(rounds):
        for name in names:
            started = time.perf_counter()
            gazetteer.lookup(name)
            times.append((time.perf_counter() - started) * 1000)
    return times


if __name__ == "__main__":
    sys.exit(main())
