"""``lint`` and ``inject`` command lines parsed without typer (``fast_cli``) must reach the
command exactly as typer would have: the same values, or not at all (typer then parses them,
and says what a user reads)."""

from __future__ import annotations

import contextlib
import io
import sys

import pytest
from conftest import _build_the_click_command_once, run_meshify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from meshify.injector import actions, cli_table, fast_cli
from regen_cli_table import TABLE, render, table, values_typer_passes


def test_the_committed_table_is_the_typer_apps():
    assert TABLE.read_text() == render(table()), "cli.py's options changed: run python tests/regen_cli_table.py"


def typer_values(argv: list[str]) -> dict[str, object] | None:
    _build_the_click_command_once()  # the tests' one build of each click command (conftest)
    return values_typer_passes(argv)


# Every spelling the commands know, spellings they do not, and values that look like options.
VALUES = ["a.json", "taskdefs/x.yaml", "", "T2,T209", "-", "-x", "--", "--help", "a=b", "json"]
NOT_OPTIONS = ["--bogus", "-Q", "-qq", "--live=1", "--check=yes", "--no-live", "--help", "-h", "--version", "--format-x"]


def command_lines(command: str) -> st.SearchStrategy[list[str]]:
    _, _, options, _ = cli_table.COMMANDS[command]
    spellings = sorted(options)
    token = st.one_of(
        st.sampled_from(spellings),  # a flag, or a value option followed by whatever comes next
        st.builds(lambda name, value: f"{name}={value}", st.sampled_from(spellings), st.sampled_from(VALUES)),
        st.sampled_from(VALUES),
        st.sampled_from(NOT_OPTIONS),
        st.text(alphabet="ab-=./ ", max_size=6),
    )
    return st.lists(token, max_size=7).map(lambda tokens: [command, *tokens])


@pytest.mark.parametrize("command", sorted(cli_table.COMMANDS))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_command_line_parsed_without_typer_is_parsed_as_typer_parses_it(command, data):
    argv = data.draw(command_lines(command))
    parsed = fast_cli.parse(argv)
    if parsed is not None:
        assert parsed == (command, typer_values(argv))


HOOK_AND_GATE_LINES = [
    # .pre-commit-hooks.yaml's entries, as pre-commit runs them (the files appended)
    ["lint", "--skip-unknown", "meshify.yaml", "taskdefs/a.json"],
    ["inject", "--in-place", "--skip-unknown", "taskdefs/a.json", "taskdefs/b.yaml"],
    # the README's and cli.md's examples
    ["lint"],
    ["lint", "taskdefs/a.json", "--format", "json"],
    ["lint", "taskdefs/a.json", "--format=sarif", "--select", "T2", "--ignore", "T209", "--fail-on", "warning"],
    ["lint", "--live", "--profile", "prod", "--region", "eu-west-1", "-q"],
    ["lint", "--policy", "iam/role.json", "--select", "I3,T2", "--select", "M1", "--", "--odd-name.json"],
    ["inject", "taskdefs/a.json", "--check"],
    ["inject", "taskdefs/a.json", "--diff", "--manifest", "mesh/meshify.yaml", "--node", "products-v1"],
    ["inject", "taskdefs/a.json", "--in-place", "--policy", "iam/products.json", "--quiet"],
    ["inject", "taskdefs/a.json", "--output", "out.json"],
    ["inject", "ecs:products", "--register", "--region", "eu-west-1"],
]


@pytest.mark.parametrize("argv", HOOK_AND_GATE_LINES, ids=" ".join)
def test_the_command_lines_hooks_and_gates_give_need_no_typer(argv):
    assert fast_cli.parse(argv) == (argv[0], typer_values(argv))


@pytest.mark.parametrize("argv", [
    [], ["--help"], ["--version"], ["rules"], ["lnit"], ["lint", "--help"], ["lint", "--bogus"],
    ["lint", "--format"], ["lint", "--format", "--select"], ["inject"], ["inject", "--check"],
    ["inject", "a.json", "--check=1"], ["lint", "-qq"],
], ids=repr)
def test_what_only_typer_can_answer_goes_to_typer(argv):
    assert fast_cli.parse(argv) is None


def test_shell_completion_goes_to_typer(monkeypatch):
    monkeypatch.setenv("_MESHIFY_COMPLETE", "complete_bash")
    assert fast_cli.parse(["lint"]) is None


@pytest.mark.parametrize(("argv", "error"), [
    (["lint", "--format", "xml"], "meshify: --format: 'xml' is not one of text, json, sarif, github\n"),
    (["inject", "taskdefs/products-api.json", "--check", "--diff"],
     "meshify: --diff and --check cannot be combined: choose one output mode\n"),
])
def test_a_usage_error_found_after_parsing_reads_the_same_either_way(shop, monkeypatch, argv, error):
    """The actions check what typer leaves them (--format's value, modes that exclude each
    other): one line and status 2, whoever parsed the command line."""
    from meshify.injector.cli import main as typer_main

    assert fast_cli.parse(argv) is not None
    monkeypatch.chdir(shop)
    through_typer = io.StringIO()
    with contextlib.redirect_stderr(through_typer):
        assert typer_main(argv) == 2
    assert through_typer.getvalue() == error
    result = run_meshify(*argv, cwd=shop)  # the console script's way: without typer
    assert (result.returncode, result.stdout, result.stderr) == (2, "", error)


def test_a_bug_is_one_line_on_the_fast_path_too(monkeypatch, capsys):
    def broken(**values: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.delenv("MESHIFY_DEBUG", raising=False)
    monkeypatch.setattr(actions, "lint", broken)
    assert fast_cli.run(["lint"]) == 2
    assert capsys.readouterr().err == ("meshify: internal error: ZeroDivisionError: division by zero "
                                       "(set MESHIFY_DEBUG=1 for a traceback)\n")


def test_ctrl_c_on_the_fast_path_ends_with_130(monkeypatch, capsys):
    def interrupted(**values: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(actions, "inject", interrupted)
    assert fast_cli.run(["inject", "a.json"]) == 130
    assert capsys.readouterr() == ("", "")


def test_windows_leaves_wildcards_to_click(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert fast_cli.parse(["lint", "taskdefs/*.json"]) is None
