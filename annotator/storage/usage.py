"""How the suggestions are used: per model, annotator and label, and which articles nobody
has touched yet (the ones a newly adopted model may re-suggest).

When an annotator starts on an article (their first edit), the suggestions of the model that
made them are copied as spans of origin ``model`` (the latest ``open`` event records that
model). From then on a changed one becomes ``edited``, a deleted one is gone, and a span the
annotator makes is ``human``. So, over the articles an annotator has marked done, each
suggestion is one of:

- **accepted**: a span of the annotator's has its extent, label, link (entry, or verdict
  such as "generic"), claim values and sources (``_claims_kept``: the suggestion's relations
  and values are stored with it), also one edited and put back, or deleted and made again;
  a span the annotator never touched (origin ``model``) with no link, where the suggestion
  has one, is accepted too: the suggestions were linked after the annotator took them;
- **edited**: a span has its extent and label with another link, or other values or
  sources (a hedged claim, a claim given another source: they counted as accepted, only
  extent, label and link were compared), or an ``edited`` span came from it: of the spans
  left, the one that overlaps it most (an edit moves an edge or changes the label, and is
  counted under the suggestion's label: a relabelled FACTION is an edited FACTION, not a
  deleted one);
- **deleted**: neither.

**Added** counts the other spans of origin ``human``: what no suggestion had. An ``edited`` span
that overlaps no suggestion left came from the nearest one left (of its label first), moved
off it; with none left, it counts as added. Shares are of the
suggestions used (accepted + edited + deleted). Articles opened when no model had suggested
anything (or annotated through an import) count under the model ``none``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import SpanKey, SpanLink
from annotator.storage.base import stored_status
from annotator.storage.starting import TAKEN_MODEL
from annotator.storage.store import Store

NO_MODEL = "none"


def untouched_articles(store: Store) -> list[int]:
    """Articles no annotator has started on (``Store.started``): no span of anyone's and no
    status but ``todo`` (reading one records time, not work), in id order."""
    return [
        row[0]
        for row in store._db.execute(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_status s "
            "WHERE s.article_id = a.id AND s.status != 'todo') "
            "AND NOT EXISTS (SELECT 1 FROM spans p WHERE p.article_id = a.id) ORDER BY a.id"
        )
    ]


def articles_with_spans(store: Store, article_ids: Collection[int]) -> set[int]:
    """Those of ``article_ids`` that some annotator (or gold) has spans on."""
    if not article_ids:
        return set()
    rows = store._db.execute(
        "SELECT DISTINCT article_id FROM spans WHERE article_id BETWEEN ? AND ?",
        [min(article_ids), max(article_ids)],
    )
    return {row[0] for row in rows} & set(article_ids)


_OPENED_WITH = f"""
    SELECT st.article_id, st.annotator,
           COALESCE({TAKEN_MODEL.format(article="st.article_id", annotator="st.annotator")},
                    :none) AS model
    FROM article_status st
    WHERE st.status = 'done' AND st.annotator != 'gold'
