"""The command line: thin typer wrappers over the plain functions below it.

Errors a user can cause print one line on standard error and exit with status 1; the
project file is left as it was. ``--json`` prints one JSON object on standard output.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import click
import typer

from annotator.core.errors import AnnotatorError
from annotator.core.progress import Progress

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    help="Annotate news about armed conflict: LOCATION, FACTION and CLAIM spans.",
)

DbArg = Annotated[Path, typer.Argument(help="The project file (.db).", show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


@app.callback(invoke_without_command=True)
def _default(ctx: typer.Context) -> None:
    """With no command: open the window on the default project."""
    if ctx.invoked_subcommand is None:
        gui(None, None)


@app.command()
def gui(
    db: Annotated[
        Path | None, typer.Argument(help="Project file; default: the sample project.")
    ] = None,
    annotator: Annotated[
        str | None, typer.Option(help="Your name, stored with every edit.")
    ] = None,
) -> None:
    """Open the annotation window."""
    from annotator.ui.app import main as run_window

    argv = [sys.argv[0]]
    if db is not None:
        argv.append(str(db))
    if annotator:
        argv += ["--annotator", annotator]
    raise typer.Exit(run_window(argv))


@app.command("import")
def import_(
    db: DbArg,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to import.")],
    format: Annotated[
        str,
        typer.Option(help="auto, txt, jsonl (prodigy), doccano, brat, conll or labelstudio."),
    ] = "auto",
    annotator: Annotated[str | None, typer.Option(help="Whose annotations the files hold.")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline: package or folder.")] = None,
    no_preannotate: Annotated[bool, typer.Option("--no-preannotate")] = False,
) -> None:
    """Import articles (and their annotations, for annotated formats)."""
    from annotator.formats.importer import expand_paths, import_paths, read_files

    # Check every file before the project is created or touched.
    read_files(expand_paths(paths, format), format)
    preannotator = None
    if not no_preannotate:
        preannotator = _load_preannotator(model)
    with _project(db, create=True) as store, _progress_bar("Importing") as progress:
        report = import_paths(
            store,
            paths,
            format_name=format,
            annotator=annotator,
            preannotator=preannotator,
            progress=progress,
        )
    typer.echo(
        f"{report.added} articles imported, {report.duplicates} duplicates skipped"
        + (f", {report.spans} spans on {report.annotated} articles" if report.annotated else "")
        + (f", {report.suggestions} suggestions from {report.model}" if report.model else "")
    )
    if report.unknown_labels:
        typer.echo(f"labels not in the project's scheme: {', '.join(report.unknown_labels)}")


@app.command()
def preannotate(
    db: DbArg,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline: package or folder.")] = None,
    n_process: Annotated[int, typer.Option(help="Worker processes for nlp.pipe.")] = 1,
    force: Annotated[bool, typer.Option(help="Redo articles this model already did.")] = False,
) -> None:
    """Suggest spans for the articles that have no suggestions from this model yet."""
    from annotator.nlp import preannotate_store

    preannotator = _load_preannotator(model)
    with _project(db) as store, _progress_bar("Pre-annotating") as progress:
        report = preannotate_store(
            store, preannotator, force=force, n_process=n_process, progress=progress
        )
    typer.echo(
        f"{report.articles} articles pre-annotated ({report.suggestions} suggestions), "
        f"{report.skipped} already done by {preannotator.name}"
    )


@app.command()
def export(
    db: DbArg,
    out: Annotated[Path, typer.Argument(help="Output file or folder.", show_default=False)],
    format: Annotated[
        str,
        typer.Option("--format", help="jsonl (prodigy), spacy, doccano, brat, conll, labelstudio."),
    ] = "jsonl",
    annotator: Annotated[str | None, typer.Option(help="Export this annotator's spans.")] = None,
    gold: Annotated[bool, typer.Option("--gold", help="Export the adjudicated version.")] = False,
    status: Annotated[
        str | None,
        typer.Option(help="Articles whose version has this status (default done; 'all')."),
    ] = None,
    split: Annotated[
        str | None, typer.Option(help="Train/dev/test shares, e.g. 0.8,0.1,0.1")
    ] = None,
    tokens: Annotated[
        bool, typer.Option("--tokens/--no-tokens", help="jsonl: write each article's tokens.")
    ] = True,
) -> None:
    """Export annotations as a dataset."""
    from annotator.formats.exporter import export_project, parse_split

    if annotator and gold:
        raise AnnotatorError("give --annotator or --gold, not both")
    with _project(db) as store, _progress_bar("Exporting") as progress:
        report = export_project(
            store,
            out,
            format,
            annotator=annotator,
            gold=gold,
            status=status,
            split=parse_split(split) if split else None,
            progress=progress,
            tokens=tokens,
        )
    for line in report.summary_lines():
        typer.echo(line)


@app.command()
def agreement(db: DbArg, as_json: JsonOpt = False) -> None:
    """Inter-annotator agreement over articles that two or more annotators marked done."""
    from annotator.review.agreement import agreement_report

    with _project(db) as store:
        report = agreement_report(store)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        typer.echo(report.format_table())


@app.command()
def merge(
    out_db: Annotated[Path, typer.Argument(help="The combined project (created if missing).")],
    in_dbs: Annotated[list[Path], typer.Argument(help="Projects to combine.")],
) -> None:
    """Combine projects that annotators worked on separately."""
    from annotator.review.merge import merge_projects

    report = merge_projects(out_db, in_dbs)
    for line in report.summary_lines():
        typer.echo(line)


@app.command()
def stats(db: DbArg, as_json: JsonOpt = False) -> None:
    """Articles, suggestions per label, spans per annotator, statuses."""
    with _project(db) as store:
        figures = store.stats()
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False))
        return
    typer.echo(f"articles: {figures['articles']} ({figures['characters']:,} characters)")
    for model, by_label in figures["suggestions"].items():
        typer.echo(f"suggestions by {model}: {_counts(by_label)}")
    for name, by_label in figures["spans"].items():
        typer.echo(f"spans of {name}: {_counts(by_label)}")
    for name, by_status in figures["status"].items():
        typer.echo(f"status of {name}: {_counts({k: v for k, v in by_status.items() if v})}")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items()) or "none"


@contextmanager
def _project(db: Path, create: bool = False) -> Iterator:
    """Open a project; without ``create`` a missing file is an error, not a new project.

    A project this command created is removed again if the command fails, so bad input
    leaves the disk as it was.
    """
    from annotator.storage import StorageError, Store

    existed = db.exists()
    if not existed and not create:
        raise StorageError(f"{db}: no such project file")
    store = Store(db)
    try:
        yield store
    except BaseException:
        store.close()
        if not existed:
            for leftover in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    store.close()


def _load_preannotator(model: str | None):
    from annotator.nlp import load_preannotator

    preannotator = load_preannotator(model)
    typer.echo(preannotator.description, err=True)
    return preannotator


@contextmanager
def _progress_bar(description: str) -> Iterator[Progress]:
    """A progress bar on a terminal (standard error); nothing when output is redirected."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        f"[bold]{description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``annotator`` command; returns the exit status."""
    try:
        app(args=argv, standalone_mode=False, prog_name="annotator")
    except AnnotatorError as error:
        typer.echo(f"error: {error}", err=True)
        return 1
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.exceptions.Abort:
        typer.echo("aborted", err=True)
        return 1
    except OSError as error:
        name = f"{error.filename}: " if error.filename else ""
        typer.echo(f"error: {name}{error.strerror or error}", err=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
