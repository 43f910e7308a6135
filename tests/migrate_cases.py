"""The golden migrate cases: a fixture directory each, migrated with
``meshify migrate <TASKDEFS> --to service-connect --out-dir out``; ``regen_migrate_golden.py``
writes what that produces under ``fixtures/golden/migrate-<name>/``."""

from __future__ import annotations

import shutil
from pathlib import Path

from golden_cases import FIXTURES, GOLDEN, ROOT, SHOP

BANK = FIXTURES / "migrate"  # a mesh that uses every row of migrate.md's table

# (name, fixture directory, task definition files relative to it)
CASES: list[tuple[str, Path, list[str]]] = [
    ("shop", SHOP, sorted(f"taskdefs/{path.name}" for path in (SHOP / "taskdefs").iterdir())),
    ("bank", BANK, [*sorted(f"taskdefs/{path.name}" for path in (BANK / "taskdefs").iterdir()),
                    "services/checkout-b.json"]),
]


def golden_dir(name: str) -> Path:
    return GOLDEN / f"migrate-{name}"


def migrate_into(name: str, fixture: Path, taskdefs: list[str], work: Path) -> tuple[Path, int, str, str]:
    """Copy the fixture to ``work`` and migrate it there; (the out directory, status,
    standard output, standard error)."""
    from conftest import run_meshify

    shutil.copytree(fixture, work)
    result = run_meshify("migrate", *taskdefs, "--to", "service-connect", "--out-dir", "out", cwd=work)
    return work / "out", result.returncode, result.stdout, result.stderr


def files_under(directory: Path) -> dict[str, bytes]:
    return {str(path.relative_to(directory)): path.read_bytes() for path in sorted(directory.rglob("*")) if path.is_file()}


README = ROOT / "README.md"
_START, _END = "<!-- migrate-report:start -->\n", "<!-- migrate-report:end -->"


def readme_with(report: str) -> str:
    """README.md with the shop's migration report between its markers."""
    text = README.read_text()
    head, rest = text.split(_START, 1)
    _, tail = rest.split(_END, 1)
    return f"{head}{_START}```text\n$ meshify migrate taskdefs/* --to service-connect --out-dir out\n{report}```\n{_END}{tail}"


# Templates that declare their ECS services (fixtures/migrate-templates/<name>/, injected by meshify):
# ``meshify migrate <FILES> --to service-connect --in-place`` rewrites them; the goldens are the files after.
TEMPLATES = FIXTURES / "migrate-templates"
TEMPLATE_CASES: list[tuple[str, list[str]]] = [
    ("cfn", ["ledger.yaml", "web.template.json"]),
    ("tf", ["main.tf"]),
]


def template_golden(name: str) -> Path:
    return GOLDEN / "migrate-templates" / name


def migrate_templates_in_place(name: str, files: list[str], work: Path) -> tuple[int, str, str]:
    """Copy the template fixture to ``work`` and migrate its files in place: (status, stdout, stderr)."""
    from conftest import run_meshify

    shutil.copytree(TEMPLATES / name, work)
    result = run_meshify("migrate", *files, "--to", "service-connect", "--in-place", cwd=work)
    return result.returncode, result.stdout, result.stderr
