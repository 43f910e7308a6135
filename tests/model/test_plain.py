"""``model.mesh.Plain``: the dataclasses on lint's path are declared ``repr=False`` and inherit
one ``__repr__`` rather than having dataclasses compile one for each class at every start
(bench/NOTES.md, start-up round 4). What a developer sees is what dataclasses wrote. They
write their ``__init__`` (``init=False``), read from the bytecode cache: each takes the
parameters dataclasses' would, and a default factory's value is new for each object."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

from golden_cases import SHOP
from meshify.injector.commands import lint
from meshify.injector.engine import Finding, TaskContext
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.model.mesh import NOWHERE, Node, Plain


def _dataclass_repr(shown: Any) -> str:
    """What ``@dataclass`` (``repr=True``) writes for ``shown``: a class of the same name and
    fields, whose ``__repr__`` dataclasses compiles."""
    fields = dataclasses.fields(shown)
    namespace: dict[str, Any] = {"__annotations__": {f.name: Any for f in fields}}
    namespace.update({f.name: dataclasses.field(repr=f.repr) for f in fields})
    reference = dataclasses.dataclass(eq=False)(type(type(shown).__qualname__, (), namespace))
    return repr(reference(*(getattr(shown, f.name) for f in fields)))


def _reachable(root: object) -> list[Plain]:
    found: dict[int, Plain] = {}
    waiting = [root]
    while waiting:
        item = waiting.pop()
        if isinstance(item, Plain) and id(item) not in found:
            found[id(item)] = item
            waiting += [getattr(item, f.name) for f in dataclasses.fields(item)]  # type: ignore[arg-type]
        elif isinstance(item, dict):
            waiting += item.values()
        elif isinstance(item, (list, tuple, set)):
            waiting += item
    return list(found.values())


def test_the_shops_model_is_shown_as_dataclasses_show_it():
    mesh = load_manifest(str(SHOP / "meshify.yaml"))
    shown = _reachable(mesh)
    assert {type(item).__name__ for item in shown} >= {
        "Mesh", "Node", "Listener", "Discovery", "Named", "Router", "Route", "Target", "Service", "Gateway",
        "GatewayRoute", "EnvoySettings", "CloudMap", "Loc"}
    for item in shown:
        assert repr(item) == _dataclass_repr(item)
    assert "_claims=" not in repr(mesh)  # a field declared repr=False is not shown, as before
    context = TaskContext(mesh, next(iter(mesh.nodes.values())), {"family": "products-api"}, lambda p: NOWHERE)
    assert repr(context) == _dataclass_repr(context)
    assert repr(context).startswith("TaskContext(mesh=Mesh(name='shop', ")
    assert "_envoy=" not in repr(context)
    finding = Finding("T201", "error", "no Envoy", NOWHERE)
    assert repr(finding) == ("Finding(rule='T201', severity='error', message='no Envoy', "
                             "loc=Loc(document=None, pointer=''), fix=None, relies_on_default=False)")


def test_an_object_shown_inside_itself_is_dots():
    node = Node("a", NOWHERE)
    node.families.append(node)  # type: ignore[arg-type]
    assert repr(node).startswith("Node(name='a', loc=Loc(document=None, pointer=''), families=[...], listeners=[], ")


def test_no_class_on_lints_path_compiles_a_repr_of_its_own():
    assert lint.lint  # lint's modules imported
    every = Plain.__subclasses__()  # (a subclass of one of them, off lint's path, may be a dataclass of its own)
    assert len(every) >= 32
    assert [cls.__qualname__ for cls in every if "__repr__" in vars(cls)] == []


def _own_inits() -> list[type]:
    every: list[type] = []
    waiting = list(Plain.__subclasses__())
    while waiting:
        cls = waiting.pop()
        every.append(cls)
        waiting += cls.__subclasses__()
    return [cls for cls in every if not cls.__dataclass_params__.init]  # type: ignore[attr-defined]


def _parameters(function: Any) -> list[tuple[str, object, str]]:
    return [(p.name, p.annotation, repr(p.default)) for p in inspect.signature(function).parameters.values()]


def test_each_init_written_by_hand_takes_what_dataclasses_would():
    assert lint.lint  # lint's modules imported
    classes = _own_inits()
    assert {cls.__name__ for cls in classes} >= {
        "Loc", "Listener", "Discovery", "Named", "EcsServiceRef", "ClientPolicy", "Node", "Target", "Route", "Router",
        "Service", "GatewayRoute", "Gateway", "EnvoySettings", "CloudMap", "Mesh", "TaskContext", "PolicyContext",
        "UnclaimedContext", "LiveContext", "MeshContext", "ServiceContext", "MigrationContext", "Finding", "Rule",
        "TaskDefinitionFile", "SpecFile", "InputFile", "Walked", "_Inputs", "_LintShared", "_FileLint"}
    for cls in classes:
        fields = dataclasses.fields(cls)
        namespace: dict[str, Any] = {"__annotations__": {f.name: f.type for f in fields}}
        for f in fields:
            if f.default is not dataclasses.MISSING:
                namespace[f.name] = dataclasses.field(default=f.default)
            elif f.default_factory is not dataclasses.MISSING:
                namespace[f.name] = dataclasses.field(default_factory=f.default_factory)
        reference = dataclasses.dataclass(type(cls.__name__, (), namespace))
        assert _parameters(cls) == _parameters(reference), cls.__name__
        # Every field set from its parameter, or from its default (a new object for a factory's).
        required = {f.name: object() for f in fields
                    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
        first, second = cls(**required), cls(**required)
        for f in fields:
            value = getattr(first, f.name)
            if f.name in required:
                assert value is required[f.name], (cls.__name__, f.name)
            elif f.default_factory is not dataclasses.MISSING:
                made = f.default_factory()
                assert type(value) is type(made) and repr(value) == repr(made), (cls.__name__, f.name)
                assert value is not getattr(second, f.name), (cls.__name__, f.name)
            else:
                assert value is f.default or value == f.default, (cls.__name__, f.name)
        given = {f.name: object() for f in fields}
        assert all(getattr(cls(**given), name) is value for name, value in given.items()), cls.__name__
