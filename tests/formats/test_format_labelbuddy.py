"""labelbuddy's export is read as labelbuddy writes it: code-point offsets, its metadata and
each span's extra_data kept, told from Label Studio's tasks without --format."""

from __future__ import annotations

import hashlib
import json

import pytest

from annotator.formats import FormatError, detect_format
from annotator.formats.importer import import_paths

TEXT = "Wagner fighters withdrew from Bakhmut, Prigozhin said in a video 🎥."


def annotation(piece: str, label: str, extra_data: str | None = None) -> dict:
    start = TEXT.index(piece)
    return {
        "start_char": start,
        "end_char": start + len(piece),
        "utf8_start_byte": len(TEXT[:start].encode()),
        "utf8_end_byte": len(TEXT[: start + len(piece)].encode()),
        "label_name": label,
        "extra_data": extra_data,
    }


DOCUMENT = {
    "text": TEXT,
    "metadata": {"source": "telegram", "channel": "grey_zone"},
    "display_title": "Wagner",
    "list_title": "Wagner",
    "utf8_text_md5_checksum": hashlib.md5(TEXT.encode()).hexdigest(),
    "annotation_approver": "ana",
    "annotations": [
        annotation("Wagner fighters", "FACTION"),
        annotation("Bakhmut", "LOCATION", "geonames:?"),
        annotation("Prigozhin", "SOURCE"),
    ],
}


@pytest.mark.parametrize("name", ["export.jsonl", "export.json"])
def test_labelbuddy_exports_are_read_without_format(store, tmp_path, name):
    path = tmp_path / name
    content = json.dumps(DOCUMENT) + "\n" if name.endswith("l") else json.dumps([DOCUMENT])
    path.write_text(content, encoding="utf-8")
    assert detect_format(path).name == "labelbuddy"
    import_paths(store, [path])  # ('annotation 1 has no "result"', as Label Studio's)
    (article_id,) = store.article_ids()
    article = store.article(article_id)
    spans = [(s.label, article.text[s.start : s.end]) for s in store.spans(article_id, "ana")]
    assert spans == [
        ("FACTION", "Wagner fighters"),
        ("LOCATION", "Bakhmut"),
        ("SOURCE", "Prigozhin"),
    ]
    assert (article.title, article.source) == ("Wagner", "telegram")
    start = TEXT.index("Bakhmut")
    assert article.meta == {
        "channel": "grey_zone",
        "labelbuddy_extra_data": [
            {"start": start, "end": start + 7, "label": "LOCATION", "extra_data": "geonames:?"}
        ],
    }


def test_labelbuddy_given_as_prodigy_tasks_is_refused_not_made_metadata(store, tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(DOCUMENT) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match="holds labelbuddy's spans.*give --format labelbuddy"):
        import_paths(store, [path], format_name="jsonl")


def test_a_text_changed_since_labelbuddy_counted_its_offsets_is_refused(store, tmp_path):
    path = tmp_path / "export.jsonl"
    changed = {**DOCUMENT, "text": TEXT.replace("Wagner", "Vagner")}
    path.write_text(json.dumps(changed) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match="MD5 is not its utf8_text_md5_checksum"):
        import_paths(store, [path])
