"""What training learns from: finished work, split by text hash; too little is refused."""

from __future__ import annotations

import pytest

from annotator.core.model import Article, Span
from annotator.core.splits import split_of, split_point
from annotator.formats.exporter import split_of as export_split_of
from annotator.nlp.training import MIN_HELD_OUT, MIN_TRAIN, TrainingDataError
from annotator.nlp.training.data import split_part, training_data
from annotator.storage import Store
from tests.training.conftest import make_project


def test_training_splits_as_export_does():
    """One split for exports and training: what ``--split 0.8,0.1,0.1`` puts in train is
    learned from, everything else is held out."""
    texts = [f"Clashes near Aleppo, report {k}." for k in range(300)]
    for text in texts:
        assert split_of(text, (0.8, 0.1, 0.1)) == export_split_of(text, (0.8, 0.1, 0.1))
        in_train = export_split_of(text, (0.8, 0.1, 0.1)) == "train"
        assert (split_part(text) == "train") == in_train
    parts = {split_part(t) for t in texts}
    assert parts == {"train", "held_out"}


def test_no_text_is_in_both_parts(store):
    """Texts that differ only in case or spacing are one text to the split."""
    base = [f"Rebels shelled Aleppo on day {k}, activists said." for k in range(40)]
    variants = [t.upper() for t in base] + [t.replace(" ", "  ") for t in base]
    ids = store.add_articles(Article(t) for t in base + variants).ids
    for article_id, text in zip(ids, base + variants, strict=True):
        start = text.lower().index("aleppo")
        store.replace_spans(
            article_id, "ann", [Span(start, start + 6, "LOCATION"), Span(0, 6, "FACTION")]
        )
        store.set_status(article_id, "ann", "done")
    data = training_data(store)
    fold = lambda t: " ".join(t.casefold().split())  # noqa: E731
    learned = {fold(item.text) for item in data.train}
    held = {fold(item.text) for item in data.held_out}
    assert learned and held
    assert not learned & held
    assert len(data.train) + len(data.held_out) == len(ids)


def test_only_finished_work_and_the_gold_version_first(tmp_path):
    path = make_project(tmp_path / "p.db", done=20, untouched=5)
    with Store(path) as store:
        assert store.article_count() == 25
        data = training_data(store)
        assert len(data.train) + len(data.held_out) == 20  # the untouched are not training data
        assert data.source == "done"
        assert data.label_counts["LOCATION"] > 0
        first = data.train[0].article_id
        store.replace_spans(first, "gold", [Span(0, 6, "FACTION")])
        gold = training_data(store)
        assert [i.spans for i in gold.train if i.article_id == first] == [(Span(0, 6, "FACTION"),)]
        with pytest.raises(TrainingDataError, match="too few adjudicated"):
            training_data(store, gold=True)


def test_too_few_finished_articles_says_how_many_are_needed(tmp_path):
    with (
        Store(make_project(tmp_path / "p.db", done=5)) as store,
        pytest.raises(TrainingDataError) as caught,
    ):
        training_data(store)
    message = str(caught.value)
    assert "too few finished articles" in message
    needed = MIN_TRAIN + MIN_HELD_OUT
    assert f"at least {needed} are needed" in message
    # 3 articles are left to finish: more must come, and the message does not ask for the
    # impossible ("mark 5 more done")
    assert message.endswith(
        f"import and finish {needed - 8} more articles, and finish the 3 not finished"
    )
    assert "\n" not in message
    with (
        Store(make_project(tmp_path / "q.db", done=5, untouched=9)) as store,
        pytest.raises(TrainingDataError, match=f"mark {needed - 5} more done$"),
    ):
        training_data(store)


def test_a_label_without_example_is_refused(tmp_path):
    with Store(make_project(tmp_path / "p.db", done=20)) as store:
        for article_id in store.article_ids():
            spans = [s for s in store.spans(article_id, "ann") if s.label != "FACTION"]
            store.replace_spans(article_id, "ann", spans)
        with pytest.raises(TrainingDataError, match="no FACTION span") as refused:
            training_data(store)
        # (it said "in the 16 ann's finished articles": ann had finished 20)
        assert "articles to learn from of the 20 finished articles (the others are held" in str(
            refused.value
        )
        with pytest.raises(TrainingDataError, match="of the 20 articles finished by ann "):
            training_data(store, annotator="ann")


def finished_texts(part: str, count: int) -> list[str]:
    """``count`` article texts that the text hash puts in ``part``."""
    texts = (f"Shelling near Aleppo on day {k}, activists said." for k in range(10_000))
    return [t for t in texts if split_part(t) == part][:count]


def mark_done(store: Store, texts: list[str]) -> None:
    for article_id, text in zip(
        store.add_articles(Article(t) for t in texts).ids, texts, strict=True
    ):
        start = text.lower().index("aleppo")
        spans = [Span(start, start + 6, "LOCATION"), Span(0, 8, "FACTION")]
        store.replace_spans(article_id, "ann", spans)
        store.set_status(article_id, "ann", "done")


@pytest.mark.parametrize(("part", "count"), [("train", 14), ("held_out", 10)])
def test_ten_finished_articles_are_enough_whatever_their_hash(store, part, count):
    """All 14 texts hash into train (or all 10 into held-out): the texts nearest the other
    part's share move to it, until it has its minimum, and no text is in both."""
    texts = finished_texts(part, count)
    mark_done(store, texts)
    data = training_data(store)
    train = sorted(item.text for item in data.train)
    held = sorted(item.text for item in data.held_out)
    assert not set(train) & set(held) and len(train) + len(held) == count
    by_point = sorted(texts, key=split_point)
    if part == "train":
        assert held == sorted(by_point[-MIN_HELD_OUT:])  # nearest the held-out share
    else:
        assert len(train) == MIN_TRAIN and train == sorted(by_point[:MIN_TRAIN])
    assert training_data(store).train == data.train  # the same in every run


def test_a_text_and_its_copies_move_together(store):
    texts = finished_texts("train", 12)
    mark_done(store, texts + [texts[-1].upper()])  # one text twice, case aside
    data = training_data(store)
    folded = lambda t: t.casefold()  # noqa: E731
    assert not {folded(i.text) for i in data.train} & {folded(i.text) for i in data.held_out}
    assert len(data.held_out) >= MIN_HELD_OUT and len(data.train) >= MIN_TRAIN


def test_held_out_near_copies_of_articles_learned_from_are_counted():
    """Updated wire copies (the same story, a line added) went to the held-out part beside
    their originals, and the scores were the model's memory of them, unsaid."""
    from annotator.nlp.training.data import LabelledText, near_copies

    story = " ".join(f"word{n}" for n in range(80))
    learned = [LabelledText(1, story, (), "ana"), LabelledText(2, "Short text.", (), "ana")]
    held = [
        LabelledText(3, story + "\nUPDATE 1: more", (), "ana"),  # a near-copy
        LabelledText(4, "Short text. Again", (), "ana"),  # too short to tell
        LabelledText(5, "other " + story, (), "ana"),  # another opening
    ]
    assert near_copies(learned, held) == 1
