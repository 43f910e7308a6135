"""Every rule: a fixture that fails, with the exact rule, line, column and message, and
one that passes. Fixtures are the shop example with one small edit."""

from __future__ import annotations

import shutil

import pytest
from golden_cases import GOLDEN, SHOP, SHOP_WEIGHTS_AT
from meshify.injector.commands.lint import lint
from meshify.injector.engine import all_rules
from meshify.injector.outputs.reporters import text

MANIFEST = "meshify.yaml"
INJECTED = "taskdefs/products-api.json"  # replaced by its injected version, which is clean
GATEWAY = "taskdefs/shop-ingress.json"
POLICY = "task-role.json"
SCOPED_POLICY = ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": '
                 '"appmesh:StreamAggregatedResources", "Resource": '
                 '"arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1"}]}\n')


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root)
    shutil.copy(GOLDEN / "shop-products-api.out.json", root / INJECTED)
    shutil.copy(GOLDEN / "shop-ingress.out.json", root / GATEWAY)
    (root / POLICY).write_text(SCOPED_POLICY)
    return root


def _edit(root, file: str, old: str, new: str) -> None:
    path = root / file
    content = path.read_text() if path.exists() else ""
    assert old in content, f"fixture edit does not apply: {old!r}"
    path.write_text(content.replace(old, new, 1))


def _lint(root, rule: str, paths: list[str], policy: bool = False) -> str:
    import os

    cwd = os.getcwd()
    os.chdir(root)
    try:
        return text(lint(MANIFEST, paths, POLICY if policy else None, select=[rule]))
    finally:
        os.chdir(cwd)

ROUTE_FILE = ('{"meshName": "shop", "virtualRouterName": "products-router", "routeName": "default", "spec": {"httpRoute": '
              '{"match": {"prefix": "/"}, "action": {"weightedTargets": [{"virtualNode": "products-v1", "weight": %d}]}}}}\n')
ENVOY_LOGS = ('},\n      "logConfiguration": {\n        "logDriver": "awslogs",\n        "options": {\n'
              '          "awslogs-group": "/ecs/products-api",\n          "awslogs-region": "eu-west-1",\n'
              '          "awslogs-stream-prefix": "envoy"\n        }\n      }\n    }')

