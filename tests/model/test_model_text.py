"""A service model read member by member (``model_text.load``, the models of a run without
the cache) must be ``json.loads``'s, whatever is asked of it and in whatever order."""

from __future__ import annotations

import copy
import json
import pickle

import pytest
from meshify.injector import cache
from meshify.injector.model import model_text, service_models


@pytest.fixture(params=["ecs", "appmesh"])
def text(request) -> str:
    return service_models._text(service_models.model_file(request.param))


def test_every_member_of_the_installed_models_is_json_loads(text):
    full = json.loads(text)
    lazy = model_text.load(text)
    assert type(lazy) is dict and list(lazy) == list(full)
    for key in ("operations", "shapes"):
        assert type(lazy[key]) is model_text._Members
        names = list(full[key])
        for name in reversed(names):  # asked out of order, one by one
            assert lazy[key][name] == full[key][name]
        assert list(lazy[key]) == names  # the file's order, not the order asked in
        assert lazy[key] == full[key] and full[key] == lazy[key]
    assert lazy == full


def test_what_needs_every_member_parses_the_rest_in_the_files_order(text):
    full = json.loads(text)["shapes"]
    first, last = next(iter(full)), list(full)[-1]
    for ask in (list, len, dict, lambda s: list(s.items()), lambda s: list(s.values()), lambda s: s.copy(),
                copy.deepcopy, lambda s: pickle.loads(pickle.dumps(s)), repr, lambda s: {**s}, json.dumps):
        shapes = model_text.load(text)["shapes"]
        shapes[last]  # one member parsed first
        assert ask(shapes) == ask(full)
    shapes = model_text.load(text)["shapes"]
    assert type(copy.deepcopy(shapes)) is dict and type(pickle.loads(pickle.dumps(shapes))) is dict
    assert (first in shapes, "NoSuchShape" in shapes, shapes.get("NoSuchShape"), shapes.get(first)) == (
        True, False, None, full[first])
    with pytest.raises(KeyError):
        shapes["NoSuchShape"]


@pytest.mark.parametrize("layout", [{"separators": (",", ":")}, {"indent": 4}, {"indent": 1}, {"indent": "\t"}])
def test_a_text_laid_out_otherwise_is_parsed_whole(layout):
    data = {"version": "2.0", "shapes": {"A": {"type": "string"}, "B": {"type": "list", "member": {"shape": "A"}}}}
    loaded = model_text.load(json.dumps(data, **layout))
    assert type(loaded["shapes"]) is dict and loaded == data


def test_a_member_line_inside_another_value_is_found_out():
    """``B`` is on a member's line but inside ``A``'s value: asked for, any member makes the
    mapping parse the text whole."""
    text = '{\n  "shapes":{\n    "A":{"p":1,\n    "B":2},\n    "C":3\n  }\n}'
    assert json.loads(text) == {"shapes": {"A": {"p": 1, "B": 2}, "C": 3}}
    for ask in ("A", "B", "C"):
        shapes = model_text.load(text)["shapes"]
        assert shapes.get(ask) == {"A": {"p": 1, "B": 2}, "C": 3}.get(ask)
        assert shapes == {"A": {"p": 1, "B": 2}, "C": 3} and list(shapes) == ["A", "C"]
    assert "B" not in model_text.load(text)["shapes"]


@pytest.mark.parametrize("text", ['{\n  "shapes":{\n    "A":{"p":1\n  }\n}', '{\n  "shapes":{\n    "A":{"p":1}\n  },\n}',
                                  '{\n  "shapes":{\n    "A":[1,],\n    "B":1\n  }\n}'])
def test_not_json_is_json_loads_error_when_the_member_is_asked_for(text):
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as raised:
        model_text.load(text)["shapes"]["A"]
    assert str(raised.value) == str(expected.value)


def test_a_run_without_the_cache_reads_the_models_member_by_member(monkeypatch):
    monkeypatch.setenv("MESHIFY_NO_CACHE", "1")
    service_models.model.cache_clear()
    try:
        assert cache.off()
        assert type(service_models.shapes("ecs")) is model_text._Members
        monkeypatch.delenv("MESHIFY_NO_CACHE")
        service_models.model.cache_clear()
        assert not cache.off() and type(service_models.shapes("ecs")) is dict
    finally:
        service_models.model.cache_clear()
