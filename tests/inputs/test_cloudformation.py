"""CloudFormation templates read as users write them: findings at the template's lines and
columns, references of the same template resolved, intrinsics left unknown."""

from __future__ import annotations

import glob
import os
import shutil

import pytest
from conftest import run_meshify
from golden_cases import CORPUS, FIXTURES
from meshify.injector.inputs.reader import read_input

CFN = FIXTURES / "cloudformation"


def test_a_template_gives_its_task_definitions_and_app_mesh_resources_in_the_api_spelling():
    found = read_input(str(CFN / "ledger.yaml"))
    assert [t.resource for t in found.task_definitions] == ["LedgerTaskDef"]
    task = found.task_definitions[0]
    assert task.base == "/Resources/LedgerTaskDef/Properties"
    app = task.data["containerDefinitions"][0]
    # a parameter's literal default is its value; CloudFormation's "8080"/8080 become the API's types
    assert app["image"] == "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ledger:1.4.2"
    assert app["portMappings"] == [{"containerPort": 8080, "protocol": "tcp"}]
    assert task.data["family"] == {"Fn::Sub": "${AWS::StackName}-ledger"}  # unknown: left as written
    assert task.family is None
    assert [(s.kind, s.name) for s in found.spec_files] == [("virtualNode", "ledger-node"),
                                                             ("virtualService", "ledger.shop.local")]
    service = found.spec_files[1]
    assert service.spec == {"provider": {"virtualNode": {"virtualNodeName": "ledger-node"}}}  # !GetAtt resolved
    assert found.template is not None
    assert found.template.wiring == {"LedgerTaskDef": "ledger-node"}  # APPMESH_RESOURCE_ARN: !Ref LedgerNode
    assert [m.name for m in found.template.meshes] == ["shop"]


def test_positions_of_api_pointers_land_on_the_template_keys():
    found = read_input(str(CFN / "ledger.yaml"))
    task = found.task_definitions[0]
    document = task.loc("").document
    assert document is not None
    assert document.position(task.loc("/containerDefinitions/1/environment/0/value").pointer) == (76, 15)  # Value: !Ref LedgerNode
    node = found.spec_files[0]
    assert node.document.position("/spec/serviceDiscovery/dns/hostname") == (36, 13)


def test_lint_of_a_template_without_a_manifest_reports_at_exact_positions():
    result = run_meshify("lint", "ledger.yaml", cwd=CFN)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "ledger.yaml:39:15: M103 error: backend `prices.shop.local` of node `ledger-node` is no virtual service of the "
        "mesh (services: ledger.shop.local)",
        "ledger.yaml:54:7: T204 error: no proxyConfiguration: the task's traffic does not go through Envoy; add an "
        "APPMESH proxy configuration for container `envoy`",
        "ledger.yaml:61:11: T203 error: container `app` does not wait for Envoy: add dependsOn {containerName: envoy, "
        "condition: HEALTHY}",
        "ledger.yaml:70:11: T202 error: Envoy container `envoy` has no health check, so no container can wait for it "
        "to be HEALTHY: add the Envoy admin health check",
    ]


def test_an_injected_template_lints_clean_of_task_definition_findings():
    result = run_meshify("lint", "golden/ledger.yaml", "--select", "T", cwd=CFN)
    assert (result.returncode, result.stdout) == (0, "")


def test_intrinsics_are_unknowns_no_rule_judges():
    # The Envoy image is a !Sub of the region (T209/T213 would compare it), the family a !Sub
    # (it cannot be claimed by family): no finding about either.
    result = run_meshify("lint", "ledger.yaml", "--select", "T209,T213,T211,M106", cwd=CFN)
    assert (result.returncode, result.stdout) == (0, "")


def test_a_json_template_reads_like_the_yaml_one():
    yaml_file = read_input(str(CFN / "ledger-bare.yaml"))
    json_file = read_input(str(CFN / "cdk.out" / "LedgerStack.template.json"))
    assert [t.data for t in json_file.task_definitions] == [t.data for t in yaml_file.task_definitions]
    assert [s.spec for s in json_file.spec_files] == [s.spec for s in yaml_file.spec_files]


