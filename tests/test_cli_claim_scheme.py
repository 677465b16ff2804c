"""``annotator labels DB relation|attribute …``: relation types and claim attributes listed
and changed from the command line; a change the rules refuse is one line on standard error,
exit 1, the project file unchanged."""

from __future__ import annotations

import hashlib
import json

import pytest

from annotator.core import Article, Span
from annotator.core.relations import Relation
from annotator.storage import Store
from tests.cli_runner import run

TEXT = "Rebels said they took Kidal on Monday."


@pytest.fixture
def db(tmp_path):
    """A project where ana linked a claim to its source and marked it hedged."""
    path = tmp_path / "p.db"
    with Store(path) as store:
        (article,) = store.add_articles([Article(TEXT)]).ids
        rebels = store.add_span(article, "ana", Span(0, 6, "FACTION"))
        claim = store.add_span(article, "ana", Span(17, 37, "CLAIM"))
        store.add_span(article, "ana", Span(22, 27, "LOCATION"))
        store.add_relation(article, "ana", Relation(claim.id, rebels.id, "source"))
        store.set_attribute(claim.id, "hedged", "yes")
    return path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_relation_types_and_attributes_are_listed(db, capsys):
    status, out, _ = run(capsys, "labels", str(db))
    assert status == 0
    assert "source    R    CLAIM → FACTION/SOURCE  (1 relation)" in out.splitlines()
    assert "hedged     H    CLAIM  flag    no / yes  (1 value)" in out.splitlines()

    status, out, _ = run(capsys, "labels", str(db), "--json")
    listed = json.loads(out)
    assert listed["relations"][0] | {"description": ""} == {
        "name": "source",
        "from": ["CLAIM"],
        "to": ["FACTION", "SOURCE"],
        "key": "R",
        "color": "#444444",
        "relations": 1,
        "suggested": 0,
        "description": "",
    }
    assert [(a["name"], a["stored"]) for a in listed["attributes"]] == [
        ("polarity", 0),
        ("hedged", 1),
        ("quote", 0),
    ]

    status, out, _ = run(capsys, "labels", str(db), "relation", "--json")
    assert status == 0 and [r["name"] for r in json.loads(out)["relations"]] == ["source"]
    status, out, _ = run(capsys, "labels", str(db), "attribute", "--json")
    assert json.loads(out)["attributes"][1]["values"] == ["no", "yes"]
    status, out, _ = run(capsys, "labels", str(db), "attribute")
    assert out.splitlines()[0].split()[:4] == ["attribute", "key", "label", "kind"]


def test_a_scripted_project_sets_up_its_relations_and_attributes(db, capsys):
    steps = [
        ("relation", "add", "target", "--from", "CLAIM", "--to", "LOCATION", "--key", "t"),
        ("relation", "set", "target", "--to", "LOCATION", "--to", "FACTION", "--color", "#AA0000"),
        ("relation", "set", "source", "--name", "speaker", "--key", "G"),
        ("attribute", "add", "certainty", "--values", "low, mid, high"),  # a choice: 3 values
        ("attribute", "set", "certainty", "--default", "mid", "--key", "c"),
        ("attribute", "set", "hedged", "--name", "unverified", "--description", "Not verified"),
        ("attribute", "delete", "quote"),
    ]
    for step in steps:
        status, out, err = run(capsys, "labels", str(db), *step)
        assert (status, err) == (0, ""), (step, err)
    assert out == "deleted attribute quote (0 values)\n"
    with Store(db) as store:
        relations = {t.name: (t.child_labels, t.key, t.color) for t in store.relation_types()}
        assert relations == {
            "speaker": (("FACTION", "SOURCE"), "G", "#444444"),
            "target": (("LOCATION", "FACTION"), "T", "#aa0000"),
        }
        certainty = store.attribute_type("certainty")
        assert (certainty.values, certainty.default, certainty.key) == (
            ("low", "mid", "high"),
            "mid",
            "C",
        )
        assert [t.name for t in store.attribute_types()] == ["polarity", "unverified", "certainty"]
        # The relation and the value followed their types' new names; ana's claim keeps the
        # certainty it had, "low", the default when it was added, now stored.
        assert [r.label for r in store.relations(1, "ana")] == ["speaker"]
        assert [(v.name, v.value) for v in store.attribute_values(1, "ana")] == [
            ("certainty", "low"),
            ("unverified", "yes"),
        ]
        actions = [e["action"] for e in store.events() if e["article_id"] is None]
    assert actions[-2:] == ["save_attribute_type", "delete_attribute_type"]


