"""Export jobs run in worker processes while this process writes their results in order.

A job reads a range of articles from the project and encodes them (``exporter``); this
process writes what the jobs made, in the order the jobs were given, so the file is byte
for byte what one process writes. A worker hands its bytes over through a scratch file
beside the output (tens of megabytes go through a pipe more slowly than they are made),
which this process copies into the output (``EncodedBatch.write_to``: in the kernel). At
most ``2 * workers`` jobs are under way, so memory stays flat; stopping early (a cancel)
stops the workers and removes the scratch files.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Protocol, TypeVar

from annotator.formats.base import EncodedBatch

#: Exports of fewer articles run in this process: starting workers takes a moment.
MIN_ARTICLES = 5_000
#: Each worker holds a batch being encoded (some 60 MB for a JSON Lines batch).
MAX_WORKERS = 4


class Result(Protocol):
    """What a job returns: encoded parts (split name, bytes) and anything else picklable."""

    parts: list[tuple[str, EncodedBatch]]


Job = TypeVar("Job")
R = TypeVar("R", bound=Result)


def default_workers(articles: int) -> int:
    """Workers worth starting for an export of about ``articles`` articles (0: none)."""
    cpus = os.cpu_count() or 1
    return min(cpus, MAX_WORKERS) if cpus > 1 and articles >= MIN_ARTICLES else 0


def run_in_order(
    run: Callable[[Job], R],
    jobs: Iterable[Job],
    workers: int = 0,
    scratch_beside: Path | None = None,
) -> Iterator[R]:
    """``run(job)`` for each job, in order; in ``workers`` processes if more than 0.

    ``run`` must then be picklable (a module-level function); the bytes of the parts it
    returns (``EncodedBatch.stored``) are there until the next result is asked for.
    """
    if workers <= 0:
        yield from map(run, jobs)
        return
    folder = Path(tempfile.mkdtemp(prefix=".export-", dir=scratch_beside))
    free = [str(folder / str(slot)) for slot in range(2 * workers)]
    pending: deque[tuple[str, Future[R]]] = deque()
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker)
    try:
        for job in jobs:
            if not free:
                yield from _oldest(pending, free)
            scratch = free.pop()
            pending.append((scratch, pool.submit(_run_to, run, job, scratch)))
        while pending:
            yield from _oldest(pending, free)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(folder, ignore_errors=True)


def _oldest(pending: deque[tuple[str, Future[R]]], free: list[str]) -> Iterator[R]:
    """The oldest result, its bytes left in its scratch file while the caller writes them;
    then the scratch file is free for another job."""
    scratch, future = pending.popleft()
    yield future.result()
    free.append(scratch)


def _run_to(run: Callable[[Job], R], job: Job, scratch: str) -> R:
    """In a worker: run the job and write the parts' bytes to ``scratch``, one after another."""
    result = run(job)
    offset = 0
    with open(scratch, "wb", buffering=0) as file:
        for _, encoded in result.parts:
            encoded.write_to(file)
            size = file.tell() - offset
            encoded.pieces, encoded.stored = [], (scratch, offset, size)
            offset += size
    return result


def _start_worker() -> None:
    """Settle a new worker for big batches. A forked worker shares the parent's pages until
    it writes to them: the garbage collector (which writes to every object it looks at)
    keeps off the objects inherited. glibc would hand the worker's large arrays back to
    the kernel after every batch and take them again, zeroed page by page, for the next."""
    gc.freeze()
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL("libc.so.6")
        except OSError:  # not glibc
            return
        mallopt = getattr(libc, "mallopt", None)
        if mallopt is not None:
            mallopt(_M_MMAP_THRESHOLD, 1 << 30)
            mallopt(_M_TRIM_THRESHOLD, 1 << 31)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


def _one_thread() -> bool:
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
