"""A project's trained models: versioned folders next to the project, and the current one.

``PROJECT.db`` keeps its models in ``PROJECT.models/v1``, ``v2``, ...: ordinary spaCy
pipeline folders (``spacy.load`` opens them). The project's current model is recorded in the
project itself (the setting ``MODEL_SETTING``: the folder, relative to the project's own
folder when it lies beside it).

Saving is atomic: a model is written to a hidden temporary folder beside its final place and
renamed when complete, so a killed run, a full disk or an error leaves no folder that looks
like a model (leftover temporary folders are removed by a later save, once they are an hour
old: a younger one may be another run's, still writing; each is named by its process, so
the window removes at once the one of a worker it killed, ``remove_unfinished``). The
version ``vN`` is taken by that rename, so two runs at once on one project save ``vN`` and
``vN+1``. Adopting a model re-suggests, in one transaction, the articles nobody has opened
yet, and only then records it as current: an adoption either happens whole or not at all.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spacy.language import Language

from annotator.core.errors import AnnotatorError
from annotator.core.progress import Progress, no_progress
from annotator.nlp.base import Suggestions
from annotator.nlp.preannotate import project_kb_of, record_preannotator, store_suggestions
from annotator.nlp.spacy_preannotator import meta_name
from annotator.storage import Store
from annotator.storage.read_only import read_only_medium, writable
from annotator.storage.usage import untouched_articles

MODEL_SETTING = "model_current"
MODEL_NAME = "project_model"
_VERSION = re.compile(r"^v(\d+)$")
_TEMPORARY = ".training-"
#: A temporary folder older than this is a dead run's leftover, not a save in progress.
_LEFTOVER_AGE = 3600.0


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
        return meta_name(self.meta)

    def is_the(self, other: ModelInfo | None) -> bool:
        """Whether ``other`` (the current model, say) is this model's folder."""
        return other is not None and other.path.resolve() == self.path.resolve()

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
    return project.with_name(project.stem + ".models")


