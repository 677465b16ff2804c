"""Several programs on one project file: writes wait for each other instead of failing."""

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from annotator.core import Article, Span
from annotator.storage import ProjectBusy, Store, connections

TEXT = "Government forces shelled Idlib, activists said."


@pytest.fixture
def project(project_path):
    with Store(project_path) as store:
        store.add_articles([Article(TEXT)])
    return project_path


def _hold_write_lock(path, seconds: float, locked: threading.Event) -> threading.Thread:
    """Another program writing: it holds the write lock for ``seconds``, then commits."""

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO settings (key, value) VALUES ('other', 'program')")
        locked.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    return thread


def test_an_edit_waits_for_another_programs_write_and_succeeds(project):
    locked = threading.Event()
    with Store(project) as store:
        thread = _hold_write_lock(project, 0.5, locked)
        locked.wait()
        started = time.monotonic()
        span = store.add_span(1, "ana", Span(26, 31, "LOCATION"))
        waited = time.monotonic() - started
        thread.join()
        assert store.spans(1, "ana") == [span]
        assert store.setting("other") == "program"  # the other write is there too
    assert waited >= 0.3  # it waited for the lock rather than failing


def test_a_transaction_that_reads_before_it_writes_waits_too(project):
    # With a plain BEGIN, the read below took a snapshot that the other program's commit made
    # stale, and SQLite refused the write at once ("database is locked") without waiting.
    locked = threading.Event()
    with Store(project) as store:
        thread = _hold_write_lock(project, 0.5, locked)
        locked.wait()
        with store.transaction():
            before = store.spans(1, "ana")
            store.add_span(1, "ana", Span(0, 17, "FACTION"))
        thread.join()
        assert before == [] and len(store.spans(1, "ana")) == 1


def test_two_annotators_editing_at_once_lose_nothing(project):
    errors: list[BaseException] = []

    def annotate(name: str) -> None:
        try:
            with Store(project) as store:
                for i in range(60):
                    with store.transaction():  # read, then write: as undo commands do
                        spans = store.spans(1, name)
                        if spans and i % 3 == 0:
                            store.delete_span(spans[0].id, expected=spans[0])
                        else:
                            label = "LOCATION" if i < 40 else "FACTION"  # never a twin
                            store.add_span(1, name, Span(i % 40, i % 40 + 5, label))
                    store.set_status(1, name, "in_progress")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=annotate, args=(name,)) for name in ("ana", "ben")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store(project) as store:
        for name in ("ana", "ben"):
            added = sum(e["action"] == "add_span" for e in store.events(1, name))
            deleted = sum(e["action"] == "delete_span" for e in store.events(1, name))
            assert (added, deleted) == (41, 19)  # every edit of the 60 is there
            assert len(store.spans(1, name)) == added - deleted


def test_a_lock_held_past_the_timeout_is_a_message_and_nothing_is_written(project, monkeypatch):
    monkeypatch.setattr(connections, "BUSY_TIMEOUT_MS", 300)
    locked = threading.Event()
    with Store(project) as store:
        thread = _hold_write_lock(project, 1.5, locked)
        locked.wait()
        with pytest.raises(ProjectBusy, match="another program is writing to .*project.db"):
            store.add_span(1, "ana", Span(26, 31, "LOCATION"))
        thread.join()
        assert store.spans(1, "ana") == [] and store.events(1) == []
        store.add_span(1, "ana", Span(26, 31, "LOCATION"))  # and it works again afterwards


def _another_process_reads_and_closes(path) -> None:
    import subprocess
    import sys

    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('SELECT COUNT(*) FROM articles').fetchone(); c.close()"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)


def test_a_second_store_in_one_process_keeps_the_firsts_locks(project):
    """Opening the project again in the same process (a background task, the agreement
    view) read its header with Python's open(); closing that descriptor dropped every
    POSIX lock the process held on the file, SQLite's too: another process closing its
    connection then took itself for the last one, checkpointed and deleted the -wal under
    the window, whose later edits no other program saw."""
    wal = project.with_name(project.name + "-wal")
    with Store(project) as window:
        window.article_count()
        assert wal.exists()
        with Store(project) as task:
            task.article_count()
        _another_process_reads_and_closes(project)
        assert wal.exists()  # the window's connection is still seen
        window.set_setting("edited", "yes")
        other = sqlite3.connect(project)
        assert other.execute("SELECT value FROM settings WHERE key = 'edited'").fetchone() == (
            "yes",
        )
        other.close()


def test_importing_the_open_project_file_itself_is_refused_unread(project):
    """The window's File → Import can be pointed at the project file: reading it would
    drop the window's locks on it."""
    from annotator.formats.base import FormatError
    from annotator.formats.importer import import_paths

    with Store(project) as window:
        with pytest.raises(FormatError, match="a project open in this program"):
            import_paths(window, [project])
        assert window.article_count() == 1
        window.set_setting("edited", "yes")  # its -wal and -shm are there now
        for companion in ("-wal", "-shm"):  # the -shm's lock went with "project.db-shm"
            path = Path(f"{project}{companion}")
            assert path.exists()
            with pytest.raises(FormatError, match="a project open in this program"):
                import_paths(window, [path])
