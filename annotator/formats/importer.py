"""Bring files into a project: read, skip known texts, pre-annotate, write.

Every file is read and checked before anything is written, so a bad file anywhere leaves the
project exactly as it was. Then each file is written in one transaction, all or nothing, with
its suggestions: the model runs before the transaction opens, so the database is locked only
for the quick write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.model import Span
from annotator.core.progress import Progress, no_progress
from annotator.core.spans import validate_span
from annotator.formats import detect_format, get_format
from annotator.formats.base import Format, FormatError, ImportedDocument
from annotator.nlp.base import PreAnnotator
from annotator.storage import Store


@dataclass
class ImportReport:
    files: int = 0
    added: int = 0
    duplicates: int = 0
    annotated: int = 0  # articles that came with annotations
    spans: int = 0  # annotation spans imported
    suggestions: int = 0
    model: str = ""
    per_file: list[tuple[str, int, int]] = field(default_factory=list)  # (file, added, dupes)


def expand_paths(paths: Iterable[Path | str], format_name: str = "auto") -> list[Path]:
    """Files named, and the files of the folders named (recursively, sorted)."""
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
    return files


def _folder_suffixes(format_name: str) -> set[str]:
    if format_name == "auto":
        from annotator.formats import FORMATS

        return {s for f in FORMATS.values() if f.read for s in f.suffixes}
    return set(get_format(format_name).suffixes)


def read_files(files: Sequence[Path], format_name: str = "auto") -> list[list[ImportedDocument]]:
    """Read and check every file completely; raises ``FormatError`` on the first problem."""
    batches = []
    for path in files:
        fmt: Format = detect_format(path) if format_name == "auto" else get_format(format_name)
        if fmt.read is None:
            raise FormatError(path, f"the {fmt.name} format can be exported, not imported")
        documents = list(fmt.read(path))
        if not documents:
            raise FormatError(path, "contains no articles")
        for document in documents:
            for span in document.spans or ():
                try:
                    validate_span(span, len(document.article.text))
                except ValueError as error:
                    raise FormatError(path, str(error), document.line) from None
        batches.append(documents)
    return batches


def import_paths(
    store: Store,
    paths: Iterable[Path | str],
    *,
    format_name: str = "auto",
    annotator: str | None = None,
    preannotator: PreAnnotator | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import files and folders into ``store``; see the module docstring for the guarantees.

    Annotations in the files become the spans of ``annotator`` (or of the name the file
    gives, else ``imported``), status ``done``, beside the suggestions.
    """
    files = expand_paths(paths, format_name)
    batches = read_files(files, format_name)
    report = ImportReport(files=len(files), model=preannotator.name if preannotator else "")
    total = sum(len(b) for b in batches)
    done = 0
    progress(0, total)
    for path, documents in zip(files, batches, strict=True):
        new, known = _split_known(store, documents)
        suggestions: list[list[Span]] = []
        if preannotator is not None and new:
            for spans in preannotator.suggest(d.article.text for d in new):
                suggestions.append(spans)
                progress(done + len(suggestions), total)
        with store.transaction():
            added = store.add_articles(d.article for d in new)
            if preannotator is not None:
                report.suggestions += store.add_suggestions(
                    zip(added.ids, suggestions, strict=True), preannotator.name
                )
            pairs = list(zip(added.ids, new, strict=True)) + known
            for article_id, document in pairs:
                if document.spans is None:
                    continue
                name = annotator or document.annotator or "imported"
                store.replace_spans(article_id, name, document.spans, action="import")
                store.set_status(article_id, name, "done")
                report.annotated += 1
                report.spans += len(document.spans)
        duplicates = len(documents) - len(new)
        report.added += len(added.ids)
        report.duplicates += duplicates
        report.per_file.append((str(path), len(added.ids), duplicates))
        done += len(documents)
        progress(done, total)
    return report


def _split_known(
    store: Store, documents: list[ImportedDocument]
) -> tuple[list[ImportedDocument], list[tuple[int, ImportedDocument]]]:
    """New documents (first of each text), and (id, document) of texts already stored."""
    new: list[ImportedDocument] = []
    known: list[tuple[int, ImportedDocument]] = []
    seen: set[str] = set()
    for document in documents:
        digest = document.article.text_hash
        existing = store.article_id_for_hash(digest)
        if existing is not None:
            known.append((existing, document))
        elif digest not in seen:
            seen.add(digest)
            new.append(document)
    return new, known
