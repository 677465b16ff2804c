"""``annotator labels DB relation …`` and ``annotator labels DB attribute …``: the relation
types (a claim and its source) and claim attributes (polarity, hedged, quote) of the
project's scheme, for scripted projects.

With no command each lists its part of the scheme (``--json`` as one object); ``add``,
``set`` and ``delete`` change it, each one transaction through ``Store``
(``storage/claim_scheme.py``), whose rules refuse a change with one line (exit 1): a name
in use, a key a label, another type or the window has, a label the project does not know,
relations or values already stored that a narrower type would leave out. ``delete`` of a
type that holds relations or values says how many and needs ``--force``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.app import JsonOpt, open_project
from annotator.core.relations import CHOICE, FLAG, AttributeType, RelationType, SchemeError
from annotator.core.text import counted
from annotator.storage.claim_type_removal import ClaimTypeUsage

#: Who made the change, for the events log.
BY = "cli"

relation_app = typer.Typer(
    help="Show or change the relation types (with no command: list them).",
    no_args_is_help=False,
    rich_markup_mode=None,
)
attribute_app = typer.Typer(
    help="Show or change the claim attributes (with no command: list them).",
    no_args_is_help=False,
    rich_markup_mode=None,
)

RelationArg = Annotated[
    str, typer.Argument(help="The relation type's name.", show_default=False, metavar="NAME")
]
AttributeArg = Annotated[
    str, typer.Argument(help="The attribute's name.", show_default=False, metavar="NAME")
]
NewNameOpt = Annotated[str | None, typer.Option("--name", help="A new name (renames it).")]
FromOpt = Annotated[
    list[str] | None,
    typer.Option("--from", help="A label its head may carry (the claim); repeat for more."),
]
ToOpt = Annotated[
    list[str] | None,
    typer.Option("--to", help="A label its child may carry (the source); repeat for more."),
]
KeyOpt = Annotated[
    str | None, typer.Option("--key", help="One letter ('' for none); Shift + it removes.")
]
ColorOpt = Annotated[str | None, typer.Option("--color", help="#RRGGBB, of its arcs.")]
DescriptionOpt = Annotated[str | None, typer.Option("--description", help="What it marks.")]
LabelOpt = Annotated[str | None, typer.Option("--label", help="The label whose spans carry it.")]
KindOpt = Annotated[str | None, typer.Option("--kind", help="flag (two values) or choice.")]
ValuesOpt = Annotated[str | None, typer.Option("--values", help="Its values, separated by commas.")]
DefaultOpt = Annotated[
    str | None, typer.Option("--default", help="The value a span without one has.")
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Delete the relations or values it holds too.")
]


def _json_before(ctx: typer.Context) -> bool:
    """``labels DB --json relation``: the --json given before the listing's name."""
    return bool(ctx.parent is not None and ctx.parent.params.get("as_json"))


def json_misplaced() -> typer.BadParameter:
    """A change prints one line, not JSON: a --json before it is a mistake, not ignored."""
    return typer.BadParameter(
        "it goes with a listing: labels DB --json, labels DB relation --json, "
        "labels DB attribute --json",
        param_hint="--json",
    )


def _no_json_before_a_change(ctx: typer.Context, as_json: bool) -> None:
    if as_json or _json_before(ctx):
        raise json_misplaced()


# -- relation types ----------------------------------------------------------------------------


