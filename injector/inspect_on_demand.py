"""``dataclasses`` without ``inspect`` at start-up: about a tenth of a warm ``meshify lint``.

``dataclasses`` imports ``inspect`` (which imports ``ast``, ``dis``, ``tokenize``, ``linecache``
and compiles their regular expressions) for one call, ``inspect.signature``, made only to
write the ``__doc__`` of a dataclass that has no docstring. Every dataclass on lint's path has
one (bench/NOTES.md, "issue 13, start-up"), so that call never comes; the import costs every
start all the same.

:func:`import_dataclasses` imports ``dataclasses`` with a stand-in under the name ``inspect``
and takes the stand-in out of ``sys.modules`` again at once: ``dataclasses`` keeps it as its
``inspect``, and the stand-in imports the real module the first time one of its attributes is
asked for. Everything else that imports ``inspect``, before or after, gets the real module.
Only the console script calls it, first thing (a process that imported either module already
is left as it is)."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any


class _Inspect(ModuleType):
    """Stands for ``inspect`` in ``dataclasses``: imports it when first used, then forwards."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get("inspect") is self:  # asked during the import below: the real one is not there yet
            del sys.modules["inspect"]
        import inspect

        return getattr(inspect, name)


def import_dataclasses() -> None:
    """Import ``dataclasses`` without importing ``inspect``, in a process that has imported neither."""
    if "dataclasses" in sys.modules or "inspect" in sys.modules:
        return
    stand_in = _Inspect("inspect", "imports inspect when dataclasses first uses it")
    sys.modules["inspect"] = stand_in
    try:
        import dataclasses  # noqa: F401  # the import this module is for
    finally:
        if sys.modules.get("inspect") is stand_in:
            del sys.modules["inspect"]
