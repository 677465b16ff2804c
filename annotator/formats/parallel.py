"""Export jobs run in worker processes while this process writes their results in order.

A job reads a range of articles from the project and encodes them (``exporter``); the
results are taken in the order the jobs were given, so the files are byte for byte what one
process writes. A worker writes its bytes into the output itself, at the place the jobs
before it leave: it can as soon as they have told their sizes (they almost always have,
being older), and nobody ever waits for anybody. Otherwise, and for outputs a writer must
rework (DocBin's parts), the worker leaves its bytes in a scratch file beside the output
for this process to copy (tens of megabytes go through a pipe more slowly than they are
made). At most ``2 * workers`` jobs are under way, so memory stays flat; stopping early (a
cancel) stops the workers and removes the scratch files.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from annotator.formats.base import EncodedBatch

#: Exports of fewer articles run in this process: starting workers takes a moment.
MIN_ARTICLES = 5_000
#: Each worker holds a batch being encoded (some 60 MB for a JSON Lines batch).
MAX_WORKERS = 4


class Result(Protocol):
    """What a job returns: encoded parts (output name, bytes) and anything else picklable."""

    parts: list[tuple[str, EncodedBatch]]


Job = TypeVar("Job")
R = TypeVar("R", bound=Result)


def default_workers(articles: int) -> int:
    """Workers worth starting for an export of about ``articles`` articles (0: none)."""
    cpus = os.cpu_count() or 1
    return min(cpus, MAX_WORKERS) if cpus > 1 and articles >= MIN_ARTICLES else 0


def run_in_order(
    run: Callable[[Job], R],
    jobs: Sequence[Job],
    workers: int = 0,
    scratch_beside: Path | None = None,
    outputs: Mapping[str, Path] | None = None,
) -> Iterator[R]:
    """``run(job)`` for each job, in order; in ``workers`` processes if more than 0.

    ``run`` must then be picklable (a module-level function). Parts named in ``outputs``
    are appended to those files (job after job) and come back ``written``; the bytes of
    other parts are left in a scratch file (``EncodedBatch.stored``) until the next result
    is asked for.
    """
    if workers <= 0:
        yield from map(run, jobs)
        return
    outputs = dict(outputs or {}) if hasattr(os, "pwrite") else {}  # not on Windows
    context = _context()
    places = _Places.create(context, list(outputs), len(jobs))
    folder = Path(tempfile.mkdtemp(prefix=".export-", dir=scratch_beside))
    free = [str(folder / str(slot)) for slot in range(2 * workers)]
    pending: deque[tuple[str, Future[R]]] = deque()
    files = {name: os.open(path, os.O_WRONLY) for name, path in outputs.items()}
    placed = dict.fromkeys(outputs, 0)  # where the next job's part of each output goes
    pool = ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(places, outputs, os.getpid()),
    )
    try:
        for index, job in enumerate(jobs):
            if not free:
                yield from _oldest(pending, free, files, placed)
            scratch = free.pop()
            pending.append((scratch, pool.submit(_run_to, run, job, index, scratch)))
        while pending:
            yield from _oldest(pending, free, files, placed)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for fd in files.values():
            os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)


def _oldest(
    pending: deque[tuple[str, Future[R]]],
    free: list[str],
    files: dict[str, int],
    placed: dict[str, int],
) -> Iterator[R]:
    """The oldest result, its parts for the outputs in place; then its scratch file is free
    for another job."""
    scratch, future = pending.popleft()
    result = future.result()
    for name, encoded in result.parts:
        if name not in files:
            continue
        size = encoded.size
        if encoded.stored is not None:  # the worker could not place it
            _copy_range(*encoded.stored, files[name], placed[name])
            encoded.stored, encoded.written = None, size
        placed[name] += size
    yield result
    free.append(scratch)


@dataclass
class _Places:
    """Where each job's part of each output goes, shared by the workers: known once every
    job before it has told the size of its parts."""

    names: list[str]
    lock: Any
    sizes: list[Any]  # per output: each job's size
    offsets: list[Any]  # per output: each job's place (-1 until known), and the end
    told: Any  # per job: 1 once its sizes are in
    known: Any  # the jobs whose places are known: the first ``known.value + 1``

    @classmethod
    def create(cls, context: Any, names: list[str], jobs: int) -> _Places:
        offsets = [context.RawArray("q", [0] + [-1] * jobs) for _ in names]
        return cls(
            names,
            context.Lock(),
            [context.RawArray("q", jobs) for _ in names],
            offsets,
            context.RawArray("b", jobs),
            context.RawValue("q", 0),
        )

    def tell(self, job: int, sizes: dict[str, int]) -> dict[str, int] | None:
        """Record the sizes of a job's parts; their places, if known."""
        with self.lock:
            for sizes_, name in zip(self.sizes, self.names, strict=True):
                sizes_[job] = sizes.get(name, 0)
            self.told[job] = 1
            first = self.known.value  # the first job whose end is not yet known
            while first < len(self.told) and self.told[first]:
                for sizes_, offsets in zip(self.sizes, self.offsets, strict=True):
                    offsets[first + 1] = offsets[first] + sizes_[first]
                first += 1
            self.known.value = first
            if job > first:
                return None
            return {
                name: offsets[job] for name, offsets in zip(self.names, self.offsets, strict=True)
            }


