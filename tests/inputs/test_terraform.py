"""Terraform as users write it: .tf task definitions (jsonencode, JSON heredocs,
templatefile() of a .json.tpl beside it), aws_appmesh_* resources, container arrays."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_meshify
from golden_cases import CORPUS, FIXTURES, GOLDEN, TERRAFORM_CASES

TERRAFORM = FIXTURES / "terraform"
TERRAFORM_GOLDEN = GOLDEN / "terraform"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    shutil.copytree(TERRAFORM / "ledger", tmp_path / "ledger")
    return tmp_path / "ledger"


@pytest.fixture
def heredoc(tmp_path: Path) -> Path:
    shutil.copytree(TERRAFORM / "heredoc", tmp_path / "heredoc")
    return tmp_path / "heredoc"


@pytest.fixture
def indented(tmp_path: Path) -> Path:
    shutil.copytree(TERRAFORM / "indented", tmp_path / "indented")
    return tmp_path / "indented"


# ---------------------------------------------------------------------------------------
# lint: findings at exact places in the .tf and in the file it reads


def test_lint_places_findings_in_the_tf_and_in_the_template_it_reads(ledger):
    result = run_meshify("lint", "main.tf", cwd=ledger)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "main.tf:16:3: M113 info: node `ledger-blue` has listeners but no virtual service or route reaches it",
        "main.tf:33:3: T204 error: no proxyConfiguration: the task's traffic does not go through Envoy; add an "
        "APPMESH proxy configuration for container `envoy`",
        "main.tf:39:3: T201 error: no Envoy container for node `ledger-blue`: add one named `envoy` running the "
        "App Mesh Envoy image",
        "main.tf:52:3: T204 error: no proxyConfiguration: the task's traffic does not go through Envoy; add an "
        "APPMESH proxy configuration for container `envoy`",
        "templates/audit.json.tpl:1:1: T201 error: no Envoy container for node `audit`: add one named `envoy` "
        "running the App Mesh Envoy image",
    ]


def test_the_template_given_beside_its_tf_is_read_once(ledger):
    alone = run_meshify("lint", "main.tf", cwd=ledger)
    both = run_meshify("lint", "main.tf", "templates/audit.json.tpl", cwd=ledger)
    assert both.stdout == alone.stdout


def test_lint_places_findings_inside_a_json_heredoc(heredoc):
    result = run_meshify("lint", "colorteller.tf", cwd=heredoc)
    assert result.stdout.splitlines() == [
        "colorteller.tf:6:3: T204 error: no proxyConfiguration: the task's traffic does not go through Envoy; add an "
        "APPMESH proxy configuration for container `envoy`",
        "colorteller.tf:18:3: T202 error: Envoy container `envoy` has no health check, so no container can wait for "
        "it to be HEALTHY: add the Envoy admin health check",
    ]


def test_no_rule_fires_on_an_unknown_and_inject_keeps_it(heredoc):
    # The Envoy image is ${var.envoy_image} and its memory ${var.envoy_memory}: T213 and T211 stay silent.
    result = run_meshify("lint", "colorteller.tf", "--select", "T211,T213,T209", cwd=heredoc)
    assert (result.returncode, result.stdout) == (0, "")
    assert run_meshify("inject", "colorteller.tf", "--in-place", cwd=heredoc).returncode == 0
    text = (heredoc / "colorteller.tf").read_text()
    assert '"image": "${var.envoy_image}",' in text and '"memory": ${var.envoy_memory},' in text


def test_mesh_rules_fire_at_the_appmesh_block_that_the_api_member_came_from(tmp_path):
    (tmp_path / "meshify.yaml").write_text("version: 1\nmesh:\n  name: m\n  region: us-east-1\n  account: '123456789012'\n")
    (tmp_path / "mesh.tf").write_text(MESH_TF)
    result = run_meshify("lint", "mesh.tf", "--select", "M103", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (
        1, "mesh.tf:16:9: M103 error: backend `missing.local` of node `front` is no virtual service of the mesh "
           "(services: none)\n")


MESH_TF = """\
resource "aws_appmesh_virtual_node" "front" {
  name      = "front"
  mesh_name = aws_appmesh_mesh.m.id

  spec {
    listener {
      port_mapping {
        port     = 8080
        protocol = "http"
      }
    }

    backend {
      virtual_service {
        # a service no file declares
        virtual_service_name = "missing.local"
      }
    }
  }
}
"""


def test_appmesh_resources_convert_to_the_api_spec_that_botocore_accepts():
    from meshify.injector.documents.document import Document
    from meshify.injector.inputs.terraform import spec_files
    from meshify.injector.model.service_models import validate

    document = Document.load("mesh.tf", MESH_TF + ROUTE_TF)
    found = {f.kind: f for f in spec_files(document)}
    assert found["virtualNode"].spec == {
        "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
        "backends": [{"virtualService": {"virtualServiceName": "missing.local"}}],
    }
    assert found["route"].spec == {"httpRoute": {
        "match": {"prefix": "/", "headers": [{"name": "x-canary", "match": {"exact": "1"}}]},
        "action": {"weightedTargets": [{"virtualNode": "front", "weight": 90}, {"virtualNode": "front-v2", "weight": 10}]},
        "retryPolicy": {"httpRetryEvents": ["server-error"], "maxRetries": 2,
                        "perRetryTimeout": {"unit": "ms", "value": 500}}}}
    assert found["route"].parent == "front-router"  # aws_appmesh_virtual_router.r.name, resolved
    for spec_file in found.values():
        assert validate("appmesh", spec_file.shape, spec_file.spec) == []
    # positions point at the block the API member came from
    assert found["route"].document.position("/resource/aws_appmesh_route/r/spec/httpRoute/action/weightedTargets/1/weight") \
        == (57, 11)  # the member's key, as in JSON files


ROUTE_TF = """
resource "aws_appmesh_virtual_router" "r" {
  name      = "front-router"
  mesh_name = "m"
  spec {
    listener {
      port_mapping {
        port     = 8080
        protocol = "http"
      }
    }
  }
}

