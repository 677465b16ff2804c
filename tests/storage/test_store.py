"""storage/: the project file, its schema, and what each write leaves on disk."""

import os
import sqlite3
from pathlib import Path

import pytest

from annotator.core import Article, Span
from annotator.core.model import GOLD
from annotator.storage import NewerDatabaseError, StorageError, Store
from annotator.storage.migrations import known_migration_names

TEXT = "Government forces shelled Idlib, activists said."


def test_schema_chain_is_pinned():
    # A new migration must be added here on purpose: old project files depend on the chain.
    assert known_migration_names() == [
        "0001_initial",
        "0002_preannotated",
        "0003_token_cache",
        "0004_spans_by_annotator",
        "0005_span_identities",
        "0008_provenance_and_negatives",
        "0009_entity_links",
        "0010_claim_relations",
        "0011_assignments",
    ]


def test_an_older_project_is_copied_aside_then_upgraded(project_path):
    from sqlite_utils import Database

    from annotator.storage.migrations import migrations

    old = Database(project_path)
    migrations.apply(old, stop_before="0002_preannotated")
    old["articles"].insert({"text_hash": "h", "text": "Rebels took Kidal.", "title": "t"})
    old["suggestions"].insert(
        {"article_id": 1, "start": 12, "end": 17, "label": "LOCATION", "model": "m"}
    )
    old.close()
    with Store(project_path) as store:
        assert store.schema_version() == known_migration_names()[-1]
        assert store.articles_suggested_by("m") == {1}  # filled from the old suggestions
    backup = project_path.with_name(f"{project_path.name}.before-0002_preannotated.bak")
    assert "preannotated" not in Database(backup).table_names()
    assert Database(backup)["articles"].count == 1


@pytest.mark.parametrize("name", ["n" * 240 + ".db", "é" * 118 + ".db"])
def test_a_project_whose_long_name_leaves_no_room_for_the_backups_is_upgraded(tmp_path, name):
    """ "p….db.before-0011_assignments.bak: File name too long": it never opened."""
    from sqlite_utils import Database

    from annotator.storage.migrations import migrations

    project_path = tmp_path / name
    old = Database(project_path)
    migrations.apply(old, stop_before="0011_assignments")
    old.close()
    with Store(project_path) as store:
        assert store.schema_version() == known_migration_names()[-1]
    (backup,) = [p for p in tmp_path.iterdir() if p.name.endswith(".bak")]
    assert backup.name.endswith(".before-0011_assignments.bak")
    assert backup.name.startswith(name[:100]) and len(os.fsencode(backup.name)) <= 255


def test_an_article_without_suggestions_still_counts_as_preannotated(store):
    (article_id,) = store.add_articles([Article("Nothing happened today.")]).ids
    store.add_suggestions([(article_id, [])], "m-1")
    assert store.articles_suggested_by("m-1") == {article_id}
    store.clear_suggestions([article_id], "m-1")
    assert store.articles_suggested_by("m-1") == set()


def test_new_project_has_the_design_tables_in_wal_mode(project_path):
    with Store(project_path) as store:
        db = sqlite3.connect(project_path)  # the file, as any SQLite client sees it
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert {"articles", "labels", "suggestions", "spans", "article_status", "events"} <= tables
        assert "articles_fts" in tables
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.close()
        assert [label.name for label in store.labels()] == [
            "LOCATION",
            "FACTION",
            "CLAIM",
            "SOURCE",
        ]
        assert [label.key for label in store.labels()] == ["1", "2", "3", "4"]


def test_duplicate_texts_are_skipped_and_counted(store):
    added = store.add_articles([Article(TEXT), Article("Other."), Article(TEXT)])
    assert len(added.ids) == 2 and added.duplicates == 1
    again = store.add_articles([Article(TEXT, title="same text, new title")])
    assert again.ids == [] and again.duplicates == 1
    assert store.article_count() == 2


def test_metadata_round_trips(store):
    article = Article(
        TEXT,
        title="T",
        source="wire",
        url="http://x",
        published="2026-01-02",
        meta={"desk": "Middle East", "tags": ["syria"]},
    )
    (article_id,) = store.add_articles([article]).ids
    loaded = store.article(article_id)
    assert loaded.meta == {"desk": "Middle East", "tags": ["syria"]}
    assert (loaded.title, loaded.source, loaded.url) == ("T", "wire", "http://x")


