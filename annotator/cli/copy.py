"""``annotator copy DB DEST``: a consistent copy of a project, to hand to an annotator (who
works in it and is merged back with ``annotator merge``) or to keep aside.

``cp`` of a project that a window or a command has open copies the file without what is
still in its ``-wal`` file: a copy taken after an import and an assignment held 4 of 24
articles and none of the assignments. This copy goes through SQLite's backup, as the
upgrade's copy aside does, into a hidden file that is renamed to DEST when complete.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.app import DbArg, JsonOpt, app, open_project
from annotator.core.errors import AnnotatorError
from annotator.core.text import counted


@app.command()
def copy(
    db: DbArg,
    dest: Annotated[
        Path, typer.Argument(help="The new project file.", show_default=False, metavar="DEST")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Copy the project whole (articles, everyone's work, assignments, settings), safely
    while windows have it open."""
    from annotator.storage import StorageError, Store
    from annotator.storage.open_files import folder_problem

    dest = dest.expanduser()
    if dest.is_symlink() and not dest.exists():
        raise AnnotatorError(f"{dest}: a symbolic link to nothing; give the copy a new name")
    if dest.exists():
        raise AnnotatorError(f"{dest}: exists already; give the copy a new name")
    if folder := folder_problem(dest):
        raise AnnotatorError(f"{dest}: {folder}")
    temporary = dest.with_name(f".{dest.name}.copying-{os.getpid()}")
    with open_project(db) as store:
        try:
            store.copy_to(temporary)
            os.rename(temporary, dest)
        except (OSError, sqlite3.Error, StorageError) as error:
            for leftover in (temporary, Path(f"{temporary}-journal")):
                leftover.unlink(missing_ok=True)
            # The store says a failure of its own file's: here it is the copy's ("work.db:
            # the system could not read or write..." sent the user to a healthy project).
            cause = error.__cause__ if isinstance(error, StorageError) else None
            raise AnnotatorError(
                f"{dest}: the copy could not be written ({cause or error}); {db} is as it was"
            ) from None
        figures = {
            "articles": store.article_count(),
            "annotators": len(store.annotators()),
            "assignments": sum(c["articles"] for c in store.assignment_counts().values()),
        }
    with Store(dest) as copied:
        model = _keep_model(db, copied)
    figures["model"] = model
    if as_json:
        typer.echo(json.dumps({"copy": str(dest), **figures}))
        return
    typer.echo(
        f"copied {db} to {dest}: {counted(figures['articles'], 'article')}, the work of "
        f"{counted(figures['annotators'], 'annotator')}, "
        f"{counted(figures['assignments'], 'assignment')}"
    )
    if model:
        typer.echo(f"the copy suggests with the project's model in {model}")


def _keep_model(db: Path, copied) -> str:
    """The project's current model, recorded beside the project ("p.models/v3"), is where
    the copy finds it: a copy in another folder looked for it there, and every import into
    it was refused. Returns the folder now recorded, if it had to change."""
    from annotator.nlp.training.registry import MODEL_SETTING

    recorded = copied.setting(MODEL_SETTING)
    if not recorded or Path(recorded).is_absolute():
        return ""
    there = Path(os.path.realpath(db)).parent / recorded  # (beside the file a link names)
    if (copied.path.parent / recorded).resolve() == there.resolve() or not there.is_dir():
        return ""
    copied.set_setting(MODEL_SETTING, str(there.resolve()))
    return str(there.resolve())
