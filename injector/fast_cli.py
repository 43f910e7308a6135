"""The command lines a pre-commit hook and a CI gate give, run without importing typer.

Importing typer (with the click it vendors, and the inspect, pathlib, subprocess and shutil
they import) is about half of a warm ``meshify lint``'s start-up, and the hooks start meshify
once per batch of files. A command line of ``lint`` or ``inject`` made only of that command's
options, spelled the plain ways (``--name value``, ``--name=value``, a flag, ``-q``, ``--``),
and its arguments is parsed here, from a table generated from the typer app
(``cli_table.py``), and its values are handed to ``actions`` as typer would hand them.
Anything else (``--help``, a typo, shell completion, another command, a value that starts
with a dash, a missing argument) goes to typer, which says what a user reads: this parser
never reports an error. ``tests/test_fast_cli.py`` holds the table to the app and, over many
command lines, this parse to typer's."""

from __future__ import annotations

import os
import sys

from meshify.injector.cli_table import COMMANDS, FLAG, MULTIPLE

Parsed = tuple[str, dict[str, object]]


def parse(argv: list[str]) -> Parsed | None:
    """The command and the values its action takes, or None: typer's to parse."""
    # click expands wildcards itself on Windows; completion is click's protocol
    if not argv or sys.platform == "win32" or "_MESHIFY_COMPLETE" in os.environ:
        return None
    command = COMMANDS.get(argv[0])
    if command is None:
        return None
    argument, required, options, defaults = command
    values: dict[str, object] = dict(defaults)
    arguments: list[str] = []
    multiples: dict[str, list[str]] = {}
    only_arguments = False
    index, end = 1, len(argv)
    while index < end:
        token = argv[index]
        index += 1
        if only_arguments or token[:1] != "-":
            arguments.append(token)
            continue
        if token == "--":
            only_arguments = True
            continue
        name, equals, inline = token.partition("=")
        option = options.get(name)
        if option is None:
            return None
        parameter, kind = option
        if kind == FLAG:
            if equals:
                return None
            values[parameter] = True
            continue
        if equals:
            value = inline
        elif index < end and argv[index][:1] != "-":
            value = argv[index]
            index += 1
        else:
            return None
        if kind == MULTIPLE:
            multiples.setdefault(parameter, []).append(value)
        else:
            values[parameter] = value
    if arguments:
        values[argument] = arguments
    elif required:
        return None
    values.update(multiples)
    return argv[0], values


def run(argv: list[str]) -> int | None:
    """The exit status of a command line this module parses; None for typer's."""
    parsed = parse(argv)
    if parsed is None:
        return None
    from meshify.injector import actions

    command, values = parsed
    action = actions.inject if command == "inject" else actions.lint
    return actions.guarded(lambda: action(**values))
