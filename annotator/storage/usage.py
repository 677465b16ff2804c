"""How the suggestions are used: per model, annotator and label, and which articles nobody
has touched yet (the ones a newly adopted model may re-suggest).

When an annotator starts on an article (their first edit), the suggestions of the model that
made them are copied as spans of origin ``model`` (the ``open`` event records that model). From
then on an unchanged one stays ``model``, one changed in extent or label becomes ``edited``,
a deleted one is gone, and a span the annotator makes is ``human``. So, over the articles an
annotator has marked done:

- **accepted**: spans still of origin ``model``;
- **edited**: spans of origin ``edited``;
- **deleted**: suggestions copied at opening that are neither (per label: the suggestions of
  the label less its accepted and edited spans; an edit that changed the label counts under
  the new one);
- **added**: spans of origin ``human``: what no suggestion had.

Shares are of the suggestions (accepted + edited + deleted). Articles opened when no model
had suggested anything (or annotated through an import) count under the model ``none``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

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


_OPENED_WITH = """
    SELECT st.article_id, st.annotator,
           COALESCE((SELECT json_extract(e.payload, '$.model') FROM events e
                      WHERE e.article_id = st.article_id AND e.annotator = st.annotator
                        AND e.action = 'open' ORDER BY e.id LIMIT 1), :none) AS model
    FROM article_status st
    WHERE st.status = 'done'
"""


def suggestion_usage(store: Store) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    """``{model: {annotator: {label: {suggested, accepted, edited, deleted, added, articles,
    accepted_share, edited_share, deleted_share}}}}`` over the articles each annotator marked
    done (gold, the adjudicated version, is left out: it copies no suggestion)."""
    counts: dict[tuple[str, str, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(("suggested", "accepted", "edited", "added"), 0)
    )
    articles: dict[tuple[str, str], int] = defaultdict(int)
    params = {"none": NO_MODEL}
    for model, annotator, n in store._db.execute(
        f"SELECT o.model, o.annotator, COUNT(*) FROM ({_OPENED_WITH}) o "
        "WHERE o.annotator != 'gold' GROUP BY o.model, o.annotator",
        params,
    ):
        articles[(model, annotator)] = n
    for model, annotator, label, n in store._db.execute(
        f"SELECT o.model, o.annotator, g.label, COUNT(*) FROM ({_OPENED_WITH}) o "
        "JOIN suggestions g ON g.article_id = o.article_id AND g.model = o.model "
        "WHERE o.annotator != 'gold' GROUP BY o.model, o.annotator, g.label",
        params,
    ):
        counts[(model, annotator, label)]["suggested"] = n
    for model, annotator, label, origin, n in store._db.execute(
        f"SELECT o.model, o.annotator, p.label, p.origin, COUNT(*) FROM ({_OPENED_WITH}) o "
        "JOIN spans p ON p.article_id = o.article_id AND p.annotator = o.annotator "
        "WHERE o.annotator != 'gold' GROUP BY o.model, o.annotator, p.label, p.origin",
        params,
    ):
        key = {"model": "accepted", "edited": "edited", "human": "added"}.get(origin)
        if key is not None:
            counts[(model, annotator, label)][key] += n
    usage: dict[str, dict[str, dict[str, dict[str, Any]]]] = {}
    for (model, annotator, label), c in sorted(counts.items()):
        deleted = max(0, c["suggested"] - c["accepted"] - c["edited"])
        used = c["accepted"] + c["edited"] + deleted
        usage.setdefault(model, {}).setdefault(annotator, {})[label] = {
            **c,
            "deleted": deleted,
            "articles": articles[(model, annotator)],
            "accepted_share": _share(c["accepted"], used),
            "edited_share": _share(c["edited"], used),
            "deleted_share": _share(deleted, used),
        }
    return usage


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
