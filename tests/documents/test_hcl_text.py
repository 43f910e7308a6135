"""Tests for hcl_text: positions, value classification, JSON-in-string mapping, byte-exact edits."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import jsonpatch
import pytest
from golden_cases import CORPUS
from meshify.injector.documents import hcl_text
from meshify.injector.documents.hcl_text import FileCall, HclError, Reference, Unknown, apply, parse

HERE = Path(__file__).resolve().parents[2] / "fixtures" / "terraform"
APP_TF = (HERE / "app.tf").read_text()
TD = "/resource/aws_ecs_task_definition/ledger"


def _at(doc: hcl_text.HclDocument, pointer: str) -> str:
    start, end = doc.span(pointer)
    return doc.text[start:end]


# ---------------------------------------------------------------------------------------------
# .data shape and positions


def test_data_shape() -> None:
    doc = parse(APP_TF)
    td = doc.data["resource"]["aws_ecs_task_definition"]["ledger"]
    assert td["cpu"] == 512
    assert td["requires_compatibilities"] == ["FARGATE"]
    assert td["container_definitions"][0]["portMappings"] == [{"containerPort": 8080, "protocol": "tcp"}]
    assert td["container_definitions"][0]["logConfiguration"]["options"]["awslogs-group"] == "/ecs/ledger"
    assert doc.data["variable"]["region"]["default"] == "eu-west-1"
    assert doc.data["locals"] == {"app_port": 8080}
    vn = doc.data["resource"]["aws_appmesh_virtual_node"]["ledger"]
    # nested blocks are always lists, as python-hcl2 loads them
    assert vn["spec"][0]["listener"][0]["port_mapping"] == [{"port": 8080, "protocol": "http"}]


def test_positions_at_several_depths() -> None:
    doc = parse(APP_TF)
    assert doc.position("/variable/region/default") == (5, 13)
    assert doc.position("/locals/app_port") == (9, 14)
    assert doc.position(TD + "/cpu") == (16, 30)
    assert doc.position(TD + "/container_definitions") == (20, 27)
    assert doc.position(TD + "/container_definitions/0") == (21, 5)
    assert doc.position(TD + "/container_definitions/0/image") == (23, 19)
    assert doc.position(TD + "/container_definitions/0/portMappings/0/protocol") == (26, 44)
    assert doc.position(TD + "/container_definitions/0/environment/1/value") == (30, 36)
    assert doc.position(TD + "/container_definitions/0/logConfiguration/options/awslogs-region") == (36, 30)
    assert doc.position("/resource/aws_appmesh_virtual_node/ledger/spec/0/listener/0/port_mapping/0/port") == (54, 20)
    assert _at(doc, TD + "/container_definitions/0/environment/1/value") == "var.region"
    # key spans: attribute names, object keys (quoted keys include their quotes), block labels
    assert doc.key_position(TD + "/container_definitions/0/image") == (23, 7)
    assert doc.text[slice(*doc.key_span(TD + "/container_definitions/0/logConfiguration/options/awslogs-group"))] == \
        '"awslogs-group"'
    assert doc.text[slice(*doc.key_span(TD))] == '"ledger"'
    assert doc.position(TD) == (12, 1)  # a block's span is the whole block
    assert _at(doc, TD).endswith("}") and _at(doc, TD).startswith("resource")


def test_columns_count_characters_not_bytes() -> None:
    doc = parse('locals {\n  a = "héllo wörld" # ü\n  b = { "ключ" = 1, c = 2 }\n}\n')
    assert doc.data["locals"]["b"] == {"ключ": 1, "c": 2}
    assert doc.position("/locals/b/c") == (3, 25)
    assert _at(doc, "/locals/a") == '"héllo wörld"'


def test_every_pointer_has_a_span() -> None:
    doc = parse(APP_TF)

    def walk(value: Any, pointer: str) -> None:
        doc.span(pointer)
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{pointer}/{k.replace('~', '~0').replace('/', '~1')}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{pointer}/{i}")

    walk(doc.data, "")


# ---------------------------------------------------------------------------------------------
# Unknown / Reference / FileCall


def test_unknown_reference_filecall() -> None:
    doc = parse(
        """locals {
  a = var.region
  b = aws_appmesh_virtual_node.app.arn
  c = "${var.name}-svc"
  d = file("${path.module}/templates/app.json")
  e = templatefile("t.json.tpl", { image = var.image })
  f = format("%s-x", var.a)
  g = var.on ? "a" : "b"
  h = [for s in var.l : upper(s)]
  i = "${aws_vpc.main.id}"
  j = local.list[0].name
  k = aws_subnet.private.*.id
  l = file(var.path)
  m = -3
  n = 1.5e3
  o = "$${literal}"
}
"""
    )
    loc = doc.data["locals"]
    assert loc["a"] == Reference("var.region", ("var", "region"))
    assert loc["b"] == Reference("aws_appmesh_virtual_node.app.arn", ("aws_appmesh_virtual_node", "app", "arn"))
    assert loc["c"] == Unknown('"${var.name}-svc"')
    assert loc["d"] == FileCall("file", "templates/app.json", 'file("${path.module}/templates/app.json")')
    assert loc["e"] == FileCall("templatefile", "t.json.tpl", 'templatefile("t.json.tpl", { image = var.image })')
    assert loc["f"] == Unknown('format("%s-x", var.a)')
    assert loc["g"] == Unknown('var.on ? "a" : "b"')
    assert loc["h"] == Unknown("[for s in var.l : upper(s)]")
    assert loc["i"] == Reference('"${aws_vpc.main.id}"', ("aws_vpc", "main", "id"))
    assert loc["j"] == Reference("local.list[0].name", ("local", "list", "0", "name"))
    assert type(loc["k"]) is Unknown
    assert type(loc["l"]) is Unknown
    assert (loc["m"], loc["n"], loc["o"]) == (-3, 1500.0, "${literal}")
    assert all(isinstance(v, Unknown) for v in (loc["a"], loc["d"]))  # Reference and FileCall are Unknowns


# ---------------------------------------------------------------------------------------------
# JSON inside strings


JSON_TF = """resource "aws_ecs_task_definition" "x" {
  family                = "x"
  container_definitions = <<EOF
[
  {"name": "app", "image": "nginx", "cpu": "ten"}
]
EOF
  flush = <<-EOT
    [
      {"name": "b"}
    ]
    EOT
  quoted = "[{\\"name\\": \\"q\\", \\"memory\\": \\u0031}]"
}
"""


def test_heredoc_json_offsets() -> None:
    doc = parse(JSON_TF)
    ptr = "/resource/aws_ecs_task_definition/x/container_definitions"
    span = doc.json_spans[ptr]
    assert span.kind == "heredoc"
    assert doc.data["resource"]["aws_ecs_task_definition"]["x"]["container_definitions"] == span.text
    assert doc.offset_to_position(span.start) == (4, 1)
    # a JSON parser's position inside the string maps to the file
    index = span.text.index('"ten"')
    assert doc.offset_to_position(span.file_offset(index)) == (5, 44)
    assert json.loads(span.text)[0]["cpu"] == "ten"


def test_flush_heredoc_and_quoted_json_offsets() -> None:
    doc = parse(JSON_TF)
    flush = doc.json_spans["/resource/aws_ecs_task_definition/x/flush"]
    assert flush.text == '[\n  {"name": "b"}\n]\n'
    assert doc.offset_to_position(flush.file_offset(flush.text.index("name"))) == (10, 9)
    quoted = doc.json_spans["/resource/aws_ecs_task_definition/x/quoted"]
    assert quoted.kind == "quoted"
    assert json.loads(quoted.text) == [{"name": "q", "memory": 1}]
    # the decoded "1" came from the escape \u0031: map back to where the escape starts
    where = quoted.file_offset(quoted.text.index("1"))
    assert doc.text[where : where + 6] == "\\u0031"
    with pytest.raises(json.JSONDecodeError) as err:
        json.loads(quoted.text.replace("1", "x"))
    assert doc.offset_to_position(quoted.file_offset(err.value.pos)) == (13, 44)


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('resource "a" "b" {\n  x = \n}\n', 2, 5),
        ('locals {\n  a = [1, 2\n  b = 3\n}\n', 3, 3),
        ('locals {\n  a = "x"\n', 3, 1),
        ('locals {\n  a = "é" ]\n}\n', 2, 11),
    ],
)
def test_syntax_error_position(text: str, line: int, column: int) -> None:
    with pytest.raises(HclError) as err:
        parse(text)
    assert (err.value.line, err.value.column) == (line, column), err.value.message
    assert isinstance(err.value, ValueError)


def test_duplicate_resource_is_an_error() -> None:
    with pytest.raises(HclError) as err:
        parse('resource "a" "b" {}\nresource "a" "b" {}\n')
    assert (err.value.line, err.value.column) == (2, 1)


# ---------------------------------------------------------------------------------------------
# Golden edits: the whole output text is the input with one literal snippet replaced


def _edit(ops: list[dict[str, Any]], old: str, new: str, text: str = APP_TF) -> None:
    doc = parse(text)
    assert text.count(old) == 1
    out = apply(doc, ops)
    assert out == text.replace(old, new)
    assert parse(out).data == jsonpatch.apply_patch(doc.data, ops)


def test_golden_add_container_to_jsonencode_list() -> None:
    envoy = {
        "name": "envoy",
        "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.27.3.0-prod",
        "essential": True,
        "user": "1337",
        "environment": [{"name": "APPMESH_RESOURCE_ARN", "value": "mesh/main/virtualNode/ledger-vn"}],
        "healthCheck": {"command": ["CMD-SHELL", "curl -s http://localhost:9901/ready"], "interval": 5},
    }
    old = """          "awslogs-region" = var.region
        }
      }
    }
  ])