def test_a_newer_model_that_found_nothing_is_what_the_article_shows(store):
    """Its run is recorded: the older model's suggestions stay stored, not shown, not
    copied at the first edit, and the status bar names the model that ran."""
    (article,) = store.add_articles([Article("Rebels took Kidal.")]).ids
    store.add_suggestions([(article, [Span(0, 6, "FACTION")])], "core")
    store.add_suggestions([(article, [])], "rules")
    assert store.suggestion_model(article) == "rules"
    assert store.open_article(article, "ana") == [] and store.suggestions(article) == []
    assert store.suggestion_counts([article]) == {}
    assert store.start_article(article, "ana") == []
    assert len(store.suggestions(article, "core")) == 1  # kept


def test_a_started_article_names_the_model_whose_suggestions_were_taken(store):
    first, second = store.add_articles([Article("Rebels took Kidal."), Article("Calm.")]).ids
    store.add_suggestions([(first, [Span(0, 6, "FACTION")])], "v1")
    store.start_article(first, "ana")
    store.add_suggestions([(first, [Span(12, 17, "LOCATION")])], "v2")  # preannotate again
    assert store.suggestion_model(first) == "v2"
    assert store.shown_model(first, "ana") == "v1"  # ana works on v1's
    assert store.shown_model(first, "ben") == "v2"  # ben has not started
    store.add_span(second, "ana", Span(0, 4, "LOCATION"))  # begun by hand
    assert store.shown_model(second, "ana") is None


def test_starting_an_article_copies_the_suggestions_once(store):
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    store.add_suggestions([(article_id, [Span(26, 31, "LOCATION", score=0.9)])], "m-1")
    spans = store.start_article(article_id, "ana")
    assert spans == [Span(26, 31, "LOCATION")] and spans[0].origin == "model"
    assert store.status(article_id, "ana").status == "in_progress"
    store.delete_span(spans[0].id)
    assert store.open_article(article_id, "ana") == []  # not copied a second time
    assert store.open_article(article_id, "ben") == [Span(26, 31, "LOCATION")]


def test_each_edit_is_committed_and_logged(project_path):
    store = Store(project_path)
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    span = store.add_span(article_id, "ana", Span(0, 17, "FACTION"))
    store.update_span(span.id, 0, 17, "FACTION", "edited")
    # Another connection sees every edit at once: nothing waits for a later commit.
    other = sqlite3.connect(project_path)
    assert other.execute("SELECT origin FROM spans").fetchall() == [("edited",)]
    store.delete_span(span.id)
    assert other.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == 0
    actions = [e["action"] for e in store.events(article_id)]
    assert actions == ["add_span", "update_span", "delete_span"]
    assert store.events(article_id)[1]["payload"]["before"]["origin"] == "human"
    other.close()
    store.close()


def test_a_deleted_span_comes_back_with_its_id(store):
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    span = store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))
    removed = store.delete_span(span.id)
    restored = store.add_span(article_id, "ana", removed)
    assert restored.id == span.id and store.spans(article_id, "ana") == [span]


def test_a_newer_project_file_is_refused_and_left_untouched(project_path):
    Store(project_path).close()
    db = sqlite3.connect(project_path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('annotator', '0099_from_the_future', '2030-01-01')"
    )
    db.commit()
    db.close()
    before = project_path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version"):
        Store(project_path)
    assert project_path.read_bytes() == before


def test_files_that_are_not_projects_are_refused(tmp_path):
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database")
    with pytest.raises(StorageError, match="not an SQLite database"):
        Store(text_file)
    assert text_file.read_text() == "not a database"
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StorageError, match="not an annotator project"):
        Store(other)
    with pytest.raises(StorageError, match="does not exist"):
        Store(tmp_path / "missing" / "p.db")


def test_search_finds_words_prefixes_and_survives_punctuation(store):
    ids = store.add_articles(
        [Article(TEXT, title="Idlib"), Article("Houthi drones hit Marib.", title="Yemen")]
    ).ids
    assert store.search("marib") == [ids[1]]
    assert store.search("Hou") == [ids[1]]  # the last word is a prefix while typing
    assert store.search('"shelled" AND (') == []  # FTS syntax in a query is just text
    assert store.search("") == ids


