"""storage/scheme.py: the label scheme changed as a project owner changes it, each change
one transaction, logged, and undone by what it returns."""

from __future__ import annotations

import pytest

from annotator.core import Article, Span
from annotator.core.labels import LabelError, effective_keys, key_moves
from annotator.core.model import Label
from annotator.storage import Store
from annotator.storage.import_records import known_negatives

TEXT = "Government forces shelled Idlib, activists said. Rebels hold Kafr Nabl."


def names(store: Store) -> list[str]:
    return [label.name for label in store.labels()]


def spans_of(store: Store, article_id: int, who: str = "ana") -> list[tuple[int, int, str]]:
    return [s.key for s in store.spans(article_id, who)]


def add_negative(store: Store, article_id: int, who: str, start: int, end: int, label: str):
    with store.transaction():
        store._db.execute(
            'INSERT INTO known_negatives (article_id, annotator, start, "end", label) '
            "VALUES (?, ?, ?, ?, ?)",
            [article_id, who, start, end, label],
        )


@pytest.fixture
def article(store: Store) -> int:
    return store.add_articles([Article(TEXT, title="Idlib")]).ids[0]


# -- adding ----------------------------------------------------------------------------------


def test_a_new_label_gets_the_next_colour_and_a_free_key(store):
    person = store.add_label(Label("PERSON"), by="ana")
    assert names(store) == ["LOCATION", "FACTION", "CLAIM", "SOURCE", "PERSON"]
    assert person.key == "5"
    assert person.color not in {"#1f77b4", "#d62728", "#9467bd", "#e69f00"}
    weapon = store.add_label(Label("WEAPON", key="w", color="#123ABC", description=" arms "))
    assert (weapon.key, weapon.color, weapon.description) == ("W", "#123abc", "arms")
    assert store.label("WEAPON") == weapon
    assert store.events()[-1]["action"] == "add_label"
    assert store.events()[0]["annotator"] == "ana"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "needs a name"),
        (" PERSON", "starts or ends with a space"),
        ("WEAPON TYPE", "space or a control character"),
        ("TAB\tNAME", "space or a control character"),
        ("O", "reserved"),
        ("Gold", "reserved"),
        ("location", "has a label LOCATION already"),
        ("X" * 41, "longer than 40"),
    ],
)
def test_names_the_formats_cannot_carry_are_refused(store, name, message):
    with pytest.raises(LabelError, match=message):
        store.add_label(Label(name))
    assert names(store) == ["LOCATION", "FACTION", "CLAIM", "SOURCE"]


def test_a_name_differing_only_by_case_folding_is_refused(store):
    """STRASSE and straße are one name with case aside (as Straße and STRASSE are written)."""
    store.add_label(Label("STRASSE"))
    with pytest.raises(LabelError, match="has a label STRASSE already"):
        store.add_label(Label("straße"))


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("1", "belongs to LOCATION"),
        ("n", "taken by the window"),
        ("S", "taken by the window"),
        ("Ctrl+K", "one letter A–Z or digit 0–9"),
        ("é", "one letter A–Z or digit 0–9"),
    ],
)
def test_keys_never_collide(store, key, message):
    with pytest.raises(LabelError, match=message):
        store.add_label(Label("PERSON", key=key))
    store.add_label(Label("PERSON", key="p" if key == "x" else "x"))
    with pytest.raises(LabelError, match="belongs to PERSON"):
        store.change_label("CLAIM", key="X")  # another case of the same key


def test_a_colour_is_written_as_hex(store):
    with pytest.raises(LabelError, match="#RRGGBB"):
        store.add_label(Label("PERSON", color="red"))


# -- changing, moving ------------------------------------------------------------------------


def test_change_returns_the_label_as_it_was_which_undoes_it(store):
    before = store.change_label("LOCATION", color="#00AA00", key="7", description="Places")
    assert store.label("LOCATION") == Label("LOCATION", "entity", "#00aa00", "7", "Places")
    store.change_label(
        "LOCATION",
        kind=before.kind,
        color=before.color,
        key=before.key,
        description=before.description,
    )
    assert store.label("LOCATION") == before
    assert [e["action"] for e in store.events()] == ["change_label", "change_label"]


def test_a_claim_label_becomes_an_entity_only_if_its_spans_overlap_no_entity(store, article):
    store.add_span(article, "ana", Span(0, 17, "FACTION"))
    store.add_span(article, "ana", Span(0, 31, "CLAIM"))
    with pytest.raises(LabelError, match="1 of its spans overlap another entity span"):
        store.change_label("CLAIM", kind="entity")
    assert store.label("CLAIM").kind == "claim"
    store.change_label("FACTION", kind="claim")  # entity to claim: always possible
    store.change_label("CLAIM", kind="entity")
    assert store.label_kinds()["CLAIM"] == "entity"


