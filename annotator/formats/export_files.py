"""Where an export's files go, and how they appear: whole, or not at all.

Each file is written under a temporary name beside its target and renamed when the export is
complete, so an error or a cancel leaves no partial dataset.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from annotator.core.splits import SPLIT_NAMES
from annotator.formats.base import Format
from annotator.formats.export_choice import ExportError
from annotator.formats.export_report import OMITTED_NAME


def written_through(out: Path) -> Path:
    """Where a file named ``out`` is really written: through a symbolic link, the file it
    points to (the link stays; renamed over, it became a file of its own). A pipe, a
    terminal or another device cannot take a file renamed into place: ``ExportError``."""
    try:
        mode = out.stat().st_mode  # of what the links lead to
    except FileNotFoundError:
        return Path(os.path.realpath(out))  # a new file (or one a dangling link names)
    except OSError:
        return out  # unreadable: the write says why
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return Path(os.path.realpath(out))
    raise ExportError(
        f"{out} is a pipe, a terminal or a device: an export is written whole to a file and "
        "then put in place; give a file name (and read the file from there)"
    )


def export_targets(out: Path, fmt: Format, split: tuple[float, ...] | None) -> dict[str, Path]:
    """Where each part goes: ``{"": OUT}``, or ``{"train": OUT/train.jsonl, ...}``."""
    if not out.parent.is_dir():
        raise ExportError(f"{out}: folder {out.parent} does not exist")
    if split is None:
        if fmt.folder:
            _check_empty_folder(out)
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
        _check_empty_folder(out)
        return {name: out / name for name in names}
    return {name: out / f"{name}{fmt.suffix}" for name in names}


def stale_parts(out: Path, fmt: Format, split: tuple[float, ...] | None) -> list[Path]:
    """The parts of an earlier split export in folder ``out`` that this one does not write
    (its test file, when this split has two parts): left, they put the same articles in
    train and test."""
    if split is None or fmt.folder:
        return []
    return [
        path
        for name in SPLIT_NAMES[len(split) :]
        if (path := out / f"{name}{fmt.suffix}").is_file()
    ]


def refuse_the_project(paths: list[Path], project: Path | None) -> None:
    """``ExportError`` if an export would write over the project file or its companions
    (``-wal``, ``-shm``, ``-journal``), or into the project's models folder: the dataset
    would replace the work it came from."""
    if project is None:
        return
    project = project.resolve()
    theirs = {project, *(project.with_name(project.name + s) for s in ("-wal", "-shm", "-journal"))}
    models = project.with_name(project.stem + ".models")
    for path in paths:
        target = path.resolve()
        if target in theirs or target == models or models in target.parents:
            raise ExportError(f"{path} is one of the project's own files; export to another name")


def _check_empty_folder(path: Path) -> None:
    if path.is_file() or (path.is_dir() and any(path.iterdir())):
        raise ExportError(f"{path} already exists and is not an empty folder; choose a new one")


def omitted_list_path(out: Path, fmt: Format, split: tuple[float, ...] | None) -> Path:
    if split is not None or fmt.folder:
        return out / OMITTED_NAME
    return out.with_name(f"{out.name}.{OMITTED_NAME}")


def partial_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


def replace_partial(partial: Path, target: Path) -> None:
    if partial.is_dir() and target.is_dir():
        target.rmdir()  # checked empty before the export started
    partial.replace(target)


def remove_path(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
