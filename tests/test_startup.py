"""What start-up may import, written down once (ARCHITECTURE.md, "Start-up").

A pre-commit hook starts meshify once per batch of files: ``meshify lint`` of files must
not pay for the modules only other commands need. Each run is a fresh interpreter, as a
hook's is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from golden_cases import SHOP

pytestmark = pytest.mark.slow  # each run is a fresh interpreter in its own process, as a hook's is

# Never imported by `meshify lint` of files with a manifest already validated once.
FORBIDDEN_FOR_LINT = ("boto3", "botocore.loaders", "botocore.validate", "botocore.session", "jsonschema", "jsonpatch")
_PROBE = """
import json, sys
from meshify.injector.console import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _imported(cwd: Path, cache: Path, *argv: str) -> tuple[int, set[str]]:
    result = subprocess.run([sys.executable, "-c", _PROBE, *argv], cwd=cwd, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "MESHIFY_CACHE_DIR": str(cache), "HOME": str(cache)}, timeout=60)
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return report["status"], set(report["modules"])


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def test_lint_of_files_imports_none_of_the_heavy_modules(cache):
    _imported(SHOP, cache, "lint", "taskdefs/products-api.json")  # fills the validation cache
    status, modules = _imported(SHOP, cache, "lint", "taskdefs/products-api.json")
    assert status == 1  # it did lint: the un-injected task definition has findings
    assert sorted(name for name in FORBIDDEN_FOR_LINT if name in modules) == []
    assert "tree_sitter" not in modules  # Terraform's parser: only when a .tf is read


def test_the_hooks_command_lines_do_not_import_typer(cache, shop):
    """A hook's ``lint`` and ``inject`` are parsed without typer (fast_cli): its import was
    about half of a warm start-up. Help and every other command still go through it."""
    hooks = (["lint", "--skip-unknown", "meshify.yaml", "taskdefs/products-api.json"],
             ["inject", "--in-place", "--skip-unknown", "taskdefs/products-api.json"])
    for argv in hooks:
        status, modules = _imported(shop, cache, *argv)
        assert status in (0, 1)
        assert sorted(name for name in modules if name.split(".")[0] in ("typer", "click")) == []
    status, modules = _imported(shop, cache, "lint", "--help")
    assert (status, "typer" in modules) == (0, True)


def test_the_first_lint_validates_the_manifest_but_still_needs_no_aws(cache):
    status, modules = _imported(SHOP, cache, "lint")
    assert status == 0
    assert "meshify.injector.inputs.manifest_check" in modules  # validated: without jsonschema, as it is valid
    assert not {"boto3", "botocore.session", "jsonpatch", "jsonschema"} & modules


def test_jsonschema_explains_a_manifest_that_is_not_valid(cache, shop):
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("        protocol: http\n        healthCheck:",
                                                     "        protocol: htp\n        healthCheck:", 1))
    status, modules = _imported(shop, cache, "lint")
    assert status == 2
    assert "jsonschema" in modules


def test_inject_check_needs_neither_jsonpatch_nor_boto3(cache):
    status, modules = _imported(SHOP, cache, "inject", "taskdefs/products-api.json", "--check")
    assert status == 1
    assert "jsonpatch" not in modules  # fixes edit one working copy (engine.runner.apply_in_place)
    assert "boto3" not in modules


def test_an_unchanged_manifest_is_not_parsed_again_even_for_a_finding_in_it(cache, shop):
    """The cache keeps a valid manifest's data and positions: the second lint imports no
    YAML parser and no TOML reader (there is no configuration file), and places the
    finding in the manifest exactly as the first did."""
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("      - prices.shop.local\n", "      - prices.shop.lcoal\n", 1))
    argv = ["lint", "meshify.yaml", "taskdefs/products-api.json", "taskdefs/prices-api.json"]
    first = subprocess.run([sys.executable, "-c", _PROBE, *argv], cwd=shop, capture_output=True, text=True,
                           env={"PATH": "/usr/bin:/bin", "MESHIFY_CACHE_DIR": str(cache), "HOME": str(cache)}, timeout=60)
    assert "meshify.yaml:33:9: M103 error: backend `prices.shop.lcoal`" in first.stdout
    assert "ruamel.yaml" in json.loads(first.stderr.strip().splitlines()[-1])["modules"]
    second = subprocess.run([sys.executable, "-c", _PROBE, *argv], cwd=shop, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "MESHIFY_CACHE_DIR": str(cache), "HOME": str(cache)}, timeout=60)
    assert second.stdout == first.stdout
    modules = set(json.loads(second.stderr.strip().splitlines()[-1])["modules"])
    assert sorted({"ruamel.yaml", "_ruamel_yaml", "meshify.injector.documents.yaml_text", "jsonschema", "tomllib"}
                  & modules) == []


# Never imported by a pre-commit lint of the shop (a manifest already validated, JSON and YAML task
# definitions): the readers of other formats, AWS's modules, the standard library modules only
# they need. Each was measured at a start (bench/NOTES.md, "issue 13, start-up").
NOT_FOR_A_LINT_OF_TASK_DEFINITIONS = (
    "meshify.injector.aws", "meshify.injector.aws.session", "meshify.injector.aws.ecs",
    "meshify.injector.inputs.cloudformation", "meshify.injector.inputs.composex",
    "meshify.injector.inputs.ecs_service", "meshify.injector.model.ecs_service",
    # The YAML task definition was read before, byte for byte: remembered without a parser.
    "ruamel.yaml", "_ruamel_yaml", "meshify.injector.documents.yaml_text",
    "tempfile", "gzip",
    # shutil (with bz2 and lzma) is for progress on a watched terminal only.
    "shutil", "bz2", "lzma",
    # dataclasses' inspect (ast, dis, tokenize): asked for by no dataclass on lint's path (inspect_on_demand).
    "inspect", "ast", "dis", "tokenize",
    # No file holds a `# meshify: ignore[...]` comment.
    "meshify.injector.engine.suppressions",
)


