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


def test_a_scoring_stage_counts_the_characters_read_a_piece_at_a_time():
    """The two scoring stages counted articles: with one long held-out article, "Scoring
    the current model… 1 of 2" stood at 50 % for 25 s (and before, "0 of 9" never moved)."""
    from annotator.nlp.loading import load_rules_only
    from annotator.nlp.training.run import counted

    rules = load_rules_only()
    rules.nlp.max_length = 300  # pieces of 300 characters at most
    paragraph = "Rebels shelled Aleppo on Monday, activists said."
    long = "\n\n".join(f"{paragraph} Report {k}." for k in range(40))  # 2,500 characters
    texts = ["Fighting in Mosul.", long]
    said: list[tuple[str, int, int]] = []
    found = counted(rules, texts, "scoring the new model", lambda *a: said.append(a))
    assert found == list(rules.suggest(texts))
    total = len(texts[0]) + len(long)
    assert {stage for stage, _, _ in said} == {"scoring the new model"}
    assert {of for _, _, of in said} == {total}
    done = [done for _, done, _ in said]
    assert done[:2] == [0, len(texts[0])] and done[-1] == total
    assert done == sorted(set(done))  # onwards, never twice the same
    assert len(done) > 2 + len(long) // 300  # the long one piece by piece
    assert max(b - a for a, b in zip(done, done[1:], strict=False)) <= 300
