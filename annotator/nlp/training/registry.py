"""A project's trained models: versioned folders next to the project, and the current one.

``PROJECT.db`` keeps its models in ``PROJECT.models/v1``, ``v2``, ...: ordinary spaCy
pipeline folders (``spacy.load`` opens them). The project's current model is recorded in the
project itself (the setting ``MODEL_SETTING``: the folder, relative to the project's own
folder when it lies beside it).

Saving is atomic: a model is written to a hidden temporary folder beside its final place and
renamed when complete, so a killed run, a full disk or an error leaves no folder that looks
like a model (leftover temporary folders are removed by the next save). Adopting a model
re-suggests, in one transaction, the articles nobody has opened yet, and only then records
it as current: an adoption either happens whole or not at all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from annotator.core.errors import AnnotatorError
from annotator.core.progress import Progress, no_progress
from annotator.nlp.base import Suggestions
from annotator.nlp.preannotate import project_kb_of, record_preannotator, store_suggestions
from annotator.storage import Store
from annotator.storage.usage import untouched_articles

MODEL_SETTING = "model_current"
MODEL_NAME = "project_model"
_VERSION = re.compile(r"^v(\d+)$")


class ModelError(AnnotatorError):
    """A model folder cannot be saved, read or adopted; the message says why."""


@dataclass(frozen=True)
class ModelInfo:
    """A saved project model: where it is and what its meta says."""

    path: Path
    version: int | None  # N of ``vN`` for a model beside the project; None elsewhere
    meta: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.meta.get('name', 'pipeline')}-{self.meta.get('version', '0.0.0')}"

    @property
    def training(self) -> dict[str, Any]:
        """What ``annotator train`` recorded: labels, articles, scores, base, date."""
        return dict(self.meta.get("annotator", {}))


def models_folder(store: Store) -> Path:
    """``PROJECT.models`` beside ``PROJECT.db``."""
    if store.path is None:
        raise ModelError("an in-memory project has no folder for models; give --out")
    return store.path.with_name(store.path.stem + ".models")


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


def save_model(nlp: Language, target: Path) -> Path:
    """Write ``nlp`` to ``target`` (which must not exist) through a temporary folder."""
    target = Path(target).expanduser()
    if target.exists():
        raise ModelError(f"{target}: already exists; give another --out")
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(".training-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    temporary = Path(tempfile.mkdtemp(prefix=".training-", dir=target.parent))
    try:
        nlp.to_disk(temporary)
        _sync(temporary)
        os.replace(temporary, target)
    except OSError as error:
        shutil.rmtree(temporary, ignore_errors=True)
        raise ModelError(f"{target}: cannot save the model ({error.strerror or error})") from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target


def current_model(store: Store) -> ModelInfo | None:
    """The model the project pre-annotates with, or None (the default pipeline)."""
    recorded = store.setting(MODEL_SETTING)
    if not recorded:
        return None
    path = Path(recorded)
    if not path.is_absolute() and store.path is not None:
        path = store.path.parent / path
    match = _VERSION.match(path.name)
    in_folder = store.path is not None and path.parent == models_folder(store)
    meta = _meta(path) if (path / "meta.json").is_file() else {}
    return ModelInfo(path, int(match.group(1)) if match and in_folder else None, meta)


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
        still = set(untouched_articles(store))
        found = [(article_id, s) for article_id, s in found if article_id in still]
        store.clear_suggestions([article_id for article_id, _ in found], preannotator.name)
        store_suggestions(store, preannotator.name, found)
        store.set_setting(MODEL_SETTING, _recorded_path(store, path))
        record_preannotator(store, preannotator)
    return len(found)


def _recorded_path(store: Store, path: Path) -> str:
    if store.path is not None and path.parent.parent == store.path.parent.resolve():
        return str(path.relative_to(store.path.parent.resolve()))
    return str(path)


def _children(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []


def _meta(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads((path / "meta.json").read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        raise ModelError(f"{path}: not a spaCy pipeline folder ({error})") from None


def _sync(folder: Path) -> None:
    """Flush the files to disk before the rename makes them the model."""
    for file in folder.rglob("*"):
        if file.is_file():
            with open(file, "rb") as handle:
                os.fsync(handle.fileno())
