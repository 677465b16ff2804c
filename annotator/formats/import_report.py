"""What an import did, counted as it goes (``ImportReport``), and said the same way on the
command line and in the window (``summary_lines``)."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from annotator.core.model import GOLD, Span
from annotator.core.spans import span_in_words
from annotator.core.text import counted, isolated, not_english_note
from annotator.formats.file_kinds import spreadsheets_note

#: Whose spans annotations become when neither the command nor the file names anyone.
DEFAULT_ANNOTATOR = "imported"
#: The command line's advice for them; the window says its own (``ui/dialogs.py``).
NAME_THE_UNNAMED = (
    f"`annotator import --annotator NAME` gives them to one, `--annotator {GOLD}` to the "
    "review's version"
)

LISTED = 20  # skipped records a report names one by one
#: Overlapping pairs of an annotation the report names (only its first was named: a FAC
#: and an ORG stacked on "Ansar Allah" went unsaid beside SPEAKER and SRC on "Reuters").
PAIRS_LISTED = 3


def overlapping_pairs(spans: Iterable[Span]) -> tuple[list[tuple[Span, Span]], int]:
    """The first ``PAIRS_LISTED`` pairs of ``spans`` that share a character, in text order,
    and how many pairs do (counted, not listed: a file may nest thousands)."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.label))
    starts = [span.start for span in ordered]
    pairs: list[tuple[Span, Span]] = []
    count = 0
    for i, span in enumerate(ordered):
        later = bisect_left(starts, span.end, i + 1) - (i + 1)  # (those starting inside it)
        count += later
        room = min(later, PAIRS_LISTED - len(pairs))
        pairs += [(span, other) for other in ordered[i + 1 : i + 1 + room]]
    return pairs, count


