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


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    """A project file holding one article, "Rebels took Kidal." (closed)."""
    from annotator.core import Article
    from annotator.storage import Store

    db = tmp_path / "existing.db"
    with Store(db) as store:
        store.add_articles([Article("Rebels took Kidal.", title="Kidal")])
    return db


@pytest.fixture
def older_project(tmp_path: Path) -> Path:
    """``older.db``: a project as the program made it before migration 0002, one article."""
    from sqlite_utils import Database

    from annotator.storage.migrations import migrations

    path = tmp_path / "older.db"
    old = Database(path)
    migrations.apply(old, stop_before="0002_preannotated")
    old["articles"].insert({"text_hash": "h", "text": "Rebels took Kidal.", "title": "t"})
    old.close()
    return path


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


@pytest.fixture(scope="session")
def session_gazetteer(tmp_path_factory):
    """The tiny gazetteer of ``tests/kb/conftest.py`` (built in a moment)."""
    from annotator.kb.places import Gazetteer, build_index
    from tests.kb.conftest import PLACES

    path = tmp_path_factory.mktemp("tiny-gazetteer") / "tiny.sqlite"
    build_index(path, PLACES, {"version": "tiny"})
    return Gazetteer(path)


@pytest.fixture(autouse=True, scope="session")
def _preannotation_links_with_the_tiny_gazetteer(session_gazetteer):
    """Pre-annotation links places with the tiny gazetteer in tests: the real index takes
    35–50 s to build on a fresh machine. Tests of the real one open it themselves
    (``kb.geonames.default_gazetteer``), which this does not change."""
    from annotator.nlp.linking import use_default_gazetteer

    use_default_gazetteer(session_gazetteer)
    yield
    use_default_gazetteer(None)
