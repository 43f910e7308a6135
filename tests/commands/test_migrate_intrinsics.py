"""migrate on AWS's howto-ecs-basics walkthrough, where names the plan compares are
intrinsics the template alone cannot evaluate:

- 3-routing.yaml's two colour nodes both register under ``!GetAtt ColorServiceRegistry.Name``
  in ``!Sub '${ProjectName}.pvtdns'``: one expression in one template is one value, so they
  are versions of one service (R601's canary), not an A/B split (R602);
- the namespace is ``!Sub '${ProjectName}.pvtdns'``: the template's services get it as
  written, but a JSON configuration for ``aws ecs update-service`` cannot hold an intrinsic
  (R616 refuses that file and says to pass ``--namespace``)."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import run_meshify
from golden_cases import CORPUS

WALKTHROUGH = CORPUS / "aws-app-mesh-examples/walkthroughs/howto-ecs-basics/deploy"
pytestmark = pytest.mark.skipif(not (WALKTHROUGH / "3-routing.yaml").exists(),
                                reason=f"the shared corpus is absent ({CORPUS})")

NAMESPACE = {"Fn::Sub": "${ProjectName}.pvtdns"}


def _init(tmp_path, template: str = "3-routing.yaml", without: str | None = None):
    """The walkthrough's template as cfn.yaml (without the resource ``without``), and its manifest."""
    (tmp_path / ".git").mkdir()
    text = (WALKTHROUGH / template).read_text()
    if without is not None:
        start = text.index(f"  {without}:\n")
        end = re.compile(r"^  [A-Za-z#]", re.MULTILINE).search(text, start + 3).start()  # the next resource or comment
        text = text[:start] + text[end:]
    (tmp_path / "cfn.yaml").write_text(text)
    result = run_meshify("init", "cfn.yaml", "--region", "us-west-2", "--account", "111122223333", "--mesh", "howto",
                         cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def _findings(result) -> list[tuple]:
    return [(f["rule"], f["severity"], f["path"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]]


def _connect(patch: list[dict]) -> dict[str, dict]:
    return {operation["path"].split("/")[2]: operation["value"] for operation in patch
            if operation["path"].endswith("/ServiceConnectConfiguration")}


# ---------------------------------------------------------------------------------------
# 1. Versions of one service whose Cloud Map service is an intrinsic


def test_the_routed_colour_nodes_are_versions_of_one_service_not_an_ab_split(tmp_path):
    _init(tmp_path)
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1  # R601 and R610 are warnings
    findings = _findings(result)
    assert ("R602", "error", "cfn.yaml", 709, 17) not in findings
    assert [f for f in findings if f[1] != "info"] == [("R601", "warning", "cfn.yaml", 709, 17),
                                                       ("R610", "warning", "cfn.yaml", 750, 9)]
    r601 = next(f for f in json.loads(result.stdout)["findings"] if f["rule"] == "R601")
    assert r601["message"] == (
        "route `ColorRoute` of router `ColorVirtualRouter` splits traffic between versions of one service "
        "(ColorVirtualNode 50%, ColorV2VirtualNode 50%): Service Connect has no router; they become one ECS service "
        "`ColorECSService` deployed with deploymentConfiguration.strategy CANARY (canaryPercent 50) or LINEAR "
        "(stepPercent 50); `ColorV2ECSService`, which runs `ColorV2VirtualNode`, serves no client alias of its own "
        "(an alias is unique in a namespace): roll its task definition out as a new revision of `ColorECSService`, "
        "then delete it")
    report = json.loads(result.stdout)
    rows = {row["feature"]: row["becomes"] for row in report["features"]}
    assert rows["virtual node `ColorV2VirtualNode`"] == "ECS service `ColorECSService` (one of 2 versions), port `http-8080`"
    assert rows["service discovery of `ColorV2VirtualNode`"] == "discoveryName `colorecsservice`"
    assert [(s["service"], s["nodes"], s["file"]) for s in report["services"]] == [
        ("ColorECSService", ["ColorVirtualNode", "ColorV2VirtualNode"], "cfn.yaml (ColorECSService)"),
        ("ColorV2ECSService", ["ColorV2VirtualNode"], "cfn.yaml (ColorV2ECSService)"),
        ("FrontECSService", ["FrontVirtualNode"], "cfn.yaml (FrontECSService)")]
    assert any(step.startswith("Run `ColorECSService` with the task definition of `ColorVirtualNode`; roll out "
                               "ColorV2VirtualNode as a new revision of it with deploymentConfiguration.strategy CANARY "
                               "(canaryPercent 50) or LINEAR (stepPercent 50), then delete `ColorV2ECSService`.")
               for step in report["steps"])


def test_the_version_s_ecs_service_joins_the_namespace_as_a_client_and_the_primary_serves_the_alias(tmp_path):
    _init(tmp_path)
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--patch", cwd=tmp_path)
    alias = {"Fn::Join": [".", [{"Fn::GetAtt": ["ColorServiceRegistry", "Name"]}, {"Fn::Sub": "${ProjectName}.mesh.local"}]]}
    assert _connect(json.loads(result.stdout)) == {
        "ColorECSService": {"Enabled": True, "Namespace": NAMESPACE, "Services": [
            {"PortName": "http-8080", "DiscoveryName": "colorecsservice", "ClientAliases": [{"Port": 8080, "DnsName": alias}]}]},
        "ColorV2ECSService": {"Enabled": True, "Namespace": NAMESPACE},
        "FrontECSService": {"Enabled": True, "Namespace": NAMESPACE, "Services": [
            {"PortName": "http-8080", "DiscoveryName": "frontecsservice"}]}}


def test_the_diff_of_the_version_s_service(tmp_path):
    _init(tmp_path)
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--diff", cwd=tmp_path)
    lines = result.stdout.splitlines()
    start = lines.index("       TaskDefinition: !Ref ColorV2TaskDef")
    assert lines[start:start + 5] == ["       TaskDefinition: !Ref ColorV2TaskDef",
                                      "+      ServiceConnectConfiguration:",
                                      "+        Enabled: true",
                                      "+        Namespace: !Sub '${ProjectName}.pvtdns'",
                                      " "]  # the blank line before ColorV2VirtualNode


def test_equal_intrinsics_in_different_templates_are_not_taken_for_one_service(tmp_path):
    """The same expression in two templates may be two values (two stacks): still an A/B split."""
    _init(tmp_path)
    text = (tmp_path / "cfn.yaml").read_text()
    start, end = text.index("  ColorV2VirtualNode:\n"), text.index("  ColorVirtualService:\n")
    (tmp_path / "cfn.yaml").write_text(text[:start] + text[end:])
    (tmp_path / "v2.yaml").write_text("Parameters:\n  ProjectName: {Type: String}\n  ContainerPort: {Type: Number}\n"
                                      "Resources:\n" + text[start:end])
    result = run_meshify("migrate", "cfn.yaml", "v2.yaml", "--to", "service-connect", "--check", "--format", "json",
                         cwd=tmp_path)
    assert [f[:3] for f in _findings(result) if f[0] in ("R601", "R602")] == [("R602", "error", "cfn.yaml")]


def test_different_intrinsics_in_one_template_are_not_taken_for_one_service(tmp_path):
    _init(tmp_path)
    text = (tmp_path / "cfn.yaml").read_text()
    v2 = text.index("  ColorV2VirtualNode:\n")
    at = text.index("ServiceName: !GetAtt ColorServiceRegistry.Name", v2)
    (tmp_path / "cfn.yaml").write_text(text[:at] + "ServiceName: !GetAtt ColorV2ServiceRegistry.Name"
                                       + text[at + len("ServiceName: !GetAtt ColorServiceRegistry.Name"):])
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--check", "--format", "json", cwd=tmp_path)
    assert ("R602", "error", "cfn.yaml", 709, 17) in _findings(result)
    assert "R601" not in [f[0] for f in _findings(result)]


# ---------------------------------------------------------------------------------------
# 2. A namespace given by an intrinsic, and configurations written as JSON


def test_a_json_configuration_refuses_the_template_s_namespace_expression(tmp_path):
    """FrontECSService taken out of the template: its configuration would go to
    frontvirtualnode.service-connect.json, where `!Sub` means nothing."""
    _init(tmp_path, without="FrontECSService")
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--out-dir", "out", "--diff",
                         "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert not (tmp_path / "out" / "frontvirtualnode.service-connect.json").exists()
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    r616 = [f for f in report["findings"] if f["rule"] == "R616"]
    assert [(f["severity"], f["path"], f["line"], f["column"]) for f in r616] == [("error", "cfn.yaml", 491, 13)]
    assert r616[0]["message"] == (
        'the Cloud Map namespace is cfn.yaml\'s expression {"Fn::Sub": "${ProjectName}.pvtdns"} (the namespace of '
        "`ColorVirtualNode`), which only the stack can evaluate: it holds in the template's ECS services, but not in "
        "the JSON configuration of `frontvirtualnode` for `aws ecs update-service`, which is not written; pass the "
        "deployed namespace's name with --namespace NAME (`aws servicediscovery list-namespaces`), or declare that "
        "ECS service in cfn.yaml")
    front = next(s for s in report["services"] if s["service"] == "frontvirtualnode")
    assert front["file"] is None
    assert front["configuration"]["serviceConnectConfiguration"] == {
        "enabled": True, "services": [{"portName": "http-8080", "discoveryName": "frontvirtualnode"}]}
    assert "Fn::Sub" not in json.dumps(front["configuration"])
    # the template's own services keep the expression
    assert "+        Namespace: !Sub '${ProjectName}.pvtdns'" in result.stdout.splitlines()
    assert "wrote 0 service configuration(s)" in result.stderr


def test_the_refused_configuration_is_said_in_the_text_and_markdown_reports(tmp_path):
    _init(tmp_path, without="FrontECSService")
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--out-dir", "out", "--check", cwd=tmp_path)
    assert "  frontvirtualnode (nodes FrontVirtualNode; families none given) -> not written: its namespace only the " \
           "stack knows [R616]" in result.stdout.splitlines()
    assert "cfn.yaml:491:13: R616 [error] the Cloud Map namespace is cfn.yaml's expression" in result.stdout
    run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--out-dir", "out", cwd=tmp_path)
    markdown = (tmp_path / "out" / "report.md").read_text()
    assert "### `frontvirtualnode` (not written: its namespace only the stack knows, R616)" in markdown


def test_namespace_given_writes_the_json_configuration(tmp_path):
    _init(tmp_path, without="FrontECSService")
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--out-dir", "out", "--diff",
                         "--namespace", "howto.green", cwd=tmp_path)
    assert "R616" not in result.stderr
    config = json.loads((tmp_path / "out" / "frontvirtualnode.service-connect.json").read_text())
    assert config == {"service": "frontvirtualnode", "serviceConnectConfiguration": {
        "enabled": True, "namespace": "howto.green",
        "services": [{"portName": "http-8080", "discoveryName": "frontvirtualnode"}]}}
    assert "+        Namespace: howto.green" in result.stdout.splitlines()


def test_a_service_given_as_api_json_refuses_the_expression_too(tmp_path):
    """The ECS service as `aws ecs create-service` input beside the template."""
    _init(tmp_path, without="FrontECSService")
    shutil.copy(tmp_path / "cfn.yaml", tmp_path / "cfn.copy")
    (tmp_path / "front-service.json").write_text(json.dumps(
        {"cluster": "howto", "serviceName": "front", "taskDefinition": "FrontTaskDef", "desiredCount": 3}))
    result = run_meshify("migrate", "cfn.yaml", "front-service.json", "--to", "service-connect", "--out-dir", "out",
                         "--check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    r616 = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "R616"]
    assert [(f["path"], f["line"], f["column"]) for f in r616] == [("cfn.yaml", 491, 13)]
    assert "the JSON configuration of `front` for `aws ecs update-service`" in r616[0]["message"]
    assert (tmp_path / "cfn.yaml").read_bytes() == (tmp_path / "cfn.copy").read_bytes()


def test_the_manifest_s_literal_namespace_is_written_as_before(tmp_path):
    """The manifest alone: its namespace (the mesh's name here) is a name, no R616."""
    _init(tmp_path)
    result = run_meshify("migrate", "--to", "service-connect", "--out-dir", "out", cwd=tmp_path)
    assert "R616" not in result.stdout
    config = json.loads((tmp_path / "out" / "frontvirtualnode.service-connect.json").read_text())
    assert config["serviceConnectConfiguration"]["namespace"] == "howto"


def test_with_the_manifest_alone_r602_says_it_cannot_tell_and_how_to_say_they_are_versions(tmp_path):
    """init writes no discovery whose names are intrinsics: the manifest alone cannot show
    the colour nodes are versions of one service. The split is still reported (it would be
    lost), with what meshify could not compare and what to give it."""
    _init(tmp_path)
    result = run_meshify("migrate", "--to", "service-connect", "--check", "--format", "json", cwd=tmp_path)
    r602 = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "R602"]
    assert [(f["severity"], f["path"], f["line"], f["column"]) for f in r602] == [("error", "meshify.yaml", 35, 9)]
    assert r602[0]["message"] == (
        "route `ColorRoute` of router `ColorVirtualRouter` splits traffic between different services "
        "(ColorVirtualNode 50, ColorV2VirtualNode 50): Service Connect has no weighted split between services, so it "
        "is lost; `ColorVirtualService` will reach only `colorvirtualnode` (`ColorVirtualNode`, `ColorV2VirtualNode` "
        "give no service discovery meshify can compare: if they are versions of one service, give them the same "
        "`discovery` in the manifest, or give migrate the template that declares them); keep it with a VPC Lattice "
        "listener rule forwarding to weighted target groups (or an ALB forward action with the same weights)")


def test_a_version_s_ecs_service_given_as_api_json_is_written_as_a_client(tmp_path):
    """ColorV2ECSService taken out of the template and given as create-service input."""
    _init(tmp_path, without="ColorV2ECSService")
    (tmp_path / "color-v2.json").write_text(json.dumps(
        {"cluster": "howto", "serviceName": "color-v2", "taskDefinition": "ColorV2TaskDef", "desiredCount": 3}))
    refused = run_meshify("migrate", "cfn.yaml", "color-v2.json", "--to", "service-connect", "--out-dir", "out",
                          "--check", "--format", "json", cwd=tmp_path)
    report = json.loads(refused.stdout)
    assert "the JSON configuration of `color-v2` for `aws ecs update-service`" in \
        next(f["message"] for f in report["findings"] if f["rule"] == "R616")
    assert "`color-v2`, which runs `ColorV2VirtualNode`, serves no client alias of its own" in \
        next(f["message"] for f in report["findings"] if f["rule"] == "R601")
    result = run_meshify("migrate", "cfn.yaml", "color-v2.json", "--to", "service-connect", "--out-dir", "out",
                         "--namespace", "howto.green", cwd=tmp_path)
    assert result.returncode == 1, result.stdout  # R601, R610
    assert json.loads((tmp_path / "out" / "color-v2.service-connect.json").read_text()) == {
        "cluster": "howto", "service": "color-v2", "taskDefinition": "ColorV2TaskDef",
        "serviceConnectConfiguration": {"enabled": True, "namespace": "howto.green"}}
    assert sorted(path.name for path in (tmp_path / "out").glob("*.service-connect.json")) == \
        ["color-v2.service-connect.json"]


def test_the_features_table_says_a_refused_configuration_waits_for_the_user_not_that_it_is_lost(tmp_path):
    """R616 (and R615) are errors because nothing right can be written without the user's
    answer, not because Service Connect lacks the feature."""
    _init(tmp_path, without="FrontECSService")
    run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--out-dir", "out", "--check", cwd=tmp_path)
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--out-dir", "out", "--check",
                         "--format", "json", cwd=tmp_path)
    rows = {row["rule"]: row["becomes"] for row in json.loads(result.stdout)["features"] if row["rule"]}
    assert rows["R616"] == "needs your answer: not written until given"


