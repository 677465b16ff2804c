"""Reading files defensively: every failure is a ``FormatError`` naming the file and line.

Files are streamed, never read whole where records can be read one at a time: JSON Lines a
line at a time, a JSON array (Label Studio's exports) an element at a time, so memory stays
flat however large the file. A broken record of a JSON Lines file is reported as such
(``Invalid``) and reading goes on, so that ``--skip-invalid`` can import the rest.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.text import normalize_newlines, shows_something
from annotator.formats.base import FormatError, Invalid
from annotator.formats.file_kinds import not_text
from annotator.formats.records import value_error

BOM = b"\xef\xbb\xbf"  # UTF-8's byte-order mark
_HEAD = 8192  # bytes looked at to tell a binary file
_CHUNK = 1 << 20  # characters read at a time from a JSON array
_LOOKED_AT = 20  # broken records passed over to tell a file's format
SAMPLED = 1000  # records looked at where one cannot tell a file's format


def read_text_file(path: Path) -> str:
    """The file's text as stored: UTF-8 (a BOM is dropped), newlines normalised.

    Empty files, binary files, text in another encoding and text that is only whitespace
    are refused with the place where the problem is, since importing them would only make
    garbage articles.
    """
    return normalize_newlines(read_raw_text(path))


def read_raw_text(path: Path, allow_empty: bool = False) -> str:
    """The file's text, decoded, line endings as they are.

    For offsets that count ``\\r\\n`` as two characters, as brat's do into its ``.txt``.
    """
    data = _read_bytes(path)
    if not data.strip() and not allow_empty:
        raise FormatError(path, "empty file")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        what = not_text(data[:_HEAD]) if nul < _HEAD else f"a NUL byte at byte {nul}: not text"
        raise FormatError(path, what, line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FormatError(
            path,
            f"not UTF-8 text (byte {error.start}: {data[error.start]:#04x})"
            + ("; it looks like Windows-1252 or Latin-1: save it as UTF-8" if _latin(data) else ""),
            line,
        ) from None
    if not allow_empty and not shows_something(text):
        raise FormatError(path, "holds no text, only whitespace (or invisible characters)")
    return text


def _latin(data: bytes) -> bool:
    """Whether the file's head reads as Windows-1252 (Latin-1's superset but for five
    bytes it leaves undefined): what a Windows editor saves, and most wrong-encoding text."""
    try:
        data[:_HEAD].decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def starts_with_bom(path: Path) -> bool:
    """Does the file begin with UTF-8's byte-order mark? Dropped from the text as stored,
    it is the first character to tools that decode with Python's ``codecs`` "utf-8" (brat),
    and their offsets count it."""
    with _open(path) as file:
        return file.read(len(BOM)) == BOM


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FormatError(path, "no such file") from None
    except IsADirectoryError:
        raise FormatError(path, "is a folder, not a file") from None
    except OSError as error:
        raise FormatError(path, f"cannot be read ({error.strerror})") from None


def _open(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise FormatError(path, "no such file") from None
    except IsADirectoryError:
        raise FormatError(path, "is a folder, not a file") from None
    except OSError as error:
        raise FormatError(path, f"cannot be read ({error.strerror})") from None


def first_byte(path: Path) -> bytes:
    """The first byte that is not whitespace (nor a BOM), or b"" for an empty file."""
    with _open(path) as file:
        while block := file.read(_HEAD):
            stripped = block.lstrip(b"\xef\xbb\xbf \t\r\n")
            if stripped:
                return stripped[:1]
    return b""


def first_record(path: Path) -> Any:
    """The first record of a JSON or JSON Lines file, for telling formats apart; None if
    there is none to read. Broken records are passed over (a few), so that a file whose
    first line is broken is still told by the others (and ``--skip-invalid`` can read it)."""
    records = first_records(path, 1)
    return records[0] if records else None


def first_records(path: Path, count: int = SAMPLED) -> list[Any]:
    """The first ``count`` records of a JSON or JSON Lines file (fewer if it has fewer), for
    telling formats apart where the first record alone may not tell (a text nobody
    labelled, before the labelled ones). Broken records are passed over, as by
    ``first_record``; a file that cannot be read on gives the records before the break."""
    found: list[Any] = []
    broken = 0
    try:
        for _, record in iter_json_records(path):
            if isinstance(record, Invalid):
                broken += 1
                if not found and broken > _LOOKED_AT:
                    break
                continue
            found.append(record)
            if len(found) >= count:
                break
    except FormatError:
        pass
    return found


def iter_json_records(path: Path) -> Iterator[tuple[int, Any]]:
    """(line, value) for each record of a JSON Lines file, or each element of a JSON array.

    A file that starts with ``[`` is one JSON array (Label Studio's exports), read an element
    at a time; a file holding one JSON object over several lines is one record; otherwise
    each non-blank line is a record (``_json_lines`` tells the two apart, even when the first
    line is broken). A line that is not valid JSON comes as an ``Invalid`` value, and
    reading goes on; an array broken in the middle cannot be read past, and is a
    ``FormatError``.
    """
    start = first_byte(path)
    if not start:
        raise FormatError(path, "empty file")
    with _open(path) as file:
        head = file.read(_HEAD)
    if b"\x00" in head:
        raise FormatError(path, not_text(head))
    if start == b"[":
        yield from _iter_array(path)
    elif start != b"{" or _json_lines(path):
        yield from _iter_lines(path)
    else:
        try:
            value = _parse(read_text_file(path), path, 1)
        except FormatError:
            if not _mostly_lines(path):
                raise
            yield from _iter_lines(path)  # JSON Lines with a broken record or two
            return
        yield 1, value


def named_json_records(path: Path) -> Iterator[tuple[int, str | None, Any]]:
    """(line, name, value): ``iter_json_records`` with each element of a JSON array named
    ("element 3"), since an array written on one line has every element at line 1."""
    array = first_byte(path) == b"["
    for number, (line, value) in enumerate(iter_json_records(path), start=1):
        yield line, f"element {number}" if array else None, value


def iter_json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """(line, value) for each non-blank line of a JSON Lines file, whatever each line holds:
    lines that are arrays (spaCy v2's ``[text, {"entities": ...}]`` pairs) were read as
    one JSON array, refused at the second line ("extra data after the array")."""
    return _iter_lines(path)


def first_line_value(path: Path) -> Any:
    """The JSON value the file's first non-blank line holds whole, else None (and None for a
    line longer than a megabyte: a JSON array on one line, not read whole to look at it)."""
    with _open(path) as file:
        while raw := file.readline(_CHUNK):
            if len(raw) == _CHUNK and not raw.endswith(b"\n"):
                return None
            if raw.strip():
                try:
                    return json.loads(raw.removeprefix(BOM))
                except (ValueError, RecursionError):
                    return None
    return None


_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def text_lines(file: Iterable[bytes]) -> Iterator[bytes]:
    """The file's lines, ended by LF, CRLF or a CR alone (an old Mac's): a CR-only file was
    one line (JSON Lines: "Extra data" at its second record; CoNLL: its first token the
    whole import)."""
    for raw in file:
        cr = raw.find(b"\r")
        if cr == -1 or raw[cr:] == b"\r\n":  # (most lines: no copy, no search)
            yield raw
        else:
            yield from _LINE.findall(raw)


def _json_lines(path: Path) -> bool:
    """Is the file JSON Lines, rather than one JSON object spread over lines? Yes if its
    first line is a whole value, or its second a whole object: its first is then a broken
    record, which ``--skip-invalid`` can leave out. (If neither, the file is one object if
    it reads as one, else JSON Lines if most of its lines do: ``_mostly_lines``.)"""
    with _open(path) as file:
        lines = (raw for raw in text_lines(file) if raw.strip())
        first = next(lines, None)
        if first is None or _whole(first):
            return True
        second = next(lines, None)
        return second is not None and _whole(second, objects_only=True)


def _mostly_lines(path: Path) -> bool:
    """Are most of the file's lines whole JSON values (JSON Lines with broken records)?"""
    whole = broken = 0
    with _open(path) as file:
        for raw in text_lines(file):
            if raw.strip():
                if _whole(raw):
                    whole += 1
                else:
                    broken += 1
    return whole > broken


def _whole(raw: bytes, objects_only: bool = False) -> bool:
    """Is this line a JSON value (an object, if ``objects_only``) on its own?"""
    try:
        value = json.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict) or not objects_only


