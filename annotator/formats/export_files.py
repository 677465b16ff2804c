"""Where an export's files go, and how they appear: whole, or not at all.

Each file is written under a temporary name beside its target and renamed when the export is
complete, so an error or a cancel leaves no partial dataset.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from annotator.core.splits import SPLIT_NAMES
from annotator.formats.base import Format
from annotator.formats.export_choice import ExportError
from annotator.formats.export_report import OMITTED_NAME
from annotator.storage.open_files import folder_problem

#: Where a path that names an open file descriptor lies (``/dev/stdout`` leads there):
#: through it, a file the shell opened for this command.
_DESCRIPTORS = re.compile(r"^/(dev/(fd/|std(in|out|err)$)|proc/[^/]+/fd/)")


def written_through(out: Path) -> Path:
    """Where a file named ``out`` is really written: through a symbolic link, the file it
    points to (the link stays; renamed over, it became a file of its own). ``ExportError``
    for what cannot take a file renamed into place: a pipe, a terminal or another device,
    a loop of links, and a file this command has open as its standard input, output or
    error (``/dev/stdout`` redirected to a file: renamed over, the file lost what it held
    and what the command printed)."""
    if str(out) == "-":  # standard output to most commands; a file named "-" was written
        raise ExportError(
            "- (standard output) cannot take an export: it is written whole to a file and "
            "then put in place; give a file name (./- for a file of that name)"
        )
    if any(_DESCRIPTORS.match(hop) for hop in _hops(out)) or _is_a_standard_stream(out):
        raise ExportError(
            f"{out} is a file descriptor of this command (its standard output?): an export "
            "is written whole to a file and then put in place; give a file name"
        )
    try:
        mode = out.stat().st_mode  # of what the links lead to
    except FileNotFoundError:
        return Path(os.path.realpath(out))  # a new file (or one a dangling link names)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ExportError(f"{out}: its symbolic links lead round in a loop") from None
        return out  # unreadable: the write says why
    if stat.S_ISREG(mode) and not mode & 0o222:
        # Renamed over, a file its owner made read-only was replaced without a word.
        raise ExportError(
            f"{out} is read-only: nothing was written (make it writable, or give another name)"
        )
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return Path(os.path.realpath(out))
    raise ExportError(
        f"{out} is a pipe, a terminal or a device: an export is written whole to a file and "
        "then put in place; give a file name (and read the file from there)"
    )


def _hops(path: Path) -> list[str]:
    """``path`` made absolute, and each path its symbolic links lead to, in turn, each
    with its folders' own links followed (``fd/1`` in a link to ``/dev/fd``)."""
    hops = [_folder_resolved(os.path.abspath(path))]
    while len(hops) < 40 and os.path.islink(hops[-1]):
        target = os.path.join(os.path.dirname(hops[-1]), os.readlink(hops[-1]))
        hops.append(_folder_resolved(target))
    return hops


def _folder_resolved(path: str) -> str:
    """``path`` with its folder's links followed (and ``//`` made ``/``), not its own."""
    folder, name = os.path.split(os.path.normpath(path))
    return os.path.join(os.path.realpath(folder), name)


def _is_a_standard_stream(path: Path) -> bool:
    """Whether ``path`` is the very file this process has open as fd 0, 1 or 2."""
    try:
        target = path.stat()
    except OSError:
        return False
    for fd in (0, 1, 2):
        try:
            opened = os.fstat(fd)
        except OSError:
            continue
        if stat.S_ISREG(opened.st_mode) and (opened.st_dev, opened.st_ino) == (
            target.st_dev,
            target.st_ino,
        ):
            return True
    return False