def test_a_lint_of_task_definitions_imports_only_what_it_reads(cache):
    argv = ["lint", "meshify.yaml", *sorted(f"taskdefs/{p.name}" for p in (SHOP / "taskdefs").iterdir())]
    assert any(name.endswith(".yaml") for name in argv[2:]) and any(name.endswith(".json") for name in argv[2:])
    _imported(SHOP, cache, *argv)  # fills the validation cache
    status, modules = _imported(SHOP, cache, *argv)
    assert status == 1
    assert sorted(name for name in NOT_FOR_A_LINT_OF_TASK_DEFINITIONS if name in modules) == []


def test_a_lint_of_task_definitions_imports_only_the_rules_of_their_scopes(cache):
    """The IAM policy (I3xx), Service Connect (C5xx), live (L4xx), migration (R6xx) and
    suppression (S001) rules cannot apply to a manifest and task definitions: their modules
    (about 0.3 ms each) are not imported; those of the claimed task definitions are, not
    T212's (every file is claimed). The mesh rules' are imported by the first lint, whose
    findings the manifest's cache entry then remembers: the next lint of the unchanged
    manifest imports none of them."""
    argv = ["lint", "meshify.yaml", *sorted(f"taskdefs/{p.name}" for p in (SHOP / "taskdefs").iterdir())]
    first_status, first = _imported(SHOP, cache, *argv)  # fills the validation cache
    status, modules = _imported(SHOP, cache, *argv)
    assert status == first_status == 1
    imported = sorted(name.rsplit(".", 1)[1] for name in first if name.startswith("meshify.rules."))
    assert sorted({name[0] for name in imported} - {"l"}) == ["m", "t"]
    assert [name for name in imported if name[0] == "l"] == ["l401_missing_resource"]  # M119 uses its label()
    assert len(imported) == 1 + 19 + 15  # every mesh rule, every claimed task definition's rule
    assert "t212_unclaimed_mesh_task" not in imported
    imported = sorted(name.rsplit(".", 1)[1] for name in modules if name.startswith("meshify.rules."))
    assert {name[0] for name in imported} == {"t"}
    assert len(imported) == 15


def test_a_lint_of_files_no_node_claims_imports_t212_alone(cache, tmp_path):
    """A task definition no node or gateway claims is checked by T212 alone: the 15 rules
    of claimed task definitions are not imported."""
    lone = tmp_path / "batch.json"
    lone.write_text('{"family": "batch", "containerDefinitions": [{"name": "app", "image": "app:1"}]}\n')
    status, modules = _imported(SHOP, cache, "lint", str(lone))
    assert status == 0
    imported = sorted(name.rsplit(".", 1)[1] for name in modules if name.startswith("meshify.rules.t"))
    assert imported == ["t212_unclaimed_mesh_task"]


def test_a_lint_of_task_definitions_imports_no_pathlib(cache):
    """pathlib (with urllib.parse and ipaddress: about 6% of a warm lint) is for configuration
    files, writes and spec files: the paths lint searches and reads are strings. An editable
    install imports pathlib itself as Python starts, so the probe forgets it first."""
    argv = ["lint", "meshify.yaml", *sorted(f"taskdefs/{p.name}" for p in (SHOP / "taskdefs").iterdir())]
    probe = "import sys\nsys.modules.pop('pathlib', None)\n" + _PROBE
    for _ in range(2):  # cold (validates the manifest), then warm
        result = subprocess.run([sys.executable, "-c", probe, *argv], cwd=SHOP, capture_output=True, text=True, timeout=60,
                                env={"PATH": "/usr/bin:/bin", "MESHIFY_CACHE_DIR": str(cache), "HOME": str(cache)})
        report = json.loads(result.stderr.strip().splitlines()[-1])
        assert (report["status"], "pathlib" in report["modules"]) == (1, False)


_GC_PROBE = """
import atexit, gc, json, sys
atexit.register(lambda: print(json.dumps({"enabled": gc.isenabled(), "frozen": gc.get_freeze_count() > 0}),
                              file=sys.stderr))
sys.argv[0] = "meshify"
from meshify.injector.console import entry_point
entry_point()
"""


@pytest.mark.parametrize("argv", [["lint", "meshify.yaml", "taskdefs/products-api.json"],
                                  ["inject", "--check", "taskdefs/products-api.json"],
                                  ["lint", "--help"], ["rules"]])
def test_the_collector_is_off_for_the_imports_only(cache, argv):
    """The console script turns the cyclic garbage collector off while the command's modules
    are imported, then back on with them set aside (console.started): never left off for a
    command's run, by fast_cli's lint and inject as by typer's commands."""
    result = subprocess.run([sys.executable, "-c", _GC_PROBE, *argv], cwd=SHOP, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "MESHIFY_CACHE_DIR": str(cache), "HOME": str(cache)}, timeout=60)
    assert result.returncode in (0, 1)
    assert json.loads(result.stderr.strip().splitlines()[-1]) == {"enabled": True, "frozen": True}
