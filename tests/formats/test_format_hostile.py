"""Hostile and broken files, for every reader: a clean import, or a one-line refusal that
leaves the project byte for byte as it was (hypothesis; few examples here, many in
``bench/fuzz_readers.py``)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.formats.hostile import READERS, attempt, files, new_project

EXAMPLES = 20  # per reader: the suite runs on two shared cores


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return new_project(tmp_path_factory.mktemp("template"))


@pytest.mark.parametrize("reader", READERS)
def test_every_reader_imports_cleanly_or_refuses_in_one_line_leaving_the_project(reader, template):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(content=files(reader))
    def check(content):
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "project.db"
            shutil.copyfile(template, db)
            assert attempt(reader, content, Path(folder), db) in ("imported", "refused")

    check()
