"""The reader's shape check: every container needs a name, a string or a value the files
cannot know (a template's ``${name}``); anything else is refused at the container."""

from __future__ import annotations

import pytest
from meshify.injector.documents.document import JsonDocument
from meshify.injector.documents.unknown import DefaultStr, ResolvedStr, Unknown
from meshify.injector.errors import InputError
from meshify.injector.inputs.task_definition import _check_shape


class _Name(str):
    pass


def _document() -> JsonDocument:
    return JsonDocument("td.json", '{"containerDefinitions": [{"name": "app"}, {"name": "b"}]}')


@pytest.mark.parametrize("name", ["app", "", _Name("app"), DefaultStr("app"), ResolvedStr("app"), Unknown("${name}")])
def test_a_string_or_an_unknown_is_a_name(name):
    data = {"containerDefinitions": [{"name": "first"}, {"name": name, "image": "x"}]}
    _check_shape(_document(), "", data)  # no error


@pytest.mark.parametrize("name", [5, None, True, 2.5, ["app"], {"Ref": "Name"}, b"app"])
def test_anything_else_is_refused_at_its_container(name):
    data = {"containerDefinitions": [{"name": "first"}, {"name": name, "image": "x"}]}
    with pytest.raises(InputError, match="a container definition needs a name") as raised:
        _check_shape(_document(), "", data)
    assert (raised.value.line, raised.value.column) == (1, 44)  # the second container


def test_a_container_without_a_name_is_refused():
    with pytest.raises(InputError, match="needs a name"):
        _check_shape(_document(), "", {"containerDefinitions": [{"image": "x"}]})
