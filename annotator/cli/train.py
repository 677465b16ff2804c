"""``annotator train DB``: a model from the project's finished work, scored on held-out articles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.app import DbArg, JsonOpt, app, open_project, spelled, stage_bar
from annotator.core.errors import AnnotatorError
from annotator.core.text import counted


@app.command()
def train(
    db: DbArg,
    annotator: Annotated[
        str | None, typer.Option(help="Learn from this annotator's finished articles.")
    ] = None,
    gold: Annotated[
        bool, typer.Option("--gold", help="Learn from the adjudicated version.")
    ] = False,
    base: Annotated[
        str | None, typer.Option(help="spaCy pipeline to start from: package or folder.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Save the model here (not adopted); default: next to the project."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Train LOCATION and FACTION (and CLAIM's edges) on finished articles; print held-out
    scores beside the current suggestions'. Without --out the model becomes the project's
    current one."""
    from annotator.nlp.training import current_model, train_project

    if annotator is not None and not annotator.strip():
        raise typer.BadParameter(
            "give an annotator's name, not an empty one", param_hint="--annotator"
        )
    if annotator and gold:
        raise typer.BadParameter("give --annotator or --gold, not both", param_hint="--gold")
    with open_project(db) as store:
        if annotator:
            annotator = spelled(store, annotator)  # as the window, assign, merge, export
        before = current_model(store)
        try:
            with stage_bar(enabled=not as_json) as progress:
                report = train_project(
                    store, annotator=annotator, gold=gold, base=base, out=out, progress=progress
                )
        except KeyboardInterrupt:  # Ctrl+C: it ended with no word (exit 130)
            now = current_model(store)
            if now is not None and (before is None or now.path != before.path):
                said = f"interrupted after {now.path} was adopted"
            else:
                said = (
                    "interrupted: nothing adopted, the project and its current model are as "
                    "they were"
                )
            typer.echo(said, err=True)
            raise
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    typer.echo(
        f"trained on {report.train_articles} articles, scored on {report.held_out_articles} "
        f"held out; {report.seconds:.0f} s ({report.cpu_seconds:.0f} s CPU)"
    )
    if report.rivals_left_out:
        typer.echo(
            f"{report.rivals_left_out} articles finished by several annotators, with no gold "
            "version, were left out: adjudicate them (Review) or use --annotator NAME"
        )
    for note in report.notes:
        typer.echo(f"note: {note}")
    rows = ((report.model_name, report.scores), (report.current, report.current_scores))
    wide = max(40, *(len(name) for name, _ in rows))  # whole: "+rules-9" was cut off
    typer.echo(f"{'label':<9} {'suggestions':<{wide}} {'exact P/R/F1':<20} overlap P/R/F1")
    for label in report.scores:
        for name, by_label in rows:
            f = by_label[label]
            typer.echo(f"{label:<9} {name:<{wide}} {_prf(f['exact']):<20} {_prf(f['overlap'])}")
    where = "now the project's model" if report.adopted else "not adopted"
    typer.echo(f"saved to {report.model_dir} ({where})")
    if report.adopted:
        typer.echo(f"{report.resuggested} untouched articles re-suggested")


def _prf(figures: dict) -> str:
    return f"{figures['precision']:.3f} {figures['recall']:.3f} {figures['f1']:.3f}"


