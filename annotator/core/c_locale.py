"""The C library's case rules kept to ASCII's under Turkic locales.

Under ``tr_TR`` or ``az_AZ`` the C library upper-cases "i" to "İ" and lower-cases "I" to
"ı". CPython 3.11's ``sqlite3`` then no longer sees ``INSERT`` as a statement that changes
rows (``rowcount`` -1: an import found no ids for the articles it wrote), and PySide6 no
longer finds keyword properties that start with an "i" (``QTimer(interval=...)``: the
window did not start). Python sets ``LC_CTYPE`` from the environment at start, and Qt sets
every category again when its application is made, so this is called at both. The program
reads and writes Unicode and UTF-8 throughout; only the C library's idea of letters changes.
"""

from __future__ import annotations

import locale

#: Languages whose dotted and dotless i break ASCII case mapping in C.
TURKIC = frozenset({"tr", "az", "crh", "tt", "kk"})


def ascii_case_rules() -> None:
    """Set ``LC_CTYPE`` to ``C.UTF-8`` (``C`` where that is missing) if it is Turkic."""
    current = locale.setlocale(locale.LC_CTYPE)
    language = current.split(".")[0].split("_")[0].split("@")[0].lower()
    if language not in TURKIC:
        return
    for fallback in ("C.UTF-8", "C.utf8", "C"):
        try:
            locale.setlocale(locale.LC_CTYPE, fallback)
        except locale.Error:
            continue
        return
