"""meshify against an AWS account: moto's server on a loopback port, reached through
AWS_ENDPOINT_URL exactly as a user points meshify at an endpoint."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest
from conftest import MESHIFY

pytestmark = pytest.mark.slow  # a real process, server or installation (ARCHITECTURE.md, Tests)

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's account


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("moto server did not start")


@pytest.fixture
def endpoint():
    """A fresh moto server per test: each test starts from an empty account."""
    port = _free_port()
    server = _start(port)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def _env(endpoint: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    return env | {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                  "AWS_DEFAULT_REGION": REGION, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
                  "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "2"}


def meshify(endpoint: str, cwd, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MESHIFY), *args], cwd=cwd, capture_output=True, text=True,
                          env=env or _env(endpoint), timeout=120)


def _client(endpoint: str, service: str):
    import boto3

    return boto3.client(service, region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


@pytest.fixture
def shop_account(shop):
    """The shop manifest, in moto's account."""
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace('account: "111122223333"', f'account: "{ACCOUNT}"'))
    return shop


# --------------------------------------------------------------------------- task definitions


def test_register_reads_back_and_skips_unchanged(endpoint, shop_account):
    ecs = _client(endpoint, "ecs")
    plain = json.loads((shop_account / "taskdefs/prices-api.json").read_text())
    ecs.register_task_definition(**plain, tags=[{"key": "team", "value": "pricing"}])

    patch = meshify(endpoint, shop_account, "inject", "ecs:prices-api", "--patch")
    assert patch.returncode == 0, patch.stderr
    assert [op["path"] for op in json.loads(patch.stdout)][:1] == ["/containerDefinitions/-"]

    registered = meshify(endpoint, shop_account, "inject", "ecs:prices-api", "--register")
    assert registered.returncode == 0, registered.stderr
    assert registered.stdout == f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/prices-api:2\n"
    described = ecs.describe_task_definition(taskDefinition="prices-api:2", include=["TAGS"])
    assert [c["name"] for c in described["taskDefinition"]["containerDefinitions"]] == ["prices", "log-router", "envoy"]
    assert described["taskDefinition"]["proxyConfiguration"]["type"] == "APPMESH"
    assert described["tags"] == [{"key": "team", "value": "pricing"}]

    again = meshify(endpoint, shop_account, "inject", "ecs:prices-api", "--register")
    assert (again.returncode, again.stdout) == (0, "")
    assert "ecs:prices-api: already injected; nothing registered" in again.stderr
    assert ecs.list_task_definitions(familyPrefix="prices-api")["taskDefinitionArns"][-1].endswith(":2")

    arn = f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/prices-api:1"
    assert meshify(endpoint, shop_account, "lint", arn).stdout.startswith(f"{arn}:")
    assert meshify(endpoint, shop_account, "lint", "ecs:prices-api:2").returncode == 0


# --------------------------------------------------------------------------- the mesh

LISTENER_8080 = [{"portMapping": {"port": 8080, "protocol": "http"}}]


def _default_route(v1_weight: int, v2_weight: int) -> dict:
    """The shop's `default` route as the App Mesh API spells it."""
    return {"priority": 100, "httpRoute": {
        "match": {"prefix": "/"},
        "action": {"weightedTargets": [{"virtualNode": "products-v1", "weight": v1_weight},
                                       {"virtualNode": "products-v2", "weight": v2_weight}]},
        "retryPolicy": {"maxRetries": 3, "perRetryTimeout": {"unit": "s", "value": 5},
                        "httpRetryEvents": ["server-error", "gateway-error"]}}}


