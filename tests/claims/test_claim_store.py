"""Relations and attribute values in the project file: edits, refusals, exact undo,
suggestions copied on first opening, whole sets replaced, the scheme, the migration."""

import sqlite3
from contextlib import closing

import pytest
from sqlite_utils import Database

from annotator.core import Article, Span
from annotator.core.relations import (
    AttributeType,
    AttributeValue,
    Relation,
    RelationError,
    RelationType,
    SchemeError,
    SpanAttribute,
    SpanRelation,
)
from annotator.storage import ReadOnlyProject, RelationConflict, SpanConflict, Store
from annotator.storage.migrations import migrations

TEXT = "Insurgents claimed they killed 40 regime troops, the Observatory said."
#       0         1         2         3         4         5         6
#       0123456789012345678901234567890123456789012345678901234567890123456789
FACTION = Span(0, 10, "FACTION")
CLAIM = Span(19, 47, "CLAIM")  # they killed 40 regime troops
SOURCE = Span(53, 64, "SOURCE")  # Observatory


@pytest.fixture
def article_id(store):
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    return article_id


@pytest.fixture
def ana(store, article_id):
    """ana's claim, its two possible sources, a relation and a value."""
    claim = store.add_span(article_id, "ana", CLAIM)
    faction = store.add_span(article_id, "ana", FACTION)
    source = store.add_span(article_id, "ana", SOURCE)
    relation = store.add_relation(article_id, "ana", Relation(claim.id, faction.id))
    store.set_attribute(claim.id, "hedged", "yes")
    return claim, faction, source, relation


def test_spans_text_is_what_the_constants_say():
    assert TEXT[CLAIM.start : CLAIM.end] == "they killed 40 regime troops"
    assert TEXT[SOURCE.start : SOURCE.end] == "Observatory"
    assert TEXT[FACTION.start : FACTION.end] == "Insurgents"


def test_a_relation_and_a_value_are_stored_and_read_by_id_and_by_value(store, article_id, ana):
    claim, faction, _, relation = ana
    assert store.relations(article_id, "ana") == [Relation(claim.id, faction.id)]
    assert relation.id is not None and relation.origin == "human"
    assert store.attribute_values(article_id, "ana") == [AttributeValue(claim.id, "hedged", "yes")]
    work = store.claim_work(article_id, "ana")
    assert work.sources(CLAIM) == {FACTION}
    assert work.values(CLAIM) == {"hedged": "yes"}
    actions = [e["action"] for e in store.events(article_id)]
    assert actions[-2:] == ["add_relation", "set_attribute"]


@pytest.mark.parametrize(
    ("head", "child", "error", "message"),
    [
        (CLAIM, Span(20, 24, "LOCATION"), SchemeError, "not from CLAIM to LOCATION"),
        (SOURCE, CLAIM, SchemeError, "not from SOURCE to CLAIM"),
    ],
)
def test_a_relation_the_scheme_does_not_allow_is_refused(
    store, article_id, head, child, error, message
):
    head = store.add_span(article_id, "ana", head)
    child = store.add_span(article_id, "ana", child)
    before = store.events(article_id)
    with pytest.raises(error, match=message):
        store.add_relation(article_id, "ana", Relation(head.id, child.id))
    assert store.relations(article_id, "ana") == []
    assert store.events(article_id) == before


def test_a_relation_to_another_annotators_or_articles_span_is_refused(store, article_id, ana):
    claim = ana[0]
    ben_source = store.add_span(article_id, "ben", SOURCE)
    with pytest.raises(RelationError, match="not ana's on article"):
        store.add_relation(article_id, "ana", Relation(claim.id, ben_source.id))
    (other,) = store.add_articles([Article("Rebels said they took Kidal.")]).ids
    elsewhere = store.add_span(other, "ana", Span(0, 6, "SOURCE"))
    with pytest.raises(RelationError, match="one article and annotator"):
        store.add_relation(article_id, "ana", Relation(claim.id, elsewhere.id))
    with pytest.raises(SchemeError, match="no relation 'target'"):
        store.add_relation(article_id, "ana", Relation(claim.id, ana[2].id, "target"))


