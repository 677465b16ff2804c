"""The relations and attribute values of the done work, as arrays over its span identities:
what the disagreement list and agreement count for all articles at once.

A relation's claim and source are spans of ``DoneWork``; each is named by its identity
(``DoneWork.span_identity``: the same for the same span of different annotators), so "the
same source" and "the same claim" are integer comparisons, and a whole project is a few
array operations instead of a Python object per relation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from annotator.core.relations import AttributeType, RelationType
from annotator.review.work import DoneWork
from annotator.storage import Store

Int64Array = npt.NDArray[np.int64]


@dataclass(frozen=True)
class DoneLinks:
    """Relations and values on the done work's spans, with the claims they are compared on.

    Relations: one row each, ``rel_*`` (annotator index, claim and source identities,
    relation type index). Values: one row each, ``val_*`` (annotator, claim identity,
    attribute index, value index). Claims: the done work's spans of a label that heads a
    relation type or carries an attribute, ``claim_*`` (row of ``DoneWork``, identity,
    annotator). Identities index ``identity_article`` and ``identity_label``.
    """

    relation_types: tuple[RelationType, ...]
    attribute_types: tuple[AttributeType, ...]
    identity_article: Int64Array
    identity_label: Int64Array
    identity_start: Int64Array
    identity_end: Int64Array
    rel_annotator: Int64Array
    rel_claim: Int64Array
    rel_source: Int64Array
    rel_type: Int64Array
    val_annotator: Int64Array
    val_claim: Int64Array
    val_attribute: Int64Array
    val_value: Int64Array
    claim_identity: Int64Array
    claim_annotator: Int64Array

    def value_table(self, n_annotators: int, attribute: int) -> Int64Array:
        """(annotators, identities): each annotator's value index of ``attribute`` on each
        span, the default where none is stored."""
        attribute_type = self.attribute_types[attribute]
        table = np.full(
            (n_annotators, len(self.identity_article)),
            attribute_type.values.index(attribute_type.default),
            dtype=np.int64,
        )
        mine = self.val_attribute == attribute
        table[self.val_annotator[mine], self.val_claim[mine]] = self.val_value[mine]
        return table

    def source_signatures(self, n_annotators: int, relation: int) -> npt.NDArray[np.uint64]:
        """(annotators, identities): a number standing for the set of sources each annotator
        relates each span to by ``relation`` (0: none); equal sets, equal numbers."""
        signature = np.zeros((n_annotators, len(self.identity_article)), dtype=np.uint64)
        mine = self.rel_type == relation
        np.add.at(
            signature,
            (self.rel_annotator[mine], self.rel_claim[mine]),
            _mix(self.rel_source[mine]),
        )
        return signature


def _mix(values: Int64Array) -> npt.NDArray[np.uint64]:
    """A well-spread 64-bit number per value (splitmix64): their sum names a set."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31)) | np.uint64(1)


