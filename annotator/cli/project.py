"""Commands on one project: open the window, import, pre-annotate, export, stats."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.app import (
    DbArg,
    JsonOpt,
    app,
    open_project,
    progress_bar,
    spelled,
)
from annotator.core.errors import AnnotatorError
from annotator.core.text import counted, not_english_note


@app.command()
def gui(
    db: Annotated[
        Path | None,
        typer.Argument(
            help="Project file; default: the last one opened (the sample project the first time).",
            metavar="DB",
        ),
    ] = None,
    annotator: Annotated[
        str | None, typer.Option(help="Your name, stored with every edit.")
    ] = None,
) -> None:
    """Open the annotation window."""
    try:
        from annotator.ui.app import main as run_window
    except ImportError as error:  # Qt's libraries load system ones (libGL): said in a line
        from annotator.ui.system_libraries import say_the_window_cannot_start, window_import_problem

        problem = window_import_problem(error)
        if problem is None:
            raise
        say_the_window_cannot_start(problem)
        raise typer.Exit(1) from None

    argv = [sys.argv[0]]
    if annotator:
        argv += ["--annotator", annotator]
    if db is not None:
        argv += ["--", str(db)]  # a project named "-p.db" is no option
    raise typer.Exit(run_window(argv))


@app.command("import")
def import_(
    db: DbArg,
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders to import.", metavar="PATH")
    ],
    format: Annotated[
        str,
        typer.Option(
            help="auto, txt, jsonl (prodigy), doccano, brat, conll, labelstudio, labelbuddy, "
            "spacy-json, csv or webanno (INCEpTION's WebAnno TSV 3)."
        ),
    ] = "auto",
    annotator: Annotated[str | None, typer.Option(help="Whose annotations the files hold.")] = None,
    model: Annotated[
        str | None,
        typer.Option(
            help="spaCy pipeline: package, folder or a saved version (v2), or rules (a "
            "blank pipeline with the rules alone) (default: the project's model)."
        ),
    ] = None,
    no_preannotate: Annotated[
        bool,
        typer.Option(
            "--no-preannotate",
            help="Import without suggestions (`annotator preannotate` makes them later).",
        ),
    ] = False,
    no_link: Annotated[
        bool, typer.Option("--no-link", help="Do not link places and factions to entries.")
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid", help="Import the valid records, list the invalid ones and why."
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Import articles (and their annotations, for annotated formats); the summary, or with
    --json its figures, on stdout."""
    from annotator.formats.importer import check_import, import_paths

    # Check every file before the project is created, opened or touched; and a --model
    # that does not load, too.
    if no_preannotate and model is not None:  # (the model was ignored, unsaid)
        raise typer.BadParameter(
            "--model names the model that suggests; --no-preannotate asks for none: not both",
            param_hint="--model",
        )
    format = format.lower()  # "JSONL", "Auto": the names are lower case
    if annotator and db.is_file() and db.stat().st_size:
        annotator = _project_spelling(db, annotator)
    plan = check_import(paths, format, annotator, skip_invalid)
    preannotator = None
    if not no_preannotate and model is not None and not _a_saved_version(model, db):
        preannotator = _load_preannotator(None, model, link=not no_link)
    with open_project(db, create=True) as store:
        with store.transaction():  # a read-only project refused now, not after the model loads
            pass
        if not no_preannotate and preannotator is None:
            preannotator = _load_preannotator(store, model, link=not no_link)
        _prepare_linking(preannotator)
        before = store.article_count()
        try:
            with progress_bar("Importing") as progress:
                report = import_paths(
                    store,
                    paths,
                    format_name=format,
                    annotator=annotator,
                    preannotator=preannotator,
                    progress=progress,
                    skip_invalid=skip_invalid,
                    plan=plan,
                )
        except KeyboardInterrupt:
            added = store.article_count() - before
            typer.echo(
                f"interrupted: {counted(added, 'new article')} imported before the stop, each "
                "batch whole; the same command again imports the rest (what is in the "
                "project already is skipped)",
                err=True,
            )
            raise
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    for line in report.summary_lines():
        typer.echo(line)


def _project_spelling(db: Path, name: str) -> str:
    """``name`` as the project ``db`` spells it ("Ana" is its "ana"), said if it differs: an
    import as "Ana" beside "ana" made one person two annotators."""
    from annotator.storage import StorageError

    try:
        with open_project(db) as store:
            return spelled(store, name)
    except StorageError:
        return name  # (the import says what is wrong with the project)


#: More workers than this only wait for the cores (and run out of file descriptors).
MAX_PROCESSES = 4 * (os.cpu_count() or 1)


