"""What an export's report says beside its counts (``ExportReport.notes``): which articles
were left out and why, the split's shares, where links, relations and attribute values went
in the format or that it has no place for them, and each format's own remarks."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import GOLD, NOBODY
from annotator.core.text import counted
from annotator.formats.base import LEFT_OUT_BY_TYPE, Format
from annotator.formats.brat_export import UNFIT_LABEL, brat_holds, is_type_name
from annotator.formats.export_choice import NOT_ANNOTATED_UNSAID, unsayable
from annotator.formats.export_report import DEFAULT_STATUS, ExportReport, lacking
from annotator.storage import Store
from annotator.storage.import_records import count_known_negatives


def add_notes(
    report: ExportReport,
    fmt: Format,
    targets: dict[str, Path],
    wanted: str,
    store: Store | None = None,
    split: tuple[float, ...] | None = None,
) -> None:
    if wanted == DEFAULT_STATUS and any(
        why.startswith("status ") or why == lacking(None) for why in report.left_out
    ):
        # (not where the status is not why: no version of that annotator, no gold, unsettled)
        report.notes.append(
            "only articles marked done are exported: --status NAME picks another status, "
            "--status all every article"
        )
    if fmt.name in NOT_ANNOTATED_UNSAID and (
        left_bare := report.left_out[unsayable(report.who, fmt.name)]
    ):
        report.notes.append(
            f"{counted(left_bare, 'article')} {_whose_bare(report)} left out: "
            f"{NOT_ANNOTATED_UNSAID[fmt.name]}, so each of their tokens would be taught as no "
            "entity (a DocBin marks them missing; jsonl and labelstudio write them as tasks "
            "to annotate)"
        )
    if not report.written:
        return  # what the files would have held, or how to read them, is no news
    # (a format that cannot be imported, a DocBin, GeoJSON, brings nothing back done)
    if report.unfinished and fmt.read is not None and "status" not in fmt.holds:
        statuses = ", ".join(
            f"{status.replace('_', ' ')} {n}" for status, n in sorted(report.unfinished.items())
        )
        report.notes.append(
            f"{counted(sum(report.unfinished.values()), 'version')} not done written ({statuses}): "
            f"{fmt.name} has no place for a status, so imported into another project they "
            "come in done (back into this one, a version given unchanged keeps its status; "
            "jsonl and labelstudio keep it)"
            + (
                f"; nor for a flag's comment: {counted(report.comments, 'comment')} not written"
                if report.comments
                else ""
            )
        )
    if (fields := report.counts["fields"]) and fmt.name in TEXT_ALONE:
        report.notes.append(
            f"the titles, urls, dates, sources and metadata of {counted(fields, 'article')} "
            f"not written: {fmt.name} holds the text alone (jsonl, doccano and labelstudio "
            "hold them)"
            + ("; imported back, the title is the text's first line" if fmt.read else "")
        )
    if renamed := report.counts["renamed"]:
        report.notes.append(
            f"{counted(renamed, 'article')} written under a name made of its id (as "
            "article-0000017 for article 17), "
            "not the name it was imported with: another article had that name already "
            "(brat pairs of the same name from different folders; names ignore case)"
        )
    named = {who: n for who, n in report.versions.items() if who != NOBODY and n}
    # (not CoNLL's: its text is rebuilt from the tokens, and comes back as other articles)
    if named and fmt.name == "brat":
        shown = ", ".join(f"{who} {n:,}" for who, n in sorted(named.items()))
        report.notes.append(
            f"whose versions these are ({shown}) is not written: {fmt.name} has no place for "
            f"it; {WHOSE_ON_IMPORT}"
        )
    if fmt.name == "spacy" and report.comments:  # (the formats imported back say it above)
        report.notes.append(
            f"{counted(report.comments, 'flag comment')} not written: a DocBin holds no "
            "status nor comment (jsonl and labelstudio hold them)"
        )
    if store is not None and (outside := sorted(set(report.spans) - set(store.label_kinds()))):
        # (imported under a label the scheme lacks, or one renamed since in another copy)
        shown = ", ".join(f"{label} {report.spans[label]:,}" for label in outside)
        report.notes.append(
            f"spans under labels the project's scheme lacks were written: {shown} ({ADOPT_LABELS})"
        )
    if bare := report.versions[NOBODY]:
        report.notes.append(
            f"{counted(bare, 'article')} {_whose_bare(report)} "
            f"{'was' if bare == 1 else 'were'} written without spans"
            + NOT_ANNOTATED_WRITTEN.get(fmt.name, "")
        )
    # Gold written by --gold, or by default wherever an article has one: either way, say so.
    gold_written = report.who == GOLD or (report.who is None and report.versions[GOLD])
    if gold_written and store is not None and (changed := store.changed_since_review()):
        report.notes.append(
            f"{counted(len(changed), 'reviewed article')} {'was' if len(changed) == 1 else 'were'}"
            " changed by an annotator since (◉ in the review window): their gold, written "
            "as it stands, may be out of date"
        )
    shares = dict(zip(targets, split or (), strict=False))
    for name in targets:
        if name and report.articles[name] == 0 and shares.get(name, 1) > 0:
            report.notes.append(f"{name} is empty: the project is small for these shares")
    if not fmt.folder and not any(path.suffix == fmt.suffix for path in targets.values()):
        # ("out.brat" was JSON Lines, auto-chosen: the note said only where tools look)
        report.notes.append(
            f"note: written as {fmt.name}, whose files tools look for by the suffix "
            f"{fmt.suffix} (--format chooses another format)"
        )
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
        if overlapping := report.counts["overlapping"]:
            report.notes.append(
                f"doccano: {counted(overlapping, 'article')} "
                f"{'has' if overlapping == 1 else 'have'} overlapping spans, "
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
                f"({RENAME_LABELS}) to export them to brat"
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
            f"CoNLL: {report.counts['escaped']:,} tokens that begin with -DOCSTART- (or with "
            "backslashes before it) are written "
            "with a backslash in front (\\-DOCSTART-), since readers take a line that begins "
            "with -DOCSTART- for a new document and CoNLL has no escaping; this program's "
            "import takes the backslash off"
        )
    _link_notes(report, fmt, store)
    _verdict_notes(report, fmt)
    _claim_notes(report, fmt)
    negatives = count_known_negatives(store) if store is not None else 0
    written = report.counts["negatives"]
    listed = sum(report.omitted_rejections.values())  # (with the spans left out, above)
    if fmt.name in NEGATIVES_HELD:
        if written:
            report.notes.append(
                f"{counted(written, 'rejected span')} (known negatives, from Prodigy's reject) "
                f"{'is' if written == 1 else 'are'} " + NEGATIVES_HELD[fmt.name]
            )
        if (unwritten := negatives - written - listed) > 0:
            report.notes.append(
                f"{unwritten:,} rejected spans are not written: they are on articles "
                "this export leaves out, by annotators other than the one whose version is "
                "exported, or by annotators who only rejected there (no version of the "
                "article holds them)"
            )
    elif negatives:
        held = " and ".join(NEGATIVES_HELD)
        report.notes.append(
            f"{negatives:,} rejected spans (known negatives, from Prodigy's reject) are not "
            f"written: they are not annotations, and only the {held} formats hold them"
        )


#: The command line's advice in notes; the window says its own (``ui/export_dialog.py``).
WHOSE_ON_IMPORT = (
    f"imported back, `annotator import --annotator NAME` says whose (`--annotator {GOLD}` the "
    "review's), else they are the annotator imported's"
)
ADOPT_LABELS = "annotator labels DB adopt adds them to the scheme; rename or merge them there"
RENAME_LABELS = "annotator labels DB rename OLD NEW"


def _whose_bare(report: ExportReport) -> str:
    """The articles without the version exported, in a note: "nobody annotated"."""
    return "nobody annotated" if report.who is None else f"with {report.bare}"


#: What each format's tool takes an article written without spans (nobody annotated it)
#: for; the formats that cannot say "not annotated" at all leave it out
#: (``NOT_ANNOTATED_UNSAID``). "19 articles nobody annotated were written without spans"
#: said nothing of brat's and doccano's readers taking them for texts without any entity.
NOT_ANNOTATED_WRITTEN = {
    # Prodigy's db-in takes a task without an answer as accepted: an example of a text
    # with no entity, for every article nobody looked at.
    "jsonl": ", and without an answer: tasks to annotate as Prodigy's input; `prodigy "
    "db-in` would store them as accepted (texts without any entity)",
    "spacy": ", every token's entity missing, not O: spaCy learns nothing from them",
    "labelstudio": ", as tasks without annotations: Label Studio takes them for tasks to label",
    "doccano": ", with no label field: doccano imports them as texts to label, but its files "
    "cannot tell them from texts labelled with no entity, and a script that trains on the "
    "file takes them so (--status done leaves them out)",
    "brat": ", each with an empty .ann, as brat holds a text not yet annotated; but brat "
    "cannot tell it from a text annotated with no entity, and a converter to training data "
    "takes it so (--status done leaves them out)",
}

#: The formats that hold an article's text but not its title, url, date, source, metadata.
TEXT_ALONE = ("brat", "conll", "spacy")

#: The formats that hold the spans an annotator rejected (known negatives), and where.
NEGATIVES_HELD = {
    "spacy": "in doc.spans['incorrect_spans']: spaCy's ner learns from them with "
    'incorrect_spans_key = "incorrect_spans"',
    "jsonl": 'among each task\'s spans with "answer":"reject", as Prodigy merges its '
    "ner.teach decisions",
}


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


#: How each format holds the linker's verdict on a span without an entry; formats not named
#: here have no place for it.
VERDICT_FIELDS = {
    "jsonl": 'each span\'s "link_status"',
    "labelstudio": 'a per-region TextArea "link_status" (in the labeling config)',
}


def _verdict_notes(report: ExportReport, fmt: Format) -> None:
    """Say where the linker's verdicts on spans without an entry went, or that the format
    has no place for them (they went nowhere, and the report spoke of entries only)."""
    if not report.verdicts:
        return
    total = sum(report.verdicts.values())
    what = (
        f"{total:,} spans without an entry carry the linker's verdict "
        f"({', '.join(f'{v} {n:,}' for v, n in sorted(report.verdicts.items()))})"
    )
    if fmt.name in VERDICT_FIELDS:
        report.notes.append(f"{what}, written as {VERDICT_FIELDS[fmt.name]}")
    else:
        report.notes.append(
            f"{what}: not written, {fmt.name} has no place for them "
            f"({' and '.join(VERDICT_FIELDS)} hold them)"
        )


#: How each format holds relations and attribute values; formats not named here have no
#: place for them (CoNLL, GeoJSON).
CLAIM_FIELDS = {
    "jsonl": ("Prodigy's relations (head, child, head_span, child_span, label)",
              'each span\'s "attributes"'),
    "spacy": ("doc._.annotator_relations", "doc._.annotator_attributes (user_data; see the "
              "README for the loader)"),
    "brat": ("R lines", "A lines, declared in annotation.conf (a flag that is off, as brat "
                        "holds it, by no line)"),
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
