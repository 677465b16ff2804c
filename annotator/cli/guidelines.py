"""``annotator guidelines DB [--set FILE | --clear]``: the project's own annotation
guidelines, which F1 shows above the program's (``resources/guidelines.md``).

A team that adds labels (WEAPON, CASUALTY) writes their rules once, in Markdown, and every
copy of the project carries them: they are kept in the project file itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.app import DbArg, app, open_project
from annotator.core.errors import AnnotatorError
from annotator.core.text import counted
from annotator.storage.base import GUIDELINES_SETTING

#: Longer than any guidelines: a file this large is no guidelines (a dataset given by mistake).
LONGEST_GUIDELINES = 1_000_000


@app.command()
def guidelines(
    db: DbArg,
    set_from: Annotated[
        Path | None,
        typer.Option("--set", help="A Markdown file: the project's guidelines from now on."),
    ] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Remove the project's own guidelines.")
    ] = False,
) -> None:
    """Print the project's own annotation guidelines, or set them from a Markdown file."""
    if set_from is not None and clear:
        raise typer.BadParameter("give --set FILE or --clear, not both", param_hint="--clear")
    text = _read(set_from) if set_from is not None else None
    with open_project(db) as store:
        if text is not None or clear:
            store.check_writable()
            had = bool(store.setting(GUIDELINES_SETTING))
            store.set_setting(GUIDELINES_SETTING, text or "")
            said = (
                f"the project's guidelines: {counted(len(text), 'character')} from {set_from}"
                if text
                else "the project's own guidelines removed: F1 shows the program's alone"
                if had
                else "the project had no guidelines of its own: F1 shows the program's"
            )
            typer.echo(said)
            return
        own = store.setting(GUIDELINES_SETTING)
    if own:
        typer.echo(own)
    else:
        typer.echo(
            "the project has no guidelines of its own (F1 shows the program's); "
            "`annotator guidelines DB --set FILE.md` gives it some",
            err=True,
        )


def _read(path: Path) -> str:
    # At most one byte more than the longest allowed is read: /dev/zero took 24 GB and a
    # pipe waited for ever.
    try:
        if path.exists() and not path.is_file():
            raise AnnotatorError(f"{path}: not a file (a pipe, a device or a folder)")
        with path.open("rb") as file:
            data = file.read(LONGEST_GUIDELINES + 1)
    except OSError as error:
        raise AnnotatorError(f"{path}: {error.strerror or error}") from None
    if len(data) > LONGEST_GUIDELINES:
        raise AnnotatorError(
            f"{path}: more than {LONGEST_GUIDELINES:,} bytes is no guidelines file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnnotatorError(f"{path}: not UTF-8 text") from None
    if "\x00" in text or not text.strip():
        raise AnnotatorError(f"{path}: holds no text")
    return text.replace("\r\n", "\n")
