"""INCEpTION's project export: whose file a WebAnno TSV file is, and how far its user got.

The export holds a folder a document, a file a user: ``annotation/<document>/<user>.tsv``
(the user the annotator), ``curation/<document>/CURATION_USER.tsv`` (the gold version) and
``annotation/<document>/INITIAL_CAS.tsv`` (the document as imported, its text alone).

A user's file is written once they open the document, finished or not, so a file says
nothing of the user's state. The export's ``exportedproject.json``, beside ``annotation/``,
does: its ``annotation_documents`` give each (document, user) INCEpTION's state, ``NEW``,
``IN_PROGRESS``, ``FINISHED`` or ``IGNORE``. Where it is there, the state is the status; where
it is not, a user's file with spans is taken as done (as every format's annotation is), and
one with no span as in progress: INCEpTION's own state for a document opened, and the one
that keeps the article with its annotator (``assign``). Taken as done, a file opened and left
was "an article without entities", finished, and the report's advice was doccano's.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from annotator.core.model import Span
from annotator.core.text import file_name
from annotator.formats.base import Annotation

ANNOTATION, CURATION = "annotation", "curation"
INITIAL = "INITIAL_CAS"
PROJECT_FILE = "exportedproject.json"
#: INCEpTION's states of a user's document (``AnnotationDocumentState``) -> the status; a
#: finished one is done, as an annotation with no status given is.
_STATUSES: dict[str, str | None] = {
    "NEW": "todo",
    "IN_PROGRESS": "in_progress",
    "FINISHED": None,
    "IGNORE": "skipped",
}


def place(path: Path) -> tuple[str | None, str, str]:
    """(annotator, document name, role) of a file: in INCEpTION's project export,
    ``annotation/<document>/<user>.tsv`` (role ``annotation``; the user ``INITIAL_CAS``:
    role ``INITIAL_CAS``) or ``curation/<document>/CURATION_USER.tsv`` (``curation``);
    else nobody, the file's own name, ``annotation``."""
    folder = path.parent.parent.name.casefold()
    if folder == CURATION:
        return None, path.parent.name, CURATION
    if folder == ANNOTATION:
        user = path.stem
        return user, path.parent.name, INITIAL if user == INITIAL else ANNOTATION
    return None, file_name(path), ANNOTATION


def is_inception_project_file(path: Path) -> bool:
    """Is it the export's ``exportedproject.json``, beside its ``annotation/`` folder?"""
    return path.name == PROJECT_FILE and (path.parent / ANNOTATION).is_dir()


def is_inception_source(path: Path) -> bool:
    """Is it one of the export's source documents (``source/<document>``), whose text its
    ``annotation/`` holds?"""
    root = path.parent.parent
    return (
        path.parent.name == "source"
        and path.is_file()
        and (root / ANNOTATION).is_dir()
        and (root / PROJECT_FILE).is_file()
    )


def user_annotation(path: Path, user: str, document: str, spans: list[Span]) -> Annotation:
    """A user's annotation in the project export, its status the export's state where it
    gives one (see the module docstring)."""
    state = user_states(path.parent.parent.parent / PROJECT_FILE).get((document, user))
    if state in _STATUSES:
        return Annotation(user, spans, status=_STATUSES[state])
    if spans:
        return Annotation(user, spans)
    return Annotation(user, spans, status="in_progress", status_unknown=True)


def user_states(project_file: Path) -> dict[tuple[str, str], str]:
    """(document, user) -> INCEpTION's state, from the export's ``exportedproject.json``;
    none where it is not there or cannot be read (the files are read without it)."""
    try:
        stat = project_file.stat()
    except OSError:
        return {}
    return _read_states(str(project_file), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)  # (read once for the files of all its documents, in both passes)
def _read_states(project_file: str, _mtime: int, _size: int) -> dict[tuple[str, str], str]:
    try:
        with open(project_file, encoding="utf-8-sig") as file:
            project = json.load(file)
    except (OSError, ValueError):
        return {}
    documents = project.get("annotation_documents") if isinstance(project, dict) else None
    states = {}
    for entry in documents if isinstance(documents, list) else []:
        if isinstance(entry, dict) and all(
            isinstance(entry.get(key), str) for key in ("name", "user", "state")
        ):
            states[(entry["name"], entry["user"])] = entry["state"]
    return states
