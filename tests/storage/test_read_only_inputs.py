"""Files that must only be read: a read-only project whose last writer died (its changes
still in ``-wal``, no ``-shm``), and ``annotator merge``'s inputs (read-only, in a read-only
folder or medium, another program's database). Each is read, or refused with a message
naming it, and stays byte for byte as it was, with nothing left beside it."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from annotator.core import Article, Span
from annotator.review.merge import merge_projects
from annotator.storage import NotAProject, ReadOnlyProject, Store

TEXT = "Government forces shelled Idlib, activists said."

#: A writer that commits a span and dies without closing: its changes stay in the -wal.
_KILLED_WRITER = """
import os, sys
from annotator.core import Span
from annotator.storage import Store
store = Store(sys.argv[1])
store._db.execute("PRAGMA wal_autocheckpoint=0")
store.add_span(1, "ana", Span(0, 10, "FACTION"))
os._exit(0)
"""


def _project(path: Path, name: str = "ana") -> Path:
    with Store(path) as store:
        (article_id,) = store.add_articles([Article(TEXT, title="Idlib")]).ids
        store.add_span(article_id, name, Span(26, 31, "LOCATION"))
    return path


def _stranded(path: Path) -> Path:
    """A project whose latest span is only in its -wal, with no -shm beside it."""
    _project(path)
    subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(path)], check=True)
    Path(f"{path}-shm").unlink()  # gone with a reboot, or never copied along
    assert Path(f"{path}-wal").stat().st_size > 0
    return path


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _copies_left() -> list[str]:
    return [n for n in os.listdir(tempfile.gettempdir()) if n.startswith("annotator-read-only-")]


@pytest.fixture
def shared(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)


def test_a_read_only_project_with_changes_in_its_wal_is_read_whole_and_left_as_it_was(shared):
    path = _stranded(shared / "project.db")
    path.chmod(0o444)  # the folder stays writable: SQLite would create a -shm there
    before = _fingerprint(shared)
    copies = _copies_left()
    with Store(path) as store:
        assert store.read_only and store.read_only_reason == "the file is read-only"
        assert store.spans(1, "ana") == [Span(0, 10, "FACTION"), Span(26, 31, "LOCATION")]
        with pytest.raises(ReadOnlyProject, match="nothing was saved"):
            store.add_span(1, "ana", Span(11, 17, "FACTION"))
    assert _fingerprint(shared) == before  # no -shm made, no byte changed
    assert _copies_left() == copies  # the temporary copy went with the store


def test_a_read_only_project_named_in_other_bytes_than_utf8_is_read_from_its_copy(shared):
    """Quoting the copy's name for SQLite failed on bytes that are no UTF-8 (a traceback,
    and a copy of the whole project left in the temporary folder at each try)."""
    path = _stranded(shared / os.fsdecode(b"caf\xe9.db"))
    path.chmod(0o444)
    copies = _copies_left()
    with Store(path) as store:
        assert len(store.spans(1, "ana")) == 2
    assert _copies_left() == copies


def test_the_same_project_in_a_read_only_folder_is_read_whole(shared):
    path = _stranded(shared / "project.db")
    shared.chmod(0o555)
    before = _fingerprint(shared)
    with Store(path) as store:
        assert "folder" in store.read_only_reason
        assert len(store.spans(1, "ana")) == 2
    assert _fingerprint(shared) == before


def test_merge_reads_read_only_inputs_without_leaving_anything_beside_them(tmp_path, shared):
    plain = _project(shared / "plain.db", "ben")
    plain.chmod(0o444)
    stranded = _stranded(shared / "stranded.db")
    stranded.chmod(0o444)
    before = _fingerprint(shared)
    out = tmp_path / "out.db"
    report = merge_projects(out, [plain, stranded])
    assert report.articles_added == 1
    assert _fingerprint(shared) == before
    with Store(out) as store:
        assert store.spans(1, "ana") == [Span(0, 10, "FACTION"), Span(26, 31, "LOCATION")]
        assert store.spans(1, "ben") == [Span(26, 31, "LOCATION")]


def test_merge_inputs_in_a_read_only_folder_are_read(tmp_path, shared):
    _project(shared / "ana.db")
    shared.chmod(0o555)
    before = _fingerprint(shared)
    merge_projects(tmp_path / "out.db", [shared / "ana.db"])
    assert _fingerprint(shared) == before


def test_a_writable_input_with_changes_in_its_wal_is_not_checkpointed(tmp_path, shared):
    stranded = _stranded(shared / "stranded.db")
    before = _fingerprint(shared)
    merge_projects(tmp_path / "out.db", [stranded])
    assert _fingerprint(shared) == before  # its -wal is still its own, the file unchanged
    with Store(tmp_path / "out.db") as store:
        assert len(store.spans(1, "ana")) == 2


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_merge_refuses_another_programs_database_untouched(tmp_path, shared, journal):
    path = shared / "inventory.db"
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA journal_mode={journal}")
        db.execute("CREATE TABLE items (name TEXT)")
        db.commit()
    empty = shared / "empty.db"
    empty.touch()
    before = _fingerprint(shared)
    out = tmp_path / "out.db"
    with pytest.raises(NotAProject, match="inventory.db: an SQLite database, but not an annot"):
        merge_projects(out, [path])
    with pytest.raises(NotAProject) as refused:
        merge_projects(out, [empty])
    assert str(refused.value) == f"{empty}: not an annotator project (an empty file, not a project)"
    assert _fingerprint(shared) == before
    assert not out.exists()


@contextmanager
def _tmpfs(folder: Path):
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "none", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a tmpfs needs root (a read-only medium)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_project_on_a_read_only_medium_with_changes_in_its_wal_is_read(tmp_path):
    with _tmpfs(tmp_path / "medium") as medium:
        path = _stranded(medium / "project.db")
        subprocess.run(["mount", "-o", "remount,ro", str(medium)], check=True)
        before = _fingerprint(medium)
        with Store(path) as store:
            assert store.read_only_reason == "the disk is read-only"
            assert len(store.spans(1, "ana")) == 2
        merge_projects(tmp_path / "out.db", [path])
        assert _fingerprint(medium) == before
        with Store(tmp_path / "out.db") as store:
            assert len(store.spans(1, "ana")) == 2


def _older(path: Path) -> Path:
    """A project as the version before the last migration left it."""
    _project(path)
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("DROP TABLE assignments")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = '0011_assignments'")
    return path


def test_a_read_only_project_of_an_older_version_is_read_from_an_upgraded_copy(shared):
    """It could not be opened at all ("open it once where it can be written")."""
    from annotator.cli import main

    path = _older(shared / "project.db")
    path.chmod(0o444)
    before, copies = _fingerprint(shared), _copies_left()
    with Store(path) as store:
        assert store.read_only and "made by an older version" in store.read_only_reason
        assert store.spans(1, "ana") == [Span(26, 31, "LOCATION")]
        assert store.assigned_articles("ana") == []  # the new table, in the copy
    assert main(["stats", str(path)]) == 0
    assert _fingerprint(shared) == before  # no -wal, -shm or .bak beside it
    assert _copies_left() == copies


def test_reading_a_read_only_project_leaves_nothing_beside_it(shared, capsys):
    """The check for an upgrade, before every open, left a -wal and a -shm."""
    from annotator.cli import main

    path = _project(shared / "project.db")
    path.chmod(0o444)
    before = _fingerprint(shared)
    assert main(["stats", str(path)]) == 0
    assert _fingerprint(shared) == before


def test_an_upgrade_with_no_room_for_its_copy_reads_the_project_and_leaves_no_copy(
    tmp_path, monkeypatch
):
    """The disk had room for the project but not for the copy kept before upgrading it: "the
    last change was not saved", an empty .bak left per attempt, and nothing could be read."""
    from annotator.storage import connections

    path = _older(tmp_path / "project.db")
    before = _fingerprint(tmp_path)
    real_backup = connections.backup

    def no_room(connection, target):
        if target.parent != tmp_path:
            return real_backup(connection, target)  # the temporary copy, elsewhere
        target.write_bytes(b"")  # as SQLite leaves the copy it began

        class Full(sqlite3.OperationalError):
            sqlite_errorcode = 13  # SQLITE_FULL

        try:
            raise Full("database or disk is full")
        finally:
            target.unlink()  # (what ``backup`` now does on failure)

    monkeypatch.setattr(connections, "backup", no_room)
    with Store(path) as store:
        assert "no room to upgrade it: a copy of" in store.read_only_reason
        assert store.spans(1, "ana") == [Span(26, 31, "LOCATION")]
    assert _fingerprint(tmp_path) == before


