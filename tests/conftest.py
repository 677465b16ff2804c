"""Shared fixtures. Qt runs headless: set before anything imports PySide6."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.storage import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture
def store():
    """An empty in-memory project."""
    with Store() as project:
        yield project


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "project.db"


@pytest.fixture(scope="session")
def scenario():
    """GUM news as annotated by ana (a perfect copy of the gold), ben and cem (realistic slips)."""
    from tests.review.annotators_from_gum import make_scenario

    return make_scenario()


@pytest.fixture
def merged_project(tmp_path: Path, scenario) -> Path:
    """The three annotators' projects, made apart and merged with ``annotator merge``."""
    from annotator.cli import main

    paths = scenario.write_projects(tmp_path)
    out = tmp_path / "merged.db"
    assert main(["merge", str(out), *map(str, paths.values())]) == 0
    return out