def test_status_counts_and_article_list(store):
    ids = store.add_articles([Article(f"Article number {i}.", title=f"A{i}") for i in range(4)]).ids
    store.set_status(ids[0], "ana", "done")
    store.set_status(ids[1], "ana", "flagged", comment="unclear source")
    assert store.status_counts("ana") == {
        "todo": 2,
        "in_progress": 0,
        "done": 1,
        "skipped": 0,
        "flagged": 1,
    }
    assert store.status(ids[1], "ana").comment == "unclear source"
    rows = store.article_list("ana")
    assert [r.status for r in rows] == ["done", "flagged", "todo", "todo"]
    assert [r.id for r in store.article_list("ana", status="todo")] == ids[2:]
    assert store.articles_with_status("ana", "todo") == ids[2:]
    with pytest.raises(ValueError, match="unknown status"):
        store.set_status(ids[0], "ana", "finished")


def test_stats_counts_suggestions_spans_and_statuses(store):
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    store.add_suggestions([(article_id, [Span(26, 31, "LOCATION"), Span(0, 17, "FACTION")])], "m")
    store.start_article(article_id, "ana")
    store.set_status(article_id, "ana", "done")
    figures = store.stats()
    assert figures["articles"] == 1
    assert figures["suggestions"] == {"m": {"FACTION": 1, "LOCATION": 1}}
    assert figures["spans"] == {"ana": {"FACTION": 1, "LOCATION": 1}}
    assert figures["status"]["ana"]["done"] == 1


def test_stats_tell_a_lead_time_spent_what_remains_and_the_flags(tmp_path, capsys):
    """The time spent was stored and shown nowhere; a flag's comment only to its annotator."""
    from annotator.cli import main

    store = Store(tmp_path / "team.db")
    ids = store.add_articles([Article(TEXT, title="Raid\tnear Idlib"), Article(TEXT + " ")]).ids
    store.add_active_time(ids[0], "ana", 95.0)
    store.add_active_time(ids[1], "ben", 4000.0)
    store.set_status(ids[0], "ana", "done")
    store.set_status(ids[1], "ben", "flagged", "not conflict news: music album")
    figures = store.stats()
    assert figures["done_by_nobody"] == 1
    assert figures["seconds_active"] == {"ana": 95.0, "ben": 4000.0}
    assert figures["flagged"] == [
        {"article": ids[1], "title": "", "annotator": "ben",
         "comment": "not conflict news: music album"}
    ]  # fmt: skip
    path = store.path
    store.close()
    assert main(["stats", str(path)]) == 0
    out = capsys.readouterr().out
    assert "articles nobody marked done yet: 1" in out
    assert "time spent by ana: 2 min" in out and "time spent by ben: 1 h 7 min" in out
    assert f"flagged by ben: article {ids[1]} “untitled”: not conflict news: music album" in out


def test_one_who_only_read_is_no_annotator_but_their_time_is_counted(store):
    """A lead who opened the annotation window to look was listed as an annotator with
    every article to do (in ``stats``, the export and training choices)."""
    ids = store.add_articles([Article(TEXT), Article(TEXT + " ")]).ids
    store.add_active_time(ids[0], "lead", 30.0)
    store.add_active_time(ids[1], "lead", 12.0)
    store.add_active_time(ids[0], "ana", 95.0)
    store.set_status(ids[0], "ana", "done")
    store.add_active_time(ids[1], "cy", 5.0)
    store.add_span(ids[1], "cy", Span(26, 31, "LOCATION"))  # started: spans, still todo
    assert store.annotators() == ["ana", "cy"]
    figures = store.stats()
    assert set(figures["status"]) == {"ana", "cy"}
    assert figures["seconds_active"] == {"ana": 95.0, "cy": 5.0, "lead": 42.0}


