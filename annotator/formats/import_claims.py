"""What an import's first pass remembers of each (text, annotator) the files annotate: where
it first comes, a digest of its spans, and each span's last accept-or-reject decision
(Prodigy's binary answers), kept in a temporary SQLite file so that memory does not grow
with the files."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from annotator.formats.base import Annotation


class Claims:
    """Each (text, annotator) the files annotate, where first, with a digest of its spans.

    Kept in a temporary SQLite file rather than in memory, so that memory does not grow
    with the number of articles in the files.
    """

    def __init__(self) -> None:
        self.db = sqlite3.connect("")  # a private temporary file, removed when closed
        self.db.execute(
            "CREATE TABLE claims (key BLOB PRIMARY KEY, file INTEGER, item INTEGER, "
            "place TEXT, spans BLOB, merge INTEGER, named TEXT) WITHOUT ROWID"
        )
        # Each (text, annotator)'s last answer on each span it decided (accept or reject),
        # whether an earlier answer said otherwise, and where (file, item) it was given.
        self.db.execute(
            'CREATE TABLE decisions (key BLOB, start INTEGER, "end" INTEGER, label TEXT, '
            "accepted INTEGER, contradicted INTEGER, file INTEGER, item INTEGER, "
            'PRIMARY KEY (key, start, "end", label)) WITHOUT ROWID'
        )

    def claim(self, key: bytes, value: tuple[int, int, str, bytes, bool, str]) -> tuple | None:
        """Record ``value`` (file, item, place, spans' digest, merge?, the name the file
        gives) for ``key`` if it is the first; else the first one's value."""
        if self.db.execute("INSERT OR IGNORE INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (key, *value)).rowcount:  # fmt: skip
            return None
        return self.db.execute(
            "SELECT file, item, place, spans, merge, named FROM claims WHERE key = ?", (key,)
        ).fetchone()

    def supersede(self, key: bytes, value: tuple[int, int, str, bytes, bool, str]) -> None:
        """The record at ``value`` is the key's version now (a later one of the annotator)."""
        self.db.execute(
            "UPDATE claims SET file = ?, item = ?, place = ?, spans = ?, merge = ?, named = ? "
            "WHERE key = ?",
            (*value, key),
        )

    def first(self, key: bytes) -> tuple[int, int]:
        """(file, item) of the key's record to write: its first, or the later one that
        superseded it."""
        return self.db.execute("SELECT file, item FROM claims WHERE key = ?", (key,)).fetchone()

    def decide(
        self, key: bytes, span: tuple[int, int, str], accepted: bool, position: tuple[int, int]
    ) -> bool:
        """Record an answer on a span given at ``position`` (file, item), the latest
        standing; True the first time an answer contradicts an earlier one (a span counted
        once, however often it changed)."""
        where = (key, *span)
        row = self.db.execute(
            "SELECT accepted, contradicted FROM decisions "
            'WHERE key = ? AND start = ? AND "end" = ? AND label = ?',
            where,
        ).fetchone()
        contradicts = row is not None and bool(row[0]) != accepted
        self.db.execute(
            "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*where, accepted, contradicts or (row is not None and row[1]), *position),
        )
        return contradicts and not row[1]

    def latest(self, key: bytes, annotation: Annotation, position: tuple[int, int]) -> Annotation:
        """The decisions of the record at ``position`` that are their span's last: an answer
        a later record changed is dropped (an accepted span rejected afterwards is a known
        negative only, and the other way round), and one a later record repeats is left to
        it, so that the span is stored once."""
        last: dict[tuple[int, int, str], tuple[bool, bool]] = {}  # span -> (accepted, here)
        for span in (*annotation.spans, *annotation.negatives):
            row = self.db.execute(
                "SELECT accepted, file, item FROM decisions WHERE key = ? AND start = ? "
                'AND "end" = ? AND label = ?',
                (key, *span.key),
            ).fetchone()
            if row is not None:
                last[span.key] = (bool(row[0]), (row[1], row[2]) == position)
        spans = [s for s in annotation.spans if last.get(s.key, (True, True)) == (True, True)]
        negatives = [
            s for s in annotation.negatives if last.get(s.key, (False, True)) == (False, True)
        ]
        if len(spans) == len(annotation.spans) and len(negatives) == len(annotation.negatives):
            return annotation
        kept = {span.key for span in spans}
        return replace(
            annotation,
            spans=spans,
            negatives=negatives,
            relations=[r for r in annotation.relations if {r.head.key, r.child.key} <= kept],
            attributes=[a for a in annotation.attributes if a.span.key in kept],
        )
