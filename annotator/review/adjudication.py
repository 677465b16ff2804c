"""Settling disagreements into the gold version.

The gold version of an article is the span set of the reserved annotator ``gold``, and its
review status is the ``article_status`` of ``gold``: ``todo`` until the reviewer first saves
it, then ``in_progress``, and ``done`` when settled (``skipped`` and ``flagged`` work too).

The choices are pure functions from the current gold spans to the new ones, so the window
can wrap each in an undo command and write the result with ``save_gold``:

- ``take_version(gold, d, name, kinds, text)``: annotator ``name``'s spans in disagreement
  ``d`` (refused where they overlap one another on the entity layer);
- ``take_all(gold, d, kinds, text)``: every annotator's spans in ``d``;
- ``take_none(gold, d, kinds)``: only the spans all of them have in ``d`` (often none);

and ``choice_in_gold(gold, d, kinds)`` tells which of these gold holds. Gold holds relations
and attribute values too (a ``ClaimWork``, by value); a source or attribute disagreement
(``annotator.review.claims``) is settled with ``claim_gold.take_source`` (which also takes
the claim and its source spans into gold where it lacks them) or ``take_attribute``, and
``claim_choice_in_gold`` tells whose version gold holds. ``agreed_claim_work`` pre-fills it.
What spans refer to goes with them: an annotator's version carries their entries
(``Span.kb_id``); "all" and "none" keep the entry gold has on a span, else the one every
annotator who has the span agrees on. A ``link`` disagreement (``annotator.review.kb_links``)
is settled with ``kb_links.take_link``.

Each replaces whatever gold holds on the disagreement's layer over its extent. LOCATION and
FACTION never overlap in gold: on the entity layer "all" is possible only when the spans of
the cluster do not overlap each other, which in practice means one annotator marked a span
the others missed. Otherwise ``take_all`` raises ``EntityConflict`` (``can_take_all`` says
so beforehand, to disable the key). On the claim layer "all" keeps every variant.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from annotator.core.model import ENTITY_KIND, GOLD, STATUSES, Article, Span
from annotator.core.relations import ClaimWork
from annotator.core.spans import (
    EntityConflict,
    entity_layer,
    first_overlap,
    is_entity,
    overlaps,
    span_in_words,
)
from annotator.core.text import excerpt, isolated
from annotator.review.claim_gold import agreed_claim_work
from annotator.review.claims import (
    ClaimDisagreement,
    ClaimScheme,
    claim_scheme,
    find_claim_disagreements,
)
from annotator.review.disagreements import Disagreement, find_disagreements
from annotator.review.kb_links import (
    LinkDisagreement,
    agreed_entry,
    entries_by_span,
    find_link_disagreements,
)
from annotator.storage import Store
from annotator.storage.base import stored_status
from annotator.storage.links import write_imported_links


def _sorted(spans: Iterable[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, s.end, s.label))


def agreed_spans(spans_by_annotator: Mapping[str, Iterable[Span]]) -> list[Span]:
    """The spans every given annotator has, exactly (start, end, label): the gold pre-fill.

    Given the annotators who marked the article done. With one annotator, all of their
    spans; with none, nothing.
    """
    sets = [set(spans) for spans in spans_by_annotator.values()]
    if not sets:
        return []
    entries = entries_by_span(spans_by_annotator.values())
    # The linker's verdict on a span with no entry ("? not in the gazetteer"), where every
    # version says the same: gold showed "–", as for a span nobody looked at.
    verdicts: dict[tuple[int, int, str], set[str]] = {}
    for spans in spans_by_annotator.values():
        for span in spans:
            verdicts.setdefault(span.key, set()).add(span.link_status)
    agreed = []
    for s in set.intersection(*sets):
        kb_id = agreed_entry(entries, s.key)
        said = verdicts[s.key]
        verdict = next(iter(said)) if len(said) == 1 and not kb_id else ""
        agreed.append(
            Span(s.start, s.end, s.label, origin=s.origin, kb_id=kb_id, link_status=verdict)
        )
    return _sorted(agreed)


def _one_entity_layer(spans: list[Span], kinds: Mapping[str, str]) -> list[Span]:
    """``spans`` with no two entities overlapping, the longest kept (``entity_layer``): a
    single annotator's imported "الخرطوم" inside "الخرطوم بحري" went into gold both, and
    the gold lane showed one box."""
    entities = [span for span in spans if is_entity(span, kinds)]
    kept = {id(span) for span in entity_layer(entities)[0]}
    return [span for span in spans if not is_entity(span, kinds) or id(span) in kept]


def _fresh(span: Span) -> Span:
    """A copy for gold: same extent, label, origin, entry and the linker's verdict kept on
    a span with none ("not in the gazetteer"), without the annotator's row id."""
    return Span(
        span.start,
        span.end,
        span.label,
        origin=span.origin,
        kb_id=span.kb_id,
        link_status=span.link_status,
    )