def test_gold_events_name_their_reviewer_and_stats_count_each_ones_work(tmp_path, capsys):
    """Gold is one version edited by several reviewers: the log named none of them."""
    from annotator.cli import main

    store = Store(tmp_path / "team.db")
    ids = store.add_articles([Article(TEXT), Article(TEXT + " ")]).ids
    store.add_span(ids[0], GOLD, Span(26, 31, "LOCATION"))  # imported gold: nobody's review
    store.reviewer = "rae"
    store.add_span(ids[0], GOLD, Span(0, 17, "FACTION"))
    store.set_status(ids[0], GOLD, "done")
    store.reviewer = "sol"
    store.set_status(ids[1], GOLD, "done")
    store.set_status(ids[1], GOLD, "in_progress")
    store.set_status(ids[1], GOLD, "done")  # one article, reviewed twice
    store.add_span(ids[1], "ana", Span(26, 31, "LOCATION"))  # an annotator's: no reviewer
    assert [e["payload"].get("by") for e in store.events(ids[0])] == [None, "rae", "rae"]
    assert "by" not in store.events(ids[1], "ana")[0]["payload"]
    assert store.stats()["reviewers"] == {
        "rae": {"gold_edits": 1, "articles_reviewed": 1},
        "sol": {"gold_edits": 0, "articles_reviewed": 1},
    }
    path = store.path
    store.close()
    assert main(["stats", str(path)]) == 0
    out = capsys.readouterr().out
    assert "review by rae: 1 article marked reviewed, 1 gold edit" in out
    assert "review by sol: 1 article marked reviewed, 0 gold edits" in out


def test_a_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.add_articles([Article(TEXT)])
        raise RuntimeError("interrupted")
    assert store.article_count() == 0


def test_a_relabel_drops_the_linkers_word_on_an_unlinked_span(store):
    """FACTION "rebels" (the linker: "generic", no entry) relabelled LOCATION kept
    "generic", and reopened, the LOCATION said "generic: no one actor"."""
    from annotator.storage.links import link_statuses, set_span_link

    text = "Rebels shelled Idlib."
    (article_id,) = store.add_articles([Article(text)]).ids
    span = store.add_span(article_id, "ana", Span(0, 6, "FACTION"))
    set_span_link(store, span.id, "", status="generic")
    assert link_statuses(store, article_id, "ana") == {(0, 6, "FACTION"): "generic"}
    store.update_span(span.id, 0, 6, "LOCATION", "human", kb_id="")
    assert link_statuses(store, article_id, "ana").get((0, 6, "LOCATION"), "") == ""


def test_a_write_after_the_wal_was_deleted_is_refused_and_what_was_saved_stays(project_path):
    """With its -wal deleted under it, a window went on saving into the deleted file: no
    other program saw those edits, and a kill lost them all."""
    from annotator.storage.errors import ProjectGone

    with Store(project_path) as store:
        (article_id,) = store.add_articles([Article("Rebels shelled Idlib.")]).ids
        store.add_span(article_id, "ana", Span(0, 6, "FACTION"))
        Path(f"{project_path}-wal").unlink()
        with pytest.raises(ProjectGone, match="-wal, which holds the latest changes"):
            store.add_span(article_id, "ana", Span(15, 20, "LOCATION"))
    with Store(project_path) as again:
        assert [s.label for s in again.spans(article_id, "ana")] == ["FACTION"]


def test_a_project_moved_while_open_is_copied_whole_at_close(project_path, tmp_path):
    """The advice was "open the project again where it is now": the moved file lacks the
    edits still in the -wal left behind, which SQLite does not fold into it. Closing now
    copies the project, as the connection still reads it, beside the old path."""
    from annotator.storage.errors import ProjectGone

    with Store(project_path) as store:
        (article_id,) = store.add_articles([Article("Rebels shelled Idlib.")]).ids
        store.add_span(article_id, "ana", Span(0, 6, "FACTION"))
        (tmp_path / "archive").mkdir()
        project_path.rename(tmp_path / "archive" / project_path.name)
        with pytest.raises(ProjectGone, match="every change is then copied beside it"):
            store.add_span(article_id, "ana", Span(15, 20, "LOCATION"))
    assert store.rescued is not None and store.rescued.parent == project_path.parent
    assert store.rescued.name.startswith(f"{project_path.stem}.recovered-")
    assert not Path(f"{project_path}-wal").exists()  # it would replay into the next file
    with Store(store.rescued) as copy:
        assert [s.label for s in copy.spans(article_id, "ana")] == ["FACTION"]


def test_a_project_opened_through_a_link_whose_target_moves_is_copied_whole(tmp_path):
    """The -wal is beside the link's target, where it was never looked for: nothing was
    copied, and the next file put at the target's path took the edits in."""
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "p.db"
    Store(target).close()
    link = tmp_path / "link.db"
    link.symlink_to(target)
    with Store(link) as store:
        (article_id,) = store.add_articles([Article("Rebels shelled Idlib.")]).ids
        store.add_span(article_id, "ana", Span(0, 6, "FACTION"))
        target.rename(tmp_path / "real" / "moved.db")
    assert store.rescued is not None and store.rescued.parent == tmp_path
    assert not Path(f"{target}-wal").exists()
    with Store(store.rescued) as copy:
        assert [s.label for s in copy.spans(article_id, "ana")] == ["FACTION"]


