"""yaml_text: positions, short-form tags, errors and bounds, byte-exact edits, and the corpus property."""

from __future__ import annotations

import difflib
import glob
import json
import os
import re
import time
from typing import Any

import golden_cases
import jsonpatch
import pytest
from meshify.injector.documents.yaml_text import YamlError, apply, load

CORPUS = str(golden_cases.CORPUS)


def check(text: str, ops: list[dict[str, Any]]) -> str:
    """apply, then assert the property: re-loaded data == jsonpatch on the data."""
    doc = load(text, "t.yaml")
    new = apply(doc, ops)
    assert load(new, "t.yaml").data == jsonpatch.apply_patch(doc.data, ops)
    return new


# -- loading and positions ---------------------------------------------------------------------------------------

TEMPLATE = """\
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      ContainerDefinitions:
        - Name: app   # the app
          Image: !Sub '${Repo}:latest'
          Environment:
            - Name: REGION
              Value: !Ref AWS::Region
        - Name: envoy
          Image: envoy
"""


def test_positions() -> None:
    doc = load(TEMPLATE, "t.yaml")
    base = "/Resources/Task/Properties/ContainerDefinitions"
    assert doc.position(f"{base}/0/Name") == (6, 17)
    assert doc.key_position(f"{base}/0/Name") == (6, 11)
    assert doc.position(f"{base}/0") == (6, 11)
    assert doc.key_position(f"{base}/0") == (6, 9)
    assert doc.position(f"{base}/0/Environment/0/Value") == (10, 22)
    assert doc.position(f"{base}/0/Environment/0/Value/Ref") == (10, 22)  # inside an intrinsic: the tagged node
    assert doc.position(f"{base}/1/Image") == (12, 18)
    assert doc.position("") == (1, 1)
    with pytest.raises(KeyError):
        doc.position(f"{base}/2")


ALL_TAGS = """\
a: !Ref X
b: !GetAtt A.B.C
c: !GetAtt [A, B]
d: !Sub '${X}-y'
e: !Sub ['${X}', {X: 1}]
f: !Join [',', [a, b]]
g: !If [C, 1, !Ref AWS::NoValue]
h: !FindInMap [M, K, V]
i: !ImportValue exp
j: !Select [0, !GetAZs '']
k: !Split [',', 'a,b']
l: !Base64 abc
m: !Cidr [10.0.0.0/16, 4, 8]
n: !GetAZs us-east-1
o: !Equals [a, b]
p: !And [!Condition A, !Not [!Condition B]]
q: !Or [!Condition A, !Condition B]
r: !Sub
  - '${A}'
  - A: !Ref X
"""


def test_every_short_form_tag() -> None:
    assert load(ALL_TAGS).data == {
        "a": {"Ref": "X"},
        "b": {"Fn::GetAtt": ["A", "B.C"]},
        "c": {"Fn::GetAtt": ["A", "B"]},
        "d": {"Fn::Sub": "${X}-y"},
        "e": {"Fn::Sub": ["${X}", {"X": 1}]},
        "f": {"Fn::Join": [",", ["a", "b"]]},
        "g": {"Fn::If": ["C", 1, {"Ref": "AWS::NoValue"}]},
        "h": {"Fn::FindInMap": ["M", "K", "V"]},
        "i": {"Fn::ImportValue": "exp"},
        "j": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        "k": {"Fn::Split": [",", "a,b"]},
        "l": {"Fn::Base64": "abc"},
        "m": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
        "n": {"Fn::GetAZs": "us-east-1"},
        "o": {"Fn::Equals": ["a", "b"]},
        "p": {"Fn::And": [{"Condition": "A"}, {"Fn::Not": [{"Condition": "B"}]}]},
        "q": {"Fn::Or": [{"Condition": "A"}, {"Condition": "B"}]},
        "r": {"Fn::Sub": ["${A}", {"A": {"Ref": "X"}}]},
    }


def test_yaml_and_json_give_the_same_data() -> None:
    as_json = {"Resources": {"T": {"Properties": {"V": {"Fn::GetAtt": ["A", "B"]}, "W": {"Ref": "X"}, "N": 1, "B": True}}}}
    as_yaml = "Resources:\n  T:\n    Properties:\n      V: !GetAtt A.B\n      W: !Ref X\n      N: 1\n      B: true\n"
    assert load(as_yaml).data == as_json == load(json.dumps(as_json)).data