def take_version(
    gold: Sequence[Span],
    disagreement: Disagreement,
    annotator: str,
    kinds: Mapping[str, str],
    text: str,
) -> list[Span]:
    """Gold with ``annotator``'s version of the disagreement in place of what it had there.

    A version whose entities overlap one another (an imported file's "الخرطوم" inside
    "الخرطوم بحري") raises ``EntityConflict``, naming their words in ``text``, the
    article's: gold took both, unsaid, and its lane showed one box.
    """
    if annotator not in disagreement.versions:
        raise KeyError(f"{annotator} is not among {', '.join(disagreement.annotators)}")
    version = disagreement.versions[annotator]
    if disagreement.layer == ENTITY_KIND:
        clash = first_overlap(version)
        if clash is not None:
            first, second = clash
            labels = " and ".join(sorted({first.label, second.label}))
            raise EntityConflict(
                f"{isolated(annotator)}'s version has {span_in_words(first, text)} and "
                f"{span_in_words(second, text)}, which overlap, and {labels} spans may not overlap "
                "one another: take another version, or make the span in the gold lane"
            )
    return _replace(gold, disagreement, version, kinds)


def can_take_all(disagreement: Disagreement) -> bool:
    """Whether every annotator's spans can stand together in gold (see the module docstring)."""
    if disagreement.layer != ENTITY_KIND:
        return True
    spans = disagreement.spans()
    return not any(overlaps(a, b) for i, a in enumerate(spans) for b in spans[i + 1 :])


def take_all(
    gold: Sequence[Span], disagreement: Disagreement, kinds: Mapping[str, str], text: str
) -> list[Span]:
    """Gold with every annotator's spans of the disagreement; raises ``EntityConflict``,
    naming the disagreement's words in ``text``, the article's."""
    if not can_take_all(disagreement):
        labels = " and ".join(sorted({s.label for s in disagreement.spans()}))
        # The words, not "characters 5-29": offsets meant nothing to a reviewer.
        words = excerpt(text[disagreement.start : disagreement.end], 40)
        raise EntityConflict(
            f"the versions overlap, and {labels} spans may not overlap one another: "
            f"'{isolated(words)}' needs one annotator's version"
        )
    return _replace(gold, disagreement, disagreement.spans(), kinds, merged=True)


def take_none(
    gold: Sequence[Span], disagreement: Disagreement, kinds: Mapping[str, str]
) -> list[Span]:
    """Gold without any disputed span of the disagreement (spans all annotators share stay)."""
    return _replace(gold, disagreement, disagreement.agreed(), kinds, merged=True)


def choice_in_gold(
    gold: Sequence[Span], disagreement: Disagreement, kinds: Mapping[str, str]
) -> str | None:
    """Which choice gold holds for a disagreement: the first annotator whose version it is,
    ``all``, ``none``, or ``None`` when it is none of these (the reviewer edited it).

    For marking the chosen lane. A pre-filled gold holds ``none`` for every disagreement
    (unless an annotator's version is also just the shared spans).
    """
    held = {span for span in gold if disagreement.covers(span, kinds)}
    for name, spans in disagreement.versions.items():
        if set(spans) == held:
            return name
    if set(disagreement.spans()) == held:
        return "all"
    if set(disagreement.agreed()) == held:
        return "none"
    return None


def _replace(
    gold: Sequence[Span],
    disagreement: Disagreement,
    chosen: Iterable[Span],
    kinds: Mapping[str, str],
    merged: bool = False,
) -> list[Span]:
    """Gold with ``chosen`` in place of what it had over the disagreement. ``merged`` (all,
    none): no one annotator's version, so no one's entries: a span keeps the entry gold has
    on it, else the one the annotators agree on."""
    held = {span.key: span.kb_id for span in gold if disagreement.covers(span, kinds)}
    kept = [span for span in gold if not disagreement.covers(span, kinds)]
    if merged:
        entries = entries_by_span(disagreement.versions.values())
        chosen = [
            dataclasses.replace(
                span, kb_id=held[span.key] if span.key in held else agreed_entry(entries, span.key)
            )
            for span in chosen
        ]
    return _sorted(kept + [_fresh(span) for span in chosen])


# -- the store -------------------------------------------------------------------------------


def review_status(store: Store, article_id: int) -> str:
    """The article's review status: ``todo`` until the gold version is first saved."""
    return store.status(article_id, GOLD).status


def set_review_status(store: Store, article_id: int, status: str) -> None:
    store.set_status(article_id, GOLD, status)