def test_a_project_whose_folder_is_deleted_while_open_is_copied_home(tmp_path, monkeypatch):
    """The folder went with the file and its -wal: closing said nothing and made no copy,
    though the connection still read the whole project."""
    import shutil

    from annotator.storage.errors import ProjectGone
    from annotator.storage.rescue import rescued_note

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    folder = tmp_path / "proj"
    folder.mkdir()
    with Store(folder / "p.db") as store:
        (article_id,) = store.add_articles([Article("Rebels shelled Idlib.")]).ids
        store.add_span(article_id, "ana", Span(0, 6, "FACTION"))
        shutil.rmtree(folder)
        with pytest.raises(ProjectGone, match=f"every change is then copied to {home}"):
            store.add_span(article_id, "ana", Span(15, 20, "LOCATION"))
    assert store.rescued is not None and store.rescued.parent == home
    assert "a copy of the project as this window had it" in rescued_note(
        folder / "p.db", store.rescued
    )
    with Store(store.rescued) as copy:
        assert [s.label for s in copy.spans(article_id, "ana")] == ["FACTION"]


def test_the_note_of_a_rescued_project_without_an_extension_names_the_copy(tmp_path):
    """It said "no copy could be made ... rename it to the -wal", and doing so lost the
    edits: the copy had been made."""
    from annotator.storage.rescue import rescued_note

    path = tmp_path / "proj"
    with Store(path) as store:
        store.add_articles([Article("Rebels shelled Idlib.")])
        path.rename(tmp_path / "proj-moved")
    assert store.rescued is not None and store.rescued.name.startswith("proj.recovered-")
    assert "a copy of the project as this window had it" in rescued_note(path, store.rescued)


@pytest.mark.parametrize("how", ["replaced", "deleted"])
def test_a_project_replaced_or_deleted_while_open_harms_no_other_file(tmp_path, how):
    """`mv other.db p.db` under the window: at the next opening SQLite replayed the old
    project's -wal into the new file, whose 7 articles became the old one's 50."""
    path = tmp_path / "p.db"
    store = Store(path)
    store.add_articles([Article(f"Rebels shelled Idlib on day {i}.") for i in range(50)])
    if how == "replaced":
        with Store(tmp_path / "other.db") as other:
            other.add_articles([Article(f"Another project's text {i}.") for i in range(7)])
        (tmp_path / "other.db").rename(path)
    else:
        path.unlink()
    store.close()
    if how == "replaced":
        with Store(path) as now_there:
            assert now_there.article_count() == 7
            assert now_there._db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    else:
        assert not path.exists()
    assert store.rescued is not None
    with Store(store.rescued) as copy:
        assert copy.article_count() == 50


