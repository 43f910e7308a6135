"""In a terminal, findings are coloured and aligned; piped or with NO_COLOR, plain.
Shell completion (typer's) completes commands."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import MESHIFY, run_in_terminal
from golden_cases import SHOP_WEIGHTS_AT

pytestmark = pytest.mark.slow  # a real process, server or installation (ARCHITECTURE.md, Tests)


def _in_terminal(args: list[str], cwd: Path, extra_env: dict[str, str]) -> str:
    return run_in_terminal(args, cwd, extra_env).decode().replace("\r\n", "\n")


def _break(shop):
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("weight: 90\n", "weight: 9\n"))


def test_terminal_output_is_coloured_and_aligned(shop):
    _break(shop)
    output = _in_terminal(["lint", "taskdefs/prices-api.json", "meshify.yaml"], shop, {})
    lines = output.splitlines()
    assert lines[0].startswith(f"\x1b[2m{SHOP_WEIGHTS_AT}:          \x1b[0m \x1b[1mM102\x1b[0m \x1b[33mwarning:\x1b[0m route")
    assert lines[1].startswith("\x1b[2mtaskdefs/prices-api.json:2:3:\x1b[0m \x1b[1mT204\x1b[0m "
                               "\x1b[1;31merror:  \x1b[0m no proxyConfiguration")


def test_no_color_and_pipes_are_plain(shop):
    _break(shop)
    plain = _in_terminal(["lint", "meshify.yaml"], shop, {"NO_COLOR": "1"})
    assert plain.startswith(f"{SHOP_WEIGHTS_AT}: M102 warning: route `default`")
    piped = subprocess.run([str(MESHIFY), "lint"], cwd=shop, capture_output=True, text=True).stdout
    assert piped.startswith(f"{SHOP_WEIGHTS_AT}: M102 warning: route `default`")
    assert "\x1b[" not in piped


def test_shell_completion_completes_commands():
    env = {**os.environ, "_MESHIFY_COMPLETE": "complete_bash", "COMP_WORDS": "meshify li", "COMP_CWORD": "1"}
    result = subprocess.run([str(MESHIFY)], capture_output=True, text=True, env=env)
    assert result.stdout.split() == ["lint"]
