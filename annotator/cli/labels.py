"""``annotator labels DB …``: the project's label scheme, for scripted projects.

``annotator labels DB`` lists it (``--json`` as one object); the subcommands change it, each
one transaction through ``Store`` (``storage/scheme.py``), whose rules refuse a change
with one line (exit 1): a name in use, a key another label or the window has, a label in
use deleted instead of merged. ``relation …`` and ``attribute …`` do the same for the
relation types and claim attributes (``claim_scheme.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import click
import typer
from typer.core import TyperGroup

from annotator.cli.app import DbArg, JsonOpt, app, open_project
from annotator.cli.claim_scheme import (
    attribute_app,
    attribute_lines,
    attribute_rows,
    json_misplaced,
    relation_app,
    relation_lines,
    relation_rows,
)
from annotator.core.label_colours import colour_clash
from annotator.core.labels import (
    check_keeps_its_name,
    check_kind,
    effective_keys,
    key_moves,
)
from annotator.core.model import Label


class LabelsGroup(TyperGroup):
    """``annotator labels DB --json``: click's groups read their own options only before
    their first argument, so ``--json`` after the project is moved before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if len(args) >= 2 and not args[0].startswith("-") and args[1] == "--json":
            args = [args[1], args[0], *args[2:]]
        return super().parse_args(ctx, args)


labels_app = typer.Typer(
    cls=LabelsGroup,
    help="Show or change the project's label scheme (with no command: list it).",
    no_args_is_help=False,
    rich_markup_mode=None,
)
app.add_typer(labels_app, name="labels")
labels_app.add_typer(relation_app, name="relation")
labels_app.add_typer(attribute_app, name="attribute")

NameArg = Annotated[
    str, typer.Argument(help="The label's name.", show_default=False, metavar="NAME")
]
KindOpt = Annotated[str | None, typer.Option("--kind", help="entity or claim.")]
KeyOpt = Annotated[str | None, typer.Option("--key", help="One letter or digit.")]
ColorOpt = Annotated[str | None, typer.Option("--color", help="#RRGGBB.")]
DescriptionOpt = Annotated[
    str | None, typer.Option("--description", help="What the label marks (the guideline).")
]
#: Who made the change, for the events log.
BY = "cli"


@labels_app.callback(invoke_without_command=True)
def labels(ctx: typer.Context, db: DbArg, as_json: JsonOpt = False) -> None:
    """List the scheme: name, kind, key, colour, spans, description; the labels the
    project's spans use outside it; then the relation types and claim attributes."""
    ctx.obj = db
    if ctx.invoked_subcommand is not None:
        if as_json and ctx.invoked_subcommand not in ("relation", "attribute"):
            raise json_misplaced()
        return
    with open_project(db) as store:
        keys = store.label_keys()
        usage = store.label_usage()
        scheme = store.labels()
        outside = store.labels_outside_scheme()
        relations = relation_rows(store.relation_types(), store.relation_type_usage())
        attributes = attribute_rows(store.attribute_types(), store.attribute_type_usage())
    rows = [
        {
            "name": label.name,
            "kind": label.kind,
            "key": keys.get(label.name, ""),
            "color": label.color,
            "spans": usage[label.name].spans,
            "suggestions": usage[label.name].suggestions,
            "description": label.description,
        }
        for label in scheme
    ]
    if as_json:
        unknown = {
            name: {"spans": use.spans, "suggestions": use.suggestions}
            for name, use in outside.items()
        }
        listed = {
            "labels": rows,
            "outside_scheme": unknown,
            "relations": relations,
            "attributes": attributes,
        }
        typer.echo(json.dumps(listed, ensure_ascii=False))
        return
    width = max([len(row["name"]) for row in rows] + [5])
    typer.echo(f"{'label':<{width}}  kind    key  colour   spans  description")
    for row in rows:
        typer.echo(
            f"{row['name']:<{width}}  {row['kind']:<6}  {row['key']:<3}  {row['color']}  "
            f"{row['spans']:>5}  {_one_line(row['description'])}"
        )
    if outside:
        listed = ", ".join(f"{name} ({use.describe()})" for name, use in outside.items())
        typer.echo(f"labels not in the project's scheme: {listed}")
        typer.echo("  adopt them with: annotator labels DB adopt")
    for line in ["", *relation_lines(relations), "", *attribute_lines(attributes)]:
        typer.echo(line)


@labels_app.command()
def add(
    ctx: typer.Context,
    name: NameArg,
    kind: KindOpt = None,
    key: KeyOpt = None,
    color: ColorOpt = None,
    description: DescriptionOpt = None,
) -> None:
    """Add a label at the end of the scheme (a free key and a colour unless given)."""
    label = Label(name, kind or "entity", color or Label("").color, key or "", description or "")
    moved: list[str] = []
    with open_project(_db(ctx)) as store, _keys_followed(store, moved):
        stored = store.add_label(label, by=BY)
        clash = colour_clash(store.labels(), stored.name)
        key_said = _key_said(store, stored)
    typer.echo(f"added {stored.name} ({stored.kind}, {key_said}, {stored.color})")
    if clash:
        typer.echo(f"note: {clash}")
    _say(moved)


