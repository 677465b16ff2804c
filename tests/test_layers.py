"""The layers of DESIGN.md, as the import-linter contracts in pyproject.toml state them:
imports only point downwards (cli → ui → review → formats → nlp → kb → storage → core), nothing
but ui/ imports Qt, core/ imports no spaCy, sqlite-utils or Qt, storage/ no spaCy."""

import subprocess
import sys
import tomllib
from pathlib import Path

import annotator

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(annotator.__file__).parent


def test_the_import_contracts_are_kept():
    # In a subprocess: import-linter builds its graph from the files on disk, and its
    # cache stays out of the repository.
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(no_cache=True, no_logo=True))"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_contracts_cover_every_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert {name.removeprefix("annotator.") for name in layers} == packages
    qt_free = next(c for c in contracts if "PySide6" in c.get("forbidden_modules", []))
    assert set(qt_free["source_modules"]) == set(layers) - {"annotator.ui"}
