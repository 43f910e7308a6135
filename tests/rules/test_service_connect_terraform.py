"""The Service Connect rules (C5xx) on Terraform ``aws_ecs_service`` resources: the shop after
its migration, written in Terraform (fixtures/terraform/shop-connect/main.tf), is clean; one
edit as a user would make it fails each rule at the exact line and column of the ``.tf``;
values Terraform only knows at plan time (variables, references, dynamic blocks) never fire."""

from __future__ import annotations

import shutil

import pytest
from conftest import run_meshify
from golden_cases import FIXTURES, SHOP
from meshify.injector.engine import all_rules

SHOP_CONNECT = FIXTURES / "terraform" / "shop-connect"


@pytest.fixture
def shop_tf(tmp_path):
    root = tmp_path / "shop"
    root.mkdir()
    shutil.copy(SHOP / "meshify.yaml", root / "meshify.yaml")
    shutil.copy(SHOP_CONNECT / "main.tf", root / "main.tf")
    return root


def _edit(root, old: str, new: str) -> None:
    path = root / "main.tf"
    content = path.read_text()
    assert content.count(old) >= 1, f"fixture edit does not apply: {old!r}"
    path.write_text(content.replace(old, new, 1))


def _lint(root, select: str) -> tuple[int, str, str]:
    result = run_meshify("lint", "main.tf", "--select", select, cwd=root)
    return result.returncode, result.stdout, result.stderr


PRODUCTS_ALIAS = 'port     = 80\n        dns_name = "products.shop.local"\n      }\n'
PRICES_SERVICE = 'port_name      = "prices-http"\n      discovery_name = "prices"\n'
PRICES_LOG = '''    log_configuration {
      log_driver = "awslogs"
      options = {
        awslogs-group         = "/ecs/prices-proxy"
        awslogs-region        = "eu-west-1"
        awslogs-stream-prefix = "sc"
      }
    }

'''
TLS = '''
      tls {
        issuer_cert_authority {
          aws_pca_authority_arn = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/0a1b"
        }
      }
'''

# (rule, [(old, new)], expected findings)
CASES = [
    ("C501", [('port_name      = "products-http"', 'port_name      = "http"')],
     "main.tf:63:7: C501 error: service `products`: portName 'http' is named by no port mapping of task definition "
     "`products-api` (named ports: products-http)\n"),
    ("C502", [('discovery_name = "products"', 'discovery_name = "Products_API"'),
              ('dns_name = "products.shop.local"', 'dns_name = "-products.shop.local"')],
     "main.tf:64:7: C502 error: service `products`: discoveryName 'Products_API' may only hold lowercase letters, "
     "digits, `_` and `-`, not starting with `-`\n"
     "main.tf:68:9: C502 error: service `products`: dnsName '-products.shop.local' may only hold lowercase letters, "
     "digits, `_`, `-` and `.`, not starting with `-`\n"),
    # The provider allows one client_alias block (a plan-time error): the pre-commit hook says so first.
    ("C503", [(PRODUCTS_ALIAS, PRODUCTS_ALIAS + '\n      client_alias {\n        port = 8080\n      }\n')],
     "main.tf:71:7: C503 error: service `products`: port 'products-http' has 2 client aliases; ECS allows one\n"),
    ("C504", [('discovery_name = "prices"', 'discovery_name = "products"'),
              ('port     = 9090\n        dns_name = "prices.shop.local"',
               'port     = 80\n        dns_name = "products.shop.local"')],
     "main.tf:99:7: C504 error: service `prices`: discovery name 'products' is already used in namespace shop.local "
     "by service `products`\n"
     "main.tf:103:9: C504 error: service `prices`: dnsName 'products.shop.local:80' is already used in namespace "
     "shop.local by service `products`\n"),
    ("C505", [('name = "prices-http", appProtocol = "http"', 'name = "prices-http"'),
              (PRICES_SERVICE, PRICES_SERVICE + '\n      timeout {\n        idle_timeout_seconds        = 3600\n'
                               '        per_request_timeout_seconds = 15\n      }\n')],
     "main.tf:103:9: C505 error: service `prices`: port 'prices-http' is TCP (its port mapping has no appProtocol): "
     "only idleTimeoutSeconds applies to it\n"),
    ("C506", [(PRICES_LOG, "")],
     "main.tf:107:5: C506 error: service `prices`: accessLogConfiguration needs a logConfiguration in "
     "serviceConnectConfiguration\n"),
    ("C507", [('network_mode             = "awsvpc"\n  requires_compatibilities = ["FARGATE"]\n  cpu                      = 256',
               'network_mode             = "bridge"\n  requires_compatibilities = ["EC2"]\n  cpu                      = 256'),
              (PRICES_SERVICE, PRICES_SERVICE + TLS)],
     "main.tf:101:7: C507 error: service `prices`: TLS on port 'prices-http' is not supported in bridge network mode "
     "(task definition `prices-api`): use awsvpc\n"),
    ("C508", [('type = "ECS"', 'type = "CODE_DEPLOY"')],
     "main.tf:86:5: C508 error: service `prices`: Service Connect does not support the CODE_DEPLOY deployment "
     "controller: use ECS with a BLUE_GREEN, CANARY or LINEAR strategy\n"),
    ("C509", [('  memory                   = 1024\n',
               '  memory                   = 1024\n\n  proxy_configuration {\n    type           = "APPMESH"\n'
               '    container_name = "envoy"\n  }\n')],
     "main.tf:19:3: C509 error: task definition `products-api` still has a proxyConfiguration, but service `products` "
     "uses Service Connect: run meshify uninject on it\n"),
    # A depends_on and a value still taken from App Mesh resources (the Envoy's APPMESH_* wiring is uninject's)
    ("C511", [('  desired_count   = 2\n', '  desired_count   = 2\n  depends_on      = [aws_appmesh_virtual_node.products]\n'),
              ('appProtocol = "http" }]\n    }\n  ])\n}\n\nresource "aws_ecs_task_definition" "prices"',
               'appProtocol = "http" }]\n      environment  = [{ name = "SELF", value = '
               '"${aws_appmesh_virtual_service.products.name}:80" }, { name = "APPMESH_RESOURCE_ARN", '
               'value = aws_appmesh_virtual_node.products.arn }]\n    }\n  ])\n}\n\nresource "aws_ecs_task_definition" "prices"')],
     "main.tf:25:23: C511 warning: service `products` uses Service Connect, but its task definition `products-api` "
     "takes a value from virtual service `aws_appmesh_virtual_service.products` (App Mesh) with "
     "aws_appmesh_virtual_service.products.name: write the value itself, or the App Mesh resources cannot be deleted\n"
     "main.tf:52:3: C511 warning: service `products` uses Service Connect, but it lists virtual node "
     "`aws_appmesh_virtual_node.products` (App Mesh) in depends_on: remove it, or the App Mesh resources cannot be "
     "deleted\n"),
    ("C510", [('dns_name = "prices.shop.local"', 'dns_name = "prices"')],
     "main.tf:58:3: C510 warning: service `products` runs node `products-v1`, which calls prices.shop.local: no "
     "Service Connect service in namespace shop.local has it as a client alias\n"),
]


