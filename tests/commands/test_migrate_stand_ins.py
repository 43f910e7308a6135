"""migrate and the names ``meshify init`` writes as stand-ins: where a template's App Mesh
name is an intrinsic (AWS's howto-ecs-basics walkthrough: ``!Sub '${ProjectName}-color-node'``,
a virtual service named by ``Fn::Join``), init writes the resource's logical id into
meshify.yaml and lists it in the manifest's header. A stand-in is never written as if it
were the deployed name: a client alias takes the template's own expression for the name
when the ECS service is in that template, else it is not written and R615 says why and
where (the manifest's file:line:col)."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import cfn_lint_findings, run_meshify
from golden_cases import CORPUS

WALKTHROUGH = CORPUS / "aws-app-mesh-examples/walkthroughs/howto-ecs-basics/deploy"
pytestmark = pytest.mark.skipif(not (WALKTHROUGH / "2-meshify.yaml").exists(),
                                reason=f"the shared corpus is absent ({CORPUS})")

# The template's VirtualServiceName of ColorVirtualService, as the reader keeps it (long form).
COLOR_SERVICE_NAME = {"Fn::Join": [".", [{"Fn::GetAtt": ["ColorServiceRegistry", "Name"]},
                                         {"Fn::Sub": "${ProjectName}.mesh.local"}]]}


def _init(tmp_path, template: str):
    (tmp_path / ".git").mkdir()
    shutil.copy(WALKTHROUGH / template, tmp_path / "cfn.yaml")
    result = run_meshify("init", "cfn.yaml", "--region", "us-west-2", "--account", "111122223333", "--mesh", "howto",
                         cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "meshify.yaml"


def _aliases(patch: list[dict]) -> dict[str, list]:
    """The client aliases each ServiceConnectConfiguration of a --patch gives, by resource."""
    found = {}
    for operation in patch:
        if operation["path"].endswith("/ServiceConnectConfiguration"):
            resource = operation["path"].split("/")[2]
            found[resource] = [alias for entry in operation["value"].get("Services", [])
                               for alias in entry.get("ClientAliases", [])]
    return found


def test_a_stand_in_alias_is_written_as_the_templates_own_expression_for_the_name(tmp_path):
    _init(tmp_path, "2-meshify.yaml")
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--patch", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # R610's warning, as before
    assert _aliases(json.loads(result.stdout)) == {
        "ColorECSService": [{"Port": 8080, "DnsName": COLOR_SERVICE_NAME}], "FrontECSService": []}
    assert "R615 [info] virtual service `ColorVirtualService` is a stand-in meshify init wrote for a name only the " \
           "stack knows: the client alias of `ColorECSService` is written as the template's expression for it " \
           '({"Fn::Join": [".", [{"Fn::GetAtt": ["ColorServiceRegistry", "Name"]}, ' \
           '{"Fn::Sub": "${ProjectName}.mesh.local"}]]}), the name callers use today' in result.stderr
    assert "meshify.yaml:22:3: R615" in result.stderr


def test_the_diff_writes_the_expression_in_the_templates_short_form(tmp_path):
    _init(tmp_path, "2-meshify.yaml")
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--diff", cwd=tmp_path)
    lines = result.stdout.splitlines()
    start = lines.index("+            ClientAliases:")
    assert lines[start:start + 3] == [
        "+            ClientAliases:",
        "+              - Port: 8080",
        "+                DnsName: !Join ['.', [!GetAtt ColorServiceRegistry.Name, !Sub '${ProjectName}.mesh.local']]"]
    assert "ColorVirtualService" not in "\n".join(line for line in lines if line.startswith("+"))


def test_the_walkthroughs_routed_service_takes_the_expression_too(tmp_path):
    """The user's case: 3-routing.yaml, the virtual service behind a router."""
    _init(tmp_path, "3-routing.yaml")
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--patch", cwd=tmp_path)
    aliases = _aliases(json.loads(result.stdout))
    assert aliases["ColorECSService"] == [{"Port": 8080, "DnsName": COLOR_SERVICE_NAME}]
    assert "DnsName: ColorVirtualService" not in result.stdout and '"ColorVirtualService"' not in result.stdout
    # the report says what is written, and names the task definitions whose family only the stack knows
    assert "virtual service `ColorVirtualService` -> client alias `{\"Fn::Join\": " in result.stderr
    assert "`aws ecs register-task-definition`): `ColorTaskDef`, `ColorV2TaskDef`, `FrontTaskDef`." in result.stderr
    assert ("appmesh:StreamAggregatedResources on arn:aws:appmesh:us-west-2:111122223333:mesh/howto/virtualNode/"
            "ColorVirtualNode (`ColorVirtualNode` stands for the deployed name, which only the stack knows)") in result.stderr


def test_without_the_template_a_stand_in_is_refused_with_its_place_in_the_manifest(tmp_path):
    """The manifest alone (migrate's default): the header's mark is all meshify has. No
    configuration names `ColorVirtualService` as a DNS name; R615 is an error there."""
    _init(tmp_path, "2-meshify.yaml")
    result = run_meshify("migrate", "--to", "service-connect", "--out-dir", "out", cwd=tmp_path)
    assert result.returncode == 1
    written = {path.name: json.loads(path.read_text()) for path in (tmp_path / "out").glob("*.service-connect.json")}
    assert written, result.stderr
    assert "ColorVirtualService" not in json.dumps(
        [entry.get("clientAliases") for config in written.values()
         for entry in config["serviceConnectConfiguration"].get("services", [])])
    assert ("meshify.yaml:22:3: R615 [error] virtual service `ColorVirtualService` is a stand-in meshify init wrote "
            "for a name only the stack knows (the logical id of a resource whose name is an intrinsic): migrate does "
            "not write it as the client alias of `colorvirtualnode`, which would deploy the DNS name "
            "`ColorVirtualService`; put the deployed name here (the VirtualServiceName the stack gave it: "
            "`aws appmesh list-virtual-services --mesh-name howto`) and in the backends that call it, or give the "
            "template with the ECS service that runs it (if it is the deployed name already, take it out of the note "
            "in the manifest's header)") in result.stdout