def test_the_same_relation_twice_is_refused_but_a_second_source_is_not(store, article_id, ana):
    claim, faction, source, _ = ana
    # Spans named by their words, as the annotator sees them, not by offsets.
    said = (
        "the CLAIM span 'they killed 40 regime troops' already has this source relation to "
        "the FACTION span 'Insurgents'"
    )
    with pytest.raises(SchemeError, match=said):
        store.add_relation(article_id, "ana", Relation(claim.id, faction.id))
    store.add_relation(article_id, "ana", Relation(claim.id, source.id))
    assert store.claim_work(article_id, "ana").sources(CLAIM) == {FACTION, SOURCE}


def test_a_relation_to_a_span_deleted_elsewhere_is_a_conflict(store, article_id, ana):
    claim, _, source, _ = ana
    store.delete_span(source.id)
    with pytest.raises(SpanConflict, match="deleted elsewhere"):
        store.add_relation(article_id, "ana", Relation(claim.id, source.id))


def test_delete_relation_returns_it_for_undo_and_its_id_comes_back(store, article_id, ana):
    relation = ana[3]
    removed = store.delete_relation(relation.id, expected=relation, annotator="ana")
    assert store.relations(article_id, "ana") == []
    restored = store.add_relation(article_id, "ana", removed)
    assert restored.id == relation.id
    with pytest.raises(RelationConflict, match="already back"):
        store.add_relation(article_id, "ana", removed)
    store.delete_relation(relation.id)
    with pytest.raises(RelationConflict, match="deleted elsewhere"):
        store.delete_relation(relation.id)


def test_relation_ids_are_never_given_twice(store, article_id, ana):
    claim, faction, source, relation = ana
    store.delete_relation(relation.id)
    again = store.add_relation(article_id, "ana", Relation(claim.id, faction.id))
    assert again.id > relation.id


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("hedged", "maybe", "not a value of attribute hedged"),
        ("certainty", "high", "no attribute 'certainty'"),
    ],
)
def test_a_value_outside_the_scheme_is_refused(store, article_id, ana, name, value, message):
    with pytest.raises(SchemeError, match=message):
        store.set_attribute(ana[0].id, name, value)
    assert store.attribute_values(article_id, "ana") == [AttributeValue(ana[0].id, "hedged", "yes")]


def test_an_attribute_of_claims_is_refused_on_a_source(store, ana):
    with pytest.raises(SchemeError, match="for CLAIM spans, not for the SOURCE span 'Observatory'"):
        store.set_attribute(ana[2].id, "quote", "yes")


def test_clearing_a_value_returns_it_and_gives_back_the_default(store, article_id, ana):
    claim = ana[0]
    assert store.clear_attribute(claim.id, "hedged") == AttributeValue(claim.id, "hedged", "yes")
    assert store.attribute_value(claim.id, "hedged") is None
    assert store.clear_attribute(claim.id, "hedged") is None


def test_deleting_a_span_deletes_its_relations_and_values(store, article_id, ana):
    claim = ana[0]
    store.delete_span(claim.id)
    assert store.relations(article_id, "ana") == []
    assert store.attribute_values(article_id, "ana") == []


def test_undo_of_a_deleted_span_restores_its_relations_and_values_exactly(store, article_id, ana):
    claim, faction, source, relation = ana
    store.add_relation(article_id, "ana", Relation(claim.id, source.id))
    store.set_attribute(claim.id, "polarity", "denied")
    relations, values = (
        store.relations(article_id, "ana"),
        store.attribute_values(article_id, "ana"),
    )

    removed = store.delete_span_with_links(claim.id, expected=claim, annotator="ana")
    assert len(removed.links.relations) == 2 and len(removed.links.attributes) == 2
    assert store.relations(article_id, "ana") == []
    store.restore_span(article_id, "ana", removed)

    assert store.spans(article_id, "ana") == [faction, claim, source]
    assert [s.id for s in store.spans(article_id, "ana")] == [faction.id, claim.id, source.id]
    after = store.relations(article_id, "ana")
    assert [(r.id, r.head, r.child, r.origin) for r in after] == [
        (r.id, r.head, r.child, r.origin) for r in relations
    ]
    assert store.attribute_values(article_id, "ana") == values


