"""``annotator actors DB``: the project's own actors (the link dialog's New faction…),
listed and changed: a misspelt name, a missing other name, a wrong country stayed for good.

One change a run (``--rename``, ``--alias``, ``--unalias``, ``--country``, ``--remove``), each
one transaction (``storage/project_actors.py``) under the knowledge base's rules
(``kb/actor_edits.py``); a refusal is one line, exit 1. The program's own actors
(``resources/kb/actors.jsonl``) are not the project's to change.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from annotator.cli.app import DbArg, JsonOpt, app, open_project
from annotator.core.errors import AnnotatorError
from annotator.core.text import counted

#: Who made the change, for the events log.
BY = "cli"


@app.command()
def actors(
    db: DbArg,
    rename: Annotated[
        tuple[str, str] | None,
        typer.Option(metavar="ID NAME", show_default=False, help="Call the actor NAME."),
    ] = None,
    alias: Annotated[
        tuple[str, str] | None,
        typer.Option(metavar="ID NAME", show_default=False, help="Give it another name."),
    ] = None,
    unalias: Annotated[
        tuple[str, str] | None,
        typer.Option(metavar="ID NAME", show_default=False, help="Take one of its other names."),
    ] = None,
    country: Annotated[
        tuple[str, str] | None,
        typer.Option(
            metavar="ID CC",
            show_default=False,
            help="Its countries, by code or name, separated by commas ('' for none).",
        ),
    ] = None,
    remove: Annotated[
        str | None,
        typer.Option(metavar="ID", show_default=False, help="Remove it (refused if linked)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="With --remove: unlink the spans linked to it.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List the project's own actors (id, name, other names, countries, linked spans), or
    change one."""
    changes = {
        "--rename": rename, "--alias": alias, "--unalias": unalias, "--country": country,
        "--remove": remove,
    }  # fmt: skip
    asked = [option for option, value in changes.items() if value is not None]
    if len(asked) > 1:
        raise typer.BadParameter(f"one change at a time, not {' and '.join(asked)}",
                                 param_hint=asked[1])  # fmt: skip
    if force and remove is None:
        raise typer.BadParameter("--force goes with --remove", param_hint="--force")
    from annotator.storage.links import project_actors
    from annotator.storage.project_actors import actor_link_counts

    with open_project(db) as store:
        if asked:
            said = _change(store, asked[0], changes[asked[0]], force)
            typer.echo(said, err=as_json)
        rows = _rows(project_actors(store), actor_link_counts(store))
    if as_json:
        typer.echo(json.dumps({"actors": rows}, ensure_ascii=False))
    elif not asked:
        _list(rows)


def _change(store, option: str, value: Any, force: bool) -> str:
    """Make the change ``option`` asks for; what to say of it."""
    from annotator.kb import actor_edits
    from annotator.kb.linking import project_kb
    from annotator.storage.links import project_actors
    from annotator.storage.project_actors import (
        ActorInUse,
        edit_project_actor,
        remove_project_actor,
    )

    records = project_actors(store)
    kb_id = value if option == "--remove" else value[0]
    if not kb_id.strip():  # ("error: : no such actor" was said)
        held = ", ".join(str(record["id"]) for record in records) or "none"
        raise AnnotatorError(
            f"{option}: an empty id is no actor id (the project's own actors: {held})"
        )
    if option == "--remove":
        record = actor_edits.project_record(records, value)
        try:
            removed = remove_project_actor(store, value, BY, unlink=force)
        except ActorInUse as error:
            raise AnnotatorError(f"{error}; --force removes it and unlinks them") from None
        unlinked = f"; {counted(len(removed.spans), 'span')} unlinked" if removed.spans else ""
        return f"removed {record['name']} ({value}){unlinked}"
    kb_id, text = value
    actor_edits.project_record(records, kb_id)  # the program's own, or none, refused in words
    edit = {
        "--rename": lambda kb, now: actor_edits.renamed(kb, now, text),
        "--alias": lambda kb, now: actor_edits.with_alias(kb, now, text),
        "--unalias": lambda kb, now: actor_edits.without_alias(now, text),
        "--country": lambda kb, now: actor_edits.with_countries(now, text),
    }[option]
    # Made to the actor as the write reads it: one read before wrote back a window's
    # change made in between.
    before, changed = edit_project_actor(
        store, kb_id, lambda records, now: edit(project_kb(records), now), BY
    )
    if option == "--rename":
        return f"{kb_id}: renamed {before['name']} to {changed['name']}"
    if option == "--alias":
        return f"{kb_id} ({before['name']}): other name {' '.join(text.split())} added"
    if option == "--unalias":
        # The names taken, as the actor had them, not as typed ("sham legion" was said)
        kept = set(actor_edits.other_names(changed))
        taken = [name for name in actor_edits.other_names(before) if name not in kept]
        return f"{kb_id} ({before['name']}): other name {', '.join(taken)} removed"
    now_in = ", ".join(changed.get("countries", ())) or "none"
    return f"{kb_id} ({before['name']}): countries {now_in}"


def _rows(records: list[dict[str, Any]], links: dict[str, int]) -> list[dict[str, Any]]:
    from annotator.kb.actor_edits import other_names

    return [
        {
            "id": record["id"],
            "name": record["name"],
            "kind": record.get("kind", "armed group"),
            "aliases": other_names(record),
            "countries": list(record.get("countries", ())),
            "spans": links.get(record["id"], 0),
        }
        for record in records
    ]


def _list(rows: list[dict[str, Any]]) -> None:
    if not rows:
        typer.echo("the project has no actors of its own (the link dialog's New faction… adds one)")
        return
    id_width = max(len(row["id"]) for row in rows)
    name_width = max(len(row["name"]) for row in rows)
    typer.echo(f"{'id':<{id_width}}  {'name':<{name_width}}  spans  countries  other names")
    for row in rows:
        typer.echo(
            f"{row['id']:<{id_width}}  {row['name']:<{name_width}}  {row['spans']:>5}  "
            f"{','.join(row['countries']) or '–':<9}  {', '.join(row['aliases']) or '–'}"
        )
