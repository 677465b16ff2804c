"""How the suggestions are used: per model, annotator and label, and which articles nobody
has touched yet (the ones a newly adopted model may re-suggest).

When an annotator starts on an article (their first edit), the suggestions of the model that
made them are copied as spans of origin ``model`` (the latest ``open`` event records that
model). From then on a changed one becomes ``edited``, a deleted one is gone, and a span the
annotator makes is ``human``. So, over the articles an annotator has marked done, each
suggestion is one of:

- **accepted**: a span of the annotator's has its extent, label and link (entry, or verdict
  such as "generic"), also one edited and put back, or deleted and made again; a span the
  annotator never touched (origin ``model``) with no link, where the suggestion has one, is
  accepted too: the suggestions were linked after the annotator took them;
- **edited**: a span has its extent and label with another link, or an ``edited`` span came
  from it: of the spans left, the one that overlaps it most (an edit moves an edge or
  changes the label, and is counted under the suggestion's label: a relabelled FACTION is
  an edited FACTION, not a deleted one);
- **deleted**: neither.

**Added** counts the other spans of origin ``human``: what no suggestion had. An ``edited`` span
that overlaps no suggestion left came from the nearest one left (of its label first), moved
off it; with none left, it counts as added. Shares are of the
suggestions used (accepted + edited + deleted). Articles opened when no model had suggested
anything (or annotated through an import) count under the model ``none``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator
from typing import Any

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

Triple = tuple[int, int, str]  # start, end, label
Link = tuple[str, str]  # kb_id, link status
NO_LINK: Link = ("", "")


def suggestion_usage(store: Store) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    """``{model: {annotator: {label: {suggested, accepted, edited, deleted, added, articles,
    accepted_share, edited_share, deleted_share}}}}`` over the articles each annotator marked
    done (gold, the adjudicated version, is left out: it copies no suggestion)."""
    counts: dict[tuple[str, str, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(KINDS, 0)
    )
    articles: dict[tuple[str, str], int] = defaultdict(int)
    params = {"none": NO_MODEL}
    suggested: dict[tuple[int, str], list[tuple[Triple, Link]]] = defaultdict(list)
    for article_id, annotator, start, end, label, kb_id, status in store._db.execute(
        f'SELECT o.article_id, o.annotator, g.start, g."end", g.label, g.kb_id, g.link_status '
        f"FROM ({_OPENED_WITH}) o "
        "JOIN suggestions g ON g.article_id = o.article_id AND g.model = o.model",
        params,
    ):
        suggested[(article_id, annotator)].append(((start, end, label), _link(kb_id, status)))
    made: dict[tuple[int, str], list[tuple[Triple, str, Link]]] = defaultdict(list)
    for article_id, annotator, start, end, label, origin, kb_id, status in store._db.execute(
        f'SELECT o.article_id, o.annotator, p.start, p."end", p.label, p.origin, p.kb_id, '
        f"p.link_status FROM ({_OPENED_WITH}) o "
        "JOIN spans p ON p.article_id = o.article_id AND p.annotator = o.annotator",
        params,
    ):
        made[(article_id, annotator)].append(((start, end, label), origin, _link(kb_id, status)))
    for article_id, annotator, model in store._db.execute(
        f"SELECT article_id, annotator, model FROM ({_OPENED_WITH})", params
    ):
        key = (article_id, annotator)
        articles[(model, annotator)] += 1
        for kind, label in _classify(suggested.pop(key, []), made.pop(key, [])):
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
    suggestions: list[tuple[Triple, Link]], spans: list[tuple[Triple, str, Link]]
) -> Iterator[tuple[str, str]]:
    """(kind, label) for each suggestion of one article (and ``suggested``, its label), and
    for each span made by hand; see the module docstring."""
    left = Counter(triple for triple, _ in suggestions)
    links: dict[Triple, list[Link]] = defaultdict(list)  # of the suggestions left, by place
    for triple, link in suggestions:
        links[triple].append(link)
    changed: list[Triple] = []
    for triple, origin, link in spans:
        if left[triple] > 0:  # its extent and label (also one deleted and made again by hand)
            left[triple] -= 1
            if link in links[triple]:
                links[triple].remove(link)
                yield "accepted", triple[2]
            else:  # linked elsewhere (was "accepted": only extent and label were compared)
                links[triple].pop(0)
                untouched = origin == "model" and link == NO_LINK
                yield "accepted" if untouched else "edited", triple[2]
        elif origin == "human":
            yield "added", triple[2]
        else:
            changed.append(triple)
    for triple, _ in suggestions:
        yield "suggested", triple[2]
    unmatched = sorted(left.elements())  # (their links no longer matter: moved or relabelled)
    reach = max((end - start for start, end, _ in unmatched), default=0)
    for start, end, label in sorted(changed):
        low = bisect_left(unmatched, (start - reach,))
        high = bisect_left(unmatched, (end,))
        overlaps = [
            (min(end, e) - max(start, s), -abs(s - start), i)
            for i, (s, e, _) in enumerate(unmatched[low:high], start=low)
            if e > start
        ]
        if overlaps:
            came_from = unmatched.pop(max(overlaps)[2])
        elif unmatched:  # moved off its suggestion: the nearest left, of its label first
            came_from = unmatched.pop(
                min(
                    range(len(unmatched)),
                    key=lambda i: (unmatched[i][2] != label, abs(unmatched[i][0] - start)),
                )
            )
        else:  # more edited spans than suggestions: one came from none
            yield "added", label
            continue
        yield "edited", came_from[2]
    for _, _, label in unmatched:
        yield "deleted", label


def _link(kb_id: str, status: str) -> Link:
    # as a span stores it: an imported suggestion's entry may carry no status
    return kb_id, stored_status(kb_id, status)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
