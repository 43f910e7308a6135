"""A batch spread over worker processes gives exactly what the serial run gives: the same
stdout and stderr bytes, in the same order, the same exit status, the same files written;
and the file-by-file run of a batch of lone task definitions gives what the batch read as a
whole gives. ``MESHIFY_PARALLEL_THRESHOLD`` forces the workers on a modest batch."""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest
from conftest import run_meshify
from golden_cases import SHOP
from meshify.injector.commands import inject as inject_command
from meshify.injector.commands import lint as lint_command
from meshify.injector.engine import parallel

COPIES = 8  # 4 shop task definitions each: 32 files, JSON and YAML, claimed and not
BAD = "taskdefs/03-prices-api.json"  # a file in the middle of the batch that cannot be read
WRONG_TYPE = "taskdefs/05-products-api.json"  # one that reads, but with a member of the wrong type


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """The shop with many task definitions: claimed and not, one already injected, YAML ones
    with a suppression that is used and one that suppresses nothing, and a task role policy."""
    root = tmp_path / "shop"
    root.mkdir()
    shutil.copy(SHOP / "meshify.yaml", root / "meshify.yaml")
    (root / "taskdefs").mkdir()
    golden = SHOP.parent / "golden"
    for index in range(COPIES):
        for source in sorted((SHOP / "taskdefs").iterdir()):
            text = source.read_text()
            if index == 2 and source.name == "prices-api.json":
                text = (golden / "shop-prices-api.out.json").read_text()  # injected already: nothing to do
            if index % 3 == 1 and source.suffix == ".yaml":
                text = text.replace("containerDefinitions:", "# meshify: ignore[T201] kept out of the mesh on purpose\n"
                                    "containerDefinitions:")
            if index % 3 == 2 and source.suffix == ".yaml":
                text = "# meshify: ignore[T201] not here\n" + text  # the finding is on another line: S001
            if index == 6 and source.name == "prices-api.json":
                text = text.replace('"family": "prices-api"', '"family": "nobody-claims-me"')
            (root / "taskdefs" / f"{index:02d}-{source.name}").write_text(text)
    (root / BAD).write_text('{"family": "prices-api", "containerDefinitions": [}\n')
    wrong = json.loads((root / WRONG_TYPE).read_text())
    wrong["containerDefinitions"][0]["environment"] = 5
    (root / WRONG_TYPE).write_text(json.dumps(wrong, indent=2) + "\n")
    (root / "task-role.json").write_text('{"Version": "2012-10-17", "Statement": []}\n')
    return root


def _files(root: Path) -> list[str]:
    return sorted(f"taskdefs/{path.name}" for path in (root / "taskdefs").iterdir())


def _run(monkeypatch: pytest.MonkeyPatch, root: Path, jobs: str, *argv: str) -> subprocess.CompletedProcess[str]:
    monkeypatch.setenv("MESHIFY_JOBS", jobs)
    monkeypatch.setenv("MESHIFY_PARALLEL_THRESHOLD", "2")
    return run_meshify(*argv, cwd=root)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def _outcome(result: subprocess.CompletedProcess[str]) -> tuple[int, str, str]:
    return result.returncode, result.stdout, result.stderr


def _pid(_shared: object, item: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough that every worker takes chunks
    return item, os.getpid()


def _shared_and_pid(shared: str, item: int) -> tuple[str, int, int]:
    return shared, item, os.getpid()


def _shared_and_pid_slowly(shared: str, item: int) -> tuple[str, int, int]:
    time.sleep(0.002)
    return shared, item, os.getpid()


def _die(parent: int, item: int) -> int:
    time.sleep(0.002)
    if item >= 50 and os.getpid() != parent:
        os._exit(3)  # a worker killed (out of memory, kill -9): the parent must not wait forever
    return item


def _fail(_shared: object, item: int) -> int:
    time.sleep(0.001)
    if item == 150:
        raise ValueError(f"item {item}")
    return item


# --------------------------------------------------------------------------- the map itself


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [2, 3])
def test_the_work_keeps_the_input_order_and_is_shared_by_this_process_and_forked_ones(monkeypatch, jobs):
    """MESHIFY_JOBS processes: this one works through chunks too, beside JOBS - 1 children."""
    monkeypatch.setenv("MESHIFY_JOBS", str(jobs))
    monkeypatch.setenv("MESHIFY_PARALLEL_THRESHOLD", "2")
    results = list(parallel.map_in_order(_pid, None, list(range(300))))
    assert [item for item, _ in results] == list(range(300))
    assert os.getpid() in {pid for _, pid in results}
    assert len({pid for _, pid in results}) == jobs


