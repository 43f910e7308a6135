"""The Service Connect rules (C5xx): the shop after its migration (named ports, one ECS
service definition per API) is clean; one small edit makes each rule fail, with the exact
rule, line, column and message."""

from __future__ import annotations

import functools
import os
import shutil

import pytest
from golden_cases import FIXTURES, SHOP
from meshify.injector.commands.lint import lint
from meshify.injector.engine import all_rules
from meshify.injector.outputs.reporters import text

PRODUCTS_TD, PRICES_TD = "taskdefs/products-api.json", "taskdefs/prices-api.json"
PRODUCTS, PRICES = "services/products.json", "services/prices.json"
PATHS = [PRODUCTS_TD, PRICES_TD, PRODUCTS, PRICES]


@pytest.fixture
def migrated(tmp_path):
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root)
    (root / "services").mkdir()
    shutil.copy(FIXTURES / "services/products-service.json", root / PRODUCTS)
    shutil.copy(FIXTURES / "services/prices-service.json", root / PRICES)
    _edit(root, PRODUCTS_TD, '{"containerPort": 8080, "protocol": "tcp"}',
          '{"containerPort": 8080, "protocol": "tcp", "name": "products-http", "appProtocol": "http"}')
    _edit(root, PRICES_TD, '{"containerPort": 9090, "protocol": "tcp"}',
          '{"containerPort": 9090, "protocol": "tcp", "name": "prices-http", "appProtocol": "http"}')
    return root


def _edit(root, file: str, old: str, new: str) -> None:
    path = root / file
    content = path.read_text()
    assert old in content, f"fixture edit does not apply: {old!r}"
    path.write_text(content.replace(old, new, 1))


def _lint(root, select: str, paths: list[str] = PATHS) -> str:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return text(lint("meshify.yaml", paths, select=[select]))
    finally:
        os.chdir(cwd)


LATTICE = ('"deploymentController": {"type": "ECS"},\n  "vpcLatticeConfigurations": [{"roleArn": '
           '"arn:aws:iam::111122223333:role/lattice", "targetGroupArn": '
           '"arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/prices/0123456789abcdef", '
           '"portName": "prices-tcp-9090"}],')
PRICES_LOG = ('    "logConfiguration": {\n      "logDriver": "awslogs",\n      "options": {"awslogs-group": "/ecs/prices-proxy", '
              '"awslogs-region": "eu-west-1", "awslogs-stream-prefix": "sc"}\n    },\n')
TLS = ('"discoveryName": "prices",\n        "tls": {"issuerCertificateAuthority": {"awsPcaAuthorityArn": '
       '"arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/0a1b"}},')
LONG = "p" * 65

