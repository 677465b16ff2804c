"""The relation and attribute scheme changed as the Labels dialog and ``annotator labels``
change it: add, change, rename, remove and restore a type with what hangs on it, the key
rules shared with the labels, and labels that a type names merged or deleted."""

from __future__ import annotations

import pytest

from annotator.core import Article, Span
from annotator.core.labels import LabelError
from annotator.core.model import Label
from annotator.core.relations import (
    AttributeType,
    AttributeValue,
    Relation,
    RelationType,
    SchemeError,
    SpanAttribute,
    SpanRelation,
)

TEXT = "Insurgents claimed they killed 40 regime troops, the Observatory said."
FACTION = Span(0, 10, "FACTION")
CLAIM = Span(19, 47, "CLAIM")
SOURCE = Span(53, 64, "SOURCE")
CERTAINTY = AttributeType("certainty", "CLAIM", "choice", ("low", "high"), "high", key="C")


@pytest.fixture
def article_id(store):
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    return article_id


@pytest.fixture
def work(store, article_id):
    """ana's and ben's claims with their sources and values, and a model's suggested ones."""
    made = {}
    for who, source in (("ana", FACTION), ("ben", SOURCE)):
        claim = store.add_span(article_id, who, CLAIM)
        child = store.add_span(article_id, who, source)
        store.add_relation(article_id, who, Relation(claim.id, child.id))
        store.set_attribute(claim.id, "hedged", "yes")
        made[who] = (claim, child)
    store.add_suggestions([(article_id, [CLAIM, SOURCE])], "m-1")
    store.add_suggested_links(
        [(article_id, [SpanRelation(CLAIM, SOURCE)], [SpanAttribute(CLAIM, "hedged", "yes")])],
        "m-1",
    )
    return made


def everything(store, article_id):
    """What the project holds of claims: every annotator's relations (with ids) and values,
    and the suggested ones."""
    return (
        {
            who: (
                [(r.id, r.head, r.child, r.label) for r in store.relations(article_id, who)],
                store.attribute_values(article_id, who),
            )
            for who in ("ana", "ben")
        },
        store.suggested_work(article_id),
    )


# -- relation types ------------------------------------------------------------------------


def test_a_relation_type_is_added_changed_and_changed_back(store):
    target = RelationType("target", ("CLAIM",), ("LOCATION", "FACTION"), "#aa3300", "T", "Whom")
    assert store.save_relation_type(target, by="ana") is None
    assert store.relation_type("target") == target
    assert [t.name for t in store.relation_types()] == ["source", "target"]
    wider = RelationType("target", ("CLAIM",), ("LOCATION", "FACTION", "SOURCE"), "#aa3300", "G")
    assert store.save_relation_type(wider, by="ana") == target
    assert store.relation_type("target").key == "G"
    store.save_relation_type(target, by="ana")  # the undo
    assert store.relation_type("target") == target
    actions = [e["action"] for e in store.events() if e["article_id"] is None]
    assert actions[-3:] == ["save_relation_type"] * 3


def test_renaming_a_relation_type_takes_its_relations_and_suggestions_along(
    store, article_id, work
):
    before = everything(store, article_id)
    source = store.relation_type("source")
    speaker = RelationType("speaker", source.head_labels, source.child_labels, key="R")
    assert store.save_relation_type(speaker, replacing="source") == source
    assert [t.name for t in store.relation_types()] == ["speaker"]
    assert {r.label for r in store.relations(article_id, "ana")} == {"speaker"}
    assert {r.label for r in store.suggested_work(article_id).relations} == {"speaker"}
    store.save_relation_type(source, replacing="speaker")
    assert everything(store, article_id) == before


