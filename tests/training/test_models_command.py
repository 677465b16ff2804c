"""``annotator models DB``: the saved versions, their size, the current one; ``--remove``
frees an old version's room and never the current model's."""

from __future__ import annotations

import json

import pytest

from annotator.core import Article
from annotator.nlp.training import ModelError, remove_model
from annotator.nlp.training.registry import MODEL_SETTING
from annotator.storage import Store
from tests.cli_runner import run

#: What ``models`` says under the versions (each was scored on its own held-out articles).
NOT_COMPARABLE = (
    "each version's F1 was measured when it was trained, on the articles held out then, as "
    "they were annotated then: the figures of two versions do not compare. To choose a model, "
    "go by the scores `annotator train` prints: the new model and the current one on the same "
    "held-out articles"
)


@pytest.fixture
def project(tmp_path):
    """A project with three saved versions (meta and a 1 MB weights file each), v3 current."""
    path = tmp_path / "p.db"
    with Store(path) as store:
        store.add_articles([Article("Shelling in Homs.")])
        store.set_setting(MODEL_SETTING, "p.models/v3")
    for version in (1, 2, 3):
        folder = tmp_path / "p.models" / f"v{version}"
        folder.mkdir(parents=True)
        scores = {"LOCATION": {"exact": {"f1": 0.7 + version / 100}}}
        training = {"trained_at": f"2026-11-2{version}T10:00:00+00:00", "train_articles": 10}
        meta = {"name": "project_model", "version": f"{version}.0.0"}
        meta["annotator"] = {**training, "held_out_scores": scores}
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        (folder / "weights").write_bytes(b"\0" * 1_000_000)
    return path


def test_models_lists_each_version_with_its_figures_size_and_the_current_one(capsys, project):
    status, out, _ = run(capsys, "models", str(project))
    assert status == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:3]] == ["v1", "v2", "v3"]
    assert lines[3] == NOT_COMPARABLE
    assert "LOCATION 0.710" in lines[0] and "1.0 MB" in lines[0]
    assert lines[2].endswith("current") and not lines[1].endswith("current")
    status, out, _ = run(capsys, "models", str(project), "--json")
    listed = json.loads(out)
    assert [(m["version"], m["current"]) for m in listed["models"]] == [
        (1, False),
        (2, False),
        (3, True),
    ]
    assert listed["models"][0]["bytes"] > 1_000_000
    assert listed["models"][0]["exact_f1"] == {"LOCATION": 0.71}


def test_remove_deletes_old_versions_and_refuses_the_current_one(capsys, project):
    models = project.with_name("p.models")
    status, out, _ = run(capsys, "models", str(project), "--remove", "v1", "--remove", "2")
    assert status == 0
    assert out.splitlines()[:2] == ["removed v1 (1.0 MB)", "removed v2 (1.0 MB)"]
    assert sorted(p.name for p in models.iterdir()) == ["v3"]  # no hidden leftover either

    status, _, err = run(capsys, "models", str(project), "--remove", "v3")
    assert status == 1
    assert "v3 is the project's current model; adopt another first" in err
    assert (models / "v3" / "weights").is_file()

    status, _, err = run(capsys, "models", str(project), "--remove", "v7")
    assert status == 1 and "no saved version v7; the project has: v3" in err
    status, _, err = run(capsys, "models", str(project), "--remove", "v7", "--remove", "v9")
    assert "no saved versions v7, v9; the project has: v3" in err


def test_a_version_that_is_no_version_is_a_usage_error(capsys, project):
    status, _, err = run(capsys, "models", str(project), "--remove", "latest")
    assert status == 2
    assert "'latest' is not a version such as v2" in err and "Traceback" not in err


def test_a_project_with_no_model_says_how_to_make_one(capsys, tmp_path):
    path = tmp_path / "empty.db"
    with Store(path) as store:
        store.add_articles([Article("Shelling in Homs.")])
    status, out, _ = run(capsys, "models", str(path))
    assert status == 0 and out == "no model trained for this project yet (annotator train DB)\n"


def test_a_folder_that_cannot_be_renamed_is_a_clear_error_and_stays(project, monkeypatch):
    def refuse(*_):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("annotator.nlp.training.registry.os.rename", refuse)
    with Store(project) as store, pytest.raises(ModelError, match="v1: cannot remove it"):
        remove_model(store, 1)
    assert (project.with_name("p.models") / "v1" / "meta.json").is_file()


