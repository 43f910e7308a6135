"""What real App Mesh-on-ECS files taught (issue 10, "Real files"): AWS's own layouts are
accepted, nothing the user wrote is hidden or overwritten, and results do not depend on
the order of the files."""

from __future__ import annotations

import json
import shutil

from conftest import run_meshify
from golden_cases import GOLDEN

INJECTED = "taskdefs/products-api.json"
# AWS's App Mesh user guide (getting-started-ecs) runs the X-Ray daemon as the ignored UID,
# with no dependsOn, so that its traffic to X-Ray bypasses Envoy.
XRAY_DAEMON = {"name": "xray-daemon", "image": "public.ecr.aws/xray/aws-xray-daemon:3.3.7", "essential": True,
               "user": "1337", "portMappings": [{"containerPort": 2000, "protocol": "udp"}]}


def _taskdef(shop, name: str = INJECTED) -> dict:
    return json.loads((shop / name).read_text())


def _write(shop, data: dict, name: str = INJECTED) -> None:
    (shop / name).write_text(json.dumps(data, indent=2) + "\n")


def _injected(shop) -> dict:
    (shop / INJECTED).write_text((GOLDEN / "shop-products-api.out.json").read_text())
    return _taskdef(shop)


# --- item 1: the X-Ray daemon as AWS documents it ------------------------------------------


def test_xray_daemon_as_the_ignored_uid_lints_clean(shop):
    data = _injected(shop)
    data["containerDefinitions"].append(XRAY_DAEMON)
    _write(shop, data)
    result = run_meshify("lint", INJECTED, "--select", "T2", cwd=shop)
    assert (result.returncode, result.stdout) == (0, "")


def test_inject_accepts_the_xray_daemon_and_leaves_it_alone(shop):
    data = _taskdef(shop)
    data["containerDefinitions"].append(XRAY_DAEMON)
    _write(shop, data)
    result = run_meshify("inject", INJECTED, "--patch", cwd=shop)
    assert result.returncode == 0, result.stderr
    touched = {op["path"] for op in json.loads(result.stdout)}
    assert not any(path.startswith("/containerDefinitions/1/") for path in touched)  # the daemon
    assert "/containerDefinitions/0/dependsOn" in touched  # the application still waits for Envoy


def test_the_application_running_as_the_ignored_uid_is_still_refused(shop):
    data = _taskdef(shop)
    data["containerDefinitions"][0]["user"] = "1337"
    _write(shop, data)
    result = run_meshify("inject", INJECTED, "--patch", cwd=shop)
    assert result.returncode == 2
    assert "cannot inject: T206 container `app` runs as UID 1337" in result.stderr


def test_inject_never_refuses_for_a_rule_the_user_ignored(shop):
    data = _taskdef(shop)
    data["containerDefinitions"][0]["user"] = "1337"
    _write(shop, data)
    (shop / "meshify.toml").write_text('ignore = ["T206"]\n')
    result = run_meshify("inject", INJECTED, "--patch", cwd=shop)
    assert result.returncode == 0, result.stderr


# --- item 4: false positives -----------------------------------------------------------


def test_firelens_configuration_null_is_no_log_router(shop):
    data = _taskdef(shop)
    data["containerDefinitions"][0]["firelensConfiguration"] = None  # as console exports write it
    _write(shop, data)
    patch = json.loads(run_meshify("inject", INJECTED, "--patch", cwd=shop).stdout)
    assert {"op": "add", "path": "/containerDefinitions/0/dependsOn",
            "value": [{"containerName": "envoy", "condition": "HEALTHY"}]} in patch


def test_no_t203_on_the_other_containers_of_a_gateway_task(shop):
    gateway = "taskdefs/shop-ingress.json"
    (shop / gateway).write_text((GOLDEN / "shop-ingress.out.json").read_text())
    data = _taskdef(shop, gateway)
    data["containerDefinitions"].append({"name": "log-shipper", "image": "fluent/fluent-bit:3.0", "essential": True})
    _write(shop, data, gateway)
    result = run_meshify("lint", gateway, "--select", "T203", cwd=shop)
    assert (result.returncode, result.stdout) == (0, "")


# --- item 5: never touch the user's ports ----------------------------------------------