def test_move_reorders_and_returns_the_old_place(store):
    assert store.move_label("CLAIM", 0) == 2
    assert names(store) == ["CLAIM", "LOCATION", "FACTION", "SOURCE"]
    store.move_label("CLAIM", 2)
    assert names(store) == ["LOCATION", "FACTION", "CLAIM", "SOURCE"]
    assert store.label_keys() == {"LOCATION": "1", "FACTION": "2", "CLAIM": "3", "SOURCE": "4"}


def test_labels_without_a_key_answer_to_their_place_unless_it_was_given_away():
    labels = [
        Label("LOCATION", key="1"),
        Label("OLD"),  # position 2: "2"
        Label("FACTION", key="3"),
        Label("LATE"),  # position 4 is taken below: the next free digit
        Label("CLAIM", key="4"),
    ]
    assert effective_keys(labels) == {
        "LOCATION": "1",
        "OLD": "2",
        "FACTION": "3",
        "LATE": "5",
        "CLAIM": "4",
    }


def test_key_moves_say_each_label_that_answers_to_another_key_and_what_it_had():
    before = {"LOCATION": "1", "RUMOUR": "5", "GOSSIP": "", "OLD": "6"}
    after = {"LOCATION": "1", "RUMOUR": "6", "GOSSIP": "5", "WEAPON": "7"}  # OLD deleted
    assert key_moves(before, after) == [
        "RUMOUR answers to 6 now (it had 5)",
        "GOSSIP answers to 5 now (it had no key)",  # (it had ")" before)
    ]
    assert key_moves(before, after, "RUMOUR") == ["GOSSIP answers to 5 now (it had no key)"]
    assert key_moves(after, before) == [
        "RUMOUR answers to 5 now (it had 6)",
        "GOSSIP answers to no key now (it had 5)",
    ]


# -- renaming --------------------------------------------------------------------------------


def test_rename_is_one_change_over_the_scheme_spans_suggestions_and_rejections(store, article):
    store.add_span(article, "ana", Span(26, 31, "LOCATION"))
    store.add_span(article, "gold", Span(26, 31, "LOCATION"))
    store.add_suggestions([(article, [Span(26, 31, "LOCATION")])], "m")
    add_negative(store, article, "ana", 61, 70, "LOCATION")
    assert store.rename_label("LOCATION", "PLACE", by="ana") == 2
    assert names(store) == ["PLACE", "FACTION", "CLAIM", "SOURCE"]
    assert spans_of(store, article) == spans_of(store, article, "gold") == [(26, 31, "PLACE")]
    assert [s.label for s in store.suggestions(article)] == ["PLACE"]
    assert [s.label for s in known_negatives(store, article, "ana")] == ["PLACE"]
    event = store.events()[-1]
    assert event["action"] == "rename_label" and event["payload"]["from"] == "LOCATION"
    store.rename_label("PLACE", "LOCATION")  # the undo
    assert spans_of(store, article) == [(26, 31, "LOCATION")]
    assert store.label("LOCATION").key == "1"


def test_rename_refuses_a_name_in_use(store, article):
    store.add_span(article, "ana", Span(26, 31, "PLACE"))  # from an imported file
    with pytest.raises(LabelError, match="spans already use 'PLACE'.*merge"):
        store.rename_label("LOCATION", "PLACE")
    with pytest.raises(LabelError, match="has a label FACTION already"):
        store.rename_label("LOCATION", "faction")
    with pytest.raises(LabelError, match="no label 'CITY'.*LOCATION, FACTION, CLAIM"):
        store.rename_label("CITY", "TOWN")
    store.rename_label("LOCATION", "Location")  # its own name, in other letters
    assert names(store)[0] == "Location"


def test_a_label_only_the_data_has_can_be_renamed(store, article):
    store.add_span(article, "ana", Span(26, 31, "GPE"))
    store.rename_label("GPE", "PLACE")
    assert spans_of(store, article) == [(26, 31, "PLACE")]
    assert "PLACE" not in names(store)


# -- deleting --------------------------------------------------------------------------------


def test_only_an_unused_label_is_deleted_and_it_comes_back_in_its_place(store, article):
    store.add_span(article, "ana", Span(26, 31, "FACTION"))
    store.add_span(article, "ben", Span(0, 17, "FACTION"))
    store.add_suggestions([(article, [Span(0, 17, "FACTION")])], "m")
    with pytest.raises(LabelError, match="used by 2 spans of 2 annotators, 1 suggestion: merge"):
        store.delete_label("FACTION")
    deleted = store.delete_label("LOCATION")
    assert names(store) == ["FACTION", "CLAIM", "SOURCE"]
    store.restore_label(deleted)
    assert store.labels()[0] == deleted.label and names(store)[1:] == ["FACTION", "CLAIM", "SOURCE"]