def test_a_model_suggests_under_the_names_the_project_gave_the_built_in_types(store):
    """After source was renamed attributed_to (and polarity stance), a later pre-annotation
    wrote "source" relations and "polarity" values, outside the scheme."""
    from dataclasses import replace

    (article_id,) = store.add_articles([Article(TEXT)]).ids
    source, polarity = store.relation_type("source"), store.attribute_type("polarity")
    store.save_relation_type(replace(source, name="attributed_to"), replacing="source")
    store.save_attribute_type(replace(polarity, name="stance"), replacing="polarity")
    store.save_attribute_type(
        replace(polarity, name="stance2"), replacing="stance"
    )  # (twice: the name it has now)
    store.add_suggestions([(article_id, [CLAIM, SOURCE])], "m-2")
    store.add_suggested_links(
        [
            (
                article_id,
                [SpanRelation(CLAIM, SOURCE)],  # the model's names: source, polarity
                [SpanAttribute(CLAIM, "polarity", "denied")],
            )
        ],
        "m-2",
    )
    suggested = store.suggested_work(article_id)
    assert {r.label for r in suggested.relations} == {"attributed_to"}
    assert {a.name for a in suggested.attributes} == {"stance2"}
    # the values the model suggests stay, under its new name too
    with pytest.raises(SchemeError, match="pre-annotation suggests stance2 denied"):
        store.save_attribute_type(replace(polarity, name="stance2", values=("asserted", "x")))
    # the renamed type deleted, and one of the built-in name added: suggested to that one
    store.delete_relation_type("attributed_to")
    store.save_relation_type(source, new=True)
    store.add_suggestions([(article_id, [CLAIM, FACTION])], "m-3")
    store.add_suggested_links([(article_id, [SpanRelation(CLAIM, FACTION)], [])], "m-3")
    assert {r.label for r in store.suggested_work(article_id).relations} == {"source"}
    # deleted, with no other of its name: not suggested at all (it was, outside the scheme)
    store.delete_relation_type("source")
    store.add_suggestions([(article_id, [CLAIM, FACTION])], "m-4")
    made = store.add_suggested_links([(article_id, [SpanRelation(CLAIM, FACTION)], [])], "m-4")
    assert made == 0 and store.suggested_work(article_id, "m-4").relations == ()


def test_a_removed_relation_type_comes_back_with_every_relation_and_its_place(
    store, article_id, work
):
    store.save_relation_type(RelationType("target", ("CLAIM",), ("LOCATION",), key="T"))
    before = everything(store, article_id)
    assert store.relation_type_usage()["source"].describe() == (
        "2 relations of 2 annotators, 1 suggested"
    )
    removed = store.take_relation_type("source", by="ana")
    assert removed.stored == 2 and removed.position == 0
    assert [t.name for t in store.relation_types()] == ["target"]
    assert store.relations(article_id, "ana") == []
    assert store.suggested_work(article_id).relations == ()
    store.restore_claim_type(removed, by="ana")
    assert [t.name for t in store.relation_types()] == ["source", "target"]
    assert everything(store, article_id) == before  # the same ids
    with pytest.raises(SchemeError, match="has a relation source again"):
        store.restore_claim_type(removed)


def test_a_restored_type_leaves_out_relations_whose_spans_went_since(store, article_id, work):
    removed = store.take_relation_type("source")
    ana_claim, _ = work["ana"]
    store.delete_span(ana_claim.id)
    store.restore_claim_type(removed)
    assert store.relations(article_id, "ana") == []
    assert len(store.relations(article_id, "ben")) == 1


# -- attributes ------------------------------------------------------------------------------


