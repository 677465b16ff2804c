"""Each article's token boundaries, kept beside its text so exports need not tokenize again.

A text never changes once imported, so an entry stays right as long as the tokenizer that
made it does: every entry names its tokenizer (name and version), and an entry made by
another counts as missing. What the bytes hold is the caller's business (``formats.packed_tokens``
packs them); storage only keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.storage.errors import (
    DiskFull,
    ProjectBusy,
    ProjectIOError,
    ReadOnlyProject,
    guarded,
)
from annotator.storage.store import Store


@guarded
def cached_tokens(store: Store, article_ids: Sequence[int], tokenizer: str) -> dict[int, bytes]:
    """The entries ``tokenizer`` made for these articles (those it has not made are absent)."""
    if not article_ids:
        return {}
    wanted = set(article_ids)
    rows = store._db.execute(
        "SELECT article_id, tokens FROM token_cache WHERE article_id BETWEEN ? AND ? "
        "AND tokenizer = ?",
        [min(wanted), max(wanted), tokenizer],
    )
    return {article_id: tokens for article_id, tokens in rows if article_id in wanted}


def cache_tokens(store: Store, entries: Iterable[tuple[int, bytes]], tokenizer: str) -> bool:
    """Keep ``(article id, tokens)`` entries, replacing older ones; one transaction.

    Returns False, having kept nothing, when the project cannot be written just now (a
    read-only file, another program holding the lock, a full disk, an I/O error): a cache
    can wait, and an export writing elsewhere goes on.
    """
    rows = [(article_id, tokenizer, tokens) for article_id, tokens in entries]
    if not rows:
        return True
    try:
        with store.transaction():
            store._db.executemany(
                "INSERT OR REPLACE INTO token_cache (article_id, tokenizer, tokens) "
                "VALUES (?, ?, ?)",
                rows,
            )
    except (ReadOnlyProject, ProjectBusy, DiskFull, ProjectIOError):
        return False
    return True


@guarded
def forget_tokens(store: Store, article_ids: Iterable[int]) -> None:
    """Drop the entries of these articles (the next export tokenizes them again)."""
    with store.transaction():
        store._db.executemany(
            "DELETE FROM token_cache WHERE article_id = ?", [(i,) for i in article_ids]
        )


@guarded
def uncached_article_ids(store: Store, tokenizer: str) -> list[int]:
    """Ids of the articles without an entry made by ``tokenizer``, in id order."""
    return [
        row[0]
        for row in store._db.execute(
            "SELECT id FROM articles WHERE id NOT IN "
            "(SELECT article_id FROM token_cache WHERE tokenizer = ?) ORDER BY id",
            [tokenizer],
        )
    ]