@relation_app.callback(invoke_without_command=True)
def relations(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the relation types: key, name, from which labels to which, stored relations."""
    if ctx.invoked_subcommand is not None:
        _no_json_before_a_change(ctx, as_json)
        return
    as_json = as_json or _json_before(ctx)
    with open_project(_db(ctx)) as store:
        rows = relation_rows(store.relation_types(), store.relation_type_usage())
    if as_json:
        typer.echo(json.dumps({"relations": rows}, ensure_ascii=False))
        return
    for line in relation_lines(rows):
        typer.echo(line)


@relation_app.command("add")
def add_relation(
    ctx: typer.Context,
    name: RelationArg,
    heads: FromOpt = None,
    children: ToOpt = None,
    key: KeyOpt = None,
    color: ColorOpt = None,
    description: DescriptionOpt = None,
) -> None:
    """Add a relation type: from spans of the --from labels to spans of the --to labels."""
    if not heads or not children:
        raise SchemeError(f"the relation {name} needs --from and --to labels")
    definition = RelationType(
        name, tuple(heads), tuple(children), color or "#555555", key or "", description or ""
    )
    with open_project(_db(ctx)) as store:
        store.save_relation_type(definition, new=True, by=BY)
        saved = store.relation_type(name)
    typer.echo(f"added relation {_describe_relation(saved)}")


@relation_app.command("set")
def set_relation(
    ctx: typer.Context,
    name: RelationArg,
    new_name: NewNameOpt = None,
    heads: FromOpt = None,
    children: ToOpt = None,
    key: KeyOpt = None,
    color: ColorOpt = None,
    description: DescriptionOpt = None,
) -> None:
    """Change a relation type: rename it (its relations follow), its labels, key, colour or
    description."""
    with open_project(_db(ctx)) as store:
        old = store.relation_type(name)
        definition = RelationType(
            new_name if new_name is not None else old.name,
            tuple(heads) if heads else old.head_labels,
            tuple(children) if children else old.child_labels,
            color if color is not None else old.color,
            key if key is not None else old.key,
            description if description is not None else old.description,
        )
        store.save_relation_type(definition, replacing=name, by=BY)
        saved = store.relation_type(definition.name)
    typer.echo(f"relation {_describe_relation(saved)}")


@relation_app.command("delete")
def delete_relation(ctx: typer.Context, name: RelationArg, force: ForceOpt = False) -> None:
    """Delete a relation type; one that holds relations only with --force (they go too)."""
    with open_project(_db(ctx)) as store:
        store.relation_type(name)  # an unknown name says which there are
        _check_unused("relation", name, store.relation_type_usage()[name], force)
        removed = store.take_relation_type(name, by=BY)
    typer.echo(f"deleted relation {name} ({removed.describe()})")


# -- attributes --------------------------------------------------------------------------------


@attribute_app.callback(invoke_without_command=True)
def attributes(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the claim attributes: key, name, label, kind, values, default, stored values."""
    if ctx.invoked_subcommand is not None:
        _no_json_before_a_change(ctx, as_json)
        return
    as_json = as_json or _json_before(ctx)
    with open_project(_db(ctx)) as store:
        rows = attribute_rows(store.attribute_types(), store.attribute_type_usage())
    if as_json:
        typer.echo(json.dumps({"attributes": rows}, ensure_ascii=False))
        return
    for line in attribute_lines(rows):
        typer.echo(line)


@attribute_app.command("add")
def add_attribute(
    ctx: typer.Context,
    name: AttributeArg,
    label: LabelOpt = None,
    kind: KindOpt = None,
    values: ValuesOpt = None,
    default: DefaultOpt = None,
    key: KeyOpt = None,
    description: DescriptionOpt = None,
) -> None:
    """Add an attribute of spans of --label (CLAIM unless given): a flag (no, yes unless
    --values) or a choice (--values a,b,c: more than two values make it one)."""
    value_list = _values(values) if values is not None else ("no", "yes")
    kind = kind or (CHOICE if len(value_list) > 2 else FLAG)
    definition = AttributeType(
        name,
        label or "CLAIM",
        kind,
        value_list,
        default if default is not None else (value_list[0] if value_list else ""),
        key or "",
        description or "",
    )
    with open_project(_db(ctx)) as store:
        store.save_attribute_type(definition, new=True, by=BY)
        saved = store.attribute_type(name)
    typer.echo(f"added attribute {_describe_attribute(saved)}")


@attribute_app.command("set")
def set_attribute(
    ctx: typer.Context,
    name: AttributeArg,
    new_name: NewNameOpt = None,
    label: LabelOpt = None,
    kind: KindOpt = None,
    values: ValuesOpt = None,
    default: DefaultOpt = None,
    key: KeyOpt = None,
    description: DescriptionOpt = None,
) -> None:
    """Change an attribute: rename it (its values follow), its label, kind, values,
    default, key or description. Values already stored must stay among its values."""
    with open_project(_db(ctx)) as store:
        old = store.attribute_type(name)
        value_list = _values(values) if values is not None else old.values
        if default is None:  # the old default while it is still a value, else the first
            default = old.default if old.default in value_list else value_list[0]
        definition = AttributeType(
            new_name if new_name is not None else old.name,
            label if label is not None else old.label,
            kind if kind is not None else old.kind,
            value_list,
            default,
            key if key is not None else old.key,
            description if description is not None else old.description,
        )
        before = store.attribute_type_usage()[name]
        store.save_attribute_type(definition, replacing=name, by=BY)
        saved = store.attribute_type(definition.name)
        after = store.attribute_type_usage()[saved.name]
    typer.echo(f"attribute {_describe_attribute(saved)}")
    spans, suggestions = after.stored - before.stored, after.suggested - before.suggested
    if spans or suggestions:  # a new default: what had none keeps saying the old one, stored
        typer.echo(
            f"the old default {old.default} is now stored on {counted(spans, 'span')} and "
            f"{counted(suggestions, 'suggestion')} that had no value, so that they say what "
            "they said"
        )


@attribute_app.command("rename-value")
def rename_attribute_value(
    ctx: typer.Context,
    name: AttributeArg,
    old: Annotated[
        str, typer.Argument(help="The value renamed.", show_default=False, metavar="OLD")
    ],
    new: Annotated[
        str,
        typer.Argument(
            help="Its new name (a value it has: folded in).", show_default=False, metavar="NEW"
        ),
    ],
) -> None:
    """Rename one value of an attribute: every value stored or suggested follows, and the
    default; a NEW it has already takes OLD's values in."""
    with open_project(_db(ctx)) as store:
        after, stored, suggested = store.rename_attribute_value(name, old, new, by=BY)
    typer.echo(
        f"attribute {_describe_attribute(after)}; {counted(stored, 'stored value')} and "
        f"{counted(suggested, 'suggested value')} renamed {old} → {new}"
    )


@attribute_app.command("delete")
def delete_attribute(ctx: typer.Context, name: AttributeArg, force: ForceOpt = False) -> None:
    """Delete an attribute; one with stored values only with --force (they go too)."""
    with open_project(_db(ctx)) as store:
        store.attribute_type(name)
        _check_unused("attribute", name, store.attribute_type_usage()[name], force)
        removed = store.take_attribute_type(name, by=BY)
    typer.echo(f"deleted attribute {name} ({removed.describe()})")


# -- rows and lines, also for ``annotator labels DB`` ------------------------------------------


def relation_rows(
    types: list[RelationType], usage: dict[str, ClaimTypeUsage]
) -> list[dict[str, object]]:
    """The relation types as JSON rows, with how many relations each holds."""
    return [
        {
            "name": t.name,
            "from": list(t.head_labels),
            "to": list(t.child_labels),
            "key": t.key,
            "color": t.color,
            "relations": usage[t.name].stored,
            "suggested": usage[t.name].suggested,
            "description": t.description,
        }
        for t in types
    ]


def attribute_rows(
    types: list[AttributeType], usage: dict[str, ClaimTypeUsage]
) -> list[dict[str, object]]:
    """The attributes as JSON rows, with how many values each holds."""
    return [
        {
            "name": t.name,
            "label": t.label,
            "kind": t.kind,
            "values": list(t.values),
            "default": t.default,
            "key": t.key,
            "stored": usage[t.name].stored,
            "suggested": usage[t.name].suggested,
            "description": t.description,
        }
        for t in types
    ]


def relation_lines(rows: list[dict]) -> list[str]:
    """A table of the relation types (a line saying there are none if so)."""
    if not rows:
        return ["no relation types (add one: annotator labels DB relation add NAME …)"]
    width = max([len(row["name"]) for row in rows] + [8])
    lines = [f"{'relation':<{width}}  key  from → to"]
    for row in rows:
        lines.append(
            f"{row['name']:<{width}}  {row['key'] or '-':<3}  {'/'.join(row['from'])} → "
            f"{'/'.join(row['to'])}  ({counted(row['relations'], 'relation')})"
        )
    return lines


def attribute_lines(rows: list[dict]) -> list[str]:
    """A table of the attributes (a line saying there are none if so)."""
    if not rows:
        return ["no attributes (add one: annotator labels DB attribute add NAME …)"]
    width = max([len(row["name"]) for row in rows] + [9])
    lines = [f"{'attribute':<{width}}  key  label  kind    values (default first)"]
    for row in rows:
        values = [row["default"], *(v for v in row["values"] if v != row["default"])]
        lines.append(
            f"{row['name']:<{width}}  {row['key'] or '-':<3}  {row['label']:<5}  "
            f"{row['kind']:<6}  {' / '.join(values)}  ({counted(row['stored'], 'value')})"
        )
    return lines


def _describe_relation(t: RelationType) -> str:
    return (
        f"{t.name} ({'/'.join(t.head_labels)} → {'/'.join(t.child_labels)}, "
        f"key {t.key or 'none'}, {t.color})"
    )


def _describe_attribute(t: AttributeType) -> str:
    return (
        f"{t.name} ({t.kind} on {t.label}: {', '.join(t.values)}, default {t.default}, "
        f"key {t.key or 'none'})"
    )


def _values(text: str) -> tuple[str, ...]:
    return tuple(value.strip() for value in text.split(",") if value.strip())


def _check_unused(kind: str, name: str, usage: ClaimTypeUsage, force: bool) -> None:
    if usage.used and not force:
        raise SchemeError(
            f"the {kind} {name} holds {usage.describe()}; "
            "add --force to delete them with it (nothing was changed)"
        )


def _db(ctx: typer.Context) -> Path:
    """The project named before ``relation`` / ``attribute`` (``labels DB …``)."""
    parent = ctx.parent
    while parent is not None and not isinstance(parent.obj, Path):
        parent = parent.parent
    assert parent is not None
    return parent.obj
