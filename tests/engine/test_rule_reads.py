"""What a fixable rule declares it reads (``reads``, engine/registry.py) and what each fact
reads (engine/contexts.FACTS), held to what the checks really read; and ``runner.fix``, which
checks a rule again only after a fix that wrote where it reads, held to the fix loop that
checks every rule again after every fix.

Every fixable rule is checked at every step of the fix loop (every rule after every fix) on
the golden cases, their injected outputs and those broken on purpose in many ways, over a
copy of the task definition that records each member read; a read that no declared pointer
reaches, or a fact asked and not declared, fails with the rule and the read."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from golden_cases import CASES, GOLDEN, SHOP
from meshify.injector import engine
from meshify.injector.commands.inject import claimant_for
from meshify.injector.documents.pointer import split
from meshify.injector.engine.contexts import FACTS
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.inputs.task_definition import load_taskdef
from test_registry import assert_refused

# ------------------------------------------------------------------------- recording reads

# A read is the tokens of a path; its last token may be "*" (the members or items of a
# container were listed: covered by a pointer ending there or going on with *) or "**" (the
# whole value below was read: covered only by a pointer ending there or above).


class _Log:
    def __init__(self) -> None:
        self.frames: list[list[tuple[str, ...]]] = []

    def note(self, path: tuple[str, ...]) -> None:
        if self.frames:
            self.frames[-1].append(path)


class _Recorded:
    """What the recording dict and list share: a container that notes, in ``_log``, each
    read below ``_path``; comparing, copying or showing it reads it whole."""

    __slots__ = ()
    _log: _Log
    _path: tuple[str, ...]

    def _members(self) -> None:
        self._log.note((*self._path, "*"))

    def _whole(self) -> None:
        self._log.note((*self._path, "**"))

    def __eq__(self, other):
        self._whole()
        return _plain(self) == _plain(other)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __deepcopy__(self, memo):
        self._whole()
        return _plain(self)

    def __repr__(self):
        self._whole()
        return repr(_plain(self))


class _Dict(_Recorded, dict):
    __slots__ = ("_log", "_path")
    __hash__ = None  # type: ignore[assignment]

    def _key(self, key: object) -> None:
        self._log.note((*self._path, str(key)))

    def __getitem__(self, key):
        self._key(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._key(key)
        return dict.get(self, key, default)

    def __contains__(self, key):
        self._key(key)
        return dict.__contains__(self, key)

    def __iter__(self):
        self._members()
        return dict.__iter__(self)

    def keys(self):
        self._members()
        return dict.keys(self)

    def values(self):
        self._members()
        return dict.values(self)

    def items(self):
        self._members()
        return dict.items(self)

    def __len__(self):
        self._members()
        return dict.__len__(self)


class _List(_Recorded, list):
    __slots__ = ("_log", "_path")
    __hash__ = None  # type: ignore[assignment]

    def __getitem__(self, index):
        if isinstance(index, slice):
            self._whole()
        else:
            self._log.note((*self._path, str(index if index >= 0 else index + list.__len__(self))))
        return list.__getitem__(self, index)

    def __iter__(self):
        self._members()
        return list.__iter__(self)

    def __reversed__(self):
        self._members()
        return list.__reversed__(self)

    def __len__(self):
        self._members()
        return list.__len__(self)

    def __contains__(self, item):
        self._whole()
        return list.__contains__(self, item)

    def index(self, *arguments):
        self._whole()
        return list.index(self, *arguments)

    def count(self, item):
        self._whole()
        return list.count(self, item)

    def __add__(self, other):
        self._whole()
        return list.__add__(self, other)


def _tracked(value: Any, log: _Log, path: tuple[str, ...] = ()) -> Any:
    if isinstance(value, dict):
        tracked: Any = _Dict({key: _tracked(item, log, (*path, str(key))) for key, item in dict.items(value)})
    elif isinstance(value, list):
        tracked = _List([_tracked(item, log, (*path, str(index))) for index, item in enumerate(list.__iter__(value))])
    else:
        return value
    tracked._path, tracked._log = path, log
    return tracked


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in dict.items(value)}
    if isinstance(value, list):
        return [_plain(item) for item in list.__iter__(value)]
    return value


def covered(read: tuple[str, ...], declared: list[tuple[str, ...]]) -> bool:
    """Whether a write that changes what ``read`` saw is always one the declarations see."""
    for pointer in declared:
        for want, token in zip(pointer, read, strict=False):
            if token == "**" or (want != "*" and want != token):
                break
        else:
            return True
    return False


def _tokens(pointers: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [tuple(pointer.split("/")[1:]) for pointer in pointers if pointer.startswith("/")]


class _Recording(engine.TaskContext):
    """A TaskContext whose facts record what computing them reads, apart from the rule."""

    __slots__ = ("asked", "fact_reads", "log")

    def _fact(self, name: str, compute: Callable[[], Any]) -> Any:
        depth = len(self.log.frames)  # 1: asked by the rule itself, more: by another fact
        self.asked.setdefault(depth, set()).add(name)
        self.log.frames.append([])
        try:
            return compute()
        finally:
            reads = self.log.frames.pop()
            self.fact_reads.setdefault(name, []).extend(reads)
            if depth > 1:  # a fact computed for another: the other read it too
                self.log.frames[-1].extend(reads)

    def envoy_index(self):
        return self._fact("envoy", lambda: engine.TaskContext.envoy_index(self))

    def bypassing_sidecars(self):
        return self._fact("bypassing", lambda: engine.TaskContext.bypassing_sidecars(self))


def _recording_rule(current: engine.Rule, problems: list[str]) -> engine.Rule:
    """``current`` checked over a recording copy, every read held to its declaration; the
    copy declares nothing, so that the loop checks it again after every fix."""
    original = current.check

    def check(context: _Recording):
        plain = context.taskdef
        context.taskdef = _tracked(plain, context.log)
        context.changed()  # the facts are computed again, recorded
        context.asked = {}
        context.log.frames.append([])
        try:
            findings = list(original(context))
        finally:
            reads = context.log.frames.pop()
            context.taskdef = plain
            context.changed()
        for found in findings:  # runner.fix reads along a fix's paths (unknown_at)
            reads += [tuple(split(operation["path"])) for operation in found.fix or []]
        declared = _tokens(current.reads or ())
        for read in reads:
            if not covered(read, declared):
                problems.append(f"{current.id} reads /{'/'.join(read)} but declares {current.reads}")
        for fact in context.asked.get(1, set()) - current.read_facts:
            problems.append(f"{current.id} asks the fact {fact!r} but declares {current.reads}")
        return findings

    return dataclasses.replace(current, check=check, reads=None, read_paths=None, read_facts=frozenset(),
                               settles_too=())  # every rule checked after T201's fix, its reads recorded there


# ------------------------------------------------------------------------- the inputs

def _corpus_and_shop() -> list[tuple[str, dict[str, Any], str, Path]]:
    """(name, task definition data, its path, manifest) of the golden cases and their outputs."""
    found = []
    for name, source, manifest in CASES:
        if not source.exists():
            continue
        found.append((name, load_taskdef(str(source)).data, str(source), manifest))
        output = GOLDEN / f"{name}.out.json"
        if output.exists():
            found.append((f"{name}-injected", json.loads(output.read_text()), str(source), manifest))
    return found


def _envoy(taskdef: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in taskdef["containerDefinitions"] if "envoy" in str(c.get("image")))


def _apps(taskdef: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in taskdef["containerDefinitions"] if "envoy" not in str(c.get("image"))]


def _set_property(taskdef: dict[str, Any], name: str, value: str | None) -> None:
    properties = taskdef["proxyConfiguration"]["properties"]
    properties[:] = [p for p in properties if p["name"] != name]
    if value is not None:
        properties.append({"name": name, "value": value})


# Ways to break an injected task definition, each enabling some rule's fix or finding.
BREAKAGES: dict[str, Callable[[dict[str, Any]], None]] = {
    "no-depends-on": lambda t: [c.pop("dependsOn", None) for c in _apps(t)],
    "waits-to-start": lambda t: [d.update(condition="START") for c in _apps(t) for d in c.get("dependsOn", [])],
    "envoy-not-essential": lambda t: _envoy(t).update(essential=False),
    "envoy-no-health": lambda t: _envoy(t).pop("healthCheck", None),
    "envoy-user-root": lambda t: _envoy(t).update(user="0"),
    "envoy-no-user": lambda t: _envoy(t).pop("user", None),
    "ignored-uid-wrong": lambda t: "proxyConfiguration" in t and _set_property(t, "IgnoredUID", "1000"),
    "app-ports-wrong": lambda t: "proxyConfiguration" in t and _set_property(t, "AppPorts", "1"),
    "no-app-ports": lambda t: "proxyConfiguration" in t and _set_property(t, "AppPorts", None),
    "no-egress-ips": lambda t: "proxyConfiguration" in t and _set_property(t, "EgressIgnoredIPs", "10.0.0.1"),
    "no-proxy": lambda t: t.pop("proxyConfiguration", None),
    "proxy-type": lambda t: "proxyConfiguration" in t and t["proxyConfiguration"].update(type="OTHER"),
    "proxy-names-app": lambda t: "proxyConfiguration" in t and t["proxyConfiguration"].update(
        containerName=_apps(t)[0]["name"]),
    "bridge": lambda t: t.update(networkMode="bridge"),
    "bridge-host-port": lambda t: (t.update(networkMode="bridge"), [m.update(hostPort=1) for c in _apps(t)
                                                                     for m in c.get("portMappings", [])]),
    "no-network-mode": lambda t: t.pop("networkMode", None),
    "arn-wrong": lambda t: [v.update(value="arn:aws:appmesh:eu-west-1:1:mesh/x/virtualNode/y")
                            for v in _envoy(t).get("environment", []) if v["name"] == "APPMESH_RESOURCE_ARN"],
    "arn-deprecated": lambda t: [v.update(name="APPMESH_VIRTUAL_NODE_NAME")
                                 for v in _envoy(t).get("environment", []) if v["name"] == "APPMESH_RESOURCE_ARN"],
    "no-environment": lambda t: _envoy(t).pop("environment", None),
    "envoy-no-logs": lambda t: _envoy(t).pop("logConfiguration", None),
    "envoy-image": lambda t: _envoy(t).update(image="envoyproxy/envoy:v1.0"),
    "envoy-renamed": lambda t: _envoy(t).update(name="proxy"),
    "no-envoy": lambda t: t.update(containerDefinitions=_apps(t)),
    "envoy-first": lambda t: t["containerDefinitions"].sort(key=lambda c: "envoy" not in str(c.get("image"))),
    "xray-sidecar": lambda t: t["containerDefinitions"].append(
        {"name": "xray", "image": "amazon/aws-xray-daemon", "user": "1337", "essential": False,
         "portMappings": [{"containerPort": 2000, "protocol": "udp"}]}),
    "firelens": lambda t: t["containerDefinitions"].append(
        {"name": "log_router", "image": "amazon/aws-for-fluent-bit", "essential": True,
         "firelensConfiguration": {"type": "fluentbit"}}),
    "envoy-waits-for-app": lambda t: _envoy(t).update(dependsOn=[{"containerName": _apps(t)[0]["name"],
                                                                    "condition": "START"}]),
    "app-as-envoy-uid": lambda t: _apps(t)[0].update(user="1337"),
    "no-port-mappings": lambda t: [c.pop("portMappings", None) for c in t["containerDefinitions"]],
    "ulimits": lambda t: _envoy(t).update(ulimits=[{"name": "nofile", "softLimit": 1, "hardLimit": 1}]),
    "memory-reservation": lambda t: _envoy(t).update(memoryReservation=1),
    "no-task-memory": lambda t: (t.pop("memory", None), t.pop("requiresCompatibilities", None)),
    "gateway-proxy": lambda t: t.update(proxyConfiguration={"type": "APPMESH", "containerName": _envoy(t)["name"],
                                                            "properties": []}),
}


def _inputs() -> list[tuple[str, dict[str, Any], str, Path]]:
    found = []
    for name, data, path, manifest in _corpus_and_shop():
        found.append((name, data, path, manifest))
        if not name.endswith("-injected"):
            continue
        for breakage, breaking in BREAKAGES.items():
            broken = copy.deepcopy(data)
            try:
                breaking(broken)
            except (StopIteration, IndexError, KeyError):
                continue  # not a shape this breakage applies to
            found.append((f"{name}-{breakage}", broken, path, manifest))
    return found


INPUTS = _inputs()


def _context(data: dict[str, Any], path: str, manifest: Path, kind: type[engine.TaskContext] = engine.TaskContext):
    mesh = load_manifest(str(manifest))
    source = load_taskdef(path)
    context = kind.__new__(kind)
    # As inject gives it: a root of its own over the file's data, which fix never edits.
    engine.TaskContext.__init__(context, mesh, claimant_for(mesh, source, None), dict(data), source.loc)
    return context


def _fixable() -> list[engine.Rule]:
    return [current for current in engine.all_rules().values() if current.scope == "taskdef" and current.fixable]


# ------------------------------------------------------------------------- the tests

def test_the_inputs_break_the_golden_outputs_in_every_way():
    assert len(INPUTS) > 40
    assert {name.rsplit("-injected-", 1)[-1] for name, *_ in INPUTS if "-injected-" in name} == set(BREAKAGES)


@pytest.mark.parametrize(("name", "data", "path", "manifest"), INPUTS, ids=[case[0] for case in INPUTS])
def test_every_read_of_a_fixable_rule_is_declared(name, data, path, manifest):
    problems: list[str] = []
    context = _context(data, path, manifest, _Recording)
    context.log, context.asked, context.fact_reads = _Log(), {}, {}
    engine.fix([_recording_rule(current, problems) for current in _fixable()], context, "taskdef", [])
    for fact, reads in context.fact_reads.items():
        declared = _tokens(FACTS["taskdef"][fact])
        problems += [f"the fact {fact} reads /{'/'.join(read)}" for read in reads if not covered(read, declared)]
    assert sorted(set(problems)) == []


def _undeclared(rules: list[engine.Rule]) -> list[engine.Rule]:
    return [dataclasses.replace(current, reads=None, read_paths=None, read_facts=frozenset(), settles=False)
            for current in rules]


def _unsettled(rules: list[engine.Rule]) -> list[engine.Rule]:
    """``rules`` checked again after each of their own fixes (test_rule_settles.py has theirs)."""
    return [dataclasses.replace(current, settles=False) for current in rules]


def _compared(findings: list[engine.Finding]) -> list[tuple[Any, ...]]:
    return [(f.rule, f.severity, f.message, f.loc.pointer, engine.built_fix(f), f.relies_on_default) for f in findings]


def _fixes_copied(rules: list[engine.Rule]) -> list[engine.Rule]:
    """``rules`` whose fixes' values are copies, shared with nothing (as jsonpatch copies them)."""
    def copied(current: engine.Rule) -> engine.Rule:
        def check(context):
            for found in current.check(context):
                yield dataclasses.replace(found, fix=copy.deepcopy(engine.built_fix(found)))
        return dataclasses.replace(current, check=check)
    return [copied(current) for current in rules]