def save_gold(
    store: Store,
    article_id: int,
    spans: Iterable[Span],
    status: str | None = None,
    claims: ClaimWork | None = None,
) -> list[Span]:
    """Make ``spans`` (and ``claims``: relations and attribute values) the gold version, in
    one transaction; returns the spans as stored.

    Without ``claims`` gold keeps the relations and values it has on the spans it keeps. The
    review status becomes ``status``, or ``in_progress`` if the review had not started; a
    status already set (``done``, say) is otherwise left as it is.
    """
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; known: {', '.join(STATUSES)}")
    spans = list(spans)
    with store.transaction():
        if claims is None:
            claims = store.claim_work(article_id, GOLD)
        keys = {span.key for span in spans}
        stored, _ = store.replace_annotations(
            article_id,
            GOLD,
            spans,
            [r for r in claims.relations if r.head.key in keys and r.child.key in keys],
            [a for a in claims.attributes if a.span.key in keys],
            action="adjudicate",
        )
        # what gold's spans refer to, marked linked as the window's links are; and the
        # verdict of one with no entry ("? not in the gazetteer", "ambiguous"), which
        # showed "–" in gold as in a span nobody looked at
        write_imported_links(
            store,
            [
                (
                    article_id,
                    GOLD,
                    s.start,
                    s.end,
                    s.label,
                    s.kb_id,
                    stored_status(s.kb_id, s.link_status),
                )
                for s in spans
                if s.kb_id or s.link_status
            ],
        )
        stored = store.spans(article_id, GOLD)
        current = review_status(store, article_id)
        if status is not None or current == "todo":
            store.set_status(article_id, GOLD, status or "in_progress")
    return stored


def compared_annotators(store: Store, article_id: int) -> list[str]:
    """Whom the review screen compares on an article: those who marked it done, one alone
    too (the review of single annotators' articles: the list counted that one's work, and
    the screen compared a second's unfinished work with it, 21 disagreements under a 0).

    If nobody did, everyone who has worked on it (a status or spans), so a reviewer can
    still look at unfinished work. Never ``gold``.
    """
    return store.annotators_done(article_id) or store.annotators_of(article_id)


@dataclass(frozen=True)
class ArticleReview:
    """Everything the review screen shows for one article.

    ``gold`` is the saved gold version, or, before the first save (``gold_saved`` false),
    the spans everyone agreed on, to start from; ``gold_claims`` likewise its relations and
    attribute values. ``claim_disagreements`` are the source and attribute disagreements,
    ``link_disagreements`` those about what spans refer to, beside the span
    ``disagreements``.
    """

    article: Article
    versions: dict[str, list[Span]]  # each compared annotator's spans, in name order
    gold: list[Span]
    gold_saved: bool
    status: str
    disagreements: list[Disagreement]
    kinds: dict[str, str]  # label name -> kind, for the choices
    claim_versions: dict[str, ClaimWork] = field(default_factory=dict)
    gold_claims: ClaimWork = field(default_factory=ClaimWork)
    claim_disagreements: list[ClaimDisagreement] = field(default_factory=list)
    scheme: ClaimScheme = field(default_factory=ClaimScheme)
    link_disagreements: list[LinkDisagreement] = field(default_factory=list)

    @property
    def annotators(self) -> list[str]:
        return list(self.versions)

    def next_disagreement(self, offset: int) -> int | None:
        """Index of the first disagreement starting at or after character ``offset``."""
        return next((i for i, d in enumerate(self.disagreements) if d.start >= offset), None)


def open_review(
    store: Store, article_id: int, annotators: Sequence[str] | None = None
) -> ArticleReview:
    """Load one article for review: versions, disagreements, gold (saved or pre-filled).

    ``annotators`` overrides ``compared_annotators``. Reads only; nothing is written until
    the reviewer acts (``save_gold``).
    """
    article = store.article(article_id)
    names = list(annotators) if annotators is not None else compared_annotators(store, article_id)
    versions = {name: store.spans(article_id, name) for name in names}
    kinds = store.label_kinds()
    status = review_status(store, article_id)
    saved_spans = store.spans(article_id, GOLD)
    saved = status != "todo" or bool(saved_spans)
    gold = saved_spans if saved else _one_entity_layer(agreed_spans(versions), kinds)
    claim_versions = {name: store.claim_work(article_id, name) for name in names}
    scheme = claim_scheme(store)
    return ArticleReview(
        article=article,
        versions=versions,
        gold=gold,
        gold_saved=saved,
        status=status,
        disagreements=find_disagreements(versions, kinds),
        kinds=kinds,
        claim_versions=claim_versions,
        gold_claims=(
            store.claim_work(article_id, GOLD)
            if saved
            else agreed_claim_work(versions, claim_versions, gold)
        ),
        claim_disagreements=find_claim_disagreements(versions, claim_versions, scheme),
        scheme=scheme,
        link_disagreements=find_link_disagreements(versions),
    )
