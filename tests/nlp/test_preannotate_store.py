"""``preannotate_store``: skip what this model did, redo with force, batch, cancel cleanly."""

from __future__ import annotations

import pytest

from annotator.core.errors import Cancelled
from annotator.core.model import Article
from annotator.nlp import preannotate, preannotate_store

TEXTS = [
    "Rebels shelled Aleppo on Monday, activists said.",
    "Government forces entered Idlib.",
    "According to the UN, 200 families fled Hama.",
    "Clashes near Raqqa, residents said.",
    "Hezbollah fighters crossed into Homs.",
]


@pytest.fixture
def project(store):
    store.add_articles(Article(text) for text in TEXTS)
    return store


def stored(store, model):
    return {article_id: store.suggestions(article_id, model) for article_id in store.article_ids()}


def test_suggestions_stored_under_the_model_name(project, rules):
    report = preannotate_store(project, rules)
    assert report.articles == len(TEXTS)
    assert report.skipped == 0
    assert project.suggestion_models() == [rules.name]
    by_article = stored(project, rules.name)
    assert report.suggestions == sum(len(spans) for spans in by_article.values())
    first = project.article_ids()[0]
    assert {(TEXTS[0][s.start : s.end], s.label) for s in by_article[first]} >= {
        ("Aleppo", "LOCATION"),
        ("Rebels", "FACTION"),
        ("Rebels shelled Aleppo on Monday", "CLAIM"),
    }
    assert project.setting(preannotate.SETTING_DESCRIPTION) == rules.description
    assert project.setting(preannotate.SETTING_NAME) == rules.name


def test_second_run_skips_articles_this_model_did(project, rules):
    first = preannotate_store(project, rules)
    project.add_articles([Article("Clashes in Mosul.")])
    again = preannotate_store(project, rules)
    assert again.skipped == len(TEXTS)
    assert again.articles == 1
    assert again.suggestions >= 1
    total = sum(len(s) for s in stored(project, rules.name).values())
    assert total == first.suggestions + again.suggestions


def test_force_redoes_without_duplicates(project, rules):
    first = preannotate_store(project, rules)
    before = stored(project, rules.name)
    forced = preannotate_store(project, rules, force=True)
    assert forced.articles == len(TEXTS)
    assert forced.skipped == 0
    assert forced.suggestions == first.suggestions
    assert stored(project, rules.name) == before


def test_cancel_keeps_whole_batches(project, rules, monkeypatch):
    monkeypatch.setattr(preannotate, "WRITE_BATCH", 2)
    calls = []

    def progress(done, total):
        calls.append((done, total))
        if done >= 3:
            raise Cancelled

    with pytest.raises(Cancelled):
        preannotate_store(project, rules, progress=progress)
    done = project.articles_suggested_by(rules.name)
    ids = project.article_ids()
    assert done <= set(ids[:2])  # the first batch, whole; nothing of the second
    assert calls[0] == (0, len(TEXTS))
    # The next run finishes the rest.
    report = preannotate_store(project, rules)
    assert report.articles == len(TEXTS) - report.skipped
    assert project.articles_suggested_by(rules.name) == set(ids)


def test_progress_reaches_the_total(project, rules):
    calls = []
    preannotate_store(project, rules, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, len(TEXTS))
    assert calls[-1] == (len(TEXTS), len(TEXTS))


def test_empty_project(store, rules):
    report = preannotate_store(store, rules)
    assert (report.articles, report.suggestions, report.skipped) == (0, 0, 0)