def _iter_lines(path: Path) -> Iterator[tuple[int, Any]]:
    with _open(path) as file:
        for number, raw in enumerate(text_lines(file), start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                message = (
                    f"not UTF-8 text (byte {error.start} of the line: {raw[error.start]:#04x})"
                )
                yield number, Invalid(FormatError(path, message, number))
                continue
            try:
                yield number, _parse(line.rstrip("\r\n"), path, number)
            except FormatError as error:
                yield number, Invalid(error)


def _parse(text: str, path: Path, line: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f", column {error.colno}" if error.lineno == 1 else ""
        end = len(text.rstrip())
        if error.pos >= end:  # it stops before it is whole: say so, on its last line
            where = ", at its end: cut short?"
        message = f"not valid JSON ({error.msg}{where})"
        lineno = text.count("\n", 0, min(error.pos, end)) + 1
        raise FormatError(path, message, line + lineno - 1) from None
    except RecursionError:
        raise FormatError(path, "not readable: JSON nested too deeply", line) from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise FormatError(path, f"not readable: {value_error(error)}", line) from None


def _bad_byte_line(path: Path) -> int | None:
    """The line of the first byte of ``path`` that is no UTF-8, read again a chunk at a
    time (a JSON array's elements, read through a text decoder, knew their first line only:
    every bad byte was at line 1)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with _open(path) as raw:
        while chunk := raw.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return line + chunk.count(b"\n", 0, max(error.start, 0))
            line += chunk.count(b"\n")
    return None


def _iter_array(path: Path) -> Iterator[tuple[int, Any]]:
    """The elements of a JSON array, decoded a chunk of the file at a time."""
    decoder = json.JSONDecoder()
    raw = _open(path)
    reader = io.TextIOWrapper(raw, encoding="utf-8-sig")
    buffer, position, line, ended = "", 0, 1, False

    def more() -> bool:
        nonlocal buffer, position, ended
        if ended:
            return False
        try:
            chunk = reader.read(max(_CHUNK, len(buffer)))  # doubles for a long element
        except UnicodeDecodeError as error:
            at = _bad_byte_line(path) or line  # the element's first line said nothing
            raise FormatError(path, f"not UTF-8 text ({error.reason})", at) from None
        if not chunk:
            ended = True
            return False
        buffer = buffer[position:] + chunk
        position = 0
        return True

    def skip_space() -> str:
        nonlocal position, line
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n":
                line += buffer[position] == "\n"
                position += 1
            if position < len(buffer):
                return buffer[position]
            if not more():
                return ""

    with reader:
        if skip_space() != "[":
            raise FormatError(path, "not a JSON array", line)
        position += 1
        if skip_space() == "]":
            return
        while True:
            first_line = line
            while True:
                try:
                    value, end = decoder.raw_decode(buffer, position)
                    break
                except json.JSONDecodeError as error:
                    if not more():
                        raise FormatError(
                            path, f"not valid JSON ({error.msg})", line + error.lineno - 1
                        ) from None
                except RecursionError:
                    raise FormatError(path, "not readable: JSON nested too deeply", line) from None
                except ValueError as error:
                    raise FormatError(path, f"not readable: {value_error(error)}", line) from None
            line += buffer.count("\n", position, end)
            position = end
            yield first_line, value
            following = skip_space()
            if following == "]":
                position += 1
                if skip_space():
                    raise FormatError(path, "not valid JSON (extra data after the array)", line)
                return
            if following != ",":
                raise FormatError(path, "not valid JSON (expected ',' or ']')", line)
            position += 1
            skip_space()
