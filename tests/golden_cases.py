"""The golden inject cases: (name, input file, manifest). Inputs under ``shared/`` are
other people's files, read in place; ``regen_golden.py`` writes the expected outputs."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
GOLDEN = FIXTURES / "golden"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SHOP = FIXTURES / "shop"
CORPUS_MANIFEST = FIXTURES / "corpus" / "meshify.yaml"

CASES: list[tuple[str, Path, Path]] = [
    ("shop-products-api", SHOP / "taskdefs/products-api.json", SHOP / "meshify.yaml"),
    ("shop-products-api-canary", SHOP / "taskdefs/products-api-canary.yaml", SHOP / "meshify.yaml"),
    ("shop-prices-api", SHOP / "taskdefs/prices-api.json", SHOP / "meshify.yaml"),
    ("shop-ingress", SHOP / "taskdefs/shop-ingress.json", SHOP / "meshify.yaml"),
    ("corpus-nginx-fargate", CORPUS / "aws-containers-task-definitions/nginx/nginx_fargate.json", CORPUS_MANIFEST),
    ("corpus-nginx-ec2", CORPUS / "aws-containers-task-definitions/nginx/nginx_ec2.json", CORPUS_MANIFEST),
    ("corpus-gunicorn", CORPUS / "aws-containers-task-definitions/gunicorn/gunicorn_fargate.json", CORPUS_MANIFEST),
    ("corpus-tomcat", CORPUS / "aws-containers-task-definitions/tomcat/tomcat_fargate.json", CORPUS_MANIFEST),
    ("corpus-service-a", CORPUS / "ecs-app-mesh/service-a/fargate-task.json", CORPUS_MANIFEST),
    ("corpus-ecs-exec", CORPUS / "aws_ecs_codedeploy_appmesh_xray/task-definition.json", CORPUS_MANIFEST),
    ("corpus-python-app", CORPUS / "appmesh_servicediscovery/infrastructure/python-task-def.json", CORPUS_MANIFEST),
]


# Terraform edited in place: (golden file under golden/terraform/, fixture folder under
# terraform/, the file in it, the commands run in a copy of the folder in turn; the golden is
# that file afterwards). ``regen_golden.py`` writes them too.
TERRAFORM_CASES: list[tuple[str, str, str, list[list[str]]]] = [
    ("ledger-main.tf", "ledger", "main.tf", [["inject", "main.tf", "--in-place"]]),
    ("ledger-audit.json.tpl", "ledger", "templates/audit.json.tpl", [["inject", "main.tf", "--in-place"]]),
    ("heredoc-colorteller.tf", "heredoc", "colorteller.tf", [["inject", "colorteller.tf", "--in-place"]]),
    ("indented-main.tf", "indented", "main.tf", [["inject", "main.tf", "--in-place"]]),
    ("indented-main.migrated.tf", "indented", "main.tf", [
        ["inject", "main.tf", "--in-place"], ["migrate", "--to", "service-connect", "main.tf", "--in-place"]]),
]


def golden_paths(name: str, source: Path) -> tuple[Path, Path]:
    """(expected patch, expected output text) for a case."""
    return GOLDEN / f"{name}.patch.json", GOLDEN / f"{name}.out{source.suffix}"

# Where the shop manifest's products-router default route gives its weights (M102 and the
# suppression tests point there). Written once: a test that needs the place imports it.
SHOP_WEIGHTS_AT = "meshify.yaml:86:13"
