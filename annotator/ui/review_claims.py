"""Who claims what on the review screen: source and attribute disagreements beside those of
spans, their versions in words, and each lane's claim tags.

The list holds the span disagreements first, then the source and attribute ones (each in
text order): a source can only be taken into gold once the spans around it are settled.
In every lane a claim carries the tag it has in the annotation window (its number, shared
with its source, and its attribute marks), and the current source disagreement outlines
and joins each version's sources to the claim.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.core.model import Span
from annotator.core.relations import ClaimWork, by_id
from annotator.core.text import excerpt_ends, isolated
from annotator.kb.links import verdict_words
from annotator.review.adjudication import ArticleReview
from annotator.review.claim_choices import (
    can_take_all_claims,
    claim_choice_label,
    take_claim_choice,
)
from annotator.review.claim_gold import with_work_of_taken_spans
from annotator.review.claims import AttributeDisagreement, ClaimDisagreement, SourceDisagreement
from annotator.review.disagreements import Disagreement
from annotator.review.kb_links import LinkDisagreement
from annotator.ui.article_view import ArticleView
from annotator.ui.claim_links import ClaimLinks
from annotator.ui.review_spans import held_already

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow

Item = Disagreement | ClaimDisagreement | LinkDisagreement


def review_items(review: ArticleReview) -> list[Item]:
    """What the review screen steps through: span disagreements, then claim ones, then what
    spans refer to (``review_links.py``)."""
    return [*review.disagreements, *review.claim_disagreements, *review.link_disagreements]


def is_claim_item(item: Item) -> bool:
    return isinstance(item, SourceDisagreement | AttributeDisagreement)


def item_class(item: Item) -> str:
    """The disagreement's class as the list and the heading say it."""
    if isinstance(item, SourceDisagreement):
        return f"{item.label} (claim)"
    if isinstance(item, AttributeDisagreement):
        return f"{item.name} (claim)"
    if isinstance(item, LinkDisagreement):
        return f"link ({item.span.label})"
    return f"{item.kind} ({item.layer})"


def version_text(
    item: Item, name: str, text: str, entry_name: Callable[[str], str] = str, words: int = 24
) -> str:
    """One annotator's version, in a few words (``words`` characters of a span's text at
    most, from both its ends; an entry by ``entry_name``)."""
    if isinstance(item, LinkDisagreement):
        if name not in item.versions:
            return "—"
        if not item.versions[name] and (said := item.verdicts.get(name)):
            return verdict_words(said, item.span.label)
        return entry_name(item.versions[name])
    if isinstance(item, SourceDisagreement):
        if name not in item.versions:
            return "—"  # no such claim: not "no source"
        sources = item.versions[name]
        # The label too: the same words as a SOURCE and as a FACTION read alike without it.
        said = "; ".join(f"← {_quoted(s, text, words)}" for s in sources)
        return said or "no source"
    if isinstance(item, AttributeDisagreement):
        return item.versions.get(name, "—")
    spans = item.versions.get(name, ())
    return "; ".join(_quoted(s, text, words) for s in spans) or "—"


def _quoted(span: Span, text: str, words: int) -> str:
    """``SOURCE 'وكالة الأنباء … (سانا)'``: cut in the middle, so that versions differing at
    an end read apart (cut at the end, "(سانا)" and none both read "…السورية ا…"), and
    isolated, so that right-to-left words keep to their quote marks (a letter stood beside
    the opening one)."""
    return f"{span.label} '{isolated(excerpt_ends(span.text(text), words))}'"


def _with_ids(spans: Sequence[Span]) -> list[Span]:
    """Spans without ids (a gold version not saved yet) get ids of their own here."""
    return [
        span if span.id is not None else replace(span, id=-i) for i, span in enumerate(spans, 1)
    ]


def lane_links(
    review: ArticleReview,
    spans: Sequence[Span],
    work: ClaimWork,
    numbers: dict[tuple[int, int, str], int] | None = None,
) -> ClaimLinks:
    """A lane's relations and values by span id (``spans`` with ids), numbered: by
    ``numbers`` (claim key → number, shared by every lane) where given."""
    relations, values = by_id(spans, work.relations, work.attributes)
    scheme = review.scheme
    links = ClaimLinks(relations, values, scheme.relation_types, scheme.attribute_types)
    links.number_claims(spans)
    if numbers is not None:
        keys = {span.id: span.key for span in spans}
        links.numbers = {i: numbers.get(keys[i], n) for i, n in links.numbers.items()}
    return links


