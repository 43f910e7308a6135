from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_cases import CORPUS, SHOP

# Test modules are compiled (and their asserts rewritten) once and cached in the git-ignored
# __pycache__, even where the shell sets PYTHONDONTWRITEBYTECODE: otherwise every run, in every
# xdist worker, recompiles them and meshify (seconds of CPU each). Processes the tests start
# keep the environment's setting.
sys.dont_write_bytecode = False

MESHIFY = Path(sys.executable).with_name("meshify")
# The tests keep meshify's cache to themselves (never the developer's ~/.cache/meshify), in a
# directory made for the run and removed at its end. xdist's workers inherit the variable from
# the process that made it, which alone removes it.
if "MESHIFY_CACHE_DIR" not in os.environ:
    os.environ["MESHIFY_CACHE_DIR"] = tempfile.mkdtemp(prefix="meshify-test-cache-")
    atexit.register(shutil.rmtree, os.environ["MESHIFY_CACHE_DIR"], ignore_errors=True)


def run_installed(*args: str, cwd: Path | str | None = None, input_text: str | None = None,
                  env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed console script in its own process, as a user runs it: for what only a
    real process shows (a terminal, start-up, the entry point)."""
    env = {key: value for key, value in (env or os.environ).items() if key != "MESHIFY_DEBUG"}
    return subprocess.run([str(MESHIFY), *args], cwd=cwd, capture_output=True, text=True, env=env,
                          input=input_text, timeout=60)


def run_meshify(*args: str, cwd: Path | str | None = None, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """``meshify ARGS`` in this process, through the console script's ``main(argv)`` (lint and
    inject without typer, the rest through the typer app): the same exit status and output as
    the console script, without a process start per test."""
    import contextlib
    import io

    from meshify.injector.console import main

    _build_the_click_command_once()
    stdout, stderr = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    saved_stdin, debug = sys.stdin, os.environ.pop("MESHIFY_DEBUG", None)
    try:
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin = io.StringIO(input_text or "")
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main(list(args))
    finally:
        os.chdir(previous)
        sys.stdin = saved_stdin
        if debug is not None:
            os.environ["MESHIFY_DEBUG"] = debug
    return subprocess.CompletedProcess(["meshify", *args], status, stdout.getvalue(), stderr.getvalue())


def _build_the_click_command_once() -> None:
    """``main(argv)`` calls the typer app, which builds its click command from the command
    functions' signatures on every call (typer's ``Typer.__call__``: about 35 ms of CPU, mostly
    evaluating annotations). The console script builds it once per process; the tests, which
    call ``main`` hundreds of times in one process, build each once too (one per set of
    commands ``main`` registers for a command line), and then parse, invoke and report exactly
    as the console script does."""
    import typer.main

    build = typer.main.get_command
    if getattr(build, "built_once", False):
        return
    built: dict[tuple[int, ...], tuple[object, object]] = {}

    def get_command(typer_instance):
        # keyed by the identities of the app and of the commands it has registered now; they are
        # kept alive with the command built, so that their ids stay their own
        parts = (typer_instance, typer_instance.registered_callback, *typer_instance.registered_commands,
                 *typer_instance.registered_groups)
        key = tuple(id(part) for part in parts)
        if key not in built:
            built[key] = (parts, build(typer_instance))
        return built[key][1]

    get_command.built_once = True  # type: ignore[attr-defined]
    typer.main.get_command = get_command


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A writable copy of the shop example."""
    import shutil

    target = tmp_path / "shop"
    shutil.copytree(SHOP, target)
    return target


def corpus_file(relative: str) -> Path:
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"the shared corpus is absent ({path}); it lives beside the checkout in ../shared")
    return path


def run_in_terminal(args: list[str], cwd: Path | str, extra_env: dict[str, str]) -> bytes:
    """The installed console script in a pseudo-terminal, as a user at a terminal runs it
    (no NO_COLOR, no CI): everything it wrote to the terminal, stdout and stderr interleaved."""
    import pty

    controller, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "MESHIFY_DEBUG")} | extra_env
    process = subprocess.Popen([str(MESHIFY), *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal,
                               env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks)


def cfn_lint_findings(path: Path) -> set[str]:
    """cfn-lint's findings on a template, without their positions (inject and migrate move
    lines). Its script, not ``python -m cfnlint``: the package has no ``__main__``, which made
    every set empty. Its exit status is checked: a bit mask of the finding levels."""
    script = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(script), "--format", "parseable", str(path)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode in (0, 2, 4, 6, 8, 10, 12, 14), result.stderr
    return {line.split(":", 5)[-1] for line in result.stdout.splitlines()}


def value_paths(value, prefix=()):
    """Every place in a JSON-like value as a tuple of keys and indexes, the root's ``()``
    first: where the model-validator tests break a value, one place at a time."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from value_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from value_paths(item, (*prefix, index))
