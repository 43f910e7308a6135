"""meshify init: a manifest from the App Mesh resources of the files, claims filled in,
region and account from the options or literal ARNs, never overwriting without --force."""

from __future__ import annotations

import shutil

from conftest import run_meshify
from golden_cases import FIXTURES

CFN = FIXTURES / "cloudformation"
LEDGER_MANIFEST = """\
# Written by meshify init from: ledger.yaml. Review it, then commit it.
version: 1
mesh:
  name: shop
  region: eu-west-1
  account: '111122223333'
nodes:
  ledger-node:
    resource: LedgerTaskDef
    listeners:
    - port: 8080
      protocol: http
    backends:
    - prices.shop.local
    discovery:
      dns:
        hostname: ledger.shop.local
services:
  ledger.shop.local:
    node: ledger-node
"""


def _project(tmp_path, *names):
    (tmp_path / ".git").mkdir()
    for name in names:
        shutil.copy(CFN / name, tmp_path / name)


def test_init_writes_the_files_mesh_with_claims_and_it_lints_without_m106(tmp_path):
    _project(tmp_path, "ledger.yaml")
    result = run_meshify("init", "ledger.yaml", "--region", "eu-west-1", "--account", "111122223333", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "meshify.yaml").read_text() == LEDGER_MANIFEST
    lint = run_meshify("lint", cwd=tmp_path)  # the manifest alone
    assert [line.split(" ")[1] for line in lint.stdout.splitlines()] == ["M103"]  # the template's own backend
    lint = run_meshify("lint", "ledger.yaml", cwd=tmp_path)
    # the manifest claims the task definition by its logical id (T2xx, not T212), and it is
    # the template's mesh (no M119)
    assert [line.split(" ")[1] for line in lint.stdout.splitlines()] == ["T204", "T203", "T202"]


def test_init_never_overwrites_without_force(tmp_path):
    _project(tmp_path, "ledger.yaml")
    (tmp_path / "meshify.yaml").write_text("mine\n")
    result = run_meshify("init", "ledger.yaml", "--region", "eu-west-1", "--account", "111122223333", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, "meshify.yaml exists: meshify init does not overwrite it without --force\n")
    assert (tmp_path / "meshify.yaml").read_text() == "mine\n"
    result = run_meshify("init", "ledger.yaml", "--region", "eu-west-1", "--account", "111122223333", "--force",
                         cwd=tmp_path)
    assert result.returncode == 0
    assert (tmp_path / "meshify.yaml").read_text() == LEDGER_MANIFEST


def test_init_names_what_is_missing(tmp_path, monkeypatch):
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    _project(tmp_path, "ledger.yaml")
    result = run_meshify("init", "ledger.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, "the files do not give mesh.region, mesh.account: give --region and --account\n")
    assert not (tmp_path / "meshify.yaml").exists()


def test_init_takes_region_and_account_from_a_literal_arn_in_the_files(tmp_path):
    _project(tmp_path, "ledger.yaml")
    text = (tmp_path / "ledger.yaml").read_text().replace(
        "      ManagedPolicyArns:\n", "      PermissionsBoundary: arn:aws:iam::999988887777:policy/none\n"
        "      Policies: []\n      Path: /\n      ManagedPolicyArns:\n").replace(
        "Value: !Ref LedgerNode", "Value: arn:aws:appmesh:ap-south-1:999988887777:mesh/shop/virtualNode/ledger-node")
    (tmp_path / "ledger.yaml").write_text(text)
    result = run_meshify("init", "ledger.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "  region: ap-south-1\n  account: '999988887777'\n" in (tmp_path / "meshify.yaml").read_text()


def test_init_of_files_without_app_mesh_resources_is_an_error(tmp_path):
    _project(tmp_path, "ledger.yaml")
    (tmp_path / "td.json").write_text('{"family": "x", "containerDefinitions": [{"name": "a", "image": "b"}]}')
    result = run_meshify("init", "td.json", "--region", "eu-west-1", "--account", "111122223333", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "no App Mesh resources in td.json: nothing to write a manifest from\n")


def test_init_of_terraform_reads_the_mesh_the_provider_and_the_wiring_by_reference(tmp_path, monkeypatch):
    """A .tf names its mesh in ``aws_appmesh_mesh`` and its region in the provider (where the
    stack runs: it outranks the shell's AWS configuration), and its Envoy names the node by
    reference (``aws_appmesh_virtual_node.cart.arn``): the manifest has them all, as lint
    without a manifest reads them (the node claims ``cart``), so that migrate with it changes
    what migrate without it changes."""
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "terraform" / "nomanifest" / "main.tf", tmp_path / "main.tf")
    result = run_meshify("init", "main.tf", "--account", "111122223333", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "meshify.yaml").read_text() == (
        "# Written by meshify init from: main.tf. Review it, then commit it.\n"
        "version: 1\nmesh:\n  name: shop\n  region: eu-west-1\n  account: '111122223333'\n"
        "nodes:\n  cart:\n    family: cart\n    listeners:\n    - port: 8080\n      protocol: http\n")