def _create_shop_mesh(endpoint: str) -> None:
    appmesh = _client(endpoint, "appmesh")
    appmesh.create_mesh(meshName="shop", spec={"egressFilter": {"type": "DROP_ALL"}})
    health = {"protocol": "http", "path": "/health", "healthyThreshold": 2, "unhealthyThreshold": 3,
              "timeoutMillis": 2000, "intervalMillis": 5000}
    nodes = {
        "products-v1": {"listeners": [{**LISTENER_8080[0], "healthCheck": health}],
                        "backends": [{"virtualService": {"virtualServiceName": "prices.shop.local"}}],
                        "serviceDiscovery": {"awsCloudMap": {"namespaceName": "shop.local", "serviceName": "products",
                                                             "attributes": [{"key": "version", "value": "v1"}]}}},
        "products-v2": {"listeners": LISTENER_8080,
                        "backends": [{"virtualService": {"virtualServiceName": "prices.shop.local"}}],
                        "serviceDiscovery": {"awsCloudMap": {"namespaceName": "shop.local", "serviceName": "products",
                                                             "attributes": [{"key": "version", "value": "v2"}]}}},
        "prices-v1": {"listeners": [{"portMapping": {"port": 9090, "protocol": "http"}}],
                      "serviceDiscovery": {"dns": {"hostname": "prices.shop.local"}}},
    }
    for name, spec in nodes.items():
        appmesh.create_virtual_node(meshName="shop", virtualNodeName=name, spec=spec)
    appmesh.create_virtual_router(meshName="shop", virtualRouterName="products-router", spec={"listeners": LISTENER_8080})
    appmesh.create_route(meshName="shop", virtualRouterName="products-router", routeName="beta-users", spec={
        "priority": 10, "httpRoute": {
            "match": {"prefix": "/", "headers": [{"name": "x-beta-user", "match": {"exact": "true"}}]},
            "action": {"weightedTargets": [{"virtualNode": "products-v2", "weight": 100}]}}})
    appmesh.create_route(meshName="shop", virtualRouterName="products-router", routeName="default",
                         spec=_default_route(90, 10))
    appmesh.create_virtual_gateway(meshName="shop", virtualGatewayName="shop-gateway", spec={"listeners": LISTENER_8080})
    for name, prefix, service in (("products", "/v1/products", "products.shop.local"),
                                  ("prices", "/v1/prices", "prices.shop.local")):
        appmesh.create_gateway_route(meshName="shop", virtualGatewayName="shop-gateway", gatewayRouteName=name, spec={
            "httpRoute": {"match": {"prefix": prefix},
                          "action": {"target": {"virtualService": {"virtualServiceName": service}}}}})


def _create_namespace(endpoint: str) -> None:
    _client(endpoint, "servicediscovery").create_private_dns_namespace(Name="shop.local", Vpc="vpc-12345")


def test_matching_mesh_and_placeholders_lint_clean(endpoint, shop_account):
    _create_shop_mesh(endpoint)
    _create_namespace(endpoint)
    listed = meshify(endpoint, shop_account, "placeholders")
    assert (listed.returncode, listed.stdout) == (0, "products.shop.local  missing: no service products\n")
    applied = meshify(endpoint, shop_account, "placeholders", "--apply")
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout == ("products.shop.local  missing: no service products\ncreated service products\n"
                              "created instance products.shop.local -> 169.254.255.254\n")
    again = meshify(endpoint, shop_account, "placeholders", "--apply")
    assert again.stdout == "products.shop.local  exists (169.254.255.254)\nnothing to create\n"

    result = meshify(endpoint, shop_account, "lint", "--live", "--fail-on", "info")
    assert (result.returncode, result.stdout) == (0, "")
    # moto has no virtual service API: meshify says what it could not compare.
    assert result.stderr == "meshify: note: the endpoint cannot list virtualServices; they were not compared\n"


def test_drift_is_reported_at_the_manifest_element(endpoint, shop_account):
    _create_shop_mesh(endpoint)
    _create_namespace(endpoint)
    appmesh = _client(endpoint, "appmesh")
    appmesh.update_route(meshName="shop", virtualRouterName="products-router", routeName="default",
                         spec=_default_route(50, 50))
    appmesh.delete_virtual_node(meshName="shop", virtualNodeName="prices-v1")
    appmesh.create_virtual_node(meshName="shop", virtualNodeName="products-v0", spec={"listeners": LISTENER_8080})
    discovery = _client(endpoint, "servicediscovery")
    namespace = discovery.list_namespaces()["Namespaces"][0]["Id"]
    service = discovery.create_service(Name="products", NamespaceId=namespace)["Service"]["Id"]
    discovery.register_instance(ServiceId=service, InstanceId="old", Attributes={"AWS_INSTANCE_IPV4": "2.2.2.2"})

    result = meshify(endpoint, shop_account, "lint", "--live")
    assert result.returncode == 1
    assert result.stdout == (
        "meshify.yaml:17:7: L405 warning: placeholder products.shop.local: 2.2.2.2 is not link-local (169.254.0.0/16)\n"
        "meshify.yaml:19:1: L402 warning: virtual node `products-v0` exists in the account's mesh but not in the manifest\n"
        "meshify.yaml:53:3: L401 error: virtual node `prices-v1` is in the manifest but not in the account's mesh\n"
        "meshify.yaml:79:9: L403 error: route `default` of router `products-router` differs from the account's mesh at "
        "/httpRoute/action/weightedTargets/0/weight: the manifest says 90, the mesh has 50\n")