@labels_app.command("set")
def set_(
    ctx: typer.Context,
    name: NameArg,
    kind: KindOpt = None,
    key: KeyOpt = None,
    color: ColorOpt = None,
    description: DescriptionOpt = None,
) -> None:
    """Change a label's kind, key, colour or description."""
    moved: list[str] = []
    with open_project(_db(ctx)) as store, _keys_followed(store, moved, name):
        if kind is not None and check_kind(kind) != store.label(name).kind:
            check_keeps_its_name(name, "made another kind")
        store.change_label(name, kind=kind, key=key, color=color, description=description, by=BY)
        label = store.label(name)
        clash = colour_clash(store.labels(), name) if color is not None else ""
        key_said = _key_said(store, label)
    typer.echo(f"{label.name}: {label.kind}, {key_said}, {label.color}")
    if clash:
        typer.echo(f"note: {clash}")
    _say(moved)


@labels_app.command()
def rename(
    ctx: typer.Context,
    old: Annotated[
        str, typer.Argument(help="The label's name now.", show_default=False, metavar="OLD")
    ],
    new: Annotated[str, typer.Argument(help="Its new name.", show_default=False, metavar="NEW")],
) -> None:
    """Rename a label everywhere: the scheme, every span, suggestion and rejection."""
    with open_project(_db(ctx)) as store:
        check_keeps_its_name(old, "renamed")
        spans = store.rename_label(old, new, by=BY)
    if new == old:
        typer.echo(f"{old} is its name already: nothing renamed")
        return
    typer.echo(f"renamed {old} to {new} ({spans} span{'s' if spans != 1 else ''})")


@labels_app.command()
def move(
    ctx: typer.Context,
    name: NameArg,
    to: Annotated[int, typer.Option("--to", help="Its place: 1 is the first.", min=1)],
) -> None:
    """Move a label to another place in the scheme's order."""
    moved: list[str] = []
    with open_project(_db(ctx)) as store, _keys_followed(store, moved):
        store.move_label(name, to - 1, by=BY)
        order = [label.name for label in store.labels()]
    typer.echo(", ".join(order))
    _say(moved)


@labels_app.command()
def delete(
    ctx: typer.Context,
    name: NameArg,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Delete its spans (everyone's, gold's), suggestions and rejections too.",
        ),
    ] = False,
) -> None:
    """Delete a label no span, suggestion or rejection uses (else: merge it, or --force)."""
    moved: list[str] = []
    with open_project(_db(ctx)) as store, _keys_followed(store, moved, name):
        check_keeps_its_name(name, "deleted")
        deleted = store.delete_label(name, by=BY, force=force)
    with_it = f" with {deleted.usage.describe()}" if deleted.usage.used else ""
    typer.echo(f"deleted {name}{with_it}")
    _say(moved)


@labels_app.command()
def merge(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(help="The label that goes.", show_default=False, metavar="SOURCE")
    ],
    target: Annotated[
        str, typer.Argument(help="The label it becomes.", show_default=False, metavar="TARGET")
    ],
) -> None:
    """Relabel every span of SOURCE as TARGET and take SOURCE out of the scheme."""
    moved: list[str] = []
    with open_project(_db(ctx)) as store, _keys_followed(store, moved, source):
        check_keeps_its_name(source, "merged into another label")
        merged = store.merge_label(source, target, by=BY)
    typer.echo(
        f"merged {source} into {target} ({merged.spans} span{'s' if merged.spans != 1 else ''})"
    )
    _say(moved)


@labels_app.command()
def adopt(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Which labels (default: all of them).", metavar="NAME"),
    ] = None,
) -> None:
    """Add to the scheme the labels imported files brought (spans use them, the scheme
    lacks them)."""
    moved: list[str] = []
    with open_project(_db(ctx)) as store, _keys_followed(store, moved):
        adopted = store.adopt_labels(names or None, by=BY)
        said = [(label, _key_said(store, label)) for label in adopted]
    if not adopted:
        typer.echo("every label the project uses is in its scheme")
    for label, key_said in said:
        typer.echo(f"adopted {label.name} ({label.kind}, {key_said}, {label.color})")
    _say(moved)


@contextmanager
def _keys_followed(store, moved: list[str], *left_out: str) -> Iterator[None]:
    """Collect in ``moved`` a note for each label (but ``left_out``) that answers to
    another key after the block (``key_moves``)."""
    before = effective_keys(store.labels())
    yield
    moved += [
        f"note: {move}" for move in key_moves(before, effective_keys(store.labels()), *left_out)
    ]


def _say(lines: list[str]) -> None:
    for line in lines:
        typer.echo(line)


def _key_said(store, label: Label) -> str:
    """The key the label answers to: its own, or the free digit a label without one gets
    ("key none" was said of a key taken away, though the label kept answering to a digit)."""
    if label.key:
        return f"key {label.key.upper()}"
    effective = store.label_keys().get(label.name, "")
    return f"key {effective} (a free digit: no key of its own)" if effective else "no key"


def _db(ctx: typer.Context) -> Path:
    parent = ctx.parent
    assert parent is not None and isinstance(parent.obj, Path)
    return parent.obj


def _one_line(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
