"""An export that has something to list still writes, and one that fails leaves nothing."""

from __future__ import annotations

import os
import stat

import pytest

from annotator.core.errors import Cancelled
from annotator.core.model import Article, Label, Span
from annotator.formats.exporter import export_project
from annotator.storage import Store


@pytest.fixture
def listed(store: Store) -> Store:
    """A finished article with a label brat cannot hold and a claim ending on a line break."""
    store.save_label(Label("ARMED GROUP"))
    (article_id,) = store.add_articles([Article("Rebels took Kidal.\nThen Gao fell.")]).ids
    store.replace_spans(article_id, "ana", [Span(0, 6, "ARMED GROUP"), Span(12, 19, "CLAIM")])
    store.set_status(article_id, "ana", "done")
    return store


def test_brat_export_with_a_report_to_list_writes_the_folder_and_the_list(listed, tmp_path):
    out = tmp_path / "collection"
    report = export_project(listed, out, "brat")
    assert sorted(p.name for p in out.iterdir()) == [
        "annotation.conf",
        "article-0000001.ann",
        "article-0000001.txt",
        "omitted.tsv",
    ]
    assert report.omissions_path == out / "omitted.tsv"
    assert "brat labels cannot contain spaces" in (out / "omitted.tsv").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["collection"]  # nothing else


def test_brat_export_into_an_existing_empty_folder(listed, tmp_path):
    out = tmp_path / "collection"
    out.mkdir()
    export_project(listed, out, "brat")
    assert (out / "omitted.tsv").exists() and (out / "article-0000001.ann").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["collection"]


@pytest.mark.parametrize("format_name", ["brat", "jsonl", "labelstudio", "conll", "spacy"])
def test_a_cancelled_export_leaves_nothing(listed, tmp_path, format_name):
    def cancel(done: int, total: int) -> None:
        if done:
            raise Cancelled

    with pytest.raises(Cancelled):
        export_project(listed, tmp_path / "out", format_name, progress=cancel)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("format_name", ["jsonl", "doccano", "conll", "labelstudio", "spacy"])
def test_an_export_never_writes_over_the_project(tmp_path, format_name):
    """`export X.db X.db` once wrote JSON Lines over the project and reported success."""
    from annotator.formats.export_choice import ExportError

    path = tmp_path / "X.db"
    with Store(path) as store:
        (article,) = store.add_articles([Article("Rebels took Kidal.")]).ids
        store.replace_spans(article, "ana", [Span(12, 17, "LOCATION")])
        store.set_status(article, "ana", "done")
    before = path.read_bytes()
    with Store(path) as store:
        for out in (path, tmp_path / "sub" / ".." / "X.db", tmp_path / "X.db-wal"):
            (tmp_path / "sub").mkdir(exist_ok=True)
            with pytest.raises(ExportError, match="one of the project's own files"):
                export_project(store, out, format_name, annotator="ana")
        with pytest.raises(ExportError, match="one of the project's own files"):
            export_project(store, tmp_path / "X.models", format_name, split=(0.5, 0.5))
    assert path.read_bytes() == before
    with Store(path) as store:
        assert store.article_count() == 1


def test_a_full_disk_is_said_of_the_export_and_leaves_nothing(listed, tmp_path, monkeypatch):
    """It said only "No space left on device", naming no file."""
    import errno

    import annotator.formats.exporter as exporter
    from annotator.formats.export_choice import ExportError

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exporter, "write_batches", full)
    out = tmp_path / "dataset.jsonl"
    with pytest.raises(ExportError, match="dataset.jsonl: No space left on device; nothing was"):
        export_project(listed, out, "jsonl", workers=0)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "format_name", ["jsonl", "conll", "brat", "spacy", "labelstudio", "doccano"]
)
def test_an_export_of_nothing_keeps_an_earlier_dataset(tmp_path, format_name):
    """With no article to export (none done) it wrote an empty file over the last one."""
    with Store() as store:
        store.add_articles([Article("Rebels took Kidal.")])
        out = tmp_path / ("earlier" if format_name == "brat" else f"earlier.{format_name}")
        if format_name == "brat":
            out.mkdir()  # an empty folder: brat writes into it
        else:
            out.write_text("the dataset of yesterday\n")
        report = export_project(store, out, format_name)
    assert report.article_count == 0 and not report.written
    # (the file is no export: "what is there is an earlier export" was said of any)
    there = "folder already there is" if format_name == "brat" else "file already there is"
    assert report.summary_lines()[0] == (
        f"nothing written: no article to export to {out}: the {there} left as it was"
    )
    assert report.notes == ["only articles marked done are exported: --status NAME picks "
                            "another status, --status all every article"]  # fmt: skip
    if format_name == "brat":
        assert out.is_dir() and not any(out.iterdir())
    else:
        assert out.read_text() == "the dataset of yesterday\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no leftovers