resource "aws_appmesh_route" "r" {
  name                = "canary"
  mesh_name           = "m"
  virtual_router_name = aws_appmesh_virtual_router.r.name
  spec {
    http_route {
      match {
        prefix = "/"
        header {
          name = "x-canary"
          match {
            exact = "1"
          }
        }
      }
      action {
        weighted_target {
          virtual_node = "front"
          weight       = 90
        }
        weighted_target {
          virtual_node = "front-v2"
          weight       = 10
        }
      }
      retry_policy {
        http_retry_events = ["server-error"]
        max_retries       = 2
        per_retry_timeout {
          unit  = "ms"
          value = 500
        }
      }
    }
  }
}
"""


def test_bad_hcl_is_an_input_error_at_its_place(tmp_path):
    (tmp_path / "meshify.yaml").write_text("version: 1\nmesh:\n  name: m\n  region: us-east-1\n  account: '123456789012'\n")
    (tmp_path / "bad.tf").write_text('resource "aws_ecs_task_definition" "x" {\n  family = \n}\n')
    result = run_meshify("lint", "bad.tf", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("bad.tf:2:")
    assert "Traceback" not in result.stderr


def test_ecs_services_are_read_with_their_task_definition():
    from meshify.injector.documents.document import Document
    from meshify.injector.inputs import terraform

    (service,) = terraform.services(Document.load(str(TERRAFORM / "ledger" / "main.tf")))
    assert service.resource == "aws_ecs_service.ledger_blue"
    assert service.data == {"serviceName": "ledger-blue", "taskDefinition": "ledger-blue", "desiredCount": 2}
    assert service.document.position(service.base) == (61, 28)  # its label
    assert service.document.position(service.loc("/desiredCount").pointer) == (64, 3)


# ---------------------------------------------------------------------------------------
# inject: golden in-place edits, pointers of --patch, the property


def test_inject_in_place_golden(ledger, heredoc):
    assert run_meshify("inject", "main.tf", "--in-place", cwd=ledger).returncode == 0
    assert (ledger / "main.tf").read_bytes() == (TERRAFORM_GOLDEN / "ledger-main.tf").read_bytes()
    assert (ledger / "templates/audit.json.tpl").read_bytes() == (TERRAFORM_GOLDEN / "ledger-audit.json.tpl").read_bytes()
    assert run_meshify("inject", "colorteller.tf", "--in-place", cwd=heredoc).returncode == 0
    assert (heredoc / "colorteller.tf").read_bytes() == (TERRAFORM_GOLDEN / "heredoc-colorteller.tf").read_bytes()


@pytest.mark.parametrize(("golden", "folder", "name", "commands"), TERRAFORM_CASES,
                         ids=[case[0] for case in TERRAFORM_CASES])
def test_in_place_edits_give_the_golden_files(tmp_path, golden, folder, name, commands):
    """Among them ``<<-EOT`` (indented/): the new JSON lines carry the heredoc's indentation,
    the node's ARN is the interpolation of its address, and inject then migrate leave the rest
    of the file byte for byte. ``python tests/regen_golden.py`` rewrites them."""
    shutil.copytree(TERRAFORM / folder, tmp_path / folder)
    for command in commands:
        result = run_meshify(*command, cwd=tmp_path / folder)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / folder / name).read_bytes() == (TERRAFORM_GOLDEN / golden).read_bytes()


def test_findings_inside_an_indented_heredoc_are_at_their_place(indented):
    text = (TERRAFORM_GOLDEN / "indented-main.tf").read_text()
    (indented / "main.tf").write_text(text.replace('"user": "1337",', '"user": "1000",'))
    result = run_meshify("lint", "main.tf", "--select", "T206", cwd=indented)
    assert (result.returncode, result.stdout) == (
        1, "main.tf:61:9: T206 error: Envoy container `envoy` runs as user '1000', not '1337' (envoy.user and the "
           "proxy's IgnoredUID): its own traffic would loop through the proxy\n")
    (indented / "main.tf").write_text(text.replace('"startPeriod": 10', '"startPeriod": 10, "retries": 0'))
    result = run_meshify("lint", "main.tf", cwd=indented)
    assert (result.returncode, result.stderr) == (
        2, 'main.tf:76:30: duplicate key "retries" (JSON parsers disagree on which one wins)\n')


def test_patch_pointers_are_the_resources_path(ledger):
    result = run_meshify("inject", "main.tf", "--patch", cwd=ledger)
    assert result.returncode == 0
    first = json.loads(result.stdout.split("# ")[1].split("\n", 1)[1])
    paths = [op["path"] for op in first]
    assert "/resource/aws_ecs_task_definition/ledger_blue/container_definitions/-" in paths
    assert "/resource/aws_ecs_task_definition/ledger_blue/proxy_configuration" in paths
    envoy = next(op["value"] for op in first if op["path"].endswith("/container_definitions/-"))
    # the node is in the same .tf: its ARN is a reference, as python-hcl2 loads one
    assert envoy["environment"] == [{"name": "APPMESH_RESOURCE_ARN", "value": "${aws_appmesh_virtual_node.ledger_blue.arn}"}]


@pytest.mark.parametrize(("folder", "name"), [("ledger", "main.tf"), ("heredoc", "colorteller.tf"), ("defaults", "api.tf"),
                                             ("indented", "main.tf")])
def test_inject_then_lint_is_clean_inject_twice_changes_nothing_and_the_rest_is_byte_identical(tmp_path, folder, name):
    from meshify.injector.documents.document import Document

    shutil.copytree(TERRAFORM / folder, tmp_path / folder)
    cwd = tmp_path / folder
    before = Document.load(str(cwd / name))
    assert run_meshify("inject", name, "--in-place", cwd=cwd).returncode == 0
    lint = run_meshify("lint", name, cwd=cwd)
    # what inject cannot change: a variable's default (reported as such)
    assert [line for line in lint.stdout.splitlines() if ": T2" in line and "relies on the default" not in line] == []
    assert run_meshify("inject", name, "--check", cwd=cwd).returncode == 0
    after = (cwd / name).read_text()
    for resource_type, named in before.data["resource"].items():
        if resource_type == "aws_ecs_task_definition":
            continue
        for resource in named:
            start, end = before.hcl.span(f"/resource/{resource_type}/{resource}")
            assert before.text[start:end] in after
    spans = [before.hcl.span(f"/resource/aws_ecs_task_definition/{n}")
             for n in before.data["resource"]["aws_ecs_task_definition"]]
    first, last = min(start for start, _ in spans), max(end for _, end in spans)
    assert after[:first] == before.text[:first]
    assert after.endswith(before.text[last:])


def test_a_template_alone_gets_its_containers_and_the_block_is_printed(ledger):
    # A template alone has no family or address: --node claims it.
    result = run_meshify("inject", "templates/audit.json.tpl", "--node", "audit", "--in-place", cwd=ledger)
    assert result.returncode == 0
    assert (ledger / "templates/audit.json.tpl").read_bytes() == (TERRAFORM_GOLDEN / "ledger-audit.json.tpl").read_bytes()
    assert "add this to the aws_ecs_task_definition that reads it:\nproxy_configuration {\n" in result.stderr
    assert '    AppPorts         = "9090"\n' in result.stderr
    assert (ledger / "main.tf").read_bytes() == (TERRAFORM / "ledger" / "main.tf").read_bytes()


# ---------------------------------------------------------------------------------------
# The corpus: every Terraform container template reads without an input error


def _corpus_templates() -> list[Path]:
    return sorted(p for folder in ("terraform-ecs-appmesh", "terraform-aws-ecs-fargate")
                  for p in (CORPUS / folder).rglob("*.json*"))


@pytest.mark.parametrize("relative", [str(p.relative_to(CORPUS)) for p in _corpus_templates()] or ["absent"])
def test_corpus_templates_read(relative):
    if relative == "absent":
        pytest.skip("the shared corpus is absent")
    from meshify.injector.inputs.reader import read_input

    found = read_input(str(CORPUS / relative))
    assert found.task_definitions and found.task_definitions[0].data["containerDefinitions"]


# ---------------------------------------------------------------------------------------
# Variables: a literal default is the value, said so; inject never overwrites the variable


@pytest.fixture
def defaults(tmp_path: Path) -> Path:
    shutil.copytree(TERRAFORM / "defaults", tmp_path / "defaults")
    return tmp_path / "defaults"


def test_a_finding_on_a_variables_default_says_so(defaults):
    result = run_meshify("lint", "api.tf", cwd=defaults)
    assert result.returncode == 1
    assert sorted(result.stdout.splitlines()) == [
        "api.tf:21:7: T209 warning: Envoy image 'envoyproxy/envoy:v1.9.0' is not the App Mesh image for us-east-1 "
        "(840364872350.dkr.ecr.us-east-1.amazonaws.com/aws-appmesh-envoy) (relies on the default of var.envoy_image)",
        "api.tf:21:7: T209 warning: Envoy v1.9.0 is older than v1.17.2.0, the oldest version App Mesh still serves "
        "(relies on the default of var.envoy_image)",
        "api.tf:21:7: T213 warning: Envoy container `envoy` runs 'envoyproxy/envoy:v1.9.0', the manifest's Envoy image "
        "is '840364872350.dkr.ecr.us-east-1.amazonaws.com/aws-appmesh-envoy:v1.39.1.0-prod' "
        "(relies on the default of var.envoy_image)",
        "api.tf:44:7: T205 error: AppPorts is '9090', but the listeners of node `api` are '8080'",
    ]


def test_inject_fixes_the_proxy_map_in_place_and_keeps_the_variable(defaults):
    before = (defaults / "api.tf").read_text()
    assert run_meshify("inject", "api.tf", "--in-place", cwd=defaults).returncode == 0
    assert (defaults / "api.tf").read_text() == before.replace('AppPorts         = "9090"', 'AppPorts         = "8080"')


def test_a_reference_to_a_virtual_node_of_the_files_is_resolved(defaults):
    text = (defaults / "api.tf").read_text()
    arn = '"arn:aws:appmesh:us-east-1:123456789012:mesh/m/virtualNode/api"'
    nodes = ('resource "aws_appmesh_virtual_node" "api" {\n  name      = "api"\n  mesh_name = "m"\n}\n\n'
             'resource "aws_appmesh_virtual_node" "other" {\n  name      = "other"\n  mesh_name = "m"\n}\n')
    (defaults / "api.tf").write_text(text.replace(arn, "aws_appmesh_virtual_node.api.arn") + nodes)
    assert run_meshify("lint", "api.tf", "--select", "T207", cwd=defaults).stdout == ""
    (defaults / "api.tf").write_text(text.replace(arn, "aws_appmesh_virtual_node.other.arn") + nodes)
    wrong = run_meshify("lint", "api.tf", "--select", "T207", cwd=defaults)
    assert wrong.stdout == (
        "api.tf:25:42: T207 error: APPMESH_RESOURCE_ARN is not the ARN of node `api`: set it to "
        "arn:aws:appmesh:us-east-1:123456789012:mesh/m/virtualNode/api (through aws_appmesh_virtual_node.other.arn)\n")
    before = (defaults / "api.tf").read_text()
    run_meshify("inject", "api.tf", "--in-place", cwd=defaults)
    assert "value = aws_appmesh_virtual_node.other.arn" in (defaults / "api.tf").read_text()
    assert before.count("aws_appmesh_virtual_node.other.arn") == 1


# ---------------------------------------------------------------------------------------
# Terraform's JSON syntax


def test_tf_json_lint_and_inject(tmp_path):
    shutil.copytree(TERRAFORM / "tfjson", tmp_path / "tfjson")
    folder = tmp_path / "tfjson"
    lint = run_meshify("lint", "main.tf.json", cwd=folder)
    assert lint.stdout.splitlines() == [
        "main.tf.json:5:9: T204 error: no proxyConfiguration: the task's traffic does not go through Envoy; add an "
        "APPMESH proxy configuration for container `envoy`",
        "main.tf.json:7:9: T201 error: no Envoy container for node `colorteller`: add one named `envoy` running the "
        "App Mesh Envoy image",
        "main.tf.json:15:9: M113 info: node `colorteller` has listeners but no virtual service or route reaches it",
    ]
    assert run_meshify("inject", "main.tf.json", "--in-place", cwd=folder).returncode == 0
    assert (folder / "main.tf.json").read_bytes() == (TERRAFORM_GOLDEN / "tfjson-main.tf.json").read_bytes()
    assert run_meshify("inject", "main.tf.json", "--check", cwd=folder).returncode == 0


def test_tf_json_findings_inside_the_container_definitions_string_are_at_their_place(tmp_path):
    """The string holds pretty-printed JSON as one line of escapes (\\n, \\", \\u00e9 before the
    Envoy): each finding is at its element's own column, which a user's editor shows."""
    shutil.copytree(TERRAFORM / "tfjson", tmp_path / "tfjson")
    lint = run_meshify("lint", "escaped.tf.json", cwd=tmp_path / "tfjson")
    line = (TERRAFORM / "tfjson" / "escaped.tf.json").read_text().splitlines()[6]
    assert line[477:494] == '{\\n    \\"name\\": '  # the Envoy container
    assert line[635:643] == '\\"user\\"' and line[510:519] == '\\"image\\"'
    assert lint.stdout.splitlines() == [
        "escaped.tf.json:5:9: T204 error: no proxyConfiguration: the task's traffic does not go through Envoy; add an "
        "APPMESH proxy configuration for container `envoy`",
        "escaped.tf.json:7:478: T202 error: Envoy container `envoy` has no health check, so no container can wait for it "
        "to be HEALTHY: add the Envoy admin health check",
        "escaped.tf.json:7:511: T213 warning: Envoy container `envoy` runs "
        "'840364872350.dkr.ecr.us-east-1.amazonaws.com/aws-appmesh-envoy:v1.29.6.0-prod', the manifest's Envoy image is "
        "'840364872350.dkr.ecr.us-east-1.amazonaws.com/aws-appmesh-envoy:v1.39.1.0-prod'",
        "escaped.tf.json:7:636: T206 error: Envoy container `envoy` runs as user '1000', not '1337' (envoy.user and the "
        "proxy's IgnoredUID): its own traffic would loop through the proxy",
    ]


@pytest.mark.parametrize(("old", "new", "error"), [
    ('\\"user\\": \\"1000\\",', '\\"user\\": \\"1000\\" \\"x\\",', "7:655: invalid JSON: Expecting ',' delimiter"),
    ('\\"user\\": \\"1000\\",', '\\"user\\": \\"1000\\", \\"user\\": 1,',
     '7:656: duplicate key "user" (JSON parsers disagree on which one wins)'),
    ('"[\\n  {', '"' + "[" * 101 + "[\\n  {", "7:135: nested more than 100 levels deep"),
])
def test_tf_json_bad_json_in_the_container_definitions_string_is_an_input_error_at_its_place(tmp_path, old, new, error):
    text = (TERRAFORM / "tfjson" / "escaped.tf.json").read_text()
    assert old in text
    (tmp_path / "meshify.yaml").write_bytes((TERRAFORM / "tfjson" / "meshify.yaml").read_bytes())
    (tmp_path / "bad.tf.json").write_text(text.replace(old, new, 1))
    result = run_meshify("lint", "bad.tf.json", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", f"bad.tf.json:{error} (in the container_definitions string)\n")


@pytest.mark.parametrize("golden", ["ledger-main.tf", "heredoc-colorteller.tf", "indented-main.tf",
                                    "indented-main.migrated.tf"])
def test_an_injected_tf_still_parses_for_python_hcl2(golden):
    hcl2 = pytest.importorskip("hcl2")
    loaded = hcl2.loads((TERRAFORM_GOLDEN / golden).read_text())
    assert any(key.strip('"') == "aws_ecs_task_definition" for item in loaded["resource"] for key in item)


GATEWAY_TF = """
resource "aws_appmesh_virtual_service" "front" {
  name      = "front.local"
  mesh_name = "m"
  spec {
    provider {
      virtual_router {
        virtual_router_name = aws_appmesh_virtual_router.r.name
      }
    }
  }
}

