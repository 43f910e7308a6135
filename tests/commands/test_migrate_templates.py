"""``meshify migrate`` on templates that declare their ECS services (``AWS::ECS::Service`` in
CloudFormation YAML and JSON, ``aws_ecs_service`` in Terraform): each service's Service
Connect configuration is written into the template, in its spelling, in every output mode;
byte-for-byte goldens; idempotent; unknowns the user wrote are kept; lint of the result is
clean of C5xx, cfn-lint finds nothing new, python-hcl2 still parses the .tf."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import cfn_lint_findings, run_meshify
from golden_cases import CORPUS
from migrate_cases import TEMPLATE_CASES, TEMPLATES, files_under, migrate_templates_in_place, template_golden

IDS = [case[0] for case in TEMPLATE_CASES]


@pytest.mark.parametrize(("name", "files"), TEMPLATE_CASES, ids=IDS)
def test_migrate_in_place_writes_exactly_the_golden_templates(tmp_path, name, files):
    status, _, stderr = migrate_templates_in_place(name, files, tmp_path / name)
    assert status == 1  # R610 (DROP_ALL is not enforced) ... : warnings fail at the default --fail-on
    assert [line for line in stderr.splitlines() if line.startswith("migrated: ")] == [f"migrated: {f}" for f in files]
    assert {file: (tmp_path / name / file).read_bytes() for file in files} == files_under(template_golden(name))


@pytest.mark.parametrize(("name", "files"), TEMPLATE_CASES, ids=IDS)
def test_a_second_migrate_changes_nothing(tmp_path, name, files):
    work = tmp_path / name
    migrate_templates_in_place(name, files, work)
    after = files_under(work)
    check = run_meshify("migrate", *files, "--to", "service-connect", "--check", "--fail-on", "error", cwd=work)
    assert (check.returncode, "would change" in check.stderr) == (0, False)
    patch = run_meshify("migrate", *files, "--to", "service-connect", "--patch", "--fail-on", "error", cwd=work)
    assert '"op"' not in patch.stdout
    assert files_under(work) == after


@pytest.mark.parametrize(("name", "files"), TEMPLATE_CASES, ids=IDS)
def test_the_migrated_templates_pass_the_service_connect_lint(tmp_path, name, files):
    work = tmp_path / name
    migrate_templates_in_place(name, files, work)
    result = run_meshify("lint", *files, "--select", "C,T2", cwd=work)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def _validate_connect(configuration: dict) -> str:
    import botocore.session
    from botocore.validate import ParamValidator

    ecs = botocore.session.get_session().get_service_model("ecs")
    shape = ecs.operation_model("CreateService").input_shape.members["serviceConnectConfiguration"]
    report = ParamValidator().validate(configuration, shape)
    return report.generate_report() if report.has_errors() else ""


@pytest.mark.parametrize(("name", "path", "resource"), [("cfn", "ledger.yaml", "LedgerService"),
                                                        ("tf", "main.tf", "aws_ecs_service.ledger")])
def test_the_written_configuration_reads_back_as_valid_create_service_input(tmp_path, name, path, resource):
    from meshify.injector.inputs.reader import read_input

    work = tmp_path / name
    migrate_templates_in_place(name, dict(TEMPLATE_CASES)[name], work)
    (service,) = [s for s in read_input(str(work / path)).services if s.resource == resource]
    assert service.data["serviceConnectConfiguration"] == {
        "enabled": True, "namespace": "ledger.local",
        "services": [{"portName": "http-8080", "discoveryName": "ledger",
                      "clientAliases": [{"port": 8080, "dnsName": "ledger.ledger.local"}],
                      "timeout": {"perRequestTimeoutSeconds": 30}}]}
    assert _validate_connect(service.data["serviceConnectConfiguration"]) == ""


def test_patch_pointers_are_relative_to_the_template_the_user_wrote():
    cfn = run_meshify("migrate", "ledger.yaml", "--to", "service-connect", "--patch", cwd=TEMPLATES / "cfn")
    operations = json.loads(cfn.stdout)
    assert operations[-1] == {"op": "add", "path": "/Resources/LedgerService/Properties/ServiceConnectConfiguration",
                              "value": {"Enabled": True, "Namespace": "ledger.local", "Services": [{
                                  "PortName": "http-8080", "DiscoveryName": "ledger",
                                  "ClientAliases": [{"Port": 8080, "DnsName": "ledger.ledger.local"}],
                                  "Timeout": {"PerRequestTimeoutSeconds": 30}}]}}
    assert all(op["path"].startswith("/Resources/LedgerTaskDef/Properties/") for op in operations[:-1])
    tf = run_meshify("migrate", "main.tf", "--to", "service-connect", "--patch", cwd=TEMPLATES / "tf")
    operations = json.loads(tf.stdout)
    assert operations[-3:] == [
        {"op": "add", "path": "/resource/aws_ecs_service/ledger/service_connect_configuration", "value": [{
            "enabled": True, "namespace": "ledger.local", "service": [{
                "port_name": "http-8080", "discovery_name": "ledger",
                "client_alias": [{"port": 8080, "dns_name": "ledger.ledger.local"}],
                "timeout": [{"per_request_timeout_seconds": 30}]}]}]},
        # the block the user wrote: enabled turned on, namespace (a variable) kept, the service added
        {"op": "replace", "path": "/resource/aws_ecs_service/web/service_connect_configuration/0/enabled", "value": True},
        {"op": "add", "path": "/resource/aws_ecs_service/web/service_connect_configuration/0/service",
         "value": [{"port_name": "http-80", "discovery_name": "web"}]}]


def test_diff_and_print_show_the_service_and_write_nothing(tmp_path):
    work = tmp_path / "cfn"
    shutil.copytree(TEMPLATES / "cfn", work)
    before = files_under(work)
    diff = run_meshify("migrate", "ledger.yaml", "--to", "service-connect", "--diff", cwd=work)
    assert diff.stdout.startswith("--- a/ledger.yaml\n+++ b/ledger.yaml\n")
    assert "+      ServiceConnectConfiguration:\n+        Enabled: true\n+        Namespace: ledger.local\n" in diff.stdout
    printed = run_meshify("migrate", "ledger.yaml", "--to", "service-connect", cwd=work)
    assert printed.stdout.encode() == (template_golden("cfn") / "ledger.yaml").read_bytes()
    assert files_under(work) == before


def test_out_dir_writes_the_migrated_template_and_no_json_for_its_services(tmp_path):
    """A service the template declares is changed in the template (update-service beside it
    would drift from the stack): no JSON file for it; the report says where it went."""
    work = tmp_path / "tf"
    shutil.copytree(TEMPLATES / "tf", work)
    result = run_meshify("migrate", "main.tf", "--to", "service-connect", "--out-dir", "out", cwd=work)
    assert sorted(files_under(work / "out")) == ["report.json", "report.md", "taskdefs/main.tf"]
    assert (work / "out/taskdefs/main.tf").read_bytes() == (template_golden("tf") / "main.tf").read_bytes()
    assert (work / "main.tf").read_bytes() == (TEMPLATES / "tf/main.tf").read_bytes()
    assert "  ledger (nodes ledger; families ledger) -> out/taskdefs/main.tf (aws_ecs_service.ledger)\n" in result.stdout
    report = json.loads((work / "out/report.json").read_text())
    assert [s["file"] for s in report["services"]] == ["out/taskdefs/main.tf (aws_ecs_service.ledger)",
                                                       "out/taskdefs/main.tf (aws_ecs_service.web)"]
    assert "### `ledger` (written into `out/taskdefs/main.tf (aws_ecs_service.ledger)`: its template manages it)\n" \
        in (work / "out/report.md").read_text()


def test_a_service_given_as_api_json_still_gets_its_json_file(tmp_path):
    """Beside a template, a create-service input file is not a template: its configuration
    goes to --out-dir as before."""
    work = tmp_path / "cfn"
    shutil.copytree(TEMPLATES / "cfn", work)
    (work / "web.template.json").unlink()
    (work / "web-service.json").write_text(json.dumps({"cluster": "ledger", "serviceName": "web",
                                                        "taskDefinition": "web:3"}) + "\n")
    run_meshify("migrate", "ledger.yaml", "web-service.json", "--to", "service-connect", "--out-dir", "out", cwd=work)
    assert sorted(files_under(work / "out")) == ["report.json", "report.md", "taskdefs/ledger.yaml",
                                                 "web.service-connect.json"]


def test_migrated_tf_still_parses_for_python_hcl2():
    hcl2 = pytest.importorskip("hcl2")
    loaded = hcl2.loads((template_golden("tf") / "main.tf").read_text())
    services = {name.strip('"'): body for item in loaded["resource"] for kind, bodies in item.items()
                if kind.strip('"') == "aws_ecs_service" for name, body in bodies.items()}
    (connect,) = services["web"]["service_connect_configuration"]
    assert (connect["enabled"], connect["namespace"]) == (True, "${var.namespace_arn}")


@pytest.mark.slow
@pytest.mark.parametrize("file", ["ledger.yaml", "web.template.json"])
def test_cfn_lint_finds_nothing_new_in_a_migrated_template(file):
    pytest.importorskip("cfnlint")
    assert cfn_lint_findings(template_golden("cfn") / file) - cfn_lint_findings(TEMPLATES / "cfn" / file) == set()


PCA = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/0f0f0f0f-aaaa-bbbb-cccc-dddddddddddd"
WEB_NODE_TF = f'''resource "aws_appmesh_virtual_node" "web" {{
  name      = "web"
  mesh_name = "ledger"

  spec {{
    backend {{
      virtual_service {{
        virtual_service_name = "ledger.ledger.local"

        client_policy {{
          tls {{
            validation {{
              trust {{
                acm {{
                  certificate_authority_arns = ["{PCA}"]
                }}
              }}
            }}
          }}
        }}
      }}
    }}

    listener {{
      port_mapping {{
        port     = 80
        protocol = "http"
      }}
    }}
  }}
}}
'''


def test_tls_from_the_private_ca_is_a_complete_tls_block_in_terraform(tmp_path):
    """ledger's listener serves TLS and web trusts an AWS Private CA for it: the service's
    tls names the CA and the ECS infrastructure role TLS needs (meshify cannot know the
    team's: the report asks for it); botocore's ecs model accepts what reads back."""
    from meshify.injector.inputs.reader import read_input

    work = tmp_path / "tf"
    shutil.copytree(TEMPLATES / "tf", work)
    manifest = (work / "meshify.yaml").read_text()
    listener = "            perRequest: 30s\n"
    assert listener in manifest
    (work / "meshify.yaml").write_text(manifest.replace(listener, listener + (
        "        tls:\n          mode: STRICT\n"
        "          certificate: {acm: {certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/ledger'}}\n")))
    (work / "web-node.tf").write_text(WEB_NODE_TF)
    result = run_meshify("migrate", "main.tf", "web-node.tf", "--to", "service-connect", "--in-place", cwd=work)
    role = "arn:aws:iam::111122223333:role/ecsInfrastructureRole"
    assert (f"      tls {{\n        issuer_cert_authority {{\n          aws_pca_authority_arn = \"{PCA}\"\n        }}\n"
            f"        role_arn = \"{role}\"\n      }}\n") in (work / "main.tf").read_text()
    (ledger, _) = read_input(str(work / "main.tf")).services
    assert ledger.data["serviceConnectConfiguration"]["services"][0]["tls"] == {
        "issuerCertificateAuthority": {"awsPcaAuthorityArn": PCA}, "roleArn": role}
    assert _validate_connect(ledger.data["serviceConnectConfiguration"]) == ""
    assert f"create `{role}` (trusted by ecs.amazonaws.com" in result.stdout
    again = run_meshify("migrate", "main.tf", "web-node.tf", "--to", "service-connect", "--check", cwd=work)
    assert "would change" not in again.stderr


def test_a_tls_role_the_team_wrote_is_kept():
    from meshify.injector.model.migration import connect_patch

    wanted = {"enabled": True, "namespace": "ledger.local", "services": [{
        "portName": "http-8080", "tls": {"issuerCertificateAuthority": {"awsPcaAuthorityArn": PCA},
                                         "roleArn": "arn:aws:iam::111122223333:role/ecsInfrastructureRole"}}]}
    written = {"serviceConnectConfiguration": {"enabled": True, "namespace": "ledger.local", "services": [{
        "portName": "http-8080", "tls": {"issuerCertificateAuthority": {"awsPcaAuthorityArn": PCA},
                                         "roleArn": "arn:aws:iam::111122223333:role/team-tls"}}]}}
    assert connect_patch(written, wanted) == []
    del written["serviceConnectConfiguration"]["services"][0]["tls"]["roleArn"]
    assert connect_patch(written, wanted) == [{
        "op": "add", "path": "/serviceConnectConfiguration/services/0/tls/roleArn",
        "value": "arn:aws:iam::111122223333:role/ecsInfrastructureRole"}]


TF_JSON = """{
  "resource": {
    "aws_ecs_task_definition": {
      "ledger": {
        "family": "ledger",
        "network_mode": "awsvpc",
        "container_definitions": "[{\\"name\\": \\"app\\", \\"portMappings\\": [{\\"containerPort\\": 8080}]}]"
      }
    },
    "aws_ecs_service": {
      "ledger": {
        "name": "ledger",
        "task_definition": "${aws_ecs_task_definition.ledger.arn}",
        "service_connect_configuration": {
          "enabled": false,
          "service": [{"port_name": "ledger-http", "client_alias": {"port": 8080}}]
        }
      }
    }
  }
}
"""


def test_a_tf_json_service_written_with_objects_for_blocks_is_merged_in_place(tmp_path):
    """.tf.json may write one block as an object (``client_alias``): the stale port name the
    team wrote becomes the planned one, the alias gets its name, the rest is added."""
    shutil.copy(TEMPLATES / "tf" / "meshify.yaml", tmp_path / "meshify.yaml")
    (tmp_path / "main.tf.json").write_text(TF_JSON)
    assert run_meshify("lint", "main.tf.json", "--select", "C", cwd=tmp_path).stdout.startswith(
        "main.tf.json:16:24: C501 error: service `ledger`: portName 'ledger-http' is named by no port mapping")
    run_meshify("migrate", "main.tf.json", "--to", "service-connect", "--in-place", cwd=tmp_path)
    assert (tmp_path / "main.tf.json").read_text().split('"service_connect_configuration": ')[1] == (
        '{\n          "enabled": true,\n          "service": [{"port_name": "http-8080", "client_alias": {"port": 8080, '
        '"dns_name": "ledger.ledger.local"}, "discovery_name": "ledger", "timeout": [{"per_request_timeout_seconds": '
        '30}]}],\n          "namespace": "ledger.local"\n        }\n      }\n    }\n  }\n}\n')
    again = run_meshify("migrate", "main.tf.json", "--to", "service-connect", "--check", "--fail-on", "error",
                        cwd=tmp_path)
    assert (again.returncode, "would change" in again.stderr) == (0, False)
    assert run_meshify("lint", "main.tf.json", "--select", "C", cwd=tmp_path).stdout == ""


def test_a_computed_configuration_is_left_alone_and_said(tmp_path):
    """A ``dynamic "service_connect_configuration"`` is the team's code: not rewritten, and
    the configuration it should give is printed for them."""
    work = tmp_path / "tf"
    shutil.copytree(TEMPLATES / "tf", work)
    text = (work / "main.tf").read_text()
    old = ("  service_connect_configuration {\n    enabled   = false\n    namespace = var.namespace_arn\n  }\n")
    assert old in text
    (work / "main.tf").write_text(text.replace(old, (
        '  dynamic "service_connect_configuration" {\n    for_each = var.connect\n    content {\n'
        "      enabled   = true\n      namespace = var.namespace_arn\n    }\n  }\n")))
    result = run_meshify("migrate", "main.tf", "--to", "service-connect", "--patch", cwd=work)
    assert ("main.tf: aws_ecs_service.web: its Service Connect configuration is computed (a dynamic block, an "
            'intrinsic); left unchanged. It should give: {"enabled": true, "namespace": "ledger.local", "services": '
            '[{"portName": "http-80", "discoveryName": "web"}]}\n') in result.stderr
    assert "/resource/aws_ecs_service/web/" not in result.stdout


def test_a_service_the_stack_names_is_reported_by_its_resource(tmp_path):
    work = tmp_path / "cfn"
    shutil.copytree(TEMPLATES / "cfn", work)
    text = (work / "ledger.yaml").read_text()
    (work / "ledger.yaml").write_text(text.replace("      ServiceName: ledger\n", ""))
    result = run_meshify("migrate", "ledger.yaml", "--to", "service-connect", "--check", "--format", "json", cwd=work)
    assert [s["service"] for s in json.loads(result.stdout)["services"]] == ["LedgerService", "web"]


WALKTHROUGH_MESHIFY = CORPUS / "aws-app-mesh-examples/walkthroughs/howto-ecs-basics/deploy/2-meshify.yaml"


@pytest.mark.skipif(not WALKTHROUGH_MESHIFY.exists(), reason=f"the shared corpus is absent ({CORPUS})")
def test_a_service_tied_by_logical_id_to_a_task_definition_claimed_by_resource_is_migrated(tmp_path):
    """AWS's walkthrough: the task definitions' families are `!Sub '${ProjectName}-...'`
    (only the stack knows them), the manifest `meshify init` writes claims them by logical
    id, and each AWS::ECS::Service runs one by `!Ref`. migrate ties each service to its node
    through that logical id: no R614 "no ECS service runs it", and the configuration goes
    into the service's own resource."""
    (tmp_path / ".git").mkdir()
    shutil.copy(WALKTHROUGH_MESHIFY, tmp_path / "cfn.yaml")
    assert run_meshify("init", "cfn.yaml", "--region", "us-west-2", "--account", "111122223333", "--mesh", "howto",
                       cwd=tmp_path).returncode == 0
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--patch", cwd=tmp_path)
    assert "R614" not in result.stderr
    # a namespace only the stack knows is shown as the template's expression, not a Python repr
    assert result.stderr.splitlines()[0] == ('Migration of mesh howto to ECS Service Connect '
                                             '(namespace {"Fn::Sub": "${ProjectName}.pvtdns"})')
    services = {operation["path"] for operation in json.loads(result.stdout)
                if "ServiceConnectConfiguration" in operation["path"]}
    assert services == {"/Resources/ColorECSService/Properties/ServiceConnectConfiguration",
                        "/Resources/FrontECSService/Properties/ServiceConnectConfiguration"}


def test_the_last_step_says_what_still_ties_the_services_to_the_mesh_and_lint_lists_it(tmp_path):
    """The template's task definition DependsOn its node and reads the virtual service's name:
    deleting the App Mesh resources (the last step) would fail. The report says how many
    places hold on to them; after the migration is written, lint lists each (C511)."""
    from golden_cases import FIXTURES

    text = (FIXTURES / "cloudformation" / "service-connect-references.yaml").read_text()
    connect = text[text.index("      ServiceConnectConfiguration:"):]
    (tmp_path / "stack.yaml").write_text(text.replace(connect, "      DesiredCount: 1\n"))
    (tmp_path / "meshify.yaml").write_text(
        "version: 1\nmesh: {name: shop, region: eu-west-1, account: '111122223333'}\ncloudMap: {namespace: shop.local}\n"
        "nodes:\n  color:\n    family: color\n    listeners: [{port: 8080, protocol: http}]\n"
        "services:\n  color.shop.local: {node: color}\n")
    (tmp_path / ".git").mkdir()
    result = run_meshify("migrate", "--to", "service-connect", "stack.yaml", "--in-place", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert ("First remove what still ties the templates' ECS services or task definitions to them (5 place(s): once "
            "this migration is written, `meshify lint` lists each as C511); then delete the App Mesh resources of mesh "
            "`shop`") in result.stdout
    lint = run_meshify("lint", "stack.yaml", "--select", "C", cwd=tmp_path)
    assert [line.split(": ", 1)[1][:12] for line in lint.stdout.splitlines()] == ["C511 warning"] * 5
