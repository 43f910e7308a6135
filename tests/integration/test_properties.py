"""Properties of inject over generated task definitions and manifests: idempotent, one
Envoy container, no dependsOn cycle, nothing touched that inject does not own, and the
rendered text is exactly the patched document."""

from __future__ import annotations

import json

import jsonpatch
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from meshify.injector import engine
from meshify.injector.commands.inject import inject
from meshify.injector.documents.document import JsonDocument
from meshify.injector.errors import InputError
from meshify.injector.inputs.manifest import build, validate
from meshify.injector.inputs.task_definition import load_taskdef
from meshify.injector.model.mesh import Loc
from meshify.injector.model.task_definition import find_cycle, find_envoy

pytestmark = pytest.mark.slow  # hundreds of generated examples (ARCHITECTURE.md, Tests)

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
        # application running as the UID the proxy ignores, a listener port no container
        # of the user's exposes (inject never adds one: issue 10), containers larger than the task.
        assert error.message.startswith("cannot inject: T2")
        assert any(reason in error.message for reason in ("cycle", "hostPort", "the UID the proxy ignores",
                                                          "is exposed by no container", "more than the task's"))
        assert find_cycle(taskdef) or "cycle" not in error.message
        return
    result = jsonpatch.apply_patch(taskdef, injection.patch)
    text = injection.edit().render()
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

    # What inject fixes, lint then finds nothing of (rules.md: "Injection is the fix of these rules").
    claimant = mesh.claims_of(taskdef["family"])[0]
    context = engine.TaskContext(mesh, claimant, result, lambda pointer: Loc(None, pointer))
    fixed_rules = [r for r in engine.all_rules().values() if r.id in INJECTION_RULES]
    assert [f"{f.rule}: {f.message}" for f in engine.run(fixed_rules, context)] == []
    policy = {"Version": "2012-10-17", "Statement": []}
    policy_context = engine.PolicyContext(mesh, claimant, policy, lambda pointer: Loc(None, pointer))
    policy_context.policy = jsonpatch.apply_patch(policy, engine.fix(
        [r for r in engine.all_rules().values() if r.scope == "policy"], policy_context, "policy"))
    assert list(engine.run([engine.all_rules()["I301"]], policy_context)) == []


INJECTION_RULES = {"T201", "T202", "T203", "T204", "T205", "T206", "T207", "T208", "T210"}


POOL = st.sampled_from(["a", "b", "c", "svc.local", "b.local", "x" * 300])
# Resource names (mesh, nodes, routers, gateways, routes): botocore's ResourceName allows 1 to 255.
NAME = st.sampled_from(["a", "b", "c", "svc.local", "b.local", "x" * 255])
PROTOCOL = st.sampled_from(["http", "http2", "grpc", "tcp"])
ANY_INT = st.integers(-5, 70000)
SMALL = st.fixed_dictionaries({}, optional={  # types right (the schema's job), ranges anything (M106's)
    "healthyThreshold": ANY_INT, "intervalMillis": ANY_INT, "protocol": PROTOCOL, "timeoutMillis": ANY_INT,
    "unhealthyThreshold": ANY_INT, "path": st.just("/"), "port": ANY_INT})
MATCH = st.fixed_dictionaries({}, optional={
    "prefix": st.sampled_from(["/", "/a", "a"]), "port": ANY_INT, "method": st.sampled_from(["GET", "FETCH"]),
    "headers": st.lists(st.fixed_dictionaries({"name": st.sampled_from(["h", "x"]), "exact": st.just("v")}), max_size=2),
    "serviceName": st.just("s")})
LISTENERS = st.lists(st.fixed_dictionaries({"port": ANY_INT, "protocol": PROTOCOL}, optional={
    "healthCheck": SMALL, "tls": st.fixed_dictionaries({"mode": st.sampled_from(["STRICT", "PERMISSIVE", "OFF"])})}),
    max_size=3)


@st.composite
def any_manifest(draw):
    """Manifests the schema accepts, with references that resolve and ones that dangle."""
    routes = st.lists(st.fixed_dictionaries(
        {"name": NAME, "protocol": PROTOCOL,
         "targets": st.lists(st.fixed_dictionaries({"node": POOL, "weight": ANY_INT}, optional={"port": ANY_INT}),
                             max_size=12)},
        optional={"priority": ANY_INT, "match": MATCH,
                  "retryPolicy": st.fixed_dictionaries({"maxRetries": ANY_INT, "perRetryTimeout": st.just("5s")}),
                  "timeout": st.fixed_dictionaries({"perRequest": st.sampled_from(["1ms", "20s"])})}), max_size=4)
    manifest = {
        "version": 1,
        "mesh": {"name": draw(NAME), "region": draw(st.sampled_from(["eu-west-1", "cn-north-1"])),
                 "account": "111122223333", "egressFilter": draw(st.sampled_from(["DROP_ALL", "ALLOW_ALL"]))},
        "cloudMap": {"namespace": "local", "placeholders": draw(st.lists(POOL, max_size=2))},
        "envoy": {"egressIgnoredIPs": draw(st.lists(st.sampled_from(["169.254.0.0/16", "10.0.0.1", "nonsense"]),
                                                    max_size=2))},
        "nodes": draw(st.dictionaries(NAME, st.fixed_dictionaries({}, optional={
            "family": st.sampled_from(["f1", "f2"]), "listeners": LISTENERS, "backends": st.lists(POOL, max_size=3),
            "discovery": st.one_of(st.just({"dns": {"hostname": "svc.local"}}),
                                   st.just({"cloudMap": {"service": "svc"}}))}), max_size=4)),
        "routers": draw(st.dictionaries(NAME, st.fixed_dictionaries(
            {"listeners": st.lists(st.fixed_dictionaries({"port": ANY_INT, "protocol": PROTOCOL}), max_size=2)},
            optional={"routes": routes}), max_size=2)),
        "services": draw(st.dictionaries(POOL, st.one_of(st.builds(lambda r: {"router": r}, POOL),
                                                         st.builds(lambda n: {"node": n}, POOL)), max_size=3)),
        "gateways": draw(st.dictionaries(NAME, st.fixed_dictionaries(
            {"listeners": st.lists(st.fixed_dictionaries({"port": ANY_INT, "protocol": PROTOCOL}), max_size=2)},
            optional={"family": st.sampled_from(["f1", "g"]), "routes": st.lists(st.fixed_dictionaries(
                {"name": NAME, "protocol": PROTOCOL, "service": POOL}, optional={"match": MATCH, "priority": ANY_INT}),
                max_size=2)}), max_size=2)),
    }
    return manifest


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifest=any_manifest())
def test_lint_never_raises_on_a_manifest_the_schema_accepts(manifest):
    document = JsonDocument("m.json", json.dumps(manifest))
    validate(document)  # the strategy only writes what the schema accepts
    mesh = build(document)
    mesh_rules = [rule for rule in engine.all_rules().values() if rule.scope == "mesh"]
    for found in engine.run(mesh_rules, engine.MeshContext(mesh)):
        assert found.severity in engine.SEVERITIES
        assert found.loc.document is document
        document.position(found.loc.pointer)
