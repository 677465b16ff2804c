"""``annotator assign``: handing the articles out from the command line, and its refusals."""

from __future__ import annotations

import json

import pytest

from annotator.core import Article, Span
from annotator.storage import Store
from tests.cli_runner import run


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.db"
    with Store(path) as store:
        store.add_articles([Article(f"Shelling number {k} near Homs.") for k in range(10)])
    return str(path)


def test_assign_hands_out_shows_progress_and_takes_back(capsys, project):
    status, out, _ = run(capsys, "assign", project)
    assert status == 0 and "no article is given to anyone" in out
    status, out, _ = run(capsys, "assign", project, "ana", "ben", "--overlap", "0.1")
    assert status == 0
    assert out.splitlines() == [
        "ana: 6 articles given",
        "ben: 5 articles given",
        "ana: 0 of 6 articles done",
        "ben: 0 of 5 articles done",
        "given to nobody: 0 articles",
    ]
    with Store(project) as store:
        store.set_status(store.assigned_articles("ben")[0], "ben", "done")
    status, out, _ = run(capsys, "assign", project, "--json")
    figures = json.loads(out)
    assert figures["assigned"]["ben"] == {"articles": 5, "done": 1}
    assert figures["unassigned"] == 0
    status, out, _ = run(capsys, "assign", project, "cem")
    assert out.splitlines()[0] == "every article was already given to someone"
    status, out, _ = run(capsys, "assign", project, "--clear", "ben")
    assert status == 0 and out.splitlines()[0] == "5 assignments taken back"
    assert "given to nobody: 4 articles" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["gold"], 1, "gold is the review's version"),
        (["ana", "--overlap", "0.5"], 1, "an overlap needs two annotators or more"),
        (["ana", "ben", "--overlap", "2"], 2, "--overlap"),
        (["ana", "--overlap", "much"], 2, "--overlap"),
        (["ana", "--unfinished"], 2, "--unfinished goes with --clear"),
    ],
)
def test_bad_requests_are_one_message_and_give_nothing(capsys, project, args, code, message):
    status, _, err = run(capsys, "assign", project, *args)
    assert status == code and message in err and "Traceback" not in err
    with Store(project) as store:
        assert len(store.unassigned_articles()) == 10


def test_a_name_given_in_another_case_is_taken_as_the_projects(capsys, project):
    with Store(project) as store:
        store.add_span(store.article_ids()[0], "ben", Span(0, 8, "FACTION"))
    status, out, err = run(capsys, "assign", project, "Ben", "ana")
    assert status == 0 and "Ben: taken as ben, the project's spelling" in err
    assert out.splitlines()[:2] == ["ben: 5 articles given", "ana: 5 articles given"]


def test_clear_unfinished_keeps_the_done_articles_given(capsys, project):
    """Taking back a departed annotator's articles handed out their finished ones again."""
    run(capsys, "assign", project, "ana", "ben")
    with Store(project) as store:
        done = store.assigned_articles("ben")[:2]
        for article_id in done:
            store.set_status(article_id, "ben", "done")
    status, out, _ = run(capsys, "assign", project, "--clear", "ben", "--unfinished")
    assert status == 0 and out.splitlines()[0] == (
        "3 assignments taken back (the done ones stay given)"
    )
    assert "ben: 2 of 2 articles done" in out
    run(capsys, "assign", project, "ana")
    with Store(project) as store:
        assert store.assigned_articles("ben") == done
        assert not set(done) & set(store.assigned_articles("ana"))


def test_clearing_a_name_given_nothing_says_so_and_takes_nothing(capsys, project):
    run(capsys, "assign", project, "ana", "ben")
    status, _, err = run(capsys, "assign", project, "--clear", "ann9", "ben")
    assert status == 1 and "ann9: given no articles; given to: ana, ben" in err
    with Store(project) as store:
        assert len(store.assigned_articles("ben")) == 5


def test_stats_counts_an_annotators_todo_over_their_articles_and_gold_as_the_review(
    capsys, project
):
    """``stats`` said "status of ben: todo 9, done 1" (every article of the project) beside
    "ben: 1 of 5 articles done", and listed gold as an annotator with a pile to do."""
    from annotator.core.model import GOLD

    run(capsys, "assign", project, "ana", "ben")
    with Store(project) as store:
        mine, other = store.assigned_articles("ben")[0], store.assigned_articles("ana")[0]
        store.set_status(mine, "ben", "done")
        store.set_status(other, "ben", "flagged")  # not given to ben: apart
        store.set_status(other, "ana", "done")
        store.add_span(mine, GOLD, Span(0, 8, "CLAIM"))  # begun, not marked reviewed
        carl = store.add_articles([Article("Late news.")]).ids[0]
        store.assign(["carl"], article_ids=[carl])  # given, nothing done: listed too
    status, out, _ = run(capsys, "stats", project)
    assert status == 0
    lines = out.splitlines()
    assert "status of ben, of 5 assigned: todo 4, done 1; outside them: flagged 1" in lines
    assert "status of carl, of 1 assigned: todo 1" in lines
    assert not any(line.startswith("status of gold") for line in lines)
    assert (
        "review (gold): 0 articles reviewed, 0 changed by an annotator since, 1 begun and "
        "not marked reviewed (2 articles marked done by an annotator)"
    ) in lines
    status, out, _ = run(capsys, "stats", project, "--json")
    figures = json.loads(out)
    assert figures["status"]["ben"]["todo"] == 4 and GOLD not in figures["status"]
    assert figures["assigned"] == {"ana": 5, "ben": 5, "carl": 1}
    assert figures["status_outside_assigned"] == {"ben": {"flagged": 1}}
    assert figures["review"] == {
        "reviewed": 0,
        "changed_since_reviewed": 0,
        "begun": 1,
        "done_by_annotators": 2,
    }
