"""Progress of a long run on standard error: ``meshify lint: 120/400 taskdefs/a.json``,
one line rewritten in place, shown once the run has taken :data:`DELAY` seconds, and
wiped when the loop ends (or fails, so an error prints on a clean line).

Only for a person watching: never when standard error is not a terminal (a pipe, a file,
pre-commit capturing it), in CI (``CI`` set), with ``NO_COLOR`` or with ``--quiet``, so
what those see stays byte for byte as it was. A command marks its one long loop with
:func:`progress`, which yields the items unchanged.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from typing import IO, TypeVar

Item = TypeVar("Item")

DELAY = 2.0  # seconds of work before progress shows: a quick run never flickers
_started = time.monotonic()  # this module is imported as a command starts; begin() says so exactly
_silenced = False


def begin(quiet: bool = False) -> None:
    """A command starts now, with ``--quiet`` or without (said each run, so nothing carries over)."""
    global _silenced, _started
    _silenced, _started = quiet, time.monotonic()


def wanted(stream: IO[str]) -> bool:
    """Whether a person is watching ``stream``: a terminal, not CI, no NO_COLOR, no --quiet."""
    isatty = getattr(stream, "isatty", None)
    ci = os.environ.get("CI", "").lower() not in ("", "0", "false")
    return bool(isatty and isatty()) and not ci and not os.environ.get("NO_COLOR") and not _silenced


def _delay() -> float:
    # MESHIFY_PROGRESS_DELAY lets the tests show progress on a run that is quick.
    try:
        return float(os.environ.get("MESHIFY_PROGRESS_DELAY", DELAY))
    except ValueError:
        return DELAY


def progress(items: Sequence[Item], verb: str, name: Callable[[Item], str] = str, stream: IO[str] | None = None,
             clock: Callable[[], float] = time.monotonic, started: float | None = None) -> Iterator[Item]:
    """``items``, one by one; on a watched terminal, once the run is older than the delay,
    ``meshify VERB: DONE/TOTAL CURRENT`` before each item."""
    out = stream if stream is not None else sys.stderr
    if not wanted(out):
        yield from items
        return
    import shutil  # here, for a watched terminal only: with bz2, lzma and fnmatch, ~4 ms of every start

    delay, since, total, drawn = _delay(), _started if started is None else started, len(items), False
    width = shutil.get_terminal_size((80, 24)).columns - 1
    try:
        for done, item in enumerate(items):
            if clock() - since >= delay:
                line = f"meshify {verb}: {done}/{total} {name(item)}"
                out.write(f"\r\x1b[K{line[:width]}")
                out.flush()
                drawn = True
            yield item
    finally:
        if drawn:
            out.write("\r\x1b[K")
            out.flush()
