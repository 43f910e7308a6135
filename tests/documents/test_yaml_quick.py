"""Reading a YAML file takes one libyaml pass (``yaml_text.quick_load``): its data and every
position must be exactly what the editing tree (``yaml_text.load``) gives, pointer by pointer,
on every YAML file of the corpus and of the fixtures; files it cannot be exact on (aliases,
merge keys, tags, errors) go to the tree; the bounds hold on it; and a finding costs no
second parse."""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import golden_cases
import pytest
from conftest import run_meshify
from meshify.injector.documents import document, limits, yaml_text
from meshify.injector.documents.document import TextYamlDocument
from meshify.injector.documents.pointer import join
from meshify.injector.errors import InputError

CORPUS = str(golden_cases.CORPUS)
REPO = Path(__file__).resolve().parents[2]


def _pointers(data: Any, base: str = "") -> Iterator[str]:
    """Every element's pointer, and pointers a finding may ask for that are not elements."""
    yield base
    yield base + "/no-such-member"
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _pointers(value, join(base, key))
    elif isinstance(data, list):
        yield base + "/-1"  # pointer.resolve takes it (Python's index), the tree does not
        yield base + "/01"
        yield join(base, len(data))
        for index, value in enumerate(data):
            yield from _pointers(value, join(base, index))


@contextlib.contextmanager
def _tree_only() -> Iterator[None]:
    """Every document read by the editing tree alone, as before the one-pass reader."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yaml_text, "quick_load", lambda *arguments: None)
        yield


def _outcome(path: str, text: str) -> tuple[Any, ...]:
    try:
        loaded = TextYamlDocument(path, text)
    except InputError as error:
        return ("error", str(error), error.line, error.column), None
    return ("data", loaded.data, [(p, _position(loaded, p)) for p in _pointers(loaded.data)]), loaded


def _position(loaded: TextYamlDocument, pointer: str) -> Any:
    try:
        return loaded.position(pointer)
    except KeyError:  # the tree of a file with no document has no root to point at
        return KeyError


def assert_same_as_the_tree(path: str, text: str) -> bool:
    """Data, error and every position of the one-pass reading equal the tree's; True when the
    one pass read the file (False: it left it to the tree)."""
    quick, loaded = _outcome(path, text)
    with _tree_only():
        tree, _ = _outcome(path, text)
    assert quick == tree
    return loaded is not None and loaded._quick is not None


def _yaml_files(root: str) -> list[str]:
    return sorted(p for p in glob.glob(f"{root}/**/*", recursive=True)
                  if os.path.isfile(p) and p.endswith((".yaml", ".yml")))


CORPUS_YAML = _yaml_files(CORPUS) if os.path.isdir(CORPUS) else []
# JSON is YAML in flow style: the corpus's JSON files read as YAML test the flow positions.
CORPUS_JSON = sorted(glob.glob(f"{CORPUS}/**/*.json", recursive=True)) if os.path.isdir(CORPUS) else []
FIXTURES_YAML = _yaml_files(str(REPO / "fixtures"))


@pytest.mark.skipif(not CORPUS_YAML, reason=f"the shared corpus is absent ({CORPUS}); it lives beside the checkout in ../shared")
def test_every_corpus_yaml_file_reads_as_the_tree_reads_it() -> None:
    quick = [path for path in CORPUS_YAML if assert_same_as_the_tree(path, Path(path).read_text(encoding="utf-8"))]
    assert quick  # the one pass read some of them (templates with short-form tags go to the tree)


@pytest.mark.skipif(not CORPUS_JSON, reason=f"the shared corpus is absent ({CORPUS}); it lives beside the checkout in ../shared")
def test_every_corpus_json_file_read_as_yaml_reads_as_the_tree_reads_it() -> None:
    quick = [path for path in CORPUS_JSON
             if assert_same_as_the_tree(path + ".yaml", Path(path).read_text(encoding="utf-8"))]
    assert len(quick) >= len(CORPUS_JSON) // 2


def test_every_yaml_fixture_reads_as_the_tree_reads_it() -> None:
    assert FIXTURES_YAML
    quick = [path for path in FIXTURES_YAML if assert_same_as_the_tree(path, Path(path).read_text(encoding="utf-8"))]
    assert str(REPO / "fixtures/shop/taskdefs/products-api-canary.yaml") in quick
    assert str(REPO / "fixtures/shop/meshify.yaml") in quick


TASK = """\
family: web   # the family
containerDefinitions:
  - name: app
    image: "nginx:1.27"
    essential: true
    cpu: 256
    portMappings: [{containerPort: 8080, protocol: tcp}, {containerPort: 9901}]
    environment:
    - {name: A, value: 'x'}
    -   name: "B"
        value: |
          two
          lines

    command:
    -
    - ""
    dependsOn: []
    "a/b~c": {}
    ? plain complex key
    : 1
    empty:
    mem: 1e3
    when: 2026-11-23
    octal: 0o17
    yes: no
    nothing: ~