@pytest.mark.parametrize(("name", "data", "path", "manifest"), INPUTS, ids=[case[0] for case in INPUTS])
def test_checking_only_the_rules_a_fix_concerns_gives_what_checking_all_gives(name, data, path, manifest):
    """And the fixes' values are put in uncopied, the file's data under the root too: neither
    changes (a later fix copies what it edits on its way)."""
    original = copy.deepcopy(data)
    expected_context = _context(copy.deepcopy(data), path, manifest)
    expected_unfixed: list[engine.Finding] = []
    expected = engine.fix(_fixes_copied(_undeclared(_fixable())), expected_context, "taskdef", expected_unfixed)
    context = _context(data, path, manifest)
    unfixed: list[engine.Finding] = []
    assert engine.fix(_fixable(), context, "taskdef", unfixed) == expected
    assert context.taskdef == expected_context.taskdef
    assert _compared(unfixed) == _compared(expected_unfixed)
    assert data == original


def _counting(rules: list[engine.Rule], counts: list[str]) -> list[engine.Rule]:
    def counted(current: engine.Rule) -> engine.Rule:
        def check(context):
            counts.append(current.id)
            return current.check(context)
        return dataclasses.replace(current, check=check)
    return [counted(current) for current in rules]


# A bare task definition (bench/run.py's): T201, T203, T204 and T214 fix it.
BARE = {"family": "products-api", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
        "cpu": "256", "memory": "512", "containerDefinitions": [{
            "name": "app", "image": "app:1", "essential": True,
            "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/app"}}}]}
