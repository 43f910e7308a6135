"""The console script (``meshify``) and ``python -m meshify.injector``.

``lint`` and ``inject`` as a hook or a CI gate give them run without typer (``fast_cli``);
every other command line goes to the typer app. Both are imported inside the console
script's own handler, so that a Ctrl-C while meshify starts (its imports are most of a
pre-commit run) ends it as one during a command does: status 130, no traceback."""

from __future__ import annotations

import sys

# entry_point() turns the cyclic garbage collector off while the command's modules are
# imported; started() turns it back on.
_collector_off = False


def started() -> None:
    """The command's modules are imported (actions' lint and inject say so before they read a
    file; main before typer): the collector, off since the process started, is turned back on,
    with everything alive now set aside for it (gc.freeze, as load_manifest does). Those
    thousands of functions, classes and module dictionaries live as long as the process:
    collected every few hundred allocations while they were made, they were walked again and
    again (about 3% of a warm lint). Nothing when the console script did not turn it off."""
    global _collector_off
    if _collector_off:
        _collector_off = False
        import gc

        gc.freeze()
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    """Run one command line; its exit status (the tests call this in-process)."""
    argv = sys.argv[1:] if argv is None else argv
    from meshify.injector.inspect_on_demand import import_dataclasses

    import_dataclasses()  # without inspect, which dataclasses imports for a call it never makes here
    from meshify.injector.fast_cli import run

    status = run(argv)
    if status is None:
        started()
        from meshify.injector.cli import main as typer_main

        status = typer_main(argv)
    return status


def entry_point() -> None:
    global _collector_off
    import gc

    gc.disable()  # for the imports: started() turns it back on
    _collector_off = True
    try:
        status = main()
    except KeyboardInterrupt:  # during the imports, before a command's own handler
        sys.exit(130)
    sys.exit(status)
