"""Each article's token boundaries, kept beside its text so exports need not tokenize again.

A text never changes once imported, so an entry stays right as long as the tokenizer that
made it does: every entry names its tokenizer (name and version), and an entry made by
another counts as missing. What the bytes hold is the caller's business (``formats.packed_tokens``
packs them); storage only keeps them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from annotator.storage.store import Store


def cached_tokens(store: Store, article_ids: Sequence[int], tokenizer: str) -> dict[int, bytes]:
    """The entries ``tokenizer`` made for these articles (those it has not made are absent)."""
    if not article_ids:
        return {}
    wanted = set(article_ids)
    rows = store.db.execute(
        "SELECT article_id, tokens FROM token_cache WHERE article_id BETWEEN ? AND ? "
        "AND tokenizer = ?",
        [min(wanted), max(wanted), tokenizer],
    )
    return {article_id: tokens for article_id, tokens in rows if article_id in wanted}


def cache_tokens(store: Store, entries: Iterable[tuple[int, bytes]], tokenizer: str) -> bool:
    """Keep ``(article id, tokens)`` entries, replacing older ones; one transaction.

    Returns False, having kept nothing, when the project cannot be written just now (a
    read-only file, or another program holding the lock): a cache can wait.
    """
    rows = [(article_id, tokenizer, tokens) for article_id, tokens in entries]
    if not rows:
        return True
    try:
        with store.transaction():
            store.db.conn.executemany(
                "INSERT OR REPLACE INTO token_cache (article_id, tokenizer, tokens) "
                "VALUES (?, ?, ?)",
                rows,
            )
    except sqlite3.OperationalError:  # "attempt to write a readonly database", "locked"
        return False
    return True
