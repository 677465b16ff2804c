"""Reading a whole project for ``annotator merge``: its articles, spans, statuses, events
and the rest, keyed by the article's text hash (row ids belong to one project file).

Inputs are opened by the rules of ``opening.open_for_reading``, as ``Store`` opens a project
it may not write: a read-only file, folder or medium, another program's database, a newer
project, each with its message, and every input stays byte for byte as it was, with no
``-wal`` or ``-shm`` file left beside it. A project of an older version is read from an
upgraded copy in the temporary folder.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from sqlite_utils import Database

from annotator.core.model import Label
from annotator.storage import opening
from annotator.storage.base import GUIDELINES_SETTING
from annotator.storage.connections import opening_error
from annotator.storage.errors import NewerDatabaseError, NotAProject, StorageError
from annotator.storage.merging_claims import ClaimContent, read_claim_content
from annotator.storage.migrations import migrations
from annotator.storage.store import Store
from annotator.storage.suggested_names import suggested_names


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    text_hash: str
    title: str
    text: str
    source: str
    url: str
    published: str
    meta: str  # JSON, as stored
    imported_at: str


@dataclass(frozen=True, slots=True)
class SuggestionRecord:
    start: int
    end: int
    label: str
    score: float | None
    kb_id: str = ""  # the linker's answer (``0009_entity_links``)
    link_status: str = ""
    link_note: str = ""


#: A span as stored, without its article and annotator: (start, end, label, origin,
#: created_at, updated_at, kb_id, link_status). A plain tuple, straight from SQLite: a
#: project holds millions.
SpanRecord = tuple[int, int, str, str, str, str, str, str]
#: A span an annotator rejected (Prodigy's "reject"): (start, end, label).
NegativeRecord = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class StatusRecord:
    status: str
    seconds_active: float
    comment: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class EventRecord:
    ts: str
    annotator: str
    text_hash: str | None  # the article's, or None for an event about no article
    action: str
    payload: str  # JSON, as stored


@dataclass
class ProjectContent:
    """Everything of a project that merging carries over, keyed by text hash and annotator."""

    path: Path
    labels: list[Label] = field(default_factory=list)
    articles: dict[str, ArticleRecord] = field(default_factory=dict)
    suggestions: dict[tuple[str, str], list[SuggestionRecord]] = field(default_factory=dict)
    # (text hash, model) -> when: every article a model ran on, suggestions or not.
    preannotated: dict[tuple[str, str], str] = field(default_factory=dict)
    spans: dict[tuple[str, str], list[SpanRecord]] = field(default_factory=dict)
    # Relations and attribute values, their scheme, and the suggested ones.
    claims: ClaimContent = field(default_factory=ClaimContent)
    statuses: dict[tuple[str, str], StatusRecord] = field(default_factory=dict)
    # (annotator, text hash) -> the spans they rejected: part of their work, like spans.
    negatives: dict[tuple[str, str], list[NegativeRecord]] = field(default_factory=dict)
    # (text hash, format) -> what the article's tool keeps (JSON), written back on export.
    provenance: dict[tuple[str, str], str] = field(default_factory=dict)
    # The project's own actors: id -> (name, record JSON, added_by, added_at).
    actors: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)
    guidelines: str = ""  # the project's own (``GUIDELINES_SETTING``)
    #: What it calls the built-in types pre-annotation suggests (``suggested_names``)
    suggested_names: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Where its edits stood when it was read (``edit_mark``); None: no such file then.
    edits: tuple[int, int] | None = None

    def work(self) -> set[tuple[str, str]]:
        """(annotator, text hash) of every article an annotator has spans, rejections or a
        status on."""
        return set(self.spans) | set(self.statuses) | set(self.negatives)


def read_project(path: Path) -> ProjectContent:
    """Read a whole project file without writing to it (nor creating it).

    A file of an older schema is read from an upgraded temporary copy; a file of a newer
    one, or not a project at all, raises ``StorageError`` naming it.
    """
    if path.is_dir():
        raise StorageError(f"{path}: is a folder, not a project file")
    if not path.is_file():
        raise StorageError(f"{path}: no such project file")
    try:
        connection = opening.open_for_reading(path)
    except NewerDatabaseError:
        raise NewerDatabaseError(
            f"{path}: made by a newer version of annotator; upgrade the program to merge it"
        ) from None
    except NotAProject as error:
        if "annotator project" in str(error):
            raise
        detail = str(error).removeprefix(f"{path}: ").split(" (")[0]  # not how to start one
        raise NotAProject(f"{path}: not an annotator project ({detail})") from None
    try:
        if migrations.pending(Database(connection)):
            return _read_upgraded_copy(connection, path)
        return _read(connection, path)
    except sqlite3.Error as error:
        raise opening_error(error, path) from None
    finally:
        connection.close()


def _read_upgraded_copy(source: sqlite3.Connection, path: Path) -> ProjectContent:
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        try:
            target = sqlite3.connect(str(copy))
            try:
                source.backup(target)  # unlike a file copy, includes what is still in the WAL
            finally:
                target.close()
            Store(copy).close()  # brings the copy's schema up to date
        except (OSError, sqlite3.Error, StorageError) as error:
            # Said of the temporary folder: "the disk is full" was said of the input's.
            raise StorageError(
                f"{path}: made by an older version, it is read from an upgraded copy, which "
                f"could not be made in the temporary folder {folder} ({error}); free room "
                "there, or set TMPDIR to a folder with room"
            ) from None
        connection = opening.open_for_reading(copy)
        try:
            return _read(connection, path)
        finally:
            connection.close()


def edit_mark(connection: sqlite3.Connection | Database) -> tuple[int, int]:
    """Where a project's edits stand: its last event and how many there are. Every edit
    writes one (the table is append-only), so a merge tells whether OUT_DB changed after
    it was read: a window's edits meanwhile were removed with the older work they
    replaced, from a plan made on what the merge had read."""
    last, count = connection.execute("SELECT COALESCE(MAX(id), 0), COUNT(*) FROM events").fetchone()
    return int(last), int(count)


def _read(connection: sqlite3.Connection, path: Path) -> ProjectContent:
    content = ProjectContent(path, edits=edit_mark(connection))  # before: changes after count
    row = connection.execute(
        "SELECT value FROM settings WHERE key = ?", [GUIDELINES_SETTING]
    ).fetchone()
    content.guidelines = row[0] if row else ""
    content.suggested_names = suggested_names(connection)
    content.labels = [
        Label(name, kind, color or "#888888", key or "", description or "")
        for name, kind, color, key, description in connection.execute(
            "SELECT name, kind, color, key, description FROM labels ORDER BY position, name"
        )
    ]
    hashes: dict[int, str] = {}
    for row in connection.execute(
        "SELECT id, text_hash, title, text, source, url, published, meta, imported_at "
        "FROM articles ORDER BY id"
    ):
        id_, text_hash, *rest = row
        hashes[id_] = text_hash
        content.articles[text_hash] = ArticleRecord(
            text_hash, *(value if value is not None else "" for value in rest)
        )
    suggestions = defaultdict(list)
    for article_id, model, *record in connection.execute(
        'SELECT article_id, model, start, "end", label, score, kb_id, link_status, link_note '
        "FROM suggestions ORDER BY id"
    ):
        suggestions[hashes[article_id], model].append(SuggestionRecord(*record))
    content.suggestions = dict(suggestions)
    content.preannotated = {
        (hashes[article_id], model): at or ""
        for article_id, model, at in connection.execute(
            "SELECT article_id, model, at FROM preannotated"
        )
    }
    rows = connection.execute(
        'SELECT article_id, annotator, start, "end", label, origin, created_at, updated_at, '
        "kb_id, link_status FROM spans ORDER BY article_id, annotator, id"  # an index's order
    )
    content.spans = {
        (annotator, hashes[article_id]): [row[2:] for row in group]
        for (article_id, annotator), group in groupby(rows, key=itemgetter(0, 1))
    }
    content.claims = read_claim_content(connection, hashes)
    for article_id, annotator, status, seconds, comment, updated in connection.execute(
        "SELECT article_id, annotator, status, seconds_active, comment, updated_at "
        "FROM article_status"
    ):
        content.statuses[annotator, hashes[article_id]] = StatusRecord(
            status, seconds or 0.0, comment or "", updated or ""
        )
    negatives = defaultdict(list)
    for article_id, annotator, *negative in connection.execute(
        'SELECT article_id, annotator, start, "end", label FROM known_negatives '
        'ORDER BY article_id, annotator, start, "end", label'
    ):
        negatives[annotator, hashes[article_id]].append(tuple(negative))
    content.negatives = dict(negatives)
    content.provenance = {
        (hashes[article_id], name): record
        for article_id, name, record in connection.execute(
            "SELECT article_id, format, record FROM provenance"
        )
    }
    content.actors = {
        kb_id: (name, record, added_by or "", added_at or "")
        for kb_id, name, record, added_by, added_at in connection.execute(
            "SELECT id, name, record, added_by, added_at FROM kb_actors"
        )
    }
    content.events = [
        EventRecord(ts, annotator, hashes.get(article_id), action, payload)
        for ts, annotator, article_id, action, payload in connection.execute(
            "SELECT ts, annotator, article_id, action, payload FROM events ORDER BY id"
        )
    ]
    return content
