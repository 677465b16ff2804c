"""Training in a process of its own, for the window: progress and the result as JSON lines.

    python -m annotator.nlp.training.worker DB [--annotator NAME | --gold] [--base MODEL]
                                              [--out DIR] [--no-adopt]
    python -m annotator.nlp.training.worker DB --adopt MODEL_DIR

Standard output carries one JSON object per line:

- ``{"stage": "training", "done": 12, "total": 90}`` as the work goes (at most ten a
  second, and at every change of stage); stages: reading, scoring the current model,
  preparing, training, scoring the new model, saving, re-suggesting (the scoring stages
  count the held-out articles' characters, a long article's a piece at a time);
- last, ``{"result": {...}}`` (``TrainingReport.as_dict()``: the held-out scores of the new
  model and of the current one, the model folder and name, the training time) and exit
  status 0; or ``{"error": "one line for the user"}`` and exit status 1.

Cancel by killing the process: the model is written to a temporary folder and renamed only
when whole, and the project is written to only after that (``registry.py``), so a killed
run leaves the project and its current model as they were. ``--no-adopt`` saves the model
(next to the project, or to ``--out``) without making it current: the window then shows the
scores and, if the user wants it, runs the worker again with ``--adopt MODEL_DIR``: that
makes the model current and re-suggests the untouched articles (``adopt_model``; stage
"re-suggesting", then ``{"result": {"model": ..., "resuggested": N}}``), in this process too,
because loading a pipeline and running it hold the interpreter for long stretches that a
thread of the window would feel. Its writes are one transaction: killed, it wrote nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from annotator.core.errors import AnnotatorError

_EVERY = 0.1  # seconds between two progress lines of one stage
_NICENESS = 5  # how much lower the worker's scheduling priority is than the window's


def _emit(payload: dict) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m annotator.nlp.training.worker")
    parser.add_argument("db", type=Path)
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--annotator")
    who.add_argument("--gold", action="store_true")
    parser.add_argument("--base")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--no-adopt", action="store_true")
    parser.add_argument("--adopt", type=Path, metavar="MODEL_DIR")
    args = parser.parse_args(argv)
    if hasattr(os, "nice"):  # background work for a window: the window's thread goes first
        os.nice(_NICENESS)

    last_stage, last_at = [""], [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != last_stage[0] or now - last_at[0] >= _EVERY or done == total:
            last_stage[0], last_at[0] = stage, now
            _emit({"stage": stage, "done": done, "total": total})

    from annotator.nlp.training.run import train_project
    from annotator.storage import StorageError, Store

    try:
        if not args.db.exists():
            raise StorageError(f"{args.db}: no such project file")
        with Store(args.db) as store:
            if args.adopt is not None:
                from annotator.nlp.training import adopt_model

                resuggested = adopt_model(
                    store, args.adopt, progress=lambda d, t: progress("re-suggesting", d, t)
                )
                _emit({"result": {"model": str(args.adopt), "resuggested": resuggested}})
                return 0
            report = train_project(
                store,
                annotator=args.annotator,
                gold=args.gold,
                base=args.base,
                out=args.out,
                adopt=False if args.no_adopt else None,
                progress=progress,
            )
    except AnnotatorError as error:
        _emit({"error": str(error)})
        return 1
    except OSError as error:
        _emit({"error": f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")})
        return 1
    _emit({"result": report.as_dict()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