# (rule, [(file, old, new)], expected text output)
CASES = [
    ("C501", [(PRODUCTS, '"portName": "products-http"', '"portName": "http"')],
     "services/products.json:18:9: C501 error: service `products`: portName 'http' is named by no port mapping of "
     "task definition `products-api` (named ports: products-http)\n"),
    ("C501", [(PRICES, '"deploymentController": {"type": "ECS"},', LATTICE)],
     "services/prices.json:8:195: C501 error: service `prices`: portName 'prices-tcp-9090' is named by no port mapping "
     "of task definition `prices-api` (named ports: prices-http)\n"),
    ("C502", [(PRODUCTS, '"discoveryName": "products"', '"discoveryName": "Products_API"'),
              (PRODUCTS, '"dnsName": "products.shop.local"', '"dnsName": "-products.shop.local"')],
     "services/products.json:19:9: C502 error: service `products`: discoveryName 'Products_API' may only hold "
     "lowercase letters, digits, `_` and `-`, not starting with `-`\n"
     "services/products.json:21:24: C502 error: service `products`: dnsName '-products.shop.local' may only hold "
     "lowercase letters, digits, `_`, `-` and `.`, not starting with `-`\n"),
    ("C502", [(PRODUCTS_TD, '"name": "products-http"', f'"name": "{LONG}"'),
              (PRODUCTS, '"portName": "products-http"', f'"portName": "{LONG}"')],
     f"taskdefs/products-api.json:14:67: C502 error: port mapping name '{LONG}' of task definition `products-api` is "
     "65 characters long, more than the 64 ECS allows\n"),
    ("C503", [(PRODUCTS, '{"port": 80, "dnsName": "products.shop.local"}',
               '{"port": 80, "dnsName": "products.shop.local"},\n          {"port": 80, "dnsName": "products"}')],
     "services/products.json:22:11: C503 error: service `products`: port 'products-http' has 2 client aliases; "
     "ECS allows one\n"),
    ("C504", [(PRICES, '"discoveryName": "prices"', '"discoveryName": "products"'),
              (PRICES, '{"port": 9090, "dnsName": "prices.shop.local"}', '{"port": 80, "dnsName": "products.shop.local"}')],
     "services/prices.json:20:9: C504 error: service `prices`: discovery name 'products' is already used in namespace "
     "shop.local by service `products`\n"
     "services/prices.json:22:24: C504 error: service `prices`: dnsName 'products.shop.local:80' is already used in "
     "namespace shop.local by service `products`\n"),
    ("C505", [(PRICES_TD, ', "appProtocol": "http"', ''),
              (PRICES, '"discoveryName": "prices",',
               '"discoveryName": "prices",\n        "timeout": {"idleTimeoutSeconds": 3600, "perRequestTimeoutSeconds": 15},')],
     "services/prices.json:21:49: C505 error: service `prices`: port 'prices-http' is TCP (its port mapping has no "
     "appProtocol): only idleTimeoutSeconds applies to it\n"),
    ("C506", [(PRICES, PRICES_LOG, '')],
     "services/prices.json:26:5: C506 error: service `prices`: accessLogConfiguration needs a logConfiguration in "
     "serviceConnectConfiguration\n"),
    ("C507", [(PRICES_TD, '"networkMode": "awsvpc",\n  "requiresCompatibilities": ["FARGATE"],', '"networkMode": "bridge",'),
              (PRICES, '"discoveryName": "prices",', TLS)],
     "services/prices.json:21:9: C507 error: service `prices`: TLS on port 'prices-http' is not supported in bridge "
     "network mode (task definition `prices-api`): use awsvpc\n"),
    ("C508", [(PRICES, '"deploymentController": {"type": "ECS"}', '"deploymentController": {"type": "CODE_DEPLOY"}')],
     "services/prices.json:7:28: C508 error: service `prices`: Service Connect does not support the CODE_DEPLOY "
     "deployment controller: use ECS with a BLUE_GREEN, CANARY or LINEAR strategy\n"),
    ("C509", [(PRODUCTS_TD, '"memory": "1024",',
               '"memory": "1024",\n  "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy", "properties": []},')],
     "taskdefs/products-api.json:7:3: C509 error: task definition `products-api` still has a proxyConfiguration, but "
     "service `products` uses Service Connect: run meshify uninject on it\n"),
    ("C510", [(PRICES, '"dnsName": "prices.shop.local"', '"dnsName": "prices"')],
     "services/products.json:13:3: C510 warning: service `products` runs node `products-v1`, which calls "
     "prices.shop.local: no Service Connect service in namespace shop.local has it as a client alias\n"),
]