"""
    new = """          "awslogs-region" = var.region
        }
      }
    },
    {
      name      = "envoy"
      image     = "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.27.3.0-prod"
      essential = true
      user      = "1337"
      environment = [
        {
          name  = "APPMESH_RESOURCE_ARN"
          value = "mesh/main/virtualNode/ledger-vn"
        }
      ]
      healthCheck = {
        command  = ["CMD-SHELL", "curl -s http://localhost:9901/ready"]
        interval = 5
      }
    }
  ])
"""
    _edit([{"op": "add", "path": TD + "/container_definitions/-", "value": envoy}], old, new)


def test_golden_add_env_var() -> None:
    old = """        { name = "REGION", value = var.region },
      ]"""
    new = """        { name = "REGION", value = var.region },
        { name = "ENVOY_LOG_LEVEL", value = "info" },
      ]"""
    op = {"op": "add", "path": TD + "/container_definitions/0/environment/-", "value": {"name": "ENVOY_LOG_LEVEL", "value": "info"}}
    _edit([op], old, new)


def test_golden_add_proxy_configuration_block() -> None:
    value = [{
        "type": "APPMESH",
        "container_name": "envoy",
        "properties": {"AppPorts": "8080", "EgressIgnoredIPs": "169.254.170.2,169.254.169.254", "IgnoredUID": "1337",
                       "ProxyEgressPort": 15001, "ProxyIngressPort": 15000},
    }]
    old = """    Team = "payments"
  }
}
"""
    new = """    Team = "payments"
  }

  proxy_configuration {
    type           = "APPMESH"
    container_name = "envoy"
    properties = {
      AppPorts         = "8080"
      EgressIgnoredIPs = "169.254.170.2,169.254.169.254"
      IgnoredUID       = "1337"
      ProxyEgressPort  = 15001
      ProxyIngressPort = 15000
    }
  }
}
"""
    _edit([{"op": "add", "path": TD + "/proxy_configuration", "value": value}], old, new)


def test_golden_replace_string() -> None:
    old = 'image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger:1.4"'
    new = 'image     = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger:1.5"'
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger:1.5"
    op = {"op": "replace", "path": TD + "/container_definitions/0/image", "value": image}
    _edit([op], old, new)


def test_golden_remove_list_element() -> None:
    old = """      environment = [
        { name = "PORT", value = "8080" },
        { name = "REGION", value = var.region },
      ]"""
    new = """      environment = [
        { name = "REGION", value = var.region },
      ]"""
    _edit([{"op": "remove", "path": TD + "/container_definitions/0/environment/0"}], old, new)


def test_golden_remove_only_element_leaves_empty_list() -> None:
    old = """      portMappings = [
        { containerPort = 8080, protocol = "tcp" }
      ]"""
    _edit([{"op": "remove", "path": TD + "/container_definitions/0/portMappings/0"}], old, "      portMappings = []")


def test_golden_remove_last_element_without_trailing_comma() -> None:
    text = 'locals {\n  l = [\n    "a",\n    "b"\n  ]\n  m = [1, 2, 3]\n}\n'
    _edit([{"op": "remove", "path": "/locals/l/1"}], '    "a",\n    "b"\n', '    "a"\n', text)
    _edit([{"op": "remove", "path": "/locals/m/2"}], "[1, 2, 3]", "[1, 2]", text)
    _edit([{"op": "remove", "path": "/locals/m/1"}], "[1, 2, 3]", "[1, 3]", text)
    _edit([{"op": "add", "path": "/locals/l/-", "value": "c"}], '    "b"\n', '    "b",\n    "c"\n', text)
    _edit([{"op": "add", "path": "/locals/m/0", "value": 0}], "[1, 2, 3]", "[0, 1, 2, 3]", text)


def test_golden_json_style_siblings() -> None:
    text = """resource "aws_ecs_task_definition" "x" {
  container_definitions = jsonencode([
    {
      "name": "app",
      "image": "nginx"
    }
  ])
}
"""
    old = """      "image": "nginx"
    }
  ])"""
    new = """      "image": "nginx"
    },
    {
      "name": "envoy",
      "ulimits": [
        {
          "name": "nofile",
          "softLimit": 15000
        }
      ]
    }
  ])"""
    value = {"name": "envoy", "ulimits": [{"name": "nofile", "softLimit": 15000}]}
    _edit([{"op": "add", "path": "/resource/aws_ecs_task_definition/x/container_definitions/-", "value": value}], old, new, text)


def test_unknowns_untouched_and_comments_kept() -> None:
    doc = parse(APP_TF)
    out = apply(doc, [{"op": "replace", "path": "/locals/app_port", "value": 9090}])
    assert out == APP_TF.replace("app_port = 8080 # the port", "app_port = 9090 # the port")
    # an Unknown can be replaced when targeted exactly; its neighbours stay as written
    out = apply(doc, [{"op": "replace", "path": TD + "/container_definitions/0/environment/1/value", "value": "eu-west-1"}])
    assert out == APP_TF.replace('"REGION", value = var.region', '"REGION", value = "eu-west-1"')


def test_crlf_preserved() -> None:
    text = APP_TF.replace("\n", "\r\n")
    doc = parse(text)
    ops = [
        {"op": "add", "path": TD + "/proxy_configuration", "value": [{"type": "APPMESH", "properties": {"AppPorts": "8080"}}]},
        {"op": "add", "path": TD + "/container_definitions/-", "value": {"name": "envoy", "image": "e"}},
        {"op": "remove", "path": TD + "/container_definitions/0/environment/0"},
    ]
    out = apply(doc, ops)
    assert "\n" not in out.replace("\r\n", "")
    assert parse(out).data == jsonpatch.apply_patch(doc.data, ops)
    assert out == apply(parse(APP_TF), ops).replace("\n", "\r\n")


def test_heredoc_replaced_as_heredoc() -> None:
    doc = parse(JSON_TF)
    ptr = "/resource/aws_ecs_task_definition/x/container_definitions"
    out = apply(doc, [{"op": "replace", "path": ptr, "value": '[{"name": "${x}"}]\n'}])
    assert '<<EOF\n[{"name": "$${x}"}]\nEOF\n' in out
    assert parse(out).data["resource"]["aws_ecs_task_definition"]["x"]["container_definitions"] == '[{"name": "${x}"}]\n'


def test_blocks_and_top_level_edits() -> None:
    doc = parse(APP_TF)
    ops: list[dict[str, Any]] = [
        {"op": "add", "path": "/resource/aws_appmesh_virtual_node/ledger/spec/0/listener/-",
         "value": {"port_mapping": [{"port": 9090, "protocol": "grpc"}]}},
        {"op": "remove", "path": "/resource/aws_appmesh_virtual_node/ledger/spec/0/service_discovery"},
        {"op": "add", "path": "/resource/aws_appmesh_virtual_service", "value": {"ledger": {"name": "ledger.local", "spec": [{}]}}},
        {"op": "add", "path": "/variable/envoy_image", "value": {"default": "x"}},
        {"op": "replace", "path": TD + "/tags", "value": {"Team": "payments", "Mesh": "main"}},
        {"op": "move", "from": "/locals/app_port", "path": "/locals/port"},
        {"op": "copy", "from": TD + "/cpu", "path": TD + "/container_definitions/0/cpu"},
        {"op": "test", "path": TD + "/memory", "value": 1024},
    ]
    out = apply(doc, ops)
    assert parse(out).data == jsonpatch.apply_patch(doc.data, ops)
    assert 'resource "aws_appmesh_virtual_service" "ledger" {\n  name = "ledger.local"\n  spec {}\n}' in out


# ---------------------------------------------------------------------------------------------
# Round-trip property and python-hcl2 cross-check on real files


def _tf_files() -> list[Path]:
    files = sorted(HERE.rglob("*.tf"))
    if CORPUS.is_dir():
        files += sorted(CORPUS.rglob("*.tf"))
    for extra in filter(None, os.environ.get("HCL_TEXT_EXTRA_TF", "").split(os.pathsep)):  # local runs only
        files += sorted(Path(extra).rglob("*.tf"))
    return files


def _mesh_resources(data: dict[str, Any]) -> list[str]:
    out = []
    for rtype, named in data.get("resource", {}).items():
        if rtype == "aws_ecs_task_definition" or rtype.startswith("aws_appmesh_"):
            out += [f"/resource/{rtype}/{name}" for name in named]
    return out


def _ops_for(value: Any, pointer: str) -> list[dict[str, Any]]:
    """One op for every place under ``pointer``: replace scalars, add to containers, remove items."""
    ops: list[dict[str, Any]] = []
    if isinstance(value, dict):
        ops.append({"op": "add", "path": pointer + "/meshify_new", "value": {"k": "v", "n": [1, 2]}})
        for k, v in value.items():
            ops += _ops_for(v, f"{pointer}/{k.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        ops.append({"op": "add", "path": pointer + "/-", "value": copy.deepcopy(value[0]) if value else "x"})
        for i, v in enumerate(value):
            ops.append({"op": "remove", "path": f"{pointer}/{i}"})
            ops += _ops_for(v, f"{pointer}/{i}")
    elif isinstance(value, str):
        ops.append({"op": "replace", "path": pointer, "value": value + "-edited"})
    elif not isinstance(value, Unknown):
        ops.append({"op": "replace", "path": pointer, "value": "replaced"})
    return ops


@pytest.mark.parametrize("path", _tf_files(), ids=str)
def test_round_trip_property(path: Path) -> None:
    text = path.read_text()
    doc = parse(text)
    resources = _mesh_resources(doc.data)
    ops = [op for r in resources for op in _ops_for(jsonpatch.JsonPointer(r).resolve(doc.data), r)]
    if "locals" in doc.data:
        ops.append({"op": "add", "path": "/locals/meshify_added", "value": "x"})
    mesh = doc.data.get("resource", {}).get("aws_appmesh_mesh")
    if "resource" in doc.data:
            ops.append({"op": "add", "path": "/resource/aws_appmesh_mesh/meshify_added", "value": {"name": "m"}} if mesh else
                   {"op": "add", "path": "/resource/aws_appmesh_mesh", "value": {"meshify_added": {"name": "m"}}})
    for op in ops:
        if op["op"] == "remove" and _only_block(doc, op["path"]):
            continue  # see test_removing_the_only_block_removes_the_key
        here = [doc._entries.get(hcl_text._split_pointer(p)) for p in (op["path"], op["path"].rsplit("/", 1)[0])]
        if any(e is not None and e.kind == "labelled" for e in here):
            continue  # dynamic "x" { }: the label level is not editable (NOTES.md)
        out = apply(doc, [op])
        assert parse(out).data == jsonpatch.apply_patch(doc.data, [op]), op
        # byte-exact outside the edit: a common prefix and suffix cover everything but one region
        pre = _common_prefix(text, out)
        suf = _common_prefix(text[pre:][::-1], out[pre:][::-1])
        changed = text[pre : len(text) - suf]
        assert len(changed) <= len(text) // 2 or op["op"] == "remove", op


def _only_block(doc: hcl_text.HclDocument, pointer: str) -> bool:
    parent = pointer.rsplit("/", 1)[0]
    value = jsonpatch.JsonPointer(parent).resolve(doc.data)
    return doc._entries[hcl_text._split_pointer(pointer)].kind == "block" and isinstance(value, list) and len(value) == 1


def test_removing_the_only_block_removes_the_key() -> None:
    # HCL cannot write "zero spec blocks" apart from "no spec": the key goes, not an empty list.
    # The last item of a body goes with the blank line before it (what adding a block puts there).
    doc = parse(APP_TF)
    out = apply(doc, [{"op": "remove", "path": "/resource/aws_appmesh_virtual_node/ledger/spec/0"}])
    assert "spec" not in parse(out).data["resource"]["aws_appmesh_virtual_node"]["ledger"]
    assert 'mesh_name = aws_appmesh_mesh.main.id\n}' in out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _unquote(v: Any) -> Any:
    """python-hcl2 v8 keeps quotes on strings and labels, and __is_block__ markers: remove them."""
    if isinstance(v, str) and len(v) >= 2 and v[0] == v[-1] == '"':
        return hcl_text._decode_quoted(v[1:-1], 0)[0]
    if isinstance(v, list):
        return [_unquote(x) for x in v]
    if isinstance(v, dict):
        return {_unquote(k): _unquote(x) for k, x in v.items() if k not in ("__is_block__", "__comments__", "__inline_comments__")}
    return v


def _comparable(mine: Any, theirs: Any, where: str) -> None:
    """Compare literal values; skip what python-hcl2 leaves as expression text (${...}, heredocs)."""
    if isinstance(mine, Unknown) or (isinstance(theirs, str) and (theirs.startswith(("${", "<<")))):
        return
    if isinstance(mine, dict):
        assert isinstance(theirs, dict) and set(mine) == set(theirs), where
        for k in mine:
            _comparable(mine[k], theirs[k], f"{where}/{k}")
    elif isinstance(mine, list):
        assert isinstance(theirs, list) and len(mine) == len(theirs), where
        for i, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            _comparable(a, b, f"{where}/{i}")
    else:
        assert mine == theirs, where


@pytest.mark.parametrize("path", _tf_files(), ids=str)
def test_agrees_with_python_hcl2(path: Path) -> None:
    hcl2 = pytest.importorskip("hcl2")
    text = path.read_text()
    doc = parse(text)
    theirs = _unquote(hcl2.loads(text))
    for item in theirs.get("resource", []):
        for rtype, named in item.items():
            if rtype == "aws_ecs_task_definition" or rtype.startswith("aws_appmesh_"):
                for name, body in named.items():
                    _comparable(doc.data["resource"][rtype][name], body, f"/resource/{rtype}/{name}")
