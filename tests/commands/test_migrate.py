"""``meshify migrate --to service-connect``: golden outputs for the shop example and for a
mesh that uses every row of migrate.md's table, botocore's input validation of what it
writes, idempotence, output modes, exit status and secrets."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import run_meshify
from migrate_cases import BANK, CASES, README, files_under, golden_dir, migrate_into, readme_with

IDS = [case[0] for case in CASES]


@pytest.mark.parametrize(("name", "fixture", "taskdefs"), CASES, ids=IDS)
def test_migrate_writes_exactly_the_golden_files(tmp_path, name, fixture, taskdefs):
    out, status, stdout, _ = migrate_into(name, fixture, taskdefs, tmp_path / name)
    golden = files_under(golden_dir(name))
    assert stdout.encode() == golden.pop("stdout.txt")
    assert files_under(out) == golden
    assert status == 1  # both meshes have warnings, and --fail-on is warning by default


def test_the_readme_shows_the_generated_shop_report():
    assert README.read_text() == readme_with((golden_dir("shop") / "stdout.txt").read_text())


def _validator():
    import botocore.session
    from botocore.validate import ParamValidator

    return ParamValidator(), botocore.session.get_session().get_service_model("ecs")


@pytest.mark.parametrize(("name", "fixture", "taskdefs"), CASES, ids=IDS)
def test_written_task_definitions_and_service_configurations_are_valid_ecs_input(tmp_path, name, fixture, taskdefs):
    from meshify.injector.documents.document import Document

    out, _, _, _ = migrate_into(name, fixture, taskdefs, tmp_path / name)
    validator, ecs = _validator()
    register = ecs.operation_model("RegisterTaskDefinition").input_shape
    update = ecs.operation_model("UpdateService").input_shape
    taskdef_files = sorted((out / "taskdefs").iterdir())
    assert [path.name for path in taskdef_files] == sorted(path.split("/")[-1] for path in taskdefs
                                                           if path.startswith("taskdefs/"))
    for path in taskdef_files:
        report = validator.validate(Document.load(str(path)).data, register)
        assert not report.has_errors(), f"{path.name}: {report.generate_report()}"
    configurations = sorted(out.glob("*.service-connect.json"))
    assert configurations
    for path in configurations:
        report = validator.validate(json.loads(path.read_text()), update)
        assert not report.has_errors(), f"{path.name}: {report.generate_report()}"


@pytest.mark.parametrize(("name", "fixture", "taskdefs"), CASES, ids=IDS)
def test_migrate_twice_changes_nothing(tmp_path, name, fixture, taskdefs):
    work = tmp_path / name
    shutil.copytree(fixture, work)
    first = run_meshify("migrate", *taskdefs, "--to", "service-connect", "--in-place", "--fail-on", "error", cwd=work)
    assert first.returncode in (0, 1), first.stderr
    after_first = files_under(work)
    second = run_meshify("migrate", *taskdefs, "--to", "service-connect", "--check", "--fail-on", "error", cwd=work)
    assert "would change" not in second.stderr
    assert files_under(work) == after_first
    patches = run_meshify("migrate", *taskdefs, "--to", "service-connect", "--patch", cwd=work)
    assert "[]" in patches.stdout and '"op"' not in patches.stdout


def test_migrated_bank_task_definition_has_no_app_mesh_wiring_and_named_ports(tmp_path):
    out, _, _, _ = migrate_into("bank", BANK, CASES[1][2], tmp_path / "bank")
    accounts = json.loads((out / "taskdefs" / "accounts.json").read_text())
    assert "proxyConfiguration" not in accounts
    assert [c["name"] for c in accounts["containerDefinitions"]] == ["app"]
    app = accounts["containerDefinitions"][0]
    assert "dependsOn" not in app
    assert app["portMappings"] == [{"containerPort": 8080, "protocol": "tcp", "name": "http-8080", "appProtocol": "http"}]
    assert app["healthCheck"] == {"command": ["CMD-SHELL", "curl -fs http://localhost:8080/ping || exit 1"],
                                  "interval": 10, "timeout": 3, "retries": 4}
    ledger = json.loads((out / "taskdefs" / "ledger.json").read_text())
    assert ledger["memory"] == str(384 + 64)  # only memoryReservation was given: the proxy's headroom added
    assert ledger["containerDefinitions"][0]["portMappings"][0]["appProtocol"] == "grpc"
    configuration = json.loads((out / "accounts.service-connect.json").read_text())
    assert configuration == {
        "cluster": "bank", "service": "accounts", "taskDefinition": "accounts",
        "serviceConnectConfiguration": {"enabled": True, "namespace": "bank.local", "services": [{
            "portName": "http-8080", "discoveryName": "accounts",
            "clientAliases": [{"port": 8080, "dnsName": "accounts.bank.local"}],
            "timeout": {"idleTimeoutSeconds": 300, "perRequestTimeoutSeconds": 30}}]},
        "deploymentConfiguration": {"strategy": "CANARY",
                                    "canaryConfiguration": {"canaryPercent": 20.0, "canaryBakeTimeInMinutes": 10}}}
    reports = json.loads((out / "reports.service-connect.json").read_text())
    assert reports["serviceConnectConfiguration"] == {"enabled": True, "namespace": "bank.local"}  # a client only


SECRETS = ("hunter2-plain-text-secret", "accounts-token-AbCdEf", "http://ledger.bank.local:9000")


@pytest.mark.parametrize("report_format", ["text", "json", "markdown"])
def test_reports_never_show_environment_values_or_secrets(tmp_path, report_format):
    work = tmp_path / "bank"
    shutil.copytree(BANK, work)
    result = run_meshify("migrate", *CASES[1][2], "--to", "service-connect", "--check", "--format", report_format,
                         cwd=work)
    assert "Migration of mesh" in result.stdout or '"mesh": "bank"' in result.stdout
    for secret in SECRETS:
        assert secret not in result.stdout and secret not in result.stderr
    out, _, _, _ = migrate_into("bank", BANK, CASES[1][2], tmp_path / "again")
    for path in [out / "report.json", out / "report.md", *out.glob("*.service-connect.json")]:
        assert not any(secret in path.read_text() for secret in SECRETS), path.name


def test_the_report_goes_to_standard_error_when_the_task_definitions_go_to_standard_output(shop):
    result = run_meshify("migrate", "taskdefs/products-api.json", "--to", "service-connect", cwd=shop)
    assert json.loads(result.stdout)["containerDefinitions"][0]["portMappings"][0]["name"] == "http-8080"
    assert "Migration of mesh shop to ECS Service Connect (namespace shop.local)" in result.stderr


@pytest.mark.parametrize(("fail_on", "status"), [("error", 1), ("warning", 1), ("info", 1)])
def test_exit_status_follows_fail_on(shop, fail_on, status):
    result = run_meshify("migrate", "taskdefs/products-api.json", "--to", "service-connect", "--in-place",
                         "--fail-on", fail_on, cwd=shop)
    assert result.returncode == status


def test_a_mesh_with_only_information_passes_at_warning(tmp_path):
    (tmp_path / "meshify.yaml").write_text(
        "version: 1\nmesh: {name: tiny, region: eu-west-1, account: '111122223333', egressFilter: ALLOW_ALL}\n"
        "cloudMap: {namespace: tiny.local, placeholders: [api.tiny.local]}\n"
        "nodes:\n  api:\n    listeners: [{port: 80, protocol: http}]\n    discovery: {cloudMap: {service: api}}\n"
        "services:\n  api.tiny.local: {node: api}\n")
    result = run_meshify("migrate", "--to", "service-connect", "--check", "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == [("R613", 3, 50)]
    assert result.returncode == 0
    failing = run_meshify("migrate", "--to", "service-connect", "--check", "--fail-on", "info", cwd=tmp_path)
    assert failing.returncode == 1


def test_unknown_target_and_bad_input_exit_2_without_a_traceback(shop):
    result = run_meshify("migrate", "taskdefs/products-api.json", "--to", "lattice", cwd=shop)
    assert result.returncode == 2
    assert result.stderr == "--to: 'lattice' is not one of service-connect\n"
    (shop / "taskdefs" / "broken.json").write_text('{"family": "x",\n  "containerDefinitions": [}\n')
    broken_before = (shop / "taskdefs" / "broken.json").read_bytes()
    broken = run_meshify("migrate", "taskdefs/broken.json", "taskdefs/products-api.json", "--to", "service-connect",
                         "--in-place", cwd=shop)
    assert broken.returncode == 2
    assert broken.stderr.startswith("taskdefs/broken.json:2:")
    assert "Traceback" not in broken.stderr
    assert (shop / "taskdefs" / "broken.json").read_bytes() == broken_before  # left as it was
    assert '"name": "http-8080"' in (shop / "taskdefs" / "products-api.json").read_text()  # the others go on


def test_a_directory_is_walked_for_the_files_meshify_recognises(tmp_path):
    work = tmp_path / "bank"
    shutil.copytree(BANK, work)
    (work / "taskdefs" / "notes.json").write_text('{"not": "ecs"}\n')
    walked = run_meshify("migrate", "taskdefs", "services", "--to", "service-connect", "--check", "--format", "json",
                         cwd=work)
    listed = run_meshify("migrate", *CASES[1][2], "--to", "service-connect", "--check", "--format", "json", cwd=work)
    assert walked.stdout == listed.stdout and walked.returncode == listed.returncode == 1


def test_namespace_option_names_the_new_environment(shop):
    result = run_meshify("migrate", "taskdefs/products-api.json", "--to", "service-connect", "--check",
                         "--namespace", "shop-green.local", "--format", "json", cwd=shop)
    report = json.loads(result.stdout)
    assert report["namespace"] == "shop-green.local"
    assert {s["configuration"]["serviceConnectConfiguration"]["namespace"] for s in report["services"]} == \
        {"shop-green.local"}


def test_policy_option_removes_the_app_mesh_statements_and_keeps_the_others(tmp_path):
    work = tmp_path / "bank"
    shutil.copytree(BANK, work)
    result = run_meshify("migrate", *CASES[1][2], "--to", "service-connect", "--in-place", "--policy", "task-role.json",
                         cwd=work)
    assert "task role policy updated: task-role.json" in result.stderr
    policy = json.loads((work / "task-role.json").read_text())
    assert policy["Statement"] == [{"Sid": "ReadStatements", "Effect": "Allow", "Action": "s3:GetObject",
                                    "Resource": "arn:aws:s3:::bank-statements/*"}]


def test_tls_comes_from_the_private_ca_the_callers_trust(tmp_path):
    (tmp_path / "meshify.yaml").write_text(
        "version: 1\nmesh: {name: tls, region: eu-west-1, account: '111122223333'}\n"
        "cloudMap: {namespace: tls.local}\n"
        "nodes:\n  api:\n    listeners:\n      - port: 443\n        protocol: http\n        tls:\n"
        "          mode: STRICT\n"
        "          certificate: {acm: {certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/1'}}\n"
        "    discovery: {cloudMap: {service: api}}\n"
        "services:\n  api.tls.local: {node: api}\n")
    pca = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/0f0f0f0f-aaaa-bbbb-cccc-dddddddddddd"
    (tmp_path / "web.json").write_text(json.dumps({"virtualNodeName": "web", "meshName": "tls", "spec": {
        "backends": [{"virtualService": {"virtualServiceName": "api.tls.local", "clientPolicy": {"tls": {
            "validation": {"trust": {"acm": {"certificateAuthorityArns": [pca]}}}}}}}],
        "listeners": []}}, indent=2) + "\n")
    result = run_meshify("migrate", "web.json", "--to", "service-connect", "--check", "--format", "json",
                         "--fail-on", "error", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    api = next(s for s in report["services"] if s["service"] == "api")
    role = "arn:aws:iam::111122223333:role/ecsInfrastructureRole"  # meshify cannot know the team's: AWS's name
    assert api["configuration"]["serviceConnectConfiguration"]["services"][0]["tls"] == \
        {"issuerCertificateAuthority": {"awsPcaAuthorityArn": pca}, "roleArn": role}
    validator, ecs = _validator()
    checked = validator.validate(api["configuration"], ecs.operation_model("UpdateService").input_shape)
    assert not checked.has_errors(), checked.generate_report()
    assert [step for step in report["steps"] if "infrastructure role" in step] == [
        f"Service Connect TLS needs an ECS infrastructure role, which meshify cannot know: create `{role}` (trusted by "
        "ecs.amazonaws.com, with the managed policy AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity; "
        "AWS's guide names it ecsInfrastructureRole), or put your own as `roleArn` in the `tls` of `api`."]
    assert [(f["rule"], f["severity"], f["path"], f["line"], f["column"]) for f in report["findings"]] == [
        ("R609", "info", "meshify.yaml", 9, 9), ("R610", "warning", "web.json", 5, 5)]
    web = next(s for s in report["services"] if s["service"] == "web")
    assert web["configuration"]["serviceConnectConfiguration"] == {"enabled": True, "namespace": "tls.local"}


def test_diff_prints_the_task_definitions_changes_and_the_report_goes_to_standard_error(tmp_path):
    work = tmp_path / "bank"
    shutil.copytree(BANK, work)
    before = files_under(work)
    result = run_meshify("migrate", "taskdefs/ledger.json", "--to", "service-connect", "--diff", cwd=work)
    assert result.stdout.startswith("--- a/taskdefs/ledger.json\n+++ b/taskdefs/ledger.json\n")
    assert '-      "portMappings": [{"containerPort": 9000, "protocol": "tcp"}],\n' in result.stdout
    assert '+  "memory": "448"\n' in result.stdout
    assert "Migration of mesh bank" in result.stderr and "Migration of mesh" not in result.stdout
    assert files_under(work) == before


def test_check_with_out_dir_writes_nothing(tmp_path):
    work = tmp_path / "bank"
    shutil.copytree(BANK, work)
    result = run_meshify("migrate", "taskdefs/ledger.json", "--to", "service-connect", "--check", "--out-dir", "out",
                         cwd=work)
    assert result.returncode == 1
    assert "would change: taskdefs/ledger.json\n" in result.stderr
    assert not (work / "out").exists()


@pytest.mark.parametrize(("name", "fixture", "taskdefs"), CASES, ids=IDS)
def test_what_migrate_writes_passes_the_service_connect_lint(tmp_path, name, fixture, taskdefs):
    out, _, _, _ = migrate_into(name, fixture, taskdefs, tmp_path / name)
    written = [str(path.relative_to(tmp_path / name)) for path in sorted((out / "taskdefs").iterdir())]
    written += [str(path.relative_to(tmp_path / name)) for path in sorted(out.glob("*.service-connect.json"))]
    result = run_meshify("lint", *written, "--select", "C", cwd=tmp_path / name)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
