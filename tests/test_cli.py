"""cli.main (the typer app: every command line but the hooks' lint and inject, fast_cli.py)
registers on the typer app only the command a command line runs (start-up):
what a user reads (help, usage errors, completion) must be what the whole app says."""

from __future__ import annotations

import contextlib
import io

import pytest
import typer
from conftest import run_meshify
from meshify.injector.cli import app

COMMANDS = ["inject", "uninject", "lint", "init", "rules", "placeholders", "migrate", "schema", "graph"]


def _whole_app(*argv: str) -> tuple[str, str]:
    """What the app with every command registered prints for ``argv``."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            typer.main.get_command(app).main(args=list(argv), prog_name="meshify", standalone_mode=False)
        except Exception as error:  # a usage error: the message main() shortens to one line
            print(f"meshify: {' '.join(error.format_message().split())}", file=stderr)  # type: ignore[attr-defined]
    return stdout.getvalue(), stderr.getvalue()


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_is_the_whole_apps(command):
    result = run_meshify(command, "--help")
    assert result.returncode == 0
    assert f"Usage: meshify {command} [OPTIONS]" in result.stdout
    assert (result.stdout, result.stderr) == _whole_app(command, "--help")


def test_the_top_level_help_lists_every_command():
    result = run_meshify("--help")
    assert (result.stdout, result.stderr) == _whole_app("--help")
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == COMMANDS
    assert run_meshify().stdout == result.stdout  # no command: the same help


def test_an_unknown_command_still_suggests_the_close_ones():
    result = run_meshify("lnit")
    assert result.returncode == 2
    assert result.stderr == "meshify: No such command 'lnit'. Did you mean 'lint', 'init'?\n"


def test_a_commands_usage_error_is_unchanged():
    result = run_meshify("lint", "--bogus")
    assert (result.returncode, result.stderr) == (2, "meshify: No such option: --bogus\n")
    assert result.stderr == _whole_app("lint", "--bogus")[1]


def test_completion_sees_every_command(monkeypatch, capsys):
    from meshify.injector.cli import main

    monkeypatch.setenv("_MESHIFY_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "meshify li")
    monkeypatch.setenv("COMP_CWORD", "1")
    with pytest.raises(SystemExit):  # click ends a completion request itself
        main(["li"])
    assert capsys.readouterr().out.split() == ["lint"]


def test_the_app_keeps_every_command_between_runs():
    run_meshify("schema")
    assert len(app.registered_commands) == len(COMMANDS)


def test_ctrl_c_while_meshify_starts_ends_with_130_and_no_traceback(monkeypatch, capsys):
    """The console script imports the typer app inside its own handler: a Ctrl-C during
    the imports (the first tenth of a second) ends meshify as one during a command does."""
    import sys
    import types

    from meshify.injector import console

    class Interrupted(types.ModuleType):
        def __getattr__(self, name):
            raise KeyboardInterrupt

    for module, argv in (("meshify.injector.cli", ["rules"]), ("meshify.injector.fast_cli", ["lint"])):
        monkeypatch.setattr(sys, "argv", ["meshify", *argv])
        with monkeypatch.context() as starting:
            starting.setitem(sys.modules, module, Interrupted(module))
            with pytest.raises(SystemExit) as ended:
                console.entry_point()
        assert ended.value.code == 130
        assert capsys.readouterr() == ("", "")
