"""What an export wrote and what it could not: the report and the list of omissions (the
report's notes are made in ``export_notes.py``).

Every span a format cannot hold is counted in the report, the first ``LISTED`` are kept in it
(for the window), and all are written to ``OMITTED_NAME`` beside the output.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotator.core.model import NOBODY, article_name
from annotator.core.text import counted
from annotator.formats.base import Omission

DEFAULT_STATUS = "done"
LISTED = 1000  # omissions kept in the report itself; the file has them all
OMITTED_NAME = "omitted.tsv"
_SHOWN = 10  # omissions a summary shows one by one


def lacking(who: str | None) -> str:
    """What an article without the version exported lacks: any annotation, or the one
    version asked for (``--gold``, ``--annotator``; "not annotated" said so of articles six
    annotators had finished)."""
    return "not annotated" if who is None else f"no {who} version"


@dataclass
class ExportReport:
    """What an export wrote and what it could not: for the command line and the window."""

    format: str
    outputs: dict[str, Path] = field(default_factory=dict)  # split name ("" unsplit) -> path
    articles: Counter[str] = field(default_factory=Counter)  # per split name
    spans: Counter[str] = field(default_factory=Counter)  # written, per label
    versions: Counter[str] = field(default_factory=Counter)  # articles per annotator exported
    who: str | None = None  # the one version asked for (--gold, --annotator), if any
    left_out: Counter[str] = field(default_factory=Counter)  # articles not exported, by reason
    omitted: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, reason)
    changed: Counter[tuple[str, str]] = field(default_factory=Counter)  # written, not exactly
    #: Of ``omitted``, the rejected spans (known negatives): never among ``spans`` written
    omitted_rejections: Counter[tuple[str, str]] = field(default_factory=Counter)
    omissions: list[Omission] = field(default_factory=list)  # the first LISTED
    omissions_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # facts the writers counted
    links: int = 0  # spans exported with a knowledge-base entry
    project_links: int = 0  # of them, to one of the project's own actors (``project:``)
    #: The linker's verdicts on spans exported without an entry ("generic", "ambiguous",
    #: "unknown"), by verdict.
    verdicts: Counter[str] = field(default_factory=Counter)
    #: Versions written that are not done, by status (in a format without a place for it,
    #: they come back done: ``export_notes``).
    unfinished: Counter[str] = field(default_factory=Counter)
    comments: int = 0  # flag comments on the versions written (not done)
    relations: int = 0  # relations between exported spans (a claim and its source)
    attributes: int = 0  # attribute values of exported spans (effective: defaults too)
    #: The gazetteer and actor knowledge base the entries come from (``kb.versions``).
    kb_versions: dict[str, str] = field(default_factory=dict)
    #: The project's own actors written beside the dataset (``actor_files``), and where.
    actors: int = 0
    actors_path: Path | None = None

    @property
    def article_count(self) -> int:
        return sum(self.articles.values())

    @property
    def written(self) -> bool:
        """Whether files were written: an export with no article writes none (nor replaces
        one there)."""
        return self.article_count > 0

    def omissions_by_article(self) -> dict[int, list[Omission]]:
        """The listed omissions grouped by article id, in article order."""
        return _grouped(self.omissions)

    @property
    def bare(self) -> str:
        """What an article written without spans lacks (``lacking``)."""
        return lacking(self.who)

    def summary_lines(self, brief: bool = False) -> list[str]:
        """The report as lines of text, as the command line prints it. ``brief``: for the
        window's message box, what was not written comes before the notes, and the spans
        are not listed one by one."""
        lines = []
        if not self.written:
            where = ", ".join(str(path) for path in self.outputs.values())
            kept = [path for path in self.outputs.values() if path.exists()]
            lines.append(
                f"nothing written: no article to export to {where}"
                + _left_there(kept, of=len(self.outputs))
            )
        elif len(self.outputs) == 1:
            (path,) = self.outputs.values()
            lines.append(f"wrote {counted(self.article_count, 'article')} to {path}")
        else:
            parts = ", ".join(
                f"{name} {self.articles[name]:,} ({path.name})"
                for name, path in self.outputs.items()
            )
            folder = next(iter(self.outputs.values())).parent if self.outputs else ""
            lines.append(f"wrote {counted(self.article_count, 'article')} to {folder}: {parts}")
        lines.append(f"spans written: {_counts(self.spans)}")
        if self.versions:  # whose version each article is; "nobody": none, written bare
            shown = Counter(
                {(self.bare if k == NOBODY else k): n for k, n in self.versions.items()}
            )
            lines.append(f"versions: {_counts(shown)}")
        if self.left_out:
            left_out = counted(sum(self.left_out.values()), "article")
            lines.append(f"left out {left_out}: {_counts(self.left_out)}")
        if brief:
            return lines + self._not_written() + self.notes
        lines += self.notes + self._not_written()
        shown = self.omissions[:_SHOWN]
        for article_id, omissions in _grouped(shown).items():
            title = omissions[0].title  # (an untitled one was "article 1 '':")
            named = f"article {article_id} {title[:60]!r}" if title else None
            lines.append(f"  {named or article_name(title, article_id)}:")
            lines.extend(f"    {_describe(o)}" for o in omissions)
        hidden = sum(self.omitted.values()) + sum(self.changed.values()) - len(shown)
        if hidden > 0:
            lines.append(f"  ... and {hidden:,} more in {self.omissions_path}")
        return lines

    def _not_written(self) -> list[str]:
        """The spans not written and those written not exactly, counted by label and why."""
        lines = []
        if self.omitted:
            lines.append(
                f"{counted(sum(self.omitted.values()), 'span')} not written "
                f"(all listed in {self.omissions_path}):"
            )
            lines.extend(
                f"  {label} {n:,}: {reason}" for (label, reason), n in sorted(self.omitted.items())
            )
        if self.changed:
            lines.append(
                f"{counted(sum(self.changed.values()), 'span')} written, but not exactly "
                f"(all listed in {self.omissions_path}):"
            )
            lines.extend(
                f"  {label} {n:,}: {reason}" for (label, reason), n in sorted(self.changed.items())
            )
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "outputs": {name: str(path) for name, path in self.outputs.items()},
            "articles": {name: self.articles[name] for name in self.outputs},  # 0s too
            "spans": dict(self.spans),
            "versions": dict(self.versions),
            "left_out": dict(self.left_out),
            "omitted": [
                {"label": label, "reason": reason, "spans": n}
                for (label, reason), n in sorted(self.omitted.items())
            ],
            "changed": [
                {"label": label, "reason": reason, "spans": n}
                for (label, reason), n in sorted(self.changed.items())
            ],
            "omissions_path": str(self.omissions_path) if self.omissions_path else None,
            "notes": list(self.notes),
            "links": self.links,
            "verdicts": dict(self.verdicts),
            "kb_versions": dict(self.kb_versions),
            "actors_path": str(self.actors_path) if self.actors_path else None,
            "relations": self.relations,
            "relations_written": self.counts["relations"],
            "attributes": self.attributes,
            "attributes_written": self.counts["attributes"],
        }


class OmissionLog:
    """Counts omissions in the report and lists them all in a file, opened on the first."""

    def __init__(self, report: ExportReport, path: Path):
        self.report = report
        self.path = path
        self.file: IO[str] | None = None

    def add(self, omission: Omission) -> None:
        if self.file is None:
            self.file = self.path.open("w", encoding="utf-8", newline="\n")
            self.file.write("article\ttitle\tstart\tend\tlabel\ttext\twritten\treason\tdetail\n")
        _record(self.report, omission, self.file)

    def close(self, target: Path) -> bool:
        """Move the list to ``target``; False if there was nothing to list."""
        if self.file is None:
            return False
        self.file.close()
        self.file = None
        if target != self.path:
            self.path.replace(target)
            self.path = target
        return True

    def discard(self) -> None:
        try:
            if self.file is not None:
                self.file.close()  # (its flush fails on a full disk)
        finally:
            self.path.unlink(missing_ok=True)


def _record(report: ExportReport, omission: Omission, file: IO[str]) -> None:
    span = omission.span
    key = (span.label, omission.reason)
    (report.changed if omission.written else report.omitted)[key] += 1
    if omission.rejected and not omission.written:  # (one written not exactly: changed)
        report.omitted_rejections[key] += 1
    if len(report.omissions) < LISTED:
        report.omissions.append(omission)
    fields = [
        str(omission.article_id),
        article_name(omission.title, omission.article_id),
        str(span.start),
        str(span.end),
        span.label,
        omission.text,
        "yes" if omission.written else "no",
        omission.reason,
        omission.detail,
    ]
    file.write("\t".join(_cell(f) for f in fields) + "\n")


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def subtract_omitted(report: ExportReport) -> None:
    """Spans counted as written are those the format took, fully or in part."""
    for (label, reason), n in report.omitted.items():
        report.spans[label] -= n - report.omitted_rejections[(label, reason)]
    report.spans = +report.spans  # drop labels with nothing written


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name} {n:,}" for name, n in sorted(counter.items())) or "none"


def _left_there(kept: list[Path], of: int = 1) -> str:
    """What is said of the files (or folder) already at OUT, which an export with nothing to
    write leaves: not "an earlier export", which nobody knows (said of a file holding
    {"old":1}). Of a split's parts, where only some are there, those are named ("the file
    already there" was said of train.spacy, dev.spacy and test.spacy, only one of them there)."""
    if not kept:
        return ""
    folders = all(path.is_dir() for path in kept)
    if len(kept) < of:
        names = ", ".join(path.name for path in kept)
        left = "is left as it was" if len(kept) == 1 else "are left as they were"
        return f": {names}, already there, {left}"
    if len(kept) > 1:
        # (a brat split's three folders were "the files")
        return f": the {'folders' if folders else 'files'} already there are left as they were"
    return f": the {'folder' if folders else 'file'} already there is left as it was"


def _grouped(omissions: list[Omission]) -> dict[int, list[Omission]]:
    grouped: dict[int, list[Omission]] = {}
    for omission in omissions:
        grouped.setdefault(omission.article_id, []).append(omission)
    return grouped


def _describe(omission: Omission) -> str:
    span = omission.span
    what = f"{span.label} {span.start}-{span.end} {omission.text[:40]!r}: {omission.reason}"
    if omission.detail:
        what += f" ({omission.detail})"
    return what if not omission.written else what + " [written]"