def test_remove_checks_every_version_before_deleting_any(capsys, project):
    """v1 was deleted, then v3 (current) refused: exit 1 with half the work done."""
    models = project.with_name("p.models")
    status, out, err = run(capsys, "models", str(project), "--remove", "v1", "--remove", "v3")
    assert status == 1 and "v3 is the project's current model" in err
    assert sorted(p.name for p in models.iterdir()) == ["v1", "v2", "v3"]
    status, out, _ = run(capsys, "models", str(project), "--remove", "v2", "--remove", "2")
    assert status == 0 and out.splitlines()[0] == "removed v2 (1.0 MB)"  # named twice: once


def test_a_version_whose_files_cannot_all_be_deleted_says_so(project, monkeypatch):
    monkeypatch.setattr("annotator.nlp.training.registry.shutil.rmtree", lambda *a, **k: None)
    with Store(project) as store, pytest.raises(ModelError, match="could not be deleted"):
        remove_model(store, 1)


def test_adopt_refuses_a_version_not_saved_and_a_folder_that_is_no_pipeline(capsys, project):
    status, _, err = run(capsys, "models", str(project), "--adopt", "v7")
    assert status == 1 and "no saved model v7 and no folder v7 (saved: v1, v2, v3)" in err
    status, _, err = run(capsys, "models", str(project), "--adopt", "latest")
    assert status == 2 and "'latest' is not a version such as v2" in err
    status, _, err = run(capsys, "models", str(project), "--adopt", "v1")  # meta, no pipeline
    assert status == 1 and "Traceback" not in err and err.count("\n") == 1
    with Store(project) as store:
        assert store.setting(MODEL_SETTING) == "p.models/v3"  # the current model stays


def test_a_project_opened_through_a_link_finds_its_models_beside_the_file(
    capsys, project, tmp_path
):
    """Through link.db: "no model trained", the current model "missing ... as link.models",
    and a model trained so went to link.models."""
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "link.db"
    link.symlink_to(project)
    status, out, _ = run(capsys, "models", str(link))
    assert status == 0 and [line.split()[0] for line in out.splitlines()[:3]] == ["v1", "v2", "v3"]
    assert out.splitlines()[2].endswith("current")
    with Store(link) as store:
        from annotator.nlp.training.registry import models_folder

        assert models_folder(store) == project.with_name("p.models")


def test_adopting_a_folder_that_is_no_pipeline_says_so_once_and_keeps_the_model(
    capsys, project, tmp_path
):
    """It said "not copied in ...; adopted where it is: the project needs that folder", then
    "cannot load spaCy pipeline": nothing was adopted."""
    (tmp_path / "emptydir").mkdir()
    status, _, err = run(capsys, "models", str(project), "--adopt", str(tmp_path / "emptydir"))
    assert status == 1 and "adopted where it is" not in err
    assert "emptydir: not a spaCy pipeline (no meta.json); the current model is kept" in err
    with Store(project) as store:
        assert store.setting(MODEL_SETTING) == "p.models/v3"


@pytest.mark.parametrize("held_out", [(8, 10, 11), (2, 2, 2)])
def test_versions_figures_are_said_not_to_compare_however_many_were_held_out(
    capsys, project, held_out
):
    """0.609, 0.636, 0.620 side by side read as v2 best, and the three suggested the same
    LOCATIONs: each was scored on other held-out articles (8, 10, 11). On as many (2 each),
    v2 FACTION 1.000 and v5 0.988 scored the same on the same articles, and nothing said
    so: a lead would roll back to a model no better."""
    models = project.with_name("p.models")
    for version, held in zip((1, 2, 3), held_out, strict=True):
        meta_path = models / f"v{version}" / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["annotator"]["held_out_articles"] = held
        meta_path.write_text(json.dumps(meta), encoding="utf-8")
    status, out, _ = run(capsys, "models", str(project))
    lines = out.splitlines()
    assert status == 0 and f"(on {held_out[0]} held out)" in lines[0]
    assert f"(on {held_out[2]} held out)" in lines[2]
    assert lines[-1] == NOT_COMPARABLE


