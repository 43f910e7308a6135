"""Editing a template the CDK synthesized (``cdk.out/*.template.json``): meshify edits it as
asked, and says that the next ``cdk synth`` overwrites the edit, so that the change is made
in the CDK app too. A hand-written template gets no such note."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import run_meshify
from golden_cases import FIXTURES

CDK_OUT = FIXTURES / "cloudformation" / "cdk.out" / "LedgerStack.template.json"
NOTE = ("{path}: the CDK synthesized this template, and the next `cdk synth` overwrites this edit: make the same "
        "change in the CDK app (`--diff` shows it)")


@pytest.mark.parametrize("where", ["cdk.out", "metadata"])
def test_an_in_place_edit_of_a_synthesized_template_says_cdk_synth_overwrites_it(tmp_path, where):
    if where == "cdk.out":
        (tmp_path / "cdk.out").mkdir()
        path = "cdk.out/LedgerStack.template.json"
        shutil.copy(CDK_OUT, tmp_path / path)
    else:  # elsewhere, but with the metadata cdk synth writes on every resource
        path = "LedgerStack.template.json"
        template = json.loads(CDK_OUT.read_text())
        for logical_id, resource in template["Resources"].items():
            resource["Metadata"] = {"aws:cdk:path": f"LedgerStack/{logical_id}/Resource"}
        (tmp_path / path).write_text(json.dumps(template, indent=1) + "\n")
    result = run_meshify("inject", "--node", "ledger-node", "--in-place", path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[:2] == [f"injected: {path}", NOTE.format(path=path)]


def test_a_hand_written_template_gets_no_note(tmp_path):
    shutil.copy(FIXTURES / "cloudformation" / "ledger.yaml", tmp_path / "ledger.yaml")
    result = run_meshify("inject", "--in-place", "ledger.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "cdk synth" not in result.stderr
    assert result.stderr.splitlines()[0] == "injected: ledger.yaml"
