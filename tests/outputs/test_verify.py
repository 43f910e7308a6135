"""Every rewritten text is parsed again and must hold exactly the patched data before it is
written: the guard against a format-keeping editor writing something else than the patch
says. A JSON file's adds are checked backwards (each added value taken out again must leave
the file's data), without copying the data; anything else forwards, on a copy."""

from __future__ import annotations

import pytest
from meshify.injector.documents.document import Document
from meshify.injector.engine import runner
from meshify.injector.errors import InputError
from meshify.injector.outputs.patches import _verify

TEXT = '{\n  "family": "web",\n  "containerDefinitions": [\n    {\n      "name": "app"\n    }\n  ]\n}\n'
PATCH = [
    {"op": "add", "path": "/containerDefinitions/-", "value": {"name": "envoy", "essential": True}},
    {"op": "add", "path": "/containerDefinitions/0/dependsOn", "value": [{"containerName": "envoy"}]},
    {"op": "add", "path": "/containerDefinitions/1/user", "value": "1337"},
    {"op": "add", "path": "/proxyConfiguration", "value": {"type": "APPMESH"}},
]
RIGHT = ('{\n  "family": "web",\n  "containerDefinitions": [\n    {\n      "name": "app",\n      "dependsOn": [\n'
         '        {\n          "containerName": "envoy"\n        }\n      ]\n    },\n    {\n      "name": "envoy",\n'
         '      "essential": true,\n      "user": "1337"\n    }\n  ],\n  "proxyConfiguration": {\n'
         '    "type": "APPMESH"\n  }\n}\n')


def test_the_editors_text_passes():
    document = Document.load("td.json", TEXT)
    assert document.render(PATCH) == RIGHT
    _verify(document, PATCH, RIGHT)


def test_injects_patch_is_checked_without_copying_the_files_data(monkeypatch):
    def copied(value):
        raise AssertionError("the data was copied")

    monkeypatch.setattr(runner, "working_copy", copied)
    _verify(Document.load("td.json", TEXT), PATCH, RIGHT)


@pytest.mark.parametrize(("old", "new"), [
    ('"user": "1337"', '"user": "1338"'),  # a value other than the patch's
    (',\n      "user": "1337"', ''),  # an add left out
    ('"essential": true,', '"essential": true,\n      "extra": 1,'),  # something the patch does not add
    ('"family": "web"', '"family": "webb"'),  # the file's own data changed
    ('"containerName": "envoy"', '"containerName": "envoy", "condition": "START"'),  # inside an added value
])
def test_a_text_that_is_not_the_patched_data_is_refused(old, new):
    assert old in RIGHT
    with pytest.raises(RuntimeError, match=r"td\.json: the rewritten text does not match the patch"):
        _verify(Document.load("td.json", TEXT), PATCH, RIGHT.replace(old, new, 1))


@pytest.mark.parametrize(("old", "new"), [
    ('"user": "1337"', '"user": "1337",\n      "user": "1337"'),  # an added member written twice
    ('"name": "app",', '"name": "app",\n      "name": "app",'),  # a member of the file written twice
])
def test_a_member_written_twice_is_refused(old, new):
    with pytest.raises(InputError, match='duplicate key'):
        _verify(Document.load("td.json", TEXT), PATCH, RIGHT.replace(old, new, 1))


def test_an_add_that_replaces_a_member_is_checked_forwards():
    patch = [{"op": "add", "path": "/family", "value": "api"}, {"op": "add", "path": "/cpu", "value": "256"}]
    document = Document.load("td.json", TEXT)
    text = document.render(patch)
    _verify(document, patch, text)
    with pytest.raises(RuntimeError):
        _verify(document, patch, text.replace('"api"', '"web"'))


def test_removals_and_other_formats_are_checked_forwards():
    patch = [{"op": "remove", "path": "/containerDefinitions/0/name"}]
    document = Document.load("td.json", TEXT)
    _verify(document, patch, document.render(patch))
    with pytest.raises(RuntimeError):
        _verify(document, patch, TEXT)
    yaml = Document.load("td.yaml", "family: web\ncontainerDefinitions:\n  - name: app\n")
    _verify(yaml, PATCH[:2], yaml.render(PATCH[:2]))
    with pytest.raises(RuntimeError):
        _verify(yaml, PATCH[:2], yaml.render(PATCH[:1]))


def test_a_json_files_adds_are_checked_without_loading_the_text_as_a_document(monkeypatch):
    document = Document.load("td.json", TEXT)

    def loaded(*args, **kwargs):
        raise AssertionError("the new text was loaded as a document")

    monkeypatch.setattr(Document, "load", loaded)
    _verify(document, PATCH, RIGHT)


@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_line_endings_and_a_byte_order_mark_are_checked_as_the_file_is_written(bom):
    document = Document.load("td.json", bom + TEXT.replace("\n", "\r\n"))
    written = document.render(PATCH)
    assert written == bom + RIGHT.replace("\n", "\r\n")
    _verify(document, PATCH, written)
    with pytest.raises(RuntimeError, match="does not match the patch"):
        _verify(document, PATCH, written.replace('"1337"', '"1338"'))
    with pytest.raises(InputError, match="duplicate key"):
        _verify(document, PATCH, written.replace('"user": "1337"', '"user": "1337", "user": "1337"'))


@pytest.mark.parametrize(("text", "refusal"), [
    (RIGHT.replace('"essential": true', '"essential": NaN'), InputError),  # not JSON
    (RIGHT.replace('"name": "app"', '"name": ${app}'), RuntimeError),  # a bare placeholder: a template's text
    (RIGHT + "}", InputError),  # a bracket too many
    ("family: web\n", InputError),  # no longer JSON
])
def test_a_text_that_is_not_the_files_json_is_refused_as_the_full_check_refuses_it(text, refusal):
    with pytest.raises(refusal) as refused:
        _verify(Document.load("td.json", TEXT), PATCH, text)
    with pytest.raises(refusal) as loaded:
        Document.load("td.json", text).data  # what the full check meets  # noqa: B018
        raise RuntimeError("td.json: the rewritten text does not match the patch")
    assert str(refused.value) == str(loaded.value)
