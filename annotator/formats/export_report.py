"""What an export wrote and what it could not: the report, its notes, the list of omissions.

Every span a format cannot hold is counted in the report, the first ``LISTED`` are kept in it
(for the window), and all are written to ``OMITTED_NAME`` beside the output.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from annotator.core.text import counted
from annotator.formats.base import LEFT_OUT_BY_TYPE, Format, Omission
from annotator.formats.brat_export import UNFIT_LABEL, brat_holds, is_type_name
from annotator.storage import Store
from annotator.storage.imports import count_known_negatives

DEFAULT_STATUS = "done"
LISTED = 1000  # omissions kept in the report itself; the file has them all
OMITTED_NAME = "omitted.tsv"
_SHOWN = 10  # omissions a summary shows one by one


@dataclass
class ExportReport:
    """What an export wrote and what it could not: for the command line and the window."""

    format: str
    outputs: dict[str, Path] = field(default_factory=dict)  # split name ("" unsplit) -> path
    articles: Counter[str] = field(default_factory=Counter)  # per split name
    spans: Counter[str] = field(default_factory=Counter)  # written, per label
    versions: Counter[str] = field(default_factory=Counter)  # articles per annotator exported
    left_out: Counter[str] = field(default_factory=Counter)  # articles not exported, by reason
    omitted: Counter[tuple[str, str]] = field(default_factory=Counter)  # (label, reason)
    changed: Counter[tuple[str, str]] = field(default_factory=Counter)  # written, not exactly
    omissions: list[Omission] = field(default_factory=list)  # the first LISTED
    omissions_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # facts the writers counted
    links: int = 0  # spans exported with a knowledge-base entry
    relations: int = 0  # relations between exported spans (a claim and its source)
    attributes: int = 0  # attribute values of exported spans (effective: defaults too)
    #: The gazetteer and actor knowledge base the entries come from (``kb.versions``).
    kb_versions: dict[str, str] = field(default_factory=dict)

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

    def summary_lines(self) -> list[str]:
        """The report as lines of text, as the command line prints it."""
        lines = []
        if not self.written:
            where = ", ".join(str(path) for path in self.outputs.values())
            lines.append(f"nothing written: no article to export to {where}")
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
                {("not annotated" if k == "nobody" else k): n for k, n in self.versions.items()}
            )
            lines.append(f"versions: {_counts(shown)}")
        if self.left_out:
            lines.append(
                f"left out {sum(self.left_out.values()):,} articles: {_counts(self.left_out)}"
            )
        lines.extend(self.notes)
        if self.omitted:
            lines.append(
                f"{sum(self.omitted.values()):,} spans not written "
                f"(all listed in {self.omissions_path}):"
            )
            lines.extend(
                f"  {label} {n:,}: {reason}" for (label, reason), n in sorted(self.omitted.items())
            )
        if self.changed:
            lines.append(
                f"{sum(self.changed.values()):,} spans written, but not exactly "
                f"(all listed in {self.omissions_path}):"
            )
            lines.extend(
                f"  {label} {n:,}: {reason}" for (label, reason), n in sorted(self.changed.items())
            )
        shown = self.omissions[:_SHOWN]
        for article_id, omissions in _grouped(shown).items():
            lines.append(f"  article {article_id} {omissions[0].title[:60]!r}:")
            lines.extend(f"    {_describe(o)}" for o in omissions)
        hidden = sum(self.omitted.values()) + sum(self.changed.values()) - len(shown)
        if hidden > 0:
            lines.append(f"  ... and {hidden:,} more in {self.omissions_path}")
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
            "kb_versions": dict(self.kb_versions),
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
        if self.file is not None:
            self.file.close()
        self.path.unlink(missing_ok=True)


def _record(report: ExportReport, omission: Omission, file: IO[str]) -> None:
    span = omission.span
    key = (span.label, omission.reason)
    (report.changed if omission.written else report.omitted)[key] += 1
    if len(report.omissions) < LISTED:
        report.omissions.append(omission)
    fields = [
        str(omission.article_id),
        omission.title,
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
    for (label, _), n in report.omitted.items():
        report.spans[label] -= n
    report.spans = +report.spans  # drop labels with nothing written


def add_notes(
    report: ExportReport,
    fmt: Format,
    targets: dict[str, Path],
    wanted: str,
    store: Store | None = None,
    split: tuple[float, ...] | None = None,
) -> None:
    if report.left_out and wanted == DEFAULT_STATUS:
        report.notes.append(
            "only articles marked done are exported: --status NAME picks another status, "
            "--status all every article"
        )
    if not report.written:
        return  # what the files would have held, or how to read them, is no news
    if report.versions["nobody"]:
        report.notes.append(
            f"{report.versions['nobody']:,} articles nobody annotated were written without spans"
        )
    shares = dict(zip(targets, split or (), strict=False))
    for name in targets:
        if name and report.articles[name] == 0 and shares.get(name, 1) > 0:
            report.notes.append(f"{name} is empty: the project is small for these shares")
    if not fmt.folder and not any(path.suffix == fmt.suffix for path in targets.values()):
        report.notes.append(f"note: tools look for {fmt.name} files by the suffix {fmt.suffix}")
    if fmt.name == "doccano":
        report.notes.append(
            "doccano: the file is UTF-8; choose utf_8 as the encoding when importing it "
            "(doccano guesses the encoding otherwise)"
        )
        if report.counts["relation format"]:
            report.notes.append(
                "doccano: written in doccano's relation format (entities and relations), as "
                "the project holds claim sources: import it into a sequence labeling project "
                "with relation labeling on"
            )
        if report.counts["overlapping"]:
            report.notes.append(
                f"doccano: {report.counts['overlapping']:,} articles have overlapping spans, "
                "which doccano drops unless the project allows overlapping spans "
                "(its settings: 'Allow overlapping spans')"
            )
    if fmt.name == "labelstudio":
        configs = [f"{path.name}.labeling-config.xml" for path in targets.values()]
        report.notes.append(
            f"Label Studio: the labeling config for these tasks is {', '.join(configs)} "
            "(paste it into the project's Labeling Interface before importing the tasks)"
        )
    if fmt.name == "brat" and store is not None:
        unfit = [label.name for label in store.labels() if not is_type_name(label.name)]
        if unfit:
            report.notes.append(
                f"brat: annotation.conf leaves out the labels {', '.join(unfit)}, and the "
                f"collection their spans (listed), as {UNFIT_LABEL}; rename them "
                "(annotator labels DB rename OLD NEW) to export them to brat"
            )
        kinds = [
            (what, ", ".join(t.name for t in types if not brat_holds(t)))
            for what, types in (("the relation types", store.relation_types()),
                                ("the attributes", store.attribute_types()))
        ]  # fmt: skip
        unfit = "; ".join(f"{what} {names}" for what, names in kinds if names)
        if unfit:
            report.notes.append(
                f"brat: the relations and attribute values of {unfit} are left out (counted "
                f"below), as {UNFIT_LABEL} (their labels and values too)"
            )
    if fmt.name == "conll" and report.counts["escaped"]:
        report.notes.append(
            f"CoNLL: {report.counts['escaped']:,} tokens that begin with -DOCSTART- are written "
            "with a backslash in front (\\-DOCSTART-), since readers take a line that begins "
            "with -DOCSTART- for a new document and CoNLL has no escaping; this program's "
            "import takes the backslash off"
        )
    _link_notes(report, fmt, store)
    _claim_notes(report, fmt)
    negatives = count_known_negatives(store) if store is not None else 0
    if fmt.name == "spacy" and report.counts["negatives"]:
        report.notes.append(
            f"{report.counts['negatives']:,} rejected spans (known negatives, from Prodigy's "
            "reject) are in doc.spans['incorrect_spans']: spaCy's ner learns from them with "
            'incorrect_spans_key = "incorrect_spans"'
        )
    elif negatives and fmt.name != "spacy":
        report.notes.append(
            f"{negatives:,} rejected spans (known negatives, from Prodigy's reject) are not "
            f"written: they are not annotations, and only the spacy format holds them"
        )


#: How each format holds what spans refer to; formats not named here have no place for it.
LINK_FIELDS = {
    "jsonl": 'each span\'s "kb_id"',
    "spacy": "Span.kb_id_ in doc.ents and doc.spans['sc']",
    "brat": "N lines (normalizations), declared in tools.conf",
    "labelstudio": 'a per-region TextArea "kb_id" (in the labeling config)',
    "geojson": 'each feature\'s "kb_id"',
}


def _link_notes(report: ExportReport, fmt: Format, store: Store | None) -> None:
    """Say where the spans' entries went, or that the format has no place for them; and
    which gazetteer and knowledge base they refer to."""
    if not report.links:
        return
    if fmt.name == "geojson":  # the located places only: each feature is a linked span
        located = sum(report.spans.values())
        line = f"{located:,} of {report.links:,} spans that refer to entries written as "
        line += LINK_FIELDS[fmt.name]
        if located < report.links:
            line += f"; {report.links - located:,} not: GeoJSON holds located places only"
        report.notes.append(line)
    elif fmt.name in LINK_FIELDS:
        report.notes.append(
            f"{report.links:,} spans refer to knowledge-base entries, written as "
            f"{LINK_FIELDS[fmt.name]}"
        )
    else:
        report.notes.append(
            f"{report.links:,} links to knowledge-base entries (kb_id) are not written: "
            f"{fmt.name} has no place for them (jsonl, spacy, brat, labelstudio and "
            "geojson hold them)"
        )
    from annotator.kb.versions import kb_versions
    from annotator.storage.links import project_actors

    report.kb_versions = kb_versions(project_actors(store) if store is not None else ())
    report.notes.append(
        "entries from: " + "; ".join(f"{k}: {v}" for k, v in report.kb_versions.items())
    )


#: How each format holds relations and attribute values; formats not named here have no
#: place for them (CoNLL, GeoJSON).
CLAIM_FIELDS = {
    "jsonl": ("Prodigy's relations (head, child, head_span, child_span, label)",
              'each span\'s "attributes"'),
    "spacy": ("doc._.annotator_relations", "doc._.annotator_attributes (user_data; see the "
              "README for the loader)"),
    "brat": ("R lines", "A lines, declared in annotation.conf"),
    "labelstudio": ("relation results", "per-region choices (in the labeling config)"),
    "doccano": ("relations between entities (doccano's relation format)", ""),
}  # fmt: skip


def _claim_notes(report: ExportReport, fmt: Format) -> None:
    """Say how many relations and attribute values were written and where, and how many the
    format could not hold."""
    if not report.relations and not report.attributes:
        return
    relation_field, attribute_field = CLAIM_FIELDS.get(fmt.name, ("", ""))
    written = report.counts["relations"], report.counts["attributes"]
    for kind, what, total, done, where in (
        ("relations", "relations between spans (claim sources)", report.relations, written[0],
         relation_field),
        ("attributes", "attribute values of spans (effective: defaults included)",
         report.attributes, written[1], attribute_field),
    ):  # fmt: skip
        if not total:
            continue
        if not where:
            holders = ", ".join(name for name, fields in CLAIM_FIELDS.items() if fields[0])
            if kind == "attributes":
                holders = ", ".join(name for name, fields in CLAIM_FIELDS.items() if fields[1])
            report.notes.append(
                f"{total:,} {what} are not written: {fmt.name} has no place for them "
                f"({holders} hold them)"
            )
            continue
        line = f"{done:,} of {total:,} {what} written as {where}"
        by_type = report.counts[f"{kind} {LEFT_OUT_BY_TYPE}"]
        by_span = total - done - by_type
        if by_type and by_span:
            line += (
                f"; {total - done:,} not written: {by_type:,} of types left out (above), "
                f"{by_span:,} joining a span not written (listed)"
            )
        elif by_type or by_span:
            why = "their types are left out (above)" if by_type else "a span they join was not "
            line += f"; {total - done:,} not written: " + (
                why if by_type else why + "written (listed)"
            )
        report.notes.append(line)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{name} {n:,}" for name, n in sorted(counter.items())) or "none"


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
