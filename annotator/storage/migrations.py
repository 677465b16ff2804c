"""The schema, as a numbered chain of sqlite-utils migrations applied on open."""

from __future__ import annotations

import re

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from annotator.core.model import DEFAULT_LABELS
from annotator.storage.claim_schema import add_claim_schema

MIGRATION_SET = "annotator"
migrations = Migrations(MIGRATION_SET)


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    db.table("articles").create(
        {
            "id": int,
            "text_hash": str,
            "title": str,
            "text": str,
            "source": str,
            "url": str,
            "published": str,
            "meta": str,
            "imported_at": str,
        },
        pk="id",
        not_null={"text_hash", "text"},
        defaults={"title": "", "source": "", "url": "", "published": "", "meta": "{}"},
    )
    db.table("articles").create_index(["text_hash"], unique=True)
    db.table("articles").enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True)

    db.table("labels").create(
        {
            "name": str,
            "kind": str,
            "color": str,
            "key": str,
            "description": str,
            "position": int,
        },
        pk="name",
        not_null={"kind"},
    )
    db.table("labels").insert_all(
        {
            "name": label.name,
            "kind": label.kind,
            "color": label.color,
            "key": label.key,
            "description": label.description,
            "position": position,
        }
        for position, label in enumerate(DEFAULT_LABELS)
    )

    db.table("suggestions").create(
        {
            "id": int,
            "article_id": int,
            "start": int,
            "end": int,
            "label": str,
            "model": str,
            "score": float,
        },
        pk="id",
        not_null={"article_id", "start", "end", "label", "model"},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("suggestions").create_index(["article_id", "model"])

    db.table("spans").create(
        {
            "id": int,
            "article_id": int,
            "annotator": str,
            "start": int,
            "end": int,
            "label": str,
            "origin": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"article_id", "annotator", "start", "end", "label", "origin"},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("spans").create_index(["article_id", "annotator"])
    db.table("spans").create_index(["annotator"])

    db.table("article_status").create(
        {
            "article_id": int,
            "annotator": str,
            "status": str,
            "seconds_active": float,
            "comment": str,
            "updated_at": str,
        },
        pk=("article_id", "annotator"),
        not_null={"status"},
        defaults={"status": "todo", "seconds_active": 0.0, "comment": ""},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("article_status").create_index(["annotator", "status"])

    db.table("events").create(
        {
            "id": int,
            "ts": str,
            "annotator": str,
            "article_id": int,
            "action": str,
            "payload": str,
        },
        pk="id",
    )
    db.table("events").create_index(["article_id", "annotator"])

    # Small key/value facts about the project (which pipeline pre-annotated it, ...).
    db.table("settings").create({"key": str, "value": str}, pk="key")


@migrations(name="0002_preannotated")
def preannotated(db: Database) -> None:
    """Which model pre-annotated which article, even where it suggested nothing: without
    it an article with no suggestion would be pre-annotated again on every run."""
    db.table("preannotated").create(
        {"article_id": int, "model": str, "at": str},
        pk=("article_id", "model"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.execute(
        "INSERT INTO preannotated (article_id, model, at) "
        "SELECT DISTINCT article_id, model, '' FROM suggestions"
    )


@migrations(name="0003_token_cache")
def token_cache(db: Database) -> None:
    """Each article's token boundaries, so that exports need not tokenize every text
    again (``annotator.storage.token_cache``)."""
    db.table("token_cache").create(
        {"article_id": int, "tokenizer": str, "tokens": bytes},
        pk="article_id",
        not_null={"tokenizer", "tokens"},
        foreign_keys=[("article_id", "articles", "id")],
    )


@migrations(name="0004_spans_by_annotator")
def spans_by_annotator(db: Database) -> None:
    """An annotator's spans on a range of articles, in order, from the index alone (as
    exports read them, 2 million at a time); it takes over the annotator-only index."""
    db.execute("DROP INDEX IF EXISTS idx_spans_annotator")
    db.table("spans").create_index(["annotator", "article_id", "start", "end", "label"])


@migrations(name="0005_span_identities")
def span_identities(db: Database) -> None:
    """Span ids are never given twice: ``spans.id`` becomes ``AUTOINCREMENT``.

    Without it SQLite gives a new span the largest id plus one, so deleting the newest span
    and adding another reused its id, and an undo stack holding that id (another window's)
    reached the wrong span. The table is rebuilt keeping every row and id, its indexes and
    its foreign key; the counter starts above every id the table or the event log has held.
    """
    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'spans'")
    create, count = re.subn(
        r'("id"|\[id\]|\bid\b)(\s+INTEGER\s+PRIMARY\s+KEY)\b(?!\s+AUTOINCREMENT)',
        r"\1\2 AUTOINCREMENT",
        sql[0],
        count=1,
    )
    if count != 1:
        raise RuntimeError(f"unexpected schema of spans: {sql[0]}")
    indexes = [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans' "
            "AND sql IS NOT NULL"
        )
    ]
    columns = ", ".join(f'"{name}"' for name in db.table("spans").columns_dict)
    db.execute("ALTER TABLE spans RENAME TO spans_before_0005")
    db.execute(create)
    db.execute(f"INSERT INTO spans ({columns}) SELECT {columns} FROM spans_before_0005")
    db.execute("DROP TABLE spans_before_0005")
    for index in indexes:
        db.execute(index)
    # Ids that left the table (deleted spans, whose ids undo stacks and events still hold).
    logged = db.execute(
        """
        SELECT MAX(id) FROM (
            SELECT MAX(id) AS id FROM spans
            UNION ALL SELECT MAX(CAST(json_extract(payload, '$.id') AS INTEGER)) FROM events
             WHERE action IN ('add_span', 'delete_span')
            UNION ALL SELECT MAX(CAST(json_extract(payload, '$.after.id') AS INTEGER)) FROM events
             WHERE action = 'update_span'
            UNION ALL SELECT MAX(CAST(json_extract(value, '$.id') AS INTEGER))
              FROM events, json_each(events.payload, '$.spans')
             WHERE json_valid(events.payload) AND json_type(events.payload, '$.spans') = 'array'
        )
        """
    ).fetchone()[0]
    db.execute("DELETE FROM sqlite_sequence WHERE name = 'spans'")
    db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('spans', ?)", [logged or 0])


@migrations(name="0008_provenance_and_negatives")
def provenance_and_negatives(db: Database) -> None:
    """What imports keep beside the annotations: each article's fields of the tool it came
    from, written back on export (``provenance``: Label Studio task ids and control names,
    Prodigy hashes, brat file names, doccano comments); and the spans an annotator rejected
    (``known_negatives``: Prodigy's ``"answer": "reject"``), which are never annotations."""
    db.table("provenance").create(
        {"article_id": int, "format": str, "record": str},
        pk=("article_id", "format"),
        not_null={"record"},
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("known_negatives").create(
        {"article_id": int, "annotator": str, "start": int, "end": int, "label": str},
        pk=("article_id", "annotator", "start", "end", "label"),
        foreign_keys=[("article_id", "articles", "id")],
    )


@migrations(name="0009_entity_links")
def entity_links(db: Database) -> None:
    """What spans refer to: a knowledge-base entry on each span and suggestion (``kb_id``:
    ``geonames:168519``, ``wikidata:Q…``, ``annotator:…``, ``project:…``; empty for none) and
    how the linker judged it (``link_status``: linked, ambiguous, unknown, generic; empty when
    never linked); on suggestions, the linker's note ("name used 2012–2016"). ``kb_actors``
    holds the actors a project adds to the shipped knowledge base, one JSON record each."""
    for table in ("spans", "suggestions"):
        db.table(table).add_column("kb_id", str, not_null_default="")
        db.table(table).add_column("link_status", str, not_null_default="")
    db.table("suggestions").add_column("link_note", str, not_null_default="")
    db.table("kb_actors").create(
        {"id": str, "name": str, "record": str, "added_by": str, "added_at": str},
        pk="id",
        not_null={"name", "record"},
    )


@migrations(name="0010_claim_relations")
def claim_relations(db: Database) -> None:
    """Who claims what: relations and attribute values (``claim_schema.add_claim_schema``)."""
    add_claim_schema(db)


@migrations(name="0011_assignments")
def assignments(db: Database) -> None:
    """Which articles a lead gave to which annotator (``assignments.py``); an annotator with
    none is given nothing in particular and works on every article."""
    db.table("assignments").create(
        {"article_id": int, "annotator": str},
        pk=("article_id", "annotator"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("assignments").create_index(["annotator"])


def known_migration_names() -> list[str]:
    # Everything pending on an empty database is every migration this program knows.
    return [m.name for m in migrations.pending(Database(memory=True))]