def test_a_broken_template_is_an_input_error_at_its_place(tmp_path):
    (tmp_path / "t.yaml").write_text("Resources:\n  X:\n    Type: AWS::ECS::TaskDefinition\n    Properties: !Bogus x\n")
    result = run_meshify("lint", "t.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "t.yaml:4:17: invalid YAML: unknown tag !Bogus\n"


def test_a_directory_is_walked_and_files_of_no_format_are_skipped_and_counted(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "ledger.yaml").write_text((CFN / "ledger.yaml").read_text())
    (tmp_path / "infra" / "README.md").write_text("# infra\n")
    (tmp_path / "infra" / "ci.yaml").write_text("on: push\njobs: {}\n")
    result = run_meshify("lint", "infra", cwd=tmp_path)
    assert result.returncode == 1
    assert [line.split(" ")[0] for line in result.stdout.splitlines()] == [
        "infra/ledger.yaml:39:15:", "infra/ledger.yaml:54:7:", "infra/ledger.yaml:61:11:", "infra/ledger.yaml:70:11:"]
    assert result.stderr == "meshify: skipped 2 file(s) of the directories given that are none of meshify's formats\n"


def test_a_manifest_node_claims_a_template_task_definition_by_its_logical_id(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "meshify.yaml").write_text(
        "version: 1\nmesh: {name: shop, region: eu-west-1, account: '111122223333'}\n"
        "nodes:\n  ledger-node:\n    resource: LedgerTaskDef\n    listeners: [{port: 8080, protocol: http}]\n")
    (tmp_path / "ledger.yaml").write_text((CFN / "ledger-bare.yaml").read_text())
    result = run_meshify("lint", "ledger.yaml", "--select", "T201", cwd=tmp_path)
    assert result.stdout == ("ledger.yaml:60:7: T201 error: no Envoy container for node `ledger-node`: add one named "
                             "`envoy` running the App Mesh Envoy image\n")


TEMPLATES = sorted(
    path for path in glob.glob(f"{CORPUS}/**/*", recursive=True)
    if path.endswith((".yaml", ".yml", ".json")) and os.path.isfile(path)
    and "Resources" in open(path, encoding="utf-8", errors="replace").read()  # noqa: SIM115
) if CORPUS.exists() else []


@pytest.mark.skipif(not TEMPLATES, reason=f"the shared corpus is absent ({CORPUS})")
def test_every_corpus_template_is_read_without_an_input_error():
    read = 0
    for path in TEMPLATES:
        found = None
        try:
            found = read_input(path)
        except Exception as error:  # not a template (a compose file mentioning Resources...) is fine
            assert "not a task definition" in str(error), f"{path}: {error}"
        read += found is not None and found.template is not None
    assert read >= 19


def test_a_template_service_is_tied_to_its_task_definition_and_checked_at_the_template_lines():
    found = read_input(str(CFN / "ledger-connect.yaml"))
    assert [(s.resource, s.task_definition) for s in found.services] == [("LedgerService", "LedgerTaskDef")]
    result = run_meshify("lint", "ledger-connect.yaml", cwd=CFN)
    assert result.returncode == 1
    # the task definition runs under Service Connect: no T2xx (it is not an App Mesh task any more)
    assert result.stdout == (
        "ledger-connect.yaml:30:13: C501 error: service `LedgerService`: portName 'ledger-http' is named by no "
        "port mapping of task definition `LedgerTaskDef` (named ports: none)\n")


def test_a_service_connect_service_that_still_depends_on_app_mesh_resources():
    """After a migration the template's ECS service and task definition may still name App
    Mesh resources (seen in the corpus's howto-ecs-basics 2-meshify.yaml: a DependsOn on the
    node, !GetAtt of the virtual service's name for the caller): deleting the mesh, the last
    step, would then fail. The Envoy wiring (APPMESH_* variables, the Envoy container) is
    uninject's, not C511's."""
    result = run_meshify("lint", "service-connect-references.yaml", "--select", "C", cwd=CFN)
    assert (result.returncode, result.stderr) == (0, "")
    head = "C511 warning: service `ColorEcs` uses Service Connect, but"
    tail = "or the App Mesh resources cannot be deleted"
    assert result.stdout.splitlines() == [
        f"service-connect-references.yaml:27:5: {head} its task definition `color` lists virtual node "
        f"`ColorNode` (App Mesh) in DependsOn: remove it, {tail}",
        f"service-connect-references.yaml:42:15: {head} its task definition `color` takes a value from virtual service "
        f"`ColorService` (App Mesh) with ${{ColorService.VirtualServiceName}} in !Sub: write the value itself, {tail}",
        f"service-connect-references.yaml:50:15: {head} its task definition `color` takes a value from virtual node "
        f"`ColorNode` (App Mesh) with !GetAtt ColorNode.VirtualNodeName: write the value itself, {tail}",
        f"service-connect-references.yaml:53:17: {head} it lists virtual service `ColorService` (App Mesh) in "
        f"DependsOn: remove it, {tail}",
        f"service-connect-references.yaml:53:31: {head} it lists mesh `Mesh` (App Mesh) in DependsOn: remove it, "
        f"{tail}",
    ]


M119_MANIFEST = """version: 1
mesh: {name: shop, region: eu-west-1, account: '111122223333'}
nodes:
  ledger-node:
    resource: LedgerTaskDef
    listeners: [{port: 8080, protocol: http}]
    backends: [prices.shop.local]
    discovery: {dns: {hostname: ledger.shop.local}}
services:
  ledger.shop.local: {node: ledger-node}
  prices.shop.local: {node: ledger-node}
"""


def _m119(tmp_path, manifest: str) -> str:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "meshify.yaml").write_text(manifest)
    (tmp_path / "ledger.yaml").write_text((CFN / "ledger.yaml").read_text())
    return run_meshify("lint", "ledger.yaml", "--select", "M119", cwd=tmp_path).stdout


