"""Worker processes for the heavy, database-free part of import and suggest.

The workers are forked, so they start with everything the calling process has built (the
loaded pipelines, the suggesters learned from the project) without pickling it; only the
items and the results travel. They never touch the database: the calling process does all
writes, in its own transactions. Where fork is not available, for a handful of items, or
when `QUALCODE_WORKERS` is 1, the same task runs in the calling process instead, with the
same results in the same order.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any, TypeVar

from qualcode.errors import QualcodeError

Context = TypeVar("Context")
Item = TypeVar("Item")
Result = TypeVar("Result")

ENVIRONMENT = "QUALCODE_WORKERS"
MIN_PARALLEL_ITEMS = 8
WORKER_NICENESS = 5
# Chunks handed out ahead per worker: enough to keep every worker busy, few enough that
# results waiting for the writer stay small.
AHEAD_PER_WORKER = 3

# What the forked workers run: set just before the pool is forked, inherited by the workers.
_task: tuple[Callable[[Any, Any], Any], Any] | None = None


def worker_count() -> int:
    """Worker processes to use: `QUALCODE_WORKERS`, else one per core."""
    configured = os.environ.get(ENVIRONMENT, "").strip()
    if not configured:
        return os.cpu_count() or 1
    try:
        count = int(configured)
    except ValueError:
        raise QualcodeError(
            f"{ENVIRONMENT}={configured!r}: give a whole number of worker processes"
        ) from None
    if count < 1:
        raise QualcodeError(f"{ENVIRONMENT}={configured}: give at least 1")
    return count


def can_fork() -> bool:
    """Whether worker processes may be forked here.

    Forking a process with other threads running can deadlock the child on a lock one of
    them held (the TUI runs its tasks in threads), so then everything stays in-process."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def parallel(count: int) -> int:
    """How many workers `ordered_map` will use for `count` items (1: none, in-process)."""
    workers = min(worker_count(), count)
    if workers < 2 or count < MIN_PARALLEL_ITEMS or not can_fork():
        return 1
    return workers


def ordered_map(
    task: Callable[[Context, Item], Result],
    context: Context,
    items: Iterable[Item],
    count: int,
    chunk: int = 8,
) -> Iterator[Result]:
    """`task(context, item)` for each item, results in the items' order.

    `count` is how many items there are (the iterable is read lazily, in this process, as
    workers become free). A worker gets `chunk` items at a time: each hand-over costs the
    calling process more than a small task does. Workers get `context` by inheritance,
    never by pickling: build it before calling. An exception in a task is raised here, as
    it would be in-process.
    """
    workers = parallel(count)
    if workers == 1:
        for item in items:
            yield task(context, item)
        return
    global _task
    _task = (task, context)
    # The workers share this process's memory until they write to it; the cycle collector
    # would write to every object it inspects, so what exists now is left out of it.
    gc.freeze()
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )
    try:
        pending: deque[Future[list[Any]]] = deque()
        ahead = workers * AHEAD_PER_WORKER
        source = iter(items)
        exhausted = False
        while True:
            while not exhausted and len(pending) < ahead:
                batch = list(islice(source, chunk))
                exhausted = len(batch) < chunk
                if batch:
                    pending.append(pool.submit(_run, batch))
            if not pending:
                break
            try:
                yield from pending.popleft().result()
            except BrokenProcessPool:
                raise QualcodeError(
                    "a worker process died (out of memory?); what was done so far is kept: "
                    f"run the command again, with {ENVIRONMENT}=1 to work in one process"
                ) from None
    finally:
        # On an error or Ctrl-C the workers finish the task at hand and stop.
        pool.shutdown(wait=True, cancel_futures=True)
        _task = None
        gc.unfreeze()


def _start_worker(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the calling process stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with(parent)
    # The calling process hands out the work and writes every result: when the cores are
    # all busy it goes first, or everything waits for it.
    os.nice(WORKER_NICENESS)


def _end_with(parent: int) -> None:
    """End this worker when the process that started it ends, even by `kill -9`."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # Linux: the kernel does it
    except (AttributeError, OSError):
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it ended before we asked
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


_PR_SET_PDEATHSIG = 1


def _run(batch: list[Any]) -> list[Any]:
    assert _task is not None, "worker started without a task"
    task, context = _task
    return [task(context, item) for item in batch]
