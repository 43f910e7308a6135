"""Rewritten files keep their format byte for byte outside what inject owns."""

from __future__ import annotations

import json
import textwrap

import pytest
from golden_cases import SHOP
from meshify.injector.commands.inject import inject
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.inputs.task_definition import load_taskdef

TASKDEF = {
    "family": "products-api",
    "networkMode": "awsvpc",
    "containerDefinitions": [
        {"name": "app", "image": "app:1", "essential": True,
         "portMappings": [{"containerPort": 8080, "protocol": "tcp"}]},
    ],
}


def _inject_text(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text)
    return inject(load_manifest(str(SHOP / "meshify.yaml")), load_taskdef(str(path))).edit().render()


@pytest.mark.parametrize("indent", [2, 4, "\t"], ids=["2-spaces", "4-spaces", "tabs"])
@pytest.mark.parametrize("final_newline", [True, False], ids=["newline", "no-newline"])
def test_json_indentation_and_untouched_bytes_are_kept(tmp_path, indent, final_newline):
    original = json.dumps(TASKDEF, indent=indent) + ("\n" if final_newline else "")
    result = _inject_text(tmp_path, "td.json", original)
    unit = indent if isinstance(indent, str) else " " * indent
    # Everything before the end of the app container is unchanged...
    head = original[: original.index('"protocol": "tcp"')]
    assert result.startswith(head)
    # ...new lines use the file's own indentation step, and the final newline is as it was.
    assert f"\n{unit * 3}\"name\": \"envoy\"," in result
    assert result.endswith("}\n") if final_newline else result.endswith("}")
    assert json.loads(result)["containerDefinitions"][1]["name"] == "envoy"


def test_json_inline_arrays_and_odd_spacing_survive(tmp_path):
    original = textwrap.dedent("""\
        {
          "family":   "products-api",
          "networkMode": "awsvpc",
          "requiresCompatibilities": ["FARGATE"],
          "containerDefinitions": [
            {"name": "app", "image": "app:1",
             "portMappings": [{"containerPort": 8080}]}
          ]
        }
        """)
    result = _inject_text(tmp_path, "td.json", original)
    assert result.startswith('{\n  "family":   "products-api",\n  "networkMode": "awsvpc",\n'
                             '  "requiresCompatibilities": ["FARGATE"],\n')
    assert '"portMappings": [{"containerPort": 8080}], "dependsOn": [{"containerName": "envoy", "condition": "HEALTHY"}]}' \
        in result


def test_yaml_comments_key_order_and_quoting_survive(tmp_path):
    original = textwrap.dedent("""\
        # The products API: kept as YAML on purpose.
        family: products-api   # claimed by products-v1
        networkMode: awsvpc
        cpu: '512'             # single-quoted, and stays so
        containerDefinitions:
          # the application
          - name: app
            image: "app:1"
            essential: true
            portMappings:
              - containerPort: 8080
        tags: [{key: team, value: shop}]
        """)
    result = _inject_text(tmp_path, "td.yaml", original)
    untouched = original[: original.index("tags:")]  # every line before the injected ones, byte for byte
    assert result.startswith(untouched + "    dependsOn:\n      - containerName: envoy\n        condition: HEALTHY\n"
                                          "  - name: envoy\n")
    assert "tags: [{key: team, value: shop}]\nproxyConfiguration:\n  type: APPMESH\n" in result
    assert "    user: '1337'\n" in result  # new scalars quoted the way the file quotes


def test_unchanged_file_is_returned_byte_for_byte(tmp_path):
    text = (SHOP / "taskdefs/products-api.json").read_text()
    first = _inject_text(tmp_path, "a.json", text)
    assert _inject_text(tmp_path, "b.json", first) == first


def test_yaml_replace_and_remove_keep_the_comments():
    """What T210 and T213 do to a gateway's YAML task definition: remove and replace."""
    from meshify.injector.documents.document import Document

    document = Document.load("td.yaml", textwrap.dedent("""\
        # the gateway
        family: shop-ingress   # claimed by shop-gateway
        containerDefinitions:
          - name: envoy  # the proxy
            user: "1337"
            image: a:1
        proxyConfiguration: {type: APPMESH}
        """))
    result = document.render([{"op": "remove", "path": "/containerDefinitions/0/user"},
                              {"op": "replace", "path": "/containerDefinitions/0/image", "value": "b:2"},
                              {"op": "remove", "path": "/proxyConfiguration"}])
    assert result == textwrap.dedent("""\
        # the gateway
        family: shop-ingress   # claimed by shop-gateway
        containerDefinitions:
          - name: envoy  # the proxy
            image: b:2
        """)