def test_missing_mesh_and_missing_namespace(endpoint, shop_account):
    result = meshify(endpoint, shop_account, "lint", "--live")
    assert result.returncode == 1
    assert result.stdout == (
        "meshify.yaml:5:1: L401 error: mesh `shop` is in the manifest but not in the account's mesh\n"
        "meshify.yaml:17:7: L404 error: placeholder products.shop.local does not resolve: the namespace shop.local does "
        "not exist; run `meshify placeholders --apply`\n")
    applied = meshify(endpoint, shop_account, "placeholders", "--apply")
    assert applied.returncode == 2
    assert applied.stderr == "AWS: the Cloud Map namespace 'shop.local' does not exist; create it first\n"


# --------------------------------------------------------------------------- failures


def test_endpoint_down_exits_2_with_one_line(shop_account):
    port = _free_port()  # nothing listens there
    result = meshify(f"http://127.0.0.1:{port}", shop_account, "placeholders")
    assert result.returncode == 2
    assert result.stderr.startswith("AWS: the endpoint does not answer: Could not connect to the endpoint URL")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_no_credentials_exits_2(endpoint, shop_account):
    env = {k: v for k, v in _env(endpoint).items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    result = meshify(endpoint, shop_account, "lint", "--live", env=env)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "AWS: no credentials found: use --profile, AWS_PROFILE or AWS_ACCESS_KEY_ID\n"


def test_access_denied_is_one_line(endpoint, shop_account):
    result = meshify(endpoint, shop_account, "inject", "ecs:no-such-family", "--patch")
    assert result.returncode == 2
    assert result.stderr.startswith("AWS DescribeTaskDefinition: ClientException: ")
    assert result.stderr.count("\n") == 1


def test_linting_files_does_not_import_boto3(shop_account):
    code = ("import sys\nfrom meshify.injector.cli import main\nsys.argv = ['meshify', 'lint', 'taskdefs/products-api.json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint('boto3' in sys.modules, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=shop_account, capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "False"
    assert "T201" in result.stdout  # it did lint


def test_profile_selects_the_credentials(endpoint, shop_account, tmp_path):
    credentials = tmp_path / "credentials"
    credentials.write_text("[shop]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    env = {k: v for k, v in _env(endpoint).items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(credentials)
    _create_namespace(endpoint)
    assert meshify(endpoint, shop_account, "placeholders", "--profile", "shop", env=env).returncode == 0
    missing = meshify(endpoint, shop_account, "placeholders", "--profile", "nope", env=env)
    assert (missing.returncode, missing.stderr) == (2, "AWS: The config profile (nope) could not be found\n")


# --------------------------------------------------------------------------- meshify init --live

def test_init_live_writes_the_accounts_mesh_and_it_lints_clean_live(endpoint, tmp_path):
    """init --live reads the mesh through the App Mesh API (region from the environment,
    account from STS), and the manifest it writes matches the account: lint --live finds no drift."""
    _create_shop_mesh(endpoint)
    (tmp_path / ".git").mkdir()
    result = meshify(endpoint, tmp_path, "init", "--live", "--mesh", "shop")
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "meshify.yaml").read_text()
    assert f"mesh:\n  name: shop\n  region: {REGION}\n  account: '{ACCOUNT}'\n" in manifest
    assert "  products-router:\n    listeners:\n    - port: 8080\n      protocol: http\n    routes:\n" in manifest
    lint = meshify(endpoint, tmp_path, "lint", "--live", "--select", "M106,L")
    assert (lint.returncode, lint.stdout) == (0, ""), lint.stdout
    again = meshify(endpoint, tmp_path, "init", "--live", "--mesh", "shop")
    assert again.returncode == 2
    assert again.stderr == "meshify.yaml exists: meshify init does not overwrite it without --force\n"


def test_init_live_of_a_missing_mesh_exits_2(endpoint, tmp_path):
    result = meshify(endpoint, tmp_path, "init", "--live", "--mesh", "nothing")
    assert result.returncode == 2
    assert result.stderr == f"AWS: no mesh 'nothing' in {ACCOUNT} {REGION}\n"
    assert not (tmp_path / "meshify.yaml").exists()
