"""Hostile and broken input, table-driven: every file is generated at run time (nothing big
lives in the repository) and meshify runs as the installed console script in its own
process, under a memory limit and a timeout, as a pre-commit hook or CI would run it.

Each case asserts what a user sees: exit status 2, exactly one line on standard error
naming the file (and line and column where there is one), no traceback, the file left
byte for byte, and the time and memory it took bounded.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MESHIFY

pytestmark = pytest.mark.slow  # a real process under resource limits

MEMORY_LIMIT = 1024 * 1024 * 1024  # address space: far above a normal run, far below a bomb's needs
TIME_LIMIT = 20.0  # seconds, on a loaded CI machine; a normal run takes one or two


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _meshify(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {key: value for key, value in os.environ.items() if key != "MESHIFY_DEBUG"}
    start = time.monotonic()
    try:
        result = subprocess.run([str(MESHIFY), *args], cwd=cwd, capture_output=True, text=True, env=env,
                                timeout=TIME_LIMIT * 3, preexec_fn=_limits)
    except subprocess.TimeoutExpired:
        pytest.fail(f"meshify {' '.join(args)} did not end in {TIME_LIMIT * 3} s")
    return result, time.monotonic() - start


def _taskdef(**overrides: object) -> dict[str, object]:
    taskdef: dict[str, object] = {
        "family": "products-api", "networkMode": "awsvpc",
        "containerDefinitions": [{"name": "app", "image": "app:1", "essential": True,
                                  "portMappings": [{"containerPort": 8080}]}]}
    taskdef.update(overrides)
    return taskdef


def _alias_bomb(head: str) -> str:
    """Nine levels of ten aliases: ten billion strings once expanded. The error is at the
    alias that takes the expansion past the limit (the ninth of level four)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]" for level in range(1, 10)]
    return head + "\n".join(lines) + "\n"


def _container(**fields: object) -> str:
    container = {"name": "app", "image": "app:1", "essential": True, "portMappings": [{"containerPort": 8080}]}
    container.update(fields)
    return json.dumps(_taskdef(containerDefinitions=[container]), indent=2) + "\n"


def _json_with(member: str, text: str) -> str:
    return f'{{\n  "family": "products-api",\n  "{member}": {text},\n  "containerDefinitions": []\n}}\n'


@dataclass(frozen=True)
class Case:
    name: str
    file: str  # created in the shop project; "/dev/zero" is used as it is
    content: Callable[[], str | bytes] | None  # None: the file is made by ``make``
    args: tuple[str, ...]  # the command, the file is appended unless it is the manifest
    expected: str  # the one line on standard error
    make: Callable[[Path], None] | None = None


def _fifo(path: Path) -> None:
    os.mkfifo(path)


