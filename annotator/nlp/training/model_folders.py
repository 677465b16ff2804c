"""Writing a model folder whole or not at all.

A model is written to a hidden temporary folder beside its final place and renamed when
complete, so a killed run, a full disk or an error leaves no folder that looks like a model.
Leftover temporary folders are removed by a later save once they are an hour old (a younger
one may be another run's, still writing); each is named by its process, so the window
removes at once the one of a worker it killed (``remove_unfinished``).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from spacy.language import Language

from annotator.core.errors import AnnotatorError
from annotator.storage.read_only import read_only_medium, writable

try:
    import fcntl
except ImportError:  # Windows: trainings are not kept to one at a time there
    fcntl = None  # type: ignore[assignment]

TEMPORARY = ".training-"
#: A temporary folder older than this is a dead run's leftover, not a save in progress.
_LEFTOVER_AGE = 3600.0
#: Room a model needs while it is saved: about 20 MB, written aside, then put in place.
MODEL_ROOM = 50_000_000


class ModelError(AnnotatorError):
    """A model folder cannot be saved, read or adopted; the message says why."""


def remove_unfinished(folder: Path, pid: int) -> None:
    """Remove what the process ``pid`` left half-written in ``folder`` (it was killed while
    saving a model: 20 MB stayed there for an hour, till a later save cleared it)."""
    for leftover in folder.glob(f"{TEMPORARY}{pid}-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def save_model(nlp: Language, target: Path) -> Path:
    """Write ``nlp`` to ``target`` (which must not exist) through a temporary folder."""
    target = Path(target).expanduser()
    if target.exists():
        raise ModelError(f"{target}: already exists; give another --out")
    temporary = write_temporary(nlp, target.parent)
    if not place(temporary, target):  # made meanwhile: leave no temporary copy behind
        shutil.rmtree(temporary, ignore_errors=True)
        raise ModelError(f"{target}: already exists; give another --out")
    return target


def check_can_save(target: Path) -> None:
    """Refuse, before any work, an ``--out`` folder that could not be written: it exists, or
    the nearest folder above it is a file or read-only."""
    target = Path(target).expanduser()
    if target.exists():
        raise ModelError(f"{target}: already exists; give a new folder for --out")
    check_folder(target.parent, f"--out {target}", "give another --out")


def check_folder(folder: Path, what: str, hint: str, needed: int = MODEL_ROOM) -> None:
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
    if free < needed:
        # Said after minutes of training, when the model could not be saved.
        raise ModelError(
            f"{what}: {free / 1e6:.1f} MB free on that disk, and saving a model takes about "
            f"{needed / 1e6:.0f} MB; free some space first; {hint}"
        )


def _read_only(folder: Path) -> str:
    """Why nothing can be created in ``folder``, or "", by the project file's own check
    (the permission bits count: they say what the owner meant, even to root)."""
    if read_only_medium(folder):
        return "is on a read-only disk"
    if not writable(folder) or not os.access(folder, os.X_OK):  # X: to create files in it
        return "is read-only"
    return ""


def write_temporary(nlp: Language | Path, parent: Path) -> Path:
    """``nlp`` (or a copy of a model folder) written whole to a new hidden folder in
    ``parent``, readable as an ordinary folder (``mkdtemp`` makes it private, and the rename
    would keep that)."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        for leftover in parent.glob(f"{TEMPORARY}*"):
            if time.time() - leftover.stat().st_mtime > _LEFTOVER_AGE:
                shutil.rmtree(leftover, ignore_errors=True)
        # Named by the process, so that whoever killed it can remove it (remove_unfinished).
        temporary = Path(tempfile.mkdtemp(prefix=f"{TEMPORARY}{os.getpid()}-", dir=parent))
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


def place(temporary: Path, target: Path) -> bool:
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


def rewrite_version(folder: Path, version: str, **fields: object) -> None:
    """Set the meta's version (and any other ``fields``) of a model folder, flushed."""
    path = folder / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(fields, version=version)
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it back at once
    os.umask(mask)
    return mask


def _sync(folder: Path) -> None:
    """Flush the files to disk before the rename makes them the model."""
    for file in folder.rglob("*"):
        if file.is_file():
            with open(file, "rb") as handle:
                os.fsync(handle.fileno())


# -- one training of a project at a time -------------------------------------------------


@contextmanager
def one_training(project: Path) -> Iterator[None]:
    """Held while a training of ``project`` runs: another (a window's automatic one, a
    terminal's) is refused meanwhile. Three windows training automatically ran two
    trainings at once on two cores, each saving a version nobody asked for. The lock is
    the system's, on a file in the temporary folder named by the project's real path (so
    a failed training leaves nothing beside the project): a killed training lets it go."""
    handle = _lock_file(project)
    if handle is None:  # no locks here (Windows), or no temporary folder: not kept to one
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ModelError(
                "another training of this project is running (in another window or a "
                "terminal): wait till it ends"
            ) from None
        yield


def training_elsewhere(project: Path) -> bool:
    """Whether a training of ``project`` holds ``one_training``'s lock now."""
    handle = _lock_file(project)
    if handle is None:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False


def _lock_file(project: Path) -> IO[bytes] | None:
    if fcntl is None:
        return None
    key = hashlib.blake2b(os.fsencode(os.path.realpath(project)), digest_size=12).hexdigest()
    try:
        return open(Path(tempfile.gettempdir()) / f"annotator-training-{key}.lock", "a+b")  # noqa: SIM115
    except OSError:
        return None
