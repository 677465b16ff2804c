"""The command line: ``annotator COMMAND``; ``main(argv)`` returns the exit status.

Errors a user can cause print one line on standard error and exit with status 1, the project
file left as it was; usage errors (an unknown option, a missing argument) print the usage and
exit with status 2. ``--json`` prints one JSON object on standard output.

Click (or the copy of it that typer vendors, as typer 0.29 does) handles usage errors itself
in standalone mode, so nothing here depends on which click raised them.
"""

from __future__ import annotations

import io
import signal
import sys
import threading
from typing import Annotated

import typer

from annotator import __version__

# Commands, in the order `annotator --help` lists them (the order they are made in).
from annotator.cli import assign, copy, guidelines, labels, project  # noqa: F401

from annotator.cli import stats  # noqa: F401 # isort: skip
from annotator.cli import actors  # noqa: F401 # isort: skip
from annotator.cli import review, train  # noqa: F401 # isort: skip
from annotator.cli.app import app
from annotator.cli.selftest import self_test_option
from annotator.core.errors import AnnotatorError
from annotator.core.text import readable

__all__ = ["app", "main"]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"annotator {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _default(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", is_eager=True, callback=_print_version
        ),
    ] = False,
    self_test: Annotated[
        bool,
        typer.Option(
            "--self-test",
            help="Check the installation (Qt, pipeline, database, resources, window) offscreen, "
            "print what it found for a bug report, and exit: 0 when all is well.",
            is_eager=True,
            callback=self_test_option,
        ),
    ] = False,
) -> None:
    """With no command: open the window on the default project."""
    if ctx.invoked_subcommand is None:
        project.gui(None, None)


#: The exit status of a command stopped by SIGTERM, as a shell reports a process it killed.
TERMINATED = 128 + signal.SIGTERM


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``annotator`` command; returns the exit status."""
    # A terminal in a Latin-1 locale cannot show "…" or "→": the output says \u2026 rather
    # than the command failing after its work was saved.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    terminated = False

    def stop(signum: int, frame: object) -> None:
        """SIGTERM (``timeout``, a cancelled CI job, ``kill``) stops a command as Ctrl+C
        does: it says what it kept (an import's whole batches), and the project is closed,
        its ``-wal`` folded in. It ended with no word, the ``-wal`` left beside the file."""
        nonlocal terminated
        terminated = True
        raise KeyboardInterrupt

    in_main_thread = threading.current_thread() is threading.main_thread()
    before = signal.signal(signal.SIGTERM, stop) if in_main_thread else None
    try:
        app(args=argv, prog_name="annotator", standalone_mode=True)
    except (SystemExit, KeyboardInterrupt) as done:
        # Standalone mode ends every run with SystemExit, usage errors too, and Ctrl+C as
        # SystemExit(130).
        if terminated:
            typer.echo("stopped by SIGTERM", err=True)
            return TERMINATED
        if isinstance(done, KeyboardInterrupt):
            raise
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except AnnotatorError as error:
        # (a file name of bytes that are no UTF-8 as imports show it: U+FFFD, not \udce9)
        typer.echo(f"error: {readable(str(error))}", err=True)
        return 1
    except OSError as error:
        name = f"{error.filename}: " if error.filename else ""
        typer.echo(f"error: {readable(name)}{error.strerror or error}", err=True)
        return 1
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