"""

KINDS = ("suggested", "accepted", "edited", "deleted", "added")

NO_LINK: SpanLink = ("", "")
Suggested = tuple[int, SpanKey, SpanLink]  # suggestion id, …
Made = tuple[int, SpanKey, str, SpanLink]  # span id, …, origin, link


def suggestion_usage(store: Store) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    """``{model: {annotator: {label: {suggested, accepted, edited, deleted, added, articles,
    accepted_share, edited_share, deleted_share}}}}`` over the articles each annotator marked
    done (gold, the adjudicated version, is left out: it copies no suggestion)."""
    counts: dict[tuple[str, str, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(KINDS, 0)
    )
    articles: dict[tuple[str, str], int] = defaultdict(int)
    params = {"none": NO_MODEL}
    suggested: dict[tuple[int, str], list[Suggested]] = defaultdict(list)
    for article_id, annotator, id_, start, end, label, kb_id, status in store._db.execute(
        f'SELECT o.article_id, o.annotator, g.id, g.start, g."end", g.label, g.kb_id, '
        f"g.link_status FROM ({_OPENED_WITH}) o "
        "JOIN suggestions g ON g.article_id = o.article_id AND g.model = o.model",
        params,
    ):
        suggested[(article_id, annotator)].append((id_, (start, end, label), _link(kb_id, status)))
    made: dict[tuple[int, str], list[Made]] = defaultdict(list)
    for article_id, annotator, id_, start, end, label, origin, kb_id, status in store._db.execute(
        f'SELECT o.article_id, o.annotator, p.id, p.start, p."end", p.label, p.origin, '
        f"p.kb_id, p.link_status FROM ({_OPENED_WITH}) o "
        "JOIN spans p ON p.article_id = o.article_id AND p.annotator = o.annotator",
        params,
    ):
        made[(article_id, annotator)].append(
            (id_, (start, end, label), origin, _link(kb_id, status))
        )
    suggested_claims, claims = _claims_suggested(store, params), _claims_made(store, params)
    for article_id, annotator, model in store._db.execute(
        f"SELECT article_id, annotator, model FROM ({_OPENED_WITH})", params
    ):
        key = (article_id, annotator)
        articles[(model, annotator)] += 1
        for kind, label in _classify(
            suggested.pop(key, []),
            made.pop(key, []),
            suggested_claims.pop(key, EMPTY),
            claims.pop(key, EMPTY),
        ):
            counts[(model, annotator, label)][kind] += 1
    usage: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for (model, annotator, label), c in sorted(counts.items()):
        used = c["accepted"] + c["edited"] + c["deleted"]
        usage.setdefault(model, {}).setdefault(annotator, {})[label] = {
            **c,
            "articles": articles[(model, annotator)],
            "accepted_share": _share(c["accepted"], used),
            "edited_share": _share(c["edited"], used),
            "deleted_share": _share(c["deleted"], used),
        }
    return usage


def _classify(
    suggestions: list[Suggested], spans: list[Made], suggested_claims: Claims, claims: Claims
) -> Iterator[tuple[str, str]]:
    """(kind, label) for each suggestion of one article (and ``suggested``, its label), and
    for each span made by hand; see the module docstring."""
    left: dict[SpanKey, list[Suggested]] = defaultdict(list)  # not paired yet, by place
    for suggestion in suggestions:
        left[suggestion[1]].append(suggestion)
    came_from: dict[int, int] = {}  # span id: the id of the suggestion it is
    kept: list[tuple[Suggested, int, bool]] = []  # paired by place: and its link kept?
    changed: list[tuple[int, int, str, int]] = []
    for span_id, triple, origin, link in spans:
        if left[triple]:  # its extent and label (also one deleted and made again by hand)
            same = [s for s in left[triple] if s[2] == link]
            suggestion = same[0] if same else left[triple][0]
            left[triple].remove(suggestion)
            came_from[span_id] = suggestion[0]
            # linked elsewhere is edited (it was "accepted": only extent and label were
            # compared), but one never touched and never linked took the suggestion before
            # the suggestion was linked
            untouched = origin == "model" and link == NO_LINK
            kept.append((suggestion, span_id, bool(same) or untouched))
        elif origin == "human":
            yield "added", triple[2]
        else:
            changed.append((*triple, span_id))
    for _, triple, _ in suggestions:
        yield "suggested", triple[2]
    # (their links and claims no longer matter: moved or relabelled)
    unmatched = sorted((*triple, id_) for rest in left.values() for id_, triple, _ in rest)
    reach = max((end - start for start, end, _, _ in unmatched), default=0)
    for start, end, label, span_id in sorted(changed):
        low = bisect_left(unmatched, (start - reach,))
        high = bisect_left(unmatched, (end,))
        overlaps = [
            (min(end, e) - max(start, s), -abs(s - start), i)
            for i, (s, e, _, _) in enumerate(unmatched[low:high], start=low)
            if e > start
        ]
        if overlaps:
            source = unmatched.pop(max(overlaps)[2])
        elif unmatched:  # moved off its suggestion: the nearest left, of its label first
            source = unmatched.pop(
                min(
                    range(len(unmatched)),
                    key=lambda i: (unmatched[i][2] != label, abs(unmatched[i][0] - start)),
                )
            )
        else:  # more edited spans than suggestions: one came from none
            yield "added", label
            continue
        came_from[span_id] = source[3]
        yield "edited", source[2]
    for _, _, label, _ in unmatched:
        yield "deleted", label
    for (suggestion_id, triple, _), span_id, link_kept in kept:
        as_suggested = link_kept and _claims_kept(
            suggestion_id, span_id, suggested_claims, claims, came_from
        )
        yield "accepted" if as_suggested else "edited", triple[2]


@dataclass
class Claims:
    """The relations and attribute values of one article's suggestions, or of one
    annotator's spans, by the id of the suggestion or span they hang on (a relation under
    both its ends); values equal to the attribute's default are left out (a span without
    one has the default)."""

    relations: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)
    values: dict[int, dict[str, str]] = field(default_factory=dict)


def _claims_kept(
    suggestion_id: int,
    span_id: int,
    suggested: Claims,
    made: Claims,
    came_from: dict[int, int],
) -> bool:
    """Whether the span has the suggestion's values and relations, as head or child: the
    same label to the span that another suggestion at the other end became. A relation
    whose other end the annotator deleted is not counted against it (the deletion is
    counted, as that suggestion's); one to a span no suggestion became (made by hand)
    differs from any suggested."""
    if suggested.values.get(suggestion_id, {}) != made.values.get(span_id, {}):
        return False
    taken = set(came_from.values())
    relations = {
        (head, child, label)
        for head, child, label in suggested.relations.get(suggestion_id, [])
        if head in taken and child in taken
    }
    return relations == {
        (came_from.get(head), came_from.get(child), label)
        for head, child, label in made.relations.get(span_id, [])
    }


EMPTY = Claims()


def _claims_suggested(store: Store, params: dict[str, str]) -> dict[tuple[int, str], Claims]:
    """The suggested relations and values each annotator took, per (article, annotator)."""
    taken = (
        f"FROM ({_OPENED_WITH}) o "
        "JOIN suggestions g ON g.article_id = o.article_id AND g.model = o.model "
    )
    return _claims_read(
        store,
        params,
        "SELECT o.article_id, o.annotator, r.head, r.child, r.label "
        f"{taken}JOIN suggested_relations r ON r.head = g.id",
        "SELECT o.article_id, o.annotator, a.suggestion_id, a.name, a.value "
        f"{taken}JOIN suggested_attributes a ON a.suggestion_id = g.id",
    )


def _claims_made(store: Store, params: dict[str, str]) -> dict[tuple[int, str], Claims]:
    """The annotators' relations and values over their done articles."""
    return _claims_read(
        store,
        params,
        f"SELECT o.article_id, o.annotator, r.head, r.child, r.label FROM ({_OPENED_WITH}) o "
        "JOIN relations r ON r.article_id = o.article_id AND r.annotator = o.annotator",
        f"SELECT o.article_id, o.annotator, a.span_id, a.name, a.value FROM ({_OPENED_WITH}) o "
        "JOIN span_attributes a ON a.article_id = o.article_id AND a.annotator = o.annotator",
    )


def _claims_read(
    store: Store, params: dict[str, str], relations: str, values: str
) -> dict[tuple[int, str], Claims]:
    """``Claims`` per (article, annotator) from two queries' rows: (article, annotator,
    head, child, label) and (article, annotator, owner id, name, value); defaults left out."""
    claims: dict[tuple[int, str], Claims] = defaultdict(Claims)
    for article_id, annotator, head, child, label in store._db.execute(relations, params):
        _add_relation(claims[(article_id, annotator)], head, child, label)
    defaults = _defaults(store)
    for article_id, annotator, owner, name, value in store._db.execute(values, params):
        if value != defaults.get(name):
            claims[(article_id, annotator)].values.setdefault(owner, {})[name] = value
    return claims


def _add_relation(claims: Claims, head: int, child: int, label: str) -> None:
    for end in (head, child):
        claims.relations.setdefault(end, []).append((head, child, label))


def _defaults(store: Store) -> dict[str, str]:
    return {
        row[0]: row[1] for row in store._db.execute('SELECT name, "default" FROM attribute_types')
    }


def _link(kb_id: str, status: str) -> SpanLink:
    # as a span stores it: an imported suggestion's entry may carry no status
    return kb_id, stored_status(kb_id, status)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
