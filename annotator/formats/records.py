"""Checks on the values records carry: offsets, labels, names and texts.

Files from other tools and from the open web hold every kind of value where a number or a
name belongs: ``true``, ``"26"``, ``26.7``, ``Infinity``, a number of 5,000 digits, ``null``,
an object. Each is refused with a message that says what was found, rather than converted
into something the file did not say (``int(26.7)``, ``str(None)``). The readers turn a
``BadValue`` into a ``FormatError`` naming the file and the record.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from annotator.core.labels import reserved_name
from annotator.kb.links import AMBIGUOUS, GENERIC, LINKED, UNKNOWN

#: The linker's verdicts on a span without an entry, as files carry them (``link_status``).
VERDICTS = (GENERIC, UNKNOWN, AMBIGUOUS)

_SURROGATE = re.compile("[\ud800-\udfff]")
_SHOWN = 40  # characters of a value quoted in a message


class BadValue(ValueError):  # noqa: N818 - a value, as the messages read: "bad value"
    """A value a record cannot have; the message says what was found."""


def offset(value: Any, what: str) -> int:
    """A character offset: a whole number (``12`` or ``12.0``), nothing else."""
    if type(value) is int:  # the usual case first: not a bool, which is an int too
        return value
    if isinstance(value, bool) or value is None:
        raise BadValue(f"{what} must be a whole number, not {_shown(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise BadValue(f"{what} must be a whole number, not {_shown(value)}")
    raise BadValue(f"{what} must be a whole number, not {_described(value)}")


def label(value: Any, what: str = "the label") -> str:
    """A label name: a string with something in it besides whitespace."""
    if not isinstance(value, str):
        raise BadValue(f"{what} must be a name, not {_described(value)}")
    problem = label_problem(value)
    if problem:
        raise BadValue(f"{what} {problem}")
    return value


#: The longest label name an import takes (the scheme's own names are shorter: 40).
LONGEST_LABEL = 200


@lru_cache(maxsize=4096)
def label_problem(value: str) -> str:
    """What is wrong with a label name, or "" (a file repeats a few labels a million times)."""
    if not value.strip():
        return "is empty"
    if reserved := reserved_name(value):  # what `labels add` refuses, for the same reason
        return f"{value!r} {reserved}"
    # Spaces are other tools' ("Weapon type" in Label Studio): kept, and exports that cannot
    # hold them say so. A line break, a tab or a control character broke every summary and
    # format; a name of 100,000 characters is no name.
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        return f"{value[:40]!r} holds a line break, a tab or another invisible (control) character"
    if len(value) > LONGEST_LABEL:
        return f"{value[:20]!r}… is longer than {LONGEST_LABEL} characters"
    try:
        check_text(value, "")
    except BadValue as error:
        return str(error).strip()
    return ""


def name(value: Any, what: str) -> str | None:
    """An optional name (an annotator, a model): a string, a number, or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadValue(f"{what} must be a name, not {_described(value)}")
    text = str(value)
    check_text(text, what)
    return text


def kb_id(value: Any, what: str) -> str:
    """A knowledge-base entry's id (``geonames:168519``): a string without spaces, or
    nothing (``""``)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise BadValue(f"{what} must be an id such as 'geonames:168519', not {_described(value)}")
    check_text(value, what)
    if not value.strip() or any(c.isspace() for c in value) or len(value) > 200:
        raise BadValue(f"{what} must be an id such as 'geonames:168519', not {_shown(value)}")
    return value


def link_verdict(value: Any, entry: str, what: str) -> str:
    """The linker's verdict on a span without an entry (``generic``, ``ambiguous``,
    ``unknown``); nothing where the span has an entry, which says it is ``linked``."""
    if value is None or value == "" or (entry and value == LINKED):
        return ""
    if value not in VERDICTS:
        raise BadValue(
            f"{what} must be {', '.join(VERDICTS[:-1])} or {VERDICTS[-1]} (the linker's "
            f"verdict on a span without a kb_id), not {_described(value)}"
        )
    return "" if entry else str(value)


def plain_text(value: Any, what: str) -> str:
    """An optional piece of text (a title, a url): a string or a number, or nothing."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadValue(f"{what} must be text, not {_described(value)}")
    text = value if isinstance(value, str) else str(value)
    check_text(text, what)
    return text


def check_text(text: str, what: str) -> None:
    """Refuse text that cannot be stored as UTF-8 or that SQLite would cut short."""
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise BadValue(
            f"{what} holds a lone surrogate (U+{ord(surrogate.group()):04X}) at character "
            f"{surrogate.start()}: not valid Unicode"
        )
    nul = text.find("\x00")
    if nul >= 0:
        raise BadValue(f"{what} holds a NUL character (U+0000) at character {nul}")


def _kind(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return {
        str: "the text",
        dict: "an object",
        list: "a list",
        float: "the number",
        int: "the number",
    }.get(type(value), type(value).__name__)


def _described(value: Any) -> str:
    kind = _kind(value)
    return f"{kind} {_shown(value)}" if kind else _shown(value)


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("-Infinity" if value < 0 else "Infinity")
    if isinstance(value, int) and value.bit_length() > 64:
        return f"a number of about {round(value.bit_length() * math.log10(2))} digits"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def value_error(error: ValueError) -> str:
    """What JSON's or Python's refusal of a value says, in a few words."""
    if "digits" in str(error):
        return "a number of more than 4,300 digits"
    return str(error).split(";")[0]
