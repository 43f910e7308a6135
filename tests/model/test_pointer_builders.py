"""``container_pointer`` and ``append`` (model/task_definition.py) build the pointers of
most fixes without ``documents.pointer.join`` when nothing needs escaping: held here to
``join``'s answer for every kind of token, escaped ones included."""

from __future__ import annotations

import pytest
from meshify.injector.documents.pointer import join
from meshify.injector.model.task_definition import append, container_pointer

TOKENS: list[tuple[str | int, ...]] = [
    (), ("name",), ("dependsOn",), ("a/b",), ("a~b",), ("~",), ("/",), ("",), (0,), (12,),
    ("environment", 3, "value"), ("dependsOn", 0, "condition"), ("ulimits", "a/b"), ("a~1", "x"),
]


@pytest.mark.parametrize("tokens", TOKENS, ids=[repr(tokens) for tokens in TOKENS])
@pytest.mark.parametrize("index", [0, 1, 17])
def test_container_pointer_is_join(index, tokens):
    assert container_pointer(index, *tokens) == join(f"/containerDefinitions/{index}", *tokens)


@pytest.mark.parametrize("key", ["dependsOn", "environment", "a/b", "a~b", "~1", ""])
@pytest.mark.parametrize("at", [None, 0, 3])
def test_append_is_join(key, at):
    item = {"name": "x"}
    with_list = {"containerDefinitions": [{"name": "app", key: [{"name": "y"}]}]}
    assert append(with_list, "/containerDefinitions/0", key, item, at=at) == [
        {"op": "add", "path": join("/containerDefinitions/0", key, "-" if at is None else at), "value": item}]
    without = {"containerDefinitions": [{"name": "app"}]}
    assert append(without, "/containerDefinitions/0", key, item, at=at) == [
        {"op": "add", "path": join("/containerDefinitions/0", key), "value": [item]}]