def claim_numbers(review: ArticleReview, gold_claims: ClaimWork) -> dict[tuple[int, int, str], int]:
    """One number per claim that has a source in any lane, in text order, so that the same
    claim carries the same number in every lane (and a claim one lane lacks shifts none)."""
    works = [*review.claim_versions.values(), gold_claims]
    claims = {r.head.key for work in works for r in work.relations}
    return {key: number for number, key in enumerate(sorted(claims), start=1)}


def show_lane_tags(
    view: ArticleView,
    review: ArticleReview,
    spans: Sequence[Span],
    work: ClaimWork,
    numbers: dict[tuple[int, int, str], int] | None = None,
) -> None:
    """Draw a lane's claim tags (all confirmed: each version is someone's finished work)."""
    numbered = _with_ids(spans)
    view.set_tags(lane_links(review, numbered, work, numbers).tags(numbered, confirmed=True))


def show_item_links(
    views: Sequence[ArticleView], works: Sequence[ClaimWork], item: Item | None
) -> None:
    """Outline and join, in each lane, the sources its version gives the current source
    disagreement's claim; nothing for other disagreements."""
    for view, work in zip(views, works, strict=True):
        if isinstance(item, SourceDisagreement):
            sources = sorted(work.sources(item.claim, item.label), key=lambda s: s.key)
            view.set_links([(s.start, s.end) for s in sources], [(item.claim, s) for s in sources])
        else:
            view.set_links()


# -- the window's part ---------------------------------------------------------------------


def show_claim_tags(window: ReviewWindow) -> None:
    """Each lane's claim tags: the annotators' versions and gold."""
    review = window.review
    assert review is not None
    numbers = claim_numbers(review, window.gold_claims)
    for view, name in zip(window.lanes.lane_views, review.versions, strict=False):
        show_lane_tags(view, review, review.versions[name], review.claim_versions[name], numbers)
    show_lane_tags(window.gold_view, review, window.gold, window.gold_claims, numbers)


def show_current_links(window: ReviewWindow) -> None:
    """The current source disagreement's sources, outlined and joined in every lane."""
    review = window.review
    assert review is not None
    item = window.items[window.current] if window.current is not None else None
    lanes = window.lanes.lane_views
    works = [review.claim_versions[name] for name in review.versions][: len(lanes)]
    views = lanes[: len(works)]
    show_item_links([*views, window.gold_view], [*works, window.gold_claims], item)


def where_claim(window: ReviewWindow, item: ClaimDisagreement) -> tuple[bool, str | None, str]:
    """For the heading: whether ``A`` applies, which choice gold holds, what it is about."""
    review = window.review
    assert review is not None
    held = claim_choice_label(window.gold_claims, item, review.scheme, window.gold)
    return can_take_all_claims(item), held, f"{item_class(item).split(' ')[0]} of a claim"


def take_claim(window: ReviewWindow, item: ClaimDisagreement, choice: str) -> None:
    """Settle a source or attribute disagreement (``review/claim_choices.py``): gold's
    spans and claims change together, in one undo step."""
    review = window.review
    assert review is not None and window.current is not None
    try:
        spans, claims = take_claim_choice(
            window.gold, window.gold_claims, item, choice, review.kinds, review.scheme
        )
    except AnnotatorError as error:
        window.statusBar().showMessage(error.in_words(window.current_text()), 5000)
        return
    # A claim (or source) the choice brought into gold comes with what every annotator who
    # marked it gives it: taken on its polarity, it lost the source and quote both gave.
    claims = with_work_of_taken_spans(
        window.gold, spans, claims, review.versions, review.claim_versions
    )
    if spans != window.gold or claims != window.gold_claims or not review.gold_saved:
        window.push(window.gold_change(spans, f"take {choice}", window.current, claims))
    else:
        held_already(window, choice)