@pytest.mark.slow
@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_every_worker_is_given_what_the_parent_loaded(monkeypatch, start):
    monkeypatch.setenv("MESHIFY_JOBS", "2")
    monkeypatch.setenv("MESHIFY_PARALLEL_THRESHOLD", "2")
    monkeypatch.setenv("MESHIFY_PARALLEL_START", start)
    results = list(parallel.map_in_order(_shared_and_pid_slowly, "the mesh", list(range(200))))
    assert [(shared, item) for shared, item, _ in results] == [("the mesh", item) for item in range(200)]
    assert {pid for _, _, pid in results} - {os.getpid()}


def test_a_small_batch_stays_in_this_process(monkeypatch):
    monkeypatch.setenv("MESHIFY_JOBS", "2")
    monkeypatch.delenv("MESHIFY_PARALLEL_THRESHOLD", raising=False)
    count = parallel.DEFAULT_THRESHOLD - 1
    assert {pid for _, _, pid in parallel.map_in_order(_shared_and_pid, None, list(range(count)))} == {os.getpid()}


def test_one_job_stays_in_this_process_whatever_the_batch(monkeypatch):
    monkeypatch.setenv("MESHIFY_JOBS", "1")
    monkeypatch.setenv("MESHIFY_PARALLEL_THRESHOLD", "2")
    assert {pid for _, pid in parallel.map_in_order(_pid, None, list(range(50)))} == {os.getpid()}


@pytest.mark.slow
def test_a_worker_that_dies_ends_the_run_with_one_line_instead_of_a_hang(monkeypatch):
    monkeypatch.setenv("MESHIFY_JOBS", "2")
    monkeypatch.setenv("MESHIFY_PARALLEL_THRESHOLD", "2")
    with pytest.raises(parallel.WorkerDied) as raised:
        list(parallel.map_in_order(_die, os.getpid(), list(range(200))))
    assert str(raised.value) == ("meshify: a worker process ended before its files were done (killed, or out of "
                                 "memory); run again with MESHIFY_JOBS=1 for one process")


@pytest.mark.slow
def test_stopping_early_ends_the_workers(monkeypatch):
    monkeypatch.setenv("MESHIFY_JOBS", "2")
    monkeypatch.setenv("MESHIFY_PARALLEL_THRESHOLD", "2")
    results = parallel.map_in_order(_pid, None, list(range(5000)))
    worker = next(pid for _, pid in results if pid != os.getpid())
    results.close()  # what a KeyboardInterrupt in the parent's loop does too
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(worker):
        time.sleep(0.05)
    assert not _alive(worker)


@pytest.mark.slow
def test_an_error_of_the_per_file_function_comes_at_its_turn_after_the_results_before_it(monkeypatch):
    monkeypatch.setenv("MESHIFY_JOBS", "2")
    monkeypatch.setenv("MESHIFY_PARALLEL_THRESHOLD", "2")
    seen: list[int] = []
    with pytest.raises(ValueError, match=r"^item 150$"):
        for item in parallel.map_in_order(_fail, None, list(range(400))):
            seen.append(item)
    assert seen == list(range(150))