@dataclass
class ImportReport:
    files: int = 0
    added: int = 0
    duplicates: int = 0
    filled: int = 0  # of the articles held already, those a record gave a missing title...
    annotated: int = 0  # (article, annotator) annotation sets imported
    spans: int = 0  # annotation spans imported
    links: int = 0  # of them, spans that refer to a knowledge-base entry
    verdicts: int = 0  # and spans without one that carry the linker's verdict ("generic")
    relations: Counter[str] = field(default_factory=Counter)  # relation type -> kept
    attributes: int = 0  # attribute values kept (defaults included, though not stored)
    attribute_defaults: int = 0  # of them, the attribute's default: it takes no row
    suggestions: int = 0  # the model's, for new articles
    suggested_sources: int = 0  # its claim sources (relations), and
    suggested_links: int = 0  # its spans linked to an entry
    linking: bool = False  # whether the model links (then "0 linked" says something)
    model: str = ""
    per_file: list[tuple[str, int, int]] = field(default_factory=list)  # (file, added, dupes)
    annotators: list[str] = field(default_factory=list)  # whose spans the files brought
    unknown_labels: list[str] = field(default_factory=list)  # labels not in the project's scheme
    #: and those only the file's predictions (suggestions) have
    unknown_suggested_labels: list[str] = field(default_factory=list)
    #: of them, those the project renamed or merged since -> the label they are now
    renamed_labels: dict[str, str] = field(default_factory=dict)
    not_held: Counter[str] = field(default_factory=Counter)  # kind -> count, not imported
    #: tool -> texts its user skipped, which its export gives no text for (ner-annotator)
    skipped_in_tool: Counter[str] = field(default_factory=Counter)
    #: field -> articles whose text came from a field (a column) not named "text"
    texts_from: Counter[str] = field(default_factory=Counter)
    #: why records read as articles may not be what their file meant -> where they are
    doubts: dict[str, list[str]] = field(default_factory=dict)
    #: Annotations whose entity spans overlap one another, which the window never makes:
    #: where, whose, and their first two ("ben's LOCATION 'الخرطوم' and LOCATION 'الخرطوم
    #: بحري'" went in unsaid, and the review put both into gold)
    overlapping: list[str] = field(default_factory=list)
    negatives: int = 0  # rejected spans kept as known negatives
    unaccepted: int = 0  # spans the annotators had that their decisions now reject: removed
    partial: int = 0  # annotation sets of binary decisions: left in progress
    #: Annotations the file says are not done (this program's Prodigy export of work in
    #: progress, skipped or flagged; Prodigy's flag), by that status.
    unfinished: Counter[str] = field(default_factory=Counter)
    empty: int = 0  # finished annotation sets with no span: "no entity here", or unlabelled?
    #: "who's document": INCEpTION users' files with no span, whose state the export did not
    #: give (its file is written once the document is opened): imported in progress
    opened_only: list[str] = field(default_factory=list)
    duplicate_spans: int = 0  # identical spans given twice, stored once
    predictions: Counter[str] = field(default_factory=Counter)  # model -> suggestions imported
    skipped: int = 0  # records left out (--skip-invalid)
    other_files: Counter[str] = field(default_factory=Counter)  # folders' files not read
    not_english: int = 0  # suggested articles that do not look English, and the first
    not_english_example: str = ""
    skipped_listed: list[str] = field(default_factory=list)  # "place: reason", the first LISTED
    #: Annotations (article × annotator) the project held that the import replaced, and of
    #: them those that differed from what replaced them (the annotator's edits are gone).
    replaced: int = 0
    changed: int = 0
    gold: int = 0  # annotations the files mark as the reference, imported as gold's
    unnamed: int = 0  # annotations of no one the files name, given to DEFAULT_ANNOTATOR
    #: Spans one annotator's decisions both accepted and rejected (Prodigy's binary
    #: answers, two tasks): the later answer is kept, the earlier dropped.
    contradicted: int = 0
    #: Where an annotator gave a text again with other spans, the later version kept:
    #: "file:9 over file:2".
    superseded: list[str] = field(default_factory=list)
    #: Project actors (``project:`` ids) an export's actors file brought, and those the
    #: project held already under the same id but otherwise (kept as the project has them).
    actors_added: int = 0
    actors_differing: int = 0
    #: What the project held on spans the files gave again that their format has no place
    #: for, kept (``import_kept``): "links", "verdicts", "relations", "attributes".
    kept_from_project: Counter[str] = field(default_factory=Counter)
    #: The project's verdicts on spans the files gave again without one, where the file's
    #: record carries verdicts on other spans (so says there is none): removed.
    verdicts_removed: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The figures, as ``annotator import --json`` prints them, with the summary's lines."""
        figures: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        figures["per_file"] = [
            {"file": name, "added": added, "duplicates": duplicates}
            for name, added, duplicates in self.per_file
        ]
        figures["summary"] = self.summary_lines()
        return figures

    def note_overlaps(
        self, place: str, who: str, text: str, spans: Iterable[Span], claim_labels: set[str]
    ) -> None:
        """Note an annotation whose entity spans (any label not of a claim kind) overlap,
        with every pair that does (the first ``PAIRS_LISTED``, then how many more)."""
        pairs, count = overlapping_pairs(span for span in spans if span.label not in claim_labels)
        if pairs:
            named = "; ".join(
                f"{span_in_words(first, text)} and {span_in_words(second, text)}"
                for first, second in pairs
            )
            more = f"; and {count - len(pairs):,} more" if count > len(pairs) else ""
            self.overlapping.append(f"{place}: {isolated(who)}'s {named}{more}")

    def summary_lines(self) -> list[str]:
        """The report as the command line prints it (the window shows the same)."""
        first = (
            f"{counted(self.added, 'article')} imported, "
            f"{counted(self.duplicates, 'duplicate')} skipped"
        )
        if self.annotated:  # an annotation: one annotator's version of one article
            first += f", {counted(self.spans, 'span')} in {counted(self.annotated, 'annotation')}"
        if self.model:
            linked = f", {self.suggested_links:,} linked" if self.linking else ""
            first += (
                f", {counted(self.suggestions, 'suggestion')} from {self.model} "
                f"({counted(self.suggested_sources, 'claim source')}{linked})"
            )
        lines = [first]
        if self.filled:
            lines.append(
                f"{counted(self.filled, 'article')} the project held given the title, source, "
                "URL or date it lacked (what it had stays)"
            )
        if self.not_english:
            lines.append(not_english_note(self.not_english, self.not_english_example))
        if self.gold:
            lines.append(
                f"{counted(self.gold, 'annotation')} imported as the gold version (annotator "
                f"{GOLD}), as the files mark them (Label Studio's ground_truth, INCEpTION's "
                f"curation, or the "
                f"annotator named {GOLD}, as exports write it) or --annotator {GOLD} asked"
            )
        if self.unnamed:
            lines.append(
                f"{counted(self.unnamed, 'annotation')} the files name no annotator for went "
                f"to the annotator {DEFAULT_ANNOTATOR}: {NAME_THE_UNNAMED}"
            )
        if self.replaced:
            same = self.replaced - self.changed
            lines.append(
                f"{counted(self.replaced, 'annotation')} already in the project (article × "
                f"annotator) replaced by the files' versions: {self.changed} differed from the "
                f"project's (edits made there are gone), {same} {'was' if same == 1 else 'were'} "
                "the same"
            )
        if self.predictions:
            shown = ", ".join(f"{n} from {model}" for model, n in sorted(self.predictions.items()))
            lines.append(f"predictions imported as suggestions: {shown}")
        if self.links:
            refer = "span refers" if self.links == 1 else "spans refer"
            lines.append(f"{self.links:,} {refer} to knowledge-base entries (kb_id), kept")
        if self.verdicts:
            lines.append(
                f"{counted(self.verdicts, 'span')} without an entry carry the linker's verdict "
                "(link_status: generic, ambiguous or unknown), kept"
            )
        if self.relations or self.attributes:
            kinds = ", ".join(f"{name} {n}" for name, n in sorted(self.relations.items()))
            # A format that writes every value (JSON Lines) and one that writes those set
            # (brat) said 777 and 289 of the same 48 stored values.
            defaults = self.attribute_defaults
            lines.append(
                f"{counted(sum(self.relations.values()), 'relation')} ({kinds or 'none'}) and "
                f"{counted(self.attributes, 'attribute value')} read from the files"
                + (f" ({defaults} of them the attribute's default)" if defaults else "")
            )
        if self.unaccepted:
            lines.append(
                f"{counted(self.unaccepted, 'span')} the annotators had removed, with the "
                "sources and values on them: their decisions in the files reject them now"
            )
        if self.negatives:
            lines.append(
                f"{self.negatives} rejected spans kept as known negatives, not annotations"
            )
        if self.contradicted:
            lines.append(
                f"{counted(self.contradicted, 'span')} both accepted and rejected by the same "
                "annotator (Prodigy's decisions, in different tasks): the later answer kept, "
                "in the order of the files and their lines"
            )
        if self.superseded:
            lines.append(
                f"{counted(len(self.superseded), 'text')} given again by the same annotator "
                "with other spans: the later version kept, in the order of the files and "
                f"their lines ({', '.join(self.superseded[:3])}"
                + (", …)" if len(self.superseded) > 3 else ")")
            )
        if self.partial:
            lines.append(
                f"{self.partial} annotations are binary decisions (accept/reject one span): "
                "left in progress, not done, since the rest of the text was not looked at"
            )
        if self.unfinished:
            statuses = ", ".join(
                f"{n} {status.replace('_', ' ')}" for status, n in sorted(self.unfinished.items())
            )
            lines.append(f"annotations not done, kept as the file says: {statuses}")
        if self.empty:
            lines.append(
                f"{counted(self.empty, 'annotation')} with no span imported as finished: an "
                "article without entities (doccano and Label Studio export examples nobody "
                "labelled this way too: if those were not annotated, export only the labelled "
                "ones, or mark them todo here)"
            )
        if self.opened_only:
            named = ", ".join(self.opened_only[:LISTED])
            more = len(self.opened_only) - LISTED
            lines.append(
                f"{counted(len(self.opened_only), 'annotation')} of INCEpTION with no span "
                "imported in progress, not done: INCEpTION writes a user's file once the "
                "document is opened, finished or not, and no exportedproject.json beside "
                "annotation/ gave their state (the project export holds it): "
                + named
                + (f", and {more:,} more" if more > 0 else "")
            )
        if kept_counts := +self.kept_from_project:
            kept = ", ".join(f"{kind} {n}" for kind, n in sorted(kept_counts.items()))
            lines.append(
                "kept from the project on the spans the files gave again (the files have no "
                f"place for them, or say nothing of them): {kept}"
            )
        if self.verdicts_removed:
            lines.append(
                f"{counted(self.verdicts_removed, 'verdict')} of the linker the project held "
                "removed from spans the files gave again: their records carry verdicts and "
                "none on those spans"
            )
        if self.actors_added or self.actors_differing:
            lines.append(
                f"{counted(self.actors_added, 'project actor')} added from the export's actors "
                "file (what its project: links name)"
                + (
                    f"; {self.actors_differing} the project holds under the same id but "
                    "otherwise kept as the project has them"
                    if self.actors_differing
                    else ""
                )
            )
        if self.duplicate_spans:
            lines.append(f"{self.duplicate_spans} spans given twice were stored once")
        if self.texts_from:
            where = ", ".join(f"{name!r} {n}" for name, n in sorted(self.texts_from.items()))
            lines.append(f"texts read from a field (column) not named text: {where}")
        if self.overlapping:
            lines.append(
                f"{counted(len(self.overlapping), 'annotation')} with entity spans that overlap "
                "one another, kept as the files have them (the window shows one of each pair, "
                "and the review takes no such version):"
            )
            lines += [f"  {place}" for place in self.overlapping[:LISTED]]
            if len(self.overlapping) > LISTED:
                lines.append(f"  ... and {len(self.overlapping) - LISTED:,} more")
        for doubt, places in self.doubts.items():
            lines.append(f"{counted(len(places), 'row')} {doubt}:")
            lines += [f"  {place}" for place in places[:LISTED]]
            if len(places) > LISTED:
                lines.append(f"  ... and {len(places) - LISTED:,} more")
        for tool, n in sorted(self.skipped_in_tool.items()):
            lines.append(
                f"{counted(n, 'sentence')} skipped in {tool}, not imported (its export holds "
                "null for each, not the text)"
            )
        if self.not_held:
            kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.not_held.items()))
            lines.append(f"not imported (the program does not hold them): {kinds}")
        if self.unknown_labels or self.unknown_suggested_labels:
            named = ", ".join(self.unknown_labels)
            if self.unknown_suggested_labels:
                only = f"suggestions' only: {', '.join(self.unknown_suggested_labels)}"
                named = f"{named}; {only}" if named else only
            lines.append(f"labels not in the project's scheme: {named}")
            for old, new in sorted(self.renamed_labels.items()):
                lines.append(
                    f"  {old} was renamed (or merged into) {new} in the project since: "
                    f"`annotator labels PROJECT merge {old} {new}`, or Merge into… in the "
                    f"Labels dialog, makes its spans {new}"
                )
        if self.other_files:
            kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.other_files.items()))
            lines.append(
                f"{counted(sum(self.other_files.values()), 'file')} in the folders left out, "
                f"of types the program does not read: {kinds}" + spreadsheets_note(self.other_files)
            )
        if self.skipped:
            lines.append(f"{counted(self.skipped, 'invalid record')} skipped, as asked:")
            lines += [f"  {entry}" for entry in self.skipped_listed]
            if self.skipped > len(self.skipped_listed):
                lines.append(f"  ... and {self.skipped - len(self.skipped_listed):,} more")
        return lines
