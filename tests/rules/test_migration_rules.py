"""The R6xx migration rules: exact findings (rule, file, line, column) on the shop example
and on ``fixtures/migrate`` (a mesh that uses every row of migrate.md's table), and one
exact message per rule."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import run_meshify
from golden_cases import SHOP
from migrate_cases import BANK, CASES


def _findings(tmp_path, fixture, taskdefs) -> list[dict]:
    work = tmp_path / fixture.name
    shutil.copytree(fixture, work)
    result = run_meshify("migrate", *taskdefs, "--to", "service-connect", "--check", "--format", "json", cwd=work)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)["findings"]


BANK_PLACES = {
    "R601": ["meshify.yaml:153:13"],
    "R602": ["meshify.yaml:177:13"],
    "R603": ["meshify.yaml:140:11", "meshify.yaml:173:11"],
    "R604": ["meshify.yaml:157:9"],
    "R605": ["meshify.yaml:37:9"],
    "R606": ["meshify.yaml:73:9"],
    "R607": ["meshify.yaml:145:9", "meshify.yaml:161:9"],
    "R608": ["meshify.yaml:78:11", "meshify.yaml:82:11"],
    "R609": ["meshify.yaml:96:9"],
    "R610": ["meshify.yaml:46:5", "meshify.yaml:59:5", "meshify.yaml:101:5", "meshify.yaml:113:5",
             "meshify.yaml:122:5", "meshify.yaml:127:5"],
    "R611": ["meshify.yaml:191:3", "meshify.yaml:198:9", "meshify.yaml:206:9"],
    "R612": ["meshify.yaml:15:3", "taskdefs/accounts-next.yaml:25:9", "taskdefs/accounts.json:39:9",
             "taskdefs/checkout-a.json:31:9", "taskdefs/checkout-b.json:31:9", "taskdefs/edge-gateway.json:24:9",
             "taskdefs/ledger.json:30:9", "taskdefs/nightly-batch.json:19:9", "taskdefs/reports-win.json:20:9"],
    "R613": ["meshify.yaml:20:7", "meshify.yaml:21:7"],
    "R614": ["services/checkout-b.json:6:28", "taskdefs/nightly-batch.json:2:3", "taskdefs/reports-win.json:7:23"],
}


def test_every_migration_rule_fires_on_the_bank_mesh_exactly_where_the_feature_is_used(tmp_path):
    found: dict[str, list[str]] = {}
    for finding in _findings(tmp_path, BANK, CASES[1][2]):
        found.setdefault(finding["rule"], []).append(f"{finding['path']}:{finding['line']}:{finding['column']}")
    assert {rule: sorted(places) for rule, places in found.items()} == \
        {rule: sorted(places) for rule, places in BANK_PLACES.items()}


def test_the_shop_example_findings(tmp_path):
    findings = _findings(tmp_path, SHOP, CASES[0][2])
    assert [(f["rule"], f["severity"], f["path"], f["line"], f["column"]) for f in findings] == [
        ("R613", "info", "meshify.yaml", 17, 7),
        ("R610", "warning", "meshify.yaml", 32, 5),
        ("R610", "warning", "meshify.yaml", 45, 5),
        ("R603", "error", "meshify.yaml", 73, 11),
        ("R601", "warning", "meshify.yaml", 85, 13),
        ("R604", "warning", "meshify.yaml", 89, 9),
        ("R611", "warning", "meshify.yaml", 101, 3),
        ("R611", "warning", "meshify.yaml", 107, 9),
        ("R611", "warning", "meshify.yaml", 112, 9),
    ]


MESSAGES = [
    ("R601", "warning", "route `default` of router `accounts-router` splits traffic between versions of one service "
     "(accounts-v1 80%, accounts-v2 20%): Service Connect has no router; they become one ECS service `accounts` "
     "deployed with deploymentConfiguration.strategy CANARY (canaryPercent 20) or LINEAR (stepPercent 20)"),
    ("R602", "error", "route `ab` of router `checkout-router` splits traffic between different services (checkout-a 50, "
     "checkout-b 50): Service Connect has no weighted split between services, so it is lost; `checkout.bank.local` will "
     "reach only `checkout-a`; keep it with a VPC Lattice listener rule forwarding to weighted target groups (or an ALB "
     "forward action with the same weights)"),
    ("R603", "error", "route `internal` of router `accounts-router` matches on prefix, method: Service Connect routes by "
     "name and port only, so the requests it sends to accounts-v1 are no longer told apart; keep the match in a VPC "
     "Lattice listener rule (path, method, header matches) or an ALB listener rule"),
    ("R604", "warning", "route `default` of router `accounts-router` retries (maxRetries 4 on server-error); Service "
     "Connect's retries are fixed (2 retries, each on another task) and cannot be tuned per route"),
    ("R605", "warning", "node `accounts-v1` ejects hosts after 3 server errors on port 8080; Service Connect's outlier "
     "detection is fixed (a task is ejected after 5 failed connections within 30 s, for 30-300 s)"),
    ("R606", "warning", "node `ledger` limits port 9000 (maxRequests 64); Service Connect has no connection pool, so "
     "these limits are lost"),
    ("R607", "warning", "route `internal` of router `accounts-router` times out (perRequest 5000 ms, idle none); it "
     "becomes the timeout of ECS service `accounts` port `http-8080`: idleTimeoutSeconds 300, perRequestTimeoutSeconds "
     "30 for every caller (checkout-a, checkout-b, reports); the routes to it disagree, so some callers wait longer"),
    ("R608", "error", "node `ledger` requires client certificates on port 9000 (mutual TLS); Service Connect has no "
     "mutual TLS, so callers are no longer authenticated"),
    ("R609", "warning", "node `checkout-a` port 8443 uses an ACM certificate, but no caller names the AWS Private CA "
     "that issued it: add services[].tls.issuerCertificateAuthority by hand, or traffic is no longer encrypted"),
    ("R610", "warning", "node `reports` may call only accounts.bank.local (DROP_ALL); Service Connect does not enforce "
     "it: allow ingress from the security group of `reports` to `accounts` port 8080"),
    ("R611", "warning", "gateway route `checkout` of gateway `edge` becomes ALB listener rule 1: path-pattern /checkout* "
     "and host-header shop.example.com -> forward to a target group of ECS service `checkout-a` port 8443"),
    ("R612", "info", "container `envoy` turns on Envoy X-Ray tracing (ENABLE_ENVOY_XRAY_TRACING); the Service Connect "
     "proxy has no such setting (its metrics go to CloudWatch)"),
    ("R613", "info", "placeholder record `checkout.bank.local` (Cloud Map namespace bank.local) is not needed by Service "
     "Connect: delete its instance and service after the cut-over"),
    ("R614", "error", "task definition `reports-win` runs on WINDOWS_SERVER_2019_CORE; Service Connect does not support "
     "Windows"),
    ("R614", "error", "ECS service `checkout-b-blue` uses the CODE_DEPLOY deployment controller, which Service Connect "
     "does not support: use the ECS controller with strategy BLUE_GREEN, CANARY or LINEAR"),
]


@pytest.mark.parametrize(("rule", "severity", "message"), MESSAGES, ids=[f"{case[0]}-{n}" for n, case in enumerate(MESSAGES)])
def test_each_migration_rule_says_what_it_becomes(tmp_path, rule, severity, message):
    findings = _findings(tmp_path, BANK, CASES[1][2])
    assert {"rule": rule, "severity": severity, "message": message} in \
        [{key: f[key] for key in ("rule", "severity", "message")} for f in findings]


def test_migration_rules_are_listed_and_documented():
    listed = run_meshify("rules")
    for number in range(1, 15):
        assert f"R6{number:02d}  " in listed.stdout
    doc = run_meshify("rules", "R601").stdout
    assert doc.startswith("R601 (warning): Canary weights become a deployment strategy\n")


def test_a_match_between_routes_to_one_node_only_loses_its_filtering(tmp_path):
    work = tmp_path / "shop"
    shutil.copytree(SHOP, work)
    manifest = work / "meshify.yaml"
    text = manifest.read_text()
    text = text.replace("          - node: products-v2\n            weight: 100\n",
                        "          - node: products-v1\n            weight: 100\n")
    text = text.replace("          - node: products-v1\n            weight: 90\n          - node: products-v2\n"
                        "            weight: 10\n", "          - node: products-v1\n            weight: 100\n")
    manifest.write_text(text)
    result = run_meshify("migrate", "--to", "service-connect", "--check", "--format", "json", cwd=work)
    r603 = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "R603"]
    assert r603 == [{"path": "meshify.yaml", "line": 73, "column": 11, "rule": "R603", "severity": "warning",
                     "message": "route `beta-users` of router `products-router` matches on headers, but every route of "
                                "the router reaches `products-v1`: requests that did not match (App Mesh answered 404) "
                                "reach it too"}]


def test_spec_file_routes_are_reported_at_their_match_and_retry_policy():
    from conftest import corpus_file
    from corpus_snapshot import EMPTY_MESH

    route = corpus_file("aws-app-mesh-examples/walkthroughs/howto-grpc/mesh/route-retries.json")
    result = run_meshify("migrate", str(route), "--to", "service-connect", "--manifest", str(EMPTY_MESH), "--check",
                         "--format", "json")
    assert [(f["rule"], f["severity"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]] == [
        ("R603", "warning", 14, 17), ("R604", "warning", 16, 13)]