@pytest.mark.parametrize(("rule", "edits", "expected"), CASES, ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_rule_fails_with_exact_location_and_message(migrated, rule, edits, expected):
    for file, old, new in edits:
        _edit(migrated, file, old, new)
    assert _lint(migrated, rule) == expected
    # Each mistake passes botocore's own CreateService validation: the model cannot see it.
    for service in (PRODUCTS, PRICES):
        assert _create_service_problems(migrated / service) == ""


@functools.cache  # botocore's model, read-only: loaded once, not for each of the 24 services checked
def _create_service_shape():
    import botocore.session

    return botocore.session.get_session().get_service_model("ecs").operation_model("CreateService").input_shape


def _create_service_problems(path) -> str:
    from botocore.validate import ParamValidator
    from meshify.injector.inputs.reader import read_input

    report = ParamValidator().validate(read_input(str(path)).services[0].data, _create_service_shape())
    return report.generate_report() if report.has_errors() else ""


@pytest.mark.parametrize("rule", sorted(r for r in all_rules() if r.startswith("C")))
def test_rule_passes_on_the_migrated_shop(migrated, rule):
    assert _lint(migrated, rule) == ""


def test_every_service_connect_rule_has_a_failing_case():
    # C511 is a template's (references between resources): tests/inputs/test_cloudformation.py
    assert {r for r in all_rules() if r.startswith("C")} == {case[0] for case in CASES} | {"C511"}


def test_a_service_connect_task_is_no_longer_an_app_mesh_task(migrated):
    """products-api has no Envoy and the manifest still claims it: with Service Connect
    enabled in its service, the T2xx rules are silent; disabled, T201 is back."""
    assert _lint(migrated, "T2") == ""
    _edit(migrated, PRODUCTS, '"enabled": true', '"enabled": false')
    assert _lint(migrated, "T201") == (
        "taskdefs/products-api.json:9:3: T201 error: no Envoy container for node `products-v1`: add one named `envoy` "
        "running the App Mesh Envoy image\n")


def test_envoy_left_in_an_injected_task_definition(migrated):
    shutil.copy(FIXTURES / "golden/shop-products-api.out.json", migrated / PRODUCTS_TD)
    _edit(migrated, PRODUCTS_TD, '{"containerPort": 8080, "protocol": "tcp"}',
          '{"containerPort": 8080, "protocol": "tcp", "name": "products-http", "appProtocol": "http"}')
    assert _lint(migrated, "C509") == (
        "taskdefs/products-api.json:31:5: C509 error: task definition `products-api` still has the Envoy container "
        "`envoy`, but service `products` uses Service Connect: run meshify uninject on it\n"
        "taskdefs/products-api.json:62:3: C509 error: task definition `products-api` still has a proxyConfiguration, "
        "but service `products` uses Service Connect: run meshify uninject on it\n")


def test_findings_in_describe_services_output_point_at_the_primary_deployment(migrated):
    shutil.copy(FIXTURES / "services/described-services.json", migrated / "services/described.json")
    _edit(migrated, PRICES_TD, '"name": "prices-http", ', "")
    assert _lint(migrated, "C501", [PRICES_TD, "services/described.json"]) == (
        "services/described.json:22:27: C501 error: service `prices`: portName 'prices-http' is named by no port "
        "mapping of task definition `prices-api` (named ports: none)\n")


TWO_NAMESPACES = """\
Parameters:
  Cluster: {Type: String}
Resources:
  BlueNamespace:
    Type: AWS::ServiceDiscovery::HttpNamespace
    Properties: {Name: blue.local}
  GreenNamespace:
    Type: AWS::ServiceDiscovery::HttpNamespace
    Properties: {Name: green.local}
  BlueService:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: blue
      Cluster: !Ref Cluster
      ServiceConnectConfiguration:
        Enabled: true
        Namespace: !GetAtt BlueNamespace.Arn
        Services:
          - PortName: http
  GreenService:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: green
      Cluster: !Ref Cluster
      ServiceConnectConfiguration:
        Enabled: true
        Namespace: !GetAtt GreenNamespace.Arn
        Services:
          - PortName: http
"""


def test_c504_tells_namespaces_apart_by_their_expressions(tmp_path):
    """Two services in two namespaces the stack creates: the same portName is no duplicate.
    Both namespaces are intrinsics, and the service's namespace used to fall back to the
    cluster's default namespace, the same for both; the same expression in one template
    is one namespace, and still a duplicate."""
    from conftest import run_meshify

    (tmp_path / "services.yaml").write_text(TWO_NAMESPACES)
    result = run_meshify("lint", "services.yaml", "--select", "C504", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    (tmp_path / "services.yaml").write_text(TWO_NAMESPACES.replace("!GetAtt GreenNamespace.Arn",
                                                                   "!GetAtt BlueNamespace.Arn"))
    result = run_meshify("lint", "services.yaml", "--select", "C504", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, (
        "services.yaml:29:13: C504 error: service `green`: discovery name 'http' is already used in namespace "
        '{"Fn::GetAtt": ["BlueNamespace", "Arn"]} by service `blue`\n'))
