"""Progress in a real terminal (a pseudo-terminal): shown for lint and inject; absent in CI,
with NO_COLOR, with --quiet and on a pipe, where the output is byte for byte what it is
without progress. MESHIFY_PROGRESS_DELAY=0 makes these quick runs count as long ones."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import MESHIFY, run_in_terminal

pytestmark = pytest.mark.slow  # a real process in a pseudo-terminal


def _piped(args: list[str], cwd: Path, extra_env: dict[str, str]) -> tuple[int, bytes, bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "MESHIFY_DEBUG")} | extra_env
    result = subprocess.run([str(MESHIFY), *args], cwd=cwd, capture_output=True, env=env, timeout=60)
    return result.returncode, result.stdout, result.stderr


TASKDEFS = ["taskdefs/prices-api.json", "taskdefs/products-api.json", "taskdefs/shop-ingress.json"]


def test_lint_shows_progress_in_a_terminal(shop: Path) -> None:
    output = run_in_terminal(["lint", *TASKDEFS], shop, {"MESHIFY_PROGRESS_DELAY": "0"})
    assert b"\r\x1b[Kmeshify lint: 0/3 taskdefs/prices-api.json\r\x1b[Kmeshify lint: 1/3 taskdefs/products-api.json" \
           b"\r\x1b[Kmeshify lint: 2/3 taskdefs/shop-ingress.json\r\x1b[K" in output
    assert b"T201" in output  # and then the findings, on a clean line


def test_inject_shows_progress_in_a_terminal(shop: Path) -> None:
    output = run_in_terminal(["inject", "--check", *TASKDEFS], shop, {"MESHIFY_PROGRESS_DELAY": "0"})
    assert output.startswith(b"\r\x1b[Kmeshify inject: 0/3 taskdefs/prices-api.json\r\x1b[Kmeshify inject: 1/3 ")
    assert b"\r\x1b[Kmeshify inject: 2/3 taskdefs/shop-ingress.json\r\x1b[K" in output


def test_a_quick_run_shows_no_progress(shop: Path) -> None:
    assert b"meshify lint:" not in run_in_terminal(["lint", *TASKDEFS], shop, {})


@pytest.mark.parametrize(("args", "env"), [
    ([], {"CI": "true"}),
    ([], {"NO_COLOR": "1"}),
    (["--quiet"], {}),
])
def test_no_progress_in_ci_with_no_color_or_quiet(shop: Path, args: list[str], env: dict[str, str]) -> None:
    output = run_in_terminal(["lint", *args, *TASKDEFS], shop, {"MESHIFY_PROGRESS_DELAY": "0", **env})
    assert b"meshify lint:" not in output and b"T201" in output


@pytest.mark.parametrize("command", [["lint"], ["inject", "--check"], ["inject", "--diff"]])
def test_piped_output_is_byte_for_byte_as_without_progress(shop: Path, command: list[str]) -> None:
    watched = _piped([*command, *TASKDEFS], shop, {"MESHIFY_PROGRESS_DELAY": "0"})
    quiet = _piped([*command, "--quiet", *TASKDEFS], shop, {})
    assert watched == quiet
    assert b"\r" not in watched[2] and b"meshify lint:" not in watched[2] and b"meshify inject:" not in watched[2]