def test_m119_is_silent_when_the_template_matches_the_manifest(tmp_path):
    assert _m119(tmp_path, M119_MANIFEST) == ""


def test_m119_reports_a_difference_at_the_element_that_differs(tmp_path):
    assert _m119(tmp_path, M119_MANIFEST.replace("port: 8080", "port: 9090")) == (
        "ledger.yaml:32:15: M119 warning: virtual node `ledger-node` differs from the manifest at "
        "/listeners/0/portMapping/port: the manifest says 9090, the file has 8080 (the default of parameter AppPort)\n")


def test_m119_reports_a_template_resource_the_manifest_lacks(tmp_path):
    manifest = M119_MANIFEST.replace("  ledger.shop.local: {node: ledger-node}\n", "")
    assert _m119(tmp_path, manifest) == (
        "ledger.yaml:46:7: M119 warning: virtual service `ledger.shop.local` of the files is not in the manifest\n")


def test_a_finding_that_relies_on_a_parameter_default_says_so(tmp_path):
    text = (CFN / "ledger.yaml").read_text().replace(
        "Parameters:\n", "Parameters:\n  Networking:\n    Type: String\n    Default: bridge\n").replace(
        "      NetworkMode: awsvpc\n", "      NetworkMode: !Ref Networking\n")
    (tmp_path / "ledger.yaml").write_text(text)
    result = run_meshify("lint", "ledger.yaml", "--select", "T208", cwd=tmp_path)
    assert result.stdout == ("ledger.yaml:58:7: T208 error: networkMode is 'bridge': App Mesh needs 'awsvpc' "
                             "(the default of parameter Networking)\n")


# ---------------------------------------------------------------------------------------
# Containers chosen by conditions (Fn::If): each way is linted, none is edited


