"""Writing a brat collection (``brat``): a ``.txt``/``.ann`` pair per article and the
configuration brat needs to show it. See ``brat.py`` for the format; reading is there."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from annotator.core.model import Label
from annotator.core.relations import FLAG, AttributeType, RelationType
from annotator.formats.base import LEFT_OUT_BY_TYPE, Omission
from annotator.formats.kb_links import ClaimTypes, brat_reference
from annotator.storage.export_items import AnnotatedArticle

CONFIG = "annotation.conf"
TOOLS = "tools.conf"
#: brat's normalization databases for the ids ``kb_links.brat_reference`` writes.
_DATABASES = {
    "GeoNames": "<URL>:https://www.geonames.org/, <URLBASE>:https://www.geonames.org/%s",
    "GeoNamesAdmin1": "<URL>:https://www.geonames.org/",
    "Wikidata": "<URL>:https://www.wikidata.org/, <URLBASE>:https://www.wikidata.org/wiki/%s",
    "ConflictActors": "<URL>:https://www.wikidata.org/",
    "ProjectActors": "<URL>:https://www.wikidata.org/",
}
_SAFE_NAME = re.compile(r"[^/\\\x00]{1,200}")  # a file name, not a path
#: What ``str.splitlines`` ends a line at. brat reads an ``.ann`` with Python's codecs, whose
#: lines end at every one of these, not at ``\n`` alone; and it checks a ``T`` line's text
#: against the fragments joined by a space, so the fragments must not hold them either.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE = re.compile(f"[^{LINE_BREAKS}]+")
#: A type name as brat takes it: it renames any other in ``annotation.conf`` (its
#: ``normalize_to_storage_form``), where ``#`` starts a comment, ``|``, ``,`` and ``:`` are
#: syntax and a line of hyphens is a separator; the spans would no longer match their type.
_TYPE_NAME = re.compile(r"(?!-+$)[A-Za-z0-9_-]+")
UNFIT_LABEL = "brat type names are ASCII letters, digits, _ and - only"


class BratWriter:
    """A brat collection: one folder, a ``.txt``/``.ann`` pair per article."""

    def __init__(self, folder: Path, labels: Sequence[Label], scheme: ClaimTypes | None = None):
        self.folder = folder
        self.folder.mkdir(parents=True)
        self.labels = [label.name for label in labels if is_type_name(label.name)]
        self.scheme = scheme or ClaimTypes()
        #: The relation and attribute types annotation.conf declares: only theirs are written.
        self.relation_types = {t.name for t in self.scheme.relation_types if brat_holds(t)}
        self.attribute_types = {t.name for t in self.scheme.attribute_types if brat_holds(t)}
        self.used: set[str] = set()
        self.databases: set[str] = set()  # normalization databases the N lines name
        self.counts: Counter[str] = Counter()  # relations and attribute values written

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        text = item.article.text
        lines: list[str] = []
        references: list[str] = []
        omissions: list[Omission] = []
        written: dict[tuple[int, int, str], str] = {}  # span -> its T id
        for span in item.spans:
            if any(c.isspace() for c in span.label):
                omissions.append(Omission.of(item, span, "brat labels cannot contain spaces"))
                continue
            if not is_type_name(span.label):
                omissions.append(Omission.of(item, span, UNFIT_LABEL))
                continue
            fragments = _fragments(text, span.start, span.end)
            if not fragments:
                omissions.append(Omission.of(item, span, "holds only line breaks"))
                continue
            if (fragments[0][0], fragments[-1][1]) != (span.start, span.end):
                reason = "starts or ends with a line break: written without it"
                omissions.append(Omission.of(item, span, reason, written=True))
            if span.label not in self.labels:
                self.labels.append(span.label)
            offsets = ";".join(f"{start} {end}" for start, end in fragments)
            shown = " ".join(text[start:end] for start, end in fragments)
            key = f"T{len(lines) + 1}"
            lines.append(f"{key}\t{span.label} {offsets}\t{shown}\n")
            written.setdefault(span.key, key)
            if span.kb_id:
                reference = brat_reference(span.kb_id)
                self.databases.add(reference.partition(":")[0])
                references.append(f"Reference {key} {reference}\t{shown}")
        lines += [f"N{n}\t{line}\n" for n, line in enumerate(references, start=1)]
        lines += self._relations(item, written)
        lines += self._attributes(item, written)
        name = self._name(item)
        (self.folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="\n")
        (self.folder / f"{name}.ann").write_text("".join(lines), encoding="utf-8", newline="\n")
        return omissions

    def _relations(self, item: AnnotatedArticle, written: dict) -> list[str]:
        """``R1<TAB>source Arg1:T3 Arg2:T1``: the claim, then its source."""
        lines: list[str] = []
        for relation in item.relations:
            head, child = written.get(relation.head.key), written.get(relation.child.key)
            if relation.label not in self.relation_types:
                self.counts[f"relations {LEFT_OUT_BY_TYPE}"] += 1
            elif head and child:
                lines.append(f"R{len(lines) + 1}\t{relation.label} Arg1:{head} Arg2:{child}\n")
        self.counts["relations"] += len(lines)
        return lines

    def _attributes(self, item: AnnotatedArticle, written: dict) -> list[str]:
        """``A1<TAB>polarity T3 denied``; a flag is binary, ``A2<TAB>hedged T3``, written
        only when set (absent is its default)."""
        lines: list[str] = []
        for value in item.attributes:
            target = written.get(value.span.key)
            if value.name not in self.attribute_types:
                self.counts[f"attributes {LEFT_OUT_BY_TYPE}"] += 1
                continue
            if target is None:
                continue
            self.counts["attributes"] += 1
            attribute_type = self.scheme.attribute(value.name)
            if attribute_type is not None and attribute_type.kind == FLAG:
                if value.value == attribute_type.default:
                    continue  # absent: the default, as brat reads a binary attribute
                lines.append(f"A{len(lines) + 1}\t{value.name} {target}\n")
            else:
                lines.append(f"A{len(lines) + 1}\t{value.name} {target} {value.value}\n")
        return lines

    def _name(self, item: AnnotatedArticle) -> str:
        """The pair's name: the one it was imported with (a brat pair's, or a plain text
        file's, whose name is the article's source), else from the article's id."""
        kept = (item.provenance or {}).get("name")
        source = item.article.source
        if kept is None and source.lower().endswith(".txt"):
            kept = source[: -len(".txt")]
        name = f"article-{item.article.id or 0:07d}"
        if (
            isinstance(kept, str)
            and _SAFE_NAME.fullmatch(kept)
            and not kept.startswith(".")  # hidden: an import of the folder passes it over
            and kept.lower() not in self.used
        ):
            name = kept
        elif isinstance(kept, str) and kept.lower() in self.used:
            self.counts["renamed"] += 1  # two imported as doc1 (from two folders): said
        base, n = name, 1
        while name.lower() in self.used:  # folders on macOS and Windows ignore case
            n += 1
            name = f"{base}-{n}"
        self.used.add(name.lower())
        return name

    def close(self) -> None:
        (self.folder / CONFIG).write_text(annotation_config(self.labels, self.scheme), "utf-8")
        if self.databases:  # brat needs the databases its N lines name declared
            (self.folder / TOOLS).write_text(tools_config(self.databases), encoding="utf-8")

    def discard(self) -> None:
        pass  # the exporter removes the unfinished folder