"""

TEMPLATE = """\
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: !Sub '${AWS::StackName}-web'
      Cpu: !Ref Cpu
      TaskRoleArn: !GetAtt Role.Arn
      ExecutionRoleArn: !If [HasRole, !GetAtt [Exec, Arn], !Ref NoRole]
      ContainerDefinitions:
        - !If
          - Sidecar
          - Name: envoy
            Image: !Sub
              - '${Registry}/envoy:${Tag}'
              - Tag: !FindInMap [Versions, !Ref Region, Envoy]
          - !Ref AWS::NoValue
        - Name: app
          Command: [!Ref Arg, !Base64 {"Fn::Sub": x}, !Join ['', [a, !Ref B]]]
          Environment:
            -   !GetAtt Db.Endpoint.Address
            - !Select
              - 0
              - !Split [",", !ImportValue Shared]
          Secrets: !Condition IsProd
          Essential: !Equals [!Ref Env, prod]
"""

# (name, text, read by the one pass?)
CASES = [
    ("block, flow, quoting, block scalars, empty values, escaped keys", TASK, True),
    ("CRLF", TASK.replace("\n", "\r\n"), True),
    ("BOM", "\ufeff" + TASK, True),
    ("BOM and CRLF", "\ufeff" + TASK.replace("\n", "\r\n"), True),
    ("non-ASCII before the positions", "name: caf\u00e9 \u00fc\u00f1\u00ee\u00e7\u00f8\nx: [\u00e9, {\u00e8: 1}]\ny: 2\n", True),
    ("an explicit document start and end", "---\n" + TASK + "...\n", True),
    ("an anchor with no alias", TASK.replace("cpu: 256", "cpu: &cpu 256"), True),
    ("an alias", TASK.replace("cpu: 256", "cpu: &cpu 256").replace("mem: 1e3", "mem: *cpu"), False),
    ("a merge key", "base: &b {cpu: 1}\ntask:\n  <<: *b\n  memory: 2\n", False),
    ("a quoted '<<' is a key", "'<<': 1\nb: 2\n", True),
    ("short-form tags", TEMPLATE, True),
    ("short-form tags, CRLF and a BOM", "\ufeff" + TEMPLATE.replace("\n", "\r\n"), True),
    ("a short-form intrinsic as the document", "!Ref Cpu\n", True),
    ("a short-form collection as the document", "!Join ['', [a, b]]\n", True),
    ("!GetAtt without a dot", "a: !GetAtt Resource\n", False),
    ("a core tag", "cpu: !!str 256\n", False),
    ("a tagged key", "!!str 80: http\n", False),
    ("two documents", "a: 1\n---\nb: 2\n", False),
    ("no document", "# only a comment\n", False),
    ("a scalar document", "just text\n", True),
    ("a duplicate key", "a: 1\nb: 2\na: 3\n", False),
    ("a mapping as a key", "? {a: 1}\n: 2\n", False),
    ("a complex key with no value", "? a\nb: 1\n", False),
    ("malformed", "a: [1, 2\nb: 3\n", False),
    ("a 5,001-digit integer", "a: " + "9" * 5001 + "\n", False),
    # libyaml takes a plain key of at most 1,024 characters: ruamel's parser reads this one, in the tree
    ("a 5,001-digit key", "9" * 5001 + ": a\n", False),
    ("YAML 1.2 that libyaml refuses", "a: [!Ref AWS::NoValue]\n", False),
    ("many brackets", "a: [" + ", ".join(["[1]", "{b: 2}"] * 150) + "]\n", True),
    ("more than 100 nested brackets", "a: " + "[" * 150 + "]" * 150 + "\n", False),
]


@pytest.mark.parametrize(("name", "text", "quick"), CASES, ids=[case[0] for case in CASES])
def test_a_case_reads_as_the_tree_reads_it(name: str, text: str, quick: bool) -> None:
    assert assert_same_as_the_tree("t.yaml", text) is quick


def test_positions_are_a_members_key_and_an_items_value() -> None:
    loaded = TextYamlDocument("t.yaml", "\ufeff" + TASK.replace("\n", "\r\n"))
    assert loaded._quick is not None
    assert loaded.position("") == (1, 1)
    assert loaded.position("/family") == (1, 1)
    assert loaded.position("/containerDefinitions/0") == (3, 5)
    assert loaded.position("/containerDefinitions/0/image") == (4, 5)
    assert loaded.position("/containerDefinitions/0/portMappings/1") == (7, 58)
    assert loaded.position("/containerDefinitions/0/portMappings/1/containerPort") == (7, 59)
    assert loaded.position("/containerDefinitions/0/environment/1/value") == (11, 9)
    assert loaded.position("/containerDefinitions/0/command/0") == (16, 6)  # `-` and nothing: where libyaml says
    assert loaded.position("/containerDefinitions/0/a~1b~0c") == (19, 5)
    assert loaded.position("/containerDefinitions/0/a~1b~0c/missing") == (19, 5)
    assert loaded.position("/containerDefinitions/7") == (2, 1)


def test_the_data_is_the_trees_scalars() -> None:
    container = TextYamlDocument("t.yaml", TASK).data["containerDefinitions"][0]
    assert (container["cpu"], container["mem"], container["when"], container["octal"]) == (256, 1000.0, "2026-11-23", 15)
    assert (container["yes"], container["nothing"], container["empty"], container["command"]) == ("no", None, None, [None, ""])
    assert container["plain complex key"] == 1


# -- bounds --------------------------------------------------------------------------------------------------------


def _nested_blocks(levels: int) -> str:
    return "".join(f"{'  ' * level}k{level}:\n" for level in range(levels)) + f"{'  ' * levels}leaf: 1\n"


def test_the_one_pass_refuses_nesting_deeper_than_the_bound_where_check_yaml_bounds_does(tmp_path: Path) -> None:
    text = _nested_blocks(limits.MAX_DEPTH + 5)
    with pytest.raises(yaml_text.NestedTooDeep) as raised:
        yaml_text.quick_load(text, "deep.yaml", limits.MAX_DEPTH)
    with pytest.raises(InputError) as bounds:
        document.check_yaml_bounds(text, "deep.yaml")
    assert (raised.value.line, raised.value.column) == (bounds.value.line, bounds.value.column) == (101, 201)
    (tmp_path / "deep.yaml").write_text(text)
    result = run_meshify("lint", "deep.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.strip().splitlines() == ["deep.yaml:101:201: nested more than 100 levels deep"]


def test_the_bound_counts_flow_and_block_levels_alike() -> None:
    text = "\ufeff" + _nested_blocks(limits.MAX_DEPTH - 1).replace("leaf: 1", "leaf: [[1]]")
    with pytest.raises(InputError) as raised:
        TextYamlDocument("deep.yaml", text)
    assert (raised.value.message, raised.value.line, raised.value.column) == (
        "nested more than 100 levels deep", limits.MAX_DEPTH, 2 * (limits.MAX_DEPTH - 1) + len("leaf: [") )
    assert TextYamlDocument("ok.yaml", _nested_blocks(limits.MAX_DEPTH - 1))._quick is not None


def test_an_alias_bomb_is_left_to_check_yaml_bounds(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    text = "\n".join(lines) + "\n"
    assert yaml_text.quick_load(text, "bomb.yaml", limits.MAX_DEPTH) is None
    (tmp_path / "bomb.yaml").write_text(text)
    result = run_meshify("lint", "bomb.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "bomb.yaml:5:45: YAML aliases expand to more than 100,000 nodes (an alias bomb?)"


def test_a_too_long_integer_is_reported_at_its_place(tmp_path: Path) -> None:
    (tmp_path / "digits.yaml").write_text("family: web\ncpu: " + "1" * 5001 + "\n")
    result = run_meshify("lint", "digits.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr.strip()) == (
        2, "digits.yaml:2:6: an integer of 5,001 digits, more than meshify reads (4,300)")


# -- one parse -----------------------------------------------------------------------------------------------------


def test_a_finding_in_a_yaml_task_definition_costs_no_second_parse(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = run_meshify("lint", "taskdefs/products-api-canary.yaml", cwd=shop)
    assert expected.returncode == 1 and "products-api-canary.yaml:" in expected.stdout

    def no_tree(*arguments: Any, **options: Any) -> None:
        raise AssertionError("the editing tree was built to lint a file")

    monkeypatch.setattr(yaml_text, "load", no_tree)
    monkeypatch.setattr(document, "check_yaml_bounds", no_tree)
    result = run_meshify("lint", "taskdefs/products-api-canary.yaml", cwd=shop)
    assert (result.returncode, result.stdout, result.stderr) == (expected.returncode, expected.stdout, expected.stderr)


def test_an_edit_builds_the_tree_once_and_keeps_the_bytes(shop: Path) -> None:
    path = shop / "taskdefs" / "products-api-canary.yaml"
    loaded = TextYamlDocument(str(path), path.read_text())
    assert loaded._quick is not None and loaded._parsed is None
    rendered = loaded.render([{"op": "replace", "path": "/family", "value": "renamed"}])
    assert loaded._parsed is not None
    assert rendered == path.read_text().replace("family: products-api-canary", "family: renamed", 1)
