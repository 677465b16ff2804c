"""The program's data files: ``resources/`` in the source tree, ``annotator/resources`` installed.

The top-level ``resources/`` folder is mapped onto the package ``annotator.resources``
(``package-dir`` in ``pyproject.toml``), so an editable install, the wheel and the bundle all
find the files through ``importlib.resources``: never through a path relative to this file.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "annotator.resources"


def resource(*parts: str) -> Traversable:
    """A file or folder of the resources: ``resource("samples")``, ``resource("guidelines.md")``."""
    return files(PACKAGE).joinpath(*parts)


def resource_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def resource_path(*parts: str) -> Path:
    """A real path to a resource folder or file (resources are installed as plain files)."""
    with as_file(resource(*parts)) as path:
        return Path(path)