def remove_unfinished(folder: Path, pid: int) -> None:
    """Remove what the process ``pid`` left half-written in ``folder`` (it was killed while
    saving a model: 20 MB stayed there for an hour, till a later save cleared it)."""
    for leftover in folder.glob(f"{_TEMPORARY}{pid}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


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


def folder_bytes(path: Path) -> int:
    """What a model folder takes on disk (its files' sizes)."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def remove_models(store: Store, versions: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Delete the saved versions ``vN`` beside the project, yielding (version, bytes freed)
    as each goes. Every version is checked before any is deleted: one that is not there,
    or is the current model (adopt another first), refuses them all.

    What a version suggested stays in the project (and in the usage chart); only adopting
    it again is no longer possible. Each folder is renamed to a hidden temporary name
    before it is deleted, so an error halfway leaves nothing that looks like a model.
    """
    found = {model.version: model for model in list_models(store)}
    current = current_model(store)
    wanted = list(dict.fromkeys(versions))  # v2 named twice is removed once
    missing = [f"v{version}" for version in wanted if version not in found]
    if missing:  # every one named, not the first alone
        have = ", ".join(f"v{n}" for n in found) or "none"
        some = "version" if len(missing) == 1 else "versions"
        raise ModelError(f"no saved {some} {', '.join(missing)}; the project has: {have}")
    for version in wanted:
        if found[version].is_the(current):
            raise ModelError(f"v{version} is the project's current model; adopt another first")
    for version in wanted:
        yield version, _delete_version(found[version].path)


def remove_model(store: Store, version: int) -> int:
    """``remove_models`` of one version: the bytes freed."""
    return next(remove_models(store, [version]))[1]


def _delete_version(path: Path) -> int:
    size = folder_bytes(path)
    doomed = path.with_name(f"{_TEMPORARY}removed-{path.name}-{os.getpid()}")
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


def save_model(nlp: Language, target: Path) -> Path:
    """Write ``nlp`` to ``target`` (which must not exist) through a temporary folder."""
    target = Path(target).expanduser()
    if target.exists():
        raise ModelError(f"{target}: already exists; give another --out")
    temporary = _write_temporary(nlp, target.parent)
    if not _place(temporary, target):  # made meanwhile: leave no temporary copy behind
        shutil.rmtree(temporary, ignore_errors=True)
        raise ModelError(f"{target}: already exists; give another --out")
    return target


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
    temporary = _write_temporary(nlp, folder)
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
    check_models_folder(store)
    version = next_version(store)
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    temporary = _write_temporary(model, models_folder(store))
    _rewrite_version(temporary, f"{version}.0.{stamp}")
    return _place_as_next(store, temporary, version, stamp)


def _place_as_next(store: Store, temporary: Path, version: int, stamp: str) -> Path:
    """Rename the written model to ``vN``; N is taken by the rename: when another run saved
    ``vN`` meanwhile, the meta is rewritten for the next free N and the rename tried again."""
    folder = models_folder(store)
    while not _place(temporary, folder / f"v{version}"):
        version = max(version + 1, next_version(store))
        _rewrite_version(temporary, f"{version}.0.{stamp}")
    return folder / f"v{version}"


def check_can_save(target: Path) -> None:
    """Refuse, before any work, an ``--out`` folder that could not be written: it exists, or
    the nearest folder above it is a file or read-only."""
    target = Path(target).expanduser()
    if target.exists():
        raise ModelError(f"{target}: already exists; give a new folder for --out")
    _check_folder(target.parent, f"--out {target}", "give another --out")


def check_models_folder(store: Store) -> None:
    """Refuse, before any work, a project whose models folder could not be written."""
    folder = models_folder(store)
    # Worded for the window too, which trains through the worker with no --out.
    hint = (
        "`annotator train DB --out DIR` saves a model elsewhere, and "
        "`annotator models DB --adopt DIR` makes it the project's"
    )
    _check_folder(folder, str(folder), hint)


def _check_folder(folder: Path, what: str, hint: str) -> None:
    """``folder``, or the nearest folder above it that exists, is a folder one may write in."""
    above = folder
    while not above.exists() and above != above.parent:
        above = above.parent
    if not above.is_dir():
        raise ModelError(f"{what}: {above} is a file, not a folder; {hint}")
    reason = _read_only(above)
    if reason:
        raise ModelError(f"{what}: cannot save the model there, {above} {reason}; {hint}")
    try:
        free = shutil.disk_usage(above).free
    except OSError:
        return
    if free < MODEL_ROOM:
        # Said after minutes of training, when the model could not be saved.
        raise ModelError(
            f"{what}: {free / 1e6:.1f} MB free on that disk, and saving a model takes about "
            f"{MODEL_ROOM // 1_000_000} MB; free some space first; {hint}"
        )


#: Room a model needs while it is saved: about 20 MB, written aside, then put in place.
MODEL_ROOM = 50_000_000


def _read_only(folder: Path) -> str:
    """Why nothing can be created in ``folder``, or "", by the project file's own check
    (the permission bits count: they say what the owner meant, even to root)."""
    if read_only_medium(folder):
        return "is on a read-only disk"
    if not writable(folder) or not os.access(folder, os.X_OK):  # X: to create files in it
        return "is read-only"
    return ""


def _write_temporary(nlp: Language | Path, parent: Path) -> Path:
    """``nlp`` (or a copy of a model folder) written whole to a new hidden folder in
    ``parent``, readable as an ordinary folder (``mkdtemp`` makes it private, and the rename
    would keep that)."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        for leftover in parent.glob(f"{_TEMPORARY}*"):
            if time.time() - leftover.stat().st_mtime > _LEFTOVER_AGE:
                shutil.rmtree(leftover, ignore_errors=True)
        # Named by the process, so that whoever killed it can remove it (remove_unfinished).
        temporary = Path(tempfile.mkdtemp(prefix=f"{_TEMPORARY}{os.getpid()}-", dir=parent))
    except OSError as error:
        raise ModelError(f"{parent}: cannot save the model ({error.strerror or error})") from None
    try:
        if isinstance(nlp, Path):
            shutil.copytree(nlp, temporary, dirs_exist_ok=True)
        else:
            nlp.to_disk(temporary)
        _sync(temporary)
        temporary.chmod(0o777 & ~_umask())
    except OSError as error:
        shutil.rmtree(temporary, ignore_errors=True)
        raise ModelError(f"{parent}: cannot save the model ({error.strerror or error})") from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return temporary


def _place(temporary: Path, target: Path) -> bool:
    """Rename the written model to ``target``; False (the temporary folder kept) if a
    folder is there already."""
    try:
        if target.exists():
            return False
        os.rename(temporary, target)  # a non-empty folder at target is never replaced
    except OSError as error:
        if error.errno in (errno.EEXIST, errno.ENOTEMPTY):
            return False
        shutil.rmtree(temporary, ignore_errors=True)
        raise ModelError(f"{target}: cannot save the model ({error.strerror or error})") from None
    return True


def _rewrite_version(folder: Path, version: str) -> None:
    path = folder / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["version"] = version
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it back at once
    os.umask(mask)
    return mask


def current_model(store: Store) -> ModelInfo | None:
    """The model the project pre-annotates with, or None (the default pipeline)."""
    recorded = store.setting(MODEL_SETTING)
    if not recorded:
        return None
    path = Path(recorded)
    if not path.is_absolute() and store.path is not None:
        path = store.path.parent / path
        # A copy saved under another name, its models folder copied with it: the recorded
        # "team.models/v1" is "copy.models/v1" there (beside team.db, the copy used
        # team's folder, and `models --remove` took its own "current" version).
        renamed = models_folder(store) / path.name
        if (renamed / "meta.json").is_file():
            path = renamed
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
        # Every model's: on an article nobody opened, only the latest model's show, and each
        # adoption kept the others' (a project of 2,200 articles grew 10 MB a training).
        store.clear_suggestions([article_id for article_id, _ in found])
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