def test_a_deleted_label_comes_back_with_its_own_key_that_another_only_borrowed(store):
    """RUMOUR (no key of its own) answered to 5 once WEAPON, which had 5, was deleted: the
    undo gave WEAPON no key, and RUMOUR kept WEAPON's 5 unsaid."""
    store.add_label(Label("RUMOUR", "claim"))
    store.change_label("RUMOUR", key="")
    store.add_label(Label("WEAPON", "entity", key="5"))
    assert effective_keys(store.labels())["RUMOUR"] == "6"
    deleted = store.delete_label("WEAPON")
    assert effective_keys(store.labels())["RUMOUR"] == "5"
    store.restore_label(deleted)
    keys = effective_keys(store.labels())
    assert (keys["WEAPON"], keys["RUMOUR"]) == ("5", "6")
    # a key another label was given since stays that label's
    deleted = store.delete_label("WEAPON")
    store.change_label("RUMOUR", key="5")
    store.restore_label(deleted)
    assert store.label("WEAPON").key == "" and store.label("RUMOUR").key == "5"


def test_a_deleted_label_comes_back_in_a_colour_of_its_own(store):
    """LOOT deleted, RUMOUR added in LOOT's colour (the next free one), LOOT's delete
    undone: both labels in one colour, their spans alike, unsaid."""
    loot = store.add_label(Label("LOOT", "entity"))
    deleted = store.delete_label("LOOT")
    rumour = store.add_label(Label("RUMOUR", "claim"))
    assert rumour.color == loot.color
    store.restore_label(deleted)
    assert store.label("LOOT").color not in (rumour.color, "")
    assert len({label.color for label in store.labels()}) == len(store.labels())


# -- merging ---------------------------------------------------------------------------------


def test_merge_relabels_everything_and_unmerge_puts_back_every_row(store, article):
    store.add_label(Label("PLACE"))
    place = store.add_span(article, "ana", Span(61, 70, "PLACE"))
    twin = store.add_span(article, "ana", Span(26, 31, "PLACE"))
    store.add_span(article, "ana", Span(26, 31, "LOCATION"))  # the same stretch, both labels
    store.add_span(article, "ben", Span(26, 31, "PLACE"))
    store.add_suggestions([(article, [Span(26, 31, "PLACE"), Span(26, 31, "LOCATION")])], "m")
    add_negative(store, article, "ana", 0, 10, "PLACE")
    add_negative(store, article, "ana", 0, 10, "LOCATION")
    before = {who: store.spans(article, who) for who in ("ana", "ben")}

    merge = store.merge_label("PLACE", "LOCATION", by="ana")
    assert names(store) == ["LOCATION", "FACTION", "CLAIM", "SOURCE"]
    assert spans_of(store, article) == [(26, 31, "LOCATION"), (61, 70, "LOCATION")]
    assert spans_of(store, article, "ben") == [(26, 31, "LOCATION")]
    assert twin.id not in {s.id for s in store.spans(article, "ana")}  # one span stays
    assert place.id in {s.id for s in store.spans(article, "ana")}
    assert [s.label for s in store.suggestions(article)] == ["LOCATION"]
    assert [s.key for s in known_negatives(store, article, "ana")] == [(0, 10, "LOCATION")]
    assert merge.spans == 3
    assert store.events()[-1]["action"] == "merge_label"

    store.unmerge_label(merge)
    assert names(store) == ["LOCATION", "FACTION", "CLAIM", "SOURCE", "PLACE"]
    for who in ("ana", "ben"):
        assert [(s.id, s.key) for s in store.spans(article, who)] == [
            (s.id, s.key) for s in before[who]
        ]
    assert sorted(s.label for s in store.suggestions(article)) == ["LOCATION", "PLACE"]
    assert len(known_negatives(store, article, "ana")) == 2


def test_merging_a_claim_label_into_an_entity_label_keeps_entities_apart(store, article):
    store.add_label(Label("STATEMENT", kind="claim"))
    store.add_span(article, "ana", Span(0, 31, "STATEMENT"))
    store.add_span(article, "ana", Span(26, 31, "LOCATION"))
    with pytest.raises(LabelError, match="would overlap entity spans 1 times"):
        store.merge_label("STATEMENT", "FACTION")
    merged = store.merge_label("STATEMENT", "CLAIM")  # claims overlap anything
    assert merged.spans == 1 and spans_of(store, article)[0] == (0, 31, "CLAIM")


def test_a_label_from_an_imported_file_merges_into_the_scheme(store, article):
    store.add_span(article, "ana", Span(0, 17, "ORG"))
    assert store.labels_outside_scheme()["ORG"].spans == 1
    merge = store.merge_label("ORG", "FACTION")
    assert merge.deleted is None and spans_of(store, article) == [(0, 17, "FACTION")]
    assert store.labels_outside_scheme() == {}
    with pytest.raises(LabelError, match="into itself"):
        store.merge_label("FACTION", "FACTION")


