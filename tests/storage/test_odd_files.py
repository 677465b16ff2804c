"""Odd project files: read-only, in a read-only folder, another program's database, empty,
damaged, a full disk. Each gives one clear message; opening never writes; nothing already
saved is lost."""

import hashlib
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import Article, Span
from annotator.formats.importer import import_paths
from annotator.storage import (
    CorruptProject,
    DiskFull,
    NotAProject,
    ProjectGone,
    ReadOnlyProject,
    Store,
)

TEXT = "Government forces shelled Idlib, activists said."


def _project(path: Path) -> Path:
    with Store(path) as store:
        (article_id,) = store.add_articles([Article(TEXT, title="Idlib")]).ids
        store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))
    return path


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def read_only_folder(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)


def test_a_read_only_file_opens_read_only_and_writes_nothing(tmp_path):
    path = _project(tmp_path / "project.db")
    path.chmod(0o444)
    before = _fingerprint(tmp_path)
    with Store(path) as store:
        assert store.read_only and store.read_only_reason == "the file is read-only"
        assert store.spans(1, "ana") == [Span(26, 31, "LOCATION")]
        assert store.open_article(1, "ben") == []  # shown, not copied
        with pytest.raises(ReadOnlyProject, match="read-only.*nothing was saved"):
            store.add_span(1, "ana", Span(0, 17, "FACTION"))
        with pytest.raises(ReadOnlyProject):
            store.set_status(1, "ana", "done")
        store.add_active_time(1, "ana", 5.0)  # bookkeeping: silently not kept
    assert _fingerprint(tmp_path) == before  # no -wal, no -shm, not a byte changed


def test_a_project_in_a_read_only_folder_opens_read_only(read_only_folder):
    path = _project(read_only_folder / "project.db")
    read_only_folder.chmod(0o555)
    before = _fingerprint(read_only_folder)
    with Store(path) as store:
        assert store.read_only and "folder" in store.read_only_reason
        assert store.article(1).title == "Idlib"
        with pytest.raises(ReadOnlyProject):
            store.delete_span(1)
    assert _fingerprint(read_only_folder) == before


