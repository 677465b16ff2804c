"""``annotator labels DB …``: the scheme listed and changed from the command line; bad
input one line and exit 1, the project unchanged; usage errors exit 2."""

from __future__ import annotations

import hashlib
import json

import pytest

from annotator.core import Article, Span
from annotator.core.labels import effective_keys
from annotator.core.model import GOLD, Label
from annotator.storage import Store
from tests.cli_runner import run


@pytest.fixture
def db(tmp_path):
    """A project whose spans use LOCATION and, from an imported file, PERSON."""
    path = tmp_path / "p.db"
    with Store(path) as store:
        (article,) = store.add_articles([Article("Rebels took Kidal on Monday.")]).ids
        store.add_span(article, "ana", Span(12, 17, "LOCATION"))
        store.add_span(article, "ana", Span(0, 6, "PERSON"))
    return path


def scheme(path) -> list[tuple[str, str, str, str]]:
    with Store(path) as store:
        return [(label.name, label.kind, label.key, label.color) for label in store.labels()]


def test_the_scheme_is_listed_with_keys_colours_and_span_counts(db, capsys):
    status, out, _ = run(capsys, "labels", str(db))
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["label", "kind", "key", "colour", "spans", "description"]
    assert lines[1].split()[:5] == ["LOCATION", "entity", "1", "#1f77b4", "1"]
    assert "labels not in the project's scheme: PERSON (1 span of 1 annotator)" in out

    status, out, _ = run(capsys, "labels", str(db), "--json")
    listed = json.loads(out)
    assert [row["name"] for row in listed["labels"]] == ["LOCATION", "FACTION", "CLAIM", "SOURCE"]
    assert listed["labels"][0]["spans"] == 1 and listed["labels"][2]["kind"] == "claim"
    assert listed["outside_scheme"] == {"PERSON": {"spans": 1, "suggestions": 0}}


def test_a_scripted_project_sets_up_its_scheme(db, capsys):
    steps = [
        ("add", "WEAPON", "--key", "w", "--color", "#123456", "--description", "Arms"),
        ("add", "STATEMENT", "--kind", "claim"),
        ("rename", "WEAPON", "ARMS"),
        ("set", "ARMS", "--color", "#00AA00"),
        ("move", "ARMS", "--to", "1"),
        ("adopt",),
        ("merge", "PERSON", "FACTION"),
        ("delete", "STATEMENT"),
    ]
    for step in steps:
        status, out, err = run(capsys, "labels", str(db), *step)
        assert (status, err) == (0, ""), step
    assert scheme(db) == [
        ("ARMS", "entity", "W", "#00aa00"),
        ("LOCATION", "entity", "1", "#1f77b4"),
        ("FACTION", "entity", "2", "#d62728"),
        ("CLAIM", "claim", "3", "#9467bd"),
        ("SOURCE", "entity", "4", "#e69f00"),
    ]
    with Store(db) as store:
        assert [s.label for s in store.spans(1, "ana")] == ["FACTION", "LOCATION"]
        actions = [e["action"] for e in store.events() if e["article_id"] is None]
    assert actions[-3:] == ["adopt_labels", "merge_label", "delete_label"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "WEAPON", "--key", "1"), "the key 1 belongs to LOCATION already"),
        (("add", "WEAPON", "--key", "N"), "taken by the window"),
        (("add", "WEAPON TYPE"), "holds a space"),
        (("add", "location"), "has a label LOCATION already"),
        (("add", "GOLD"), "reserved"),
        (("add", "WEAPON", "--kind", "event"), "unknown label kind 'event'"),
        (("set", "CITY", "--color", "#000000"), "no label 'CITY'"),
        (("set", "LOCATION", "--color", "blue"), "#RRGGBB"),
        (("rename", "LOCATION", "PLACE"), "LOCATION cannot be renamed: the program suggests"),
        (("delete", "LOCATION"), "LOCATION cannot be deleted: the program suggests"),
        (("set", "CLAIM", "--kind", "entity"), "CLAIM cannot be made another kind"),
        (("merge", "FACTION", "LOCATION"), "FACTION cannot be merged into another label"),
    ],
)
def test_a_change_the_rules_refuse_is_one_line_and_changes_nothing(db, capsys, args, message):
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    status, out, err = run(capsys, "labels", str(db), *args)
    assert status == 1 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    "args",
    [
        ("labels",),
        ("labels", "{db}", "frobnicate"),
        ("labels", "{db}", "move", "CLAIM"),
        ("labels", "{db}", "--json", "add", "X"),  # was ignored: the label added, text said
        ("labels", "{db}", "--json", "attribute", "set", "polarity", "--default", "denied"),
        ("labels", "{db}", "attribute", "--json", "set", "polarity", "--default", "denied"),
        ("labels", "{db}", "relation", "--json", "delete", "source"),
    ],
)
def test_usage_errors_exit_2(db, capsys, args):
    status, _, err = run(capsys, *(a.format(db=db) for a in args))
    assert status == 2 and "Usage:" in err and "Traceback" not in err


