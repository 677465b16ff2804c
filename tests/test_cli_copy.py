"""``annotator copy``: a whole, consistent copy of a project, while others have it open."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.core import Article, Span
from annotator.nlp.training.registry import MODEL_SETTING
from annotator.storage import Store
from tests.cli_runner import run


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.db"
    with Store(path) as store:
        store.add_articles([Article(f"Shelling number {k} near Homs.") for k in range(4)])
    return path


def test_a_copy_holds_what_an_open_window_wrote_where_cp_did_not(capsys, project, tmp_path):
    """cp of a project a window had open held 4 of 24 articles and none of the assignments:
    the rest was still in the -wal file."""
    window = Store(project)  # stays open, as a window does: its -wal is not folded back
    window.add_articles([Article(f"Clashes number {k} in Idlib.") for k in range(20)])
    window.assign(["ana", "ben"])
    window.add_span(1, "ana", Span(0, 8, "FACTION"))
    shutil.copy(project, tmp_path / "cp.db")
    with Store(tmp_path / "cp.db") as cp:
        assert cp.article_count() < 24  # what cp missed
    status, out, _ = run(capsys, "copy", str(project), str(tmp_path / "ana.db"))
    assert status == 0
    assert out == (
        f"copied {project} to {tmp_path / 'ana.db'}: 24 articles, the work of 1 annotator, "
        "24 assignments\n"
    )
    with Store(tmp_path / "ana.db") as copy:
        assert copy.article_count() == 24
        assert len(copy.assigned_articles("ana")) == 12
        assert copy.spans(1, "ana") == [Span(0, 8, "FACTION")]
    window.close()
    assert sorted(p.name for p in tmp_path.iterdir() if "copying" in p.name) == []


def test_an_existing_file_or_a_missing_folder_is_refused_untouched(capsys, project, tmp_path):
    other = tmp_path / "other.db"
    other.write_bytes(b"keep me")
    status, _, err = run(capsys, "copy", str(project), str(other))
    assert status == 1 and "exists already; give the copy a new name" in err
    assert other.read_bytes() == b"keep me"
    status, _, err = run(capsys, "copy", str(project), str(tmp_path / "no" / "a.db"))
    assert status == 1 and "does not exist" in err and "Traceback" not in err
    status, _, err = run(capsys, "copy", str(project))
    assert status == 2 and "DEST" in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="/proc: Linux's")
def test_a_copy_that_cannot_be_written_names_the_copy_not_the_project(capsys, project):
    """ "p.db: the system could not read or write the project file ... check the disk" sent
    the user to a healthy project."""
    status, _, err = run(capsys, "copy", str(project), "/proc/x.db")
    assert status == 1 and err.startswith("error: /proc/x.db: the copy could not be written")
    assert f"{project} is as it was" in err and "Check the disk" not in err


def with_a_model(project: Path) -> Path:
    """``project`` with a current model beside it, recorded relative ("p.models/v1")."""
    model = project.with_name("p.models") / "v1"
    model.mkdir(parents=True)
    (model / "meta.json").write_text(json.dumps({"name": "project_model", "version": "1.0.0"}))
    with Store(project) as store:
        store.set_setting(MODEL_SETTING, "p.models/v1")
    return model


def test_a_copy_elsewhere_finds_the_projects_model(capsys, project, tmp_path):
    model = with_a_model(project)
    (tmp_path / "ana").mkdir()
    status, out, _ = run(capsys, "copy", str(project), str(tmp_path / "ana" / "p.db"), "--json")
    assert status == 0 and json.loads(out)["model"] == str(model.resolve())
    with Store(tmp_path / "ana" / "p.db") as copy:
        assert copy.setting(MODEL_SETTING) == str(model.resolve())
    status, out, _ = run(capsys, "copy", str(project), str(tmp_path / "ben.db"))  # beside it
    with Store(tmp_path / "ben.db") as copy:
        assert copy.setting(MODEL_SETTING) == "p.models/v1"


def test_a_copy_of_a_project_named_through_a_link_finds_the_projects_model(
    capsys, project, tmp_path
):
    """Copied through links/team.db, the copy looked for other/team.models/v1, and every
    import into it was refused for a missing current model."""
    model = with_a_model(project)
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "p.db").symlink_to(project)
    (tmp_path / "other").mkdir()
    status, out, _ = run(
        capsys, "copy", str(tmp_path / "links" / "p.db"), str(tmp_path / "other" / "b.db")
    )
    assert status == 0 and out.splitlines()[-1].endswith(str(model.resolve()))


def test_a_copy_under_a_file_or_onto_a_dangling_link_says_what_is_there(capsys, project, tmp_path):
    (tmp_path / "afile").write_text("notes")
    status, _, err = run(capsys, "copy", str(project), str(tmp_path / "afile" / "x.db"))
    assert status == 1 and "afile is a file, not a folder" in err
    (tmp_path / "dangling.db").symlink_to(tmp_path / "nowhere.db")
    status, _, err = run(capsys, "copy", str(project), str(tmp_path / "dangling.db"))
    assert status == 1 and "a symbolic link to nothing" in err