def annotation_config(labels: Sequence[str], scheme: ClaimTypes) -> str:
    """brat's ``annotation.conf``: the labels, the scheme's relations (Arg1 the head) and
    attributes (a flag binary, a choice with its values), and overlaps allowed. Labels that
    are not brat type names (``is_type_name``) are left out, and so are the relation and
    attribute types that would hold no other, or whose own names (or values) are none."""
    relations = "".join(
        f"{t.name}\tArg1:{'|'.join(filter(is_type_name, t.head_labels))}, "
        f"Arg2:{'|'.join(filter(is_type_name, t.child_labels))}\n"
        for t in scheme.relation_types
        if brat_holds(t)
    )
    attributes = "".join(
        f"{t.name}\tArg:{t.label}\n"
        if t.kind == FLAG
        else f"{t.name}\tArg:{t.label}, Value:{'|'.join(t.values)}\n"
        for t in scheme.attribute_types
        if brat_holds(t)
    )
    entities = "\n".join(labels)
    return (
        f"[entities]\n{entities}\n\n[relations]\n{relations}"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
        f"[events]\n\n[attributes]\n{attributes}"
    )


def brat_holds(kind: RelationType | AttributeType) -> bool:
    """Whether annotation.conf can declare a relation type (its name, and a head and a child
    label, brat type names) or an attribute (its name, label and values)."""
    if isinstance(kind, RelationType):
        return (
            is_type_name(kind.name)
            and any(map(is_type_name, kind.head_labels))
            and any(map(is_type_name, kind.child_labels))
        )
    return all(map(is_type_name, (kind.name, kind.label, *kind.values)))


def is_type_name(label: str) -> bool:
    """Whether brat holds ``label`` as a type name as it is (see ``_TYPE_NAME``)."""
    return _TYPE_NAME.fullmatch(label) is not None


def tools_config(databases: set[str]) -> str:
    """brat's ``tools.conf`` with the normalization databases named (brat shows an ``N``
    line's entry with a link to its page where the database has one)."""
    known = sorted(databases & _DATABASES.keys())
    entries = "".join(f"{database}\t{_DATABASES[database]}\n" for database in known)
    others = sorted(databases - _DATABASES.keys())  # another tool's, kept as they came
    entries += "".join(f"{database}\t<URL>:https://www.wikidata.org/\n" for database in others)
    return (
        "[options]\n\n[search]\n\n[annotators]\n\n[disambiguators]\n\n"
        "[normalization]\n"
        "# GeoNames: places (geonames.org ids); GeoNamesAdmin1: first-level regions by\n"
        "# GeoNames admin1 code; Wikidata: actors with an item; ConflictActors and\n"
        "# ProjectActors: the annotator's actor knowledge base and the project's own.\n"
        f"{entries}"
    )


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line breaks (``LINE_BREAKS``), without empty pieces."""
    return [match.span() for match in _LINE.finditer(text, start, end)]