def test_json_before_the_listing_s_name_is_honoured(db, capsys):
    """`labels DB --json relation` printed the text table."""
    for listing in ("relation", "attribute"):
        status, out, _ = run(capsys, "labels", str(db), "--json", listing)
        assert status == 0 and json.loads(out) == json.loads(
            run(capsys, "labels", str(db), listing, "--json")[1]
        )


def test_the_same_change_twice_says_what_is_there_already(db, capsys, tmp_path):
    """A second `adopt PERSON` said PERSON was no label of the spans outside the scheme,
    `rename PERSON PERSON` "renamed PERSON to PERSON", and `guidelines --clear`
    with none "the project's own guidelines removed"."""
    assert run(capsys, "labels", str(db), "adopt", "PERSON")[0] == 0
    status, _, err = run(capsys, "labels", str(db), "adopt", "PERSON")
    assert status == 1 and "PERSON is in the scheme already: nothing to adopt" in err
    status, out, _ = run(capsys, "labels", str(db), "rename", "PERSON", "PERSON")
    assert status == 0 and out.strip() == "PERSON is its name already: nothing renamed"
    status, out, _ = run(capsys, "guidelines", str(db), "--clear")
    assert status == 0 and "had no guidelines of its own" in out


def test_two_labels_of_one_name_case_aside_are_not_adopted_together(tmp_path, capsys):
    path = tmp_path / "p.db"
    with Store(path) as store:
        (article,) = store.add_articles([Article("Rebels took Kidal on Monday.")]).ids
        store.add_span(article, "ana", Span(0, 6, "WEG"))
        store.add_span(article, "ben", Span(0, 6, "weg"))
    before = scheme(path)
    status, _, err = run(capsys, "labels", str(path), "adopt")
    assert status == 1 and "differ only in case, one label: adopt one" in err
    assert scheme(path) == before
    for step in ("adopt", "WEG"), ("merge", "weg", "WEG"):  # the advice, followed, works
        assert run(capsys, "labels", str(path), *step)[0] == 0
    assert [name for name, *_ in scheme(path)][-1] == "WEG"


def test_a_missing_project_is_not_created(tmp_path, capsys):
    status, _, err = run(capsys, "labels", str(tmp_path / "none.db"), "add", "X")
    assert status == 1 and "no such project file" in err
    assert not (tmp_path / "none.db").exists()


def test_a_colour_like_another_labels_or_near_white_is_noted(db, capsys):
    """FACTION given SOURCE's colour, or white, was taken without a word: their spans then
    looked the same, or hardly showed."""
    status, out, _ = run(capsys, "labels", str(db), "set", "FACTION", "--color", "#E69F00")
    assert status == 0 and "note: FACTION looks like SOURCE (#e69f00)" in out
    status, out, _ = run(capsys, "labels", str(db), "add", "WEAPON", "--color", "#fdfdfd")
    assert status == 0 and "note: WEAPON's colour is near white" in out
    status, out, _ = run(capsys, "labels", str(db), "set", "FACTION", "--color", "#d62728")
    assert status == 0 and "note:" not in out
    # Green beside FACTION's red: the same to red-green blind eyes (simulated).
    status, out, _ = run(capsys, "labels", str(db), "set", "LOCATION", "--color", "#2ca02c")
    assert "note: LOCATION looks like FACTION (#d62728) to red-green blind eyes" in out


def test_a_colour_too_light_to_read_on_white_is_noted(db, capsys):
    """Yellow and pure green passed without a word; names in them hardly read on white."""
    for colour, ratio in (("#ffff00", "1.1"), ("#00ff00", "1.4")):
        status, out, _ = run(capsys, "labels", str(db), "add", f"W{colour[1:3]}", "--color", colour)
        assert status == 0 and f"colour is very light ({ratio}:1 against white)" in out