def test_an_upgrade_that_fails_after_its_copy_leaves_no_copy_and_says_no_upgrade(tmp_path, capsys):
    """On a nearly full disk the copy aside fit and the upgrade did not: "upgraded to this
    version's format" was said, and the .bak kept the last free room, so that every later
    command opened the project read-only."""
    from annotator.cli import main
    from annotator.storage import connections

    path = _older(tmp_path / "project.db")
    real_apply = connections.migrations.apply

    def full(db):
        (_, _, file), *_ = db.execute("PRAGMA database_list").fetchall()
        if Path(file).parent == tmp_path:  # the project; its temporary copy upgrades

            class Full(sqlite3.OperationalError):
                sqlite_errorcode = 13  # SQLITE_FULL

            raise Full("database or disk is full")
        return real_apply(db)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connections.migrations, "apply", full)
        assert main(["stats", str(path)]) == 0
    err = capsys.readouterr().err
    assert "upgraded" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.db"]


def test_a_copy_aside_that_fails_is_removed(tmp_path):
    from annotator.storage.connections import backup

    class Failing:
        def backup(self, destination):
            destination.execute("CREATE TABLE half (x)")
            raise sqlite3.OperationalError("database or disk is full")

    with pytest.raises(sqlite3.OperationalError):
        backup(Failing(), tmp_path / "p.db.before-0011_assignments.bak")
    assert list(tmp_path.iterdir()) == []