def test_inject_reports_a_listener_port_nothing_exposes_and_adds_no_port(shop):
    """The guide's task definition: the app listens on 9080, the node on 80."""
    data = _taskdef(shop)
    data["containerDefinitions"][0]["portMappings"] = [{"containerPort": 9080, "protocol": "tcp"}]
    _write(shop, data)
    result = run_meshify("inject", INJECTED, "--patch", cwd=shop)
    assert result.returncode == 2
    assert result.stderr == (
        f"{INJECTED}:13:7: cannot inject: T205 listener port 8080 of node `products-v1` is exposed by no "
        "container: expose it in the application's portMappings, or change the node's listener\n")
    assert result.stdout == ""


# --- item 7: placeholders are unknowns ------------------------------------------------


def test_an_envoy_image_placeholder_is_kept_and_not_reported(shop):
    data = _injected(shop)
    data["containerDefinitions"][1]["image"] = "${ENVOY_IMAGE}"
    _write(shop, data)
    lint = run_meshify("lint", INJECTED, "--select", "T2", cwd=shop)
    assert (lint.returncode, lint.stdout) == (0, "")
    assert run_meshify("inject", INJECTED, "--patch", cwd=shop).stdout.strip() == "[]"


def test_placeholders_of_every_kind_are_kept(shop):
    data = _injected(shop)
    for placeholder in ("<IMAGE1_NAME>", "{{ envoy_image }}", "$ENVOY_IMAGE"):
        data["containerDefinitions"][1]["image"] = placeholder
        _write(shop, data)
        result = run_meshify("lint", INJECTED, "--select", "T209,T213", cwd=shop)
        assert (result.returncode, result.stdout) == (0, ""), placeholder


# --- item 8: a trust policy is not a permissions policy -------------------------------


TRUST_POLICY = ('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
                '      "Principal": {"Service": "ecs-tasks.amazonaws.com"},\n      "Action": "sts:AssumeRole"\n    }\n  ]\n}\n')


def test_inject_refuses_to_add_statements_to_a_trust_policy(shop):
    (shop / "trust.json").write_text(TRUST_POLICY)
    before = (shop / INJECTED).read_bytes()
    result = run_meshify("inject", INJECTED, "--in-place", "--policy", "trust.json", cwd=shop)
    assert result.returncode == 2
    assert result.stderr == (
        "trust.json:6:7: cannot inject: I304 trust.json is a trust (assume-role) policy, not a permissions policy: "
        "give the task role's permissions policy to --policy\n")
    assert (shop / "trust.json").read_text() == TRUST_POLICY
    assert (shop / INJECTED).read_bytes() == before


def test_lint_reports_a_trust_policy(shop):
    (shop / INJECTED).write_text((GOLDEN / "shop-products-api.out.json").read_text())
    (shop / "trust.json").write_text(TRUST_POLICY)
    result = run_meshify("lint", INJECTED, "--policy", "trust.json", "--select", "I", cwd=shop)
    assert result.stdout == (
        "trust.json:6:7: I304 error: trust.json is a trust (assume-role) policy, not a permissions policy: "
        "give the task role's permissions policy to --policy\n")


# --- item 11: the consumer account's form of a shared mesh's node --------------------


SHARED = "  account: \"111122223333\"\n  owner: \"444455556666\"\n"


def test_the_consumer_short_form_of_a_shared_mesh_is_accepted(shop):
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace('  account: "111122223333"\n', SHARED))
    data = _injected(shop)
    data["containerDefinitions"][1]["environment"] = [
        {"name": "APPMESH_RESOURCE_ARN", "value": "mesh/shop@444455556666/virtualNode/products-v1"}]
    _write(shop, data)
    result = run_meshify("lint", INJECTED, "--select", "T207", cwd=shop)
    assert (result.returncode, result.stdout) == (0, "")


def test_the_deprecated_variable_in_the_consumer_form_keeps_its_value(shop):
    """AWS's cross-account walkthrough writes APPMESH_VIRTUAL_NODE_NAME=mesh/<mesh>@<owner>/virtualNode/<node>:
    inject renames the variable and keeps the form, it does not rewrite it to the owner's ARN."""
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace('  account: "111122223333"\n', SHARED))
    data = _injected(shop)
    data["containerDefinitions"][1]["environment"] = [
        {"name": "APPMESH_VIRTUAL_NODE_NAME", "value": "mesh/shop@444455556666/virtualNode/products-v1"}]
    _write(shop, data)
    patch = json.loads(run_meshify("inject", INJECTED, "--patch", cwd=shop).stdout)
    assert [op for op in patch if "/environment" in op["path"]] == [
        {"op": "replace", "path": "/containerDefinitions/1/environment/0",
         "value": {"name": "APPMESH_RESOURCE_ARN", "value": "mesh/shop@444455556666/virtualNode/products-v1"}}]