@app.command()
def models(
    db: DbArg,
    remove: Annotated[
        list[str] | None,
        typer.Option(
            "--remove",
            metavar="VERSION",
            help="Delete this saved version (v2, or 2) to free its room; not the current one.",
        ),
    ] = None,
    adopt: Annotated[
        str | None,
        typer.Option(
            "--adopt",
            metavar="VERSION|DIR",
            help="Make this saved version (v2), or a model folder (train --out: copied in "
            "as the next version), the project's current model, and suggest again the "
            "articles nobody started; 'default': the default pipeline from now on.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The models trained for the project (PROJECT.models/vN): when, on how many articles,
    their held-out exact F1, their size, which is current. --adopt makes one current (before
    any --remove); --remove deletes old ones (all checked first: one refused, none is
    deleted)."""
    from annotator.nlp.training import current_model, list_models, remove_models
    from annotator.nlp.training.registry import check_saved, folder_bytes

    versions = [_version_number(text, "--remove") for text in remove or []]
    with open_project(db) as store:
        if adopt is not None:
            if _version_adopted(store, adopt) in versions:
                raise typer.BadParameter(  # (it adopted v2, wrote the project, then refused)
                    f"--adopt {adopt} makes that version current, --remove deletes it: not both",
                    param_hint="--remove",
                )
            check_saved(store, versions)  # a version not there: refused before adopting
            _adopt(store, adopt, quiet=as_json)
        for version, freed in remove_models(store, versions):  # all checked first
            typer.echo(f"removed v{version} ({_megabytes(freed)})", err=as_json)
        saved = list_models(store)
        current = current_model(store)
    rows = [
        {
            "version": model.version,
            "path": str(model.path),
            "trained_at": model.training.get("trained_at", ""),
            "train_articles": model.training.get("train_articles"),
            "held_out_articles": model.training.get("held_out_articles"),
            "exact_f1": {
                label: figures["exact"]["f1"]
                for label, figures in (model.training.get("held_out_scores") or {}).items()
            },
            "bytes": folder_bytes(model.path),
            "current": model.is_the(current),
        }
        for model in saved
    ]
    if as_json:
        now = str(current.path) if current is not None else None
        typer.echo(json.dumps({"models": rows, "current": now}, ensure_ascii=False))
        return
    if not rows and current is None:
        typer.echo("no model trained for this project yet (annotator train DB)")
    elif not rows:  # a copy elsewhere, on the project's models: it said "none yet", then that
        typer.echo("no model saved beside this project")
    for row in rows:
        scores = "  ".join(f"{label} {f1:.3f}" for label, f1 in row["exact_f1"].items())
        held = f"(on {row['held_out_articles']} held out)" if row["held_out_articles"] else ""
        typer.echo(
            f"v{row['version']:<4} {str(row['trained_at'])[:16].replace('T', ' '):<17} "
            f"{row['train_articles'] or '?':>5} articles  {scores:<34} {held:<18}"
            f"{_megabytes(row['bytes']):>8}{'  current' if row['current'] else ''}"
        )
    if rows:
        # F1 0.609, 0.636, 0.620 of three versions whose LOCATIONs were the same rules'; and
        # v2 FACTION 1.000, v5 0.988 on as many held-out articles, the same on the same ones
        typer.echo(
            "each version's F1 was measured when it was trained, on the articles held out "
            "then, as they were annotated then: the figures of two versions do not compare. "
            "To choose a model, go by the scores `annotator train` prints: the new model and "
            "the current one on the same held-out articles"
        )
    if current is not None and not any(row["current"] for row in rows):
        if current.present:
            where = "not one of these" if rows else "saved elsewhere"
            typer.echo(f"current model: {current.path} ({where})")
        elif current.replaced:  # ("restore that folder" would lose the model trained there)
            adopt = f"v{current.version}" if current.version is not None else str(current.path)
            typer.echo(
                f"current model: {current.path}, which {current.absence}; `annotator models "
                f"{db} --adopt {adopt}` makes that one current, {current.bring_back}"
            )
        else:  # (the Model panel said so; this said "not one of these")
            typer.echo(
                f"current model: {current.path}, which {current.absence}; restore that folder, or "
                "adopt another (--adopt VERSION|DIR|default)"
            )


def _version_number(text: str, option: str) -> int:
    from annotator.nlp.training.registry import version_number

    number = version_number(text)
    if number is None:
        raise typer.BadParameter(f"{text!r} is not a version such as v2", param_hint=option)
    return number


def _version_adopted(store, wanted: str) -> int | None:
    """The saved version ``--adopt`` makes current: ``v2``, a version's folder named by its
    path, or a folder copied in before as one; None for a folder not copied in yet."""
    from annotator.nlp.training.registry import copied_in, models_folder, version_number

    folder = Path(wanted).expanduser()
    if not folder.is_dir():
        return version_number(wanted)
    if folder.resolve().parent == models_folder(store).resolve():
        return version_number(folder.resolve().name)  # (a link "latest" to v1 is v1)
    copy = copied_in(store, folder)
    return version_number(copy.name) if copy is not None else None


def _adopt(store, wanted: str, *, quiet: bool) -> None:
    """``models --adopt``: ``default``, a folder (copied in as the next version), else a
    saved version of the project (v2 or 2)."""
    from annotator.nlp.training import adopt_model, current_model
    from annotator.nlp.training.model_folders import ModelError
    from annotator.nlp.training.registry import (
        MODEL_SETTING,
        copied_in,
        models_folder,
        remove_model,
        saved_versions,
        take_in,
    )

    if wanted == "default":
        if current_model(store) is None:
            typer.echo("the default pipeline is the project's already", err=quiet)
            return
        store.set_setting(MODEL_SETTING, "")
        typer.echo(
            "the default pipeline suggests from now on (the suggestions made already stay)",
            err=quiet,
        )
        return
    folder = Path(wanted).expanduser()
    in_place = ""  # why a folder is adopted where it is, said once it is adopted
    taken_in = ""  # the version a folder was copied in as
    if folder.is_dir() and folder.resolve().parent != models_folder(store).resolve():
        if not (folder / "meta.json").is_file():  # (said "adopted where it is", then failed)
            raise AnnotatorError(
                f"{wanted}: not a spaCy pipeline (no meta.json); the current model is kept"
            )
        if (copy := copied_in(store, folder)) is not None:
            typer.echo(f"{wanted} was copied in as {copy.name} already: adopting that", err=quiet)
            folder = copy
        else:
            try:
                folder = take_in(store, folder.resolve())  # the project's own from now on
                taken_in = folder.name
            except ModelError as error:  # its models folder cannot be written: where it is
                in_place = str(error)
    if not folder.is_dir():
        version = _version_number(wanted, "--adopt")
        saved = saved_versions(store)
        if version not in saved:
            have = ", ".join(f"v{n}" for n in saved) or "none"
            raise AnnotatorError(
                f"no saved model v{version} and no folder {wanted} (saved: {have})"
            )
        folder = saved[version]
    current = current_model(store)
    # (a folder that holds another model now is not the current one: "v1 is the project's
    # model already" was said of the model trained there, and it stayed unadopted)
    if current is not None and current.present and current.path.resolve() == folder.resolve():
        # (it re-suggested every untouched article again, with the same model)
        typer.echo(
            f"{folder.name} is the project's model already: nothing re-suggested "
            "(preannotate --force suggests again with it)",
            err=quiet,
        )
        return
    try:
        with stage_bar(enabled=not quiet) as progress:
            resuggested = adopt_model(
                store, folder, progress=lambda done, total: progress("re-suggesting", done, total)
            )
    except KeyboardInterrupt:  # Ctrl+C or SIGTERM: it ended with no word
        copied = (
            f" ({taken_in}, copied in, stays a saved version: models --adopt {taken_in} "
            "takes it without copying it again)"
            if taken_in
            else ""
        )
        typer.echo(
            f"interrupted: not adopted, the project and its current model are as they were{copied}",
            err=True,
        )
        raise
    except AnnotatorError as error:  # it does not load: its copy goes again (it stayed)
        if not taken_in:
            raise
        remove_model(store, int(taken_in[1:]))
        said = str(error).replace(str(folder), wanted)  # (not the copy's name: gone)
        raise AnnotatorError(f"{said}; the current model is kept") from None
    if taken_in:
        typer.echo(f"copied {wanted} in as {taken_in}", err=quiet)
    if in_place:
        typer.echo(
            f"not copied in ({in_place}); adopted where it is: the project needs that folder "
            "from now on",
            err=True,
        )
    typer.echo(
        f"adopted {folder.resolve()}; {counted(resuggested, 'untouched article')} re-suggested",
        err=quiet,
    )


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"
