"""Running the command line in-process, as the CLI tests do."""

from __future__ import annotations

from annotator.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    """``annotator ARGS``: its exit status, and what it printed to stdout and stderr."""
    capsys.readouterr()
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err
