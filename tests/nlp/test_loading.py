"""Which pre-annotator loads, and what it says about itself."""

from __future__ import annotations

import pytest
import spacy

from annotator.cli import main
from annotator.core.errors import AnnotatorError
from annotator.nlp import PipelineNotFound, load_preannotator, loading
from annotator.storage import Store


def test_unknown_model_is_a_user_error_naming_it():
    with pytest.raises(PipelineNotFound) as caught:
        load_preannotator("en_no_such_pipeline_xyz")
    assert isinstance(caught.value, AnnotatorError)
    message = str(caught.value)
    assert "en_no_such_pipeline_xyz" in message
    assert "\n" not in message


def test_missing_model_folder_is_a_user_error(tmp_path):
    missing = tmp_path / "no-model-here"
    with pytest.raises(PipelineNotFound, match="no such folder"):
        load_preannotator(str(missing))


def test_folder_that_is_not_a_pipeline_is_a_user_error(tmp_path):
    with pytest.raises(PipelineNotFound, match="not a spaCy pipeline folder"):
        load_preannotator(str(tmp_path))


def test_a_pipeline_whose_config_is_broken_is_refused_in_one_line(tmp_path):
    """spaCy's config errors run over many lines: the status bar showed three of them."""
    nlp = spacy.blank("en")
    nlp.to_disk(tmp_path / "model")
    config = tmp_path / "model" / "config.cfg"
    config.write_text(config.read_text() + "\n[components.ner\n")
    with pytest.raises(PipelineNotFound) as refused:
        load_preannotator(str(tmp_path / "model"))
    message = str(refused.value)
    assert "\n" not in message and "Config validation error" in message
    assert message.startswith(f"cannot load spaCy pipeline '{tmp_path / 'model'}': ")


def test_pipeline_from_a_folder(tmp_path):
    nlp = spacy.blank("en")
    nlp.meta["name"] = "conflict_test"
    nlp.meta["version"] = "0.2.0"
    nlp.to_disk(tmp_path / "model")
    preannotator = load_preannotator(str(tmp_path / "model"))
    assert preannotator.name.startswith("conflict_test-0.2.0+rules-")
    assert "en_conflict_test 0.2.0" in preannotator.description


def test_rules_by_name():
    preannotator = load_preannotator("rules")
    assert preannotator.name.startswith("blank_en+rules-")
    assert "only the rules run" in preannotator.description


def test_blank_fallback_says_no_trained_pipeline_was_found(monkeypatch):
    monkeypatch.setattr(loading, "FALLBACK_PIPELINES", ("en_absent_one", "en_absent_two"))
    preannotator = load_preannotator()
    assert preannotator.name.startswith("blank_en+rules-")
    assert "no trained spaCy pipeline found (tried en_absent_one, en_absent_two)" in (
        preannotator.description
    )
    assert any(s.label == "LOCATION" for s in next(preannotator.suggest(["Shelling in Homs."])))


def test_fallback_order_prefers_the_first_installed(monkeypatch):
    loaded = []

    def fake_load(name):
        loaded.append(name)
        nlp = spacy.blank("en")
        nlp.meta["name"] = name.removeprefix("en_")
        return nlp

    monkeypatch.setattr(loading, "FALLBACK_PIPELINES", ("en_absent", "en_second", "en_third"))
    monkeypatch.setattr(loading.spacy.util, "is_package", lambda name: name != "en_absent")
    monkeypatch.setattr(loading, "load_pipeline", fake_load)
    preannotator = load_preannotator()
    assert loaded == ["en_second"]
    assert preannotator.description.startswith("spaCy pipeline en_second")


def test_cli_preannotate_with_unknown_model_fails_in_one_line(tmp_path, capsys):
    db = tmp_path / "p.db"
    Store(db).close()
    assert main(["preannotate", str(db), "--model", "en_no_such_pipeline_xyz"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot load spaCy pipeline 'en_no_such_pipeline_xyz'")
    assert len(err.splitlines()) == 1
