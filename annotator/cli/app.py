"""The typer application and what every command shares: the project argument, opening a
project, the progress bar.

Each command lives in the module of its area (``project``, ``review``, ...), a thin wrapper
over the plain functions of the layers below; ``annotator/cli/__init__.py`` imports them all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from annotator.core.progress import Progress

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain usage errors: one line, as every command-line tool prints
    help="Annotate news about armed conflict: LOCATION, FACTION and CLAIM spans.",
)

DbArg = Annotated[
    Path, typer.Argument(help="The project file (.db).", show_default=False, metavar="DB")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def spelled(store, name: str) -> str:
    """``name`` as the project spells it ("Ana" is its "ana": ``Store.spelling``), said on
    standard error where it differs: one person was two annotators."""
    known = store.spelling(name)
    if known != name:
        typer.echo(f"{name}: taken as {known}, the project's spelling", err=True)
    return known


@contextmanager
def open_project(db: Path, create: bool = False) -> Iterator:
    """Open a project; without ``create`` a missing or empty file is an error, not a new
    project (``stats`` never turns a file into a project; ``import`` may).

    A project this command created (in a new file, or in an empty one) is removed (or
    emptied) again if the command fails, so bad input leaves the disk as it was.
    """
    from annotator.storage import StorageError, Store
    from annotator.storage.backups import upgrade_backup, upgraded_note

    existed = db.exists()
    was_empty = existed and db.is_file() and db.stat().st_size == 0
    if not existed and not create:
        raise StorageError(f"{db}: no such project file")
    backup = upgrade_backup(db)  # made by an older version: upgraded as it opens
    store = Store(db, create=create)
    if backup is not None and backup.exists():
        typer.echo(upgraded_note(db, backup), err=True)
    try:
        yield store
    except BaseException as stopped:
        # Ctrl+C keeps what was committed (an import's whole batches), as a kill would;
        # bad input, found before anything is written, leaves no project behind.
        kept = isinstance(stopped, KeyboardInterrupt) and _holds_articles(store)
        store.close()
        if (not existed or was_empty) and not kept:
            for leftover in (Path(f"{db}-wal"), Path(f"{db}-shm")):
                leftover.unlink(missing_ok=True)
            if was_empty:
                db.write_bytes(b"")
            else:
                db.unlink(missing_ok=True)
        _say_if_rescued(store)
        raise
    store.close()
    _say_if_rescued(store)


def _say_if_rescued(store) -> None:
    from annotator.storage.rescue import rescued_note

    if store.rescued is not None and store.path is not None:
        typer.echo(f"warning: {rescued_note(store.path, store.rescued)}", err=True)


def _holds_articles(store) -> bool:
    try:
        return bool(store.article_count())
    except Exception:  # noqa: BLE001 - a project we cannot even count is not worth keeping
        return False


def counts(by_name: dict[str, int]) -> str:
    """``LOCATION 3, FACTION 1``, or ``none``."""
    return ", ".join(f"{name} {n}" for name, n in by_name.items()) or "none"


@contextmanager
def progress_bar(description: str) -> Iterator[Progress]:
    """A progress bar on a terminal (standard error); nothing when output is redirected."""
    with stage_bar() as update:
        yield lambda done, total: update(description, done, total)


@contextmanager
def stage_bar(enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on a terminal (standard error) that names the stage it is at
    (``update(stage, done, total)``); nothing when output is redirected, or not ``enabled``
    (``--json``)."""
    if not enabled or not sys.stderr.isatty():
        yield lambda stage, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[bold]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)
        shown = [""]

        def update(stage: str, done: int, total: int) -> None:
            named = stage[:1].upper() + stage[1:]
            # A new stage is drawn at once: one shorter than a redraw (a tenth of a second
            # on a busy machine, or more) was never named.
            new, shown[0] = named != shown[0], named
            bar.update(task, description=named, completed=done, total=total, refresh=new)

        yield update
