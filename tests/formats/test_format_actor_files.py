"""The project's own actors go beside an export whose links name them, and come back."""

from __future__ import annotations

import json

import pytest

from annotator.core.model import Article, Span
from annotator.formats import get_format
from annotator.formats.exporter import export_project
from annotator.formats.importer import import_paths
from annotator.storage import Store
from annotator.storage.links import add_project_actor, project_actors

BRIGADE = {"id": "project:valley-brigade", "name": "Valley Brigade", "countries": ["SY"]}


@pytest.fixture
def linked(tmp_path) -> Store:
    """An article whose FACTION span refers to an actor the project added."""
    store = Store(tmp_path / "p.db")
    add_project_actor(store, BRIGADE, "ana")
    (article,) = store.add_articles([Article("The Valley Brigade shelled Idlib.")]).ids
    store.replace_annotations(article, "ana", [Span(4, 18, "FACTION", kb_id=BRIGADE["id"])])
    store.set_status(article, "ana", "done")
    return store


@pytest.mark.parametrize(
    ("format_name", "split"), [("jsonl", None), ("spacy", None), ("brat", None), ("jsonl", (1.0,))]
)
def test_an_export_that_links_to_project_actors_writes_them_beside_it(
    linked, tmp_path, format_name, split
):
    out = tmp_path / ("out" + ("" if split else get_format(format_name).suffix))
    report = export_project(linked, out, format_name, split=split)
    folder = split is not None or format_name == "brat"
    expected = out / "actors.jsonl" if folder else tmp_path / f"{out.name}.actors.jsonl"
    assert report.actors_path == expected and report.to_dict()["actors_path"] == str(expected)
    lines = expected.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [BRIGADE]
    assert any("1 of the project's own actors" in note for note in report.notes)
    assert not list(tmp_path.rglob("*.partial"))


@pytest.mark.parametrize("format_name", ["jsonl", "brat", "labelstudio"])
def test_the_actors_come_back_with_the_links_that_name_them(linked, tmp_path, format_name):
    out = tmp_path / f"out{get_format(format_name).suffix}"
    export_project(linked, out, format_name)
    other = Store(tmp_path / "other.db")
    report = import_paths(other, [out])
    assert report.added == 1 and report.actors_added == 1
    assert project_actors(other) == [BRIGADE]
    (article,) = other.article_ids()
    (who,) = other.annotators()  # brat names nobody: "imported"
    assert [span.kb_id for span in other.spans(article, who)] == [BRIGADE["id"]]
    assert "1 project actor added from the export's actors file" in " ".join(report.summary_lines())
    # Into a project that has its own record under that id: the project's is kept, said.
    mine = Store(tmp_path / "mine.db")
    add_project_actor(mine, {**BRIGADE, "countries": ["LB"]}, "ben")
    report = import_paths(mine, [out])
    assert (report.actors_added, report.actors_differing) == (0, 1)
    assert project_actors(mine)[0]["countries"] == ["LB"]


def test_no_actors_file_without_a_link_to_one_and_a_stale_one_goes(linked, tmp_path):
    out = tmp_path / "out.jsonl"
    export_project(linked, out, "jsonl")
    assert (tmp_path / "out.jsonl.actors.jsonl").is_file()
    (article,) = linked.article_ids()
    linked.replace_annotations(article, "ana", [Span(4, 18, "FACTION")])  # the link taken off
    report = export_project(linked, out, "jsonl")
    assert report.actors == 0 and report.actors_path is None
    assert not (tmp_path / "out.jsonl.actors.jsonl").exists()  # it described the last export
    # CoNLL holds no links: no actors beside it either
    linked.replace_annotations(article, "ana", [Span(4, 18, "FACTION", kb_id=BRIGADE["id"])])
    export_project(linked, tmp_path / "out.conll", "conll")
    assert not (tmp_path / "out.conll.actors.jsonl").exists()


def test_a_split_folder_imports_its_datasets_not_its_actors_as_articles(linked, tmp_path):
    export_project(linked, tmp_path / "parts", "jsonl", split=(1.0,))
    other = Store(tmp_path / "other.db")
    report = import_paths(other, [tmp_path / "parts"])
    assert report.added == 1 and report.actors_added == 1


def test_a_split_part_or_a_folder_of_exports_brings_its_actors(linked, tmp_path):
    """Importing out/train.jsonl of a split, or a folder holding o.jsonl and
    o.jsonl.actors.jsonl, left the links naming an actor the project did not have."""
    export_project(linked, tmp_path / "parts", "jsonl", split=(1.0,))
    other = Store(tmp_path / "other.db")
    assert import_paths(other, [tmp_path / "parts" / "train.jsonl"]).actors_added == 1
    folder = tmp_path / "exports"
    folder.mkdir()
    export_project(linked, folder / "o.jsonl", "jsonl")
    third = Store(tmp_path / "third.db")
    report = import_paths(third, [folder])
    assert report.added == 1 and report.actors_added == 1


def test_an_export_whose_spans_name_no_project_actor_writes_none(linked, tmp_path):
    """ben's export wrote the project's actors though only ana's spans named one."""
    (article,) = linked.article_ids()
    linked.replace_annotations(article, "ben", [Span(4, 18, "FACTION")])
    linked.set_status(article, "ben", "done")
    report = export_project(linked, tmp_path / "ben.jsonl", "jsonl", annotator="ben")
    assert report.actors == 0 and not (tmp_path / "ben.jsonl.actors.jsonl").exists()