def test_new_labels_get_colours_unlike_the_others_as_long_as_there_are_any(db, capsys):
    """Round the palette again, the 11th label got LOCATION's very colour, and the
    program's own note said so."""
    from annotator.core.label_colours import colour_clash
    from annotator.storage import Store

    for n in range(12):  # 16 labels in all
        assert run(capsys, "labels", str(db), "add", f"EXTRA{n}")[0] == 0
    with Store(db) as store:
        labels = store.labels()
    assert len({label.color for label in labels}) == len(labels) == 16
    assert [colour_clash(labels, label.name) for label in labels] == [""] * 16


def test_a_key_taken_away_is_said_as_the_free_digit_the_label_answers_to(db, capsys):
    """ "key none" was said, though the label kept answering to its digit."""
    assert run(capsys, "labels", str(db), "add", "WEAPON", "--key", "W")[0] == 0
    status, out, _ = run(capsys, "labels", str(db), "set", "WEAPON", "--key", "")
    assert status == 0 and "WEAPON: entity, key 5 (a free digit: no key of its own)" in out
    # That digit is free for a label to take as its own: it was refused as WEAPON's, and
    # swapping two labels' keys took a third one for a while. WEAPON moves on to the next.
    assert run(capsys, "labels", str(db), "add", "ARMS")[0] == 0
    status, out, err = run(capsys, "labels", str(db), "set", "ARMS", "--key", "5")
    assert status == 0, err
    assert "note: WEAPON answers to " in out and "now (it had 5)" in out  # (said)
    # and by every command that moves it: a label added with its digit, one deleted
    with Store(db) as store:
        weapon = effective_keys(store.labels())["WEAPON"]
    status, out, _ = run(capsys, "labels", str(db), "add", "GUNS", "--key", weapon)
    assert "note: WEAPON answers to " in out and f"now (it had {weapon})" in out
    status, out, _ = run(capsys, "labels", str(db), "delete", "GUNS")
    assert f"note: WEAPON answers to {weapon} now" in out
    with Store(db) as store:
        keys = effective_keys(store.labels())
    assert keys["ARMS"] == "5" and keys["WEAPON"] not in ("5", "")


def test_a_label_given_up_is_deleted_with_its_spans_only_with_force(db, capsys):
    """A label in use could only be merged into another (polluting it) or emptied span by
    span in every version."""
    with Store(db) as store:
        store.save_label(Label("RUMOUR", "claim"))
        (article,) = store.article_ids()
        store.add_span(article, "ana", Span(0, 17, "RUMOUR"))
        store.add_span(article, GOLD, Span(0, 17, "RUMOUR"))
        store.add_suggestions([(article, [Span(0, 6, "RUMOUR")])], "m")
        keep = store.add_span(article, "ana", Span(0, 6, "FACTION"))
    status, _, err = run(capsys, "labels", str(db), "delete", "RUMOUR")
    assert status == 1 and "--force" in err
    status, out, _ = run(capsys, "labels", str(db), "delete", "RUMOUR", "--force")
    assert status == 0
    assert out == "deleted RUMOUR with 2 spans of 1 annotator and gold, 1 suggestion\n"
    with Store(db) as store:
        assert "RUMOUR" not in store.label_kinds()
        assert {s.label for s in store.spans(article, "ana")} == {"LOCATION", "PERSON", "FACTION"}
        assert store.spans(article, GOLD) == [] and store.suggestions(article) == []
        assert keep.id in {s.id for s in store.spans(article, "ana")}
        assert store.events(annotator="cli")[-1]["payload"]["removed"] == (
            "2 spans of 1 annotator and gold, 1 suggestion"
        )


def test_a_label_outside_the_scheme_is_deleted_with_its_spans_with_force(db, capsys):
    """PERSON, imported: rename and merge took it, delete --force said "no label"."""
    status, _, err = run(capsys, "labels", str(db), "delete", "PERSON")
    assert status == 1 and "PERSON is not in the project's scheme but 1 span" in err
    assert "--force deletes them with it" in err
    status, out, _ = run(capsys, "labels", str(db), "delete", "PERSON", "--force")
    assert status == 0 and out == "deleted PERSON with 1 span of 1 annotator\n"
    with Store(db) as store:
        assert store.labels_outside_scheme() == {}
        assert [s.label for s in store.spans(store.article_ids()[0], "ana")] == ["LOCATION"]