BARE_FIXES = ["/containerDefinitions/-", "/containerDefinitions/0/dependsOn", "/proxyConfiguration",
              "/containerDefinitions/1/logConfiguration"]
FIRST_PASS = ["T201", "T201", "T202", "T203", "T203", "T204", "T204", "T205", "T206", "T207", "T208", "T210",
              "T213", "T214", "T214"]


def test_after_the_fixes_no_rule_is_checked_again_that_no_fix_concerns():
    # Each fixing rule is checked again after its fix; no other check follows the first pass.
    counts: list[str] = []
    context = _context(BARE, str(SHOP / "taskdefs/products-api.json"), SHOP / "meshify.yaml")
    patch = engine.fix(_counting(_unsettled(_fixable()), counts), context, "taskdef", [])
    assert [operation["path"] for operation in patch] == BARE_FIXES
    assert counts == FIRST_PASS


def test_a_rule_that_declares_nothing_is_checked_again_after_every_fix():
    # As every rule was before the declarations: the rules checked before the last fix once more.
    counts: list[str] = []
    context = _context(BARE, str(SHOP / "taskdefs/products-api.json"), SHOP / "meshify.yaml")
    patch = engine.fix(_counting(_undeclared(_fixable()), counts), context, "taskdef", [])
    assert [operation["path"] for operation in patch] == BARE_FIXES
    assert counts == [*FIRST_PASS, "T201", "T202", "T203", "T204", "T205", "T206", "T207", "T208", "T210", "T213"]


