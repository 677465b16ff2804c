"""How fast, and in how much memory, does a big file import? ``import`` vs a bare ``executemany``.

Writes (or reuses, with ``--jsonl``) a JSON Lines file in Prodigy's task format of 100,000
synthetic news articles (about 2,000 characters each, about 20 spans each, two million in all:
the articles of ``bench/export.py``), as one annotator's finished work. Then, each in a fresh
process so that its peak memory is its own, on a new project file each time:

- the baseline: the rows an import writes (articles, spans, statuses, the event log's
  entries, exactly as the import writes them) put into the same tables with one bare
  ``executemany`` per table, in one transaction; the rows are made before the clock starts;
- ``import``: ``annotator.formats.importer.import_paths`` without pre-annotation, as
  ``annotator import --no-preannotate`` runs it: the file read and checked, then read again
  and written a batch per transaction;
- ``import`` of a tenth of the file, to show that memory does not grow with the file.

Target: the import at most 2x the bare ``executemany``, its memory growth flat in the file's
size. ``--repeat N`` runs every measure N times, round by round, and reports the median.

    .venv/bin/python bench/import.py [--articles N] [--jsonl PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
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
TARGET_RATIO = 2.0


def write_jsonl(path: Path, articles: int) -> None:
    """``articles`` Prodigy tasks with their spans, as Prodigy or our export writes them."""
    from bench.export import _article, _vocabulary

    rng = random.Random(7)
    words, cum_weights = _vocabulary(rng)
    with path.open("w", encoding="utf-8") as file:
        for number in range(articles):
            text, spans = _article(rng, words, cum_weights)
            task = {
                "text": text,
                "meta": {"title": text[:60], "source": "bench"},
                "spans": [{"start": s, "end": e, "label": label} for s, e, label in spans],
                "_annotator_id": ANNOTATOR,
                "answer": "accept",
            }
            file.write(json.dumps(task, ensure_ascii=False, separators=(",", ":")) + "\n")
            if number % 20_000 == 19_999:
                print(f"  wrote {number + 1:,} tasks", file=sys.stderr)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _bare_rows(source: Path, limit: int | None) -> dict[str, list[tuple]]:
    """The rows the import writes for ``source``, made as it makes them (not timed)."""
    from annotator.core.text import normalize_newlines, text_hash
    from annotator.storage.base import now

    stamp = now()
    rows: dict[str, list[tuple]] = {"articles": [], "spans": [], "status": [], "events": []}
    span_id = 0
    with source.open(encoding="utf-8") as file:
        for article_id, line in enumerate(file, start=1):
            if limit is not None and article_id > limit:
                break
            task = json.loads(line)
            text = normalize_newlines(task["text"])
            meta = task["meta"]
            rows["articles"].append(
                (text_hash(text), meta["title"], text, meta["source"], "", "", "{}", stamp)
            )
            payload = []
            for span in task["spans"]:
                span_id += 1
                rows["spans"].append(
                    (span_id, article_id, ANNOTATOR, span["start"], span["end"], span["label"],
                     "human", stamp, stamp)
                )  # fmt: skip
                payload.append(
                    {"id": span_id, "start": span["start"], "end": span["end"],
                     "label": span["label"], "origin": "human"}
                )  # fmt: skip
            rows["status"].append((article_id, ANNOTATOR, stamp))
            entry = json.dumps({"spans": payload}, ensure_ascii=False)
            rows["events"].append((stamp, ANNOTATOR, article_id, "import", entry))
            rows["events"].append((stamp, ANNOTATOR, article_id, "status", '{"status": "done"}'))
    return rows


def measure(name: str, source: Path, db: Path, limit: int | None) -> dict:
    """One measurement, in this (fresh) process: seconds, memory growth, rows."""
    from annotator.formats.importer import import_paths
    from annotator.storage import Store

    rows = _bare_rows(source, limit) if name == "bare" else None
    store = Store(db)
    start_rss = _rss_mb()
    began = time.perf_counter()
    if rows is not None:
        conn = store._db
        with store.transaction():
            conn.executemany(
                "INSERT INTO articles (text_hash, title, text, source, url, published, meta, "
                "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows["articles"],
            )
            conn.executemany(
                'INSERT INTO spans (id, article_id, annotator, start, "end", label, origin, '
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows["spans"],
            )
            conn.executemany(
                "INSERT INTO article_status (article_id, annotator, status, comment, updated_at) "
                "VALUES (?, ?, 'done', '', ?)",
                rows["status"],
            )
            conn.executemany(
                "INSERT INTO events (ts, annotator, article_id, action, payload) "
                "VALUES (?, ?, ?, ?, ?)",
                rows["events"],
            )
    else:
        target = source
        if limit is not None:
            target = db.with_suffix(".part.jsonl")
            with source.open(encoding="utf-8") as full, target.open("w", encoding="utf-8") as part:
                for number, line in enumerate(full):
                    if number >= limit:
                        break
                    part.write(line)
            began = time.perf_counter()
        report = import_paths(store, [target])
        assert report.added and report.spans, report.summary_lines()
    seconds = time.perf_counter() - began
    articles, spans = store._db.execute(
        "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM spans)"
    ).fetchone()
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "name": name,
        "seconds": seconds,
        "growth_mb": peak - start_rss,
        "articles": articles,
        "spans": spans,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--jsonl", type=Path, help="file to import (written there if missing)")
    parser.add_argument("--repeat", type=int, default=1, help="run each measure N times")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: one child run
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        print(json.dumps(measure(args.measure, args.jsonl, args.db, args.limit)))
        return

    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        scratch = Path(folder)
        source = args.jsonl or scratch / "tasks.jsonl"
        if not source.exists():
            print(f"writing {args.articles:,} tasks to {source} ...", file=sys.stderr)
            write_jsonl(source, args.articles)
        lines = sum(1 for _ in source.open(encoding="utf-8"))
        tenth = max(lines // 10, 1)
        measures = [("bare", None), ("import", None), (f"import {tenth:,}", tenth)]
        runs: dict[str, list[dict]] = {name: [] for name, _ in measures}
        loads = [os.getloadavg()[0]]
        for _ in range(args.repeat):
            for name, limit in measures:
                db = scratch / "project.db"
                for leftover in scratch.glob("project*"):
                    leftover.unlink()
                os.sync()
                print(f"measuring {name} ...", file=sys.stderr)
                command = [sys.executable, __file__, "--measure", name.split()[0], "--jsonl"]
                command += [str(source), "--db", str(db)]
                if limit is not None:
                    command += ["--limit", str(limit)]
                child = subprocess.run(command, capture_output=True, text=True, check=True)
                runs[name].append(json.loads(child.stdout.strip().splitlines()[-1]))
                loads.append(os.getloadavg()[0])
        size = source.stat().st_size

    bare = statistics.median(r["seconds"] for r in runs["bare"])
    print(f"\n{lines:,} tasks ({size / 1e6:,.0f} MB of JSON Lines)")
    print(f"{os.cpu_count()} CPUs; load average (1 min) {min(loads):.2f} to {max(loads):.2f}")
    if args.repeat > 1:
        print(f"each run {args.repeat} times: the median, and the range")
    print()
    rows = []
    for name, measured in runs.items():
        seconds = sorted(r["seconds"] for r in measured)
        shown = f"{statistics.median(seconds):.1f}"
        if args.repeat > 1:
            shown += f" ({seconds[0]:.1f}-{seconds[-1]:.1f})"
        first = measured[0]
        rows.append(
            [
                name,
                f"{first['articles']:,}",
                f"{first['spans']:,}",
                shown,
                f"{statistics.median(seconds) / bare:.2f}x" if name != "bare" else "1.00x",
                f"{max(r['growth_mb'] for r in measured):.0f}",
            ]
        )
    print(table(rows, ["run", "articles", "spans", "seconds", "vs bare", "memory growth MB"]))
    ratio = statistics.median(r["seconds"] for r in runs["import"]) / bare
    verdict = "met" if ratio <= TARGET_RATIO else "missed"
    print(f"\nimport: {ratio:.2f}x the bare executemany (target {TARGET_RATIO:g}x): {verdict}")


if __name__ == "__main__":
    main()
