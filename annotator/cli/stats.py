"""``annotator stats``: what a project holds and how its suggestions are used."""

from __future__ import annotations

import json

import typer

from annotator.cli.app import DbArg, JsonOpt, app, counts, open_project, stage_bar
from annotator.core.text import counted


@app.command()
def stats(db: DbArg, as_json: JsonOpt = False) -> None:
    """Articles, suggestions per label, spans, relations and attribute values per annotator,
    statuses, how suggestions are used."""
    from annotator.storage.usage import NO_MODEL, suggestion_usage

    with open_project(db) as store, stage_bar(enabled=not as_json) as stage:
        # (50,000 articles of two annotators: 13 s without a word on a terminal)
        stage("counting", 0, 2)
        figures = store.stats()
        stage("counting how the suggestions are used", 1, 2)
        figures["suggestion_usage"] = suggestion_usage(store)
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False))
        return
    typer.echo(f"articles: {figures['articles']:,} ({figures['characters']:,} characters)")
    for model, by_label in figures["suggestions"].items():
        typer.echo(f"suggestions by {model}: {counts(by_label)}")
    for model, by_label in figures.get("suggested_relations", {}).items():
        typer.echo(f"relations suggested by {model}: {counts(by_label)}")
    for model, by_attribute in figures.get("suggested_attributes", {}).items():
        shown = "; ".join(f"{name} {counts(values)}" for name, values in by_attribute.items())
        typer.echo(f"attribute values suggested by {model}: {shown}")
    for model, by_status in figures.get("suggested_links", {}).items():
        typer.echo(f"links suggested by {model}: {counts(by_status)}")
    for name, by_label in figures["spans"].items():
        typer.echo(f"spans of {name}: {counts(by_label)}")
    for name, by_label in figures.get("relations", {}).items():
        typer.echo(f"relations of {name}: {counts(by_label)}")
    for name, by_status in figures.get("links", {}).items():
        typer.echo(f"links of {name}: {counts(by_status)}")
    for name, by_attribute in figures.get("attributes", {}).items():
        shown = "; ".join(
            f"{attribute} {counts(values)}" for attribute, values in by_attribute.items()
        )
        typer.echo(f"attribute values of {name}: {shown} (defaults are not stored)")
    assigned, outside = figures.get("assigned", {}), figures.get("status_outside_assigned", {})
    for name, by_status in figures["status"].items():
        # (it counted every article of the project, given to them or not)
        of = f", of {assigned[name]:,} assigned" if name in assigned else ""
        line = f"status of {name}{of}: {counts({k: v for k, v in by_status.items() if v})}"
        if name in outside:
            line += f"; outside them: {counts(outside[name])}"
        typer.echo(line)
    review = figures["review"]
    if review["reviewed"] or review["changed_since_reviewed"] or review["begun"]:
        # (gold was listed as an annotator: "status of gold: todo 24, done 5")
        typer.echo(
            f"review (gold): {counted(review['reviewed'], 'article')} reviewed, "
            f"{review['changed_since_reviewed']} changed by an annotator since, "
            f"{review['begun']} begun and not marked reviewed "
            f"({counted(review['done_by_annotators'], 'article')} marked done by an annotator)"
        )
    typer.echo(f"articles nobody marked done yet: {figures['done_by_nobody']}")
    for name, seconds in figures["seconds_active"].items():
        typer.echo(f"time spent by {name}: {_duration(seconds)} (the window open on an article)")
    for flag in figures["flagged"]:
        title = " ".join((flag["title"] or "").split()) or "untitled"
        said = f": {' '.join(flag['comment'].split())}" if flag["comment"] else " (no comment)"
        typer.echo(f"flagged by {flag['annotator']}: article {flag['article']} “{title}”{said}")
    for name, review in figures["reviewers"].items():
        typer.echo(
            f"review by {name}: {counted(review['articles_reviewed'], 'article')} marked "
            f"reviewed, {counted(review['gold_edits'], 'gold edit')}"
        )
    for model, by_annotator in figures["suggestion_usage"].items():
        for name, by_label in by_annotator.items():
            used = ", ".join(
                f"{label} {u['accepted']} accepted / {u['edited']} edited / {u['deleted']} "
                f"deleted of {u['suggested']}, {u['added']} added"
                for label, u in by_label.items()
            )
            if model == NO_MODEL:  # articles begun before any suggestion: spans by hand
                typer.echo(f"{name}'s done articles begun with no suggestions: {used}")
            else:
                typer.echo(f"suggestions of {model} used by {name} (done articles): {used}")


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
