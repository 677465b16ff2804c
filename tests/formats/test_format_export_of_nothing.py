"""An export with nothing to write into a folder that holds something leaves it as it is
and says so, as for a file: it was refused as "an earlier export, or the collection
imported? … remove it", for an export that would have written nothing. And what it names
is named in full, a folder as a file ("out/newdir" beside "/…/out/tie.jsonl")."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.formats.export_choice import ExportError
from annotator.formats.exporter import export_project


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir()}


@pytest.mark.parametrize("split", [None, (0.5, 0.5)])
def test_nothing_to_write_into_a_folder_not_empty_leaves_it_and_says_so(done, tmp_path, split):
    out = tmp_path / "br"
    out.mkdir()
    (out / "a.ann").write_text("T1\tLOCATION 0 6\tKidal\n")
    (out / "omitted.tsv").write_text("the list of the dataset there\n")  # (its own, kept)
    before = contents(out)
    report = export_project(done, out, "brat", annotator="ana", status="skipped", split=split)
    assert not report.written
    line = report.summary_lines()[0]
    assert line.startswith("nothing written: no article to export to ")
    assert "remove" not in line
    if split is None:
        assert line.endswith(f"{out}: the folder already there is left as it was")
    assert contents(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["br"]  # no leftovers beside it


def test_something_to_write_into_a_folder_not_empty_is_still_refused(done, tmp_path):
    out = tmp_path / "br"
    out.mkdir()
    (out / "a.ann").write_text("")
    with pytest.raises(ExportError, match="not an empty folder .*: remove it"):
        export_project(done, out, "brat", annotator="ana")
    assert contents(out) == {"a.ann": ""}


@pytest.mark.parametrize(
    ("name", "format_name", "split"),
    [("newdir", "brat", None), ("tie.jsonl", "jsonl", None), ("parts", "jsonl", (0.5, 0.5))],
)
def test_nothing_to_write_names_out_in_full(done, tmp_path, monkeypatch, name, format_name, split):
    monkeypatch.chdir(tmp_path)
    report = export_project(
        done, Path(name), format_name, annotator="ana", status="skipped", split=split
    )
    where = report.summary_lines()[0].removeprefix("nothing written: no article to export to ")
    assert where.startswith(str(tmp_path / name))


def test_nothing_to_write_keeps_the_list_beside_the_file_there(done, tmp_path):
    """The file was left as it was, and the list of what it lacks removed."""
    out = tmp_path / "tie.jsonl"
    out.write_text('{"old":1}\n')
    listed = tmp_path / "tie.jsonl.omitted.tsv"
    listed.write_text("what tie.jsonl lacks\n")
    export_project(done, out, "jsonl", annotator="ana", status="skipped")
    assert out.read_text() == '{"old":1}\n' and listed.read_text() == "what tie.jsonl lacks\n"
