"""Each file stands alone (cli.md): a file that cannot be used, or cannot be written, is
reported in one line and left as it was, the others are processed, the exit status is 2 at
the end; the task role policy and the task definitions are never left out of step."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import MESHIFY, corpus_file, run_meshify
from golden_cases import GOLDEN, SHOP

PRODUCTS_OUT = GOLDEN / "shop-products-api.out.json"
PRICES_OUT = GOLDEN / "shop-prices-api.out.json"


def test_lint_reports_a_bad_file_and_still_lints_the_others(shop):
    (shop / "bad.json").write_text('{"family": "x",\n "containerDefinitions": [}\n')
    result = run_meshify("lint", "bad.json", "taskdefs/products-api.json", cwd=shop)
    assert result.returncode == 2
    assert result.stderr == "bad.json:2:27: invalid JSON: Expecting value\n"
    assert result.stdout.splitlines() == [
        "taskdefs/products-api.json:2:3: T204 error: no proxyConfiguration: the task's traffic does not go through "
        "Envoy; add an APPMESH proxy configuration for container `envoy`",
        "taskdefs/products-api.json:9:3: T201 error: no Envoy container for node `products-v1`: add one named "
        "`envoy` running the App Mesh Envoy image"]


def test_lint_of_a_walkthrough_mesh_directory_reports_each_file(tmp_path):
    """``meshify lint mesh/*.json`` on an AWS walkthrough: its virtual node file is a
    template with shell placeholders (not JSON); the route file beside it is linted."""
    walkthrough = "aws-app-mesh-examples/walkthroughs/howto-timeout-policy/mesh"
    (tmp_path / "mesh").mkdir()
    for name in ("colorgateway-vn-timeout20s.json", "colorteller-route-timeout20s.json"):
        shutil.copy(corpus_file(f"{walkthrough}/{name}"), tmp_path / "mesh" / name)
    shutil.copy(GOLDEN.parent / "corpus" / "empty-mesh.yaml", tmp_path / "meshify.yaml")
    result = run_meshify("lint", "mesh/colorgateway-vn-timeout20s.json", "mesh/colorteller-route-timeout20s.json",
                         cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "mesh/colorgateway-vn-timeout20s.json:21:29: invalid JSON: Expecting value\n"
    assert result.stdout == (
        # the manifest here is an empty mesh: the route file's route is not in it (M119)
        "mesh/colorteller-route-timeout20s.json:4:3: M119 warning: route `colorteller-route` of router `colorteller-vr` "
        "of the files is not in the manifest\n"
        "mesh/colorteller-route-timeout20s.json:9:11: M105 error: route `colorteller-route` of "
        "router `colorteller-vr` targets node `ColorTellerWhite`, which does not exist\n")


def test_inject_check_goes_on_past_a_bad_file(shop):
    (shop / "bad.json").write_text("")
    result = run_meshify("inject", "taskdefs/products-api.json", "bad.json", "taskdefs/prices-api.json", "--check",
                         cwd=shop)
    assert result.returncode == 2
    assert result.stdout == "would change: taskdefs/products-api.json\nwould change: taskdefs/prices-api.json\n"
    assert result.stderr == "bad.json:1:1: the file is empty\n"


def test_inject_in_place_writes_the_good_files_and_leaves_the_bad_one(shop):
    bad = '{"family": "products-api", "containerDefinitions": [{"name": "app", "environment": 5}]}\n'
    (shop / "bad.json").write_text(bad)
    result = run_meshify("inject", "taskdefs/prices-api.json", "bad.json", "--in-place", cwd=shop)
    assert result.returncode == 2
    assert result.stderr.splitlines()[:2] == ["bad.json:1:69: environment: a int where the model wants list",
                                              "injected: taskdefs/prices-api.json"]
    assert (shop / "taskdefs/prices-api.json").read_text() == PRICES_OUT.read_text()
    assert (shop / "bad.json").read_text() == bad


def test_policy_in_a_missing_directory_writes_nothing(shop):
    before = (shop / "taskdefs/products-api.json").read_bytes()
    result = run_meshify("inject", "taskdefs/products-api.json", "--in-place", "--policy", "iam/role.json", cwd=shop)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "iam/role.json: cannot write: no directory 'iam'\n"
    assert (shop / "taskdefs/products-api.json").read_bytes() == before
    assert not (shop / "iam").exists()


def test_output_that_is_a_directory_names_it_not_a_temporary_file(shop):
    result = run_meshify("inject", "taskdefs/products-api.json", "--output", "taskdefs", cwd=shop)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "taskdefs: cannot write: not a regular file\n"
    assert sorted(path.name for path in (shop / "taskdefs").iterdir()) == [
        "prices-api.json", "products-api-canary.yaml", "products-api.json", "shop-ingress.json"]


def test_policy_is_written_before_the_task_definitions(shop, monkeypatch):
    """If the policy cannot be written after all (a full disk), no task definition has Envoy."""
    from meshify.injector.documents import document
    from meshify.injector.outputs import patches

    written: list[str] = []
    real = document.write_atomic

    def write_or_fail(path: str, text: str) -> None:
        written.append(path)
        if path.endswith("role.json"):
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(patches, "write_atomic", write_or_fail)
    before = (shop / "taskdefs/products-api.json").read_bytes()
    result = run_meshify("inject", "taskdefs/products-api.json", "--in-place", "--policy", "role.json", cwd=shop)
    assert result.returncode == 2
    assert written == ["role.json"]
    assert (shop / "taskdefs/products-api.json").read_bytes() == before


def test_in_place_keeps_mode_and_owner(shop):
    target = shop / "taskdefs/products-api.json"
    os.chmod(target, 0o640)
    if os.geteuid() == 0:
        os.chown(target, 1234, 2345)
    assert run_meshify("inject", "taskdefs/products-api.json", "--in-place", cwd=shop).returncode == 0
    status = target.stat()
    assert stat.S_IMODE(status.st_mode) == 0o640
    if os.geteuid() == 0:
        assert (status.st_uid, status.st_gid) == (1234, 2345)
    assert target.read_text() == PRODUCTS_OUT.read_text()


def test_new_files_get_the_mode_the_umask_gives(shop):
    previous = os.umask(0o027)
    try:
        result = run_meshify("inject", "taskdefs/products-api.json", "--output", "out.json", "--policy", "role.json",
                             cwd=shop)
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((shop / "out.json").stat().st_mode) == 0o640
    assert stat.S_IMODE((shop / "role.json").stat().st_mode) == 0o640


def _read_only(directory: Path, command: list[str]) -> list[str]:
    """``command`` with ``directory`` read-only: its mode for an ordinary user; for root,
    who writes whatever the mode, a read-only bind mount in a mount namespace of its own."""
    if os.geteuid() != 0:
        os.chmod(directory, 0o555)
        return command
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("running as root without unshare: no way to make a directory read-only")
    quoted = " ".join(f"'{part}'" for part in command)
    return ["unshare", "-m", "sh", "-c", f"mount --bind '{directory}' '{directory}' && "
            f"mount -o remount,ro,bind '{directory}' && exec {quoted}"]


@pytest.mark.slow
def test_a_read_only_directory_in_the_middle_of_a_batch(shop):
    """The file in the read-only directory is reported, the others are injected, and the
    policy gets only the statements of the files written."""
    locked = shop / "locked"
    locked.mkdir()
    shutil.move(shop / "taskdefs/prices-api.json", locked / "prices-api.json")
    (shop / "role.json").write_text('{"Version": "2012-10-17", "Statement": []}\n')
    before = (locked / "prices-api.json").read_bytes()
    env = {key: value for key, value in os.environ.items() if key != "MESHIFY_DEBUG"}
    command = _read_only(locked, [str(MESHIFY), "inject", "taskdefs/products-api.json", "locked/prices-api.json",
                                  "taskdefs/shop-ingress.json", "--in-place", "--policy", "role.json"])
    try:
        result = subprocess.run(command, cwd=shop, capture_output=True, text=True, env=env, timeout=120)
    finally:
        os.chmod(locked, 0o755)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[0] == "locked/prices-api.json: cannot write: the directory 'locked' is not writable"
    assert "Traceback" not in result.stderr
    assert (locked / "prices-api.json").read_bytes() == before
    assert (shop / "taskdefs/products-api.json").read_text() == PRODUCTS_OUT.read_text()
    resources = [statement["Resource"] for statement in json.loads((shop / "role.json").read_text())["Statement"]]
    assert resources == ["arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1",
                         "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualGateway/shop-gateway"]


def test_output_of_an_unusable_file_writes_nothing(shop):
    (shop / "bad.json").write_text("[]")
    result = run_meshify("inject", "bad.json", "--output", "out.json", "--policy", "role.json", cwd=shop)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "bad.json:1:1: not an ECS task definition: no containerDefinitions\n"
    assert not (shop / "out.json").exists() and not (shop / "role.json").exists()


def test_a_directory_argument_is_bounded(tmp_path, monkeypatch):
    """A directory given by mistake (a home directory) is one line and exit 2, never an endless walk."""
    from meshify.injector.inputs import reader

    monkeypatch.setattr(reader, "MAX_WALKED_FILES", 2)
    shutil.copytree(SHOP, tmp_path / "shop")
    for command in (["lint", "taskdefs"], ["inject", "taskdefs", "--check"],
                    ["migrate", "taskdefs", "--to", "service-connect", "--check"]):
        result = run_meshify(*command, cwd=tmp_path / "shop")
        assert (result.returncode, result.stderr.splitlines()[:1]) == (
            2, ["taskdefs: more than 2 files: give the files or a smaller directory"]), command