@pytest.mark.parametrize(("reads", "fixable", "message"), [
    (("/containerDefinitions/0/name",), True, "an array index is always \\*"),
    (("/containerDefinitions/-",), True, "an array index is always \\*"),
    (("/containerDefinitions//name",), True, "each token is a member name"),
    (("/a~1b",), True, "each token is a member name"),
    (("envoys",), True, "not a pointer, nor a fact of scope taskdef \\(envoy, bypassing\\)"),
    (("containerDefinitions",), True, "not a pointer, nor a fact"),
    (("/networkMode", "/networkMode"), True, "names something twice"),
    ((), True, "a non-empty tuple"),
    ("/networkMode", True, "a non-empty tuple"),
    (("/networkMode",), False, "only a fixable rule declares what it reads"),
])
def test_a_wrong_declaration_of_reads_fails_at_registration(reads, fixable, message):
    assert_refused(message, "X902", "error", "taskdef", fixable=fixable, reads=reads)


def test_a_policy_fact_is_not_a_taskdef_fact():
    assert_refused("not a pointer, nor a fact of scope policy \\(none\\)", "X903", "error", "policy",
                   fixable=True, reads=("envoy",))


def test_every_declared_member_is_one_of_the_ecs_model():
    """A misspelt member (``/containerDefintions``) would never match a write: the rule
    would not be checked again. Every member named is one of RegisterTaskDefinition's."""
    from meshify.injector.model.service_models import model

    ecs = model("ecs")
    shapes = ecs["shapes"]

    def walk(shape_name: str, tokens: tuple[str, ...]) -> bool:
        if not tokens:
            return True
        shape = shapes[shape_name]
        if shape["type"] == "list":
            return tokens[0] == "*" and walk(shape["member"]["shape"], tokens[1:])
        if shape["type"] == "structure":
            member = shape["members"].get(tokens[0])
            return member is not None and walk(member["shape"], tokens[1:])
        return False

    pointers = [pointer for current in _fixable() for pointer in current.reads or () if pointer.startswith("/")]
    pointers += [pointer for reads in FACTS["taskdef"].values() for pointer in reads]
    assert pointers
    request = ecs["operations"]["RegisterTaskDefinition"]["input"]["shape"]
    assert [pointer for pointer in pointers if not walk(request, tuple(pointer.split("/")[1:]))] == []
