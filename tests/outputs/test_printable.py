"""A finding that quotes a lone surrogate (a JSON ``\\udc80`` escape) is printed, escaped,
in every format; the report never dies on it. Run as the console script with a strict
UTF-8 standard output, where the encoding error used to happen."""

from __future__ import annotations

import json
import os

import pytest
from conftest import run_installed
from golden_cases import GOLDEN

pytestmark = pytest.mark.slow  # the console script, for a real encoded standard output


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_a_lone_surrogate_in_a_finding_is_printed_escaped(shop, output_format):
    taskdef = json.loads((GOLDEN / "shop-products-api.out.json").read_text())
    app = taskdef["containerDefinitions"][0]
    app["name"] = "app\udc80"
    del app["dependsOn"]
    (shop / "taskdefs/products-api.json").write_text(json.dumps(taskdef, indent=2))  # ASCII: the escape stays
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "NO_COLOR": "1"}
    result = run_installed("lint", "taskdefs/products-api.json", "--format", output_format, cwd=shop, env=env)
    assert (result.returncode, result.stderr) == (1, "")
    assert "T203" in result.stdout
    assert "app\\udc80" in result.stdout or "app\\\\udc80" in result.stdout
