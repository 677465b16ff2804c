"""INCEpTION's project export: a user's file is written once they open the document, so one
with no span is imported in progress and named in the report; the export's
``exportedproject.json`` gives each user's state, where it is beside ``annotation/``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from annotator.formats.importer import import_paths

PROJECT = Path(__file__).parent / "webanno" / "project"


def project_with_carol(tmp_path: Path) -> Path:
    """The test project, and carol, who opened the document and marked nothing."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    documents = root / "annotation" / "kyiv.txt"
    shutil.copy(documents / "INITIAL_CAS.tsv", documents / "carol.tsv")
    return root


def statuses(store) -> dict[str, str]:
    (article,) = store.iter_articles()
    return {who: store.status(article.id, who).status for who in ("alice", "bob", "carol", "gold")}


def test_a_user_file_with_no_span_is_in_progress_and_named(store, tmp_path):
    root = project_with_carol(tmp_path)
    report = import_paths(store, [root / "annotation", root / "curation"])
    # (stored done, "an article without entities", with doccano's and Label Studio's advice)
    assert statuses(store) == {
        "alice": "done",
        "bob": "done",
        "carol": "in_progress",
        "gold": "done",
    }
    summary = "\n".join(report.summary_lines())
    assert "1 annotation of INCEpTION with no span imported in progress" in summary
    assert "(the project export holds it): carol's kyiv.txt" in summary
    assert "doccano" not in summary


def test_the_exports_states_are_the_statuses(store, tmp_path):
    root = project_with_carol(tmp_path)
    states = [("alice", "FINISHED"), ("bob", "IN_PROGRESS"), ("carol", "FINISHED")]
    (root / "exportedproject.json").write_text(
        json.dumps(
            {
                "name": "kyiv",
                "annotation_documents": [
                    {"name": "kyiv.txt", "user": user, "state": state, "timestamp": None}
                    for user, state in states
                ],
            }
        ),
        encoding="utf-8",
    )
    (root / "source").mkdir()  # the document as uploaded: annotation/ holds its text
    (root / "source" / "kyiv.txt").write_text("Russian drones struck Kyiv overnight.")
    # the whole export, its exportedproject.json and source/ beside annotation/ (not read
    # as articles: 'record has no "text" string', and the source a second article)
    report = import_paths(store, [root])
    assert store.article_count() == 1
    assert statuses(store) == {
        "alice": "done",
        "bob": "in_progress",
        "carol": "done",
        "gold": "done",
    }
    assert report.opened_only == [] and report.unfinished == {"in_progress": 1}
