"""How fast, and in how much memory, does a big project export? JSONL and DocBin vs a bare scan.

Builds (or reuses, with ``--db``) a project of 100,000 synthetic news articles (about 2,000
characters each, a Zipf-like vocabulary) with about 20 spans each, two million in all:
LOCATION and FACTION on whole words and CLAIMs over attributed clauses, as one annotator's
finished work, with each article's tokens cached as an import caches them. Then, each in a
fresh process so its peak memory is its own, after flushing earlier writes to disk:

- the baseline: a bare ``SELECT`` of every article's text and title joined with its spans,
  the same rows an export reads, iterated to the end;
- tokenizing every text with the blank English tokenizer: what the token cache saves;
- ``export_project`` to ``doccano`` (text and offsets: the streaming itself), to ``jsonl``
  (Prodigy tasks with every token; as the command runs it, with worker processes), to
  ``jsonl`` in one process, to ``jsonl`` on a copy of the project without its token cache
  (a project imported before the cache existed: the first export fills it), and to
  ``spacy`` (a DocBin).

Targets: JSONL at most 2x the bare scan; memory growth (peak RSS over the RSS after start-up)
under 200 MB for every export. Worker processes are forked from the measuring process, so
their RSS counts the pages they share with it; their growth is their peak over its start.
Timings move with whatever else the machine runs: ``--repeat N`` runs every measure N times,
round by round, and reports the median and the range.

    .venv/bin/python bench/export.py [--articles N] [--db PATH] [--only NAME...] [--repeat N]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import table  # noqa: E402

ANNOTATOR = "alice"
MEASURES = ("scan", "tokenize", "doccano", "jsonl", "jsonl-1", "jsonl-cold", "spacy")
EXPORTS = {  # measure: (format, workers: None as the command line runs it)
    "doccano": ("doccano", None),
    "jsonl": ("jsonl", None),
    "jsonl-1": ("jsonl", 0),
    "jsonl-cold": ("jsonl", None),
    "spacy": ("spacy", None),
}
TARGET_RATIO = 2.0
TARGET_GROWTH_MB = 200

_PLACES = [
    "Aleppo",
    "Idlib",
    "Saraqib",
    "Kidal",
    "Gao",
    "Timbuktu",
    "Marib",
    "Hodeidah",
    "Sirte",
    "Bamako",
    "Djibo",
    "Goma",
]
_FACTIONS = [
    "government forces",
    "the Nusra Front",
    "Hezbollah",
    "the Houthis",
    "the M23 rebels",
    "the Libyan National Army",
    "JNIM fighters",
    "the Syrian Democratic Forces",
]
_VERBS = ["said", "claimed", "reported", "denied", "announced"]


def _vocabulary(rng: random.Random, size: int = 20_000) -> tuple[list[str], list[float]]:
    letters = "abcdefghiklmnoprstuvwy"
    words = sorted({"".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(size)})
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf-like, as in news text
    return words, list(itertools.accumulate(weights))


def _article(rng: random.Random, words: list[str], cum_weights: list[float]):
    """(text, spans): four attributed sentences among plain ones, ~2,000 characters."""
    pieces: list[str] = []
    spans: list[tuple[int, int, str]] = []
    offset = 0

    def add(text: str, label: str | None = None) -> None:
        nonlocal offset
        if label:
            spans.append((offset, offset + len(text), label))
        pieces.append(text)
        offset += len(text)

    def filler(n: int) -> None:
        add(" ".join(rng.choices(words, cum_weights=cum_weights, k=n)))

    for sentence in range(14):
        if sentence:
            add(" " if sentence % 4 else "\n\n")
        if sentence % 4:
            filler(rng.randint(14, 24))
            add(".")
            continue
        add(rng.choice(_FACTIONS).capitalize(), "FACTION")
        add(f" {rng.choice(_VERBS)} that ")
        claim = offset
        add(rng.choice(_FACTIONS), "FACTION")
        add(" ")
        filler(rng.randint(3, 8))
        add(" near ")
        add(rng.choice(_PLACES), "LOCATION")
        add(" and ")
        add(rng.choice(_PLACES), "LOCATION")
        add(", ")
        filler(rng.randint(3, 8))
        spans.append((claim, offset, "CLAIM"))
        add(".")
    return "".join(pieces), spans


def build_project(path: Path, articles: int) -> None:
    from annotator.core.model import Article
    from annotator.storage import Store

    rng = random.Random(7)
    words, cum_weights = _vocabulary(rng)
    with Store(path) as store:
        for first in range(0, articles, 10_000):
            batch = [
                _article(rng, words, cum_weights) for _ in range(min(10_000, articles - first))
            ]
            with store.transaction():
                ids = store.add_articles(Article(t, title=t[:60]) for t, _ in batch).ids
                store.add_spans_in_bulk(
                    (i, ANNOTATOR, s, e, label, "human")
                    for i, (_, spans) in zip(ids, batch, strict=True)
                    for s, e, label in spans
                )
                store.set_statuses_in_bulk((i, ANNOTATOR, "done") for i in ids)
            print(f"  built {first + len(batch):,} articles", file=sys.stderr)
    cache_all_tokens(path)


def cache_all_tokens(path: Path) -> None:
    """Cache every article's tokens, as an import does (``formats.importer``)."""
    from annotator.formats.packed_tokens import TOKENIZER, pack_tokens
    from annotator.storage import Store
    from annotator.storage.token_cache import cache_tokens, uncached_article_ids

    with Store(path) as store:
        missing = uncached_article_ids(store, TOKENIZER)
        for first in range(0, len(missing), 10_000):
            ids = missing[first : first + 10_000]
            entries = [(a.id, pack_tokens(a.text)) for a in store.iter_articles(ids)]
            cache_tokens(store, entries, TOKENIZER)
            print(f"  cached tokens of {first + len(ids):,} articles", file=sys.stderr)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(name: str, db: Path, out_dir: Path) -> dict:
    """One measurement, in this (fresh) process: seconds, memory growth, output size."""
    import sqlite3

    from annotator.formats.exporter import export_project
    from annotator.formats.packed_tokens import alignment
    from annotator.storage import Store

    alignment("warm up the tokenizer and its imports.")
    start_rss = _rss_mb()
    began = time.perf_counter()
    size = 0
    if name == "scan":
        conn = sqlite3.connect(db)
        cursor = conn.execute(
            'SELECT a.id, a.text, a.title, s.start, s."end", s.label FROM articles a '
            "LEFT JOIN spans s ON s.article_id = a.id AND s.annotator = ? ORDER BY a.id",
            [ANNOTATOR],
        )
        rows = 0
        while batch := cursor.fetchmany(10_000):
            rows += len(batch)
        conn.close()
        size = rows
    elif name == "tokenize":
        with Store(db) as store:
            size = sum(len(alignment(article.text)) for article in store.iter_articles())
    else:
        format_name, workers = EXPORTS[name]
        suffix = {"doccano": ".jsonl", "jsonl": ".jsonl", "spacy": ".spacy"}[format_name]
        target = out_dir / f"{name}{suffix}"
        with Store(db) as store:
            report = export_project(store, target, format_name, workers=workers)
    seconds = time.perf_counter() - began
    if name in EXPORTS:
        assert report.article_count > 0, report.summary_lines()
        size = target.stat().st_size
        target.unlink()  # not timed: dropping 2 GB from the page cache takes a while
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "name": name,
        "seconds": seconds,
        "growth_mb": peak - start_rss,
        "worker_growth_mb": max(workers_peak - start_rss, 0) if workers_peak else None,
        "size": size,
    }


