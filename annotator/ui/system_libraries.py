"""The system libraries the window needs, named as a user installs them: what ``ldd`` says
Qt's X plugin lacks, and what Qt's own libraries failed to load with. Free of Qt, so that
a library Qt cannot load is said in one line, not in a traceback."""

from __future__ import annotations

import re

#: Debian packages whose name does not follow from the library's (``libfoo.so.1`` → ``libfoo1``).
DEBIAN_PACKAGES = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfreetype.so.6": "libfreetype6",
    "libX11-xcb.so.1": "libx11-xcb1",
}


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reports as ``not found``."""
    missing = set()
    for line in ldd_output.splitlines():
        name, arrow, where = line.strip().partition("=>")
        if arrow and where.strip() == "not found":
            missing.add(name.strip())
    return sorted(missing)


def debian_package(library: str) -> str:
    """The Debian (and Ubuntu) package that holds ``library`` (``libxcb-icccm.so.4`` →
    ``libxcb-icccm4``)."""
    if library in DEBIAN_PACKAGES:
        return DEBIAN_PACKAGES[library]
    stem, _, version = library.partition(".so.")
    stem, version = stem.lower(), version.split(".")[0]
    return f"{stem}-{version}" if stem[-1:].isdigit() else f"{stem}{version}"


def window_import_problem(error: ImportError) -> str | None:
    """One line for an import of Qt that failed for a system library (``libGL.so.1: cannot
    open shared object file``: the window died with a traceback), naming the package to
    install; ``None`` for any other import error."""
    found = re.search(r"(lib[\w.+-]*\.so(?:\.\d+)*): cannot open shared object file", str(error))
    if found is None:
        return None
    library = found.group(1)
    return (
        f"annotator: the window cannot start here: the system library {library} was not "
        f"found (the command line works without it). On Debian or Ubuntu: sudo apt install "
        f"{debian_package(library)}"
    )
