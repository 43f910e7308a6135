"""Per-file work over every core: :func:`map_in_order` maps a per-file function over a
batch in worker processes once the batch is big enough to pay for them, and yields the
results in input order, so that a parallel run prints exactly what a serial run prints.

The function is a module-level function of ``(shared, item)``: ``shared`` is what every
file needs (the mesh loaded once in the parent, the rules selected); ``item`` one path.
Where the platform can fork (Linux), this process works through chunks of the batch
beside ``jobs - 1`` forked children, which inherit ``shared`` and the items without a copy;
whoever is free takes the next chunk, and a child's results come back pickled (they must
be picklable, and small: findings already located, never a document). Elsewhere workers
are spawned (concurrent.futures) and ``shared`` is pickled once for them (a ``shared``
that cannot be pickled keeps the batch in this process).

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
from collections.abc import Callable, Generator, Iterator, Sequence
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

# The chunks' numbers (4 bytes each) are written to a pipe before the children exist: at most
# what a pipe holds (64 KiB) without a reader. A batch bigger than that many chunks of 256
# files gets bigger chunks.
_MOST_CHUNKS = 16_384

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
                 items: Sequence[Item]) -> Generator[Result, None, None]:
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
    forced = os.environ.get("MESHIFY_PARALLEL_START", "")
    if forced in ("fork", "spawn"):
        return forced
    return "fork" if hasattr(os, "fork") else "spawn"  # multiprocessing's "fork" is there where os.fork is


def _in_workers(function: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any], count: int,
                payload: bytes | None) -> Iterator[Any]:
    if payload is None:
        yield from _in_forked_workers(function, shared, items, count)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _shared
    chunks = _chunks(items, count)
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


def _in_forked_workers(function: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any],
                       count: int) -> Iterator[Any]:
    """The batch over this process and ``count - 1`` forked children (bench/NOTES.md, "both
    cores round 3"). The chunks' numbers wait in a pipe, written before the fork: whoever
    is free takes the next (a read of 4 bytes from a pipe is atomic), so the processes
    finish close together and the parent pickles nothing out. A child writes each chunk's
    results (pickled) to its own pipe; the parent, between its own chunks, reads what has
    come and yields the chunks in order. Nothing here imports multiprocessing or
    concurrent.futures (their imports cost the parent's serial part ~40 ms)."""
    import gc
    import pickle
    import select
    import signal

    chunks = _chunks(items, count)
    if len(chunks) > _MOST_CHUNKS:  # their numbers must fit in a pipe written before any reader exists
        size = -(-len(items) // _MOST_CHUNKS)
        chunks = [items[start:start + size] for start in range(0, len(items), size)]
    tasks, tasks_in = os.pipe()
    _write_all(tasks_in, b"".join(index.to_bytes(4, "little") for index in range(len(chunks))))
    os.close(tasks_in)  # all written: a read past the last number is the end, never a wait
    children: dict[int, int] = {}  # the read end of a child's pipe -> its pid
    done: set[int] = set()  # the children that said they are done
    waiting: dict[int, bytearray] = {}  # what has come from a child and is not yet a whole message
    ready: dict[int, Any] = {}  # a chunk's results: a child's pickled message, or (ok, value) done here
    finished = False
    try:
        # What is alive now (the mesh, the items) lives as long as the run: set aside for the
        # collector (as load_manifest does), which then neither walks it again in the parent
        # nor writes to its pages in the children (each page written is copied).
        gc.freeze()
        for _ in range(count - 1):
            read_end, write_end = os.pipe()
            _grow(write_end)
            pid = os.fork()
            if pid == 0:  # the child: never returns into the caller's code
                status = 1
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
                    os.close(read_end)
                    for other in children:
                        os.close(other)
                    status = _child(function, shared, chunks, tasks, write_end)
                finally:
                    os._exit(status)
            os.close(write_end)
            children[read_end] = pid
            waiting[read_end] = bytearray()
        poll = select.poll()
        for read_end in children:
            poll.register(read_end, select.POLLIN)

        def receive(timeout: int | None) -> None:
            """Take what the children have written (waiting up to ``timeout`` ms for it)."""
            for read_end, _event in poll.poll(timeout):
                data = os.read(read_end, 1 << 20)
                if not data:  # the child's end is closed: it has exited
                    poll.unregister(read_end)
                    os.close(read_end)
                    pid = children.pop(read_end)
                    os.waitpid(pid, 0)
                    if read_end not in done:
                        raise WorkerDied("meshify: a worker process ended before its files were done (killed, or "
                                         "out of memory); run again with MESHIFY_JOBS=1 for one process")
                    continue
                buffer = waiting[read_end]
                buffer += data
                while len(buffer) >= 8:
                    index, size = int.from_bytes(buffer[:4], "little", signed=True), int.from_bytes(buffer[4:8], "little")
                    if index < 0:
                        done.add(read_end)
                        del buffer[:8]
                        continue
                    if len(buffer) < 8 + size:
                        break
                    ready[index] = bytes(buffer[8:8 + size])
                    del buffer[:8 + size]

        for turn in range(len(chunks)):
            while turn not in ready:
                if children:
                    receive(0)
                    if turn in ready:
                        break
                index = _take(tasks)
                if index is not None:
                    ready[index] = _run_here(function, shared, chunks[index])
                elif children:
                    receive(None)
                else:  # every number taken, no child left to send this chunk
                    raise WorkerDied("meshify: a worker process ended before its files were done (killed, or "
                                     "out of memory); run again with MESHIFY_JOBS=1 for one process")
            outcome = ready.pop(turn)
            results, error = pickle.loads(outcome) if isinstance(outcome, bytes) else outcome  # a child's: pickled
            yield from results
            if isinstance(error, tuple):  # a child's, with its traceback as text
                error, text = error
                error.__cause__ = _RemoteTraceback(text)
            if error is not None:
                raise error
        finished = True
    finally:
        os.close(tasks)
        for read_end, pid in children.items():
            if not finished:  # an error, Ctrl-C or a caller that stopped early: end the children now
                os.kill(pid, signal.SIGKILL)  # not reaped yet: a child that has exited is still there to kill
            os.close(read_end)
            os.waitpid(pid, 0)


def _run_here(function: Callable[[Any, Any], Any], shared: Any, chunk: Sequence[Any]) -> tuple[list[Any], Any]:
    """A chunk's results, up to the exception an item raised if one did (None otherwise): the
    parent yields the results, then raises it, as the serial loop would."""
    results: list[Any] = []
    try:
        for item in chunk:
            results.append(function(shared, item))
    except Exception as error:
        return results, error
    return results, None


def _child(function: Callable[[Any, Any], Any], shared: Any, chunks: list[Sequence[Any]], tasks: int,
           out: int) -> int:
    """A forked child's life: chunks taken in turn until none is left, each one's results
    (or the exception it raised, with its traceback as text) written as one message: the
    chunk's number and the pickle's size (4 bytes each), then the pickle; -1: done."""
    import pickle

    error: Any = None
    while error is None and (index := _take(tasks)) is not None:  # the parent stops at an error: so does the child
        results, error = _run_here(function, shared, chunks[index])
        try:
            data = pickle.dumps((results, error and _portable(error)), pickle.HIGHEST_PROTOCOL)
        except Exception as unpicklable:  # a result that cannot be pickled: raised in the parent, at its turn
            error = unpicklable
            data = pickle.dumps(([], _portable(error)), pickle.HIGHEST_PROTOCOL)
        _write_all(out, index.to_bytes(4, "little") + len(data).to_bytes(4, "little") + data)
    _write_all(out, (-1).to_bytes(4, "little", signed=True) + bytes(4))
    return 0


def _portable(error: Exception) -> tuple[Exception, str]:
    """``error`` as it can travel to the parent (itself when it pickles, else a RuntimeError
    saying it) and the child's traceback, which the parent makes its cause (as
    concurrent.futures does: a traceback does not pickle)."""
    import pickle
    import traceback

    text = "".join(traceback.format_exception(error))
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        error = RuntimeError(f"{type(error).__name__}: {error}")
    return error, text


class _RemoteTraceback(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f"\n\"\"\"\n{self.text}\"\"\""


def _take(tasks: int) -> int | None:
    """The next chunk's number from the pipe, or None when none is left."""
    data = os.read(tasks, 4)
    return int.from_bytes(data, "little") if data else None


def _grow(fd: int) -> None:
    """A child's pipe made to hold about ten chunks' results (a pipe holds 64 KiB unless asked
    for more, up to /proc/sys/fs/pipe-max-size): the child goes on while the parent works
    through a chunk of its own instead of waiting for it to read."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass  # a smaller pipe: the child waits a little more, nothing else changes


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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
