"""What a file's format cannot hold, kept from the project when an import replaces an
annotator's work with the file's.

doccano has no place for links (an entry, or the linker's verdict: "ambiguous") or attribute
values, CoNLL none for relations either; brat holds entries but not the linker's verdicts.
Importing such an export back into its project replaced the annotator's spans with the
file's, the same ones, and took every link, value and relation on them along: 443 links and
48 values of the sample, with "1 differed from the project's" for all warning. Now the spans
the file gives again keep what the project held on them of what the format cannot say; what
the format can say is the file's (a link removed in a JSON Lines file stays removed).

The same holds for the spans the annotator rejected (only Prodigy's JSON Lines holds them:
re-importing a Label Studio export deleted them), and for a status (flagged, skipped, in
progress) where the file gives the annotator's spans unchanged: doccano's export of a
flagged article came back "done", its flag comment kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from annotator.core.model import Span
from annotator.storage import Store
from annotator.storage.import_records import known_negatives
from annotator.storage.imports import AnnotationRows

#: What an annotation may carry beside its spans.
EXTRAS = frozenset({"links", "verdicts", "relations", "attributes", "negatives", "status"})


def keep_what_the_file_cannot_hold(
    store: Store,
    annotations: list[AnnotationRows],
    holds: Sequence[frozenset[str]],
    ids: Mapping[str, int],
    gone: Counter[str],
) -> list[tuple[AnnotationRows, Counter[str]]]:
    """``annotations`` (each of a record that ``holds`` these extras, in the same order),
    each replacing an annotator's work on the article ``ids`` names by its text hash with
    what that work held that the record cannot; beside each, what was kept so ("links",
    "verdicts", "relations", "attributes", "rejected spans", "statuses"), for the report.
    ``gone`` counts the project's verdicts a record that carries verdicts takes away
    ("verdicts": the report said nothing of them)."""
    made = []
    for rows, record_holds in zip(annotations, holds, strict=True):
        kept: Counter[str] = Counter()
        if rows.replace and rows.text_hash in ids:
            missing = EXTRAS - record_holds
            rows = _with_stored(store, ids[rows.text_hash], rows, missing, kept, gone)
        made.append((rows, kept))
    return made


def _linked_as_stored(span: Span, old: Span | None, missing: frozenset[str]) -> Span:
    """``span`` with the stored one's entry, where the format holds none; and with the
    linker's verdict on a span with no entry ("ambiguous"), where the record holds none (a
    JSON Lines or Label Studio record says it, or that there is none, once a span of it
    carries one: ``ImportPlan.holds``)."""
    if old is not None and span.kb_id and span.kb_id == old.kb_id and not span.link_status:
        return replace(span, link_status=old.link_status)  # the same entry: as it was linked
    if span.kb_id or old is None:
        return span
    if "links" in missing and old.kb_id:
        return replace(span, kb_id=old.kb_id, link_status=old.link_status)
    if "verdicts" in missing and not old.kb_id and old.link_status:
        return replace(span, link_status=old.link_status)
    return span


def _with_stored(
    store: Store,
    article_id: int,
    rows: AnnotationRows,
    missing: frozenset[str],
    kept: Counter[str],
    gone: Counter[str],
) -> AnnotationRows:
    stored = {span.key: span for span in store.spans(article_id, rows.annotator)}
    rows = _status_and_negatives_kept(store, article_id, rows, stored, missing, kept)
    if not stored:
        return rows
    spans = [_linked_as_stored(span, stored.get(span.key), missing) for span in rows.spans]
    for given, span in zip(rows.spans, spans, strict=True):
        old = stored.get(span.key)
        if span.kb_id != given.kb_id:
            kept["links"] += 1  # an entry
        elif not span.kb_id and span.link_status != given.link_status:
            kept["verdicts"] += 1  # the linker's "generic", "ambiguous"
        elif old and not old.kb_id and old.link_status and not span.kb_id and not span.link_status:
            gone["verdicts"] += 1  # the record says there is none
    keys = {span.key for span in spans}
    work = store.claim_work(article_id, rows.annotator)
    relations, attributes = list(rows.relations), list(rows.attributes)
    if "relations" in missing:
        relations += [
            r for r in work.relations if {r.head.key, r.child.key} <= keys and r not in relations
        ]
    if "attributes" in missing:
        given = {(a.span.key, a.name) for a in attributes}
        attributes += [
            a for a in work.attributes if a.span.key in keys and (a.span.key, a.name) not in given
        ]
    kept["relations"] += len(relations) - len(rows.relations)
    kept["attributes"] += len(attributes) - len(rows.attributes)
    return replace(rows, spans=spans, relations=relations, attributes=attributes)


def _status_and_negatives_kept(
    store: Store,
    article_id: int,
    rows: AnnotationRows,
    stored: dict[tuple[int, int, str], Span],
    missing: frozenset[str],
    kept: Counter[str],
) -> AnnotationRows:
    """``rows`` with the annotator's rejected spans the file does not accept, and with
    their status where the file gives their spans as they are, if its format has no place
    for these."""
    given = {span.key for span in rows.spans}
    if "negatives" in missing:
        have = {span.key for span in rows.negatives}
        negatives = [
            span
            for span in known_negatives(store, article_id, rows.annotator)
            if span.key not in given and span.key not in have
        ]
        if negatives:
            kept["rejected spans"] += len(negatives)
            rows = replace(rows, negatives=[*rows.negatives, *negatives])
    if "status" in missing and given == set(stored):
        status = store.status(article_id, rows.annotator)
        held = (status.status, status.comment)
        if status.status != "todo" and held != (rows.status, rows.comment):
            kept["statuses"] += 1
            rows = replace(rows, status=status.status, comment=status.comment)
    return rows
