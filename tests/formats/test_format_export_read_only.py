"""An export to a folder it cannot write names the user's own path and says nothing was
written: it named the hidden temporary file (``error: /…/romnt/.x.jsonl.partial: Read-only
file system``; brat's ``.brat.partial``), or the split's folder without a word more."""

from __future__ import annotations

import builtins
import errno
import io
import os
from pathlib import Path

import pytest

from annotator.formats.export_choice import ExportError
from annotator.formats.exporter import export_project


@pytest.fixture(params=[errno.EROFS, errno.EACCES])
def read_only(request, tmp_path, monkeypatch) -> tuple[Path, str]:
    """A folder every write into fails in, as on a read-only mount (EROFS: even the removal
    of a file that is not there) or in a folder not ours (EACCES; as root, a folder of mode
    555 is writable, so the calls are made to fail); and what the system says of it."""
    folder = tmp_path / "romnt"
    folder.mkdir()

    def refusing(call):
        def refused(path, *args, **kwargs):
            if not isinstance(path, int) and str(folder) in os.path.abspath(os.fspath(path)):
                raise OSError(request.param, os.strerror(request.param), os.fspath(path))
            return call(path, *args, **kwargs)

        return refused

    for module, name in ((os, "unlink"), (os, "mkdir"), (os, "open"), (io, "open"),
                         (builtins, "open")):  # fmt: skip
        monkeypatch.setattr(module, name, refusing(getattr(module, name)))
    return folder, os.strerror(request.param)


@pytest.mark.parametrize(
    ("format_name", "name", "split"),
    [("jsonl", "x.jsonl", None), ("brat", "brat", None), ("jsonl", "split", "0.8,0.2"),
     ("spacy", "x.spacy", None), ("conll", "x.conll", None), ("labelstudio", "x.json", None)],
)  # fmt: skip
@pytest.mark.parametrize("typed", ["full", "relative"])
def test_a_folder_not_writable_is_said_of_the_users_path(
    done, read_only, format_name, name, split, typed, monkeypatch
):
    """Each named in full, as a file is: brat's folder and a new split folder typed
    relatively were named so ("error: romnt/b: …" beside "error: /…/romnt/x.jsonl: …")."""
    from annotator.formats.exporter import parse_split

    folder, problem = read_only
    out = folder / name
    if typed == "relative":
        monkeypatch.chdir(folder.parent)
    given = out if typed == "full" else Path(folder.name) / name
    with pytest.raises(ExportError) as refused:
        export_project(
            done, given, format_name, split=parse_split(split) if split else None, workers=0
        )
    assert str(refused.value) == f"{out}: {problem}; nothing was written"