def load_done_links(store: Store, work: DoneWork) -> DoneLinks:
    """The relations and values of ``work``'s annotators on the articles they marked done,
    between spans of ``work`` (two queries)."""
    relation_types = tuple(store.relation_types())
    attribute_types = tuple(store.attribute_types())
    identity = work.span_identity()
    n = int(identity.max(initial=-1)) + 1
    identity_article = np.zeros(n, dtype=np.int64)
    identity_start, identity_end, identity_label = (np.zeros(n, dtype=np.int64) for _ in range(3))
    identity_article[identity] = work.span_article
    identity_start[identity] = work.span_start
    identity_end[identity] = work.span_end
    identity_label[identity] = work.span_label
    _, longest_text = store.span_bounds()
    n_offsets = (longest_text or 0) + 1
    n_labels = len(work.labels) + 1
    if (int(work.article_ids.max(initial=0)) + 1) * n_offsets * n_offsets * n_labels >= 2**62:
        raise ValueError("texts too long to compare relations in 64-bit keys")
    # Keys of span identities: sorted, as identities follow article, start, end, label.
    keys = (
        (
            (work.article_ids[identity_article] * n_offsets + identity_start) * n_offsets
            + identity_end
        )
        * n_labels
        + identity_label
        if n
        else np.zeros(0, dtype=np.int64)
    )

    def find(article_id: Int64Array, span_key: Int64Array) -> Int64Array:
        """Identities of spans given as article ids and packed span keys (-1: none)."""
        start_end, label = np.divmod(span_key, n_labels)
        start, end = np.divmod(start_end, n_offsets)
        wanted = ((article_id * n_offsets + start) * n_offsets + end) * n_labels + label
        at = np.minimum(np.searchsorted(keys, wanted), max(n - 1, 0))
        return np.where((n > 0) & (keys[at] == wanted) if n else wanted < 0, at, -1)

    def articles(ids: Int64Array) -> Int64Array:
        """Indices of these article ids in ``work`` (-1: not compared)."""
        at = np.minimum(np.searchsorted(work.article_ids, ids), max(len(work) - 1, 0))
        found = (work.article_ids[at] == ids) if len(work) else ids < 0
        return np.where(found, at, -1)

    names, n_annotators = list(work.annotators), len(work.annotators)
    n_kinds = len(relation_types) + 1
    rows = np.array(
        store.packed_relation_rows(
            names, work.labels, [t.name for t in relation_types], longest_text or 0
        ),
        dtype=np.int64,
    ).reshape(-1, 3)
    owner, rel_type = np.divmod(rows[:, 0], n_kinds)
    article_id, rel_annotator = np.divmod(owner, n_annotators)
    article = articles(article_id)
    claim, source = find(article_id, rows[:, 1]), find(article_id, rows[:, 2])
    keep = (article >= 0) & (claim >= 0) & (source >= 0) & (rel_type < len(relation_types))
    keep[keep] = work.done[rel_annotator[keep], article[keep]]

    n_names = len(attribute_types) + 1
    n_values = max((len(t.values) for t in attribute_types), default=0) + 1
    values = np.array(
        store.packed_attribute_rows(
            names, work.labels, [(t.name, t.values) for t in attribute_types], longest_text or 0
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    rest, value = np.divmod(values[:, 0], n_values)
    rest, attribute = np.divmod(rest, n_names)
    value_article_id, value_annotator = np.divmod(rest, n_annotators)
    value_article = articles(value_article_id)
    value_claim = find(value_article_id, values[:, 1])
    kept = (value_article >= 0) & (value_claim >= 0) & (attribute < len(attribute_types))
    kept &= value < n_values - 1
    kept[kept] = work.done[value_annotator[kept], value_article[kept]]

    claim_labels = {label for t in relation_types for label in t.head_labels} | {
        t.label for t in attribute_types
    }
    codes = [i for i, name in enumerate(work.labels) if name in claim_labels]
    claim_rows = np.flatnonzero(np.isin(work.span_label, codes))
    return DoneLinks(
        relation_types=relation_types,
        attribute_types=attribute_types,
        identity_article=identity_article,
        identity_label=identity_label,
        identity_start=identity_start,
        identity_end=identity_end,
        rel_annotator=rel_annotator[keep],
        rel_claim=claim[keep],
        rel_source=source[keep],
        rel_type=rel_type[keep],
        val_annotator=value_annotator[kept],
        val_claim=value_claim[kept],
        val_attribute=attribute[kept],
        val_value=value[kept],
        claim_identity=identity[claim_rows],
        claim_annotator=work.span_annotator[claim_rows],
    )


def claim_disagreement_table(work: DoneWork, links: DoneLinks) -> Int64Array:
    """(articles, 2): source and attribute disagreements of each article, as
    ``compare_claims`` finds them: per claim every compared annotator who has it marked alike,
    per relation type its set of sources, per attribute its value, differing among them."""
    counts = np.zeros((len(work), 2), dtype=np.int64)
    if len(links.claim_identity) == 0:
        return counts
    n_annotators = len(work.annotators)
    holders = np.bincount(links.claim_identity, minlength=len(links.identity_article))
    compared = np.zeros(len(links.identity_article), dtype=bool)
    compared[links.claim_identity] = True
    compared &= holders >= 2
    held = np.zeros((n_annotators, len(links.identity_article)), dtype=bool)
    held[links.claim_annotator, links.claim_identity] = True

    def differ(table: npt.NDArray) -> npt.NDArray[np.bool_]:
        """Per identity: do the annotators who hold it have different entries?"""
        big = np.iinfo(table.dtype).max
        low = np.where(held, table, big).min(axis=0)
        high = np.where(held, table, 0).max(axis=0)
        return low != high

    for column, groups in (
        (0, [(i, t.head_labels) for i, t in enumerate(links.relation_types)]),
        (1, [(i, (t.label,)) for i, t in enumerate(links.attribute_types)]),
    ):
        for index, labels in groups:
            codes = [k for k, name in enumerate(work.labels) if name in labels]
            on = compared & np.isin(links.identity_label, codes)
            if not on.any():
                continue
            if column == 0:
                disputed = differ(links.source_signatures(n_annotators, index)) & on
            else:
                disputed = differ(links.value_table(n_annotators, index)) & on
            np.add.at(counts[:, column], links.identity_article[disputed], 1)
    return counts