def test_undo_of_a_source_deleted_then_restored_also_in_two_steps(store, article_id, ana):
    # The window's command may read the links first and restore them after the span.
    claim, faction, _, relation = ana
    links = store.span_links([faction.id])
    span = store.delete_span(faction.id)
    store.add_span(article_id, "ana", span)
    store.restore_links(article_id, "ana", links)
    assert [(r.id, r.head, r.child) for r in store.relations(article_id, "ana")] == [
        (relation.id, claim.id, faction.id)
    ]


def test_relabelling_drops_only_what_the_new_label_does_not_allow(store, article_id, ana):
    claim, faction, _, _ = ana
    store.update_span(faction.id, 0, 10, "SOURCE", "edited")  # still a possible source
    assert store.claim_work(article_id, "ana").sources(CLAIM) == {Span(0, 10, "SOURCE")}
    links = store.span_links([faction.id, claim.id])
    store.update_span(faction.id, 0, 10, "LOCATION", "edited")
    assert store.relations(article_id, "ana") == []
    store.update_span(claim.id, 19, 47, "FACTION", "edited")
    assert store.attribute_values(article_id, "ana") == []
    # Undo of both relabels, then of what they took away.
    store.update_span(claim.id, 19, 47, "CLAIM", "human")
    store.update_span(faction.id, 0, 10, "SOURCE", "edited")
    store.restore_links(article_id, "ana", links)
    assert store.span_links([faction.id, claim.id]) == links


def test_replace_annotations_is_one_transaction(store, article_id, ana):
    claim = Span(19, 47, "CLAIM")
    source = Span(53, 64, "SOURCE")
    spans, links = store.replace_annotations(
        article_id,
        "ana",
        [claim, source],
        [SpanRelation(claim, source)],
        [SpanAttribute(claim, "quote", "yes")],
        action="import",
    )
    assert [s.id for s in spans] and len(links.relations) == 1
    work = store.claim_work(article_id, "ana")
    assert work.sources(claim) == {source} and work.values(claim) == {"quote": "yes"}
    assert store.events(article_id)[-1]["payload"]["relations"][0]["label"] == "source"

    before = (store.spans(article_id, "ana"), store.relations(article_id, "ana"))
    with pytest.raises(RelationError, match="names a span ana does not have"):
        store.replace_annotations(
            article_id, "ana", [claim], [SpanRelation(claim, Span(0, 10, "FACTION"))]
        )
    with pytest.raises(SchemeError, match="not a value of attribute quote"):
        store.replace_annotations(
            article_id, "ana", [claim], [], [SpanAttribute(claim, "quote", "perhaps")]
        )
    assert (store.spans(article_id, "ana"), store.relations(article_id, "ana")) == before


def test_suggested_links_are_copied_once_when_the_annotator_starts(store, article_id):
    claim, source = Span(19, 47, "CLAIM"), Span(53, 64, "SOURCE")
    with store.transaction():
        store.add_suggestions([(article_id, [FACTION, claim, source])], "m-1")
        count = store.add_suggested_links(
            [(article_id, [SpanRelation(claim, source)], [SpanAttribute(claim, "quote", "no")])],
            "m-1",
        )
    assert count == 1
    assert store.suggested_work(article_id).sources(claim) == {source}

    assert store.relations(article_id, "ana") == []  # reading is not starting
    spans = store.start_article(article_id, "ana")
    by_key = {s.key: s for s in spans}
    (relation,) = store.relations(article_id, "ana")
    assert (relation.head, relation.child, relation.origin) == (
        by_key[claim.key].id,
        by_key[source.key].id,
        "model",
    )
    assert store.attribute_values(article_id, "ana") == [
        AttributeValue(by_key[claim.key].id, "quote", "no", "model")
    ]
    assert store.attribute_values(article_id, "ana")[0].origin == "model"
    store.delete_relation(relation.id)
    store.start_article(article_id, "ana")  # started before: nothing is copied again
    assert store.relations(article_id, "ana") == []