def test_m104_compares_dns_names_case_insensitively(shop):
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("hostname: prices.shop.local", "hostname: Prices.Shop.Local"))
    result = run_meshify("lint", "--select", "M104", cwd=shop)
    assert (result.returncode, result.stdout) == (0, "")


def test_m104_accepts_a_router_whose_target_answers_to_the_service_name(shop):
    """The guide's serviceB: a router provider, and its target node's DNS hostname is the service name."""
    manifest = shop / "meshify.yaml"
    text = manifest.read_text().replace("  placeholders:\n    - products.shop.local\n", "  placeholders: []\n")
    text = text.replace("    family: prices-api\n", "    family: prices-api\n    backends: [products.shop.local]\n")
    text = text.replace("    discovery:\n      cloudMap:\n        service: products\n        attributes:\n          version: v1\n",
                        "    discovery:\n      dns:\n        hostname: products.shop.local\n", 1)
    manifest.write_text(text)
    result = run_meshify("lint", "--select", "M104", cwd=shop)
    assert (result.returncode, result.stdout) == (0, "")
    text = text.replace("hostname: products.shop.local", "hostname: products-v1.shop.local")
    manifest.write_text(text.replace("service: products\n", "service: products-v2\n"))
    assert run_meshify("lint", "--select", "M104", cwd=shop).stdout == (
        "meshify.yaml:93:3: M104 error: virtual service `products.shop.local` is a backend but nothing resolves its "
        "name (its provider is router `products-router`, which has no DNS name): add it to cloudMap.placeholders\n")


# --- item 6: a mesh spec file ---------------------------------------------------------


def test_a_mesh_spec_file_is_read_and_checked(shop):
    (shop / "mesh.json").write_text('{\n  "meshName": "shop",\n  "spec": {\n    "egressFilter": {"type": "ALLOW_ALL"}\n  }\n}\n')
    result = run_meshify("lint", "mesh.json", "--select", "M110,M118", cwd=shop)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "mesh.json:4:22: M110 warning: mesh `shop` allows egress to any address: declare backends " \
                            "and use DROP_ALL\n"


def test_a_spec_file_of_another_mesh_is_reported(shop):
    (shop / "mesh.json").write_text('{\n  "meshName": "apps",\n  "spec": {\n    "egressFilter": {"type": "DROP_ALL"}\n  }\n}\n')
    result = run_meshify("lint", "mesh.json", "--select", "M", cwd=shop)
    assert result.stdout == ("mesh.json:2:3: M118 warning: this file is of mesh `apps`, not of the manifest's mesh `shop`: "
                             "it is checked against a mesh it does not belong to\n")


def test_without_a_manifest_a_spec_file_of_another_mesh_does_not_speak_of_a_manifest(tmp_path):
    """A template's mesh and a spec file of another mesh (spec files alone of several meshes
    are linted mesh by mesh instead)."""
    from golden_cases import FIXTURES

    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "cloudformation" / "ledger.yaml", tmp_path / "ledger.yaml")
    other = json.loads((FIXTURES / "migrate-without-manifest" / "color-node.json").read_text())
    (tmp_path / "a-node.json").write_text(json.dumps({**other, "meshName": "alpha", "virtualNodeName": "zeta"}))
    result = run_meshify("lint", "ledger.yaml", "a-node.json", "--select", "M118", cwd=tmp_path)
    assert result.stdout == ("a-node.json:1:2: M118 warning: this file is of mesh `alpha`, not of mesh `shop` that the "
                             "files given describe: it is checked against a mesh it does not belong to\n")


# --- item 3: order --------------------------------------------------------------------


def _route(weight_node: str) -> str:
    return ('{\n  "meshName": "shop",\n  "virtualRouterName": "products-router",\n  "routeName": "default",\n'
            '  "spec": {\n    "httpRoute": {\n      "match": {"prefix": "/"},\n      "action": {"weightedTargets": '
            f'[{{"virtualNode": "{weight_node}", "weight": 1}}]}}\n    }}\n  }}\n}}\n')


def test_every_file_is_linted_whatever_the_order(shop):
    (shop / "create-route.json").write_text(_route("products-v3"))  # a dangling target
    (shop / "update-route.json").write_text(_route("products-v1"))
    dangling = ("create-route.json:8:38: M105 error: route `default` of router `products-router` targets node "
                "`products-v3`, which does not exist\n")
    forward = run_meshify("lint", "create-route.json", "update-route.json", "--select", "M105,M114", cwd=shop)
    assert forward.stdout == dangling + (
        "update-route.json:5:3: M114 error: route `default` of router `products-router` is also defined in "
        "create-route.json:5:3 with a different spec: keep one definition\n")
    backward = run_meshify("lint", "update-route.json", "create-route.json", "--select", "M105,M114", cwd=shop)
    assert backward.stdout == (
        "create-route.json:5:3: M114 error: route `default` of router `products-router` is also defined in "
        "update-route.json:5:3 with a different spec: keep one definition\n") + dangling


