"""The project's own actors beside a dataset: what its ``project:`` links name.

An annotator who finds a group the shipped knowledge base lacks adds it (the link dialog's
New faction): a ``project:`` id, known only to this project. An export whose spans refer to
one writes the project's actors beside the dataset, one JSON record a line in the shape of
``resources/kb/actors.jsonl`` (``OUT.actors.jsonl``; ``OUT/actors.jsonl`` for a folder or a
split), so a link can be looked up outside the program. An import takes that file back: the
actors the project lacks are added; one it holds under the same id stays as it is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.formats.base import Format, FormatError
from annotator.storage import Store

ACTORS_NAME = "actors.jsonl"
PROJECT_PREFIX = "project:"


def actors_path(out: Path, fmt: Format, split: tuple[float, ...] | None) -> Path:
    """Where an export to ``out`` puts the project's actors."""
    if split is not None or fmt.folder:
        return out / ACTORS_NAME
    return _beside_file(out)


def _beside_file(path: Path) -> Path:
    return path.with_name(f"{path.name}.{ACTORS_NAME}")


def write_actors(store: Store, path: Path) -> int:
    """Write the project's actors to ``path`` (an export whose spans refer to one, in a
    format that holds links); how many."""
    from annotator.storage.links import project_actors

    actors = project_actors(store)
    try:
        with path.open("w", encoding="utf-8") as file:
            for record in actors:
                file.write(json.dumps(record, ensure_ascii=False) + "\n")
    except BaseException:
        path.unlink(missing_ok=True)  # a full disk: no half a file left
        raise
    return len(actors)


def beside(paths: Iterable[Path]) -> list[Path]:
    """The actors files an export wrote beside the files and folders an import is given:
    ``F.actors.jsonl`` or ``actors.jsonl`` beside a file (a split's part), and those in a
    folder; each once."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if is_actors_file(p) and p.is_file())
        else:
            inside = [_beside_file(path), path.parent / ACTORS_NAME]
        for candidate in inside:
            if candidate.is_file() and candidate != path:
                found.setdefault(candidate)
    return list(found)


def is_actors_file(path: Path) -> bool:
    """Whether a folder's file is an export's actors, not a dataset to import."""
    return path.name == ACTORS_NAME or path.name.endswith(f".{ACTORS_NAME}")


def read_actors(path: Path) -> list[dict[str, Any]]:
    """The project actors (``project:`` ids, with a name) of an actors file; other records
    (the shipped base's, another tool's) are not the project's and are passed over."""
    actors: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise FormatError(path, f"the project's actors cannot be read: {error}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise FormatError(path, f"not a JSON record: {error.msg}", number) from None
        if (
            isinstance(record, dict)
            and str(record.get("id", "")).startswith(PROJECT_PREFIX)
            and len(str(record["id"])) > len(PROJECT_PREFIX)
            and isinstance(record.get("name"), str)
            and record["name"].strip()
        ):
            actors.append(record)
    return actors