# (rule, paths linted, [(file, old, new)], expected text output)
CASES = [
    ("M101", [], [(MANIFEST, "        protocol: http\n        priority: 100", "        protocol: tcp\n        priority: 100")],
     "meshify.yaml:80:9: M101 error: route `default` of router `products-router` is a tcp route on the http listener "
     "8080: make it a http route\n"),
    ("M101", [], [(MANIFEST, "      - port: 8080\n        protocol: http\n    routes:",
                   "      - port: 8080\n        protocol: http\n      - port: 8443\n        protocol: http2\n    routes:")],
     "meshify.yaml:73:9: M101 error: route `beta-users` of router `products-router` names no match.port, but the router "
     "has several listeners (8080/http, 8443/http2): say which one it serves\n"
     "meshify.yaml:84:9: M101 error: route `default` of router `products-router` names no match.port, but the router "
     "has several listeners (8080/http, 8443/http2): say which one it serves\n"),
    ("M102", [], [(MANIFEST, "weight: 90\n", "weight: 9\n"), (MANIFEST, "weight: 10\n", "weight: 3\n")],
     f"{SHOP_WEIGHTS_AT}: M102 warning: route `default` of router `products-router`: the weights add up to 12, not 100; "
     "they are relative, so the traffic splits products-v1 75%, products-v2 25%\n"),
    ("M102", [], [(MANIFEST, "weight: 90\n", "weight: 190\n")],
     f"{SHOP_WEIGHTS_AT}: M102 error: route `default` of router `products-router`: weight 190 of `products-v1` is "
     "outside 0-100\n"),
    ("M103", [], [(MANIFEST, "      - prices.shop.local\n    discovery:\n      cloudMap:\n        service: products\n"
                              "        attributes:\n          version: v1",
                   "      - prices.shop.lcoal\n    discovery:\n      cloudMap:\n        service: products\n"
                   "        attributes:\n          version: v1")],
     "meshify.yaml:33:9: M103 error: backend `prices.shop.lcoal` of node `products-v1` is no virtual service of the "
     "mesh (services: prices.shop.local, products.shop.local)\n"),
    ("M104", [], [(MANIFEST, "hostname: prices.shop.local", "hostname: prices.internal")],
     "meshify.yaml:97:3: M104 error: virtual service `prices.shop.local` is a backend but nothing resolves its name "
     "(its provider node `prices-v1` answers to no such name): add it to cloudMap.placeholders\n"),
    ("M105", [], [(MANIFEST, "          - node: products-v1", "          - node: products-v3"),
                  (MANIFEST, "    router: products-router", "    router: product-router")],
     "meshify.yaml:85:13: M105 error: route `default` of router `products-router` targets node `products-v3`, which "
     "does not exist\n"
     "meshify.yaml:96:5: M105 error: virtual service `products.shop.local` is provided by router `product-router`, "
     "which does not exist\n"),
    ("M106", [], [(MANIFEST, "healthyThreshold: 2", "healthyThreshold: 1"), (MANIFEST, "maxRetries: 3", "maxRetries: -1"),
                  (MANIFEST, "prefix: /v1/prices", "prefix: v1/prices")],
     "meshify.yaml:28:11: M106 error: healthCheck of listener 8080 of node `products-v1`: 1 is below the minimum 2\n"
     "meshify.yaml:90:11: M106 error: retryPolicy of route `default` of router `products-router`: -1 is below the "
     "minimum 0\n"
     "meshify.yaml:115:11: M106 error: gateway route `prices` of gateway `shop-gateway`: match.prefix 'v1/prices' must "
     "start with /\n"),
    ("M107", [], [(MANIFEST, "            weight: 10\n        retryPolicy:",
                   "            weight: 10\n            port: 9090\n        retryPolicy:")],
     "meshify.yaml:89:13: M107 error: route `default` of router `products-router` targets port 9090 of node "
     "`products-v2`, whose listeners are 8080\n"),
    ("M108", [], [(MANIFEST, "family: products-api-canary", "family: products-api")],
     "meshify.yaml:41:5: M108 error: family `products-api` of node `products-v2` is already claimed by node "
     "`products-v1`\n"),
    ("M109", [], [(MANIFEST, "priority: 10\n", "priority: 200\n")],
     "meshify.yaml:68:9: M109 warning: route `beta-users` of router `products-router` never matches: route `default` "
     "before it matches every request; give this one a lower priority number\n"),
    ("M110", [], [(MANIFEST, "egressFilter: DROP_ALL", "egressFilter: ALLOW_ALL")],
     "meshify.yaml:9:3: M110 warning: mesh `shop` allows egress to any address: declare backends and use DROP_ALL\n"),
    ("M111", [], [(MANIFEST, "        protocol: http\n        healthCheck:",
                   "        protocol: http\n        tls: {mode: PERMISSIVE, certificate: {file: {certificateChain: /c, "
                   "privateKey: /k}}}\n        healthCheck:")],
     "meshify.yaml:25:15: M111 warning: listener 8080 of node `products-v1` has TLS mode PERMISSIVE: connections "
     "without TLS are accepted; use STRICT\n"),
    ("M112", [], [(MANIFEST, "\nnodes:\n", "\nenvoy:\n  egressIgnoredIPs: [169.254.170.2, 169.254.169.254, 169.254.0.0/16]\n"
                                          "\nnodes:\n")],
     "meshify.yaml:20:54: M112 warning: the placeholder address 169.254.255.254 is in EgressIgnoredIPs (169.254.0.0/16), "
     "so Envoy never intercepts it: the placeholder services (products.shop.local) are unreachable\n"),
    ("M113", [], [(MANIFEST, "hostname: prices.shop.local\n", "hostname: prices.shop.local\n  legacy:\n"
                                                               "    listeners: [{port: 7070, protocol: http}]\n")],
     "meshify.yaml:61:3: M113 info: node `legacy` has listeners but no virtual service or route reaches it\n"),
    ("M114", ["create-route.json", "update-route.json"],
     [("create-route.json", "", ROUTE_FILE % 1),
      ("update-route.json", "", ROUTE_FILE % 2)],
     "update-route.json:1:86: M114 error: route `default` of router `products-router` is also defined in "
     "create-route.json:1:86 with a different spec: keep one definition\n"),
    ("M115", [], [(MANIFEST, "      - port: 8080\n        protocol: http\n    routes:",
                   "      - port: 8080\n        protocol: http\n      - port: 8443\n        protocol: http\n    routes:")],
     "meshify.yaml:109:9: M115 error: gateway route `products` of gateway `shop-gateway` names no target port, but "
     "router `products-router` that provides `products.shop.local` has several listeners (8080, 8443): App Mesh "
     "requires it\n"),
    ("M116", [], [(MANIFEST, "        retryPolicy:", "        timeout: {perRequest: 20s}\n        retryPolicy:")],
     "meshify.yaml:89:19: M116 warning: route `default` of router `products-router` waits 20 s per request, but "
     "listener 8080 of node `products-v1` ends requests after 15 s (the default, as it sets none): raise the "
     "listener's timeout.http.perRequest too\n"),
    ("M117", [], [(MANIFEST, "maxRetries: 3", "maxRetries: 5")],
     "meshify.yaml:89:9: M117 warning: route `default` of router `products-router` allows 5 retries of 5 s (25 s), "
     "but each request ends after 15 s (the default, as the route sets no timeout): the last retries never run\n"),
    ("M118", ["prices-v1.json"], [("prices-v1.json", "", '{"meshName": "apps", "virtualNodeName": "prices-v1", '
                                   '"spec": {"listeners": [{"portMapping": {"port": 9090, "protocol": "http"}}]}}\n')],
     "prices-v1.json:1:2: M118 warning: this file is of mesh `apps`, not of the manifest's mesh `shop`: it is checked "
     "against a mesh it does not belong to\n"),
    ("T201", ["taskdefs/prices-api.json"], [],
     "taskdefs/prices-api.json:9:3: T201 error: no Envoy container for node `prices-v1`: add one named `envoy` running "
     "the App Mesh Envoy image\n"),
    ("T202", [INJECTED], [(INJECTED, '"essential": true,\n      "user"', '"essential": false,\n      "user"')],
     "taskdefs/products-api.json:34:7: T202 error: Envoy container `envoy` is not essential: set `essential: true`\n"),
    ("T203", [INJECTED], [(INJECTED, '"condition": "HEALTHY"', '"condition": "START"')],
     "taskdefs/products-api.json:27:11: T203 error: container `app` waits for Envoy to START, not to be HEALTHY\n"),
    ("T204", [INJECTED], [(INJECTED, '"169.254.170.2,169.254.169.254"', '"169.254.170.2"')],
     "taskdefs/products-api.json:82:7: T204 error: EgressIgnoredIPs lacks 169.254.169.254: the task metadata and "
     "instance metadata endpoints, and what the manifest's envoy: settings ignore, must not be proxied\n"),
    ("T205", [INJECTED], [(INJECTED, '"value": "8080"', '"value": "3001"')],
     "taskdefs/products-api.json:80:9: T205 error: AppPorts is '3001', but the listeners of node `products-v1` are "
     "'8080'\n"),
    ("T205", [INJECTED], [(INJECTED, '"containerPort": 8080', '"containerPort": 8081')],  # the listener's port unexposed
     "taskdefs/products-api.json:11:7: T205 error: listener port 8080 of node `products-v1` is exposed by no container: "
     "expose it in the application's portMappings, or change the node's listener\n"),
    ("T206", [INJECTED], [(INJECTED, '"user": "1337"', '"user": "1000"')],
     "taskdefs/products-api.json:35:7: T206 error: Envoy container `envoy` runs as user '1000', not '1337' (envoy.user "
     "and the proxy's IgnoredUID): its own traffic would loop through the proxy\n"),
    ("T207", [INJECTED], [(INJECTED, "virtualNode/products-v1", "virtualNode/products-v2")],
     "taskdefs/products-api.json:39:11: T207 error: APPMESH_RESOURCE_ARN is not the ARN of node `products-v1`: set it "
     "to arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1\n"),
    ("T208", [INJECTED], [(INJECTED, '"networkMode": "awsvpc"', '"networkMode": "bridge"')],
     "taskdefs/products-api.json:3:3: T208 error: networkMode is 'bridge': App Mesh needs 'awsvpc'\n"),
    ("T209", [INJECTED], [(INJECTED, "aws-appmesh-envoy:v1.39.1.0-prod", "aws-appmesh-envoy:latest")],
     "taskdefs/products-api.json:33:7: T209 warning: Envoy image "
     "'840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:latest' has a floating tag: pin a version such "
     "as v1.39.1.0-prod\n"),
    ("T210", [GATEWAY], [(GATEWAY, '"essential": true,', '"essential": true,\n      "user": "1337",')],
     "taskdefs/shop-ingress.json:14:7: T210 error: the Envoy container of gateway `shop-gateway` sets user '1337': a "
     "gateway's Envoy needs none\n"),
    ("T211", [INJECTED], [(INJECTED, '"name": "app",', '"name": "app",\n      "networkMode": "awsvpc",')],
     "taskdefs/products-api.json:12:7: T211 error: ECS rejects this task definition: unknown key 'networkMode' "
     "(expected one of: name, image, repositoryCredentials, cpu, memory, memoryReservation, links, portMappings, "
     "essential, restartPolicy, entryPoint, command, environment, environmentFiles, mountPoints, volumesFrom, "
     "linuxParameters, secrets, dependsOn, startTimeout, stopTimeout, versionConsistency, hostname, user, "
     "workingDirectory, disableNetworking, privileged, readonlyRootFilesystem, dnsServers, dnsSearchDomains, "
     "extraHosts, dockerSecurityOptions, interactive, pseudoTerminal, dockerLabels, ulimits, logConfiguration, "
     "healthCheck, systemControls, resourceRequirements, firelensConfiguration, credentialSpecs)\n"),
    ("T212", [INJECTED], [(INJECTED, '"family": "products-api"', '"family": "billing-api"')],
     "taskdefs/products-api.json:2:3: T212 warning: task definition family 'billing-api' is wired for App Mesh but no "
     "node or gateway of the manifest claims it\n"),
    ("T213", [INJECTED], [(MANIFEST, "\nnodes:\n", "\nenvoy:\n  logLevel: debug\n\nnodes:\n")],
     "taskdefs/products-api.json:36:7: T213 warning: Envoy container `envoy` does not set ENVOY_LOG_LEVEL as the "
     "manifest's envoy: settings ask\n"),
    ("T211", [INJECTED], [(INJECTED, '"essential": true,\n      "user"', '"essential": "yes",\n      "user"')],
     "taskdefs/products-api.json:34:7: T211 error: ECS rejects this task definition: "
     "containerDefinitions[1].essential: a str where the model wants bool\n"),
    ("T214", [INJECTED], [(INJECTED, ENVOY_LOGS, "}\n    }")],
     "taskdefs/products-api.json:32:7: T214 warning: Envoy container `envoy` has no logConfiguration, but `app` has "
     "one: Envoy's logs are lost; give it the same log driver\n"),
    ("T215", [INJECTED], [(INJECTED, '"cpu": "512"', '"cpu": "256"'),
                          (INJECTED, '"name": "app",', '"name": "app",\n      "cpu": 256,'),
                          (INJECTED, '"name": "envoy",', '"name": "envoy",\n      "cpu": 64,')],
     "taskdefs/products-api.json:5:3: T215 error: the containers need 320 CPU units (app 256, envoy 64), more than "
     "the task's cpu 256: ECS rejects it; raise the task's cpu\n"),
    ("T216", [INJECTED], [(MANIFEST, "\nnodes:\n", "\nenvoy:\n  xray: true\n\nnodes:\n")],
     "taskdefs/products-api.json:32:7: T216 warning: envoy.xray is on but the task runs no X-Ray daemon: Envoy's "
     "traces go nowhere; add an aws-xray-daemon container\n"),
    ("I301", [INJECTED], [(POLICY, "virtualNode/products-v1", "virtualNode/products-v2")],
     "task-role.json:1:27: I301 error: the policy does not allow appmesh:StreamAggregatedResources on "
     "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1: Envoy cannot get its configuration\n"),
    ("I302", [INJECTED], [(POLICY, '"Resource": "arn', '"Resource": ["*", "arn'), (POLICY, 'products-v1"}', 'products-v1"]}')],
     "task-role.json:1:108: I302 warning: appmesh:StreamAggregatedResources is allowed on '*': scope it to "
     "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1\n"),
    ("I303", [INJECTED], [(MANIFEST, "\nnodes:\n", "\nenvoy:\n  xray: true\n\nnodes:\n")],
     "task-role.json:1:27: I303 error: envoy.xray is on but the policy does not allow xray:PutTraceSegments, "
     "xray:PutTelemetryRecords, xray:GetSamplingRules, xray:GetSamplingTargets, xray:GetSamplingStatisticSummaries\n"),
    ("I304", [INJECTED], [(POLICY, '{"Effect": "Allow", "Action"',
                           '{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action"')],
     "task-role.json:1:61: I304 error: task-role.json is a trust (assume-role) policy, not a permissions policy: give "
     "the task role's permissions policy to --policy\n"),
]