CASES = [
    Case("yaml-alias-bomb-in-a-task-definition", "bomb.yaml",
         lambda: _alias_bomb("family: products-api\ncontainerDefinitions:\n  - name: app\n    image: app:1\n"),
         ("lint",), "bomb.yaml:9:45: YAML aliases expand to more than 100,000 nodes (an alias bomb?)"),
    Case("yaml-alias-bomb-in-the-manifest", "meshify.yaml",
         lambda: _alias_bomb("version: 1\nmesh:\n  name: shop\n  region: eu-west-1\n  account: '111122223333'\n"),
         ("lint",), "meshify.yaml:10:45: YAML aliases expand to more than 100,000 nodes (an alias bomb?)"),
    Case("yaml-100000-nested-brackets", "deep.yaml", lambda: "[" * 100_000 + "]" * 100_000 + "\n",
         ("lint",), "deep.yaml:1:101: nested more than 100 levels deep"),
    Case("json-100000-nested-brackets", "deep.json", lambda: "[" * 100_000 + "]" * 100_000 + "\n",
         ("inject", "--check"), "deep.json:1:101: nested more than 100 levels deep"),
    Case("json-nested-objects", "deep-objects.json", lambda: '{"a": ' * 5_000 + "1" + "}" * 5_000,
         ("lint",), "deep-objects.json:1:601: nested more than 100 levels deep"),
    Case("fifo", "pipe.json", None, ("lint",), "pipe.json: not a regular file (a pipe or a device); give a file",
         make=_fifo),
    Case("dev-zero", "/dev/zero", None, ("inject",), "/dev/zero: not a regular file (a pipe or a device); give a file"),
    Case("50-mb-yaml", "huge.yaml",
         lambda: "family: products-api\ncontainerDefinitions: []\nitems:\n" + "  - just another line of yaml\n" * 1_800_000,
         ("lint",), "huge.yaml: 54,000,053 bytes, more than meshify reads (4,194,304): "
                    "not a task definition, template or manifest"),
    Case("3-mb-yaml", "big.yaml",
         lambda: "family: products-api\ncontainerDefinitions: []\nitems:\n" + "  - just another line of yaml\n" * 110_000,
         ("lint",), "big.yaml: 3,300,053 bytes of YAML, more than meshify reads (2,097,152): "
                    "not a task definition, template or manifest"),
    Case("yaml-5001-digit-integer", "digits.yaml",
         lambda: "family: products-api\ncpu: " + "7" * 5001 + "\ncontainerDefinitions: []\n",
         ("lint",), "digits.yaml:2:6: an integer of 5,001 digits, more than meshify reads (4,300)"),
    Case("json-5001-digit-integer", "digits.json", lambda: _json_with("cpu", "7" * 5001),
         ("inject",), "digits.json:3:10: an integer of 5,001 digits, more than meshify reads (4,300)"),
    Case("not-utf-8", "latin1.json", lambda: _json_with("cpu", '"caf\xe9"').encode("latin-1"),
         ("lint",), "latin1.json:3:14: not UTF-8 text (byte 43)"),
    Case("environment-5", "environment.json", lambda: _container(environment=5),
         ("lint",), "environment.json:14:7: environment: a int where the model wants list"),
    Case("dependsOn-true", "depends.json", lambda: _container(dependsOn=True),
         ("inject",), "depends.json:14:7: dependsOn: a bool where the model wants list"),
    Case("containerPort-object", "port.json", lambda: _container(portMappings=[{"containerPort": {}}]),
         ("inject", "--check"), "port.json:11:11: containerPort: a dict where the model wants int"),
    Case("spec-provider-a-string", "teller-service.json",
         lambda: json.dumps({"meshName": "shop", "virtualServiceName": "teller.shop.local",
                             "spec": {"provider": "teller"}}, indent=2),
         ("lint",), "teller-service.json:5:5: provider: a str where the model wants dict"),
    Case("route-targets-a-number", "route.json",
         lambda: json.dumps({"meshName": "shop", "virtualRouterName": "products", "routeName": "r",
                             "spec": {"httpRoute": {"match": {"prefix": "/"}, "action": {"weightedTargets": 3}}}},
                            indent=2),
         ("lint",), "route.json:11:9: weightedTargets: a int where the model wants list"),
    Case("non-utf-8-pyproject", "pyproject.toml", lambda: b"[tool.meshify]\nselect = ['T\xff']\n",
         ("lint",), "pyproject.toml: not UTF-8 text (byte 27)"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_one_line_and_exit_2(shop, case):
    target = Path(case.file) if case.file.startswith("/") else shop / case.file
    if case.make is not None:
        case.make(target)
    elif case.content is not None:
        content = case.content()
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = target.read_bytes() if target.is_file() else None
    files = [] if case.file in ("meshify.yaml", "pyproject.toml") else [case.file]
    result, elapsed = _meshify(*case.args, *files, cwd=shop)
    assert (result.returncode, result.stderr, result.stdout) == (2, case.expected + "\n", "")
    assert elapsed < TIME_LIMIT
    if before is not None:
        assert target.read_bytes() == before


def test_a_hostile_file_in_a_batch_does_not_stop_the_others(shop):
    (shop / "bomb.yaml").write_text(_alias_bomb("family: products-api\ncontainerDefinitions:\n  - name: app\n"))
    os.mkfifo(shop / "pipe.json")
    result, elapsed = _meshify("lint", "pipe.json", "bomb.yaml", "taskdefs/products-api.json", cwd=shop)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "pipe.json: not a regular file (a pipe or a device); give a file",
        "bomb.yaml:8:45: YAML aliases expand to more than 100,000 nodes (an alias bomb?)"]
    assert "taskdefs/products-api.json:9:3: T201 error: no Envoy container" in result.stdout
    assert elapsed < TIME_LIMIT
