"""Rule selection that selects nothing is a typo, not a wish: unknown ids are a usage
error (exit 2), on the command line and in the configuration, as in ruff. Usage errors
are one line."""

from __future__ import annotations

import pytest
from conftest import run_meshify


@pytest.mark.parametrize(("option", "value"), [("--select", "T2O1"), ("--ignore", "M1O2"), ("--select", "T2,X")])
def test_unknown_rule_ids_on_the_command_line(shop, option, value):
    result = run_meshify("lint", "taskdefs/products-api.json", option, value, cwd=shop)
    unknown = value.split(",")[-1]
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"meshify: {option}: unknown rule id {unknown!r} (meshify rules lists them)\n"


@pytest.mark.parametrize("prefix", ["T2", "M", "t201", "I30"])
def test_prefixes_of_real_ids_still_select(shop, prefix):
    result = run_meshify("lint", "taskdefs/products-api.json", "--select", prefix, cwd=shop)
    assert result.returncode in (0, 1) and result.stderr == ""


def test_unknown_rule_ids_in_pyproject(shop):
    (shop / "pyproject.toml").write_text('[project]\nname = "shop"\n\n[tool.meshify]\nselect = ["T2O1"]\n')
    result = run_meshify("lint", "taskdefs/products-api.json", cwd=shop)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "pyproject.toml:5: select: unknown rule id 'T2O1' (meshify rules lists them)\n"


def test_unknown_rule_ids_in_per_file_ignores(shop):
    (shop / "meshify.toml").write_text('[per-file-ignores]\n"taskdefs/*.json" = ["T2O9"]\n')
    result = run_meshify("lint", "taskdefs/products-api.json", cwd=shop)
    assert result.returncode == 2
    assert result.stderr == "meshify.toml:2: taskdefs/*.json: unknown rule id 'T2O9' (meshify rules lists them)\n"


@pytest.mark.parametrize("argv", [("lint", "--bogus"), ("inject",), ("lint", "--format"), ("nonsense",)])
def test_usage_errors_are_one_line(shop, argv):
    result = run_meshify(*argv, cwd=shop)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("meshify: ")
