"""A small project whose articles are hard on offsets: emoji (ZWJ sequences, flags), Arabic,
combining marks and CRLF line endings, annotated with entities and nested claims."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.model import Article, Span
from annotator.formats.importer import import_paths
from annotator.storage import Store

# (raw text as a file would hold it, [(label, piece of text, which occurrence)])
TRICKY = [
    (
        "Government forces 🇸🇾 shelled Idlib on Monday, activists said.\r\n"
        "The Nusra Front claimed it downed a drone 👨‍👩‍👧 near Saraqib.",
        [
            ("FACTION", "Government forces", 0),
            ("LOCATION", "Idlib", 0),
            ("FACTION", "Nusra Front", 0),
            ("LOCATION", "Saraqib", 0),
            ("CLAIM", "it downed a drone 👨‍👩‍👧 near Saraqib", 0),
            ("CLAIM", "Government forces 🇸🇾 shelled Idlib on Monday", 0),
        ],
    ),
    (
        "قالت هيئة تحرير الشام إنها سيطرت على سراقب في ريف إدلب.",
        [
            ("FACTION", "هيئة تحرير الشام", 0),
            ("LOCATION", "سراقب", 0),
            ("LOCATION", "إدلب", 0),
            ("CLAIM", "إنها سيطرت على سراقب في ريف إدلب", 0),
        ],
    ),
    (
        "Le maire de Bamako a de\u0301clare\u0301 que les forces maliennes "
        "contro\u0302lent Kidal.\r\n\r\nLe CSP a dit que l'arme\u0301e ment, "
        "et que l'arme\u0301e a dit que Kidal e\u0301tait tombe\u0301e.",
        [
            ("LOCATION", "Bamako", 0),
            ("FACTION", "forces maliennes", 0),
            ("LOCATION", "Kidal", 0),
            ("CLAIM", "les forces maliennes contro\u0302lent Kidal", 0),
            ("FACTION", "CSP", 0),
            # attribution inside attribution: a claim nested in a claim
            (
                "CLAIM",
                "l'arme\u0301e ment, et que l'arme\u0301e a dit que Kidal e\u0301tait tombe\u0301e",
                0,
            ),
            ("CLAIM", "Kidal e\u0301tait tombe\u0301e", 0),
            ("LOCATION", "Kidal", 1),
        ],
    ),
]


def locate(text: str, piece: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(piece, start + 1)
    return start, start + len(piece)


def tricky_records() -> list[dict]:
    """Prodigy-style records whose offsets count ``\\r\\n`` as two characters, as files do."""
    records = []
    for raw, marks in TRICKY:
        spans = []
        for label, piece, occurrence in marks:
            start, end = locate(raw, piece, occurrence)
            spans.append({"start": start, "end": end, "label": label, "text": piece})
        records.append({"text": raw, "title": raw.split("\r\n")[0][:40], "spans": spans})
    return records


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def spans_by_text(store: Store, annotator: str) -> dict[str, set[tuple[int, int, str]]]:
    return {
        article.text: {span.key for span in store.spans(article.id, annotator)}
        for article in store.iter_articles()
    }


@pytest.fixture
def done(store: Store) -> Store:
    """One article, done by ana ("Kidal" a LOCATION)."""
    (article_id,) = store.add_articles([Article("Rebels took Kidal.")]).ids
    store.replace_spans(article_id, "ana", [Span(12, 17, "LOCATION")])
    store.set_status(article_id, "ana", "done")
    return store


@pytest.fixture
def tricky(tmp_path: Path) -> Store:
    """The tricky articles imported as alice's finished annotations."""
    source = write_jsonl(tmp_path / "tricky.jsonl", tricky_records())
    with Store() as store:
        import_paths(store, [source], annotator="alice")
        yield store