def test_deleting_a_type_that_holds_work_needs_force(db, capsys):
    before = digest(db)
    status, out, err = run(capsys, "labels", str(db), "relation", "delete", "source")
    assert status == 1 and out == "" and err.count("\n") == 1
    assert err == (
        "error: the relation source holds 1 relation of 1 annotator; "
        "add --force to delete them with it (nothing was changed)\n"
    )
    assert digest(db) == before
    status, out, _ = run(capsys, "labels", str(db), "relation", "delete", "source", "--force")
    assert (status, out) == (0, "deleted relation source (1 relation)\n")
    status, out, _ = run(capsys, "labels", str(db), "attribute", "delete", "hedged", "--force")
    assert (status, out) == (0, "deleted attribute hedged (1 value)\n")
    with Store(db) as store:
        assert store.relations(1, "ana") == [] and store.attribute_values(1, "ana") == []
        assert store.relation_types() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("relation", "add", "about", "--from", "CLAIM"), "needs --from and --to labels"),
        (("relation", "add", "about", "--from", "CLAIM", "--to", "PERSON"), "no label PERSON"),
        (("relation", "add", "Source", "--from", "CLAIM", "--to", "FACTION"), "source already"),
        (("relation", "add", "about", "--from", "CLAIM", "--to", "SOURCE", "--key", "h"),
         "the key H belongs to the attribute hedged already"),
        (("relation", "add", "about", "--from", "CLAIM", "--to", "SOURCE", "--key", "1"),
         "one letter A–Z, not '1'"),
        (("relation", "add", "about", "--from", "CLAIM", "--to", "SOURCE", "--key", "L"),
         "taken by the window"),
        (("relation", "set", "source", "--to", "SOURCE"), "1 stored source relations join"),
        (("relation", "set", "source", "--color", "grey"), "#RRGGBB"),
        (("relation", "set", "target", "--key", "T"), "no relation 'target' (it has: source)"),
        (("relation", "delete", "target"), "no relation 'target'"),
        (("attribute", "add", "certainty", "--kind", "choice", "--values", "low"),
         "two or more different values"),
        (("attribute", "add", "role", "--kind", "choice", "--values", "civil, armed, civil"),
         "the value 'civil' is given twice"),
        (("attribute", "add", "certainty", "--kind", "flag", "--values", "a, b, c"),
         "a flag has exactly two"),
        (("attribute", "add", "certainty", "--kind", "scale"), "kind must be one of flag, choice"),
        (("attribute", "add", "certainty", "--values", "no, yes", "--default", "maybe"),
         "the default 'maybe' is not one of its values"),
        (("attribute", "add", "certainty", "--label", "PERSON"), "no label PERSON"),
        (("attribute", "add", "certainty", "--key", "3"), "one letter A–Z, not '3'"),
        (("relation", "set", "source", "--key", "é"), "the key of the relation source is one "
         "letter A–Z, not 'é'"),  # it said "a label's key … or digit"
        (("attribute", "add", "certainty", "--key", "r"), "belongs to the relation source"),
        (("attribute", "set", "hedged", "--values", "no, maybe"),
         "pre-annotation suggests hedged yes: hedged keeps that value"),
        (("attribute", "rename-value", "polarity", "denied", "negated"),
         "pre-annotation suggests polarity denied"),
        (("attribute", "rename-value", "hedged", "maybe", "perhaps"),
         "hedged has no value 'maybe' (its values: no, yes)"),
        (("attribute", "rename-value", "polarity", "asserted", "Denied"),
         "polarity has a value 'denied' already: 'Denied' differs from it only in case"),
        (("attribute", "rename-value", "polarity", "asserted", "asserted"),
         "polarity's value 'asserted' is called so already"),
        (("attribute", "set", "hedged", "--name", "POLARITY"), "attribute polarity already"),
        (("attribute", "delete", "hedged"), "holds 1 value of 1 annotator; add --force"),
        (("attribute", "set", "tone", "--key", "X"), "no attribute 'tone'"),
        # "add" of a name the scheme has is no change of it (it erased its key)
        (("attribute", "add", "hedged"), "the scheme has an attribute hedged already"),
        (("relation", "add", "Source", "--from", "CLAIM", "--to", "FACTION"),
         "the scheme has a relation source already"),
    ],
)  # fmt: skip
def test_a_change_the_rules_refuse_is_one_line_and_changes_nothing(db, capsys, args, message):
    before = digest(db)
    status, out, err = run(capsys, "labels", str(db), *args)
    assert status == 1 and out == "", err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert digest(db) == before


