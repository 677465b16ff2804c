"""An article's published date as the program compares dates: ISO, to the precision known.

Articles arrive with dates as their sources write them ("2024-03-05T08:00:00Z",
"Tue, 05 Mar 2024 08:00:00 GMT", "5 March 2024", "March 5, 2024", "05/03/2024"). The faction
linker asks whether a name was in use on the date, comparing ISO strings; "5 March 2015"
compared as text fell outside 2012–2016, and the note cut it to "5 March 20".
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|[T\s])")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")


def iso_date(published: str) -> str:
    """``published`` as ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when that is all it says
    for sure (a numeric day and month that could be either way round: the year); ``""``
    when it holds no date."""
    text = published.strip()
    found = _ISO.match(text)
    if found:
        year, month, day = found.groups()
        return _checked(int(year), int(month) if month else None, int(day) if day else None)
    try:
        return parsedate_to_datetime(text).date().isoformat()  # e-mail and RSS dates
    except (TypeError, ValueError, IndexError):
        pass
    for pattern, order in ((_DAY_MONTH_YEAR, (0, 1)), (_MONTH_DAY_YEAR, (1, 0))):
        if found := pattern.search(text):
            parts = found.groups()
            day, month = parts[order[0]], _MONTHS.get(parts[order[1]].lower())
            if month is not None:
                return _checked(int(parts[2]), month, int(day))
    if found := _NUMERIC.search(text):
        first, second, year = map(int, found.groups())
        if first > 12 >= second:
            return _checked(year, second, first)  # day first: 25/03/2024
        if second > 12 >= first:
            return _checked(year, first, second)  # month first: 03/25/2024
        return str(year)  # 05/03/2024: March or May
    found = _YEAR.search(text)
    return found.group(1) if found else ""


def _checked(year: int, month: int | None, day: int | None) -> str:
    """The ISO date of these parts, to the precision given; ``""`` if it is no date."""
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return ""
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"
