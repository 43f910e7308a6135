"""Each file stands alone (``cli.md``): a file that cannot be used is reported in one line
on standard error and the command goes on with the others; its exit status is 2 at the end.

A command runs its per-file work inside :func:`each_file`. An :class:`InputError` that
names no file (a command line that cannot work for any file, such as ``--node`` naming
no node) still ends the whole run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from meshify.injector.errors import InputError


def report(error: InputError, failed: list[str]) -> None:
    print(error, file=sys.stderr)
    failed.append(error.path or "")


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
    except InputError as error:
        if error.path is None:
            raise
        report(error, failed)
    except (RecursionError, MemoryError) as error:
        report(InputError(f"cannot read: {type(error).__name__} (nested or large beyond what meshify reads)", path),
               failed)
    except Exception as error:
        if os.environ.get("MESHIFY_DEBUG"):
            raise
        report(InputError(f"internal error: {type(error).__name__}: {error} (set MESHIFY_DEBUG=1 for a traceback)",
                          path), failed)
