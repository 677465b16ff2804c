"""Which files an import reads: the files and folders named, expanded (a brat pair counted
once, by its ``.txt``), and, for tests and small tools, their documents read into memory."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.formats import FORMATS, detect_format, get_format
from annotator.formats.actor_files import is_actors_file
from annotator.formats.base import FormatError, ImportedDocument
from annotator.formats.file_kinds import spreadsheets_note
from annotator.formats.import_check import check_files
from annotator.formats.inception_project import is_inception_project_file, is_inception_source
from annotator.storage.open_files import open_here

#: The configuration files of a brat collection (brat's documentation, "Configuration").
BRAT_CONFIGS = frozenset({"annotation.conf", "tools.conf", "visual.conf", "kb_shortcuts.conf"})


def _hidden(relative: Path) -> bool:
    """Whether a file or folder in an imported folder is hidden: it, or a folder it is
    in, has a name starting with a dot, or it is the lock file Microsoft Office keeps
    beside a file it has open (`~$events.csv`, hidden on Windows: read as a table, it
    was a binary file among the articles)."""
    return any(part.startswith(".") for part in relative.parts) or relative.name.startswith("~$")


def expand_paths(
    paths: Iterable[Path | str], format_name: str = "auto", left_out: Counter[str] | None = None
) -> list[Path]:
    """Files named, and the files of the folders named (recursively, sorted).

    A brat pair counts once, by its ``.txt``: its ``.ann`` is read with it. ``left_out``
    counts, by suffix, the folders' files of other types and their broken links (they
    were left out without a word).
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            wanted = _folder_suffixes(format_name)
            inside = list(path.rglob("*"))
            # Hidden ones (.git, .ipynb_checkpoints, editors' backups) are no articles: a
            # notebook's checkpoint copy was imported first, then clashed with the real one.
            hidden = [p for p in inside if _hidden(p.relative_to(path))]
            inside = [p for p in inside if not _hidden(p.relative_to(path))]
            # An export's actors file is read as what its links name, not as articles; a
            # brat collection's configuration (annotation.conf: its event types) is its own.
            inside = [p for p in inside if not is_actors_file(p) and p.name not in BRAT_CONFIGS]
            # INCEpTION's project description gives its users' states (the WebAnno reader
            # reads it): as an article it was 'record has no "text" string'. Its source
            # documents are annotation/'s texts again: each was imported a second time.
            sources = sum(1 for p in inside if is_inception_source(p))
            inside = [
                p for p in inside if not is_inception_project_file(p) and not is_inception_source(p)
            ]
            found = sorted(p for p in inside if p.is_file() and p.suffix.lower() in wanted)
            others: Counter[str] = Counter()
            if sources:
                others["INCEpTION's source documents (annotation/ holds their text)"] += sources
            if files_hidden := sum(1 for p in hidden if p.is_file()):
                others["hidden (name starting with '.', or an Office lock file '~$')"] += (
                    files_hidden
                )
            for other in inside:
                if other.is_symlink() and not other.exists():
                    others["broken link"] += 1
                elif other.is_symlink() and other.is_dir():
                    others["linked folder (not entered)"] += 1
                elif other.is_file() and other.suffix.lower() not in wanted:
                    others[other.suffix.lower() or "no suffix"] += 1
                elif not other.is_file() and not other.is_dir():
                    others["pipe or device (not read)"] += 1
            if not found:
                held = ", ".join(f"{kind} {n}" for kind, n in sorted(others.items()))
                raise FormatError(
                    path,
                    f"no {', '.join(sorted(wanted))} files in this folder"
                    + (f" (it holds: {held})" if held else "")
                    + spreadsheets_note(others),
                )
            if left_out is not None:
                left_out.update(others)
            files.extend(found)
        elif path.is_file():  # through links: /dev/stdin redirected from a file is one
            files.append(path)
        elif path.exists():
            # A pipe (`cat x | ... /dev/stdin`, `<(...)`) read once to check it is empty the
            # second time, and a FIFO opened twice waited for a second writer for ever.
            raise FormatError(
                path,
                "a pipe or a device, not a file: an import reads each file twice (to check "
                "it, then to write it); save it to a file and import that",
            )
        else:
            raise FormatError(path, "no such file or folder")
    for path in files:
        if open_here(path):  # reading it would drop this process's locks on it
            raise FormatError(path, "a project open in this program, not a file to import")
    return _pair_brat(files)


def _pair_brat(files: list[Path]) -> list[Path]:
    paired: list[Path] = []
    seen: set[Path] = set()
    for path in files:
        if path.suffix.lower() == ".ann" and path.with_suffix(".txt").exists():
            path = path.with_suffix(".txt")
        if path not in seen:
            seen.add(path)
            paired.append(path)
    return paired


def _folder_suffixes(format_name: str) -> set[str]:
    if format_name == "auto":
        return {s for f in FORMATS.values() if f.read for s in f.suffixes}
    return set(get_format(format_name, "import").suffixes)


def read_files(
    files: Sequence[Path], format_name: str = "auto", annotator: str | None = None
) -> list[list[ImportedDocument]]:
    """Every file's documents, checked (``check_files``), in memory: for tests and small
    tools; imports stream instead."""
    check_files(files, format_name, annotator)
    documents: list[list[ImportedDocument]] = []
    for path in files:
        fmt = detect_format(path) if format_name == "auto" else get_format(format_name, "import")
        assert fmt.read is not None
        documents.append([item for item in fmt.read(path) if isinstance(item, ImportedDocument)])
    return documents
