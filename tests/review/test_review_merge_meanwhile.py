"""A merge whose OUT_DB changes between its reading and its writing (a window editing it,
another merge) reads it again rather than write a plan made on what it read: with --newer,
the window's edits were removed with the older work they had replaced, and two merges at
once ended in a traceback."""

import sqlite3
import time
from contextlib import closing

import pytest

from annotator.core.model import Article, Span
from annotator.review.merge import ATTEMPTS, merge_projects
from annotator.storage import StorageError, Store

TEXT = "Government forces shelled Idlib, activists said."
IDLIB = Span(26, 31, "LOCATION")


def _project(path, spans=(IDLIB,)):
    with Store(path) as store:
        (article_id,) = store.add_articles([Article(TEXT)]).ids
        for span in spans:
            store.add_span(article_id, "ana", span)
        store.set_status(article_id, "ana", "done")
    return path


def _keys(path):
    with Store(path) as store:
        (article_id,) = store.article_ids()
        return sorted(span.key for span in store.spans(article_id, "ana"))


def edit_while_writing(out, times=1):
    """A stage callback: as the merge begins to write, a window adds a span to OUT_DB."""
    made = []

    def stage(what, done, total):
        if what.startswith("writing") and done < total and len(made) < times:
            with Store(out) as window:
                (article_id,) = window.article_ids()
                span = Span(0, 10 + len(made), "FACTION")
                window.add_span(article_id, "ana", span)
                made.append(span.key)

    return stage, made


def test_a_windows_edit_made_while_a_newer_merge_read_out_is_kept(tmp_path):
    out = _project(tmp_path / "team.db")
    copy = _project(tmp_path / "ana.db", spans=())  # ana removed Idlib in her copy, earlier
    time.sleep(0.01)
    stage, made = edit_while_writing(out)
    report = merge_projects(out, [copy], newer=True, stage=stage)
    # Read again after the window's edit: OUT holds ana's later work, which stays whole.
    assert _keys(out) == sorted([IDLIB.key, *made])
    assert report.replaced_by_annotator == {}


def test_out_changing_at_every_reading_is_read_the_last_time_holding_the_write_lock(tmp_path):
    out = _project(tmp_path / "team.db")
    copy = _project(tmp_path / "ana.db", spans=())
    stage, made = edit_while_writing(out, times=ATTEMPTS - 1)
    refused = []

    def edit_or_try(what, done, total):
        if len(made) < ATTEMPTS - 1:
            stage(what, done, total)
        elif what.startswith("writing") and done < total:  # the last time: the lock is held
            with closing(sqlite3.connect(out, timeout=0.1)) as window:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    window.execute("BEGIN IMMEDIATE")
                refused.append(True)

    merge_projects(out, [copy], newer=True, stage=edit_or_try)
    assert refused and _keys(out) == sorted([IDLIB.key, *made])  # ana's edits, all kept


@pytest.mark.parametrize("out_exists", [True, False])
def test_two_merges_into_one_project_at_once_both_end_well(tmp_path, out_exists):
    copy = _project(tmp_path / "ana.db")
    out = tmp_path / "team.db"
    if out_exists:  # the lead's project: the article, nobody's work yet
        with Store(out) as store:
            store.add_articles([Article(TEXT)])
    other = []

    def stage(what, done, total):
        if what.startswith("writing") and done < total and not other:
            other.append(merge_projects(out, [copy]))  # the other merge, all of it

    report = merge_projects(out, [copy], stage=stage)
    assert other[0].articles_by_annotator and not report.articles_by_annotator
    assert _keys(out) == [IDLIB.key]


def test_two_merges_making_one_new_project_keep_the_finished_one(tmp_path, monkeypatch):
    """Both found no file, so the second wrote into the one the first had just made, failed
    (a traceback), and deleted it, with the work of both."""
    from annotator.review import merge

    ana = _project(tmp_path / "ana.db")
    ben = tmp_path / "ben.db"
    with Store(ben) as store:
        (article_id,) = store.add_articles([Article(TEXT)]).ids
        store.add_span(article_id, "ben", Span(0, 10, "FACTION"))
    out = tmp_path / "team.db"
    other = []

    def opening(path):  # the other merge makes OUT_DB after this one found none
        if not other:
            monkeypatch.setattr(merge, "Store", Store)
            other.append(merge_projects(out, [ben]))
        return Store(path)

    monkeypatch.setattr(merge, "Store", opening)
    report = merge_projects(out, [ana])
    assert other[0].created and not report.created  # read again, complete, and merged into
    with Store(out) as store:
        (article_id,) = store.article_ids()
        assert [s.key for s in store.spans(article_id, "ana")] == [IDLIB.key]
        assert [s.key for s in store.spans(article_id, "ben")] == [(0, 10, "FACTION")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana.db", "ben.db", "team.db"]


def test_a_new_project_that_cannot_be_written_is_said_of_its_name(tmp_path):
    with pytest.raises(StorageError, match=r"^\S*/no/team\.db: "):
        merge_projects(tmp_path / "no" / "team.db", [_project(tmp_path / "ana.db")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana.db"]


def test_merging_into_an_older_projects_file_says_it_was_upgraded(tmp_path, older_project, capsys):
    """`stats` and `import` said so; `merge` upgraded OUT_DB, and made its backup, unsaid."""
    from tests.cli_runner import run

    status, _, err = run(capsys, "merge", str(older_project), str(_project(tmp_path / "a.db")))
    assert status == 0 and "older.db: upgraded to this version's format" in err
    assert any(p.name.startswith("older.db.before-") for p in tmp_path.iterdir())


def test_a_new_projects_half_made_file_left_by_a_killed_merge_goes_at_the_next(tmp_path):
    """`kill -9` of a merge left .m.db.merging-PID (35 MB with its -wal) beside m.db for
    good; the next merge neither removed nor mentioned it. One whose process still runs
    (another merge at work) stays."""
    import os
    import subprocess
    import sys

    source = _project(tmp_path / "a.db")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = int(gone.stdout)
    left = [tmp_path / f".m.db.merging-{dead}{end}" for end in ("", "-wal", "-shm")]
    for path in left:
        path.write_bytes(b"half made")
    alive = tmp_path / f".m.db.merging-{os.getppid()}"
    alive.write_bytes(b"another merge at work")
    merge_projects(tmp_path / "m.db", [source])
    assert [path.exists() for path in left] == [False] * 3
    assert alive.exists()
    assert _keys(tmp_path / "m.db") == [IDLIB.key]