def test_the_walkthrough_s_envoy_stats_settings_are_named_once_each(tmp_path):
    """R612 on the walkthrough's Envoy variables: each setting is named as a user reads it
    ("Envoy stats tags", not "Envoy Envoy stats tags")."""
    _init(tmp_path)
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--check", "--format", "json", cwd=tmp_path)
    r612 = [(f["line"], f["column"], f["message"]) for f in json.loads(result.stdout)["findings"]
            if f["rule"] == "R612" and f["line"] in (440, 442, 444)]
    said = "the Service Connect proxy has no such setting (its metrics go to CloudWatch)"
    assert r612 == [
        (440, 15, f"container `envoy` turns on Envoy X-Ray tracing (ENABLE_ENVOY_XRAY_TRACING); {said}"),
        (442, 15, f"container `envoy` turns on Envoy stats tags (ENABLE_ENVOY_STATS_TAGS); {said}"),
        (444, 15, f"container `envoy` turns on Envoy DogStatsD stats (ENABLE_ENVOY_DOG_STATSD); {said}"),
    ]


def test_the_report_s_picture_shows_the_alias_as_the_table_writes_it(tmp_path):
    """A virtual service whose name only the stack knows: the client alias is written as the
    template's expression (R615); the report's Service Connect picture showed the stand-in
    (the logical id, ``ColorVirtualService:8080``), which is no name callers use."""
    _init(tmp_path, "2-meshify.yaml")
    result = run_meshify("migrate", "cfn.yaml", "--to", "service-connect", "--check", "--format", "markdown",
                         cwd=tmp_path)
    expression = ('{#quot;Fn::Join#quot;: [#quot;.#quot;, [{#quot;Fn::GetAtt#quot;: [#quot;ColorServiceRegistry#quot;, '
                  '#quot;Name#quot;]}, {#quot;Fn::Sub#quot;: #quot;${ProjectName}.mesh.local#quot;}]]}')
    assert (f'    svc_ColorECSService["ECS service ColorECSService<br/>client alias {expression}:8080<br/>port 8080 http'
            '<br/>was virtual node ColorVirtualNode"]\n') in result.stdout
    assert "client alias ColorVirtualService" not in result.stdout


def test_with_the_manifest_alone_the_picture_writes_no_alias_for_a_stand_in(tmp_path):
    _init(tmp_path, "2-meshify.yaml")
    result = run_meshify("migrate", "--to", "service-connect", "--check", "--format", "markdown", cwd=tmp_path)
    assert ('    svc_colorvirtualnode["ECS service colorvirtualnode<br/>no client alias until the deployed name of '
            'ColorVirtualService is given (R615)<br/>port 8080 http<br/>was virtual node ColorVirtualNode"]\n') \
        in result.stdout