def test_scalars_and_keys() -> None:
    assert load("v: 2010-09-09\n80: 2\nq: '1'\nn: ~\nf: 1.5\nx: 0x10\ny: yes\n").data == {
        "v": "2010-09-09",  # timestamps stay strings (AWSTemplateFormatVersion)
        "80": 2,  # keys as written: JSON templates only have string keys
        "q": "1",
        "n": None,
        "f": 1.5,
        "x": 16,
        "y": "yes",  # YAML 1.2, as ruamel reads it
    }
    e = error("'80': 1\n80: 2\n")  # the same key for JSON
    assert (e.line, e.column) == (2, 1)


def test_anchors_aliases_merge() -> None:
    text = "base: &b {x: 1, y: 2}\nuse: *b\nmerged:\n  <<: *b\n  y: 3\n"
    doc = load(text)
    assert doc.data == {"base": {"x": 1, "y": 2}, "use": {"x": 1, "y": 2}, "merged": {"x": 1, "y": 3}}
    assert doc.data["use"] is not doc.data["base"]  # expanded copies, like JSON
    assert doc.position("/use") == (2, 6)  # the alias
    assert doc.position("/use/x") == (1, 14)  # where the value is written
    assert doc.position("/merged/x") == (1, 14)
    assert doc.position("/merged/y") == (5, 6)


def test_bom_and_crlf_positions() -> None:
    doc = load("\ufeffa: 1\r\nb:\r\n  - x\r\n")
    assert doc.data == {"a": 1, "b": ["x"]}
    assert doc.position("/a") == (1, 4)
    assert doc.position("/b/0") == (3, 5)


# -- errors ------------------------------------------------------------------------------------------------------


def error(text: str) -> YamlError:
    with pytest.raises(YamlError) as info:
        load(text, "bad.yaml")
    return info.value


def test_unknown_tag() -> None:
    e = error("a:\n  b: !Foo x\n")
    assert (e.line, e.column) == (2, 6) and "!Foo" in e.message and str(e).startswith("bad.yaml:2:6:")


def test_bad_indentation() -> None:
    e = error("a:\n  b: 1\n c: 2\n")
    assert (e.line, e.column) == (3, 2)


def test_unclosed_flow() -> None:
    e = error("a: [1, 2\nb: 3\n")
    assert e.line == 2


def test_duplicate_key() -> None:
    e = error("a: 1\nb: 2\na: 3\n")
    assert (e.line, e.column) == (3, 1) and "duplicate" in e.message


def test_undefined_alias() -> None:
    e = error("a: *nope\n")
    assert (e.line, e.column) == (1, 4)


def test_alias_bomb() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=False):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    started = time.perf_counter()
    e = error("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0
    assert "alias expansion" in e.message
    assert e.line == 6  # f: [*e x 10] is the first written node over budget (1,111,111 nodes)


def test_deep_flow_nesting() -> None:
    started = time.perf_counter()
    e = error("[" * 100_000)
    assert time.perf_counter() - started < 1.0
    assert "nesting" in e.message and e.line == 1 and e.column == 201


def test_deep_block_nesting() -> None:
    text = "".join(" " * i + "k:\n" for i in range(300))
    e = error(text)
    assert "nesting" in e.message and e.line == 201


def test_deep_data_through_aliases() -> None:
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 250)]
    e = error("\n".join(lines) + "\n")
    assert "nesting" in e.message


def test_huge_integer() -> None:
    e = error("a: 1\nb: " + "9" * 5000 + "\n")
    assert (e.line, e.column) == (2, 4)


# -- byte-exact edits --------------------------------------------------------------------------------------------