@pytest.mark.parametrize(("rule", "edits", "expected"), CASES, ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_rule_fails_at_the_exact_place_in_the_tf(shop_tf, rule, edits, expected):
    for old, new in edits:
        _edit(shop_tf, old, new)
    status, stdout, stderr = _lint(shop_tf, rule)
    assert (stdout, stderr) == (expected, "")
    assert status == (0 if " warning: " in expected else 1)


@pytest.mark.parametrize("rule", sorted(r for r in all_rules() if r.startswith("C")))
def test_rule_passes_on_the_migrated_shop_in_terraform(shop_tf, rule):
    assert _lint(shop_tf, rule) == (0, "", "")


def test_every_service_connect_rule_has_a_terraform_case():
    assert {r for r in all_rules() if r.startswith("C")} == {case[0] for case in CASES}


PRICES_SERVICE_BLOCK = """    service {
      port_name      = "prices-http"
      discovery_name = "prices"

      client_alias {
        port     = 9090
        dns_name = "prices.shop.local"
      }
    }
"""
DYNAMIC_SERVICE = """    dynamic "service" {
      for_each = var.prices_ports
      content {
        port_name = service.value
        client_alias {
          port     = 9090
          dns_name = "${service.key}.shop.local"
        }
      }
    }
"""
# (rule, the mistake as a literal, the same place as a value only Terraform knows at plan time)
UNKNOWN_CASES = [
    ("C501", [('port_name      = "products-http"', 'port_name      = "http"')],
     [('port_name      = "products-http"', "port_name      = var.products_port_name")]),
    ("C502", [('discovery_name = "products"', 'discovery_name = "Products_API"')],
     [('discovery_name = "products"', "discovery_name = local.products_discovery")]),
    ("C508", [('type = "ECS"', 'type = "CODE_DEPLOY"')], [('type = "ECS"', "type = var.controller")]),
    ("C510", [('dns_name = "prices.shop.local"', 'dns_name = "prices"')],
     [('dns_name = "prices.shop.local"', 'dns_name = "prices.${var.domain}"')]),
    ("C510", [('dns_name = "prices.shop.local"', 'dns_name = "prices"')],
     [('dns_name = "prices.shop.local"', 'dns_name = "prices"'),
      ('namespace = "shop.local"\n\n    service {\n      port_name      = "prices-http"',
       'namespace = aws_service_discovery_http_namespace.shop.arn\n\n    service {\n      port_name      = "prices-http"')]),
    ("C510", [('dns_name = "prices.shop.local"', 'dns_name = "prices"')], [(PRICES_SERVICE_BLOCK, DYNAMIC_SERVICE)]),
]


@pytest.mark.parametrize(("rule", "literal", "unknown"), UNKNOWN_CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(UNKNOWN_CASES)])
def test_unknown_values_never_fire(shop_tf, tmp_path, rule, literal, unknown):
    """The mistake fires as a literal; behind a variable, a reference or a dynamic block it is silent."""
    other = tmp_path / "literal"
    shutil.copytree(shop_tf, other)
    for old, new in literal:
        _edit(other, old, new)
    assert _lint(other, rule)[1].count(f" {rule} ") == 1
    for old, new in unknown:
        _edit(shop_tf, old, new)
    assert _lint(shop_tf, "C") == (0, "", "")


