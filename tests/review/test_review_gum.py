"""The issue's scenario end to end, without the window: GUM news annotated by three people on
their own machines, merged, measured, and adjudicated back to the gold version."""

import json

import pytest

from annotator.cli import main
from annotator.core.model import GOLD
from annotator.review.adjudication import (
    can_take_all,
    open_review,
    save_gold,
    take_all,
    take_none,
    take_version,
)
from annotator.review.disagreements import rank_articles
from annotator.storage import Store
from tests.review.annotators_from_gum import DEFAULT_ANNOTATORS


def test_each_annotator_made_the_changes_asked_for(scenario):
    n = scenario.gold_count()
    assert n > 800
    assert scenario.annotators["ana"].count("none") == n
    for name in ("ben", "cem"):
        changes = DEFAULT_ANNOTATORS[name]
        version = scenario.annotators[name]
        assert version.count("miss") == pytest.approx(changes.miss * n, rel=0.4)
        entities = scenario.gold_count("LOCATION", "FACTION")
        assert version.count("swap") == pytest.approx(changes.swap * entities, rel=0.4)
        assert version.count("shift") > 0


def test_merged_projects_keep_every_annotators_work(merged_project, scenario):
    with Store(merged_project) as store:
        assert store.article_count() == 24
        assert store.annotators() == ["ana", "ben", "cem"]
        for article_id in store.article_ids():
            text = store.article(article_id).text
            assert store.spans(article_id, "ana") == scenario.gold_spans(text)
            assert store.status(article_id, "cem").status == "done"


def test_merging_again_changes_nothing(merged_project, tmp_path, capsys):
    paths = [tmp_path / f"{name}.db" for name in ("ana", "ben", "cem")]
    capsys.readouterr()
    assert main(["merge", str(merged_project), *map(str, paths)]) == 0
    out = capsys.readouterr().out
    assert "articles: 0 added, 24 already there" in out and "events: 0 added" in out


def test_agreement_shows_the_changes_made(merged_project, scenario, capsys):
    capsys.readouterr()
    assert main(["agreement", str(merged_project), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["articles"] == 24
    for name in ("ben", "cem"):
        entity = _pair(figures, "entity", "ana", name)
        exact, overlap = scenario.expected_f1(name, "LOCATION", "FACTION")
        assert entity["f1_exact"] == pytest.approx(exact, abs=1e-12)
        assert entity["f1_partial"] == pytest.approx(overlap, abs=1e-12)
        claim = _pair(figures, "claim", "ana", name)
        assert claim["f1_exact"] == pytest.approx(scenario.expected_f1(name, "CLAIM")[0])
        assert claim["f1_exact"] < claim["f1_partial"] < 1
    # Two perturbed annotators agree less with each other than each does with the gold copy.
    for layer in ("entity", "claim"):
        between = _pair(figures, layer, "ben", "cem")["kappa"]
        assert between < _pair(figures, layer, "ana", "ben")["kappa"] < 1
        assert between < _pair(figures, layer, "ana", "cem")["kappa"] < 1
        assert 0.7 < figures["layers"][layer]["alpha"] < 1


def _pair(figures: dict, layer: str, a: str, b: str) -> dict:
    (pair,) = [p for p in figures["layers"][layer]["pairs"] if (p["a"], p["b"]) == (a, b)]
    return pair


def test_adjudicating_with_one_choice_per_disagreement_gives_back_the_gold(
    merged_project, scenario
):
    with Store(merged_project) as store:
        ranked = rank_articles(store)
        assert sum(row.total for row in ranked) > 100
        for row in ranked:
            review = open_review(store, row.article_id)
            wanted = scenario.gold_spans(review.article.text)
            gold = review.gold
            assert set(gold) <= set(wanted)  # the pre-fill: what all three agreed on
            for d in review.disagreements:
                # ana is a perfect copy: her version is always right; also try the others.
                if can_take_all(d):
                    gold = take_all(gold, d, review.kinds, review.article.text)
                gold = take_none(gold, d, review.kinds)
                gold = take_version(gold, d, "ben", review.kinds, review.article.text)
                gold = take_version(gold, d, "ana", review.kinds, review.article.text)
            assert gold == wanted
            save_gold(store, row.article_id, gold, status="done")
        assert {row.review_status for row in rank_articles(store)} == {"done"}
        assert all(
            store.spans(i, GOLD) == scenario.gold_spans(store.article(i).text)
            for i in store.article_ids()
        )


def test_the_adjudicated_gold_is_exported(merged_project, scenario, tmp_path):
    with Store(merged_project) as store:
        for article_id in store.article_ids():
            review = open_review(store, article_id)
            gold = review.gold
            for d in review.disagreements:
                gold = take_version(gold, d, "ana", review.kinds, review.article.text)
            save_gold(store, article_id, gold, status="done")
    out = tmp_path / "gold.jsonl"
    assert main(["export", str(merged_project), str(out), "--gold"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 24
    for record in records:
        exported = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
        assert exported == {s.key for s in scenario.gold_spans(record["text"])}
