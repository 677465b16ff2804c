"""``annotator actors``: the project's own actors listed and changed from the command line
(a misspelt name, a missing alias, a wrong country stayed for good); refusals are one line
and exit 1, the project unchanged; usage errors exit 2."""

from __future__ import annotations

import json

import pytest

from annotator.core import Article, Span
from annotator.kb.linking import project_kb
from annotator.storage import Store
from annotator.storage.links import add_project_actor, project_actors, set_span_link
from annotator.storage.project_actors import change_project_actor
from tests.cli_runner import run

SAC = "project:state-administration-council"
RECORD = {
    "id": SAC,
    "name": "State Administration Councill",
    "kind": "armed group",
    "names": [{"names": ["State Administration Councill", "SAC"]}],
    "countries": ["TH"],
}
TEXT = "The State Administration Council said its troops held Sagaing."


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "p.db"
    with Store(path) as store:
        [article] = store.add_articles([Article(TEXT)]).ids
        add_project_actor(store, RECORD, "ana")
        for who in ("ana", "ben"):
            span = store.add_span(article, who, Span(4, 32, "FACTION"))
            set_span_link(store, span.id, SAC)
    return str(path)


def _actors(db):
    with Store(db) as store:
        return project_actors(store)


def test_the_projects_actors_are_listed_with_their_links(db, capsys):
    status, out, _ = run(capsys, "actors", db)
    assert status == 0
    assert out.splitlines() == [
        "id                                    name                           spans  countries  "
        "other names",
        "project:state-administration-council  State Administration Councill      2  TH         "
        "SAC",
    ]
    status, out, _ = run(capsys, "actors", db, "--json")
    assert json.loads(out) == {
        "actors": [
            {"id": SAC, "name": "State Administration Councill", "kind": "armed group",
             "aliases": ["SAC"], "countries": ["TH"], "spans": 2}
        ]
    }  # fmt: skip


def test_a_misspelt_name_a_missing_alias_and_a_wrong_country_are_mended(db, capsys):
    status, out, _ = run(capsys, "actors", db, "--rename", SAC, "State Administration Council")
    assert (status, out) == (0, f"{SAC}: renamed State Administration Councill to "
                                "State Administration Council\n")  # fmt: skip
    status, out, _ = run(capsys, "actors", db, "--alias", SAC, "Myanmar  junta")
    assert status == 0 and "other name Myanmar junta added" in out
    status, out, _ = run(capsys, "actors", db, "--unalias", SAC, "sac")
    assert status == 0 and "other name SAC removed" in out  # as it was, not as typed
    status, out, _ = run(capsys, "actors", db, "--country", SAC, "Myanmar")
    assert status == 0 and out.endswith("countries MM\n")
    [record] = _actors(db)
    assert record["name"] == "State Administration Council"
    assert record["names"] == [{"names": ["State Administration Council", "Myanmar junta"]}]
    assert record["countries"] == ["MM"]
    # The linker reads the project's actors as they are now: the new name, not the old.
    kb = project_kb(_actors(db))
    assert [a.kb_id for a in kb.by_name("Myanmar junta")] == [SAC]
    assert kb.by_name("SAC") == [] and kb.by_name("State Administration Councill") == []
    with Store(db) as store:
        changes = [e["action"] for e in store.events() if e["action"] == "change_actor"]
    assert len(changes) == 4


def test_a_change_keeps_what_a_window_changed_after_the_actors_were_read(db, capsys, monkeypatch):
    """A window's Actors… adding SAC's other name while `annotator actors --country` ran
    (between its read and its write): the command wrote its copy back, the name gone."""
    from annotator.kb import actor_edits

    read = actor_edits.project_record

    def read_then_a_window_writes(records, kb_id):
        found = read(records, kb_id)
        with Store(db) as window:
            names = [{"names": ["State Administration Councill", "SAC", "Junta"]}]
            change_project_actor(window, {**RECORD, "names": names}, "ana")
        return found

    monkeypatch.setattr(actor_edits, "project_record", read_then_a_window_writes)
    status, out, _ = run(capsys, "actors", db, "--country", SAC, "Myanmar")
    assert status == 0 and out.endswith("countries MM\n")
    [record] = _actors(db)
    assert record["names"] == [{"names": ["State Administration Councill", "SAC", "Junta"]}]
    assert record["countries"] == ["MM"]