def test_an_attribute_is_added_renamed_removed_and_restored(store, article_id, work):
    assert store.save_attribute_type(CERTAINTY) is None
    claim, _ = work["ana"]
    store.set_attribute(claim.id, "certainty", "low")
    before = everything(store, article_id)
    assert store.attribute_type_usage()["certainty"].describe() == "1 value of 1 annotator"

    sure = AttributeType("sureness", "CLAIM", "choice", ("low", "high"), "high", key="C")
    assert store.save_attribute_type(sure, replacing="certainty") == CERTAINTY
    assert AttributeValue(claim.id, "sureness", "low") in store.attribute_values(article_id, "ana")
    store.save_attribute_type(CERTAINTY, replacing="sureness")
    assert everything(store, article_id) == before

    removed = store.take_attribute_type("certainty")
    assert removed.stored == 1
    assert "certainty" not in {v.name for v in store.attribute_values(article_id, "ana")}
    store.restore_claim_type(removed)
    assert everything(store, article_id) == before
    assert [t.name for t in store.attribute_types()][-1] == "certainty"
    assert store.delete_attribute_type("certainty") == 1  # the plain delete counts them


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (AttributeType("sure ness", "CLAIM", "flag", ("no", "yes"), "no"), "holds a space"),
        (AttributeType("certainty", "CLAIM", "flag", ("no", "a b"), "no"), "holds a space"),
        (AttributeType("certainty", "WEAPON", "flag", ("no", "yes"), "no"), "no label WEAPON"),
        (AttributeType("Hedged", "CLAIM", "flag", ("no", "yes"), "no"), "an attribute hedged"),
        (AttributeType("x", "CLAIM", "flag", ("no", "yes"), "no", key="1"), "one letter"),
        (AttributeType("x", "CLAIM", "flag", ("no", "yes"), "no", key="N"), "taken by the window"),
        (AttributeType("x", "CLAIM", "flag", ("no", "yes"), "no", key="r"), "the relation source"),
        (AttributeType("x", "CLAIM", "flag", ("no", "yes"), "no", key="H"), "attribute hedged"),
    ],
)
def test_an_attribute_the_rules_refuse_changes_nothing(store, definition, message):
    before = store.attribute_types()
    with pytest.raises(SchemeError, match=message):
        store.save_attribute_type(definition)
    assert store.attribute_types() == before


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (RelationType("", ("CLAIM",), ("SOURCE",)), "needs a name"),
        (RelationType("target", (), ("SOURCE",)), "heads needs at least one label"),
        (RelationType("target", ("CLAIM",), ("PLACE",)), "no label PLACE"),
        (RelationType("target", ("CLAIM",), ("SOURCE",), "red"), "#RRGGBB"),
        (RelationType("target", ("CLAIM",), ("SOURCE",), key="D"), "the attribute polarity"),
        (RelationType("target", ("CLAIM",), ("SOURCE",), key="P"), "taken by the window"),
    ],
)
def test_a_relation_type_the_rules_refuse_changes_nothing(store, definition, message):
    with pytest.raises(SchemeError, match=message):
        store.save_relation_type(definition)
    assert [t.name for t in store.relation_types()] == ["source"]


def test_a_label_only_imported_spans_use_can_be_joined(store, article_id):
    store.add_span(article_id, "ana", Span(0, 10, "ACTOR"))  # from an imported file
    store.save_relation_type(RelationType("actor", ("CLAIM",), ("ACTOR",)))
    assert store.relation_type("actor").child_labels == ("ACTOR",)


# -- keys: labels and claims share one keyboard ------------------------------------------------


def test_a_label_cannot_take_a_key_of_a_relation_or_attribute(store):
    with pytest.raises(LabelError, match="the key R belongs to the relation source"):
        store.add_label(Label("WEAPON", key="r"))
    with pytest.raises(LabelError, match="the key H belongs to the attribute hedged"):
        store.change_label("LOCATION", key="H")
    store.add_label(Label("WEAPON", key="X"))
    with pytest.raises(SchemeError, match="the key X belongs to the label WEAPON"):
        store.save_relation_type(RelationType("target", ("CLAIM",), ("LOCATION",), key="X"))


def test_new_labels_get_keys_no_relation_or_attribute_has(store):
    for name in "ABCDEFGHIJ":
        store.add_label(Label(f"L{name}"))
    keys = [label.key for label in store.labels()[4:]]
    assert keys == [*"567890", "A", "B", "C", "E"]  # D is polarity's


