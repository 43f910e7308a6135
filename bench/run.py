"""meshify's benchmark: ``python bench/run.py`` (from the repository, meshify installed).

Measures, on this machine, the figures a pre-commit hook and a CI gate need (issue 6):

- start-up: ``meshify lint`` on the shop example, a new process each run, against
  ``cfn-lint`` on a CloudFormation template holding the same task definitions and mesh
  resources (when cfn-lint is on PATH);
- throughput: ``meshify lint`` and ``meshify inject --check`` on 1,000 generated task
  definitions and a manifest of 200 nodes, 50 routers and 200 services, against the time
  Python needs just to parse the same files (the floor);
- scaling: the throughput input at 1x and 10x;
- memory: peak resident memory of the 1,000-file lint.

Inputs are generated from a seed into a temporary directory. Every command runs several
times; the script prints medians and ratios and exits 1 when a figure is missed. Timings
are noisy, so this is not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "fixtures" / "shop"

# The floor: the parsers meshify itself uses (json; ruamel's safe loader, on libyaml).
FLOOR_SCRIPT = """
import json, sys
from ruamel.yaml import YAML
YAML(typ="safe").load(open(sys.argv[1]).read())
for path in sys.argv[2:]:
    json.loads(open(path).read())
"""


def install(directory: Path) -> tuple[str, str]:
    """meshify as users get it: ``pip install`` of this checkout (not editable, so pip
    compiles the bytecode) in a new virtual environment; its (meshify, python)."""
    venv = directory / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
                   check=True)
    return str(venv / "bin" / "meshify"), str(venv / "bin" / "python")


def run_times(command: list[str], runs: int, cwd: Path, expect: tuple[int, ...] = (0, 1)) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode not in expect:
            raise SystemExit(f"{' '.join(command[:3])} ... failed ({result.returncode}): {result.stderr.strip()[:300]}")
    return times


def peak_rss_mb(command: list[str], cwd: Path) -> float:
    """Peak resident memory of one run of ``command`` (a fresh helper process measures it)."""
    helper = ("import resource, subprocess, sys\n"
              "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    output = subprocess.run([sys.executable, "-c", helper, *command], cwd=cwd, capture_output=True, text=True)
    return int(output.stdout.strip()) / 1024


# --------------------------------------------------------------------------- generated inputs


def generate(directory: Path, scale: int, seed: int) -> list[str]:
    """A manifest of 200*scale nodes, 50*scale routers and 200*scale services, and
    1,000*scale task definitions (five families per node); the task definition paths."""
    rng = random.Random(seed)
    nodes_count, routers_count = 200 * scale, 50 * scale
    lines = ["version: 1", "mesh:", "  name: bench", "  region: eu-west-1", '  account: "111122223333"',
             "cloudMap:", "  namespace: bench.local", "  placeholders:"]
    lines += [f"    - svc-{i}.bench.local" for i in range(routers_count)]
    lines.append("nodes:")
    for i in range(nodes_count):
        backends = sorted({rng.randrange(nodes_count) for _ in range(2)})
        lines += [f"  node-{i}:", f"    family: [{', '.join(f'fam-{i}-{k}' for k in range(5))}]",
                  "    listeners:", "      - port: 8080", "        protocol: http",
                  "    backends:", *[f"      - svc-{b}.bench.local" for b in backends]]
        if i >= routers_count:
            lines += ["    discovery:", "      dns:", f"        hostname: svc-{i}.bench.local"]
    lines.append("routers:")
    for j in range(routers_count):
        lines += [f"  router-{j}:", "    listeners:", "      - {port: 8080, protocol: http}", "    routes:"]
        for r in range(3):
            first, second = rng.sample(range(nodes_count), 2)
            lines += [f"      - name: route-{r}", "        protocol: http", f"        priority: {r * 10}",
                      "        match:", f"          prefix: /r{r}", "        targets:",
                      f"          - {{node: node-{first}, weight: 50}}", f"          - {{node: node-{second}, weight: 50}}"]
    lines.append("services:")
    for i in range(nodes_count):
        provider = f"router: router-{i}" if i < routers_count else f"node: node-{i}"
        lines += [f"  svc-{i}.bench.local:", f"    {provider}"]
    (directory / "meshify.yaml").write_text("\n".join(lines) + "\n")

    taskdefs = directory / "taskdefs"
    taskdefs.mkdir()
    paths = []
    for n in range(1000 * scale):
        node, k = divmod(n, 5)
        taskdef = {
            "family": f"fam-{node}-{k}", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
            "cpu": "512", "memory": "1024",
            "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
            "containerDefinitions": [{
                "name": "app", "image": f"111122223333.dkr.ecr.eu-west-1.amazonaws.com/app-{node}:{k}.0",
                "essential": True, "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                "environment": [{"name": "PEER", "value": f"http://svc-{rng.randrange(nodes_count)}.bench.local:8080"}],
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": f"/ecs/app-{node}", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app"}},
            }],
        }
        path = taskdefs / f"td-{n:05d}.json"
        path.write_text(json.dumps(taskdef, indent=2) + "\n")
        paths.append(f"taskdefs/{path.name}")
    return paths


def shop_template(directory: Path) -> Path:
    """The shop example as one CloudFormation template (task definitions and App Mesh)."""
    from meshify.injector.inputs.manifest import load_manifest
    from meshify.injector.model.appmesh_api import api_specs

    def pascal(value):
        if isinstance(value, dict):
            return {key[:1].upper() + key[1:]: pascal(item) for key, item in value.items()}
        if isinstance(value, list):
            return [pascal(item) for item in value]
        return value

    resources: dict[str, dict] = {}
    for path in sorted((ROOT / "fixtures" / "golden").glob("shop-*.out.json")):  # the injected shop
        taskdef = json.loads(path.read_text())
        resources[path.name.split(".")[0].replace("-", "").title()] = {
            "Type": "AWS::ECS::TaskDefinition", "Properties": pascal(taskdef)}
    types = {"mesh": "Mesh", "virtualNode": "VirtualNode", "virtualRouter": "VirtualRouter", "route": "Route",
             "virtualService": "VirtualService", "virtualGateway": "VirtualGateway", "gatewayRoute": "GatewayRoute"}
    names = {"mesh": "MeshName", "virtualNode": "VirtualNodeName", "virtualRouter": "VirtualRouterName",
             "route": "RouteName", "virtualService": "VirtualServiceName", "virtualGateway": "VirtualGatewayName",
             "gatewayRoute": "GatewayRouteName"}
    for key, (spec, _) in api_specs(load_manifest(str(SHOP / "meshify.yaml"))).items():
        properties = {"MeshName": "shop", names[key[0]]: key[-1], "Spec": pascal(spec)}
        if key[0] in ("route", "gatewayRoute"):  # (kind, parent, name)
            properties[names["virtualRouter" if key[0] == "route" else "virtualGateway"]] = key[1]
        logical = "".join(part.title() for part in "-".join(key).replace(".", "-").split("-"))
        resources[logical] = {"Type": f"AWS::AppMesh::{types[key[0]]}", "Properties": properties}
    template = directory / "shop-template.json"
    template.write_text(json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, indent=2))
    return template


# --------------------------------------------------------------------------- the figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=7, help="runs per measured command")
    parser.add_argument("--installed", action="store_true",
                        help="measure the meshify next to this Python instead of a fresh install of the checkout")
    arguments = parser.parse_args()
    runs = arguments.runs
    failures: list[str] = []
    report: list[tuple[str, str, str, bool]] = []

    def figure(name: str, value: str, target: str, ok: bool) -> None:
        report.append((name, value, target, ok))
        if not ok:
            failures.append(name)

    with tempfile.TemporaryDirectory(prefix="meshify-bench-") as scratch:
        work = Path(scratch)
        if arguments.installed:
            meshify, python = shutil.which("meshify", path=str(Path(sys.executable).parent)) or "meshify", sys.executable
        else:
            meshify, python = install(work)
        os.environ["MESHIFY_CACHE_DIR"] = str(work / "cache")  # starts empty: the first run validates
        shop = work / "shop"
        shutil.copytree(SHOP, shop)
        shop_files = ["meshify.yaml", *sorted(f"taskdefs/{p.name}" for p in (shop / "taskdefs").iterdir())]
        run_times([meshify, "lint", *shop_files], 2, shop)  # warm the file cache, compile bytecode
        startup = statistics.median(run_times([meshify, "lint", *shop_files], max(runs, 15), shop))
        figure("start-up: meshify lint, shop example", f"{startup:.3f} s", "<= 0.350 s", startup <= 0.35)
        cfn_lint = shutil.which("cfn-lint")
        if cfn_lint:
            template = shop_template(work)
            findings_found = tuple(range(0, 16, 2))  # cfn-lint's exit status is a bit mask of severities
            cfn = statistics.median(run_times([cfn_lint, str(template)], max(3, runs // 2), work, expect=findings_found))
            figure("start-up: cfn-lint on the same resources / meshify", f"{cfn:.3f} s / {startup:.3f} s = {cfn / startup:.1f}x",
                   ">= 10x", cfn / startup >= 10)
        else:
            report.append(("start-up vs cfn-lint", "cfn-lint not installed", "skipped", True))

        timings = {}
        for scale in (1, 10):
            directory = work / f"x{scale}"
            directory.mkdir()
            paths = generate(directory, scale, arguments.seed)
            scale_runs = runs if scale == 1 else max(3, runs // 2)
            floor = statistics.median(run_times([python, "-c", FLOOR_SCRIPT, "meshify.yaml", *paths],
                                                scale_runs, directory, expect=(0,)))
            lint = statistics.median(run_times([meshify, "lint", *paths], scale_runs, directory))
            check = statistics.median(run_times([meshify, "inject", "--check", *paths], scale_runs, directory))
            timings[scale] = (floor, lint, check)
            if scale == 1:
                figure("throughput: parse floor (1,000 files)", f"{floor:.3f} s", "(reference)", True)
                for name, value in (("lint", lint), ("inject --check", check)):
                    figure(f"throughput: meshify {name} (1,000 files)", f"{value:.3f} s", "<= 2.5 s", value <= 2.5)
                    figure(f"throughput: meshify {name} / parse floor", f"{value / floor:.1f}x", "<= 8x", value / floor <= 8)
                memory = peak_rss_mb([meshify, "lint", *paths], directory)
                figure("memory: peak RSS, meshify lint (1,000 files)", f"{memory:.0f} MB", "<= 200 MB", memory <= 200)
        for index, name in ((1, "lint"), (2, "inject --check")):
            ratio = timings[10][index] / timings[1][index]
            figure(f"scaling: meshify {name}, 10x input / 1x", f"{timings[10][index]:.2f} s / {timings[1][index]:.2f} s "
                   f"= {ratio:.1f}x", "<= 11x", ratio <= 11)

    width = max(len(name) for name, *_ in report)
    print(f"meshify benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"seed {arguments.seed}, {runs} runs (medians)")
    for name, value, target, ok in report:
        print(f"  {name:<{width}}  {value:<28} {target:<12} {'ok' if ok else 'MISSED'}")
    if failures:
        print(f"missed: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