def test_removing_a_linked_actor_needs_force_which_unlinks_its_spans(db, capsys):
    status, out, err = run(capsys, "actors", db, "--remove", SAC)
    assert status == 1 and out == ""
    assert err == (f"error: State Administration Councill ({SAC}): 2 spans linked to it; "
                   "--force removes it and unlinks them\n")  # fmt: skip
    assert len(_actors(db)) == 1
    status, out, _ = run(capsys, "actors", db, "--remove", SAC, "--force")
    assert (status, out) == (
        0,
        f"removed State Administration Councill ({SAC}); 2 spans unlinked\n",
    )
    assert _actors(db) == []
    with Store(db) as store:
        rows = store._db.execute("SELECT kb_id, link_status FROM spans").fetchall()
    assert rows == [("", ""), ("", "")]  # not linked yet: the link dialog asks again


def test_an_unlinked_actor_is_removed_without_force(db, capsys):
    with Store(db) as store:
        add_project_actor(store, {"id": "project:x", "name": "X Brigade"}, "ana")
    status, out, _ = run(capsys, "actors", db, "--remove", "project:x", "--json")
    assert status == 0 and [a["id"] for a in json.loads(out)["actors"]] == [SAC]


OWN = "one of the program's own actors"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rename", "project:nope", "X"],
         f"project:nope: no such actor in the project (its own actors: {SAC})"),
        (["--remove", "annotator:hayat-tahrir-al-sham"], f"is Hayat Tahrir al-Sham, {OWN}"),
        (["--alias", "wikidata:Q41053", "Hizb"], f"wikidata:Q41053 is Hezbollah, {OWN}"),
        (["--rename", SAC, "Hezbollah"],
         "Hezbollah is a name of Hezbollah (wikidata:Q41053) already"),
        (["--alias", SAC, "the HTS"], "HTS is a name of Hayat Tahrir al-Sham"),
        (["--alias", SAC, "SAC"], "SAC is a name of State Administration Councill already"),
        (["--unalias", SAC, "State Administration Councill"], "give it another name instead"),
        (["--unalias", SAC, "Tatmadaw"],
         "Tatmadaw is not a name of State Administration Councill (its other names: SAC)"),
        (["--country", SAC, "Narnia, MM"], "not a country: Narnia"),
        (["--rename", SAC, "  "], "give a name: it was empty"),
        (["--remove", ""],
         f"--remove: an empty id is no actor id (the project's own actors: {SAC})"),
        (["--alias", " ", "X"], "--alias: an empty id is no actor id"),
    ],
)  # fmt: skip
def test_a_change_refused_says_why_and_changes_nothing(db, capsys, args, message):
    status, out, err = run(capsys, "actors", db, *args)
    assert status == 1 and out == "" and message in err and "Traceback" not in err
    assert _actors(db) == [RECORD]


def test_the_actors_are_listed_by_name_as_read(db, capsys):
    """Case and accents do not count: "Şam Legion" came after "Unused Front" (by code point)."""
    with Store(db) as store:
        for kb_id, name in (("project:uf", "Unused Front"), ("project:sl", "Şam Legion"),
                            ("project:ab", "al-Bunyan")):  # fmt: skip
            add_project_actor(store, {"id": kb_id, "name": name}, "ana")
    status, out, _ = run(capsys, "actors", db)
    listed = [line.split()[1] for line in out.splitlines()[1:]]
    status, out, _ = run(capsys, "actors", db, "--json")
    names = [actor["name"] for actor in json.loads(out)["actors"]]
    assert status == 0 and listed == [name.split()[0] for name in names]
    assert names == ["al-Bunyan", "Şam Legion", "State Administration Councill", "Unused Front"]


def test_a_name_another_project_actor_has_is_refused(db, capsys):
    with Store(db) as store:
        add_project_actor(store, {"id": "project:svg", "name": "Sagaing Valley Guard"}, "ana")
    status, _, err = run(capsys, "actors", db, "--alias", SAC, "sagaing valley-guard")
    assert status == 1
    assert "is a name of Sagaing Valley Guard (project:svg) already" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rename", SAC], "requires 2 arguments"),
        (["--force"], "--force goes with --remove"),
        (["--rename", SAC, "A", "--remove", SAC], "one change at a time"),
        (["--colour", SAC, "red"], "No such option"),
    ],
)
def test_usage_errors_exit_2(db, capsys, args, message):
    status, _, err = run(capsys, "actors", db, *args)
    assert status == 2 and "Error:" in err and message in err and "Traceback" not in err
    assert _actors(db) == [RECORD]


def test_a_project_without_actors_of_its_own_says_so(tmp_path, capsys):
    path = tmp_path / "empty.db"
    Store(path).close()
    status, out, _ = run(capsys, "actors", str(path))
    assert status == 0 and "the project has no actors of its own" in out