def test_an_expression_the_service_s_template_cannot_hold_is_refused_too(tmp_path):
    """The template is given but does not declare the ECS service that serves the alias:
    its expression means nothing in a configuration written elsewhere."""
    _init(tmp_path, "2-meshify.yaml")
    template = tmp_path / "cfn.yaml"
    text = template.read_text()
    template.write_text(text[:text.index("  ColorECSService:\n")] + text[text.index("  ColorVirtualNode:\n"):])
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--check", "--format", "json", cwd=tmp_path)
    stand_ins = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "R615"]
    assert [(f["severity"], f["path"], f["line"], f["column"]) for f in stand_ins] == [("error", "meshify.yaml", 22, 3)]
    assert stand_ins[0]["message"].endswith(
        "and in the backends that call it, or declare that ECS service in cfn.yaml: the template's expression for the "
        'name ({"Fn::Join": [".", [{"Fn::GetAtt": ["ColorServiceRegistry", "Name"]}, '
        '{"Fn::Sub": "${ProjectName}.mesh.local"}]]}) holds only there')
    assert "ColorVirtualService" not in json.dumps(json.loads(result.stdout)["services"])


def test_the_mark_survives_edits_elsewhere_in_the_manifest(tmp_path):
    manifest = _init(tmp_path, "2-meshify.yaml")
    text = manifest.read_text()
    manifest.write_text(text.replace("    - port: 8080\n      protocol: http\n    backends:",
                                     "    - port: 8080\n      protocol: http\n      timeout: {http: {perRequest: 5s}}\n"
                                     "    backends:").replace("version: 1\n", "# reviewed by the team\nversion: 1\n"))
    result = run_meshify("migrate", "--to", "service-connect", "--check", "--format", "json", cwd=tmp_path)
    rules = [(f["rule"], f["severity"], f["line"]) for f in json.loads(result.stdout)["findings"] if f["rule"] == "R615"]
    assert rules == [("R615", "error", 24)]


def test_the_template_marks_a_stand_in_even_when_the_header_is_gone(tmp_path):
    manifest = _init(tmp_path, "2-meshify.yaml")
    manifest.write_text("".join(line for line in manifest.read_text().splitlines(keepends=True)
                                if not line.startswith("#")))
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--patch", cwd=tmp_path)
    assert _aliases(json.loads(result.stdout))["ColorECSService"] == [{"Port": 8080, "DnsName": COLOR_SERVICE_NAME}]


def test_the_deployed_name_put_in_replaces_the_stand_in(tmp_path):
    manifest = _init(tmp_path, "2-meshify.yaml")
    # a search and replace: the header's note now lists the deployed name, which is no logical id
    manifest.write_text(manifest.read_text().replace("ColorVirtualService", "color.howto.mesh.local"))
    result = run_meshify("migrate", "--to", "service-connect", "--out-dir", "out", cwd=tmp_path)
    assert "R615" not in result.stdout
    config = json.loads((tmp_path / "out" / "colorvirtualnode.service-connect.json").read_text())
    assert config["serviceConnectConfiguration"]["services"][0]["clientAliases"] == \
        [{"port": 8080, "dnsName": "color.howto.mesh.local"}]


@pytest.mark.slow
@pytest.mark.parametrize("template", ["2-meshify.yaml", "3-routing.yaml"])
def test_cfn_lint_on_the_migrated_walkthrough_finds_only_what_the_migration_explains(tmp_path, template):
    """The alias's expression is valid where it is written. cfn-lint's two new notes: the
    Envoy image parameter no container uses any more, and the service's own `DependsOn:
    ColorServiceRegistry`, which the alias's `!GetAtt ColorServiceRegistry.Name` now also enforces."""
    pytest.importorskip("cfnlint")
    _init(tmp_path, template)
    before = cfn_lint_findings(tmp_path / "cfn.yaml")
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--in-place", cwd=tmp_path)
    assert result.returncode == 1, result.stdout  # R610's warning
    assert cfn_lint_findings(tmp_path / "cfn.yaml") - before == {
        "W2001:Parameter EnvoyImage not used.",
        "W3005:'ColorServiceRegistry' dependency already enforced by a 'GetAtt' at 'Resources/ColorECSService/Properties/"
        "ServiceConnectConfiguration/Services/0/ClientAliases/0/DnsName/Fn::Join/1/0'"}


def test_the_deployed_name_put_in_wins_over_the_templates_stand_in(tmp_path):
    """The template still names the resource by its logical id (merged in as a second
    virtual service of the same node): the manifest's deployed name is the alias."""
    manifest = _init(tmp_path, "2-meshify.yaml")
    manifest.write_text(manifest.read_text().replace("ColorVirtualService", "color.howto.mesh.local"))
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--patch", cwd=tmp_path)
    assert _aliases(json.loads(result.stdout))["ColorECSService"] == [{"Port": 8080, "DnsName": "color.howto.mesh.local"}]
    assert "R615" not in result.stderr


def test_the_features_table_says_a_stand_in_waits_for_the_deployed_name(tmp_path):
    _init(tmp_path, "2-meshify.yaml")
    result = run_meshify("migrate", "--to", "service-connect", "--check", "--format", "json", cwd=tmp_path)
    rows = {row["rule"]: row["becomes"] for row in json.loads(result.stdout)["features"] if row["rule"]}
    assert rows["R615"] == "needs your answer: not written until given"
