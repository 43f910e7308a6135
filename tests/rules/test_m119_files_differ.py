"""M119: the App Mesh resources of the files given (templates, Terraform, App Mesh spec
files) compared with the manifest, each difference at the element that differs."""

from __future__ import annotations

import shutil

from conftest import run_meshify
from golden_cases import FIXTURES

MANIFEST = """version: 1
mesh: {name: colors, region: us-east-1, account: '123456789012'}
nodes:
  colorteller:
    family: colorteller
    listeners: [{port: 9080, protocol: http}]
    backends: [ledger.colors.local]
    discovery: {dns: {hostname: colorteller.colors.local}}
services:
  ledger.colors.local: {node: colorteller}
"""

NODE_JSON = """{
  "meshName": "colors",
  "virtualNodeName": "colorteller",
  "spec": {
    "listeners": [
      {"portMapping": {"port": 9080, "protocol": "http"}}
    ],
    "backends": [
      {"virtualService": {"virtualServiceName": "ledger.colors.local"}}
    ],
    "serviceDiscovery": {"dns": {"hostname": "colorteller.colors.local"}}
  }
}
"""


def _lint(tmp_path, name: str, text: str, manifest: str = MANIFEST) -> str:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "meshify.yaml").write_text(manifest)
    (tmp_path / name).write_text(text)
    return run_meshify("lint", name, "--select", "M119", cwd=tmp_path).stdout


def test_a_spec_file_that_matches_the_manifest_is_silent(tmp_path):
    assert _lint(tmp_path, "node.json", NODE_JSON) == ""


def test_a_spec_file_listener_port_that_differs_is_reported_at_the_port(tmp_path):
    assert _lint(tmp_path, "node.json", NODE_JSON.replace('"port": 9080', '"port": 8080')) == (
        "node.json:6:24: M119 warning: virtual node `colorteller` differs from the manifest at "
        "/listeners/0/portMapping/port: the manifest says 9080, the file has 8080\n")


def test_a_spec_file_backend_that_differs_is_reported_at_the_backend(tmp_path):
    assert _lint(tmp_path, "node.json", NODE_JSON.replace('"ledger.colors.local"', '"prices.colors.local"')) == (
        "node.json:9:27: M119 warning: virtual node `colorteller` differs from the manifest at "
        '/backends/0/virtualService/virtualServiceName: the manifest says "ledger.colors.local", the file has '
        '"prices.colors.local"\n')


def test_a_spec_file_with_one_more_listener_is_reported_at_its_listeners(tmp_path):
    text = NODE_JSON.replace('"protocol": "http"}}\n', '"protocol": "http"}},\n      {"portMapping": {"port": 9901, '
                                                       '"protocol": "http"}}\n')
    assert _lint(tmp_path, "node.json", text).startswith(
        "node.json:5:5: M119 warning: virtual node `colorteller` differs from the manifest at /listeners: the manifest "
        'says [{"portMapping": {"port": 9080, "protocol": "http"}}], the file has ')


def test_a_spec_file_resource_the_manifest_lacks_is_reported_at_its_spec(tmp_path):
    text = NODE_JSON.replace('"colorteller"', '"colorteller-v2"')
    assert _lint(tmp_path, "node.json", text) == (
        "node.json:4:3: M119 warning: virtual node `colorteller-v2` of the files is not in the manifest\n")


def test_a_spec_file_of_another_mesh_is_not_compared(tmp_path):
    # M118 says the file is of another mesh; comparing its resources with this one's would repeat it
    text = NODE_JSON.replace('"meshName": "colors"', '"meshName": "shapes"').replace('"port": 9080', '"port": 1')
    assert _lint(tmp_path, "node.json", text) == ""


def test_a_template_difference_is_reported_at_the_element(tmp_path):
    shutil.copy(FIXTURES / "cloudformation" / "ledger.yaml", tmp_path)
    manifest = ("version: 1\nmesh: {name: shop, region: eu-west-1, account: '111122223333'}\nnodes:\n"
                "  ledger-node:\n    resource: LedgerTaskDef\n    listeners: [{port: 9090, protocol: http}]\n"
                "    backends: [prices.shop.local]\n    discovery: {dns: {hostname: ledger.shop.local}}\n"
                "services:\n  ledger.shop.local: {node: ledger-node}\n  prices.shop.local: {node: ledger-node}\n")
    assert _lint(tmp_path, "ledger.yaml", (FIXTURES / "cloudformation" / "ledger.yaml").read_text(), manifest) == (
        "ledger.yaml:32:15: M119 warning: virtual node `ledger-node` differs from the manifest at "
        "/listeners/0/portMapping/port: the manifest says 9090, the file has 8080 (the default of parameter AppPort)\n")


TF = """resource "aws_appmesh_virtual_node" "colorteller" {
  name      = "colorteller"
  mesh_name = "colors"

  spec {
    listener {
      port_mapping {
        port     = 9080
        protocol = "http"
      }
    }

    backend {
      virtual_service {
        virtual_service_name = "ledger.colors.local"
      }
    }

    service_discovery {
      dns {
        hostname = "colorteller.colors.local"
      }
    }
  }
}
"""


def test_terraform_resources_are_compared_too(tmp_path):
    assert _lint(tmp_path, "mesh.tf", TF) == ""
    assert _lint(tmp_path, "mesh.tf", TF.replace('hostname = "colorteller.colors.local"', 'hostname = "ct.local"')) == (
        "mesh.tf:21:9: M119 warning: virtual node `colorteller` differs from the manifest at "
        '/serviceDiscovery/dns/hostname: the manifest says "colorteller.colors.local", the file has "ct.local"\n')
