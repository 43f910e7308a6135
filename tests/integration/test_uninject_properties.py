"""uninject is inject's inverse over generated task definitions and manifests: on a file
without App Mesh wiring, uninject(inject(file)) is the file again, byte for byte, but for
the two edits of inject it deliberately keeps (``model/unwiring.py``)."""

from __future__ import annotations

import json

import pytest
from commands.test_uninject import kept_by_uninject
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from meshify.injector.commands.inject import inject
from meshify.injector.commands.uninject import uninject
from meshify.injector.documents.document import Document
from meshify.injector.errors import InputError
from meshify.injector.inputs.manifest import build, validate
from meshify.injector.inputs.task_definition import load_taskdef
from meshify.injector.model.task_definition import find_envoy
from meshify.injector.model.unwiring import DEFAULT_ENVOY_NAME
from meshify.injector.outputs.patches import task_definition_edit
from test_properties import manifests, taskdefs

pytestmark = pytest.mark.slow  # hundreds of generated examples, as test_properties.py


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(manifest=manifests(), taskdef=taskdefs(), indent=st.sampled_from([2, 4, "\t"]))
def test_uninject_undoes_inject(tmp_path, manifest, taskdef, indent):
    manifest_document = Document.load("m.json", json.dumps(manifest))
    validate(manifest_document)
    mesh = build(manifest_document)
    envoy_name = mesh.envoy.container_name
    taskdef.pop("proxyConfiguration", None)  # a file without App Mesh wiring
    for container in taskdef["containerDefinitions"]:
        if "aws-appmesh-envoy" in container["image"]:
            container["image"] = "app:1"
    assume(find_envoy(taskdef, envoy_name) is None and find_envoy(taskdef, envoy_name, gateway=True) is None)
    original_text = json.dumps(taskdef, indent=indent) + "\n"
    path = tmp_path / "td.json"
    path.write_text(original_text)
    try:
        injection = inject(mesh, load_taskdef(str(path)))
    except InputError:
        return  # what inject refuses, it did not write
    source = injection.source
    path.write_text(task_definition_edit(source.document, [(source, injection.patch)]).render())

    expected = Document.load(str(path), original_text).render(kept_by_uninject(injection.patch, taskdef, envoy_name))
    injected = load_taskdef(str(path))
    undone = uninject(injected, envoy_name)
    assert task_definition_edit(injected.document, [(injected, undone.patch)]).render() == expected
    if not any(c["name"] == DEFAULT_ENVOY_NAME for c in taskdef["containerDefinitions"]):
        # Without a manifest, Envoy is found by proxyConfiguration and its image alone.
        assert uninject(injected).patch == undone.patch
    if not kept_by_uninject(injection.patch, taskdef, envoy_name):
        assert expected == original_text

    # And uninject's result is a fixpoint: nothing more to take out.
    path.write_text(expected)
    assert uninject(load_taskdef(str(path)), envoy_name).patch == []
