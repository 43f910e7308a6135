"""Properties of inject over generated task definitions and manifests: idempotent, one
Envoy container, no dependsOn cycle, nothing touched that inject does not own, and the
rendered text is exactly the patched document."""

from __future__ import annotations

import json

import jsonpatch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from meshify.injector.errors import InputError
from meshify.injector.inject import inject
from meshify.injector.manifest import build, validate
from meshify.injector.source import JsonDocument
from meshify.injector.taskdef import find_cycle, find_envoy, load_taskdef

NAMES = st.sampled_from(["app", "web", "worker", "xray", "log-router", "cache", "envoy", "proxy"])
PORTS = st.sampled_from([80, 3000, 5000, 8080, 9090])


@st.composite
def manifests(draw):
    envoy = {}
    if draw(st.booleans()):
        envoy = draw(st.fixed_dictionaries({}, optional={
            "user": st.sampled_from(["1337", "2000"]),
            "nofile": st.integers(1024, 65535),
            "logLevel": st.sampled_from(["debug", "info"]),
            "xray": st.booleans(),
            "memoryReservation": st.integers(32, 256),
            "egressIgnoredPorts": st.lists(st.sampled_from([22, 2049, 5432]), max_size=2, unique=True),
            "containerName": st.sampled_from(["envoy", "proxy"]),
        }))
    listeners = draw(st.lists(PORTS, max_size=2, unique=True))
    node = {"family": "svc", "listeners": [{"port": port, "protocol": "http"} for port in listeners]}
    gateway = {"family": "edge", "listeners": [{"port": draw(PORTS), "protocol": "http"}]}
    return {"version": 1, "mesh": {"name": "m", "region": draw(st.sampled_from(["eu-west-1", "cn-north-1", "us-gov-west-1"])),
                                   "account": "111122223333"},
            "envoy": envoy, "nodes": {"svc-v1": node}, "gateways": {"edge-gw": gateway}}


@st.composite
def containers(draw):
    names = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    result = []
    for name in names:
        container = {"name": name, "image": draw(st.sampled_from(
            ["app:1", "840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.20.0.0-prod"]))}
        container.update(draw(st.fixed_dictionaries({}, optional={
            "essential": st.booleans(),
            "cpu": st.integers(0, 512),
            "portMappings": st.lists(st.builds(lambda p: {"containerPort": p}, PORTS), max_size=2),
            "environment": st.lists(st.builds(lambda v: {"name": "SECRET_TOKEN", "value": v}, st.text(max_size=5)),
                                    max_size=1),
            "user": st.sampled_from(["1337", "1000", "root"]),
        })))
        if name == "log-router":
            container["firelensConfiguration"] = {"type": "fluentbit"}
        result.append(container)
    for container in result:
        others = [c["name"] for c in result if c is not container]
        if others and draw(st.booleans()):
            container["dependsOn"] = [{"containerName": draw(st.sampled_from(others)),
                                       "condition": draw(st.sampled_from(["START", "HEALTHY"]))}]
    return result


@st.composite
def taskdefs(draw):
    taskdef = {"family": draw(st.sampled_from(["svc", "edge"])), "containerDefinitions": draw(containers())}
    taskdef.update(draw(st.fixed_dictionaries({}, optional={
        "networkMode": st.sampled_from(["awsvpc", "bridge"]),
        "memory": st.just("1024"),
        "requiresCompatibilities": st.just(["FARGATE"]),
        "tags": st.just([{"key": "team", "value": "x"}]),
        "proxyConfiguration": st.builds(lambda name, ips: {"type": "APPMESH", "containerName": name, "properties": [
            {"name": "IgnoredUID", "value": "1337"}, {"name": "EgressIgnoredIPs", "value": ips}]},
            NAMES, st.sampled_from(["169.254.170.2", "10.0.0.1,169.254.169.254"])),
    })))
    return taskdef


OWNED_TOP_LEVEL = {"proxyConfiguration", "networkMode", "containerDefinitions"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(manifest=manifests(), taskdef=taskdefs(), indent=st.sampled_from([2, 4, "\t"]))
def test_inject_properties(tmp_path, manifest, taskdef, indent):
    manifest_document = JsonDocument("m.json", json.dumps(manifest))
    validate(manifest_document)
    mesh = build(manifest_document)
    path = tmp_path / "td.json"
    path.write_text(json.dumps(taskdef, indent=indent) + "\n")
    try:
        injection = inject(mesh, load_taskdef(str(path)))
    except InputError as error:
        # Only what no fix can mend: a dependsOn cycle, a hostPort awsvpc forbids, an
        # application running as the UID the proxy ignores.
        assert error.message.startswith("cannot inject: T20")
        assert any(reason in error.message for reason in ("cycle", "hostPort", "the UID the proxy ignores"))
        assert find_cycle(taskdef) or "cycle" not in error.message
        return
    result = jsonpatch.apply_patch(taskdef, injection.patch)
    text = injection.new_text()
    assert json.loads(text) == result

    path.write_text(text)
    assert inject(mesh, load_taskdef(str(path))).patch == []

    gateway = taskdef["family"] == "edge"
    envoy_index = find_envoy(result, mesh.envoy.container_name, gateway)
    assert envoy_index is not None
    envoy_images = [c for c in result["containerDefinitions"] if "aws-appmesh-envoy" in c.get("image", "")]
    assert result["containerDefinitions"][envoy_index] in envoy_images
    assert len(result["containerDefinitions"]) - len(taskdef["containerDefinitions"]) in (0, 1)
    assert find_cycle(result) is None

    for key in set(taskdef) - OWNED_TOP_LEVEL:
        assert result[key] == taskdef[key]
    original_envoy = find_envoy(taskdef, mesh.envoy.container_name, gateway)
    for index, before in enumerate(taskdef["containerDefinitions"]):
        if index == original_envoy:
            continue
        after = result["containerDefinitions"][index]
        for key in set(before) - {"dependsOn", "portMappings"}:
            assert after[key] == before[key], key
        assert after.get("portMappings", [])[: len(before.get("portMappings", []))] == before.get("portMappings", [])
        assert len(after.get("dependsOn", [])) >= len(before.get("dependsOn", []))
    assert "SECRET_TOKEN" not in json.dumps(injection.patch)