def test_a_deleted_label_keeps_its_key_only_if_nothing_took_it_since(store):
    store.add_label(Label("WEAPON", key="W"))
    deleted = store.delete_label("WEAPON")
    store.save_attribute_type(AttributeType("armed", "CLAIM", "flag", ("no", "yes"), "no", key="W"))
    store.restore_label(deleted)
    assert store.label("WEAPON").key == ""


# -- labels a type names ---------------------------------------------------------------------


def test_a_label_a_type_names_is_not_deleted(store):
    with pytest.raises(LabelError, match="SOURCE is named by the relation source"):
        store.delete_label("SOURCE")
    with pytest.raises(LabelError, match="the relation source, the attribute polarity"):
        store.delete_label("CLAIM")
    assert [label.name for label in store.labels()] == ["LOCATION", "FACTION", "CLAIM", "SOURCE"]


def test_merging_a_label_a_type_names_keeps_its_relations_and_unmerging_restores_all(
    store, article_id, work
):
    before = everything(store, article_id)
    merge = store.merge_label("FACTION", "SOURCE")
    assert store.relation_type("source").child_labels == ("SOURCE",)
    assert [(r.head, r.child) for r in store.relations(article_id, "ana")] == [
        (c.id, s.id) for c, s in [work["ana"]]
    ]  # the source, now a SOURCE span, is still the claim's source
    store.unmerge_label(merge)
    assert store.relation_type("source").child_labels == ("FACTION", "SOURCE")
    assert everything(store, article_id) == before

    certainty = store.save_attribute_type(CERTAINTY) or CERTAINTY
    store.add_label(Label("STATEMENT", "claim"))
    store.save_attribute_type(
        AttributeType(certainty.name, "STATEMENT", "choice", ("low", "high"), "high", "C")
    )
    merge = store.merge_label("STATEMENT", "CLAIM")
    assert store.attribute_type("certainty").label == "CLAIM"
    store.unmerge_label(merge)
    assert store.attribute_type("certainty").label == "STATEMENT"


def test_a_folded_span_comes_back_with_its_relations_and_values(store, article_id):
    claim = store.add_span(article_id, "ana", CLAIM)
    source = store.add_span(article_id, "ana", SOURCE)
    twin = store.add_span(article_id, "ana", Span(SOURCE.start, SOURCE.end, "FACTION"))
    store.add_relation(article_id, "ana", Relation(claim.id, twin.id))  # on the FACTION twin
    store.set_attribute(claim.id, "quote", "yes")
    before = (store.spans(article_id, "ana"), everything(store, article_id))
    merge = store.merge_label("FACTION", "SOURCE")  # the twin folds into the SOURCE span
    assert [s.id for s in store.spans(article_id, "ana")] == [claim.id, source.id]
    # Its relation moves to the span that stays: it was deleted with the twin, unsaid.
    assert [(r.head, r.child) for r in store.relations(article_id, "ana")] == [
        (claim.id, source.id)
    ]
    store.unmerge_label(merge)
    assert (store.spans(article_id, "ana"), everything(store, article_id)) == before


def test_a_folded_claims_values_move_to_the_claim_that_stays(store, article_id):
    """RUMOUR merged into CLAIM where ana had both on the same words: the RUMOUR's value
    went with it; one the kept claim has already stays as it is."""
    store.add_label(Label("RUMOUR", "claim"))
    store.save_attribute_type(
        AttributeType("certainty", "RUMOUR", "choice", ("low", "high"), "low", "C")
    )
    rumour = store.add_span(article_id, "ana", Span(CLAIM.start, CLAIM.end, "RUMOUR"))
    kept = store.add_span(article_id, "ana", CLAIM)
    store.set_attribute(rumour.id, "certainty", "high")
    store.set_attribute(kept.id, "quote", "no")
    merge = store.merge_label("RUMOUR", "CLAIM")
    values = {(v.span, v.name): v.value for v in store.attribute_values(article_id, "ana")}
    assert values[(kept.id, "certainty")] == "high"
    assert values[(kept.id, "quote")] == "no"
    store.unmerge_label(merge)
    values = {(v.span, v.name): v.value for v in store.attribute_values(article_id, "ana")}
    assert values[(rumour.id, "certainty")] == "high" and (kept.id, "certainty") not in values