def export_targets(
    out: Path,
    fmt: Format,
    split: tuple[float, ...] | None,
    would_write: Callable[[], bool] = lambda: True,
) -> dict[str, Path]:
    """Where each part goes: ``{"": OUT}``, or ``{"train": OUT/train.jsonl, ...}`` (through
    links, as ``written_through``). ``would_write``: whether the export would write any
    article, asked only of a folder to write into that is not empty (refused if it would)."""
    if folder := folder_problem(out):
        raise ExportError(f"{out}: {folder}")
    if split is None:
        if fmt.folder:
            _check_empty_folder(out, would_write)
        elif out.is_dir():
            raise ExportError(
                f"{out} is a folder; give a file name such as {out / ('dataset' + fmt.suffix)}, "
                "or use --split to write train/dev/test files into it"
            )
        return {"": out}
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: with --split, OUT is a folder for train/dev/test files")
    names = SPLIT_NAMES[: len(split)]
    if fmt.folder:
        # Empty, as without --split: the folders beside an earlier export's files made one
        # folder of two datasets.
        _check_empty_folder(out, would_write)
        return {name: out / name for name in names}
    # A part this split does not write (test, after train / dev / test): left, it put the
    # same articles in train and test; removed, it was a file of the user's, maybe.
    extra = [out / f"{name}{fmt.suffix}" for name in SPLIT_NAMES[len(split) :]]
    if found := [path.name for path in extra if os.path.lexists(path)]:
        raise ExportError(
            f"{out} holds {', '.join(found)}, which a split in {len(split)} parts does not "
            "write (from an earlier export?): remove it, or export into another folder"
        )
    targets = {name: written_through(out / f"{name}{fmt.suffix}") for name in names}
    for name, target in targets.items():
        if target.is_dir():
            raise ExportError(f"{out / (name + fmt.suffix)} is a folder; remove it first")
    if len(set(targets.values())) < len(targets):  # links: two parts into one file
        raise ExportError(f"{out}: two parts lead to the same file through links")
    return targets


def refuse_the_project(paths: list[Path], project: Path | None) -> None:
    """``ExportError`` if an export would write over the project file or its companions
    (``-wal``, ``-shm``, ``-journal``), or into the project's models folder: the dataset
    would replace the work it came from."""
    if project is None:
        return
    project = Path(os.path.realpath(project))
    theirs = {project, *(project.with_name(project.name + s) for s in ("-wal", "-shm", "-journal"))}
    models = project.with_name(project.stem + ".models")
    for path in paths:
        target = Path(os.path.realpath(path))  # (a loop of links: resolve() raises)
        if target in theirs or target == models or models in target.parents:
            raise ExportError(f"{path} is one of the project's own files; export to another name")


def _check_empty_folder(path: Path, would_write: Callable[[], bool]) -> None:
    """Refuse a folder to write into that holds something, unless the export would write
    nothing: then it is left as it is, and the report says so ("remove it" was said of a
    folder an export with nothing to write would not have touched)."""
    if path.is_file() or (path.is_dir() and any(path.iterdir()) and would_write()):
        raise ExportError(
            f"{path} already exists and is not an empty folder (an earlier export, or the "
            "collection imported? replaced, its files this export leaves out would go): "
            "remove it, or choose a new one"
        )


def omitted_list_path(out: Path, fmt: Format, split: tuple[float, ...] | None) -> Path:
    if split is not None or fmt.folder:
        return out / OMITTED_NAME
    return out.with_name(f"{out.name}.{OMITTED_NAME}")


def partial_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


def users_path(
    failed: OSError, partial: dict[str, Path], targets: dict[str, Path], out: Path
) -> Path | None:
    """The path the user gave that an error while exporting to ``out`` is about: the target
    of a temporary file or folder (or of a file in one); ``out`` for itself, for the
    export's other hidden files beside it (the list of omissions, a spool) and for an error
    that names no file; None for a file elsewhere (said as it is). Full, as a file's target
    is (``written_through``): brat's folder and a split's were named as typed, "romnt/b"
    beside "/…/romnt/x.jsonl"."""
    if not failed.filename:
        return Path(os.path.abspath(out))
    named = Path(os.fsdecode(failed.filename))
    for name, temporary in partial.items():
        if named == temporary or temporary in named.parents:
            return Path(os.path.abspath(targets[name]))
    if named == out or (named.name.startswith(".") and named.parent in (out, out.parent)):
        return Path(os.path.abspath(out))
    return None


def replace_partial(partial: Path, target: Path) -> None:
    if partial.is_dir() and target.is_dir():
        target.rmdir()  # checked empty before the export started
    elif target.is_file():
        # The file put in its place keeps its mode and group: a team's shared dataset,
        # group-writable, became the exporter's alone at each export.
        kept = target.stat()
        os.chmod(partial, stat.S_IMODE(kept.st_mode))
        with contextlib.suppress(OSError):  # (a group this user is not in)
            os.chown(partial, -1, kept.st_gid)
    partial.replace(target)


def remove_path(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):  # (on a read-only mount, unlinking nothing fails too)
        path.unlink(missing_ok=True)
