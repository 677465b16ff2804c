"""Where a reviewer was: the article, the disagreement, and the disagreements looked at, kept
in the project per reviewer. A review closed, or the program started again, goes on there:
it opened the first article not reviewed, at its first disagreement, and Enter on an article
walked through whole said "113 of 114 disagreements not looked at yet".

Written when the reviewer leaves an article and when the window closes, not at each key (a
write a key is a disk flush a key); a kill loses the moves made on the last article."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow

PLACE_SETTING = "review_place:"  # + the reviewer's name


def remember_place(window: ReviewWindow) -> None:
    """Keep where ``window`` is, for its reviewer."""
    review, store = window.review, window.store
    if review is None or review.article.id is None or store.read_only:
        return
    seen = {str(article): sorted(indices) for article, indices in window.seen_by_article.items()}
    place = json.dumps(
        {"article": review.article.id, "current": window.current, "seen": seen},
        sort_keys=True,
    )
    key = PLACE_SETTING + (store.reviewer or "")
    if window.try_write(lambda: store.setting(key)) != place:
        window.try_write(lambda: store.set_setting(key, place))


def remembered_place(window: ReviewWindow) -> tuple[int, int | None] | None:
    """The article and disagreement ``window``'s reviewer was at, if that article is still
    listed and not reviewed since; the disagreements they had looked at are ``window``'s
    again. ``None`` if there is no such place."""
    key = PLACE_SETTING + (window.store.reviewer or "")
    try:
        place = json.loads(window.try_write(lambda: window.store.setting(key)) or "{}")
        article, current = int(place["article"]), place.get("current")
        seen = {int(a): set(map(int, indices)) for a, indices in place.get("seen", {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # none kept, or not as this version writes it
    window.seen_by_article.update(seen)
    listed = {row.article_id for row in window.article_model.rows}
    if article not in listed or window.article_model.status.get(article) == "done":
        return None
    return article, current if isinstance(current, int) else None
