"""Hostile files for every reader, many of them: how many tracebacks, how many changed projects?

Each reader gets ``--examples`` files from the hypothesis strategies of
``tests/formats/hostile.py`` (random bytes, truncated JSON, wrong types, huge numbers, NaN and
Infinity, lone surrogates, deep nesting, reversed and overlapping offsets, spans whose stated
text differs), each imported into a copy of a small project as ``annotator import`` does.
Every file must either import cleanly with every span valid, or be refused with a one-line
message and the project byte for byte as it was: the table counts each outcome; the goal is
zero in the last four columns.

    .venv/bin/python bench/fuzz_readers.py [--examples N]

``run(examples_per_reader)`` returns the rows, for ``bench/torture.py``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import table  # noqa: E402


def run(examples_per_reader: int = 500, readers: tuple[str, ...] | None = None) -> list[dict]:
    """One row per reader: its name, how many files, and the count of each outcome."""
    from hypothesis import HealthCheck, given, settings

    from tests.formats.hostile import OUTCOMES, READERS, attempt, files, new_project

    rows = []
    with tempfile.TemporaryDirectory(prefix="fuzz-readers-") as scratch:
        template = new_project(Path(scratch))
        for reader in readers or READERS:
            outcomes: Counter[str] = Counter()
            began = time.perf_counter()

            @settings(
                max_examples=examples_per_reader,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(content=files(reader))
            def one(content):
                with tempfile.TemporaryDirectory(dir=scratch) as folder:
                    db = Path(folder) / "project.db"
                    shutil.copyfile(template, db)
                    outcomes[attempt(reader, content, Path(folder), db)] += 1  # noqa: B023

            one()
            rows.append(
                {
                    "reader": reader,
                    "files": sum(outcomes.values()),
                    **{name: outcomes[name] for name in OUTCOMES},
                    "seconds": time.perf_counter() - began,
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=500, help="files per reader")
    args = parser.parse_args()
    from tests.formats.hostile import OUTCOMES

    rows = run(args.examples)
    print(
        table(
            [[r["reader"], r["files"], *(r[name] for name in OUTCOMES)] for r in rows],
            ["reader", "files", *OUTCOMES],
        )
    )
    bad = sum(r[name] for r in rows for name in OUTCOMES[2:])
    print(f"\n{bad} files broke the promise (tracebacks, changed projects, invalid spans)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