def test_a_project_replaced_under_an_open_store_is_rescued_before_anything_opens_it(tmp_path):
    """`mv other.db p.db` under the window, then `annotator stats p.db` before the window
    closed: the old project's -wal was replayed into the new file (its spans hung off the
    other project's articles, and the file failed integrity_check ever after)."""
    path = tmp_path / "p.db"
    store = Store(path)
    store.add_articles([Article(f"Rebels shelled Idlib on day {i}.") for i in range(50)])
    assert store.rescue_now() is None  # in place: nothing to do
    with Store(tmp_path / "other.db") as other:
        other.add_articles([Article(f"Another project's text {i}.") for i in range(7)])
    (tmp_path / "other.db").rename(path)
    copy = store.rescue_now()  # the window's half-second look
    assert copy is not None and copy.name.startswith("p.recovered-")
    assert store.rescue_now() is None  # once
    with Store(path) as now_there:  # another program, the window still open
        assert now_there.article_count() == 7
        assert now_there._db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The store reads the copy, read-only, until it closes; closing makes no second copy.
    assert store.article_count() == 50 and store.read_only
    assert store.read_only_reason == "a copy of p.db, which was moved, replaced or deleted"
    store.close()
    assert store.rescued == copy
    assert [f.name for f in tmp_path.iterdir() if ".recovered-" in f.name] == [copy.name]
    with Store(path) as now_there:
        assert now_there.article_count() == 7
        assert now_there._db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_project_replaced_where_no_copy_can_be_made_sets_its_wal_aside_and_says_so(
    tmp_path, monkeypatch
):
    """A full disk: the -wal was set aside at the half-second look, unsaid; the next edit's
    message promised a copy at close that was never made, and close forgot the -wal set
    aside (``rescued`` None), so nothing ever named it."""
    from annotator.storage import ProjectGone, rescue

    path = tmp_path / "p.db"
    store = Store(path)
    store.add_articles([Article("Rebels shelled Idlib.")])
    with Store(tmp_path / "other.db") as other:
        other.add_articles([Article("Another project's text.")])
    (tmp_path / "other.db").rename(path)
    monkeypatch.setattr(rescue, "rescue_folder", lambda _path: tmp_path / "no" / "room")
    aside = store.rescue_now()
    assert aside is not None and aside.name.startswith("p.db-wal.") and aside.exists()
    assert store.rescue_now() is None  # once: not again at every look
    with pytest.raises(ProjectGone, match=f"the changes before this one are in {aside}"):
        store.add_articles([Article("One more.")])
    store.close()
    assert store.rescued == aside
    with Store(path) as now_there:
        assert [a.text for a in now_there.iter_articles()] == ["Another project's text."]


def test_titles_are_kept_on_one_line_whatever_the_file_gave(store, tmp_path):
    """A tab left a gap in the article list, a line break a second line in the heading."""
    from annotator.formats.importer import import_paths

    (first,) = store.add_articles([Article("Fighting in Aleppo.", title="Aleppo\n  today")]).ids
    assert store.article(first).title == "Aleppo today"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "beijing.txt").write_text("北京\t报道\n\n据新华社报道，解放军在北京附近举行演习。\n")
    (folder / "kyiv.jsonl").write_text(
        '{"text": "Shelling in Kyiv.", "title": "Перша строка\\nдруга строка"}\n'
    )
    import_paths(store, sorted(folder.iterdir()))
    titles = {a.title for a in store.iter_articles()}
    assert titles == {"Aleppo today", "北京 报道", "Перша строка друга строка"}


def test_search_finds_an_article_by_its_number_and_its_file_name(store):
    """The heading shows "(#5 ...)" and "05_mali_kidal_convoy_ambush.txt": neither found it."""
    ids = store.add_articles(
        [
            Article("Rebels shelled Idlib.", source="01_syria.txt"),
            Article("Gunmen ambushed a convoy near Kidal.", source="05_mali_kidal_ambush.txt"),
            Article("The 5 dead were buried.", url="https://example.org/news/100%_sure"),
        ]
    ).ids
    assert store.search(f"#{ids[1]}")[0] == ids[1]
    assert store.search("05_mali") == [ids[1]]
    assert store.search("kidal") == [ids[1]]  # the file name and the text: once
    assert store.search("100%_s") == [ids[2]]  # LIKE's wildcards are letters here
    assert store.search("#999") == []
    # as the list names an article without a title
    assert store.search(f"Article {ids[1]}")[0] == ids[1]
    assert store.search(f"article  {ids[2]}")[0] == ids[2]


def test_search_finds_a_source_of_several_words_a_date_and_a_metadata_value(store):
    """ "Syrian Observatory" found none of its 12 articles (only one word was looked for in
    the source), and an ACLED event id or a date in the metadata nothing."""
    ids = store.add_articles(
        [
            Article("Shelling hit Idlib.", source="Syrian Observatory for Human Rights"),
            Article(
                "Clashes in Daraa.",
                published="2024-03-13",
                meta={"event_id_cnty": "SYR120003", "event_type": "Battles"},
            ),
            Article("Calm in Aleppo.", source="Reuters"),
        ]
    ).ids
    assert store.search("syrian observatory") == [ids[0]]
    assert store.search("SYR120003") == [ids[1]]
    assert store.search("2024-03-13") == [ids[1]]
    assert store.search("Battles") == [ids[1]]
    assert store.search("Observatory Reuters") == []  # a phrase, not either word
    # a value, not a field's name ("actor1" listed every article); as written, not as JSON
    # escapes it
    (odd,) = store.add_articles(
        [
            Article(
                "Calm.",
                meta={
                    "actor1": "RSF \\ Rapid Support",
                    "said": 'He said "no"',
                    "authors": ["Jane Doe", "Ali Hassan"],
                    "extra": {"editor": "Mark Lowe"},
                },
            )
        ]
    ).ids
    # in a list or an object too (news-please's authors)
    assert store.search("Ali Hassan") == [odd] and store.search("Mark Lowe") == [odd]
    assert store.search("actor1") == [] and store.search("event_type") == []
    assert store.search("RSF \\ Rapid") == [odd] and store.search('said "no"') == [odd]