def test_no_project_can_be_started_in_a_read_only_folder(tmp_path, read_only_folder, capsys):
    read_only_folder.chmod(0o555)
    source = tmp_path / "a.txt"
    source.write_text("Rebels took Kidal.\n", encoding="utf-8")
    code = main(["import", str(read_only_folder / "new.db"), str(source), "--no-preannotate"])
    assert code == 1
    assert "cannot start a project here: its folder is read-only" in capsys.readouterr().err
    assert list(read_only_folder.iterdir()) == []


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_another_programs_database_is_refused_untouched(tmp_path, journal, capsys):
    path = tmp_path / "inventory.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA journal_mode={journal}")
        db.execute("CREATE TABLE items (name TEXT)")
        db.execute("INSERT INTO items VALUES ('rope')")
        db.commit()
    before = _fingerprint(tmp_path)
    with pytest.raises(NotAProject, match="an SQLite database, but not an annotator project"):
        Store(path)
    assert main(["stats", str(path)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert _fingerprint(tmp_path) == before  # still its journal mode, no -wal or -shm


def test_stats_on_an_empty_file_leaves_it_empty_and_import_starts_a_project(tmp_path, capsys):
    path = tmp_path / "empty.db"
    path.touch()
    assert main(["stats", str(path)]) == 1
    assert "an empty file, not a project" in capsys.readouterr().err
    assert path.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]
    with pytest.raises(NotAProject, match="empty file"):
        Store(path, create=False)
    source = tmp_path / "a.txt"
    source.write_text("Rebels took Kidal.\n", encoding="utf-8")
    assert main(["import", str(path), str(source), "--no-preannotate"]) == 0
    with Store(path) as store:
        assert store.article_count() == 1


def test_a_failed_import_into_an_empty_file_leaves_it_empty(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"title": "no text"}\n', encoding="utf-8")
    assert main(["import", str(path), str(bad), "--no-preannotate"]) == 1
    assert path.stat().st_size == 0


def _damage(path: Path) -> None:
    """Overwrite every page but the first (the schema) with garbage."""
    page = 4096
    data = bytearray(path.read_bytes())
    for offset in range(page, len(data), page):
        data[offset : offset + page] = b"\xa5" * page
    path.write_bytes(bytes(data))


def test_a_damaged_project_is_one_clear_message(tmp_path, capsys):
    path = _project(tmp_path / "project.db")
    _damage(path)
    with pytest.raises(CorruptProject, match="the project file is damaged"):
        Store(path)
    assert main(["stats", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "damaged" in err and "Traceback" not in err


def test_damage_found_while_reading_is_the_same_message(tmp_path):
    path = tmp_path / "project.db"
    with Store(path) as store:
        store.add_articles([Article(f"Article {i}: " + "text " * 2000) for i in range(20)])
    with closing(sqlite3.connect(path)) as db:  # where the last article's text lives
        pages = [
            row[0]
            for row in db.execute(
                "SELECT pageno FROM dbstat WHERE name = 'articles' ORDER BY pageno"
            )
        ]
    store = Store(path)
    try:
        data = bytearray(path.read_bytes())
        for page in pages[len(pages) // 2 :]:  # the table's later pages
            data[(page - 1) * 4096 : page * 4096] = b"\x00\xff" * 2048
        path.write_bytes(bytes(data))
        with pytest.raises(CorruptProject, match="damaged"):
            [article.text for article in store.iter_articles()]
    finally:
        store.close()


def _fill_the_disk(store: Store) -> None:
    """The database may not grow by a page: as on a full disk (SQLITE_FULL)."""
    (pages,) = store._db.execute("PRAGMA page_count").fetchone()
    store._db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_during_an_edit_is_a_message_and_loses_nothing(project_path):
    store = Store(project_path)
    (article_id,) = store.add_articles([Article(TEXT)]).ids
    saved = store.add_span(article_id, "ana", Span(26, 31, "LOCATION"))
    _fill_the_disk(store)
    with pytest.raises(DiskFull, match="the disk is full; the last change was not saved"):
        store.add_articles([Article("Long. " * 50_000)])
    with pytest.raises(DiskFull), store.transaction():
        for start in range(0, 40_000):
            store.add_span(article_id, "ana", Span(start % 40, start % 40 + 3, "FACTION"))
    assert store.spans(article_id, "ana") == [saved]
    store.close()
    with Store(project_path) as reopened:
        assert reopened.spans(article_id, "ana") == [saved]
        assert reopened.article_count() == 1


def test_a_full_disk_during_an_import_leaves_the_project_as_it_was(project_path, tmp_path):
    store = Store(project_path)
    store.add_articles([Article(TEXT)])
    source = tmp_path / "big.jsonl"
    source.write_text(
        "".join(f'{{"text": "Article {i}. {"word " * 3000}"}}\n' for i in range(20)),
        encoding="utf-8",
    )
    _fill_the_disk(store)
    with pytest.raises(DiskFull):
        import_paths(store, [source])
    assert store.article_count() == 1
    store.close()


def test_read_only_and_permissions_are_decided_by_the_files_mode(tmp_path):
    # Running as root, the system lets every file be written: the permission bits still
    # say what the owner meant.
    path = _project(tmp_path / "project.db")
    os.chmod(path, 0o400)
    with Store(path) as store:
        assert store.read_only
    os.chmod(path, 0o600)
    with Store(path) as store:
        assert not store.read_only


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_project_file_deleted_or_replaced_while_open_takes_no_more_writes(tmp_path, how):
    """SQLite would go on writing to the file it opened, which nobody could open again:
    every write is refused instead, with one clear message."""
    path = _project(tmp_path / "gone.db")
    store = Store(path)
    saved = store.spans(1, "ana")
    if how == "deleted":
        path.unlink()
    else:
        other = _project(tmp_path / "other.db")
        os.replace(other, path)
    with pytest.raises(ProjectGone, match="is no longer there .*nothing was saved"):
        store.add_span(1, "ana", Span(0, 10, "FACTION"))
    assert store.spans(1, "ana") == saved  # reading what was opened still works
    store.close()


def test_file_names_of_bytes_that_are_no_utf8_import_and_open(tmp_path, capsys):
    """A folder holding "art\\xff.txt" stopped the import with a traceback (SQLite refuses
    the name's lone surrogates), and a project named so could not be opened again."""
    if os.fsencode("\udcff") != b"\xff":
        pytest.skip("the file system's encoding keeps no such names")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / os.fsdecode(b"art\xff\xfe.txt")).write_text("Title\n\n" + TEXT, encoding="utf-8")
    project = tmp_path / os.fsdecode(b"new\xff.db")
    assert main(["import", str(project), str(folder), "--no-preannotate"]) == 0
    assert main(["stats", str(project)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    with Store(project) as store:
        (article,) = store.iter_articles()
        assert article.source == "art\ufffd\ufffd.txt"


def test_a_path_too_long_for_sqlite_is_said_in_words(tmp_path, capsys):
    """Over about 504 bytes SQLite cannot open the project or its -wal: a traceback ("unable
    to open database file"); a 253-byte name: "check the disk"."""
    deep = tmp_path.joinpath(*["d" * 100] * 5)
    deep.mkdir(parents=True)
    source = tmp_path / "a.txt"
    source.write_text("Title\n\n" + TEXT, encoding="utf-8")
    assert main(["import", str(deep / "p.db"), str(source)]) == 1
    err = capsys.readouterr().err
    assert "the path is too long for SQLite" in err and "Traceback" not in err
    assert main(["import", str(tmp_path / ("n" * 250 + ".db")), str(source)]) == 1
    assert "the file name is too long" in capsys.readouterr().err
    assert not any(deep.iterdir())


def test_a_project_on_a_full_disk_opens_read_only_to_be_exported(tmp_path, monkeypatch):
    """With no byte free, reading a WAL project failed for want of its -shm: "disk I/O
    error, check the disk", and the work could not even be exported to another disk.
    (Measured on a full tmpfs; here SQLite's failure is played by a stand-in.)"""
    from annotator.storage import ProjectIOError, opening

    project = _project(tmp_path / "p.db")
    real = opening.new_connection

    def no_room(target, path, uri=False, **kwargs):
        if not uri:  # the writable connection: no -shm can be made
            Path(f"{path}-shm").write_bytes(b"\0\0\0")  # as SQLite leaves it
            raise ProjectIOError(f"{path}: disk I/O error")
        return real(target, path, uri, **kwargs)

    monkeypatch.setattr(opening, "new_connection", no_room)
    monkeypatch.setattr(opening, "disk_full", lambda path: True)
    monkeypatch.setattr("annotator.storage.open_files.disk_full", lambda path: True)
    with Store(project) as store:
        assert store.read_only_reason == "the disk is full"
        assert [a.title for a in store.iter_articles()] == ["Idlib"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db"]  # no -shm left