def test_a_split_of_nothing_says_the_files_there_are_left(tmp_path):
    with Store() as store:
        store.add_articles([Article("Rebels took Kidal.")])
        out = tmp_path / "splits"
        out.mkdir()
        for name in ("train.jsonl", "dev.jsonl"):
            (out / name).write_text('{"old":1}\n')
        report = export_project(store, out, "jsonl", split=(0.5, 0.5))
    assert report.summary_lines()[0].endswith(": the files already there are left as they were")


def test_a_brat_split_of_nothing_names_its_folders_as_folders(tmp_path):
    with Store() as store:
        store.add_articles([Article("Rebels took Kidal.")])
        out = tmp_path / "splits"
        for name in ("train", "dev"):
            (out / name).mkdir(parents=True)
            (out / name / "old.txt").write_text("yesterday\n")
        report = export_project(store, out, "brat", split=(0.5, 0.5))
    assert report.summary_lines()[0].endswith(": the folders already there are left as they were")
    assert (out / "train" / "old.txt").read_text() == "yesterday\n"


def test_a_full_disk_during_a_conll_export_still_names_it_and_cleans_up(
    listed, tmp_path, monkeypatch
):
    """CoNLL's discard flushed again into the full disk: that second error hid the message
    and left the hidden partial file, which kept the disk full."""
    import errno

    import annotator.formats.conll as conll
    import annotator.formats.exporter as exporter
    from annotator.formats.export_choice import ExportError

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(exporter, "_write_items", full)
    monkeypatch.setattr(conll.ConllWriter, "discard", full)
    with pytest.raises(ExportError, match="out.conll: No space left on device"):
        export_project(listed, tmp_path / "out.conll", "conll")
    assert list(tmp_path.iterdir()) == []