@pytest.mark.parametrize(("rule", "paths", "edits", "expected"), CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_rule_fails_with_exact_location_and_message(project, rule, paths, edits, expected):
    for file, old, new in edits:
        _edit(project, file, old, new)
    assert _lint(project, rule, paths, policy=rule.startswith("I")) == expected


@pytest.mark.parametrize("rule", sorted({case[0] for case in CASES}))
def test_rule_passes_on_the_example(project, rule):
    paths = {"T": [INJECTED, GATEWAY], "I": [INJECTED]}.get(rule[0], [])
    assert _lint(project, rule, paths, policy=rule.startswith("I")) == ""


def test_every_catalogue_rule_has_a_failing_case_and_a_documented_module():
    catalogue = ({f"M1{n:02d}" for n in range(1, 19)} | {f"T2{n:02d}" for n in range(1, 17)}
                 | {"I301", "I302", "I303", "I304"})
    rules = all_rules()
    assert catalogue <= set(rules)
    tested_elsewhere = {"S001"} | {rule for rule in rules if rule[0] in "LC"}  # test_config, test_live, test_service_connect
    tested_elsewhere |= {rule for rule in rules if rule.startswith("R")}  # test_migration_rules.py
    tested_elsewhere |= {"M119"}  # files against a manifest: tests/rules/test_m119_files_differ.py
    assert set(rules) - tested_elsewhere <= {case[0] for case in CASES}
    for rule in rules.values():
        assert all(section in rule.doc for section in ("What:", "Why:", "Fails", "Passes", "Fix:")), rule.id
