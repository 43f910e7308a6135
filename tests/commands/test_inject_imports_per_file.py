"""``inject --check`` over a batch makes no import statement per file (its own per-file work:
the facts of the context, the compose-file check, the edit's preparation). On Python 3.11 a
``from ... import`` inside a function costs about 8,000 instructions at every call, however
often the module was imported before; those modules are imported on their first use and
kept (start-up imports none of them)."""

from __future__ import annotations

import builtins
import shutil
import sys
from collections import Counter
from pathlib import Path

from conftest import run_meshify
from golden_cases import SHOP


def _imports(tmp_path: Path, files: int, monkeypatch) -> Counter[tuple[str, str, str]]:
    """The import statements a ``inject --check`` of ``files`` copies of a bare task
    definition makes, by module, calling file and function."""
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
        result = run_meshify("inject", "--check", "--manifest", "meshify.yaml", *paths, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.count("would change") == files
    return made


def test_inject_check_makes_no_import_per_file(tmp_path, monkeypatch):
    monkeypatch.setenv("MESHIFY_JOBS", "1")
    shutil.copy(SHOP / "meshify.yaml", tmp_path / "meshify.yaml")
    run_meshify("inject", "--check", "--manifest", "meshify.yaml", str(SHOP / "taskdefs" / "products-api.json"),
                cwd=tmp_path)  # what a first run imports, imported
    two, six = _imports(tmp_path, 2, monkeypatch), _imports(tmp_path, 6, monkeypatch)
    per_file = {key: (six[key] - two[key]) / 4 for key in six if six[key] != two[key]}
    # The reader's shape check (inputs/task_definition.py, lint's too) is not this test's.
    assert {key: count for key, count in per_file.items() if not key[1].endswith("inputs/task_definition.py")} == {}
