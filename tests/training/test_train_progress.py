"""Training's progress: the stage's total is the updates it makes, so the bar fills."""

from __future__ import annotations

import pytest
import spacy

from annotator.nlp.components import add_rule_components
from annotator.nlp.training.data import LabelledText
from annotator.nlp.training.train import train_pipeline
from tests.training.conftest import article_text


def finished(count: int) -> list[LabelledText]:
    """``count`` articles done by ann, as the training part gives them."""
    texts = [article_text(k) for k in range(count)]
    return [LabelledText(k, text, tuple(spans), "ann") for k, (text, spans) in enumerate(texts)]


@pytest.mark.parametrize("articles", [10, 17])
def test_the_training_stage_counts_to_its_total_and_no_further(tiny_base, articles):
    """With 10 articles it said 'Training… 24 of 33' and went on to scoring: the bar stopped
    at two thirds (the estimate counted steps that were never made)."""
    base = spacy.load(tiny_base)
    add_rule_components(base)
    said: list[tuple[int, int]] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "training":
            said.append((done, total))

    train_pipeline(base, finished(articles), epochs=2, progress=progress)
    total = said[0][1]
    assert said == [(done, total) for done in range(1, total + 1)]


def test_a_scoring_stage_counts_its_articles():
    """The two scoring stages said "0 of 9" and moved on: their bars never moved."""
    from annotator.nlp.training.run import counted

    said: list[tuple[str, int, int]] = []
    found = counted(iter([["a"], [], ["b"]]), 3, "scoring the new model", lambda *a: said.append(a))
    assert found == [["a"], [], ["b"]]
    assert said == [("scoring the new model", k, 3) for k in range(4)]
