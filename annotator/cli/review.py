"""Commands over several annotators' work: agreement, merging projects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.app import DbArg, JsonOpt, app, open_project, progress_bar, stage_bar


@app.command()
def agreement(db: DbArg, as_json: JsonOpt = False) -> None:
    """Inter-annotator agreement over articles that two or more annotators marked done."""
    from annotator.review.agreement import agreement_report

    with open_project(db) as store, progress_bar("Reading the articles' tokens") as progress:
        report = agreement_report(store, progress)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        typer.echo(report.format_table())


@app.command()
def merge(
    out_db: Annotated[
        Path, typer.Argument(help="The combined project (created if missing).", metavar="OUT_DB")
    ],
    in_dbs: Annotated[list[Path], typer.Argument(help="Projects to combine.", metavar="IN_DB")],
    newer: Annotated[
        bool,
        typer.Option(
            "--newer",
            help="Where an annotator's work on an article differs, take the version edited "
            "or marked last (not an error).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Combine projects that annotators worked on separately; the summary, or with --json
    its figures, on stdout."""
    from annotator.review.merge import merge_projects
    from annotator.storage.backups import upgrade_backup, upgraded_note

    backup = upgrade_backup(out_db)  # an OUT_DB of an older version: upgraded as it opens
    with stage_bar() as stage:
        report = merge_projects(out_db, in_dbs, newer=newer, stage=stage)
    if backup is not None and backup.exists():
        typer.echo(upgraded_note(out_db, backup), err=True)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    for line in report.summary_lines():
        typer.echo(line)
