"""``annotator merge`` carries each annotator's relations and attribute values with their
spans, a model's suggested ones with its suggestions, and the scheme of relations."""

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import Article, Span
from annotator.core.relations import AttributeType, Relation, SpanAttribute, SpanRelation
from annotator.review.merge import merge_projects
from annotator.review.merge_scheme import MergeConflict
from annotator.storage import Store

TEXTS = [
    "Rebels claimed they took Saraqib, the Observatory said.",
    "The army denied shelling the market, state media reported.",
]
CLAIM = Span(15, 32, "CLAIM")  # they took Saraqib
REBELS = Span(0, 6, "FACTION")
OBSERVATORY = Span(38, 49, "SOURCE")


def _project(path: Path, name: str, source: Span, texts=TEXTS) -> Path:
    with Store(path) as store:
        ids = store.add_articles(Article(text) for text in texts).ids
        first = ids[texts.index(TEXTS[0])]
        with store.transaction():
            store.add_suggestions([(first, [REBELS, CLAIM])], "m-1")
            store.add_suggested_links(
                [(first, [SpanRelation(CLAIM, REBELS)], [SpanAttribute(CLAIM, "quote", "no")])],
                "m-1",
            )
        claim = store.add_span(first, name, CLAIM)
        child = store.add_span(first, name, source)
        store.add_relation(first, name, Relation(claim.id, child.id))
        store.set_attribute(claim.id, "hedged", "yes")
        store.set_status(first, name, "done")
    return path


def _sources(store: Store, annotator: str) -> set[tuple[str, str, str]]:
    found = set()
    for article_id in store.article_ids():
        text = store.article(article_id).text
        for relation in store.claim_work(article_id, annotator).relations:
            found.add(
                (
                    relation.head.text(text),
                    relation.child.text(text),
                    relation.child.label,
                )
            )
    return found


def test_relations_and_values_come_along_with_the_spans(tmp_path):
    ana = _project(tmp_path / "ana.db", "ana", REBELS)
    ben = _project(tmp_path / "ben.db", "ben", OBSERVATORY, texts=list(reversed(TEXTS)))
    out = tmp_path / "out.db"
    assert main(["merge", str(out), str(ana), str(ben)]) == 0
    with Store(out) as store:
        assert _sources(store, "ana") == {("they took Saraqib", "Rebels", "FACTION")}
        assert _sources(store, "ben") == {("they took Saraqib", "Observatory", "SOURCE")}
        (article_id,) = [i for i in store.article_ids() if store.article(i).text == TEXTS[0]]
        for name in ("ana", "ben"):
            (claim,) = [s for s in store.spans(article_id, name) if s.label == "CLAIM"]
            assert store.claim_work(article_id, name).values(claim) == {"hedged": "yes"}
            (relation,) = store.relations(article_id, name)
            assert {relation.head, relation.child} <= {s.id for s in store.spans(article_id, name)}
        suggested = store.suggested_work(article_id, "m-1")
        assert suggested.sources(CLAIM) == {REBELS}
        assert suggested.values(CLAIM) == {"quote": "no"}
        assert store.stats()["suggested_relations"] == {"m-1": {"source": 1}}
    report = merge_projects(out, [ana, ben])  # again: nothing changes
    assert report.relations_by_annotator == {}
    with Store(out) as store:
        assert sum(store.stats()["relations"][n]["source"] for n in ("ana", "ben")) == 2


def test_the_same_annotator_with_another_source_is_a_conflict(tmp_path):
    first = _project(tmp_path / "a.db", "ana", REBELS)
    second = _project(tmp_path / "b.db", "ana", OBSERVATORY)
    with Store(second) as store:  # the same spans as in the first, the source aside
        store.replace_annotations(
            1,
            "ana",
            [CLAIM, REBELS, OBSERVATORY],
            [SpanRelation(CLAIM, OBSERVATORY)],
            [SpanAttribute(CLAIM, "hedged", "yes")],
        )
    with Store(first) as store:
        store.add_span(1, "ana", OBSERVATORY)
    out = tmp_path / "out.db"
    with pytest.raises(MergeConflict, match="annotator ana has different work"):
        merge_projects(out, [first, second])
    assert not out.exists()


def test_an_attribute_defined_differently_is_a_conflict_and_a_new_one_is_added(tmp_path):
    first = _project(tmp_path / "a.db", "ana", REBELS)
    second = _project(tmp_path / "b.db", "ben", OBSERVATORY)
    with Store(second) as store:
        store.save_attribute_type(
            AttributeType("certainty", "CLAIM", "choice", ("low", "high"), "high")
        )
    out = tmp_path / "out.db"
    merge_projects(out, [first, second])
    with Store(out) as store:
        assert store.attribute_type("certainty").values == ("low", "high")
    with Store(first) as store:
        store.save_attribute_type(
            AttributeType("certainty", "CLAIM", "choice", ("low", "mid", "high"), "mid")
        )
    with pytest.raises(MergeConflict, match="attribute certainty is defined differently"):
        merge_projects(tmp_path / "again.db", [first, second])
