"""Per-file work over every core: :func:`map_in_order` maps a per-file function over a
batch in worker processes once the batch is big enough to pay for them, and yields the
results in input order, so that a parallel run prints exactly what a serial run prints.

The function is a module-level function of ``(shared, item)``: ``shared`` is what every
file needs (the mesh loaded once in the parent, the rules selected); ``item`` one path.
Workers are forked where the platform can (Linux): they inherit ``shared`` without a copy.
Elsewhere they are spawned and ``shared`` is pickled once for them (a ``shared`` that
cannot be pickled keeps the batch in this process). Items go out in
chunks, in order; each result comes back (it must be picklable, and small: findings
already located, never a document).

A small batch (a pre-commit run of a few files) stays in this process: starting workers
costs more than it saves. ``MESHIFY_JOBS`` sets the number of processes (default: the cores
this process may use; 1: serial, as before); ``MESHIFY_PARALLEL_THRESHOLD`` the smallest
batch that is split (tests lower it); ``MESHIFY_PARALLEL_START`` (``fork``/``spawn``) forces
how workers start (tests of the spawn path on Linux).

Never a hang: a worker that dies (killed, out of memory) ends the run with one line
(:class:`WorkerDied`); Ctrl-C stops the workers (they ignore SIGINT, the parent ends them).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from meshify.injector.errors import InputError

Shared = TypeVar("Shared")
Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many files a batch stays in one process. Measured on the 2-core machine
# (bench/NOTES.md, "issue 13, cores and memory"): two forked workers cost about 0.1-0.2 s of
# cpu (the fork of a process holding the manifest, and the results' trip back); at 400
# files lint gained nothing from them, at 1,000 it did.
DEFAULT_THRESHOLD = 1000

_shared: Any = None  # what the workers' function is given: set before the fork or by _start


class WorkerDied(InputError):
    """A worker process ended without its results (killed, out of memory): the run stops
    with one line instead of waiting for results that never come."""


def jobs() -> int:
    """How many processes a big batch uses: ``MESHIFY_JOBS``, else the cores this process may use."""
    wanted = os.environ.get("MESHIFY_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def threshold() -> int:
    value = os.environ.get("MESHIFY_PARALLEL_THRESHOLD", "").strip()
    return int(value) if value.isdigit() else DEFAULT_THRESHOLD


def parallel_for(count: int) -> bool:
    """Whether a batch of ``count`` files is spread over worker processes."""
    return jobs() > 1 and count >= max(threshold(), 2)


def map_in_order(function: Callable[[Shared, Item], Result], shared: Shared,
                 items: Sequence[Item]) -> Iterator[Result]:
    """``function(shared, item)`` for each item, yielded in input order; in worker processes
    when :func:`parallel_for` the batch. Lazy: a caller that stops iterating stops the work
    (the workers are ended). An exception ``function`` raises is raised here when its turn
    comes; the per-file function should catch what belongs to one file (commands/batch.py)."""
    payload = None
    if parallel_for(len(items)) and _start_method() == "spawn":
        import pickle

        try:  # a spawned worker is sent ``shared``: what cannot be pickled stays in this process
            payload = pickle.dumps(shared)
        except (TypeError, AttributeError, pickle.PicklingError):
            payload = b""
    if not parallel_for(len(items)) or payload == b"":
        for item in items:
            yield function(shared, item)
        return
    yield from _in_workers(function, shared, items, jobs(), payload)


def _start_method() -> str:
    import multiprocessing

    forced = os.environ.get("MESHIFY_PARALLEL_START", "")
    if forced in ("fork", "spawn"):
        return forced
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _in_workers(function: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any], count: int,
                payload: bytes | None) -> Iterator[Any]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _shared
    chunks = _chunks(items, count)
    if payload is None:
        _shared = shared  # inherited by the forked workers: nothing is pickled
        executor = ProcessPoolExecutor(count, multiprocessing.get_context("fork"), initializer=_start, initargs=(None,))
    else:
        executor = ProcessPoolExecutor(count, multiprocessing.get_context("spawn"), initializer=_start,
                                       initargs=(payload,))
    finished = False
    try:
        futures = deque(executor.submit(_run_chunk, function, chunk) for chunk in chunks)
        while futures:
            future = futures.popleft()  # a chunk's results are not kept here once handed over
            try:
                results = future.result()
            except BrokenProcessPool:
                raise WorkerDied("meshify: a worker process ended before its files were done (killed, or out of memory); "
                                 "run again with MESHIFY_JOBS=1 for one process") from None
            yield from results
        finished = True
    finally:
        _shared = None
        if finished:
            executor.shutdown(wait=True)
        else:  # an error, Ctrl-C or a caller that stopped early: end the workers now
            processes = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(5)


def _chunks(items: Sequence[Any], count: int) -> list[Sequence[Any]]:
    """``items`` in consecutive chunks for ``count`` workers: big enough that a trip costs
    little beside the work, small enough to keep every core busy to the end and the
    progress display moving. The last ``count`` chunks' worth of items go in chunks a
    quarter that size, so that the workers finish close together instead of one working
    through a whole last chunk while the others wait."""
    size = max(8, min(256, len(items) // (count * 16) or 1))
    tail = len(items) - min(len(items), count * size)
    small = max(1, size // 4)
    return [*(items[start:min(start + size, tail)] for start in range(0, tail, size)),
            *(items[start:start + small] for start in range(tail, len(items), small))]


def _start(payload: bytes | None) -> None:
    """A worker starts: Ctrl-C is the parent's to handle (it ends the workers), and a
    spawned worker receives (pickled) what the forked ones inherit."""
    import signal

    global _shared
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if payload is not None:
        import pickle

        _shared = pickle.loads(payload)


def _run_chunk(function: Callable[[Any, Any], Any], chunk: Sequence[Any]) -> list[Any]:
    return [function(_shared, item) for item in chunk]
