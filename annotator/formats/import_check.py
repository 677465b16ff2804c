"""The first pass of an import: every file read and checked, nothing written.

What it learns, the write pass needs (``ImportPlan``): each file's format, the records to
leave out (``--skip-invalid``), and where each (text, annotator) first comes, so that a
different set of spans for it later is refused and Prodigy's decisions combine. The report
(``ImportReport``) starts here and is finished by the write.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from hashlib import blake2b
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD, Span, annotator_name
from annotator.core.text import shows_something, text_hash
from annotator.formats import detect_format, get_format
from annotator.formats.base import Annotation, Format, FormatError, ImportedDocument, Invalid
from annotator.formats.import_claims import Claims
from annotator.formats.import_report import DEFAULT_ANNOTATOR, LISTED, ImportReport
from annotator.formats.records import BadValue, check_text, label, label_problem

#: The longest text imported as one article: a report of 1.2 million characters opens in
#: the window in seconds; one of 50 million froze it for 50 s and took 2.5 GB.
LONGEST_ARTICLE = 5_000_000


@dataclass(frozen=True, slots=True)
class Checked:
    """A document as the write pass takes it: checked, its text hashed, annotators named."""

    document: ImportedDocument
    digest: str
    annotations: tuple[tuple[str, Annotation], ...]  # (whose, annotation), spans deduplicated
    duplicates: int = 0  # identical spans the annotations gave more than once


@dataclass
class ImportPlan:
    """What the check pass learnt, for the write pass and the report."""

    files: list[tuple[Path, Format]]
    documents: int = 0
    skipped: set[tuple[int, int]] = field(default_factory=set)  # (file, item) left out
    #: Each (text, annotator): where it first comes, and a digest of its spans.
    claimed: Claims = field(default_factory=lambda: Claims())
    report: ImportReport = field(default_factory=ImportReport)
    #: Every file checked: each span's last decision is known (``Claims.decide``).
    decided: bool = False
    #: The project actors of the actors files beside the files (``actor_files``).
    actors: list[dict[str, Any]] = field(default_factory=list)
    #: The records, (file, item), of which some span carries the linker's verdict (a
    #: record, not a file: a file may join records of an export made before verdicts were
    #: written to those of a later one).
    judging: set[tuple[int, int]] = field(default_factory=set)

    def holds(self, index: int, item_index: int) -> frozenset[str]:
        """What record ``item_index`` of file ``index`` can say beside its spans
        (``Format.holds``): not the linker's verdicts where no span of it carries one, a
        record of an export made before they were written (re-imported, it wiped the
        project's 95 verdicts: it says nothing of them, not that there are none; a file
        that mixed 9 such records with 9 later ones wiped 48, as the choice was the file's).
        """
        holds = self.files[index][1].holds
        return holds if (index, item_index) in self.judging else holds - {"verdicts"}


class Reading:
    """Walks the files' documents, the same way in both passes, checking each."""

    def __init__(self, plan: ImportPlan, annotator: str | None):
        self.plan = plan
        self.annotator = annotator
        #: (file, item) of the document ``items`` gave last: ``check`` takes it, to keep
        #: each decision only in the record that gave its span's last answer.
        self.position = (-1, -1)

    def items(self, index: int) -> Iterator[tuple[int, ImportedDocument | Invalid]]:
        path, fmt = self.plan.files[index]
        assert fmt.read is not None
        for item_index, item in enumerate(fmt.read(path)):
            self.position = (index, item_index)
            yield item_index, item

    def check(self, document: ImportedDocument, path: Path) -> Checked:
        """Check what no reader may get wrong; raise ``FormatError`` naming the record."""
        article = document.article
        try:
            check_text(article.text, "the text")
            if len(article.text) > LONGEST_ARTICLE:
                raise BadValue(
                    f"the text is {len(article.text):,} characters long: more than "
                    f"{LONGEST_ARTICLE:,}, no article (the window would stall for a minute "
                    "on it); split it into articles"
                )
            if not shows_something(article.text):
                raise BadValue("the text holds nothing but whitespace (or invisible characters)")
            digest = text_hash(article.text)
            annotations = []
            duplicates = 0
            for annotation in document.annotations:
                named = self.annotator or (annotation.annotator or "").strip()
                if named == GOLD:
                    # This program's exports name the review's version "gold": it is read
                    # back as the gold version (its JSON Lines could not be imported back);
                    # and `--annotator gold` brings back gold corrected in a tool whose
                    # files name nobody (brat, CoNLL).
                    annotation = replace(annotation, gold=True)
                if annotation.gold:
                    who = GOLD
                elif self.annotator:
                    who = self.annotator
                else:  # a name the file gives obeys the window's rule (no "gold", no tab)
                    who = _file_annotator(annotation.annotator or DEFAULT_ANNOTATOR)
                    if not annotation.annotator and not self.plan.decided:
                        self.plan.report.unnamed += 1  # said once, by the check pass
                spans = _valid(annotation.spans, len(article.text))
                negatives = _valid(annotation.negatives, len(article.text))
                duplicates += len(annotation.spans) - len(spans)
                # (its ``annotator`` stays the name the file gives: ``who`` is beside it)
                made = replace(annotation, spans=spans, negatives=negatives)
                if made.merge and self.plan.decided:  # each span where its last answer is
                    made = self.plan.claimed.latest(claim_key(digest, who), made, self.position)
                annotations.append((who, made))
            for _, spans in document.suggestions:
                _valid(spans, len(article.text))
        except BadValue as error:
            raise FormatError(path, str(error), document.line, document.record) from None
        return Checked(
            document, digest, self._last_of_each(annotations, path, document), duplicates
        )

    def _last_of_each(
        self, annotations: list[tuple[str, Annotation]], path: Path, document: ImportedDocument
    ) -> tuple[tuple[str, Annotation], ...]:
        """A record's annotations, an annotator's later whole one standing over an earlier
        (Label Studio keeps each annotation a user made on a task: both were written)."""
        kept: dict[tuple[str, str | None], int] = {}
        result: list[tuple[str, Annotation] | None] = []
        for who, annotation in annotations:
            mine = (who, annotation.annotator)
            if not annotation.merge and mine in kept and annotation.annotator:
                earlier = result[kept[mine]]
                result[kept[mine]] = None
                other = earlier is not None and _span_digest(earlier[1]) != _span_digest(annotation)
                if other and not self.plan.decided:  # said once, by the check pass
                    where = document_place(path, document)
                    self.plan.report.superseded.append(f"{where}, {who}'s later annotation")
            if not annotation.merge:
                kept[mine] = len(result)
            result.append((who, annotation))
        return tuple(item for item in result if item is not None)


def import_annotator(name: str) -> str:
    """The annotator an import gives the files' work to: an annotator's name
    (``core.model.annotator_name``), or ``gold``, the review's version."""
    return GOLD if name.strip().casefold() == GOLD else annotator_name(name)


def _file_annotator(name: str) -> str:
    try:
        return annotator_name(name)
    except AnnotatorError as refusal:
        raise BadValue(
            f"the annotator named in the file: {refusal} (or give --annotator NAME)"
        ) from None


def _valid(spans: Sequence[Span], length: int) -> list[Span]:
    """The spans, each checked, identical ones once."""
    unique: dict[tuple[int, int, str], Span] = {}
    for span in spans:
        if not 0 <= span.start < span.end <= length:
            raise BadValue(
                f"span {span.start}-{span.end} {span.label} does not fit a text of "
                f"{length} characters"
            )
        if type(span.label) is not str or label_problem(span.label):
            label(span.label, f"the label of span {span.start}-{span.end}")
        unique.setdefault((span.start, span.end, span.label), span)
    return list(unique.values()) if len(unique) < len(spans) else list(spans)


def claim_key(digest: str, who: str) -> bytes:
    return blake2b(f"{digest}\0{who}".encode(), digest_size=16).digest()


def _span_digest(annotation: Annotation) -> bytes:
    """What tells two annotations of a text apart: their spans, relations and values."""
    keys: list = sorted(span.key for span in annotation.spans)
    if annotation.relations or annotation.attributes:
        keys += [sorted(r.key for r in annotation.relations)]
        keys += [sorted(a.key for a in annotation.attributes)]
    return blake2b(json.dumps(keys, ensure_ascii=False).encode(), digest_size=8).digest()


def document_place(path: Path, document: ImportedDocument) -> str:
    where = str(path)
    if document.line is not None:
        where += f":{document.line}"
    if document.record is not None:
        where += f" ({document.record})"
    return where


def note_overlapping_entities(
    report: ImportReport, batch: Sequence[Checked], path: Path, claim_labels: set[str]
) -> None:
    """Note in the report each annotation whose entity spans overlap one another."""
    for checked in batch:
        text, place = checked.document.article.text, document_place(path, checked.document)
        for who, annotation in checked.annotations:
            report.note_overlaps(place, who, text, annotation.spans, claim_labels)


def check_files(
    files: Sequence[Path],
    format_name: str = "auto",
    annotator: str | None = None,
    skip_invalid: bool = False,
) -> ImportPlan:
    """Read and check every file completely; raises ``FormatError`` on the first problem
    (unless ``skip_invalid``: then bad records are counted, listed and left out).

    Besides each file's own checks: every span must fit its text, labels must be names, and
    no text may get two different sets of spans from the same annotator (``annotator``
    overrides the files' names), except decisions made one span at a time, which combine.
    """
    plan = ImportPlan([])
    for path in files:
        try:
            fmt: Format = (
                detect_format(path) if format_name == "auto" else get_format(format_name, "import")
            )
        except FormatError as error:  # a .docx among them: left out and listed, the rest in
            if not skip_invalid or format_name != "auto":
                raise
            _skip(plan, -1, -1, error)
            continue
        if fmt.read is None:
            raise FormatError(path, f"the {fmt.name} format can be exported, not imported")
        plan.files.append((path, fmt))
    reading = Reading(plan, annotator)
    report = plan.report
    for index, (path, _) in enumerate(plan.files):
        found, skipped_before = 0, report.skipped
        try:
            for item_index, item in reading.items(index):
                try:
                    checked = _check_item(reading, item, path)
                    _claim(plan, index, item_index, checked, path)
                except FormatError as error:
                    if not skip_invalid:
                        raise
                    _skip(plan, index, item_index, error)
                    continue
                found += 1
                if _judges(checked):
                    plan.judging.add((index, item_index))
                report.not_held.update(dict(checked.document.not_held))
                report.skipped_in_tool.update(dict(checked.document.skipped_in_tool))
                if text_from := checked.document.text_from:
                    report.texts_from[text_from] += 1
                if doubt := checked.document.doubt:
                    report.doubts.setdefault(doubt, []).append(
                        document_place(path, checked.document)
                    )
        except FormatError as error:  # the file itself cannot be read on
            if not skip_invalid:
                raise
            _skip(plan, index, -1, error)
            continue
        if not found and report.skipped == skipped_before:  # (a header, and no rows)
            if not skip_invalid:
                raise FormatError(path, "contains no articles")
            _skip(plan, index, -1, FormatError(path, "contains no articles"))
        plan.documents += found
    if not plan.documents:  # every record skipped
        first = plan.report.skipped_listed[0] if plan.report.skipped_listed else ""
        raise FormatError(files[0], f"nothing valid to import; the first problem: {first}")
    plan.decided = True
    return plan


def _check_item(reading: Reading, item: ImportedDocument | Invalid, path: Path) -> Checked:
    if isinstance(item, Invalid):
        raise item.error
    return reading.check(item, path)


def _judges(checked: Checked) -> bool:
    """Whether a span the record gives (rejected ones too) carries the linker's verdict."""
    return any(
        span.link_status
        for _, annotation in checked.annotations
        for spans in (annotation.spans, annotation.negatives)
        for span in spans
    )


def _claim(plan: ImportPlan, index: int, item_index: int, checked: Checked, path: Path) -> None:
    """Remember each (text, annotator) the first time; refuse a different set later. Then
    record the record's decisions (``Claims.decide``), once it is known to be imported."""
    for who, annotation in checked.annotations:
        key = claim_key(checked.digest, who)
        spans_digest = _span_digest(annotation)
        where = document_place(path, checked.document)
        named = annotation.annotator or ""
        value = (index, item_index, where, spans_digest, annotation.merge, named)
        earlier = plan.claimed.claim(key, value)
        if earlier is None or (earlier[4] and annotation.merge):
            continue
        if earlier[3] == spans_digest:
            continue
        if not earlier[4] and not annotation.merge and named and earlier[5] == named:
            # The annotator's later version of the text (Prodigy's db-out lists answers in
            # the order given; Label Studio keeps each annotation a user made): it stands.
            # The whole file was refused, and --skip-invalid kept the older one. (Records
            # that name nobody may be anyone's: those are refused still.)
            plan.claimed.supersede(key, value)
            plan.report.superseded.append(f"{where} over {earlier[2]}")
            continue
        if earlier[5] != named:
            problem = (
                f"the file names {earlier[5]!r} and {named!r}, both {who} with --annotator: "
                "import it without --annotator"
            )
        elif not named:
            problem = "if they are two annotators' work, import each file with its own --annotator"
        else:
            problem = "binary decisions and a whole annotation: import them apart"
        raise FormatError(
            path,
            f"gives {who} other spans for a text that {earlier[2]} already annotates "
            f"(a project holds each text once per annotator); {problem}",
            checked.document.line,
            checked.document.record,
        )
    for who, annotation in checked.annotations:
        if annotation.merge:  # decisions, one span at a time: the later answer stands
            key = claim_key(checked.digest, who)
            plan.report.contradicted += sum(
                plan.claimed.decide(key, span.key, accepted, (index, item_index))
                for spans, accepted in ((annotation.spans, True), (annotation.negatives, False))
                for span in spans
            )


def _skip(plan: ImportPlan, index: int, item_index: int, error: FormatError) -> None:
    plan.skipped.add((index, item_index))
    report = plan.report
    report.skipped += 1
    if len(report.skipped_listed) < LISTED:
        report.skipped_listed.append(str(error))