def _without_token_cache(db: Path, scratch: Path) -> Path:
    """A copy of the project as an older program left it: no token cache."""
    import sqlite3

    copy = scratch / "without-token-cache.db"
    source, target = sqlite3.connect(db), sqlite3.connect(copy)
    with target:
        source.backup(target)
        target.execute("DELETE FROM token_cache")
    source.close()
    target.close()
    return copy


def _summary(runs: list[dict]) -> dict:
    """The median time (and the range) of a measure's runs, its largest memory growth."""
    seconds = sorted(r["seconds"] for r in runs)
    workers = [r["worker_growth_mb"] for r in runs if r["worker_growth_mb"] is not None]
    return {
        "seconds": statistics.median(seconds),
        "fastest": seconds[0],
        "slowest": seconds[-1],
        "growth_mb": max(r["growth_mb"] for r in runs),
        "worker_growth_mb": max(workers) if workers else None,
        "size": runs[0]["size"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="project to use (built there if missing)")
    parser.add_argument("--only", nargs="*", choices=MEASURES, default=list(MEASURES))
    parser.add_argument("--repeat", type=int, default=1, help="run each measure N times")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: one child run
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        print(json.dumps(measure(args.measure, args.db, args.out)))
        return

    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        scratch = Path(folder)
        db = args.db or scratch / "project.db"
        if not db.exists():
            print(f"building {args.articles:,} articles in {db} ...", file=sys.stderr)
            began = time.perf_counter()
            build_project(db, args.articles)
            print(f"  built in {time.perf_counter() - began:.0f} s", file=sys.stderr)
        cache_all_tokens(db)  # a project built by an older bench has none
        import sqlite3

        with sqlite3.connect(db) as conn:
            articles, spans, chars = conn.execute(
                "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM spans), "
                "(SELECT SUM(LENGTH(text)) FROM articles)"
            ).fetchone()
        loads = [os.getloadavg()[0]]
        runs: dict[str, list[dict]] = {name: [] for name in args.only}
        for _ in range(args.repeat):  # round by round, so that noise falls on every run
            for name in args.only:
                source = _without_token_cache(db, scratch) if name == "jsonl-cold" else db
                os.sync()  # earlier runs' writes would go to disk during this one
                print(f"measuring {name} ...", file=sys.stderr)
                child = subprocess.run(
                    [sys.executable, __file__, "--measure", name, "--db", str(source)]
                    + ["--out", folder],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs[name].append(json.loads(child.stdout.strip().splitlines()[-1]))
                loads.append(os.getloadavg()[0])
                if source != db:
                    source.unlink()

    print(f"\n{articles:,} articles, {spans:,} spans, {chars / articles:,.0f} characters each")
    print(f"{os.cpu_count()} CPUs; load average (1 min) {min(loads):.2f} to {max(loads):.2f}")
    if args.repeat > 1:
        print(f"each run {args.repeat} times: the median, and the range")
    print()
    results = {name: _summary(measured) for name, measured in runs.items()}
    scan = results.get("scan", {}).get("seconds")
    rows = []
    for name, r in results.items():
        ratio = f"{r['seconds'] / scan:.1f}x" if scan else "-"
        size = f"{r['size'] / 1e6:,.0f} MB" if name in EXPORTS else "-"
        workers = f"{r['worker_growth_mb']:.0f}" if r["worker_growth_mb"] is not None else "-"
        seconds = f"{r['seconds']:.1f}"
        if args.repeat > 1:
            seconds += f" ({r['fastest']:.1f}-{r['slowest']:.1f})"
        rows.append([name, seconds, ratio, f"{r['growth_mb']:.0f}", workers, size])
    header = ["run", "seconds", "vs scan", "memory growth MB", "each worker's MB", "output"]
    print(table(rows, header))
    if scan and "jsonl" in results:
        ratio = results["jsonl"]["seconds"] / scan
        verdict = "met" if ratio <= TARGET_RATIO else "missed"
        print(f"\nJSONL: {ratio:.2f}x the bare scan (target {TARGET_RATIO:g}x): {verdict}")
    from annotator.formats.parallel import MAX_WORKERS

    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    growth = [
        r["growth_mb"] + (r["worker_growth_mb"] or 0) * workers
        for n, r in results.items()
        if n in EXPORTS
    ]
    worst = max(growth, default=0)
    verdict = "met" if worst < TARGET_GROWTH_MB else "missed"
    print(
        f"export memory growth, workers included: at most {worst:.0f} MB "
        f"(target {TARGET_GROWTH_MB}): {verdict}"
    )


if __name__ == "__main__":
    main()