def test_each_way_conditions_choose_the_containers_is_linted_at_its_own_lines():
    result = run_meshify("lint", "conditional.yaml", cwd=CFN)
    assert result.stdout.splitlines() == [
        "conditional.yaml:25:7: M113 info: node `color-node` has listeners but no virtual service or route reaches it",
        # WithXray true: the first list
        "conditional.yaml:54:13: T206 error: Envoy container `envoy` runs as user '1000', not '1337' (envoy.user and "
        "the proxy's IgnoredUID): its own traffic would loop through the proxy",
        "conditional.yaml:60:13: T203 error: container `xray` does not wait for Envoy: add dependsOn "
        "{containerName: envoy, condition: HEALTHY}",
        # WithXray false: the second
        "conditional.yaml:62:13: T203 error: container `app` does not wait for Envoy: add dependsOn "
        "{containerName: envoy, condition: HEALTHY}",
        "conditional.yaml:65:13: T202 error: Envoy container `envoy` has no health check, so no container can wait for "
        "it to be HEALTHY: add the Envoy admin health check",
    ]
    assert result.returncode == 1


def test_fn_if_in_a_json_template_is_read_the_same_way():
    result = run_meshify("lint", "conditional.template.json", cwd=CFN)
    assert [line.split(" ", 2)[:2] for line in result.stdout.splitlines()] == [
        ["conditional.template.json:49:5:", "M113"], ["conditional.template.json:119:9:", "T206"],
        ["conditional.template.json:140:9:", "T203"], ["conditional.template.json:146:9:", "T203"],
        ["conditional.template.json:154:8:", "T202"],
    ]


def test_a_container_there_only_under_a_condition_is_read_both_ways():
    # `- !If [Debug, {...}, !Ref AWS::NoValue]` as a list item was "a container definition needs a name"
    found = read_input(str(CFN / "conditional.yaml"))
    ways = [(t.resource, [c["name"] for c in t.data["containerDefinitions"]]) for t in found.task_definitions]
    assert ways == [("ColorTaskDef", ["app", "envoy", "xray"]), ("ColorTaskDef", ["app", "envoy"]),
                    ("ColorDebugTaskDef", ["app", "shell"]), ("ColorDebugTaskDef", ["app"])]
    shell = found.task_definitions[2]
    assert shell.loc("/containerDefinitions/1/user").document.position(shell.loc("/containerDefinitions/1/user").pointer) \
        == (85, 13)


def test_beyond_four_conditions_the_containers_are_unknown(tmp_path):
    items = "".join(f"        - !If [C{i}, {{Name: side{i}, Image: busybox}}, !Ref AWS::NoValue]\n" for i in range(5))
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      ContainerDefinitions:\n"
        "        - {Name: app, Image: app:1}\n" + items)
    assert read_input(str(tmp_path / "t.yaml")).task_definitions == []


@pytest.mark.parametrize(("command", "name", "place"), [
    ("inject", "conditional.yaml", "46:7"), ("uninject", "conditional.yaml", "46:7"),
    ("inject", "conditional.template.json", "97:5"),
])
def test_inject_and_uninject_refuse_containers_chosen_by_a_condition(tmp_path, command, name, place):
    shutil.copy(CFN / name, tmp_path / name)
    result = run_meshify(command, name, "--in-place", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"{name}:{place}: cannot edit ColorTaskDef: its containers depend on condition WithXray (Fn::If), and meshify "
        "edits only a literal list; wire each branch by hand, or write the containers as one list")
    assert (tmp_path / name).read_bytes() == (CFN / name).read_bytes()


def test_a_manifest_claiming_by_logical_id_lints_every_way(tmp_path):
    shutil.copy(CFN / "conditional.yaml", tmp_path)
    (tmp_path / "meshify.yaml").write_text(
        "version: 1\nmesh: {name: colors, region: eu-west-1, account: '111122223333'}\n"
        "nodes:\n  color-debug:\n    resource: ColorDebugTaskDef\n    listeners: [{port: 9080, protocol: http}]\n")
    result = run_meshify("lint", "conditional.yaml", "--select", "T201,T206", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        # both ways lack Envoy: one finding at the list, said once
        "conditional.yaml:77:7: T201 error: no Envoy container for node `color-debug`: add one named `envoy` running "
        "the App Mesh Envoy image",
    ]


