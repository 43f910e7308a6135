"""Start-up: a file that is not a template does not pay for the template name mapping
(yaml_text reads every YAML file, the manifest included, templates or not)."""

from __future__ import annotations

import pytest
from golden_cases import SHOP
from test_startup import _imported

pytestmark = pytest.mark.slow  # each run is a fresh interpreter in its own process (test_startup's probe)

TEMPLATE_MODULES = ("meshify.injector.documents.yaml_text", "meshify.injector.inputs.cfn_names")


def test_lint_of_a_task_definition_loads_no_template_parser(tmp_path):
    status, modules = _imported(SHOP, tmp_path / "cache", "lint", "taskdefs/products-api-canary.yaml")
    assert status == 1
    assert "meshify.injector.inputs.cfn_names" not in modules


def test_lint_of_a_template_loads_them_but_not_jsonpatch(tmp_path):
    template = SHOP.parent / "cloudformation" / "ledger.yaml"
    status, modules = _imported(template.parent, tmp_path / "cache", "lint", template.name)
    assert status == 1
    assert [name for name in TEMPLATE_MODULES if name in modules] == list(TEMPLATE_MODULES)
    assert "jsonpatch" not in modules and "boto3" not in modules
