"""``annotator assign DB NAME... [--overlap SHARE] [--clear [--unfinished]]``: a lead hands the
articles out, or takes them back.

Each article nobody was given goes to one of the named annotators (the one with the fewest
so far), and ``--overlap`` of them to two, for ``annotator agreement``. Their windows then
list, and walk with Next and Done, only what they were given (a box in the article list
shows every article again). Without names it tells who was given what, and how far each is.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from annotator.cli.app import DbArg, JsonOpt, app, open_project, spelled
from annotator.core.errors import AnnotatorError
from annotator.core.model import annotator_name
from annotator.core.text import counted


@app.command()
def assign(
    db: DbArg,
    names: Annotated[
        list[str] | None,
        typer.Argument(metavar="NAME", help="Annotators to give the articles to."),
    ] = None,
    overlap: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Share of the articles given to two annotators (0.1: 10 %)."
        ),
    ] = 0.0,
    clear: Annotated[
        bool,
        typer.Option(
            "--clear",
            help="Take back the articles given to NAME... (to everyone, without names); "
            "their work stays.",
        ),
    ] = False,
    unfinished: Annotated[
        bool,
        typer.Option(
            "--unfinished",
            help="With --clear: take back only the articles not marked done (the done ones "
            "stay given, and are not handed out again).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Give the articles nobody was given to annotators, or show who was given what."""
    if unfinished and not clear:
        raise typer.BadParameter("--unfinished goes with --clear", param_hint="--unfinished")
    if clear and overlap:
        raise typer.BadParameter("--overlap gives articles; --clear takes them back: not both",
                                 param_hint="--overlap")  # fmt: skip
    wanted = [annotator_name(name) for name in names or []]
    with open_project(db) as store:
        wanted = [spelled(store, name) for name in wanted]
        if clear:
            given_to = store.assigned_annotators()
            unknown = [name for name in wanted if name not in given_to]
            if unknown:  # (a typo took back nothing, and said only "0 assignments")
                raise AnnotatorError(
                    f"{', '.join(unknown)}: given no articles; given to: "
                    + (", ".join(sorted(given_to)) or "nobody")
                )
            taken = store.unassign(wanted, by="cli", unfinished=unfinished)
            kept = " (the done ones stay given)" if unfinished else ""
            typer.echo(f"{counted(taken, 'assignment')} taken back{kept}", err=as_json)
        elif wanted:
            try:
                given = store.assign(wanted, overlap=overlap, by="cli")
            except ValueError as error:
                raise AnnotatorError(str(error)) from None
            if not any(given.values()):
                typer.echo("every article was already given to someone", err=as_json)
            for name, n in given.items():
                typer.echo(f"{name}: {counted(n, 'article')} given", err=as_json)
        counts = store.assignment_counts()
        unassigned = len(store.unassigned_articles())
    if as_json:
        typer.echo(json.dumps({"assigned": counts, "unassigned": unassigned}))
        return
    for name, figures in counts.items():
        typer.echo(f"{name}: {figures['done']} of {counted(figures['articles'], 'article')} done")
    if counts:
        typer.echo(f"given to nobody: {counted(unassigned, 'article')}")
    else:
        typer.echo("no article is given to anyone: every annotator works on all of them")
