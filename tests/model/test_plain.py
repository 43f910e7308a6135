"""``model.mesh.Plain``: the dataclasses on lint's path are declared ``repr=False`` and inherit
one ``__repr__`` rather than having dataclasses compile one for each class at every start
(bench/NOTES.md, start-up round 4). What a developer sees is what dataclasses wrote."""

from __future__ import annotations

import dataclasses
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
    every = []
    waiting = list(Plain.__subclasses__())
    while waiting:
        cls = waiting.pop()
        every.append(cls)
        waiting += cls.__subclasses__()
    assert len(every) >= 32
    assert [cls.__qualname__ for cls in every if "__repr__" in vars(cls)] == []