resource "aws_appmesh_virtual_gateway" "edge" {
  name      = "edge"
  mesh_name = "m"
  spec {
    listener {
      port_mapping {
        port     = 8080
        protocol = "http"
      }
      health_check {
        port                = 8080
        protocol            = "http"
        path                = "/ping"
        healthy_threshold   = 2
        unhealthy_threshold = 2
        timeout_millis      = 2000
        interval_millis     = 5000
      }
    }
    logging {
      access_log {
        file {
          path = "/dev/stdout"
        }
      }
    }
  }
}

resource "aws_appmesh_gateway_route" "to_front" {
  name                 = "to-front"
  mesh_name            = "m"
  virtual_gateway_name = aws_appmesh_virtual_gateway.edge.name
  spec {
    http_route {
      action {
        target {
          virtual_service {
            virtual_service_name = aws_appmesh_virtual_service.front.name
          }
        }
      }
      match {
        prefix = "/"
      }
    }
  }
}

resource "aws_appmesh_virtual_node" "back" {
  name      = "back"
  mesh_name = "m"
  spec {
    listener {
      port_mapping {
        port     = 9090
        protocol = "grpc"
      }
      timeout {
        grpc {
          idle {
            unit  = "s"
            value = 60
          }
        }
      }
    }
    service_discovery {
      aws_cloud_map {
        namespace_name = "m.local"
        service_name   = "back"
        attributes = {
          version = "v2"
        }
      }
    }
    backend_defaults {
      client_policy {
        tls {
          enforce = true
          validation {
            trust {
              acm {
                certificate_authority_arns = ["arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/x"]
              }
            }
          }
        }
      }
    }
  }
}
"""


def test_every_appmesh_resource_kind_converts_to_what_botocore_accepts():
    from meshify.injector.documents.document import Document
    from meshify.injector.inputs.terraform import spec_files
    from meshify.injector.model.service_models import validate

    found = {f.name: f for f in spec_files(Document.load("mesh.tf", MESH_TF + ROUTE_TF + GATEWAY_TF))}
    assert sorted((f.kind, name) for name, f in found.items()) == [
        ("gatewayRoute", "to-front"), ("route", "canary"), ("virtualGateway", "edge"), ("virtualNode", "back"),
        ("virtualNode", "front"), ("virtualRouter", "front-router"), ("virtualService", "front.local")]
    for spec_file in found.values():
        assert validate("appmesh", spec_file.shape, spec_file.spec) == [], spec_file.name
    assert found["front.local"].spec == {"provider": {"virtualRouter": {"virtualRouterName": "front-router"}}}
    assert found["to-front"].parent == "edge"
    assert found["to-front"].spec["httpRoute"]["action"] == {"target": {"virtualService": {"virtualServiceName": "front.local"}}}
    assert found["back"].spec["serviceDiscovery"] == {"awsCloudMap": {
        "namespaceName": "m.local", "serviceName": "back", "attributes": [{"key": "version", "value": "v2"}]}}
    assert found["back"].spec["listeners"][0]["timeout"] == {"grpc": {"idle": {"unit": "s", "value": 60}}}
    assert found["back"].spec["backendDefaults"]["clientPolicy"]["tls"]["validation"] == {
        "trust": {"acm": {"certificateAuthorityArns": ["arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/x"]}}}
    assert found["edge"].spec["logging"] == {"accessLog": {"file": {"path": "/dev/stdout"}}}


def test_a_template_alone_without_node_is_left_unchanged_and_says_why(ledger):
    result = run_meshify("inject", "templates/audit.json.tpl", "--in-place", cwd=ledger)
    assert (result.returncode, result.stderr) == (
        0, "templates/audit.json.tpl: a container file names no family: give --node; left unchanged\n")


def test_a_missing_template_is_an_input_error_at_the_call(ledger):
    (ledger / "templates/audit.json.tpl").unlink()
    result = run_meshify("lint", "main.tf", cwd=ledger)
    assert result.returncode == 2
    assert result.stderr == f"main.tf:55:3: {Path('templates/audit.json.tpl')}: no such file\n"


# ---------------------------------------------------------------------------------------
# No manifest: the mesh is the App Mesh resources of the files; the Envoy's wiring claims


@pytest.fixture
def nomanifest(tmp_path: Path) -> Path:
    shutil.copytree(TERRAFORM / "nomanifest", tmp_path / "nomanifest")
    (tmp_path / "nomanifest" / ".git").mkdir()  # the repository root: no manifest above it
    return tmp_path / "nomanifest"


def test_without_a_manifest_the_task_definition_wired_to_a_node_of_the_files_is_checked(nomanifest):
    result = run_meshify("lint", "main.tf", cwd=nomanifest)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        "main.tf:14:3: M113 info: node `cart` has listeners but no virtual service or route reaches it",
        "main.tf:25:3: T204 error: no proxyConfiguration: the task's traffic does not go through Envoy; add an "
        "APPMESH proxy configuration for container `envoy`",
        "main.tf:30:7: T203 error: container `cart` does not wait for Envoy: add dependsOn {containerName: envoy, "
        "condition: HEALTHY}",
        "main.tf:35:5: T202 error: Envoy container `envoy` has no health check, so no container can wait for it to "
        "be HEALTHY: add the Envoy admin health check",
    ]


def test_without_a_manifest_inject_wires_what_the_files_claim(nomanifest):
    result = run_meshify("inject", "main.tf", "--in-place", cwd=nomanifest)
    assert result.returncode == 0
    assert result.stderr == (
        "main.tf: aws_ecs_task_definition.batch: nothing wires it to a virtual node or gateway of the files given "
        "(no manifest); give --node or a manifest; left unchanged\n"
        "injected: main.tf\n"
        "The task role needs appmesh:StreamAggregatedResources on the ARN of virtualNode 'cart' "
        "(the account is not in the files given)\n")
    assert (nomanifest / "main.tf").read_bytes() == (TERRAFORM_GOLDEN / "nomanifest-main.tf").read_bytes()
    assert run_meshify("inject", "main.tf", "--check", cwd=nomanifest).returncode == 0



def test_a_stale_literal_arn_does_not_move_the_mesh_to_another_region(nomanifest):
    """The provider says eu-west-1; an Envoy whose literal ARN names the node in another mesh,
    region and account is T207, fixed by a reference to the node. That stale ARN used to make
    the mesh's region us-east-1: T209 then called the right Envoy image wrong and inject
    rewrote it to us-east-1's, and the task role was told the stale account's ARN."""
    tf = nomanifest / "main.tf"
    wrong = "arn:aws:appmesh:us-east-1:123456789012:mesh/old/virtualNode/cart"
    text = tf.read_text()
    assert text.count("value = aws_appmesh_virtual_node.cart.arn") == 1
    tf.write_text(text.replace("value = aws_appmesh_virtual_node.cart.arn", f'value = "{wrong}"'))
    result = run_meshify("lint", "main.tf", "--select", "T207,T209,T213", cwd=nomanifest)
    assert (result.returncode, result.stdout) == (1, (
        "main.tf:41:42: T207 error: APPMESH_RESOURCE_ARN is not the ARN of node `cart`: set it to the node's ARN in "
        "the stack's region and account (in a template: !Ref the node's logical id)\n"))
    result = run_meshify("inject", "main.tf", "--in-place", cwd=nomanifest)
    assert result.returncode == 0
    assert "123456789012" not in result.stderr
    assert tf.read_bytes() == (TERRAFORM_GOLDEN / "nomanifest-main.tf").read_bytes()


def test_without_a_manifest_or_app_mesh_resources_the_manifest_is_missing(nomanifest):
    result = run_meshify("lint", str(TERRAFORM / "ledger" / "templates" / "audit.json.tpl"), cwd=nomanifest)
    assert (result.returncode, result.stderr) == (
        2, "no meshify.yaml here or in a parent directory up to the repository root, and no App Mesh resources in the "
           "files given; give --manifest PATH\n")


@pytest.mark.parametrize("fixture", ["ledger", "indented"])  # heredoc/ is wired by hand already: uninject unwires it
def test_uninject_gives_back_the_terraform_inject_changed(fixture, tmp_path):
    """inject then uninject: every file (the .tf, and the template it reads) byte for byte
    as it was, the proxy_configuration block and the blank line before it included."""
    work = tmp_path / fixture
    shutil.copytree(TERRAFORM / fixture, work)
    tf = next(work.glob("*.tf")).name
    assert run_meshify("inject", tf, "--in-place", cwd=work).returncode == 0
    assert run_meshify("uninject", tf, "--in-place", cwd=work).returncode == 0
    for original in sorted(path for path in (TERRAFORM / fixture).rglob("*") if path.is_file()):
        assert (work / original.relative_to(TERRAFORM / fixture)).read_bytes() == original.read_bytes(), original.name


def test_without_a_manifest_only_a_configured_envoy_image_is_insisted_on(nomanifest):
    """T213 said "the manifest's Envoy image is ..." of a Terraform mesh without a manifest,
    and inject rewrote a working Envoy image to meshify's default: with no manifest, only
    ``envoy-image`` in the configuration chooses an image (as for a template's mesh).
    An Envoy too old to be served is still T209's."""
    tf = nomanifest / "main.tf"
    tf.write_text(tf.read_text().replace("aws-appmesh-envoy:v1.39.1.0-prod", "aws-appmesh-envoy:v1.29.6.0-prod"))
    before = tf.read_bytes()
    result = run_meshify("lint", "main.tf", "--select", "T209,T213", cwd=nomanifest)
    assert (result.returncode, result.stdout) == (0, "")
    diff = run_meshify("inject", "main.tf", "--diff", cwd=nomanifest).stdout
    assert "+      image     = " not in diff and "v1.29.6.0-prod" not in "".join(
        line for line in diff.splitlines() if line.startswith("-"))
    (nomanifest / "meshify.toml").write_text(
        'envoy-image = "840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.39.1.0-prod"\n')
    result = run_meshify("lint", "main.tf", "--select", "T213", cwd=nomanifest)
    assert (result.returncode, result.stdout) == (0, (  # a warning: lint fails on errors by default
        "main.tf:37:7: T213 warning: Envoy container `envoy` runs "
        "'840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.29.6.0-prod', the configured Envoy image "
        "is '840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.39.1.0-prod'\n"))
    assert tf.read_bytes() == before