def test_undoing_a_merge_leaves_a_span_given_since_what_its_old_label_may_not_have(
    store, article_id
):
    """RUMOUR merged into CLAIM; ben then denied the former RUMOUR (D) and gave it a
    source in his window; ana's undo made it a RUMOUR again and both were deleted, unsaid,
    for good (a redo did not bring them back). Such a span stays a CLAIM; the others go
    back."""
    store.add_label(Label("RUMOUR", "claim"))
    touched = store.add_span(article_id, "ben", Span(CLAIM.start, CLAIM.end, "RUMOUR"))
    untouched = store.add_span(article_id, "ana", Span(CLAIM.start, CLAIM.end, "RUMOUR"))
    merge = store.merge_label("RUMOUR", "CLAIM")
    source = store.add_span(article_id, "ben", SOURCE)
    store.add_relation(article_id, "ben", Relation(touched.id, source.id))
    store.set_attribute(touched.id, "polarity", "denied")
    assert store.unmerge_label(merge) == 1  # (the window says so)
    labels = {s.id: s.label for who in ("ana", "ben") for s in store.spans(article_id, who)}
    assert labels[untouched.id] == "RUMOUR" and labels[touched.id] == "CLAIM"
    assert [(r.head, r.child) for r in store.relations(article_id, "ben")] == [
        (touched.id, source.id)
    ]
    assert [v.value for v in store.attribute_values(article_id, "ben")] == ["denied"]


# -- a new default -------------------------------------------------------------------------


def test_a_new_default_leaves_what_every_claim_says_unchanged(store, article_id, work):
    """A value not stored is the default: changing the default once changed every claim
    without a stored value (asserted became denied, unseen). They keep the old one, stored."""
    polarity = store.attribute_type("polarity")
    store.set_attribute(work["ana"][0].id, "polarity", "denied")  # ana's claim: said so
    store.save_attribute_type(
        AttributeType("polarity", "CLAIM", "choice", polarity.values, "denied", polarity.key)
    )
    values = {
        who: {v.name: v.value for v in store.attribute_values(article_id, who)}
        for who in ("ana", "ben")
    }
    assert values["ana"]["polarity"] == "denied"
    assert values["ben"]["polarity"] == "asserted"  # as before, now stored
    suggested = {(a.name, a.value) for a in store.suggested_work(article_id).attributes}
    assert ("polarity", "asserted") in suggested
    # A default the new values lack cannot be kept: refused, nothing changed.
    store.save_attribute_type(CERTAINTY)  # "high" on every claim, stored nowhere
    before = everything(store, article_id)
    with pytest.raises(SchemeError, match="have the default 'high' of certainty, which is not"):
        store.save_attribute_type(
            AttributeType("certainty", "CLAIM", "choice", ("low", "medium"), "low")
        )
    assert everything(store, article_id) == before
    assert store.attribute_type("certainty") == CERTAINTY


def test_adding_a_type_whose_name_is_taken_is_refused_not_a_change(store):
    hedged = store.attribute_type("hedged")
    with pytest.raises(SchemeError, match="has an attribute hedged already"):
        store.save_attribute_type(
            AttributeType("Hedged", "CLAIM", "flag", ("no", "yes"), "no"), new=True
        )
    assert store.attribute_type("hedged") == hedged
    store.save_attribute_type(
        AttributeType("STRASSE", "CLAIM", "flag", ("no", "yes"), "no"), new=True
    )
    with pytest.raises(SchemeError, match="has an attribute STRASSE already"):
        store.save_attribute_type(
            AttributeType("straße", "CLAIM", "flag", ("no", "yes"), "no"), new=True
        )
    source = store.relation_type("source")
    with pytest.raises(SchemeError, match="has a relation source already"):
        store.save_relation_type(RelationType("source", ("CLAIM",), ("FACTION",)), new=True)
    assert store.relation_type("source") == source
