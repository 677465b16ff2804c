"""An article's fields as the JSON formats carry them beside its text: title, url,
source, published date, and the record's own metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from annotator.core.model import Article
from annotator.core.text import first_line
from annotator.formats.records import BadValue, check_text, plain_text, value_error

#: The article fields that JSON formats carry beside the text.
METADATA = ("title", "url", "source", "published")
#: What the exports write of the project they came from (its article's id there, a
#: number): read back into another project it would be a stale number beside the article's
#: own id. A scraper's own ``article_id`` ("AFP-123") is the article's and kept.
PROJECT_FIELDS = ("article_id",)
#: Other names of an article's date: newspaper3k's, NewsAPI's, news-please's, a table's.
PUBLISHED_ALIASES = ("publish_date", "publishedAt", "date_publish", "date")
#: Names of the field (a table's column) that holds the text where none is named "text",
#: tried in this order and spelled any way ("Full Text", "full_text"): news-please's
#: ``maintext``; NewsAPI's cut-short ``content`` late, ACLED's event ``notes`` last.
TEXT_FIELDS = (
    "text",
    "full_text",
    "maintext",
    "article_text",
    "article_body",
    "body",
    "article",
    "story",
    "content",
    "notes",
)


def folded_name(name: str) -> str:
    """A field's name as the names above are written: "Full Text" and "full_text" alike."""
    return "".join(c for c in name.casefold() if c.isalnum())


def text_field(names: list[str]) -> int | None:
    """Where in ``names`` the text is (the first of ``TEXT_FIELDS`` there), else None."""
    folded = [folded_name(name) for name in names]
    wanted = (folded_name(name) for name in TEXT_FIELDS)
    return next((folded.index(name) for name in wanted if name in folded), None)


def with_meta(extra: dict[str, Any], meta: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The record's fields a format does not know (``extra``) with its ``meta`` over them,
    and how many of them differed from meta's and were left out: a top-level "id":
    "news-0001" beside "meta": {"id": 5} was gone, unsaid (the import counts them)."""
    lost = sum(
        1
        for key, value in extra.items()
        if key in meta and meta[key] != value and key not in METADATA  # (those: both kept)
    )
    return {**extra, **meta}, lost


#: How the import counts the fields ``with_meta`` left out.
OVERRIDDEN = "fields given twice, at the top and in meta, otherwise (meta's kept)"


def article_from(text: str, fields: dict[str, Any], meta: dict[str, Any]) -> Article:
    """An article with its title, url, source and published date from ``fields`` (or, failing
    that, ``meta``); the rest of ``meta`` stays the article's own metadata, but for the
    ``article_id`` number the exports write (``PROJECT_FIELDS``).

    Raises ``BadValue`` for values that cannot be stored as they are (a lone surrogate, a NUL
    character, a number too long to write).
    """
    check_text(text, "the text")
    values = {name: fields.get(name, meta.get(name)) for name in METADATA}
    if isinstance(source := values["source"], dict) and isinstance(source.get("name"), str):
        values["source"] = source["name"]  # NewsAPI's {"id": "reuters", "name": "Reuters"}
    if values["source"] is None:  # news-please's site ("reuters.com"; kept in meta too)
        values["source"] = fields.get("source_domain", meta.get("source_domain"))
    for alias in PUBLISHED_ALIASES:  # a scraper's name for the date (kept in meta too)
        if values["published"] is None:
            values["published"] = fields.get(alias, meta.get(alias))
    own = {
        key: v
        for key, v in meta.items()
        if (key not in PROJECT_FIELDS or not _an_export_id(v))
        # meta's own copy of a field the record gives otherwise stays meta's: "source":
        # "Reuters" beside "meta": {"source": "wire-feed-7"} lost the feed, unsaid
        and (key not in METADATA or (fields.get(key) is not None and fields[key] != v))
    }
    if own:
        try:
            json.dumps(own, ensure_ascii=False).encode("utf-8")
        except (UnicodeEncodeError, ValueError) as error:
            raise BadValue(f"the metadata cannot be stored ({value_error(error)})") from None
    return Article(
        text=text,
        title=plain_text(values["title"], "the title"),
        url=plain_text(values["url"], "the url"),
        source=plain_text(values["source"], "the source"),
        published=plain_text(published_text(values["published"]), "the published date"),
        meta=own,
    )


def beyond_the_text(article: Article) -> bool:
    """Whether the article has fields a format holding its text alone has no place for: a
    title other than its first line, a url, a published date, a source other than its file
    name, metadata (brat, CoNLL and spaCy's DocBin hold none)."""
    return bool(
        article.url
        or article.published
        or article.meta
        or (article.source and not article.source.lower().endswith(".txt"))
        or (article.title and article.title != first_line(article.text))
    )


def _an_export_id(value: Any) -> bool:
    """Whether an ``article_id`` is what the exports write: a whole number (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


#: A published date given as a number is a Unix time (scrapers and APIs write one), in
#: seconds or in milliseconds; these are the ranges of 1973 to 2286 in each. Any other
#: number (a year: 2024) is kept as written.
_UNIX_SECONDS = (1e8, 1e10)
_UNIX_MILLISECONDS = (1e11, 1e13)


def published_text(value: Any) -> Any:
    """A numeric Unix time as its ISO date and time in UTC ("2024-05-02T08:00:00Z"), which
    is what the faction linker reads the date from; anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    for (low, high), per_second in ((_UNIX_SECONDS, 1), (_UNIX_MILLISECONDS, 1000)):
        if low <= value < high:
            moment = datetime.fromtimestamp(value / per_second, UTC)
            return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
    return value


def metadata_of(article: Article) -> dict[str, str]:
    """The article's non-empty title, url, source and published date, for writers."""
    return {name: getattr(article, name) for name in METADATA if getattr(article, name)}


def text_key_of(record: dict[str, Any]) -> str:
    """The key of a record without "text" that holds its text (news-please's ``maintext``):
    the first of ``TEXT_FIELDS`` there, spelled any way, whose value is a string."""
    keys = [k for k, v in record.items() if isinstance(v, str) and not k.startswith("_")]
    found = text_field(keys)
    return "text" if found is None else keys[found]


#: Where a news API's response holds its articles (NewsAPI's, GNews' "articles").
_WRAPPERS = ("articles",)


def unwrapped_records(element: str | None, record: Any) -> Iterator[tuple[str | None, Any]]:
    """The record, or the articles of a news API's response saved whole ({"status": "ok",
    "totalResults": 2, "articles": [...]}: 'record has no "text" string')."""
    if isinstance(record, dict) and not isinstance(record.get("text"), str):
        key = next((k for k in _WRAPPERS if isinstance(record.get(k), list)), None)
        if key is not None and text_key_of(record) == "text":  # (no text of its own)
            for number, item in enumerate(record[key], start=1):
                yield f"{element + ', ' if element else ''}{key} {number}", item
            return
    yield element, record