def test_a_copy_that_cannot_be_made_is_said_and_leaves_no_folder(shared, monkeypatch):
    from annotator.storage import read_only

    stranded = _stranded(shared / "stranded.db")
    stranded.chmod(0o444)
    older = _older(shared / "older.db")
    older.chmod(0o444)
    copies = _copies_left()

    def no_room(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(read_only.shutil, "copyfile", no_room)
    with pytest.raises(ReadOnlyProject) as refused:
        Store(stranded)
    said = str(refused.value)
    assert "stranded.db-wal could not be read from a temporary copy" in said
    assert "No space left on device" in said and "{error}" not in said
    monkeypatch.setattr(read_only, "backup", lambda *_: no_room())
    with pytest.raises(ReadOnlyProject, match=r"an up-to-date copy could not be made .*No space"):
        Store(older)
    assert _copies_left() == copies


def test_merging_an_older_input_with_no_room_for_its_copy_blames_the_temporary_folder(
    tmp_path, monkeypatch
):
    """A full TMPDIR said "older.db: the disk is full; the last change was not saved",
    of an input nothing was saved to, on a disk with room."""
    import errno

    from annotator.storage import merge_reading

    older = _older(tmp_path / "older.db")

    def no_room(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(
        merge_reading, "Store", no_room
    )  # the copy's upgrade, in the temporary folder
    with pytest.raises(merge_reading.StorageError) as error:
        merge_reading.read_project(older)
    message = str(error.value)
    assert message.startswith(f"{older}: made by an older version, it is read from an upgraded")
    assert "temporary folder" in message and "TMPDIR" in message
