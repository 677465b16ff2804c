"""The shapes every format reads into and writes from, and the error they raise."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.model import Article, Span


class FormatError(AnnotatorError):
    """A file that cannot be read as its format; the message names the file and line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None):
        self.path = Path(path)
        self.line = line
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """One article read from a file, with the annotations the file gives for it, if any."""

    article: Article
    spans: list[Span] | None = None  # None: the format carries no annotations for it
    annotator: str | None = None  # the annotator's name, where the format has one
    line: int | None = None  # where it starts in its file, for messages


Reader = Callable[[Path], Iterator[ImportedDocument]]


@dataclass(frozen=True)
class Format:
    """A file format, registered by name in ``annotator.formats.FORMATS``."""

    name: str
    description: str
    suffixes: tuple[str, ...] = ()
    read: Reader | None = None
    write: Callable[..., Any] | None = None
    aliases: tuple[str, ...] = field(default=())