def test_append_container_with_short_form_ref() -> None:
    new = check(
        TEMPLATE,
        [
            {
                "op": "add",
                "path": "/Resources/Task/Properties/ContainerDefinitions/-",
                "value": {
                    "Name": "xray",
                    "Image": "amazon/aws-xray-daemon",
                    "Environment": [{"Name": "AWS_REGION", "Value": {"Ref": "AWS::Region"}}],
                    "Command": {"Fn::Sub": "--region ${AWS::Region}"},
                    "Essential": False,
                    "Port": 2000,
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                },
            }
        ],
    )
    assert new == TEMPLATE + (
        "        - Name: xray\n"
        "          Image: amazon/aws-xray-daemon\n"
        "          Environment:\n"
        "            - Name: AWS_REGION\n"
        "              Value: !Ref AWS::Region\n"
        "          Command: !Sub '--region ${AWS::Region}'\n"
        "          Essential: false\n"
        "          Port: 2000\n"
        "          Role: !GetAtt Role.Arn\n"
    )


DEPENDS = """\
Resources:
  Service:
    Type: AWS::ECS::Service
    DependsOn:
    - Listener   # not indented under the key
    Properties:
      Cluster: !Ref Cluster
"""


def test_add_depends_on_entry() -> None:
    new = check(DEPENDS, [{"op": "add", "path": "/Resources/Service/DependsOn/-", "value": "Mesh"}])
    assert new == DEPENDS.replace("key\n", "key\n    - Mesh\n")
    new = check(DEPENDS, [{"op": "add", "path": "/Resources/Service/DependsOn/0", "value": "First"}])
    assert new == DEPENDS.replace("    - Listener", "    - First\n    - Listener")


def test_add_proxy_configuration_block() -> None:
    new = check(
        TEMPLATE,
        [
            {
                "op": "add",
                "path": "/Resources/Task/Properties/ProxyConfiguration",
                "value": {
                    "Type": "APPMESH",
                    "ContainerName": "envoy",
                    "ProxyConfigurationProperties": [
                        {"Name": "IgnoredUID", "Value": "1337"},
                        {"Name": "AppPorts", "Value": "8080"},
                    ],
                },
            }
        ],
    )
    assert new == TEMPLATE + (
        "      ProxyConfiguration:\n"
        "        Type: APPMESH\n"
        "        ContainerName: envoy\n"
        "        ProxyConfigurationProperties:\n"
        "          - Name: IgnoredUID\n"
        "            Value: '1337'\n"
        "          - Name: AppPorts\n"
        "            Value: '8080'\n"
    )


def test_remove_container() -> None:
    new = check(TEMPLATE, [{"op": "remove", "path": "/Resources/Task/Properties/ContainerDefinitions/0"}])
    assert new == TEMPLATE.replace(TEMPLATE[TEMPLATE.index("        - Name: app") : TEMPLATE.index("        - Name: envoy")], "")
    new = check(TEMPLATE, [{"op": "remove", "path": "/Resources/Task/Properties/ContainerDefinitions/0/Name"}])
    assert new == TEMPLATE.replace("- Name: app   # the app\n          Image: !Sub", "- Image: !Sub")


def test_replace_values() -> None:
    new = check(
        TEMPLATE, [{"op": "replace", "path": "/Resources/Task/Properties/ContainerDefinitions/1/Image", "value": "envoy:v2"}]
    )
    assert new == TEMPLATE.replace("Image: envoy\n", "Image: envoy:v2\n")
    new = check(
        TEMPLATE,
        [{"op": "replace", "path": "/Resources/Task/Properties/ContainerDefinitions/0/Environment/0/Value", "value": "yes"}],
    )
    assert new == TEMPLATE.replace("Value: !Ref AWS::Region", "Value: 'yes'")


def test_crlf_file() -> None:
    text = TEMPLATE.replace("\n", "\r\n")
    new = check(text, [{"op": "add", "path": "/Resources/Task/Properties/ContainerDefinitions/1/Essential", "value": True}])
    assert new == text + "          Essential: true\r\n"


def test_bom_file() -> None:
    text = "\ufeff" + TEMPLATE
    new = check(text, [{"op": "remove", "path": "/Resources/Task/Properties/ContainerDefinitions/1"}])
    assert new == "\ufeff" + TEMPLATE.replace("        - Name: envoy\n          Image: envoy\n", "")


