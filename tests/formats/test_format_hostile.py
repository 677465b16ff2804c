"""Hostile and broken files, for every reader: a clean import, or a one-line refusal that
leaves the project byte for byte as it was (hypothesis; few examples here, many in
``bench/fuzz_readers.py``)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.formats.hostile import READERS, attempt, files, new_project

EXAMPLES = 20  # per reader: the suite runs on two shared cores


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return new_project(tmp_path_factory.mktemp("template"))


@pytest.mark.parametrize("reader", READERS)
def test_every_reader_imports_cleanly_or_refuses_in_one_line_leaving_the_project(reader, template):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(content=files(reader))
    def check(content):
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "project.db"
            shutil.copyfile(template, db)
            assert attempt(reader, content, Path(folder), db) in ("imported", "refused")

    check()


def _task(*results, prediction=None) -> bytes:
    import json

    task = {"id": 1, "data": {"text": "Government forces shelled Aleppo."}}
    task["annotations"] = [{"result": results[0] if len(results) == 1 else list(results)}]
    if prediction is not None:
        task["predictions"] = [{"result": prediction}]
    return json.dumps([task]).encode()


LABELS = {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
          "value": {"start": 26, "end": 32, "labels": ["LOCATION"]}}  # fmt: skip


@pytest.mark.parametrize(
    "content",
    [
        _task(True),  # "result": true
        _task([LABELS], prediction=5),  # a prediction's "result" a number
        # a kb_id text area whose region id is a list
        _task(LABELS, {"id": ["r1"], "from_name": "kb_id", "to_name": "text",
                       "type": "textarea", "value": {"text": ["geonames:170063"]}}),
    ],
    ids=["result-true", "prediction-result-number", "kb-id-of-a-list"],
)  # fmt: skip
def test_label_studio_fields_of_the_wrong_type_are_no_traceback(content, template, tmp_path):
    """Found by fuzzing: TypeErrors ("'bool' object is not iterable", "unhashable type")
    came out as tracebacks, and as "Unexpected error" in the window."""
    db = tmp_path / "project.db"
    shutil.copyfile(template, db)
    assert attempt("labelstudio", {"tasks.json": content}, tmp_path, db) in ("imported", "refused")


@pytest.mark.parametrize(
    ("label", "refused"),
    [("LOC\nX", True), ("LOC\tX", True), ("LOC\u200b", True), ("L" * 201, True),
     ("Named Entity", False), ("L" * 41, False)],
)  # fmt: skip
def test_an_imported_label_with_a_line_break_or_of_no_length_is_refused(label, refused, tmp_path):
    """Such labels were imported and printed raw across lines (or 100 KB of one) in the
    summary; spaces stay allowed, as other tools use them ("Weapon type")."""
    import json

    from annotator.cli import main

    source = tmp_path / "spans.jsonl"
    record = {"text": "Fighting in Aleppo.", "spans": [{"start": 12, "end": 18, "label": label}]}
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "p.db"), str(source), "--no-preannotate"]) == (
        1 if refused else 0
    )