def test_search_takes_turkish_dotless_and_dotted_i_as_i(store):
    """FTS folds "I" to "i" but keeps "ı": "ırak" missed "Irak", "ÇATIŞMA" missed
    "çatışmalar", "işid" missed "IŞİD"."""
    turkish, other = store.add_articles(
        [
            Article("Irak'ta IŞİD ile çatışmalar sürüyor."),
            Article("Plain text about Kidal."),
        ]
    ).ids
    for query in ("ırak", "Irak", "IŞİD", "işid", "ışid", "ÇATIŞMA", "çatışma", "catisma"):
        assert store.search(query) == [turkish], query
    assert store.search("Kidal") == [other]


def test_search_for_an_article_number_past_sqlites_integers_finds_none(store):
    """ "#99999999999999999999" raised OverflowError on every key, the list left stale."""
    store.add_articles([Article("Calm in Kidal.")])
    assert store.search("#99999999999999999999") == []
    assert store.search("Article 123456789012345678901234") == []
    assert store.search("#" + "9" * 4301) == []  # (int() refuses 4,300 digits)
    assert store.search("#" + "0" * 5000 + "1") == [1]


def test_search_finds_a_short_chinese_name_and_a_turkish_i_in_a_metadata_value(store):
    """A value of two Chinese characters (李明, a whole name) was never looked for, and
    "Yilmaz" missed the author "Yılmaz" that a title's "Yılmaz" would have matched."""
    chinese, turkish, other = store.add_articles(
        [
            Article("北京消息。", meta={"authors": ["李明"]}),
            Article(
                "Ankara'da gösteri.", source="Anadolu Ajansı", meta={"author": "Mehmet Yılmaz"}
            ),
            Article("Calm in Kidal.", meta={"author": "Li Ming"}),
        ]
    ).ids
    assert store.search("李明") == [chinese]
    assert store.search("Yilmaz") == [turkish] and store.search("YILMAZ") == [turkish]
    assert store.search("yılmaz") == [turkish] and store.search("Anadolu Ajansi") == [turkish]
    assert store.search("Li Ming") == [other]
    assert store.search("Mi") == []  # (two Latin letters stay too few for a value)


def test_search_finds_a_transliterated_name_whatever_its_apostrophe(store):
    """ "Marib" missed "Maʾrib" (four times in the article) and "Ma'rib"; "Sana'a", Al
    Jazeera's spelling, missed "Sanaa"."""
    ids = store.add_articles(
        [
            Article("Houthi drones hit Maʾrib; Hay’at Tahrir al-Sham was not there."),
            Article("Clashes south of Ma'rib, officials said. It wasn't over."),
            Article("Strikes on Marib and Sanaa."),
            Article("The army's convoy didn't stop in Aden."),
        ]
    ).ids
    for query in ("Marib", "Ma'rib", "Maʾrib", "Ma’rib"):
        assert set(store.search(query)) == set(ids[:3]), query
    assert store.search("Sana'a") == [ids[2]]
    assert store.search("Hayat Tahrir") == [ids[0]]
    assert store.search("didnt") == [] and store.search("didn't") == [ids[3]]
    # (nor where the article holds a name so written too: found there, not in the others)
    assert store.search("wasnt") == [] and store.search("wasn't") == [ids[1]]
    # an ayn or a hamza before s, d, t is a name's ("Raʾs al-ʿAyn", "Saʿd"), and a
    # contraction in capitals a contraction ("DON'T")
    later = store.add_articles(
        [Article("Turkish forces entered Raʾs al-ʿAyn; Saʿd al-Hariri spoke. REBELS DON'T.")]
    ).ids
    assert store.search("Ras al-Ayn") == later and store.search("Sad") == later
    assert store.search("dont") == []
    # ALA-LC's hamza ʼ and ayn ʻ: "Raʼs" was "Ra" + "'s", and a hamza first never folded
    (ala_lc,) = store.add_articles([Article("Raʼs al-ʻAyn fell to ʼAḥrār al-Shām.")]).ids
    assert store.search("Ras al-Ayn") == [*later, ala_lc]
    assert store.search("Ahrar") == [ala_lc]
    assert store.search("Raʼs al-ʻAyn") == [ala_lc, *later]


