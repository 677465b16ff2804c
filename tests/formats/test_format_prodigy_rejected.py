"""Rejected spans in the JSON Lines export carry the tokens they cover, as accepted ones do:
Prodigy's manual views need ``token_start`` and ``token_end`` on every span."""

from __future__ import annotations

import json

from annotator.formats.exporter import export_project
from annotator.formats.importer import import_paths
from annotator.storage import Store

TEXT = "Rebels shelled Saraqib on Tuesday, and took Idlibville."


def test_a_rejected_span_is_written_with_the_tokens_it_covers(tmp_path):
    """ "Saraqib" and "Tuesday" rejected were written without token indices."""
    spans = [
        {"start": 0, "end": 6, "label": "FACTION"},
        {"start": 15, "end": 22, "label": "LOCATION", "answer": "reject"},
        {"start": 26, "end": 33, "label": "LOCATION", "answer": "reject"},
        {"start": 44, "end": 49, "label": "LOCATION", "answer": "reject"},  # 'Idlib' of a token
    ]
    decisions = tmp_path / "teach.jsonl"
    task = {"text": TEXT, "answer": "accept", "spans": spans}
    decisions.write_text(json.dumps(task) + "\n", encoding="utf-8")
    with Store(tmp_path / "p.db") as store:
        import_paths(store, [decisions], annotator="dan")
        report = export_project(store, tmp_path / "out.jsonl", "jsonl")
    (written,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    tokens = [token["text"] for token in written["tokens"]]
    covered = {
        (TEXT[s["start"] : s["end"]], s.get("answer")): " ".join(
            tokens[s["token_start"] : s["token_end"] + 1]
        )
        for s in written["spans"]
    }
    assert covered == {
        ("Rebels", None): "Rebels",
        ("Saraqib", "reject"): "Saraqib",
        ("Tuesday", "reject"): "Tuesday",
        ("Idlib", "reject"): "Idlibville",
    }
    # the one off token boundaries is listed as written not exactly, not as not written
    assert report.changed == {
        (
            "LOCATION",
            "rejected, not on token boundaries: token indices cover the tokens it touches",
        ): 1
    }
    assert not report.omitted
    assert not [note for note in report.notes if "rejected spans are not written" in note]