_places: _Places | None = None  # in a worker
_outputs: dict[str, int] = {}  # in a worker: open output files


def _run_to(run: Callable[[Job], R], job: Job, index: int, scratch: str) -> R:
    """In a worker: run the job; write its parts into the outputs, in their places if
    those are known, else into ``scratch``, one after another."""
    result = run(job)
    sizes = {name: encoded.size for name, encoded in result.parts}
    places = _places.tell(index, sizes) if _places is not None and _places.names else None
    offset = 0
    with open(scratch, "wb", buffering=0) as file:
        for name, encoded in result.parts:
            if places is not None and name in _outputs:
                _write_at(_outputs[name], encoded.pieces, places[name])
                encoded.pieces, encoded.written = [], sizes[name]
                continue
            encoded.write_to(file)
            encoded.pieces, encoded.stored = [], (scratch, offset, encoded.size)
            offset += encoded.size
    return result


def _write_at(fd: int, pieces: list[bytes | memoryview], offset: int) -> None:
    if not hasattr(os, "pwritev"):
        pieces = [b"".join(pieces)]
    for first in range(0, len(pieces), _IOV_MAX):
        group = pieces[first : first + _IOV_MAX]
        size = sum(memoryview(piece).nbytes for piece in group)
        written = os.pwritev(fd, group, offset) if hasattr(os, "pwritev") else 0
        if written < size:  # rare: a signal
            rest = memoryview(b"".join(group))[written:]
            while rest:
                done = os.pwrite(fd, rest, offset + written)
                rest, written = rest[done:], written + done
        offset += size


_IOV_MAX = 1024


def _copy_range(path: str, start: int, size: int, fd: int, offset: int) -> None:
    """Copy ``size`` bytes of a file from ``start`` into ``fd`` at ``offset``."""
    with open(path, "rb") as source:
        if hasattr(os, "copy_file_range"):  # in the kernel, no copy here
            while size:
                done = os.copy_file_range(source.fileno(), fd, size, start, offset)
                start, offset, size = start + done, offset + done, size - done
            return
        source.seek(start)
        while size:
            block = source.read(min(size, 1 << 20))
            os.pwrite(fd, block, offset)
            offset, size = offset + len(block), size - len(block)


def _start_worker(places: _Places, outputs: dict[str, Path], owner: int) -> None:
    """Settle a new worker for big batches. A forked worker shares the parent's pages until
    it writes to them: the garbage collector (which writes to every object it looks at)
    keeps off the objects inherited. glibc would hand the worker's large arrays back to
    the kernel after every batch and take them again, zeroed page by page, for the next."""
    global _places
    _places = places
    _outputs.update((name, os.open(path, os.O_WRONLY)) for name, path in outputs.items())
    gc.freeze()
    # Ended with the process whose export it works for (``owner``), whoever started it: a
    # fork server's workers outlived a window killed with SIGKILL, holding the project
    # open, and so did the fork server they kept alive.
    threading.Thread(target=_end_with, args=(owner,), daemon=True).start()
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL("libc.so.6")
        except OSError:  # not glibc
            return
        # And at once with the process that started it, where that is the owner (the
        # command line's fork): killed with SIGKILL, it left them waiting on their pipe.
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        mallopt = getattr(libc, "mallopt", None)
        if mallopt is not None:
            mallopt(_M_MMAP_THRESHOLD, 1 << 30)
            mallopt(_M_TRIM_THRESHOLD, 1 << 31)


def _end_with(owner: int) -> None:
    """End this process once ``owner`` has ended (looked at every second)."""
    while True:
        time.sleep(1)
        try:
            os.kill(owner, 0)
        except (ProcessLookupError, PermissionError):  # (or another user's: a number reused)
            os._exit(1)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
_PR_SET_PDEATHSIG = 1  # prctl's: the signal a process gets when its parent ends


def _one_thread() -> bool:
    """Whether this process runs one thread: Python's, and, where the system lists them, any
    other (Qt's: the window exports on a QThread, which Python's count leaves out, so it
    forked the window itself)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # (not Linux)
        return threading.active_count() == 1


def _context() -> multiprocessing.context.BaseContext:
    """Fork where that is safe (one thread: the command line): workers start at once, with
    everything imported. Forking a process with threads (the window exports on one) can
    deadlock the child, so then a fork server, which imports the formats once."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and _one_thread():
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["annotator.formats"])
        return context
    return multiprocessing.get_context("spawn")
