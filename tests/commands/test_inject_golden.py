"""Golden inject outputs for the shop example and real task definitions from the corpus:
the exact patch, the exact bytes of the rewritten file, and an empty patch on the result."""

from __future__ import annotations

import json

import pytest
from golden_cases import CASES, golden_paths
from meshify.injector.commands.inject import inject
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.inputs.task_definition import load_taskdef


@pytest.mark.parametrize(("name", "source", "manifest"), CASES, ids=[case[0] for case in CASES])
def test_inject_matches_golden_and_is_idempotent(name, source, manifest, tmp_path):
    if not source.exists():
        pytest.skip(f"{source} is absent (the shared corpus lives beside the checkout)")
    mesh = load_manifest(str(manifest))
    injection = inject(mesh, load_taskdef(str(source)))
    patch_path, output_path = golden_paths(name, source)
    assert injection.patch == json.loads(patch_path.read_text())
    new_text = injection.edit().render()
    assert new_text == output_path.read_text()

    injected = tmp_path / source.name
    injected.write_text(new_text)
    assert inject(mesh, load_taskdef(str(injected))).patch == []


def test_already_injected_corpus_file_gets_a_precise_update():
    """python-task-def.json already has Envoy: it is updated in place, never duplicated."""
    _, source, manifest = next(case for case in CASES if case[0] == "corpus-python-app")
    if not source.exists():
        pytest.skip("the shared corpus is absent")
    injection = inject(load_manifest(str(manifest)), load_taskdef(str(source)))
    assert [(op["op"], op["path"]) for op in injection.patch] == [
        ("add", "/containerDefinitions/2/dependsOn"),       # the X-Ray daemon waits for Envoy too
        ("replace", "/containerDefinitions/1/environment/0"),  # APPMESH_VIRTUAL_NODE_NAME -> ARN
        ("add", "/containerDefinitions/1/image"),             # v1.13.1.1 -> the pinned tag
    ]