def test_migrate_refuses_containers_chosen_by_a_condition(tmp_path):
    shutil.copy(CFN / "conditional.yaml", tmp_path)
    (tmp_path / "meshify.yaml").write_text(
        "version: 1\nmesh: {name: colors, region: eu-west-1, account: '111122223333'}\n"
        "nodes:\n  color-node:\n    resource: ColorTaskDef\n    listeners: [{port: 9080, protocol: http}]\n")
    result = run_meshify("migrate", "--to", "service-connect", "conditional.yaml", "--in-place", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("conditional.yaml:46:7: cannot edit ColorTaskDef: its containers depend on "
                                    "condition WithXray (Fn::If)")
    assert (tmp_path / "conditional.yaml").read_bytes() == (CFN / "conditional.yaml").read_bytes()


@pytest.mark.parametrize(("command", "other"), [("inject", "ledger.yaml"), ("uninject", "golden/ledger.yaml")])
def test_a_refused_condition_leaves_the_other_files_of_the_batch_edited(tmp_path, command, other):
    """Each file stands alone (cli.md): the conditional template is refused in one line and
    left as it was; the other template of the batch is edited as it is on its own."""
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(CFN / other, alone / "ledger.yaml")
    assert run_meshify(command, "ledger.yaml", "--in-place", cwd=alone).returncode == 0
    assert (alone / "ledger.yaml").read_bytes() != (CFN / other).read_bytes()
    shutil.copy(CFN / "conditional.yaml", tmp_path)
    shutil.copy(CFN / other, tmp_path / "ledger.yaml")
    result = run_meshify(command, "conditional.yaml", "ledger.yaml", "--in-place", cwd=tmp_path)
    assert result.returncode == 2
    assert [line for line in result.stderr.splitlines() if line.startswith("conditional.yaml")] == [
        "conditional.yaml:46:7: cannot edit ColorTaskDef: its containers depend on condition WithXray (Fn::If), and "
        "meshify edits only a literal list; wire each branch by hand, or write the containers as one list"]
    assert (tmp_path / "conditional.yaml").read_bytes() == (CFN / "conditional.yaml").read_bytes()
    assert (tmp_path / "ledger.yaml").read_bytes() == (alone / "ledger.yaml").read_bytes()


def test_a_literal_resource_arn_in_a_template_is_accepted_and_kept(tmp_path):
    """A template's mesh knows no region or account (the stack's): an Envoy that names its
    node by a literal ARN of any region and account is wired, and inject keeps the ARN. It
    used to be T207 and replaced by ``arn:aws:appmesh:::mesh/...``, which no Envoy accepts."""
    template = (CFN / "ledger.yaml").read_text()
    arn = "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/ledger-node"
    assert template.count("Value: !Ref LedgerNode") == 1
    (tmp_path / "ledger.yaml").write_text(template.replace("Value: !Ref LedgerNode", f"Value: {arn}"))
    result = run_meshify("lint", "ledger.yaml", "--select", "T207", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    diff = run_meshify("inject", "ledger.yaml", "--diff", cwd=tmp_path).stdout
    changed = [line for line in diff.splitlines()[2:] if line[:1] in "+-"]
    assert changed and not [line for line in changed if "virtualNode" in line or "APPMESH_RESOURCE_ARN" in line]



def test_a_wrong_literal_resource_arn_in_a_template_is_replaced_by_a_ref_of_the_node(tmp_path):
    """A literal ARN naming the node in another mesh is wrong (T207); the template's mesh knows
    no region or account, so the fix is ``!Ref`` of the node, as inject writes when it adds the
    variable. It used to write ``arn:aws:appmesh:::mesh/...``, which no Envoy accepts, and the
    message asked for it."""
    template = (CFN / "ledger.yaml").read_text()
    wrong = "arn:aws:appmesh:us-east-1:123456789012:mesh/oldmesh/virtualNode/ledger-node"
    (tmp_path / "ledger.yaml").write_text(template.replace("Value: !Ref LedgerNode", f"Value: {wrong}"))
    result = run_meshify("lint", "ledger.yaml", "--select", "T207", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, (
        "ledger.yaml:76:15: T207 error: APPMESH_RESOURCE_ARN is not the ARN of node `ledger-node`: set it to the "
        "node's ARN in the stack's region and account (in a template: !Ref the node's logical id)\n"))
    assert run_meshify("inject", "ledger.yaml", "--in-place", cwd=tmp_path).returncode == 0
    injected = (tmp_path / "ledger.yaml").read_text()
    assert wrong not in injected and ":::" not in injected
    assert injected.count("Value: !Ref LedgerNode") == 1
    assert run_meshify("lint", "ledger.yaml", "--select", "T207", cwd=tmp_path).stdout == ""


STREAM_ON_LEDGER = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
                    '"appmesh:StreamAggregatedResources", "Resource": '
                    '"arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/ledger-node"}]}\n')


def test_a_policy_granting_the_node_in_the_stacks_region_and_account_is_enough(tmp_path):
    """The template's mesh knows no region or account: a policy that allows the node's ARN
    in some region and account allows the node (I301 used to ask for arn:aws:appmesh:::...)."""
    shutil.copy(CFN / "ledger.yaml", tmp_path / "ledger.yaml")
    (tmp_path / "role.json").write_text(STREAM_ON_LEDGER)
    result = run_meshify("lint", "ledger.yaml", "--policy", "role.json", "--select", "I", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    result = run_meshify("inject", "ledger.yaml", "--policy", "role.json", "--in-place", cwd=tmp_path)
    assert result.returncode == 0
    assert (tmp_path / "role.json").read_text() == STREAM_ON_LEDGER


def test_a_statement_for_an_arn_the_files_cannot_tell_is_never_written(tmp_path):
    """Without the region and account, the statement inject would add names no resource
    (arn:aws:appmesh:::...): Envoy would be refused its configuration. lint says what is
    missing; inject stops with one line, and writes neither the policy nor the template."""
    shutil.copy(CFN / "ledger.yaml", tmp_path / "ledger.yaml")
    empty = '{"Version": "2012-10-17", "Statement": []}\n'
    (tmp_path / "role.json").write_text(empty)
    result = run_meshify("lint", "ledger.yaml", "--policy", "role.json", "--select", "I", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, (
        "role.json:1:27: I301 error: the policy does not allow appmesh:StreamAggregatedResources on the ARN of "
        "node `ledger-node` (in the region and account of the stack, which the files do not tell): Envoy cannot get "
        "its configuration\n"))
    result = run_meshify("inject", "ledger.yaml", "--policy", "role.json", "--in-place", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "role.json: cannot add the statement that node `ledger-node` needs: the files do not tell its ARN's region "
        "and account; grant appmesh:StreamAggregatedResources where the role is defined (in a template: Resource: "
        "!Ref the node's logical id), or give a manifest that names them\n")
    assert (tmp_path / "role.json").read_text() == empty
    assert (tmp_path / "ledger.yaml").read_bytes() == (CFN / "ledger.yaml").read_bytes()


def test_without_a_manifest_a_malformed_file_leaves_the_template_beside_it_linted(tmp_path):
    """Each file stands alone: with no manifest, a malformed file in the batch made lint
    drop the template's findings (the mesh of the files was taken as empty), in every format."""
    (tmp_path / ".git").mkdir()
    shutil.copy(CFN / "service-connect-references.yaml", tmp_path / "stack.yaml")
    (tmp_path / "bad.json").write_text('{"family": "x",\n')
    alone = run_meshify("lint", "stack.yaml", "--select", "C511", cwd=tmp_path)
    result = run_meshify("lint", "stack.yaml", "bad.json", "--select", "C511", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "bad.json:2:1: invalid JSON: Expecting property name enclosed in double quotes\n"
    assert result.stdout == alone.stdout and alone.stdout.count(" C511 ") == 5
    github = run_meshify("lint", "stack.yaml", "bad.json", "--select", "C511", "--format", "github", cwd=tmp_path)
    assert github.stdout.count("title=C511::") == 5
    assert github.stdout.endswith("::error file=bad.json,line=2,col=1,title=meshify::invalid JSON: Expecting property "
                                  "name enclosed in double quotes\n")
    assert (tmp_path / "bad.json").read_text() == '{"family": "x",\n'
