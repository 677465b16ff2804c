"""Settling a disagreement of spans on the review screen: one annotator's version, all of
them or none go into gold (``review.adjudication``), and the claims brought in come with
the sources and values their annotators gave them (``with_work_of_taken_spans``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.review.adjudication import take_all, take_none, take_version
from annotator.review.claim_gold import with_work_of_taken_spans
from annotator.review.disagreements import Disagreement

if TYPE_CHECKING:
    from annotator.ui.review_window import ReviewWindow


def take_spans(window: ReviewWindow, disagreement: Disagreement, choice: str) -> None:
    """Gold takes ``choice`` (an annotator, ``all`` or ``none``) for the disagreement, in
    one undo step that moves on to the next; a refusal is said in the status bar."""
    review = window.review
    assert review is not None and window.current is not None
    try:
        if choice == "all":
            new = take_all(window.gold, disagreement, review.kinds, review.article.text)
        elif choice == "none":
            new = take_none(window.gold, disagreement, review.kinds)
        else:
            new = take_version(window.gold, disagreement, choice, review.kinds, review.article.text)
    except AnnotatorError as error:
        window.statusBar().showMessage(error.in_words(window.current_text()), 5000)
        return
    chosen = review.annotators if choice == "all" else [] if choice == "none" else [choice]
    claims = with_work_of_taken_spans(
        window.gold,
        new,
        window.gold_claims,
        {name: review.versions[name] for name in chosen},
        review.claim_versions,
    )
    if new != window.gold or claims != window.gold_claims or not review.gold_saved:
        # Written, the command moves on to the next disagreement (and undo comes back).
        window.push(window.gold_change(new, f"take {choice}", window.current, claims))
    else:
        held_already(window, choice)


def held_already(window: ReviewWindow, choice: str) -> None:
    """A choice gold holds already: said, and on to the next disagreement. It makes no undo
    step, so Ctrl+Z undid an earlier choice, unannounced."""
    assert window.current is not None
    taken = {"all": "every version", "none": "none of them"}.get(choice, f"{choice}'s version")
    window.go_after_choice(window.current + 1, f"Gold holds {taken} already: nothing changed")