ANCHORS = """\
Resources:
  Task:
    Properties:
      ContainerDefinitions:
        - Name: app
          DependsOn: &deps [db, cache]
          LogConfiguration: &logs
            LogDriver: awslogs
        - Name: worker
          DependsOn: *deps
          LogConfiguration: *logs
"""


def test_anchor_file_add_through_alias_makes_a_copy() -> None:
    base = "/Resources/Task/Properties/ContainerDefinitions"
    new = check(ANCHORS, [{"op": "add", "path": f"{base}/1/DependsOn/-", "value": "queue"}])
    assert new == ANCHORS.replace("DependsOn: *deps", "DependsOn: [db, cache, queue]")


def test_anchor_file_edit_of_original_copies_the_aliases() -> None:
    base = "/Resources/Task/Properties/ContainerDefinitions"
    new = check(ANCHORS, [{"op": "add", "path": f"{base}/0/LogConfiguration/Options", "value": {"awslogs-group": "g"}}])
    assert new == ANCHORS.replace(
        "            LogDriver: awslogs\n", "            LogDriver: awslogs\n            Options:\n              awslogs-group: g\n"
    ).replace("LogConfiguration: *logs", "LogConfiguration:\n            LogDriver: awslogs")


def test_untouched_anchor_survives() -> None:
    new = check(ANCHORS, [{"op": "replace", "path": "/Resources/Task/Properties/ContainerDefinitions/1/Name", "value": "w2"}])
    assert new == ANCHORS.replace("Name: worker", "Name: w2")


def test_flow_sequence_append_and_flow_map() -> None:
    text = "a: [x, y]  # c\nb: {k: v}\nc: []\n"
    assert check(text, [{"op": "add", "path": "/a/-", "value": "z"}]) == "a: [x, y, z]  # c\nb: {k: v}\nc: []\n"
    assert check(text, [{"op": "add", "path": "/b/m", "value": {"Ref": "R"}}]) == "a: [x, y]  # c\nb: {k: v, m: !Ref R}\nc: []\n"
    assert check(text, [{"op": "add", "path": "/c/-", "value": 1}]) == "a: [x, y]  # c\nb: {k: v}\nc: [1]\n"
    assert check(text, [{"op": "remove", "path": "/a/0"}]) == "a: [y]  # c\nb: {k: v}\nc: []\n"


def test_edit_inside_intrinsic() -> None:
    text = "a: !If [C, {x: 1}, !Ref AWS::NoValue]\nb: !GetAtt R.Arn\n"
    assert check(text, [{"op": "replace", "path": "/a/Fn::If/1/x", "value": 2}]) == text.replace("x: 1", "x: 2")
    assert check(text, [{"op": "replace", "path": "/b/Fn::GetAtt/1", "value": "Id"}]) == text.replace("R.Arn", "R.Id")


def test_multiple_ops_and_test_copy_move() -> None:
    ops = [
        {"op": "test", "path": "/a", "value": 1},
        {"op": "copy", "from": "/a", "path": "/c"},
        {"op": "move", "from": "/b", "path": "/d"},
        {"op": "remove", "path": "/a"},
    ]
    assert check("a: 1  # one\nb: [2]\n", ops) == "c: 1\nd:\n  - 2\n"  # new values are written in block style


# -- the corpus --------------------------------------------------------------------------------------------------


def corpus_templates() -> list[str]:
    if not os.path.isdir(CORPUS):
        return []
    found = []
    for path in sorted(glob.glob(f"{CORPUS}/**/*", recursive=True)):
        if os.path.isfile(path) and re.search(r"\.(ya?ml|json|template)$", path):
            with open(path, encoding="utf-8", errors="replace") as f:
                head = f.read()
            if "AWSTemplateFormatVersion" in head or re.search(r"^Resources:", head, re.MULTILINE) or '"Resources"' in head:
                found.append(path)
    return found


TEMPLATES = corpus_templates()
DUMMY = {"Name": "dummy", "Image": "busybox", "Essential": False, "Environment": [{"Name": "R", "Value": {"Ref": "AWS::Region"}}]}