def test_the_same_resource_twice_with_the_same_spec_is_no_finding(shop):
    (shop / "a.json").write_text(_route("products-v1"))
    (shop / "b.json").write_text(_route("products-v1"))
    result = run_meshify("lint", "a.json", "b.json", "--select", "M114", cwd=shop)
    assert (result.returncode, result.stdout) == (0, "")


# --- item 9: the gateway route's port in the manifest -----------------------------------


def test_a_gateway_route_takes_port_rewrite_and_hostname(shop):
    manifest = shop / "meshify.yaml"
    text = manifest.read_text().replace(
        "      - port: 8080\n        protocol: http\n    routes:",
        "      - port: 8080\n        protocol: http\n      - port: 8443\n        protocol: http\n    routes:", 1)
    text = text.replace("          prefix: /v1/products\n        service: products.shop.local\n",
                        "          prefix: /v1/products\n          hostname: {exact: shop.example.com}\n"
                        "        service: products.shop.local\n        port: 8080\n"
                        "        rewrite: {prefix: {value: /}}\n")
    manifest.write_text(text)
    result = run_meshify("lint", "--select", "M115,M106", cwd=shop)
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")


def test_an_app_ports_placeholder_is_kept(shop):
    data = _injected(shop)
    properties = data["proxyConfiguration"]["properties"]
    next(p for p in properties if p["name"] == "AppPorts")["value"] = "${APP_PORT}"
    _write(shop, data)
    assert run_meshify("inject", INJECTED, "--patch", cwd=shop).stdout.strip() == "[]"


def test_m115_a_gateway_with_several_listeners_needs_match_port(shop):
    manifest = shop / "meshify.yaml"
    text = manifest.read_text()
    at = text.index("gateways:")
    listener = "      - port: 8080\n        protocol: http\n"
    text = text[:at] + text[at:].replace(listener, listener + "      - port: 9443\n        protocol: http\n", 1)
    manifest.write_text(text)
    result = run_meshify("lint", "--select", "M115", cwd=shop)
    assert result.stdout == (
        "meshify.yaml:111:9: M115 error: gateway route `products` of gateway `shop-gateway` names no match.port, but the "
        "gateway has several listeners (8080, 9443): App Mesh requires it\n"
        "meshify.yaml:116:9: M115 error: gateway route `prices` of gateway `shop-gateway` names no match.port, but the "
        "gateway has several listeners (8080, 9443): App Mesh requires it\n")


def test_inject_writes_the_consumer_form_in_a_shared_mesh(shop):
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace('  account: "111122223333"\n', SHARED))
    patch = json.loads(run_meshify("inject", INJECTED, "--patch", cwd=shop).stdout)
    envoy = next(op["value"] for op in patch if op["path"] in ("/containerDefinitions/-", "/containerDefinitions/1"))
    assert envoy["environment"][0] == {"name": "APPMESH_RESOURCE_ARN",
                                       "value": "mesh/shop@444455556666/virtualNode/products-v1"}


def test_network_mode_and_egress_placeholders_are_kept(shop):
    data = _injected(shop)
    data["networkMode"] = "${network_mode}"
    next(p for p in data["proxyConfiguration"]["properties"] if p["name"] == "EgressIgnoredIPs")["value"] = "${ignored_ips}"
    _write(shop, data)
    assert run_meshify("inject", INJECTED, "--patch", cwd=shop).stdout.strip() == "[]"
    lint = run_meshify("lint", INJECTED, "--select", "T204,T208", cwd=shop)
    assert (lint.returncode, lint.stdout) == (0, "")


def test_describe_mesh_output_is_read_too(shop):
    (shop / "mesh.json").write_text('{\n  "mesh": {\n    "meshName": "shop",\n'
                                    '    "spec": {"egressFilter": {"type": "ALLOW_ALL"}},\n'
                                    '    "status": {"status": "ACTIVE"}\n  }\n}\n')
    result = run_meshify("lint", "mesh.json", "--select", "M110", cwd=shop)
    assert result.stdout == "mesh.json:4:31: M110 warning: mesh `shop` allows egress to any address: declare backends " \
                            "and use DROP_ALL\n"
