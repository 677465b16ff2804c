"""A 1,000,000-character article: imported and pre-annotated, with time and peak memory.

spaCy refuses a text over ``nlp.max_length`` (1,000,000 characters), and its parser's memory
grows with a document's length; the pre-annotator cuts long texts into pieces of at most
``CHUNK_CHARS`` characters at paragraph or sentence breaks (``annotator/nlp/chunks.py``).

Each run is a fresh process (so its peak resident memory is its own): ``annotator import``
of one JSONL file holding the article into a new project, with the default pipeline.
Several piece sizes are compared; the baseline is the same pipeline over the same text cut
into 2,000-character pieces, as if it were 500 ordinary articles (``--sizes`` to change).

    python bench/long_article.py [--chars 1000000] [--sizes 20000,50000,100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import GUM, ROOT, read_jsonl, table

CHILD = """
import json, resource, sys, time
import annotator.nlp.spacy_preannotator as sp
import annotator.nlp.chunks as chunks
size = int(sys.argv[3])
sp.CHUNK_CHARS = size
from annotator.formats.importer import import_paths
from annotator.nlp import load_preannotator
from annotator.storage import Store
preannotator = load_preannotator()
started = time.perf_counter()
with Store(sys.argv[1]) as store:
    report = import_paths(store, [sys.argv[2]], preannotator=preannotator)
    text = store.article(store.article_ids()[0]).text
    spans = store.suggestions(store.article_ids()[0])
assert report.added == 1, report
assert all(0 <= s.start < s.end <= len(text) for s in spans)
print(json.dumps({"seconds": time.perf_counter() - started, "suggestions": len(spans),
                  "pieces": len(chunks.chunk_starts(text, min(size, 1_000_000))),
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def build_article(chars: int) -> str:
    """GUM's paragraphs, repeated with a number each, up to ``chars`` characters."""
    blocks = [b.strip() for d in read_jsonl(GUM) for b in d["text"].split("\n\n") if b.strip()]
    parts: list[str] = []
    total, k = 0, 0
    while total < chars:
        block = f"{blocks[k % len(blocks)]} ({k})"
        parts.append(block)
        total += len(block) + 2
        k += 1
    return "\n\n".join(parts)[:chars]


def run(article_path: Path, size: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "project.db"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(db), str(article_path), str(size)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"piece size {size}: the import failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    result["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["peak_mb"] = result["peak_kb"] / 1024  # ru_maxrss is in kilobytes on Linux
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--sizes", default="2000,20000,50000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    text = build_article(args.chars)
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "long.jsonl"
        article.write_text(
            json.dumps({"title": "A long article", "text": text}, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        results = {size: run(article, size) for size in sorted(sizes)}
    print(f"\none article of {len(text):,} characters, imported and pre-annotated")
    print("peak memory: the importing process's peak resident set\n")
    base = results[min(sizes)]
    rows = [
        [
            f"{size:,}",
            str(r["pieces"]),
            f"{r['seconds']:.1f}",
            f"{r['wall']:.1f}",
            f"{r['cpu']:.1f}",
            f"{r['peak_mb']:.0f}",
            str(r["suggestions"]),
            f"{r['seconds'] / base['seconds']:.2f}×",
        ]
        for size, r in results.items()
    ]
    header = ["piece chars", "pieces", "import s", "process s", "CPU s", "peak MB", "suggestions"]
    print(table(rows, [*header, f"vs {min(sizes):,}"]))


if __name__ == "__main__":
    main()
