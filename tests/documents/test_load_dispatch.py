"""``Document.load`` answers a ``.json`` path (not ``.tf.json``) without its chain of suffix
tests: the class it picks must be the chain's for every path and text, the ``.json`` ones
and those that only look like them."""

from __future__ import annotations

import pytest
from meshify.injector.documents import document as D
from meshify.injector.documents.document import Document


def _chain(path: str, text: str) -> type:
    """The class the suffix tests pick (Document.load before the shortcut; YAML as one class)."""
    if path.endswith(".tf"):
        return D.HclDocument
    if path.endswith(".tf.json"):
        return D.TerraformJsonDocument
    if path.endswith(".json.tpl") or (path.endswith(".tpl") and text.lstrip().startswith(("[", "{"))) \
            or D._has_bare_placeholder(text):
        return D.JsonTemplateDocument
    if D._is_yaml(path, text):
        return D.TextYamlDocument
    return D.JsonDocument


PATHS = ["td.json", "dir/td.json", ".json", "a.tf.json", "tf.json", "x.tf.json.json", "a.json.tpl", "a.tpl",
         "a.JSON", "a.json ", "a.jsonx", "ajson", "a.yaml", "a.yml", "a.json.yaml", "a.template", "a",
         "dir.json/td", "a.tf", "a.json.tf"]
TEXTS = ['{"family": "x", "containerDefinitions": []}\n', '{"cpu": ${cpu}, "containerDefinitions": []}',
         '{"image": "${IMAGE}", "containerDefinitions": []}', '[{"name": "app"}]\n',
         '\ufeff{"containerDefinitions": []}', 'family: x\ncontainerDefinitions: []\n',
         '{"a": "x ${y} z", "b": ${c}}', '  \n{"containerDefinitions": []}']


@pytest.mark.parametrize("path", PATHS)
def test_the_class_is_the_suffix_tests_for_every_path_and_text(path):
    for text in TEXTS:
        expected = _chain(path, text)
        if expected in (D.HclDocument, D.TerraformJsonDocument):
            continue  # not what the shortcut can answer; their parsers need real input
        try:
            found = Document.load(path, text, remember=False)
        except Exception as error:  # a text its class cannot read: the chain's class raised too
            with pytest.raises(type(error)):
                expected(path, text)
            continue
        assert type(found) is expected, (path, text)


def test_a_json_file_with_a_bare_placeholder_is_a_template_and_one_in_a_string_is_not():
    assert type(Document.load("td.json", '{"cpu": ${cpu}}')) is D.JsonTemplateDocument
    assert type(Document.load("td.json", '{"image": "${IMAGE}"}')) is D.JsonDocument
    assert type(Document.load("td.tf.json", '{"resource": {}}')) is D.TerraformJsonDocument
