"""``container_pointer`` and ``append`` (model/task_definition.py) build the pointers of
most fixes without ``documents.pointer.join`` when nothing needs escaping: held here to
``join``'s answer for every kind of token, escaped ones included."""

from __future__ import annotations

import pytest
from meshify.injector.documents.pointer import join
from meshify.injector.model.task_definition import append, appended, container_pointer

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


@pytest.mark.parametrize("value", [[{"name": "y"}], [], None, {"0": "x"}, "list", 0])
@pytest.mark.parametrize("key", ["dependsOn", "a/b", "a~b"])
@pytest.mark.parametrize("at", [None, 0, 3])
def test_appended_given_the_container_is_append(value, key, at):
    # T203 hands append the container it holds: the same operations as append's own walk.
    container: dict[str, object] = {"name": "app"} if value is None else {"name": "app", key: value}
    document = {"containerDefinitions": [{"name": "envoy"}, container]}
    item = {"containerName": "envoy", "condition": "HEALTHY"}
    assert appended(container, "/containerDefinitions/1", key, item, at=at) \
        == append(document, "/containerDefinitions/1", key, item, at=at)
