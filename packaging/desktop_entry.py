"""Write the menu entry for a bundle at a given folder: ``python desktop_entry.py FOLDER
TEMPLATE > OUT``. The folder may hold any character: the Desktop Entry specification wants
the program in Exec quoted, with ``"`` `` ` `` ``$`` ``\\`` escaped inside the quotes and
``%`` doubled (a field code otherwise), and every backslash escaped again as a string value.
``sed`` could not do it (``&`` in a folder's name put the whole line back in its place)."""

from __future__ import annotations

import re
import sys
from pathlib import Path


def exec_argument(program: str) -> str:
    """``program`` as one quoted argument of an Exec line, as a desktop file stores it."""
    quoted = '"' + re.sub(r'(["`$\\])', r"\\\1", program).replace("%", "%%") + '"'
    return quoted.replace("\\", "\\\\")  # the string value's own escaping


def string_value(text: str) -> str:
    """``text`` as a desktop file's string value (TryExec)."""
    return text.replace("\\", "\\\\")


def entry(folder: str, template: str) -> str:
    program = str(Path(folder) / "annotator")
    lines = []
    for line in template.splitlines():
        if line.startswith("TryExec="):
            line = f"TryExec={string_value(program)}"
        elif line.startswith("Exec=annotator "):
            line = f"Exec={exec_argument(program)} {line[len('Exec=annotator ') :]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    folder, template = sys.argv[1], sys.argv[2]
    sys.stdout.write(entry(folder, Path(template).read_text(encoding="utf-8")))
