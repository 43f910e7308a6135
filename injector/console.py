"""The console script (``meshify``) and ``python -m meshify.injector``.

``lint`` and ``inject`` as a hook or a CI gate give them run without typer (``fast_cli``);
every other command line goes to the typer app. Both are imported inside the console
script's own handler, so that a Ctrl-C while meshify starts (its imports are most of a
pre-commit run) ends it as one during a command does: status 130, no traceback."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run one command line; its exit status (the tests call this in-process)."""
    argv = sys.argv[1:] if argv is None else argv
    from meshify.injector.inspect_on_demand import import_dataclasses

    import_dataclasses()  # without inspect, which dataclasses imports for a call it never makes here
    from meshify.injector.fast_cli import run

    status = run(argv)
    if status is None:
        from meshify.injector.cli import main as typer_main

        status = typer_main(argv)
    return status


def entry_point() -> None:
    try:
        status = main()
    except KeyboardInterrupt:  # during the imports, before a command's own handler
        sys.exit(130)
    sys.exit(status)
