"""inject --policy over many claimants edits one policy in place, claimant after claimant:
the statement index (model/iam.py) built for its Statement list serves them all. A fix loop
that copied the list on its way (as it copies a task definition's containers) would index
it again for every claimant: quadratic (bench/run.py, "nothing quadratic")."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import run_meshify
from meshify.injector.model import iam

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from run import generate  # the benchmark's generated mesh and task definitions


def test_the_policy_of_many_claimants_is_indexed_a_few_times_not_once_per_claimant(tmp_path, monkeypatch):
    monkeypatch.setenv("MESHIFY_JOBS", "1")
    paths = generate(tmp_path, 1, 2026, files=1000)[::5]  # one task definition per node: 200 claimants
    (tmp_path / "policy.json").write_text('{"Version": "2012-10-17", "Statement": []}\n')
    built: list[int] = []
    original = iam._StatementIndex.__init__

    def counted(self, listed):
        built.append(len(listed))
        original(self, listed)

    monkeypatch.setattr(iam._StatementIndex, "__init__", counted)
    result = run_meshify("inject", "--patch", "--policy", "policy.json", *paths, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"Sid": "MeshifyEnvoyNode') == 200  # a statement per claimant
    assert len(built) <= 3, built
