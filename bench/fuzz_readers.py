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
                    outcome = attempt(reader, content, Path(folder), db)  # noqa: B023
                    outcomes[outcome] += 1  # noqa: B023
                    if outcome == "traceback" and not first:  # noqa: B023
                        shutil.copyfile(template, db)
                        first.append(_traceback(reader, content, Path(folder), db))  # noqa: B023

            first: list[str] = []
            one()
            rows.append(
                {
                    "reader": reader,
                    "files": sum(outcomes.values()),
                    **{name: outcomes[name] for name in OUTCOMES},
                    "seconds": time.perf_counter() - began,
                    "first traceback": first[0] if first else "",
                }
            )
    return rows


def _traceback(reader: str, content: dict[str, bytes], folder: Path, db: Path) -> str:
    """The traceback a file gave (the steps of ``attempt``, uncaught), and the file, for
    whoever fixes its reader."""
    import traceback

    from annotator.core.errors import AnnotatorError
    from annotator.formats.importer import check_import, import_paths
    from annotator.storage import Store

    target = folder / next(iter(content))
    try:
        plan = check_import([target], reader)
        with Store(db) as store:
            import_paths(store, [target], format_name=reader, plan=plan)
            for article in store.iter_articles():
                for who in store.annotators():
                    store.spans(article.id or 0, who)
    except AnnotatorError:
        pass
    except Exception:  # noqa: BLE001 - what is being shown
        return f"{content!r:.600}\n{traceback.format_exc()}"
    return f"{content!r:.600}\n(no traceback the second time)"


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
    for row in rows:
        if row["first traceback"]:
            print(f"\nfirst traceback, {row['reader']}:\n{row['first traceback']}", file=sys.stderr)
    bad = sum(r[name] for r in rows for name in OUTCOMES[2:])
    print(f"\n{bad} files broke the promise (tracebacks, changed projects, invalid spans)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