@pytest.mark.slow  # a round-trip load and an edit of every corpus template: a minute of CPU
@pytest.mark.skipif(not TEMPLATES, reason=f"{CORPUS} is absent")
@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: os.path.relpath(p, CORPUS))
def test_corpus_template(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        data = json.loads(text)
        assert load(text, path).data == data  # JSON is YAML; the name mapping is all JSON templates need
        return
    doc = load(text, path)
    resources = doc.data.get("Resources", {}) if isinstance(doc.data, dict) else {}
    for name, resource in resources.items():
        if not (isinstance(resource, dict) and resource.get("Type") == "AWS::ECS::TaskDefinition"):
            continue
        containers = resource.get("Properties", {}).get("ContainerDefinitions")
        if not isinstance(containers, list):
            continue  # e.g. built by an intrinsic
        ops = [{"op": "add", "path": f"/Resources/{name}/Properties/ContainerDefinitions/-", "value": DUMMY}]
        new = apply(doc, ops)
        assert load(new, path).data == jsonpatch.apply_patch(doc.data, ops)
        # Every original line survives, in order: the only change is one inserted block.
        opcodes = difflib.SequenceMatcher(None, text.splitlines(True), new.splitlines(True), autojunk=False).get_opcodes()
        changes = [op for op in opcodes if op[0] != "equal"]
        assert len(changes) == 1 and changes[0][0] == "insert", changes


def test_more_block_edits() -> None:
    text = "a:\n  b: 1\n  c: [1]\nd:\n  - x\n  - y\n"
    # Insert in the middle of a block sequence.
    assert check(text, [{"op": "add", "path": "/d/1", "value": {"k": "v", "l": [1, 2]}}]) == (
        "a:\n  b: 1\n  c: [1]\nd:\n  - x\n  - k: v\n    l:\n      - 1\n      - 2\n  - y\n"
    )
    # Scalar replaced by a block mapping; block sequence replaced by a scalar.
    assert (
        check(text, [{"op": "replace", "path": "/a/b", "value": {"e": "f"}}]) == "a:\n  b:\n    e: f\n  c: [1]\nd:\n  - x\n  - y\n"
    )
    assert check(text, [{"op": "replace", "path": "/d", "value": "none"}]) == "a:\n  b: 1\n  c: [1]\nd: none\n"
    # Emptying collections writes {} / [].
    assert check(text, [{"op": "remove", "path": "/a/c/0"}]) == "a:\n  b: 1\n  c: []\nd:\n  - x\n  - y\n"
    two = check(text, [{"op": "remove", "path": "/d/0"}, {"op": "remove", "path": "/d/0"}])
    assert two == "a:\n  b: 1\n  c: [1]\nd: []\n"
    # Strings that need quotes get them; keys too.
    assert check("a: 1\n", [{"op": "add", "path": "/b", "value": ["on", "1.0", "", "x: y", "#c", "it's", "a\nb"]}]) == (
        "a: 1\nb:\n  - 'on'\n  - '1.0'\n  - ''\n  - 'x: y'\n  - '#c'\n  - it's\n  - \"a\\nb\"\n"
    )


def test_prevailing_double_quotes() -> None:
    text = 'a: "x"\nb: "y"\n'
    assert check(text, [{"op": "add", "path": "/c", "value": "true"}]) == text + 'c: "true"\n'


def test_tagged_block_sequence_and_merge_keys() -> None:
    text = "s: !Sub\n  - '${A}'\n  - A: 1\nbase: &b\n  x: 1\nm:\n  <<: *b\n  y: 2\n"
    assert check(text, [{"op": "replace", "path": "/s/Fn::Sub/1/A", "value": 2}]) == text.replace("A: 1", "A: 2")
    # Overriding a key that comes from '<<' adds it to the mapping: the anchored original stays as it is.
    assert check(text, [{"op": "replace", "path": "/m/x", "value": 5}]) == text + "  x: 5\n"
    with pytest.raises(YamlError, match="merge key"):
        apply(load(text), [{"op": "remove", "path": "/m/x"}])


def test_invalid_operation() -> None:
    with pytest.raises(YamlError, match="invalid patch"):
        apply(load("a: 1\n"), [{"op": "remove", "path": "/b"}])


def _tree(doc: Any) -> list[tuple[Any, ...]]:
    from meshify.injector.documents.yaml_text import _all_nodes

    return sorted((n.kind, n.start, n.end, n.tag, n.anchor, n.flow, n.style, n.value) for n in _all_nodes(doc.root))


FAST_SAMPLES = [TEMPLATE, ALL_TAGS, ANCHORS, "\ufeffa: é€😀 x\r\nb: [1, !Ref Y]\r\nc: |\r\n  text\r\n\r\nd: >-\n  folded\n"]


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("text", FAST_SAMPLES + [_read(p) for p in TEMPLATES])
def test_fast_parser_gives_the_same_tree(text: str) -> None:
    slow, fast = load(text), load(text, fast=True)
    assert fast.data == slow.data
    assert _tree(fast) == _tree(slow)


def test_fast_errors_have_positions() -> None:
    with pytest.raises(YamlError) as info:
        load("\ufeffa:\n  b: 1\n c: 2\n", fast=True)
    assert info.value.line == 3
    with pytest.raises(YamlError) as info:
        load("a: !Foo x\n", fast=True)
    assert (info.value.line, info.value.column) == (1, 4)


def test_fast_apply() -> None:
    doc = load(ANCHORS, fast=True)
    ops = [{"op": "add", "path": "/Resources/Task/Properties/ContainerDefinitions/1/DependsOn/-", "value": "queue"}]
    assert apply(doc, ops) == ANCHORS.replace("DependsOn: *deps", "DependsOn: [db, cache, queue]")


# -- random operation lists: the property on many shapes of edit -------------------------------------------------

_VALUES: list[Any] = [
    "x",
    "yes",
    1,
    2.5,
    True,
    None,
    "",
    "a: b",
    {"Ref": "R"},
    {"Fn::Sub": "${A}"},
    {"Fn::GetAtt": ["A", "B"]},
    {"k": "v", "l": [1, {"m": "n"}]},
    [1, 2],
    [],
    {},
    [{"Name": "n", "Value": {"Ref": "X"}}],
    {"Fn::If": ["C", {"a": 1}, {"Ref": "AWS::NoValue"}]},
]
_FUZZ_TEXTS = [
    TEMPLATE,
    ANCHORS,
    ALL_TAGS,
    DEPENDS,
    TEMPLATE.replace("\n", "\r\n"),
    "\ufeff" + ANCHORS,
    "base: &b {x: 1, y: [1, 2]}\nm:\n  <<: *b\n  z: 3\nn: *b\n",
]


def _pointers(data: Any, base: str = "") -> list[str]:
    out = [base]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for k, v in items:
        out += _pointers(v, f"{base}/{str(k).replace('~', '~0').replace('/', '~1')}")
    return out


def _random_op(rng: Any, data: Any) -> dict[str, Any] | None:
    pointer = rng.choice(_pointers(data))
    target = jsonpatch.JsonPointer(pointer).resolve(data)
    kind = rng.choice(["add", "replace", "remove"])
    value = rng.choice(_VALUES)
    if kind == "add" and isinstance(target, list):
        return {"op": "add", "path": f"{pointer}/{rng.choice(['-', str(rng.randint(0, len(target)))])}", "value": value}
    if kind == "add" and isinstance(target, dict):
        key = rng.choice(["New", *list(target)[:2]]).replace("~", "~0").replace("/", "~1")
        return {"op": "add", "path": f"{pointer}/{key}", "value": value}
    if pointer == "":
        return None
    return {"op": "remove", "path": pointer} if kind == "remove" else {"op": "replace", "path": pointer, "value": value}


@pytest.mark.slow  # a property over seeded random operation lists
@pytest.mark.parametrize("seed", range(4))
def test_random_operation_lists(seed: int) -> None:
    import random

    rng = random.Random(seed)
    for _ in range(40):
        doc = load(rng.choice(_FUZZ_TEXTS), fast=True)
        ops = [op for op in (_random_op(rng, doc.data) for _ in range(rng.randint(1, 3))) if op]
        try:
            expected = jsonpatch.apply_patch(doc.data, ops)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException):
            continue  # a later op no longer fits
        try:
            new = apply(doc, ops)
        except YamlError as e:
            assert "merge key" in e.message  # the one documented refusal
            continue
        assert load(new).data == expected, ops