def test_search_keeps_a_contraction_written_with_the_ala_lc_hamza(store):
    """ALA-LC's hamza ʼ counted for nothing anywhere, so "dont" found "donʼt", "Its"
    "Itʼs" (beside "Saʿd") and "Hamass" "Hamasʼs"; the hamza of a name still folds."""
    english, names = store.add_articles(
        [
            Article("Rebels donʼt negotiate. Itʼs over, said Saʿd. Hamasʼs fighters left."),
            Article("Maʼrib front quiet. (ʼAḥrār al-Shām) held Ṣanʻāʼ. Raʼs al-ʻAyn fell."),
        ]
    ).ids
    for query in ("dont", "Its over", "Hamass", "Hamass fighters"):
        assert store.search(query) == [], query
    assert store.search("donʼt") == [english] and store.search("Sad") == [english]
    # an apostrophe, as ' and ’ are: they look the same on screen
    for query in ("don't", "don’t", "It's over", "Hamas's", "Hamas’s fighters"):
        assert store.search(query) == [english], query
    (typeset,) = store.add_articles([Article("We don’t know. It's late.")]).ids
    assert sorted(store.search("donʼt")) == [english, typeset]
    for query in ("Marib", "Ahrar", "Sana", "Ras al-Ayn", "Raʼs al-ʻAyn"):
        assert store.search(query) == [names], query


def test_search_folds_a_hamza_typeset_as_a_quotation_mark_before_a_transliterated_word(store):
    """Typeset copy writes the hamza and ayn with quotation marks: "Ras al-Ayn" missed
    "Ra’s al-‘Ayn", its "’s" read as a contraction; English's stay as they are."""
    curly, straight, english = store.add_articles(
        [
            Article("Turkish forces took Ra’s al-‘Ayn. Saʿd’s men left."),
            Article("Sa'd al-'Ali spoke in Ra's al-'Ayn."),
            Article("Syria’s al-Qaeda affiliate said it’s over; don’t go."),
        ]
    ).ids
    assert store.search("Ras al-Ayn") == [curly, straight]
    assert store.search("Sad al-Ali") == [straight]
    assert store.search("Sad men") == [curly]  # a transliterated name's own possessive
    for query in ("Syrias", "its over", "dont"):
        assert store.search(query) == [], query
    assert sorted(store.search("Ra’s al-‘Ayn")) == [curly, straight]


def test_search_finds_words_as_shown_through_unseen_marks_alef_forms_and_chinese(store):
    """The window shows "Nyala", "denied", an Arabic name and a Chinese name's parts; FTS's
    words broke at the marks, kept the alef's hamza and took a Chinese run whole: nothing."""
    ids = store.add_articles(
        [
            Article("Fighting in Nya\u200bla; the army de\u00adnied it."),
            Article("Shelling near \u200eإدلب\u200e on Monday."),
            Article("据报道，缅甸民族民主同盟军 took the town."),
            Article("Plain text about Nyala's market."),
        ]
    ).ids
    assert store.search("Nyala") == [ids[3], ids[0]]  # FTS's first, then the text as shown
    assert store.search("Nyala fighting") == [ids[0]]
    (bare,) = store.add_articles([Article("قصف على ادلب")]).ids
    assert store.search("إدلب") == [ids[1], bare]  # the hamza's, then the bare alef's
    assert store.search("denied") == [ids[0]]
    assert store.search("ادلب") == [bare, ids[1]]  # the bare alef's first, by FTS
    assert store.search("民族") == [ids[2]]
    assert store.search("Omdurman") == []
    (later,) = store.add_articles([Article("Om\u200bdurman was quiet.")]).ids
    assert store.search("Omdurman") == [later]  # an article added since is looked at too
    store.set_article_title(bare, "Sa\u200bnaa and إِدْلِب")  # a title edited, vowel marks
    assert store.search("Sanaa") == [bare] and set(store.search("ادلب")) == {ids[1], bare}