def test_a_service_connect_task_in_terraform_is_no_longer_an_app_mesh_task(shop_tf):
    """products-api has no Envoy and the manifest claims it: with Service Connect enabled in
    its aws_ecs_service, T2xx is silent; disabled, T201 is back at its containers."""
    assert _lint(shop_tf, "T2") == (0, "", "")
    _edit(shop_tf, "enabled   = true", "enabled   = false")
    status, stdout, _ = _lint(shop_tf, "T201")
    assert (status, stdout) == (1, "main.tf:19:3: T201 error: no Envoy container for node `products-v1`: add one "
                                   "named `envoy` running the App Mesh Envoy image\n")


def test_after_the_migration_the_tf_lints_without_a_manifest(tmp_path):
    """No App Mesh is left to describe: the services and their task definitions are enough."""
    shutil.copy(SHOP_CONNECT / "main.tf", tmp_path / "main.tf")
    assert _lint(tmp_path, "C") == (0, "", "")
    _edit(tmp_path, 'port_name      = "products-http"', 'port_name      = "http"')
    assert _lint(tmp_path, "C") == (1, "main.tf:63:7: C501 error: service `products`: portName 'http' is named by no "
                                       "port mapping of task definition `products-api` (named ports: products-http)\n", "")


def test_a_service_is_tied_to_a_task_definition_of_another_tf_by_its_address(shop_tf):
    """Modules split resources over files: services.tf names aws_ecs_task_definition.products
    of taskdefs.tf, and C501 still knows the task definition's port names."""
    text = (shop_tf / "main.tf").read_text()
    cut = text.index('resource "aws_ecs_service" "products"')
    (shop_tf / "taskdefs.tf").write_text(text[:cut])
    (shop_tf / "services.tf").write_text(text[cut:])
    (shop_tf / "main.tf").unlink()
    _edit_file = shop_tf / "services.tf"
    _edit_file.write_text(_edit_file.read_text().replace('port_name      = "products-http"', 'port_name      = "http"'))
    result = run_meshify("lint", "taskdefs.tf", "services.tf", "--select", "C", cwd=shop_tf)
    assert result.stdout == ("services.tf:18:7: C501 error: service `products`: portName 'http' is named by no port "
                             "mapping of task definition `aws_ecs_task_definition.products` (named ports: products-http)\n")


def test_the_hook_reads_a_tf_that_holds_only_services(shop_tf):
    """--skip-unknown (the pre-commit hooks) skips files of no format meshify reads: a .tf of
    services alone is one it reads."""
    text = (shop_tf / "main.tf").read_text()
    cut = text.index('resource "aws_ecs_service" "products"')
    (shop_tf / "taskdefs.tf").write_text(text[:cut])
    (shop_tf / "services.tf").write_text(text[cut:].replace('type = "ECS"', 'type = "CODE_DEPLOY"'))
    result = run_meshify("lint", "--skip-unknown", "services.tf", "--select", "C", cwd=shop_tf)
    assert result.stdout.startswith("services.tf:41:5: C508 error: service `prices`")


def test_c504_one_namespace_reference_is_one_namespace(shop_tf):
    """Both services name their namespace by the same reference, which Terraform resolves at
    plan time: one expression in one configuration is one namespace, so the duplicate name
    is still found; two references are two namespaces, and no duplicate."""
    path = shop_tf / "main.tf"
    path.write_text(path.read_text().replace('namespace = "shop.local"',
                                             "namespace = aws_service_discovery_http_namespace.shop.arn")
                    .replace('discovery_name = "prices"', 'discovery_name = "products"'))
    status, stdout, _ = _lint(shop_tf, "C504")
    assert status == 1
    assert stdout.startswith("main.tf:99:7: C504 error: service `prices`: discovery name 'products' is already used in "
                             "namespace aws_service_discovery_http_namespace.shop.arn by service `products`\n")
    path.write_text(path.read_text().replace("namespace = aws_service_discovery_http_namespace.shop.arn",
                                             "namespace = aws_service_discovery_http_namespace.other.arn", 1))
    assert _lint(shop_tf, "C504")[:2] == (0, "")
