"""Bring files into a project: read, skip known texts, pre-annotate, write.

Every file is read and checked before anything is written, so a bad file anywhere leaves the
project exactly as it was. Then each file is written in one transaction, all or nothing, with
its suggestions: the model runs before the transaction opens, so the database is locked only
for the quick write.

Annotations in a file become the spans of an annotator, status ``done``, beside the
suggestions: the ``annotator`` given, else the name the file gives (Prodigy's
``_annotator_id``, Label Studio's ``completed_by``), else ``imported``. They replace that
annotator's spans on articles already in the project.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.model import Span
from annotator.core.progress import Progress, no_progress
from annotator.core.spans import validate_span
from annotator.formats import FORMATS, detect_format, get_format
from annotator.formats.base import Format, FormatError, ImportedDocument
from annotator.formats.tokens import TOKENIZER, pack_tokens
from annotator.nlp.base import PreAnnotator
from annotator.storage import Store
from annotator.storage.token_cache import cache_tokens

#: Whose spans annotations become when neither the command nor the file names anyone.
DEFAULT_ANNOTATOR = "imported"


@dataclass
class ImportReport:
    files: int = 0
    added: int = 0
    duplicates: int = 0
    annotated: int = 0  # (article, annotator) annotation sets imported
    spans: int = 0  # annotation spans imported
    suggestions: int = 0
    model: str = ""
    per_file: list[tuple[str, int, int]] = field(default_factory=list)  # (file, added, dupes)
    annotators: list[str] = field(default_factory=list)  # whose spans the files brought
    unknown_labels: list[str] = field(default_factory=list)  # labels not in the project's scheme


def expand_paths(paths: Iterable[Path | str], format_name: str = "auto") -> list[Path]:
    """Files named, and the files of the folders named (recursively, sorted).

    A brat pair counts once, by its ``.txt``: its ``.ann`` is read with it.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            wanted = _folder_suffixes(format_name)
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in wanted)
            if not found:
                raise FormatError(path, f"no {', '.join(sorted(wanted))} files in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise FormatError(path, "no such file or folder")
    return _pair_brat(files)


def _pair_brat(files: list[Path]) -> list[Path]:
    paired: list[Path] = []
    seen: set[Path] = set()
    for path in files:
        if path.suffix.lower() == ".ann" and path.with_suffix(".txt").exists():
            path = path.with_suffix(".txt")
        if path not in seen:
            seen.add(path)
            paired.append(path)
    return paired


def _folder_suffixes(format_name: str) -> set[str]:
    if format_name == "auto":
        return {s for f in FORMATS.values() if f.read for s in f.suffixes}
    return set(get_format(format_name).suffixes)


def read_files(
    files: Sequence[Path], format_name: str = "auto", annotator: str | None = None
) -> list[list[ImportedDocument]]:
    """Read and check every file completely; raises ``FormatError`` on the first problem.

    Besides each file's own checks: every span must fit its text, and no text may get two
    different sets of spans from the same annotator (``annotator`` overrides the files' names).
    """
    batches = []
    claimed: dict[tuple[str, str], tuple[Path, ImportedDocument, list[Span]]] = {}
    for path in files:
        fmt: Format = detect_format(path) if format_name == "auto" else get_format(format_name)
        if fmt.read is None:
            raise FormatError(path, f"the {fmt.name} format can be exported, not imported")
        documents = list(fmt.read(path))
        if not documents:
            raise FormatError(path, "contains no articles")
        for document in documents:
            for name, spans in document.annotation_sets():
                for span in spans:
                    try:
                        validate_span(span, len(document.article.text))
                    except ValueError as error:
                        raise FormatError(
                            path, str(error), document.line, document.record
                        ) from None
                who = annotator or name or DEFAULT_ANNOTATOR
                key = (document.article.text_hash, who)
                earlier = claimed.setdefault(key, (path, document, spans))
                if earlier[2] is not spans and sorted(earlier[2], key=_order) != sorted(
                    spans, key=_order
                ):
                    raise FormatError(
                        path,
                        f"gives {who} other spans for a text that {_place(*earlier[:2])} "
                        "already annotates; import each annotator's file with its own --annotator",
                        document.line,
                        document.record,
                    )
        batches.append(documents)
    return batches


def _order(span: Span) -> tuple[int, int, str]:
    return span.key


def _place(path: Path, document: ImportedDocument) -> str:
    where = str(path)
    if document.line is not None:
        where += f":{document.line}"
    if document.record is not None:
        where += f" ({document.record})"
    return where


def import_paths(
    store: Store,
    paths: Iterable[Path | str],
    *,
    format_name: str = "auto",
    annotator: str | None = None,
    preannotator: PreAnnotator | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import files and folders into ``store``; see the module docstring for the guarantees."""
    files = expand_paths(paths, format_name)
    batches = read_files(files, format_name, annotator)
    report = ImportReport(files=len(files), model=preannotator.name if preannotator else "")
    known_labels = {label.name for label in store.labels()}
    annotators: set[str] = set()
    unknown: set[str] = set()
    total = sum(len(b) for b in batches)
    done = 0
    progress(0, total)
    for path, documents in zip(files, batches, strict=True):
        new = _new_documents(store, documents)
        suggestions: list[list[Span]] = []
        if preannotator is not None and new:
            for spans in preannotator.suggest(d.article.text for d in new):
                suggestions.append(spans)
                progress(done + len(suggestions), total)
        tokens = [pack_tokens(d.article.text) for d in new]  # for exports (token_cache)
        with store.transaction():
            added = store.add_articles(d.article for d in new)
            cache_tokens(store, zip(added.ids, tokens, strict=True), TOKENIZER)
            if preannotator is not None:
                report.suggestions += store.add_suggestions(
                    zip(added.ids, suggestions, strict=True), preannotator.name
                )
            ids = {d.article.text_hash: i for d, i in zip(new, added.ids, strict=True)}
            for document in documents:
                digest = document.article.text_hash
                for name, spans in document.annotation_sets():
                    article_id = ids.get(digest) or store.article_id_for_hash(digest)
                    assert article_id is not None  # added above, or known before
                    who = annotator or name or DEFAULT_ANNOTATOR
                    store.replace_spans(article_id, who, spans, action="import")
                    store.set_status(article_id, who, "done")
                    annotators.add(who)
                    unknown.update(s.label for s in spans if s.label not in known_labels)
                    report.annotated += 1
                    report.spans += len(spans)
        duplicates = len(documents) - len(new)
        report.added += len(added.ids)
        report.duplicates += duplicates
        report.per_file.append((str(path), len(added.ids), duplicates))
        done += len(documents)
        progress(done, total)
    report.annotators = sorted(annotators)
    report.unknown_labels = sorted(unknown)
    return report


def _new_documents(store: Store, documents: list[ImportedDocument]) -> list[ImportedDocument]:
    """The first document of each text the project does not hold yet."""
    new: list[ImportedDocument] = []
    seen: set[str] = set()
    for document in documents:
        digest = document.article.text_hash
        if digest not in seen and store.article_id_for_hash(digest) is None:
            new.append(document)
        seen.add(digest)
    return new