def test_an_export_to_a_symbolic_link_writes_through_it_and_keeps_the_link(listed, tmp_path):
    """The link was renamed over: it became a file, and the file it named kept the old
    dataset."""
    real = tmp_path / "real.jsonl"
    real.write_text("OLD\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    export_project(listed, link, "jsonl")
    assert link.is_symlink() and link.resolve() == real
    assert '"Rebels took Kidal.' in real.read_text()


def test_an_export_to_a_pipe_is_refused_and_writes_nothing(listed, tmp_path):
    """A pipe (``/dev/stdout`` piped, ``>(gzip)``) was renamed over as root, or named a
    ``.63.partial`` file that could not be."""
    from annotator.formats.export_choice import ExportError

    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(ExportError, match="a pipe, a terminal or a device"):
        export_project(listed, fifo, "jsonl")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe.jsonl"]


@pytest.mark.parametrize("format_name", ["jsonl", "spacy"])
def test_a_split_in_fewer_parts_refuses_a_part_it_would_not_write(listed, tmp_path, format_name):
    """Train / dev / test, then train / dev into the same folder: the old test file stayed,
    with articles now in train. (Removed, it may be a file of the user's: refused, named.)"""
    from annotator.formats.export_choice import ExportError

    out = tmp_path / "splits"
    export_project(listed, out, format_name, split=(0.4, 0.3, 0.3))
    suffix = ".jsonl" if format_name == "jsonl" else ".spacy"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(ExportError, match=f"holds test{suffix}, which a split in 2 parts"):
        export_project(listed, out, format_name, split=(0.9, 0.1))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing touched


def test_a_split_part_that_is_a_link_is_written_through(listed, tmp_path):
    real = tmp_path / "elsewhere"
    real.mkdir()
    out = tmp_path / "splits"
    out.mkdir()
    (out / "dev.jsonl").symlink_to(real / "dev.jsonl")
    export_project(listed, out, "jsonl", split=(0.5, 0.5))
    assert (out / "dev.jsonl").is_symlink() and (real / "dev.jsonl").is_file()


def test_standard_output_is_refused_not_renamed_over(listed, tmp_path):
    """`export X /dev/stdout >> file`: the file was renamed over, losing what it held and
    the report printed to it."""
    from annotator.formats.export_choice import ExportError

    stdout = tmp_path / "out.jsonl"
    stdout.symlink_to("/dev/stdout")
    with pytest.raises(ExportError, match="a file descriptor of this command"):
        export_project(listed, stdout, "jsonl")


def test_a_folder_that_cannot_be_written_is_said_of_the_users_path(listed, tmp_path, monkeypatch):
    """It said "ex/.nob.jsonl.partial: Permission denied", a name the user never gave."""
    import dataclasses

    from annotator.formats import exporter
    from annotator.formats.export_choice import ExportError

    def refused(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    real = exporter.export_format

    def unwritable(name):
        return dataclasses.replace(real(name), write=refused)

    monkeypatch.setattr(exporter, "export_format", unwritable)
    out = tmp_path / "nob.jsonl"
    with pytest.raises(ExportError) as refusal:
        export_project(listed, out, "jsonl")
    assert str(refusal.value) == f"{out}: Permission denied; nothing was written"


def test_split_parts_linked_to_one_file_are_refused_and_the_file_kept(listed, tmp_path):
    """Both parts went into one file: the user's file was lost, with an error about a
    temporary name."""
    from annotator.formats.export_choice import ExportError

    same = tmp_path / "same.jsonl"
    same.write_text("userdata\n")
    out = tmp_path / "splits"
    out.mkdir()
    for part in ("train.jsonl", "dev.jsonl"):
        (out / part).symlink_to(same)
    with pytest.raises(ExportError, match="two parts lead to the same file"):
        export_project(listed, out, "jsonl", split=(0.5, 0.5))
    assert same.read_text() == "userdata\n"


def test_a_loop_of_links_is_refused_in_one_line(listed, tmp_path):
    """A traceback (RuntimeError: Symlink loop), in the window "Unexpected error"."""
    from annotator.formats.export_choice import ExportError

    (tmp_path / "a.jsonl").symlink_to(tmp_path / "b.jsonl")
    (tmp_path / "b.jsonl").symlink_to(tmp_path / "a.jsonl")
    with pytest.raises(ExportError, match="lead round in a loop"):
        export_project(listed, tmp_path / "a.jsonl", "jsonl")


def test_standard_output_reached_through_a_linked_folder_is_refused(listed, tmp_path):
    """`fdd/1`, `fdd` a link to /dev/fd, passed the check of the path as text."""
    from annotator.formats.export_choice import ExportError

    (tmp_path / "fdd").symlink_to("/dev/fd")
    with pytest.raises(ExportError, match="a file descriptor of this command"):
        export_project(listed, tmp_path / "fdd" / "1", "jsonl")


def test_the_list_of_omissions_is_removed_when_its_flush_fails_on_a_full_disk(listed, tmp_path):
    """Its close raised ENOSPC and the removal after it never ran: a hidden
    .OUT.omitted.tsv.partial stayed, keeping the disk full."""
    import errno

    from annotator.formats.base import Omission
    from annotator.formats.export_report import ExportReport, OmissionLog

    path = tmp_path / ".out.conll.omitted.tsv.partial"
    log = OmissionLog(ExportReport("conll"), path)
    log.add(Omission(1, "Kidal", Span(0, 6, "ARMED GROUP"), "Rebels", "no spaces in tags"))
    real = log.file

    class Full:
        def close(self):
            real.close()
            raise OSError(errno.ENOSPC, "No space left on device")

    log.file = Full()
    with pytest.raises(OSError):
        log.discard()
    assert not path.exists()


def test_an_export_keeps_the_mode_of_the_file_it_replaces_and_refuses_a_read_only_one(
    listed, tmp_path
):
    """A group-writable dataset became the exporter's alone at each export (664 to 644);
    one its owner made read-only was replaced without a word."""
    out = tmp_path / "team.jsonl"
    out.write_text("yesterday\n")
    out.chmod(0o664)
    export_project(listed, out, "jsonl")
    assert stat.S_IMODE(out.stat().st_mode) == 0o664 and out.read_text() != "yesterday\n"
    out.chmod(0o444)
    before = out.read_text()
    from annotator.formats.export_choice import ExportError

    with pytest.raises(ExportError, match="team.jsonl is read-only: nothing was written"):
        export_project(listed, out, "jsonl")
    assert out.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def _living(pid: int) -> bool:
    """Whether process ``pid`` runs (not a zombie), by /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat_file:
            return stat_file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _descendants(pid: int) -> list[int]:
    """The processes ``pid`` started, and theirs, by /proc (a fork server's workers)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat_file:
                fields = stat_file.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc (Linux)")
@pytest.mark.parametrize("threads", [False, True], ids=["command line", "window"])
def test_an_export_killed_outright_takes_its_workers_with_it(tmp_path, threads):
    """`kill -9` of an export left its two workers waiting on their pipe for good, each
    holding the project open (eight of them after four kills); from the window (another
    thread running: a fork server starts them), the fork server and its resource tracker
    too."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import threading, time\n"
        "from annotator.formats.parallel import run_in_order\n"
        + ("threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n" * threads)
        + "list(run_in_order(time.sleep, [60, 60], workers=2))\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path)
    deadline = time.monotonic() + 60
    while len(started := _descendants(parent.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # (settled: their first job begun)
    started = _descendants(parent.pid)
    assert len(started) >= 2
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(map(_living, started)):
        time.sleep(0.1)
    left = [pid for pid in started if _living(pid)]
    for pid in left:  # (not to leave them behind when the test fails)
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_a_split_of_nothing_names_the_parts_already_there(tmp_path):
    with Store() as store:
        store.add_articles([Article("Rebels took Kidal.")])
        out = tmp_path / "splits"
        out.mkdir()
        (out / "train.jsonl").write_text('{"old":1}\n')
        report = export_project(store, out, "jsonl", split=(0.8, 0.1, 0.1))
    assert report.summary_lines()[0].endswith(": train.jsonl, already there, is left as it was")
