"""Each file stands alone (``cli.md``): a file that cannot be used is reported in one line
on standard error and the command goes on with the others; its exit status is 2 at the end.

A command runs its per-file work inside :func:`each_file`. An :class:`InputError` that
names no file (a command line that cannot work for any file, such as ``--node`` naming
no node) still ends the whole run. Per-file work that runs in a worker process
(``engine/parallel.py``) uses :func:`caught` instead: the error comes back as a
:class:`Failure`, which the parent reports with :func:`report_failure` in the files' order.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from meshify.injector.errors import FileError, InputError


class Failures(list[str]):
    """``failed`` that also keeps each file's error, for the reports that show them beside
    the findings (SARIF's failed execution, GitHub's annotations)."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[FileError] = []


def _file_error(error: InputError) -> FileError:
    return FileError(error.path or "", error.line, error.column, error.one_line)


def report(error: InputError, failed: list[str]) -> None:
    print(error, file=sys.stderr)
    failed.append(error.path or "")
    if isinstance(failed, Failures):
        failed.errors.append(_file_error(error))


def _as_file_error(error: Exception, path: str) -> InputError | None:
    """The one line an error in ``path``'s work is reported as; None when it must end the
    run instead (an error naming no file; a bug with ``MESHIFY_DEBUG``)."""
    if isinstance(error, InputError):
        return None if error.path is None else error
    if isinstance(error, RecursionError | MemoryError):
        return InputError(f"cannot read: {type(error).__name__} (nested or large beyond what meshify reads)", path)
    if os.environ.get("MESHIFY_DEBUG"):
        return None
    return InputError(f"internal error: {type(error).__name__}: {error} (set MESHIFY_DEBUG=1 for a traceback)", path)


@contextmanager
def each_file(path: str, failed: list[str] | None) -> Iterator[None]:
    """Run the body for ``path``; an error in it is reported, naming the file, and added to
    ``failed`` instead of ending the batch. An unexpected exception is a bug: it is reported
    as an internal error naming the file (re-raised with ``MESHIFY_DEBUG``). With ``failed``
    None, every error ends the run (a caller that wants the first error raised)."""
    if failed is None:
        yield
        return
    try:
        yield
    except Exception as error:
        as_file_error = _as_file_error(error, path)
        if as_file_error is None:
            raise
        report(as_file_error, failed)


@dataclass(frozen=True, slots=True)
class Failure:
    """A file's error as per-file work in a worker sends it back: the line :func:`report`
    prints and the path it adds to ``failed``."""

    line: str
    path: str
    error: FileError | None = None


class caught:
    """``with caught(path) as catch:``: :func:`each_file` for per-file work that may run in a
    worker process: the error is kept in ``catch.failure`` (picklable) instead of printed."""

    __slots__ = ("failure", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.failure: Failure | None = None

    def __enter__(self) -> caught:
        return self

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> bool:
        if not isinstance(error, Exception):
            return False
        self.failure = failure_of(error, self.path)
        return self.failure is not None


def failure_of(error: Exception, path: str) -> Failure | None:
    """What :class:`caught` keeps of ``error`` in ``path``'s work; None: the error ends the
    run (raised again). For a ``try``/``except Exception`` where a context manager's two
    calls cost too much (each file of a lint batch)."""
    as_file_error = _as_file_error(error, path)
    if as_file_error is None:
        return None
    return Failure(str(as_file_error), as_file_error.path or "", _file_error(as_file_error))


def report_failure(failure: Failure, failed: list[str]) -> None:
    """What :func:`report` does for an error caught in a worker."""
    print(failure.line, file=sys.stderr)
    failed.append(failure.path)
    if isinstance(failed, Failures) and failure.error is not None:
        failed.errors.append(failure.error)


def real_path(path: str, directories: dict[str, str], link: bool | None = None) -> str:
    """``os.path.realpath(path)`` of a file just read, asking the file system less: a file
    that is no symbolic link is its directory's real path (resolved once per batch, kept in
    ``directories``) and its name: one lstat instead of one per component of the path (none
    when the caller has told ``link``, what its own lstat said). What a batch keys its files
    by, so that a file given twice is handled once."""
    slash = path.rfind("/")
    if slash > 0 and path[slash - 1] != "/":  # "dir/name": os.path.split's answer, without its generality
        directory, name = path[:slash], path[slash + 1:]
    else:
        directory, name = os.path.split(path)
    try:
        if name in ("", ".", "..") or (link if link is not None else stat.S_ISLNK(os.lstat(path).st_mode)):
            return os.path.realpath(path)
    except OSError:
        return os.path.realpath(path)
    real = directories.get(directory)
    if real is None:
        real = directories[directory] = os.path.realpath(directory)
    # os.path.join(real, name): name holds no "/", real is never empty
    return real + name if real.endswith("/") else real + "/" + name
