"""Which versions of which articles an export takes, and the checks of what was asked.

A version is chosen by status (``--status``, ``all``); articles whose versions tie (several
annotators, no gold) are the export's *rivals*: counted, a few named, and the export refused;
or, asked (``--skip-unsettled``), left out and counted, so that a project half reviewed gives
the dataset of what is settled.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD, STATUSES
from annotator.core.text import counted
from annotator.formats import export_formats, get_format
from annotator.formats.base import Format
from annotator.formats.export_report import lacking
from annotator.storage import Store
from annotator.storage.exports import Version, iter_versions

ALL_STATUSES = "all"
#: Why an article whose versions tie is left out (``--skip-unsettled``).
UNSETTLED = "several annotators' versions, no gold"
RIVALS_SHOWN = 5
#: The formats whose files cannot say "not annotated", with why: an article without the
#: version exported is left out of them (and counted so), not written as if annotated.
#: (CoNLL wrote them all ``O``: 18 sample articles taught as texts without any entity.)
NOT_ANNOTATED_UNSAID = {
    "conll": "CoNLL has no tag for a token nobody annotated: its O says 'annotated, not an entity'",
}


class ExportError(AnnotatorError):
    """An export that cannot be made as asked; nothing is written."""


def parse_split(text: str) -> tuple[float, ...]:
    """``"0.8,0.1,0.1"`` as shares of train, dev (and test); they must add up to 1.

    ``float`` reads ``nan`` and ``inf`` too: NaN would pass every comparison below."""
    try:
        shares = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise ExportError(f"--split {text}: give two or three numbers, e.g. 0.8,0.1,0.1") from None
    if not 2 <= len(shares) <= 3 or any(not 0 <= share < math.inf for share in shares):
        raise ExportError(f"--split {text}: give two or three shares >= 0, e.g. 0.8,0.1,0.1")
    if abs(sum(shares) - 1) > 1e-6:
        raise ExportError(f"--split {text}: the shares add up to {sum(shares):g}, not 1")
    return shares


def select_versions(
    versions: list[Version],
    wanted: str,
    left_out: Counter[str],
    rivals: Rivals,
    who: str | None = None,
    skip_unsettled: bool = False,
    format_name: str = "",
) -> list[Version]:
    """The versions to write; the others are counted in the report, or collected as rivals
    (``skip_unsettled``: counted too). ``who``: the one version asked for (``--gold``,
    ``--annotator``), if any; ``format_name``: the format written, which may have no way to
    say an article is not annotated (``NOT_ANNOTATED_UNSAID``)."""
    missing = lacking(who)
    unsaid = format_name in NOT_ANNOTATED_UNSAID
    chosen = []
    for version in versions:
        if version.rivals:
            if wanted != ALL_STATUSES and all(status != wanted for _, status in version.rivals):
                left_out[f"status {version.rivals[0][1]}"] += 1
            elif skip_unsettled:
                left_out[UNSETTLED] += 1
            else:
                rivals.add(version)
        elif version.annotator is None and wanted not in (ALL_STATUSES, "todo"):
            left_out[missing] += 1
        elif version.annotator is None and unsaid:
            left_out[unsayable(who, format_name)] += 1
        elif wanted not in (ALL_STATUSES, version.status):
            left_out[f"status {version.status}"] += 1
        else:
            chosen.append(version)
    return chosen


def unsayable(who: str | None, format_name: str) -> str:
    """Why an article without the version exported is left out of a format that cannot say
    it is not annotated ("not annotated, which conll cannot say")."""
    return f"{lacking(who)}, which {format_name} cannot say"


@dataclass
class ExportPreview:
    """What an export as asked would do, found before anything is written."""

    articles: int = 0  # the articles it would write
    rivals: Rivals = field(default_factory=lambda: Rivals())


def preview_export(
    store: Store,
    who: str | None,
    wanted: str,
    skip_unsettled: bool = False,
    count: bool = True,
    format_name: str = "",
) -> ExportPreview:
    """The articles an export in ``format_name`` would write (``count``), and those it would
    be refused for (tied versions, no gold): the window says so before it asks to replace a
    file, not after the user agreed, and asks nothing when nothing would replace it."""
    preview = ExportPreview()
    if not count and (who is not None or skip_unsettled or len(store.annotators()) < 2):
        return preview  # nobody to tie with (most projects), and nothing to count: no walk
    for versions in iter_versions(store, who):
        chosen = select_versions(
            versions, wanted, Counter(), preview.rivals, who, skip_unsettled, format_name
        )
        preview.articles += len(chosen)
    return preview


def export_format(name: str) -> Format:
    fmt = get_format(name, "export")
    if fmt.write is None:
        known = ", ".join(f.name for f in export_formats())
        raise ExportError(f"the {fmt.name} format can be imported, not exported; export as {known}")
    return fmt


def check_annotator(store: Store, who: str | None) -> None:
    if who is None:
        return
    names = store.annotators(include_gold=True)
    if who in names:
        return
    where = store.path or "this project"
    if who == GOLD:
        raise ExportError(
            f"{where} has no gold version yet: adjudicate in the review window first, "
            "or export one annotator with --annotator NAME"
        )
    raise ExportError(
        f"no annotator {who!r} in {where}; annotators: {', '.join(names) or 'none yet'}"
    )


def check_status(status: str) -> str:
    if status != ALL_STATUSES and status not in STATUSES:
        choices = ", ".join([*STATUSES, ALL_STATUSES])
        raise ExportError(f"unknown status {status!r}; choose one of {choices}")
    return status


@dataclass
class Rivals:
    """Articles with tied versions: how many, and a few to name."""

    count: int = 0
    examples: list[Version] = field(default_factory=list)

    def add(self, version: Version) -> None:
        self.count += 1
        if len(self.examples) < RIVALS_SHOWN:
            self.examples.append(version)

    def merge(self, other: Rivals) -> None:
        self.count += other.count
        self.examples += other.examples[: RIVALS_SHOWN - len(self.examples)]

    def message(self) -> str:
        examples = "; ".join(
            f"article {v.article_id}: {', '.join(name for name, _ in v.rivals)}"
            for v in self.examples
        )
        more = (
            f"; and {self.count - len(self.examples):,} more"
            if self.count > len(self.examples)
            else ""
        )
        return (
            f"{counted(self.count, 'article')} {'has' if self.count == 1 else 'have'} versions "
            "by several annotators and no gold version "
            f"({examples}{more}); export one annotator with --annotator NAME, adjudicate "
            "them and export --gold, or leave them out with --skip-unsettled"
        )