def test_train_takes_an_annotator_name_in_another_case_as_the_projects(capsys, tmp_path):
    """--annotator Ben was "no annotator of that name has finished an article" where ben
    had finished 36: the window, assign, merge and export take it as ben."""
    from annotator.core import Span

    path = tmp_path / "p.db"
    with Store(path) as store:
        (article_id,) = store.add_articles([Article("Shelling in Homs.")]).ids
        store.add_span(article_id, "ben", Span(12, 16, "LOCATION"))
        store.set_status(article_id, "ben", "done")
    status, _, err = run(capsys, "train", str(path), "--annotator", "Ben")
    assert "Ben: taken as ben, the project's spelling" in err
    assert status == 1 and "too few articles finished by ben to train on" in err


def test_a_model_copied_in_needs_the_room_it_takes_not_a_trained_models(
    capsys, project, tmp_path, monkeypatch
):
    """With 24 MB free a 21 MB model was not copied in ("about 50 MB"): adopted where it
    was, the project then needed that outside folder."""
    import shutil
    from collections import namedtuple

    outside = tmp_path / "outside"
    shutil.copytree(project.with_name("p.models") / "v1", outside)  # 1 MB
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(
        "annotator.nlp.training.model_folders.shutil.disk_usage",
        lambda path: usage(10, 9, 3_000_000),
    )
    from annotator.nlp.training.registry import take_in

    with Store(project) as store:
        assert take_in(store, outside) == project.with_name("p.models") / "v4"


def test_a_current_model_whose_folder_is_gone_is_said_missing(capsys, project, tmp_path):
    with Store(project) as store:
        store.set_setting(MODEL_SETTING, str(tmp_path / "gone"))
    status, out, _ = run(capsys, "models", str(project))
    assert status == 0 and out.splitlines()[-1] == (
        f"current model: {tmp_path / 'gone'}, which is missing; restore that folder, or adopt "
        "another (--adopt VERSION|DIR|default)"
    )


def test_a_model_trained_after_the_adopted_one_went_is_not_current(capsys, project):
    """The project file copied alone, its recorded p.models/v3 missing: the next model
    trained there, never adopted, was taken for the current one (and suggested)."""
    from annotator.nlp.training.registry import MODEL_IDENTITY_SETTING, current_model

    with Store(project) as store:
        store.set_setting(MODEL_IDENTITY_SETTING, "project_model-3.0.0")  # as adopted
        assert current_model(store).present  # type: ignore[union-attr]
        meta_path = project.with_name("p.models") / "v3" / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta_path.write_text(json.dumps({**meta, "version": "1.0.9"}), encoding="utf-8")
        current = current_model(store)
        assert current is not None and not current.present
    status, out, _ = run(capsys, "models", str(project))
    rows = [line for line in out.splitlines() if line.startswith("v")]
    assert status == 0 and len(rows) == 3 and not any(r.endswith("current") for r in rows)
    # Which model is there, and how it or the one adopted becomes current ("restore that
    # folder" would have lost the model trained there, and nothing said v3 listed was it)
    assert out.splitlines()[-1].endswith(
        "which is missing: v3 there now is another model, trained since, never adopted; "
        f"`annotator models {project} --adopt v3` makes that one current, or, for the model "
        "adopted before, move that v3 aside and copy the original project's models folder "
        "beside this project"
    )
    status, _, err = run(capsys, "preannotate", str(project))
    assert status != 0 and (
        "v3 there now is another model, trained since, never adopted; `annotator models "
        f"{project} --adopt v3` makes that one current, or, for the model adopted before, "
        "move that v3 aside and copy the original project's models folder beside this "
        "project, or give --model"
    ) in " ".join(err.split())


def test_the_model_trained_where_the_adopted_one_was_is_adopted_as_advised(
    capsys, project, tiny_base
):
    """``models --adopt v3``, as advised of a v3 trained where the adopted one was, said
    "v3 is the project's model already" and left it unadopted."""
    import shutil

    from annotator.nlp.training.registry import MODEL_IDENTITY_SETTING

    v3 = project.with_name("p.models") / "v3"
    shutil.rmtree(v3)
    shutil.copytree(tiny_base, v3)  # trained there since
    with Store(project) as store:
        store.set_setting(MODEL_IDENTITY_SETTING, "project_model-3.0.0")  # as adopted
    status, out, _ = run(capsys, "models", str(project))
    assert status == 0 and "--adopt v3` makes that one current" in out.splitlines()[-1]
    status, out, err = run(capsys, "models", str(project), "--adopt", "v3")
    assert status == 0 and "already" not in out + err
    assert out.splitlines()[-2].startswith("v3") and out.splitlines()[-2].endswith("current")