def test_links_must_name_stored_suggestions_and_go_with_them(store, article_id):
    claim = Span(19, 47, "CLAIM")
    store.add_suggestions([(article_id, [claim])], "m-1")
    with pytest.raises(ValueError, match="not a suggestion of m-1"):
        store.add_suggested_links([(article_id, [SpanRelation(claim, SOURCE)], [])], "m-1")
    store.add_suggestions([(article_id, [SOURCE])], "m-1")
    store.add_suggested_links([(article_id, [SpanRelation(claim, SOURCE)], [])], "m-1")
    store.clear_suggestions([article_id], "m-1")
    with closing(store._db.execute("SELECT COUNT(*) FROM suggested_relations")) as rows:
        assert rows.fetchone()[0] == 0


def test_the_scheme_can_change_but_not_under_stored_work(store, article_id, ana):
    hedged = store.attribute_type("hedged")
    with pytest.raises(SchemeError, match="pre-annotation suggests hedged yes"):
        store.save_attribute_type(AttributeType("hedged", "CLAIM", "flag", ("no", "maybe"), "no"))
    store.save_attribute_type(
        AttributeType("certainty", "CLAIM", "choice", ("low", "high"), "high", key="C")
    )
    store.set_attribute(ana[0].id, "certainty", "low")
    with pytest.raises(SchemeError, match="not among weak, high: low 1"):
        store.save_attribute_type(
            AttributeType("certainty", "CLAIM", "choice", ("weak", "high"), "high", key="C")
        )
    assert store.delete_attribute_type("certainty") == 1
    assert [t.name for t in store.attribute_types("CLAIM")] == ["polarity", "hedged", "quote"]
    assert store.attribute_type("hedged") == hedged

    with pytest.raises(SchemeError, match="1 stored source relations join other labels"):
        store.save_relation_type(RelationType("source", ("CLAIM",), ("SOURCE",)))
    store.save_relation_type(RelationType("source", ("CLAIM",), ("FACTION", "SOURCE", "LOCATION")))
    assert store.relation_type("source").allows("CLAIM", "LOCATION")
    assert store.delete_relation_type("source") == 1
    assert store.relations(article_id, "ana") == []


def test_a_bad_attribute_type_is_refused_before_it_reaches_the_file():
    with pytest.raises(SchemeError, match="default 'maybe' is not one of its values"):
        AttributeType("hedged", "CLAIM", "flag", ("no", "yes"), "maybe")
    with pytest.raises(SchemeError, match="a flag has exactly two values"):
        AttributeType("x", "CLAIM", "flag", ("a", "b", "c"), "a")
    assert AttributeType("p", "CLAIM", "choice", ("a", "b", "c"), "a").next_value("c") == "a"


def test_stats_count_relations_and_values(store, article_id, ana):
    figures = store.stats()
    assert figures["relations"] == {"ana": {"source": 1}}
    assert figures["attributes"] == {"ana": {"hedged": {"yes": 1}}}
    assert figures["relation_types"] == ["source"]
    assert figures["attribute_types"] == ["polarity", "hedged", "quote"]


def test_a_read_only_project_refuses_link_edits(project_path):
    with Store(project_path) as store:
        (article_id,) = store.add_articles([Article(TEXT)]).ids
        claim = store.add_span(article_id, "ana", CLAIM)
    project_path.chmod(0o444)
    try:
        with Store(project_path) as store:
            assert store.read_only
            with pytest.raises(ReadOnlyProject):
                store.set_attribute(claim.id, "quote", "yes")
    finally:
        project_path.chmod(0o644)


