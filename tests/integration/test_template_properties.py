"""Properties of inject on every CloudFormation template of the corpus: the injected
template lints clean of the fixable (injection) rules, a second inject changes nothing, and
only the task definitions' own lines change."""

from __future__ import annotations

import difflib
import glob
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import run_meshify
from golden_cases import CORPUS
from meshify.injector import engine
from meshify.injector.documents.document import Document

TEMPLATES = sorted(
    path for path in glob.glob(f"{CORPUS}/**/*.y*ml", recursive=True)
    if os.path.isfile(path) and re.search(r"^\s*Type: '?AWS::ECS::TaskDefinition", Path(path).read_text(), re.M)
) if CORPUS.exists() else []


def _task_definition_spans(document: Document, ids: list[str]) -> list[tuple[int, int]]:
    """(first, last) 0-based line of each task definition resource: its key to the next key
    of the template (the next resource, or the next top-level section)."""
    starts = sorted({document.position(f"/Resources/{key}")[0] - 1 for key in document.data["Resources"]} |
                    {document.position(f"/{key}")[0] - 1 for key in document.data})
    spans = []
    for logical_id in ids:
        start = document.position(f"/Resources/{logical_id}")[0] - 1
        spans.append((start, next((line for line in starts if line > start), len(document.text.splitlines()))))
    return spans


@pytest.mark.slow
@pytest.mark.skipif(not TEMPLATES, reason=f"the shared corpus is absent ({CORPUS})")
def test_inject_on_every_corpus_template(tmp_path):
    fixable = sorted(rule.id for rule in engine.all_rules().values() if rule.fixable and rule.scope == "taskdef")
    (tmp_path / ".git").mkdir()
    injected = refused = 0
    refusals: list[str] = []
    for path in TEMPLATES:
        document = Document.load(path)
        data = document.data
        ids = [k for k, v in data["Resources"].items() if isinstance(v, dict) and v.get("Type") == "AWS::ECS::TaskDefinition"
               and isinstance((v.get("Properties") or {}).get("ContainerDefinitions"), list)]
        if not ids:
            continue
        (tmp_path / "meshify.yaml").write_text(
            "version: 1\nmesh: {name: m, region: us-west-2, account: '111122223333'}\n"
            f"nodes:\n  app:\n    resource: {json.dumps(ids)}\n    listeners: [{{port: 8080, protocol: http}}]\n")
        target = tmp_path / Path(path).name
        shutil.copy(path, target)
        result = run_meshify("inject", target.name, "--in-place", cwd=tmp_path)
        if result.returncode == 2 and "cannot inject" in result.stderr:
            refused += 1  # an error inject cannot fix (bridge networking, an app as UID 1337): said at its place
            refusals.append(result.stderr.split(": cannot inject: ")[1].split(" ")[0])
            assert re.match(rf"{target.name}:\d+:\d+: cannot inject: T2\d\d ", result.stderr), result.stderr
            continue
        assert result.returncode == 0, (path, result.stderr)
        injected += 1
        before, after = Path(path).read_text(), target.read_text()
        # 1. no injection rule fires on the result
        lint = run_meshify("lint", target.name, "--format", "json", "--select", ",".join(fixable), cwd=tmp_path)
        assert json.loads(lint.stdout) == [] if lint.stdout.strip().startswith("[") else lint.stdout == "", (path, lint.stdout)
        # 2. a second inject changes nothing
        again = run_meshify("inject", target.name, "--check", cwd=tmp_path)
        assert (again.returncode, again.stdout) == (0, ""), path
        # 3. only the task definitions' lines changed
        spans = _task_definition_spans(document, ids)
        for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(),
                                                         autojunk=False).get_opcodes():
            if tag != "equal":
                assert any(start < i1 <= end and i2 <= end for start, end in spans), (path, tag, i1, i2)
    # Every corpus template with literal containers: injected, or refused where the manifest's
    # listener port 8080 is not a port the app exposes (inject never adds ports to the user's
    # containers: T205, issue 10).
    assert (injected, refused, set(refusals)) == (5, 5, {"T205"})
