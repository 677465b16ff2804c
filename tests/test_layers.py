"""The layers of DESIGN.md: imports only point downwards, and Qt stays in ui/."""

import ast
from pathlib import Path

import annotator

PACKAGE = Path(annotator.__file__).parent
# Each layer may import itself and the layers listed after it. The command line is the
# program's entry point, so it may start the window (``annotator gui``); the window never
# calls the command line.
ORDER = ["cli", "ui", "review", "formats", "nlp", "kb", "storage", "core"]
THIRD_PARTY_BANS = {
    "core": {"PySide6", "spacy", "sqlite_utils"},
    "storage": {"PySide6", "spacy"},
    "nlp": {"PySide6"},
    "kb": {"PySide6", "spacy", "sqlite_utils"},
    "formats": {"PySide6"},
    "review": {"PySide6"},
    "cli": {"PySide6"},
}


def _layer(path: Path) -> str | None:
    relative = path.relative_to(PACKAGE)
    name = relative.parts[0].removesuffix(".py")
    return name if name in ORDER else None


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_imports_only_point_downwards():
    violations = []
    for path in PACKAGE.rglob("*.py"):
        layer = _layer(path)
        if layer is None:
            continue
        allowed = set(ORDER[ORDER.index(layer) :])
        for name in _imports(path):
            parts = name.split(".")
            in_project = parts[0] == "annotator" and len(parts) > 1 and parts[1] in ORDER
            if in_project and parts[1] not in allowed:
                violations.append(f"{path.relative_to(PACKAGE)} imports {name}")
            if parts[0] in THIRD_PARTY_BANS.get(layer, set()):
                violations.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert violations == []


def test_the_layer_check_sees_the_whole_package():
    layers = {_layer(p) for p in PACKAGE.rglob("*.py")}
    assert {"core", "storage", "nlp", "formats", "cli"} <= layers
