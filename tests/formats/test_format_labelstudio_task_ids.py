"""Label Studio task ids in an export: one task one id (scripts join an export to its tasks
by id), an imported task's own id kept where no other task has it."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core import Article
from annotator.formats.exporter import export_project
from annotator.formats.importer import import_paths
from annotator.storage import Store

OWN = ["Rebels shelled Idlib on Monday.", "Clashes were reported near Aleppo."]


def ls_tasks(path: Path, *tasks: tuple[int, str]) -> Path:
    """Label Studio's export of tasks (id, text), each annotated with nothing."""
    path.write_text(
        json.dumps([
            {"id": task_id, "data": {"text": text}, "annotations": [{"id": 1, "result": []}]}
            for task_id, text in tasks
        ]),
        encoding="utf-8",
    )  # fmt: skip
    return path


def task_ids(path: Path) -> dict[str, object]:
    """Text -> id of each task of a Label Studio export."""
    return {task["data"]["text"]: task["id"] for task in json.loads(path.read_text("utf-8"))}


def test_an_imported_task_keeps_its_id_and_the_projects_own_article_of_that_id_moves(tmp_path):
    """An imported task "id": 1 and the project's own article 1 were both written as id 1."""
    with Store(tmp_path / "p.db") as store:
        store.add_articles(Article(text) for text in OWN)
        import_paths(store, [ls_tasks(tmp_path / "tasks.json", (1, "Army jets bombed Nyala."))])
        report = export_project(store, tmp_path / "out.json", "labelstudio", status="all")
    ids = task_ids(tmp_path / "out.json")
    assert ids == {"Army jets bombed Nyala.": 1, OWN[1]: 2, OWN[0]: 4}  # (3: the import's)
    assert any(
        note.startswith("1 article of the project's own written under new task ids")
        for note in report.notes
    )


def test_two_imported_tasks_of_one_id_get_two_ids_the_first_keeping_its_own(tmp_path):
    """Two Label Studio projects' exports, both with a task 7."""
    with Store(tmp_path / "p.db") as store:
        import_paths(store, [ls_tasks(tmp_path / "a.json", (7, "Army jets bombed Nyala."))])
        import_paths(store, [ls_tasks(tmp_path / "b.json", (7, "Rebels took Gao."))])
        report = export_project(store, tmp_path / "out.json", "labelstudio", status="all")
        parts = export_project(
            store, tmp_path / "split", "labelstudio", status="all", split=(0.5, 0.5)
        )
    assert task_ids(tmp_path / "out.json") == {"Army jets bombed Nyala.": 7, "Rebels took Gao.": 8}
    assert any(
        note.startswith("1 imported Label Studio task written under new task ids")
        for note in report.notes
    )
    # one id a task across a split's parts too
    split_ids = [task_id for part in parts.outputs.values() for task_id in task_ids(part).values()]
    assert sorted(split_ids) == [7, 8]