# -- adopting --------------------------------------------------------------------------------


def test_labels_from_imported_files_are_adopted_into_the_scheme(store, article):
    store.add_span(article, "ana", Span(0, 10, "PERSON"))
    store.add_suggestions([(article, [Span(61, 70, "WEAPON")])], "m")
    outside = store.labels_outside_scheme()
    assert list(outside) == ["PERSON", "WEAPON"]
    assert (outside["PERSON"].spans, outside["WEAPON"].suggestions) == (1, 1)
    adopted = store.adopt_labels(by="ana")
    assert [(label.name, label.kind, label.key) for label in adopted] == [
        ("PERSON", "entity", "5"),
        ("WEAPON", "entity", "6"),
    ]
    assert len({label.color for label in store.labels()}) == 6
    assert store.labels_outside_scheme() == {}
    store.unadopt_labels(["PERSON", "WEAPON"])
    assert list(store.labels_outside_scheme()) == ["PERSON", "WEAPON"]


def test_a_label_name_the_formats_cannot_carry_is_not_adopted(store, article):
    store.add_span(article, "ana", Span(0, 10, "WEAPON TYPE"))
    store.add_span(article, "ana", Span(11, 17, "PERSON"))
    with pytest.raises(LabelError, match="space.*rename it first"):
        store.adopt_labels()
    assert names(store) == ["LOCATION", "FACTION", "CLAIM", "SOURCE"]  # none adopted
    assert [label.name for label in store.adopt_labels(["PERSON"])] == ["PERSON"]


def test_a_label_differing_from_the_schemes_only_in_case_is_not_adopted(store, article):
    """ "Faction" from a file was adopted beside FACTION: two labels of one name."""
    store.add_span(article, "ana", Span(0, 10, "Faction"))
    with pytest.raises(
        LabelError,
        match="Faction differs from the scheme's FACTION only in case: merge it into FACTION$",
    ):
        store.adopt_labels()
    assert names(store) == ["LOCATION", "FACTION", "CLAIM", "SOURCE"]
    store.merge_label("Faction", "FACTION")  # as the message says
    assert spans_of(store, article) == [(0, 10, "FACTION")]


def test_another_connection_sees_a_changed_scheme(project_path):
    with Store(project_path) as first, Store(project_path) as second:
        assert names(second) == ["LOCATION", "FACTION", "CLAIM", "SOURCE"]
        first.rename_label("CLAIM", "STATEMENT")
        assert names(second) == ["LOCATION", "FACTION", "STATEMENT", "SOURCE"]


def test_an_import_in_the_old_names_of_renamed_labels_says_what_they_are_now(store, tmp_path):
    """A file exported before MILITIA became ARMED: its 97 spans came back outside the scheme,
    with "labels not in the project's scheme: MILITIA" and no word of the rename."""
    import json

    from annotator.formats.importer import import_paths

    for name in ("MILITIA", "RUMOUR", "GANG"):
        store.add_label(Label(name, "entity"))
    store.rename_label("MILITIA", "ARMED")
    store.rename_label("ARMED", "ARMED_GROUP")  # a chain of renames
    merged = store.merge_label("GANG", "FACTION")
    store.unmerge_label(merged)  # undone: GANG is GANG again
    store.delete_label("RUMOUR")
    assert store.renamed_labels(["MILITIA", "GANG", "RUMOUR", "OTHER"]) == {
        "MILITIA": "ARMED_GROUP"
    }
    # A renamed label merged and the merge undone: it is its new name again, not the label
    # it was merged into (MILITIA → GUNMEN, merged into ARMED and back, was "ARMED").
    store.add_label(Label("SHOOTERS", "entity"))
    store.rename_label("SHOOTERS", "GUNMEN")
    store.unmerge_label(store.merge_label("GUNMEN", "ARMED_GROUP"))
    assert store.renamed_labels(["SHOOTERS"]) == {"SHOOTERS": "GUNMEN"}
    exported = tmp_path / "old.jsonl"
    record = {"text": "Militiamen of the Rapid Support Forces.", "spans": [
        {"start": 18, "end": 39, "label": "MILITIA"}], "answer": "accept"}  # fmt: skip
    exported.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = import_paths(store, [exported], annotator="ben")
    assert report.summary_lines()[-2:] == [
        "labels not in the project's scheme: MILITIA",
        "  MILITIA was renamed (or merged into) ARMED_GROUP in the project since: `annotator "
        "labels PROJECT merge MILITIA ARMED_GROUP`, or Merge into… in the Labels dialog, makes "
        "its spans ARMED_GROUP",
    ]