@pytest.mark.parametrize(
    "args",
    [
        ("relation", "frobnicate"),
        ("relation", "add"),
        ("attribute", "delete"),
        ("attribute", "add", "x", "--colour", "#000000"),
    ],
)
def test_usage_errors_exit_2(db, capsys, args):
    status, _, err = run(capsys, "labels", str(db), *args)
    assert status == 2 and "Usage:" in err and "Traceback" not in err


def test_a_value_is_renamed_or_folded_with_everything_stored_and_the_default(db, capsys):
    """A value could not be renamed: the new values were refused while any was stored."""
    steps = [("attribute", "add", "certainty", "--kind", "choice", "--values", "mid, low, high")]
    for step in steps:
        assert run(capsys, "labels", str(db), *step)[0] == 0
    with Store(db) as store:
        (article,) = store.article_ids()
        claim = next(s for s in store.spans(article, "ana") if s.label == "CLAIM")
        store.set_attribute(claim.id, "certainty", "low")
    status, _, err = run(capsys, "labels", str(db), "attribute", "set", "certainty",
                         "--values", "weak, mid, high")  # fmt: skip
    assert status == 1
    assert "stored values of certainty are not among weak, mid, high: low 1 (" in err
    assert "rename-value certainty OLD NEW" in err
    status, out, _ = run(capsys, "labels", str(db), "attribute", "rename-value", "certainty",
                         "low", "weak")  # fmt: skip
    assert status == 0 and out.endswith(
        "1 stored value and 0 suggested values renamed low → weak\n"
    )
    with Store(db) as store:
        assert store.attribute_type("certainty").values == ("mid", "weak", "high")
        assert store.attribute_value(claim.id, "certainty").value == "weak"
    status, out, _ = run(capsys, "labels", str(db), "attribute", "rename-value", "certainty",
                         "mid", "high")  # fmt: skip
    with Store(db) as store:  # folded: one value fewer, and the default with it
        certainty = store.attribute_type("certainty")
        assert certainty.values == ("high", "weak") and certainty.default == "high"


def test_a_new_default_says_what_it_stored_to_keep_meanings(db, capsys):
    """The values written so that spans keep the old default were written unsaid."""
    run(capsys, "labels", str(db), "attribute", "add", "certainty", "--kind", "choice",
        "--values", "mid, low, high")  # fmt: skip
    status, out, _ = run(capsys, "labels", str(db), "attribute", "set", "certainty",
                         "--default", "high")  # fmt: skip
    assert status == 0
    assert out.splitlines()[1] == (
        "the old default mid is now stored on 1 span and 0 suggestions that had no value, so "
        "that they say what they said"
    )


def test_deleting_a_type_counts_the_suggested_ones_that_went_with_it(db, capsys):
    """The refusal said "1 relation of 1 annotator, 1 suggested"; the deletion said
    "(1 relation)", though the suggested one went too."""
    from annotator.core.relations import SpanAttribute, SpanRelation

    with Store(db) as store:
        rebels, claim = Span(0, 6, "FACTION"), Span(17, 37, "CLAIM")
        store.add_suggestions([(1, [rebels, claim])], "m-1")
        relations, values = [SpanRelation(claim, rebels)], [SpanAttribute(claim, "hedged", "yes")]
        store.add_suggested_links([(1, relations, values)], "m-1")
    status, out, _ = run(capsys, "labels", str(db), "relation", "delete", "source", "--force")
    assert (status, out) == (0, "deleted relation source (1 relation, 1 suggested)\n")
    status, out, _ = run(capsys, "labels", str(db), "attribute", "delete", "hedged", "--force")
    assert (status, out) == (0, "deleted attribute hedged (1 value, 1 suggested)\n")


def test_a_type_holding_only_suggestions_names_them():
    """ "holds 246 suggested", with no noun."""
    from annotator.storage.claim_type_removal import ClaimTypeUsage

    assert ClaimTypeUsage(suggested=246).describe() == "246 suggested relations"
    assert ClaimTypeUsage(2, 1, 3, "value").describe() == "2 values of 1 annotator, 3 suggested"