@pytest.mark.slow
def test_forked_workers_start_without_importing_multiprocessing():
    """Start-up is the serial part of a parallel run: multiprocessing and concurrent.futures
    (some 40 ms of imports) are not needed to fork."""
    code = ("import os, sys; os.environ.update(MESHIFY_JOBS='2', MESHIFY_PARALLEL_THRESHOLD='2');"
            "from meshify.injector.engine import parallel;"
            "print(list(parallel.map_in_order(pow, 2, list(range(100)))) == [2 ** i for i in range(100)],"
            " sorted(m for m in sys.modules if m.startswith(('multiprocessing', 'concurrent'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "True []\n", "")


@pytest.mark.slow
def test_ctrl_c_during_a_parallel_lint_ends_with_130_no_traceback_and_no_worker_left(batch):
    """A terminal's Ctrl-C reaches every process of the group: the children ignore it, the
    parent ends them and exits 130 with no traceback."""
    import signal

    from conftest import MESHIFY

    source = (batch / "taskdefs" / "00-prices-api.json").read_text()
    for index in range(3000):
        (batch / "taskdefs" / f"many-{index:04d}.json").write_text(source)
    env = {**os.environ, "MESHIFY_JOBS": "2", "MESHIFY_PARALLEL_THRESHOLD": "2"}
    process = subprocess.Popen([str(MESHIFY), "lint", *_files(batch)], cwd=batch, env=env, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children: list[int] = []
    deadline = time.monotonic() + 30
    while not children and process.poll() is None and time.monotonic() < deadline:
        with open(f"/proc/{process.pid}/task/{process.pid}/children") as listed:
            children = [int(pid) for pid in listed.read().split()]
        time.sleep(0.01)
    assert children, "no worker was started"
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert not any(_alive(child) for child in children)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead: reap it if it is ours
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"


# --------------------------------------------------------------------------- lint


def _whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch read as a whole, as before file-by-file linting and injecting existed."""
    monkeypatch.setattr(lint_command, "_lint_one_by_one", lambda *args: None)
    monkeypatch.setattr(inject_command, "_inject_one_by_one", lambda *args: None)


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_lint_file_by_file_prints_what_the_batch_as_a_whole_prints(monkeypatch, batch, output_format):
    argv = ["lint", "--format", output_format, "--policy", "task-role.json", *_files(batch)]
    one_by_one = _run(monkeypatch, batch, "1", *argv)
    _whole(monkeypatch)
    whole = _run(monkeypatch, batch, "1", *argv)
    assert _outcome(one_by_one) == _outcome(whole)
    assert whole.returncode == 2 and f"{BAD}:1:" in whole.stderr and f"{WRONG_TYPE}:" in whole.stderr
    if output_format == "github":
        assert f"::error file={BAD},line=1," in whole.stdout and f"::error file={WRONG_TYPE}" in whole.stdout


@pytest.mark.slow
@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_lint_in_parallel_prints_what_the_serial_run_prints(monkeypatch, batch, output_format):
    argv = ["lint", "--format", output_format, "--policy", "task-role.json", *_files(batch)]
    serial = _run(monkeypatch, batch, "1", *argv)
    split = _run(monkeypatch, batch, "2", *argv)
    assert serial.returncode == 2 and serial.stderr.startswith(f"{BAD}:1:")
    assert serial.stdout.count("T201") >= COPIES and "S001" in serial.stdout
    if output_format in ("sarif", "github"):  # the files that could not be read, shown to the CI too
        assert ('"executionSuccessful": false' if output_format == "sarif" else f"::error file={BAD},line=1,") \
            in serial.stdout
    assert _outcome(split) == _outcome(serial)


def test_lint_suppressions_and_errors_are_those_of_each_file(monkeypatch, batch):
    result = _run(monkeypatch, batch, "1", "lint", "--policy", "task-role.json", *_files(batch))
    lines = result.stdout.splitlines()
    used = [line for line in lines if line.startswith("taskdefs/01-products-api-canary.yaml:")]
    unused = [line for line in lines if line.startswith("taskdefs/02-products-api-canary.yaml:")]
    assert used and not any(" T201 " in line for line in used)  # suppressed, with its reason
    assert any(" T201 " in line for line in unused)
    assert any(" S001 " in line and "suppresses nothing here" in line for line in unused)
    assert result.stderr.splitlines()[0].startswith(f"{BAD}:1:")
    assert any(line.startswith(f"{WRONG_TYPE}:") and "environment" in line for line in result.stderr.splitlines())
    assert any(line.startswith("taskdefs/07-prices-api.json:") for line in lines)  # after the bad file: linted


@pytest.mark.slow
def test_lint_with_spawned_workers_prints_what_the_serial_run_prints(monkeypatch, batch):
    argv = ["lint", "--format", "json", "--policy", "task-role.json", *_files(batch)]
    serial = _run(monkeypatch, batch, "1", *argv)
    monkeypatch.setenv("MESHIFY_PARALLEL_START", "spawn")
    split = _run(monkeypatch, batch, "2", *argv)
    assert _outcome(split) == _outcome(serial)


@pytest.mark.slow
def test_a_batch_with_an_app_mesh_spec_is_linted_as_a_whole_with_the_same_output(monkeypatch, batch):
    (batch / "zz-node.json").write_text('{"meshName": "shop", "virtualNodeName": "x", "spec": {"listeners": []}}\n')
    argv = ["lint", "--policy", "task-role.json", *_files(batch), "zz-node.json"]
    serial = _run(monkeypatch, batch, "1", *argv)
    split = _run(monkeypatch, batch, "2", *argv)
    assert serial.stderr.count(f"{BAD}:1:") == 1 and serial.stdout.count("T201") >= COPIES
    assert _outcome(split) == _outcome(serial)


def test_lint_releases_each_document_once_its_findings_are_located(monkeypatch, batch):
    """Memory: a file's document (its text, its parsed data, its positions) is released once
    its findings are located; what the findings keep is what output needs."""
    from meshify.injector.documents.document import Document

    loaded: list[weakref.ref[Document]] = []
    alive_at_each_load: list[int] = []
    original = Document.load

    def load(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        gc.collect()  # a YAML document's tree holds cycles: unreachable is what counts, not yet collected
        alive_at_each_load.append(sum(1 for ref in loaded if (document := ref()) is not None
                                      and "taskdefs/" in document.path))
        document = original(path, *args, **kwargs)
        loaded.append(weakref.ref(document))
        return document

    monkeypatch.setattr(Document, "load", staticmethod(load))
    monkeypatch.setenv("MESHIFY_JOBS", "1")
    result = run_meshify("lint", *_files(batch), cwd=batch)
    assert result.returncode == 2 and result.stdout.count("T201") >= COPIES
    assert len(loaded) >= len(_files(batch)) - 1  # the unreadable file never becomes a document
    assert max(alive_at_each_load) == 0, "a task definition's document outlived its findings"


# --------------------------------------------------------------------------- inject


@pytest.mark.parametrize("mode", ["--check", "--patch", "--diff", "--print"])
def test_inject_file_by_file_prints_what_the_batch_as_a_whole_prints(monkeypatch, batch, mode):
    argv = ["inject", *([mode] if mode != "--print" else []), "--policy", "task-role.json", *_files(batch)]
    before = _snapshot(batch)
    one_by_one = _run(monkeypatch, batch, "1", *argv)
    written = _snapshot(batch)
    shutil.rmtree(batch)
    batch.mkdir()
    for name, data in before.items():
        (batch / name).parent.mkdir(parents=True, exist_ok=True)
        (batch / name).write_bytes(data)
    _whole(monkeypatch)
    whole = _run(monkeypatch, batch, "1", *argv)
    assert _outcome(one_by_one) == _outcome(whole)
    assert written == _snapshot(batch)
    assert whole.returncode == 2 and f"{BAD}:1:" in whole.stderr


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["--check", "--patch", "--diff", "--print"])
def test_inject_in_parallel_prints_what_the_serial_run_prints(monkeypatch, batch, tmp_path, mode):
    other = tmp_path / "other"
    shutil.copytree(batch, other)
    argv = ["inject", *([mode] if mode != "--print" else []), "--policy", "task-role.json"]
    serial = _run(monkeypatch, batch, "1", *argv, *_files(batch))
    split = _run(monkeypatch, other, "2", *argv, *_files(other))
    assert serial.returncode == 2 and serial.stdout and f"{BAD}:1:" in serial.stderr
    assert _outcome(split) == _outcome(serial)
    assert _snapshot(other) == _snapshot(batch)


@pytest.mark.slow
def test_inject_in_place_in_parallel_writes_what_the_serial_run_writes(monkeypatch, batch, tmp_path):
    other, whole = tmp_path / "other", tmp_path / "whole"
    shutil.copytree(batch, other)
    shutil.copytree(batch, whole)
    argv = ["inject", "--in-place", "--policy", "task-role.json"]
    serial = _run(monkeypatch, batch, "1", *argv, *_files(batch))
    split = _run(monkeypatch, other, "2", *argv, *_files(other))
    assert serial.returncode == 2 and "injected: taskdefs/00-prices-api.json" in serial.stderr
    assert serial.stderr.index("task role policy updated: task-role.json") < serial.stderr.index("injected: ")
    assert _outcome(split) == _outcome(serial)
    assert _snapshot(other) == _snapshot(batch)
    assert (batch / BAD).read_text() == '{"family": "prices-api", "containerDefinitions": [}\n'  # left as it was
    _whole(monkeypatch)
    assert _outcome(_run(monkeypatch, whole, "1", *argv, *_files(whole))) == _outcome(serial)
    assert _snapshot(whole) == _snapshot(batch)


@pytest.mark.slow
def test_a_batch_with_an_app_mesh_spec_is_injected_as_a_whole_with_the_same_output(monkeypatch, batch, tmp_path):
    (batch / "zz-node.json").write_text('{"meshName": "shop", "virtualNodeName": "x", "spec": {"listeners": []}}\n')
    other = tmp_path / "other"
    shutil.copytree(batch, other)
    argv = ["inject", "--in-place", "--policy", "task-role.json"]
    serial = _run(monkeypatch, batch, "1", *argv, *_files(batch), "zz-node.json")
    split = _run(monkeypatch, other, "2", *argv, *_files(other), "zz-node.json")
    assert serial.stderr.count(f"{BAD}:1:") == 1
    assert _outcome(split) == _outcome(serial)
    assert _snapshot(other) == _snapshot(batch)


def test_lint_file_by_file_knows_a_file_and_the_manifest_by_any_path(monkeypatch, batch, tmp_path):
    """A task definition given again through a symbolic link, a linked directory, a path with
    ``..`` or an absolute path is checked once; a hard link is another file; the manifest
    given through a link or a hard link is the manifest: as the batch read as a whole says."""
    (batch / "linked").symlink_to("taskdefs")
    (batch / "taskdefs" / "zz-link.json").symlink_to("00-prices-api.json")
    os.link(batch / "taskdefs" / "01-prices-api.json", batch / "taskdefs" / "zz-hard.json")
    manifest = batch / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("      - prices.shop.local", "      - prices.shop.lcoal", 1))  # M103
    (batch / "manifest-link.yaml").symlink_to("meshify.yaml")
    os.link(manifest, tmp_path / "manifest-hard.yaml")
    again = ["linked/00-prices-api.json", "taskdefs/../taskdefs/04-prices-api.json", str(batch / "taskdefs" / "06-prices-api.json"),
             "linked/../taskdefs/07-prices-api.json"]
    argv = ["lint", *_files(batch), *again, "manifest-link.yaml", str(tmp_path / "manifest-hard.yaml")]
    one_by_one = _run(monkeypatch, batch, "1", *argv)
    alone = _run(monkeypatch, batch, "1", "lint", "meshify.yaml")
    _whole(monkeypatch)
    whole = _run(monkeypatch, batch, "1", *argv)
    assert _outcome(one_by_one) == _outcome(whole)
    assert not any(path in one_by_one.stdout for path in again)
    assert "taskdefs/zz-hard.json:" in one_by_one.stdout and "taskdefs/zz-link.json:" not in one_by_one.stdout
    assert "M103" in alone.stdout and all(line in one_by_one.stdout.splitlines() for line in alone.stdout.splitlines())


@pytest.mark.parametrize("count", [2, 3, 8])
@pytest.mark.parametrize("length", [2, 7, 64, 300, 1001, 4096, 10_000])
def test_chunks_hold_every_item_once_in_order_the_last_ones_smaller(length, count):
    chunks = parallel._chunks(list(range(length)), count)
    assert [item for chunk in chunks for item in chunk] == list(range(length))
    sizes = [len(chunk) for chunk in chunks]
    assert all(sizes) and max(sizes) <= 256
    assert sizes[-1] <= sizes[0]
    if (length, count) == (10_000, 2):  # chunks of 256, then the last 256 per worker in chunks of 64
        assert sizes[0] == 256 and sizes[-4 * count:] == [64] * (4 * count) and sizes.count(256) == (10_000 - 256 * count) // 256


def test_a_files_lint_comes_back_from_a_worker_whole():
    """_FileLint pickles by hand (its findings as plain tuples): every field, of every kind,
    comes back as it went, the findings as Located."""
    import pickle

    from meshify.injector.commands.batch import Failure
    from meshify.injector.engine.findings import Located

    own = Located("a.json", 3, 5, "T201", "error", "no Envoy")
    sent = lint_command._FileLint(
        lone=False, manifest=True, read_failure=Failure("a.json:1:1: bad", "a.json"),
        check_failure=Failure("a.json: worse", "a.json"), skipped=True, key="/a.json\0", own=[own],
        elsewhere=[own._replace(path="meshify.yaml")], claimant=("virtualNode", "a"))
    back = pickle.loads(pickle.dumps(sent, pickle.HIGHEST_PROTOCOL))
    fields = lint_command._FileLint.__slots__
    assert [getattr(back, name) for name in fields] == [getattr(sent, name) for name in fields]
    assert {type(found) for found in [*back.own, *back.elsewhere]} == {Located}
    assert all(getattr(sent, name) != getattr(lint_command._FileLint(), name) for name in fields)  # no default left


@pytest.mark.slow
def test_lint_in_parallel_of_directories_and_files_prints_what_the_serial_run_prints(monkeypatch, batch):
    """Many paths are expanded by the process that takes them, a directory among them too;
    one directory alone is expanded first and its files split: the same output either way."""
    (batch / "more").mkdir()
    for name in _files(batch)[:12]:
        shutil.copy(batch / name, batch / "more" / Path(name).name.replace(".", "-again.", 1))
    for argv in (["lint", "--policy", "task-role.json", "taskdefs"],
                 ["lint", "--policy", "task-role.json", *_files(batch)[:10], "more", *_files(batch)[10:]]):
        serial = _run(monkeypatch, batch, "1", *argv)
        split = _run(monkeypatch, batch, "2", *argv)
        assert serial.returncode == 2 and serial.stdout.count("T201") >= COPIES
        assert _outcome(split) == _outcome(serial)


def test_lint_of_many_paths_over_the_cores_leaves_their_expansion_to_the_workers(monkeypatch, batch):
    """The serial part before the workers start does not stat every path given: each path
    is expanded by the process that lints it (here, with one job left, this process)."""
    expanded: list[int] = []
    original = lint_command.expand_paths

    def expand_paths(paths: list[str]):  # type: ignore[no-untyped-def]
        expanded.append(len(paths))
        return original(paths)

    monkeypatch.setattr(lint_command, "expand_paths", expand_paths)
    monkeypatch.setattr(parallel, "_in_workers", lambda function, shared, items, count, payload:
                        (function(shared, item) for item in items))
    result = _run(monkeypatch, batch, "2", "lint", *_files(batch))
    assert result.returncode == 2 and result.stdout.count("T201") >= COPIES
    assert expanded and set(expanded) == {1}


@pytest.mark.slow
def test_a_batch_of_more_chunks_than_a_pipe_holds_numbers_for_goes_in_bigger_chunks(monkeypatch):
    """The chunks' numbers are written to a pipe before any reader exists: past what it
    holds (here lowered to 3), the chunks are made bigger, and every item still comes once,
    in order."""
    monkeypatch.setenv("MESHIFY_JOBS", "2")
    monkeypatch.setenv("MESHIFY_PARALLEL_THRESHOLD", "2")
    monkeypatch.setattr(parallel, "_MOST_CHUNKS", 3)
    results = list(parallel.map_in_order(_pid, None, list(range(100))))
    assert [item for item, _ in results] == list(range(100))