@app.command()
def preannotate(
    db: DbArg,
    model: Annotated[
        str | None,
        typer.Option(
            help="spaCy pipeline: package, folder or a saved version (v2), or rules (a "
            "blank pipeline with the rules alone) (default: the project's model)."
        ),
    ] = None,
    n_process: Annotated[
        int, typer.Option(help="Worker processes for nlp.pipe.", min=1, max=MAX_PROCESSES)
    ] = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Redo articles this model already did.")
    ] = False,
    no_link: Annotated[
        bool, typer.Option("--no-link", help="Do not link places and factions to entries.")
    ] = False,
) -> None:
    """Suggest spans, claim sources and links for the articles this model has not done yet."""
    from annotator.nlp import preannotate_store

    with open_project(db) as store:
        store.check_writable()  # before loading the pipeline, which takes seconds
        # The pipeline --model names (a saved version by its name too), else the project's
        # current model.
        preannotator = _load_preannotator(store, model, link=not no_link)
        _prepare_linking(preannotator)
        before = len(store.articles_suggested_by(preannotator.name))
        try:
            with progress_bar("Pre-annotating") as progress:
                report = preannotate_store(
                    store, preannotator, force=force, n_process=n_process, progress=progress
                )
        except KeyboardInterrupt:  # Ctrl+C or SIGTERM: say what was kept
            kept = len(store.articles_suggested_by(preannotator.name)) - before
            what = "the articles redone" if force else f"{counted(kept, 'article')} pre-annotated"
            typer.echo(
                f"interrupted: kept {what} before the stop, each batch whole; the same command "
                "again does the rest",
                err=True,
            )
            raise
    linked = f", {report.links:,} linked" if preannotator.linker is not None else ""
    typer.echo(
        f"{counted(report.articles, 'article')} pre-annotated "
        f"({counted(report.suggestions, 'suggestion')}, "
        f"{counted(report.relations, 'claim source')}{linked}), "
        f"{report.skipped} already done by {preannotator.name}"
    )
    if report.not_english:
        typer.echo(not_english_note(report.not_english, report.not_english_example))
    if report.linked_later:
        typer.echo(
            f"linked now: the suggestions of {counted(report.linked_later, 'article')} made "
            f"without links ({report.links_later:,} linked)"
            + (
                f"; {report.started_unlinked:,} of those an annotator started "
                f"keep{'s' if report.started_unlinked == 1 else ''} their spans as they are "
                "(L links a span in the window)"
                if report.started_unlinked
                else ""
            )
        )


@app.command()
def export(
    db: DbArg,
    out: Annotated[
        Path, typer.Argument(help="Output file or folder.", show_default=False, metavar="OUT")
    ],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            help="auto (from OUT's suffix: .spacy, .conll, .json Label Studio, .geojson; "
            "else jsonl), jsonl (prodigy), spacy, doccano, brat, conll, labelstudio, geojson.",
        ),
    ] = "auto",
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
    skip_unsettled: Annotated[
        bool,
        typer.Option(
            "--skip-unsettled",
            help="Leave out articles several annotators did that have no gold (else refused).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Export annotations as a dataset; the report, or with --json its figures, on stdout."""
    from annotator.formats import export_format_for
    from annotator.formats.exporter import export_project, parse_split

    if format.lower() == "auto":
        if out.suffix.lower() == ".txt":  # JSON Lines there came back as one article of JSON
            raise AnnotatorError(
                f"{out}: a .txt is imported as plain text (or CoNLL); give --format "
                "(--format conll writes CoNLL, as CoNLL-2003's train.txt is)"
            )
        format = export_format_for(out)
    if annotator and gold:
        raise typer.BadParameter("give --annotator or --gold, not both", param_hint="--gold")
    try:  # a value out of its range is a usage error, as --overlap's is (it exited 1)
        shares = parse_split(split) if split is not None else None  # ("": an error)
    except AnnotatorError as error:
        raise typer.BadParameter(
            f"{split or repr(split)}: {str(error).removeprefix(f'--split {split}: ')}",
            param_hint="--split",
        ) from None
    with open_project(db) as store, progress_bar("Exporting") as progress:
        if annotator:
            annotator = spelled(store, annotator)  # as the window, assign and merge take it
        report = export_project(
            store,
            out,
            format,
            annotator=annotator,
            gold=gold,
            status=status,
            split=shares,
            progress=progress,
            tokens=tokens,
            skip_unsettled=skip_unsettled,
        )
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        for line in report.summary_lines():
            typer.echo(line)
    if not report.written:
        # Exit 1: `export ... && spacy train` trained on the dataset an earlier export left.
        raise typer.Exit(1)


def _a_saved_version(model: str, db: Path) -> bool:
    """Whether ``--model`` names a saved version of an existing project ("v2"), which only
    the project can resolve: it was taken for a package, and refused."""
    from annotator.nlp.training.registry import version_number

    return version_number(model) is not None and not Path(model).exists() and db.is_file()


def _load_preannotator(store, model: str | None, *, link: bool):
    """``--model``, else the project's current model, else the default pipeline; says which
    on standard error."""
    from annotator.nlp.loading import load_preannotator, project_preannotator

    if store is None:
        preannotator = load_preannotator(model, link=link)
    else:
        preannotator = project_preannotator(store, model, link=link)
    typer.echo(preannotator.description, err=True)
    return preannotator


def _prepare_linking(preannotator) -> None:
    """Open the place index before the work starts, building it once per machine (saying so
    first: it takes about a minute); if it cannot be built, say so and go on without places."""
    linker = getattr(preannotator, "linker", None)
    if linker is None:
        return
    if linker.needs_building():
        typer.echo("building the place index once (about a minute)…", err=True)
    warning = linker.prepare()
    if warning:
        typer.echo(f"warning: {warning}", err=True)
