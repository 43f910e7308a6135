"""The console script (``meshify``) and ``python -m meshify.injector``: the typer app is
imported inside it, so that a Ctrl-C while meshify starts (its imports are most of a
pre-commit run) ends it as one during a command does: status 130, no traceback."""

from __future__ import annotations

import sys


def entry_point() -> None:
    try:
        from meshify.injector.cli import main
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(main())