def test_a_folder_adopted_twice_is_copied_in_once(capsys, project, tmp_path, tiny_base):
    """Each ``--adopt DIR`` of one folder copied it in again, as a new version."""
    import shutil

    outside = tmp_path / "outside"
    shutil.copytree(tiny_base, outside)
    for said in ("copied {} in as v4", "{} was copied in as v4 already: adopting that"):
        status, out, err = run(capsys, "models", str(project), "--adopt", str(outside))
        assert status == 0 and out.splitlines()[0] == said.format(outside), err
    # the second time v4 was current already: said, and nothing suggested again (it
    # re-suggested every untouched article with the same model)
    assert out.splitlines()[1] == (
        "v4 is the project's model already: nothing re-suggested (preannotate --force "
        "suggests again with it)"
    )
    status, out, _ = run(capsys, "models", str(project), "--adopt", "v4")
    assert status == 0 and "is the project's model already" in out
    models = project.with_name("p.models")
    assert sorted(p.name for p in models.iterdir()) == ["v1", "v2", "v3", "v4"]
    # a pipeline not trained here is named as the project's copy of it, not as a release
    # of that pipeline ("core_web_sm-4.0.2026…"), its own meta untouched
    copied = json.loads((models / "v4" / "meta.json").read_text(encoding="utf-8"))
    original = json.loads((outside / "meta.json").read_text(encoding="utf-8"))
    assert copied["name"] == f"project_model_copy_of_{original['name']}"
    assert copied["version"].startswith("4.0.") and original["name"] != copied["name"]
    (outside / "more").write_bytes(b"\0" * 10)  # another model in that folder: copied in
    status, out, _ = run(capsys, "models", str(project), "--adopt", str(outside))
    assert status == 0 and out.splitlines()[0] == f"copied {outside} in as v5"


def test_a_folder_that_does_not_load_is_not_kept_as_a_version(capsys, project, tmp_path, tiny_base):
    """It was copied in as v4, then refused: v4 stayed, listed as a saved version that
    could never be adopted (and two lines said so)."""
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(tiny_base, broken)
    (broken / "ner" / "model").unlink()
    status, out, err = run(capsys, "models", str(project), "--adopt", str(broken))
    assert status == 1 and out == ""
    assert err.strip() == (
        f"error: cannot load spaCy pipeline from {broken}: not a spaCy pipeline folder; the "
        "current model is kept"
    )
    assert sorted(p.name for p in project.with_name("p.models").iterdir()) == ["v1", "v2", "v3"]
    with Store(project) as store:
        assert store.setting(MODEL_SETTING) == "p.models/v3"


def test_adopt_and_remove_are_checked_together_before_either_writes(capsys, project):
    """--adopt v2 --remove v2 adopted v2 (re-suggesting, writing the project), then refused
    the removal; --remove v9 with --adopt v2 did the same."""
    status, _, err = run(capsys, "models", str(project), "--adopt", "v2", "--remove", "v2")
    assert status == 2 and "--adopt v2 makes that version current, --remove deletes it" in err
    folder = str(project.with_name("p.models") / "v2")  # the same version, by its folder
    status, _, err = run(capsys, "models", str(project), "--adopt", folder, "--remove", "v2")
    assert status == 2 and f"--adopt {folder} makes that version current" in err
    (project.parent / "latest").symlink_to(folder)  # or through a link to it
    latest = str(project.parent / "latest")
    status, _, err = run(capsys, "models", str(project), "--adopt", latest, "--remove", "v2")
    assert status == 2 and f"--adopt {latest} makes that version current" in err
    status, _, err = run(capsys, "models", str(project), "--adopt", "v2", "--remove", "v9")
    assert status == 1 and "no saved version v9; the project has: v1, v2, v3" in err
    with Store(project) as store:
        assert store.setting(MODEL_SETTING) == "p.models/v3"


def test_a_project_on_another_projects_model_does_not_say_it_has_none(capsys, project, tmp_path):
    """It said "no model trained for this project yet", then "current model: … (not one of
    these)", of no list."""
    import shutil

    copy = tmp_path / "elsewhere" / "copy.db"
    copy.parent.mkdir()
    shutil.copy(project, copy)
    with Store(copy) as store:
        store.set_setting(MODEL_SETTING, str(project.with_name("p.models") / "v3"))
    status, out, _ = run(capsys, "models", str(copy))
    assert status == 0 and out.splitlines() == [
        "no model saved beside this project",
        f"current model: {project.with_name('p.models') / 'v3'} (saved elsewhere)",
    ]