def test_a_project_made_before_relations_gains_them_and_keeps_its_work(project_path):
    old = Database(project_path)
    migrations.apply(old, stop_before="0010_claim_relations")
    old.execute("PRAGMA journal_mode=WAL")
    old.execute("DELETE FROM labels WHERE name = 'SOURCE'")  # as the older program made it
    old["labels"].insert(
        {"name": "WEAPON", "kind": "entity", "color": "#000", "key": "4", "position": 3}
    )
    old["articles"].insert({"text_hash": "h", "text": TEXT, "title": "t"})
    old["spans"].insert(
        {"article_id": 1, "annotator": "ana", "start": 19, "end": 47, "label": "CLAIM",
         "origin": "human"}
    )  # fmt: skip
    old.conn.commit()
    old.close()

    with Store(project_path) as store:
        labels = store.labels()
        assert [label.name for label in labels] == [
            "LOCATION",
            "FACTION",
            "CLAIM",
            "WEAPON",
            "SOURCE",
        ]
        assert labels[-1].key == ""  # "4" was taken: the project's own label keeps it
        assert [t.name for t in store.relation_types()] == ["source"]
        (claim,) = store.spans(1, "ana")
        source = store.add_span(1, "ana", SOURCE)
        store.add_relation(1, "ana", Relation(claim.id, source.id))
        store.set_attribute(claim.id, "polarity", "denied")
        assert store.claim_work(1, "ana").values(claim) == {"polarity": "denied"}
    with closing(sqlite3.connect(project_path)) as db:
        triggers = {
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        assert {"spans_delete_links", "spans_relabel_links", "suggestions_delete_links"} <= triggers
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert project_path.with_name("project.db.before-0010_claim_relations.bak").exists()


def test_stats_json_has_relation_and_attribute_counts(project_path, capsys):
    import json

    from annotator.cli import main

    with Store(project_path) as store:
        (article_id,) = store.add_articles([Article(TEXT)]).ids
        claim = store.add_span(article_id, "ana", CLAIM)
        source = store.add_span(article_id, "ana", SOURCE)
        store.add_relation(article_id, "ana", Relation(claim.id, source.id))
        store.set_attribute(claim.id, "polarity", "denied")
    assert main(["stats", str(project_path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["relations"] == {"ana": {"source": 1}}
    assert figures["attributes"] == {"ana": {"polarity": {"denied": 1}}}
    assert figures["spans"] == {"ana": {"CLAIM": 1, "SOURCE": 1}}


def test_renaming_a_label_keeps_its_relations_and_values(store, article_id, ana):
    claim, faction, _, _ = ana
    store.rename_label("CLAIM", "ASSERTION")
    store.rename_label("FACTION", "ACTOR")
    assert store.relations(article_id, "ana") == [Relation(claim.id, faction.id)]
    assert store.attribute_values(article_id, "ana") == [AttributeValue(claim.id, "hedged", "yes")]
    assert store.relation_type("source").allows("ASSERTION", "ACTOR")
    assert store.attribute_type("hedged").label == "ASSERTION"
    store.rename_label("ASSERTION", "CLAIM")  # the undo
    assert store.relation_type("source").allows("CLAIM", "ACTOR")


def test_a_removed_article_comes_back_with_its_relations_values_and_suggested_ones(
    store, article_id, ana
):
    claim, source = Span(19, 47, "CLAIM"), Span(53, 64, "SOURCE")
    with store.transaction():
        store.add_suggestions([(article_id, [claim, source])], "m-1")
        store.add_suggested_links(
            [(article_id, [SpanRelation(claim, source)], [SpanAttribute(claim, "quote", "yes")])],
            "m-1",
        )
    before = (
        store.relations(article_id, "ana"),
        store.attribute_values(article_id, "ana"),
        store.suggested_work(article_id),
    )
    removed = store.remove_article(article_id)
    with closing(store._db.execute("SELECT COUNT(*) FROM suggested_relations")) as rows:
        assert rows.fetchone()[0] == 0
    store.restore_article(removed)
    after = (
        store.relations(article_id, "ana"),
        store.attribute_values(article_id, "ana"),
        store.suggested_work(article_id),
    )
    assert after == before
