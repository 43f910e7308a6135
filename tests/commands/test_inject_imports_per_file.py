"""``inject --check`` and ``lint`` over a batch make no import statement per file (the reader's
shape check, the facts of the context, the compose-file check, the edit's preparation). On Python 3.11 a
``from ... import`` inside a function costs about 8,000 instructions at every call, however
often the module was imported before; those modules are imported on their first use and
kept (start-up imports none of them)."""

from __future__ import annotations

import builtins
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import run_meshify
from golden_cases import SHOP


def _imports(tmp_path: Path, files: int, monkeypatch, command: list[str]) -> Counter[tuple[str, str, str]]:
    """The import statements ``command`` over ``files`` copies of a bare task definition
    makes, by module, calling file and function."""
    paths = []
    for index in range(files):
        path = tmp_path / f"td-{files}-{index}.json"
        shutil.copy(SHOP / "taskdefs" / "products-api.json", path)
        paths.append(path.name)
    made: Counter[tuple[str, str, str]] = Counter()
    original = builtins.__import__

    def counting(name, globals=None, locals=None, fromlist=(), level=0):
        caller = sys._getframe(1).f_code
        made[(name, caller.co_filename.rsplit("meshify", 1)[-1], caller.co_name)] += 1
        return original(name, globals, locals, fromlist, level)

    with monkeypatch.context() as patched:
        patched.setattr(builtins, "__import__", counting)
        result = run_meshify(*command, "--manifest", "meshify.yaml", *paths, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.count("would change" if command[0] == "inject" else " T201 ") == files
    return made


@pytest.mark.parametrize("command", [["inject", "--check"], ["lint"]], ids=["inject-check", "lint"])
def test_a_batch_makes_no_import_per_file(tmp_path, monkeypatch, command):
    monkeypatch.setenv("MESHIFY_JOBS", "1")
    shutil.copy(SHOP / "meshify.yaml", tmp_path / "meshify.yaml")
    run_meshify(*command, "--manifest", "meshify.yaml", str(SHOP / "taskdefs" / "products-api.json"),
                cwd=tmp_path)  # what a first run imports, imported
    two, six = _imports(tmp_path, 2, monkeypatch, command), _imports(tmp_path, 6, monkeypatch, command)
    assert {key: (six[key] - two[key]) / 4 for key in six if six[key] != two[key]} == {}
