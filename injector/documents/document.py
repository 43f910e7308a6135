"""Files as the user wrote them: loading JSON and YAML with source positions, rendering a
patched text in the file's own format, and writing it atomically.

The rest of meshify sees plain Python data (dicts, lists, scalars) and JSON Pointers; a
:class:`Document` turns a pointer back into a line and column, and a patch back into text.
"""

from __future__ import annotations

import copy
import io
import itertools
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from meshify.injector.documents import json_text as jsontext
from meshify.injector.documents.pointer import join, resolve, split
from meshify.injector.errors import InputError

YAML_SUFFIXES = (".yaml", ".yml")


def _is_yaml(path: str, text: str) -> bool:
    if path.endswith(YAML_SUFFIXES):
        return True
    if path.endswith(".json"):
        return False
    return not text.lstrip().startswith(("{", "["))


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path) from None
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", path) from None
    except OSError as error:
        raise InputError(error.strerror or str(error), path) from None


class Document:
    """One file: its text, its data, and the way back from a pointer to a position."""

    format: str

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text

    @staticmethod
    def load(path: str, text: str | None = None) -> Document:
        text = read_text(path) if text is None else text
        if _is_yaml(path, text):
            # yaml_text reads a CloudFormation template's short-form tags (!Ref, !Sub ...),
            # gives exact positions and edits the text in place (CRLF, anchors, comments kept):
            # every YAML file goes through it, a task definition as much as a template.
            return TextYamlDocument(path, text)
        return JsonDocument(path, text)

    data: Any

    def position(self, pointer: str) -> tuple[int, int]:
        """1-based line and column of the element at ``pointer`` (a member's key for
        members), or of its nearest existing ancestor."""
        raise NotImplementedError

    def render(self, patch: list[dict[str, Any]]) -> str:
        """The text with ``patch`` applied, everything it does not touch unchanged."""
        raise NotImplementedError

    def dump(self, data: Any) -> str:
        """A new text for ``data`` in this document's format and indentation."""
        raise NotImplementedError


class JsonDocument(Document):
    format = "json"

    def __init__(self, path: str, text: str) -> None:
        super().__init__(path, text)
        self.data = jsontext.loads(text, path)
        self._lines: jsontext.LineIndex | None = None

    def position(self, pointer: str) -> tuple[int, int]:
        if self._lines is None:
            self._lines = jsontext.LineIndex(self.text)
        return self._lines.position(jsontext.locate(self.text, split(pointer)))

    def render(self, patch: list[dict[str, Any]]) -> str:
        if not patch:
            return self.text
        edited = jsontext.JsonText(self.text)
        for operation in patch:
            edited.apply(operation)
        return edited.text

    def dump(self, data: Any) -> str:
        import json

        unit = jsontext.JsonText(self.text).unit
        ending = "\n" if self.text.endswith("\n") else ""
        return json.dumps(data, indent=unit if unit is not None else 4, ensure_ascii=False) + ending


def _plain(node: Any) -> Any:
    """ruamel's containers and scalars as plain Python data (dates as text, as the
    round-trip and the safe loaders would otherwise differ)."""
    if isinstance(node, dict):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)  # strings, and dates and other YAML-only scalars


class YamlDocument(Document):
    """A YAML file. The data comes from ruamel's fast safe loader (libyaml when
    ruamel.yaml.clib is installed); the round-trip tree, which knows positions and
    comments, is parsed only when a position is asked for or the file is rewritten."""

    format = "yaml"

    def __init__(self, path: str, text: str) -> None:
        super().__init__(path, text)
        if not text.strip():
            raise InputError("the file is empty", path, 1, 1)
        self.data = _plain(self._parse(text, self._yaml("safe")))
        self._tree: Any = None

    @property
    def tree(self) -> Any:
        if self._tree is None:
            self._tree = self._parse(self.text, self._yaml("rt"))
        return self._tree

    def _yaml(self, kind: str = "rt") -> Any:
        from ruamel.yaml import YAML

        yaml = YAML(typ=kind)
        yaml.allow_duplicate_keys = False
        if kind == "rt":
            yaml.preserve_quotes = True
            yaml.width = 4096
        return yaml

    def _parse(self, text: str, yaml: Any) -> Any:
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        try:
            documents = list(yaml.load_all(text))
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problem = error.problem or error.context or "malformed YAML"
            if "found duplicate key" in problem:
                problem = problem.split(" with value")[0]
            line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
            raise InputError(f"invalid YAML: {problem}", self.path, line, column) from None
        except YAMLError as error:
            raise InputError(f"invalid YAML: {error}", self.path) from None
        if len(documents) != 1:
            raise InputError(f"expected one YAML document, found {len(documents)}", self.path, 1, 1)
        return documents[0]

    def position(self, pointer: str) -> tuple[int, int]:
        node = self.tree
        line, column = 0, 0
        if hasattr(node, "lc"):
            line, column = node.lc.line, node.lc.col
        for token in split(pointer):
            if isinstance(node, dict) and token in node:
                line, column = node.lc.key(token)  # type: ignore[attr-defined]  # ruamel's CommentedMap
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                line, column = node.lc.item(int(token))  # type: ignore[attr-defined]  # ruamel's CommentedSeq
                node = node[int(token)]
            else:
                break
        return line + 1, column + 1

    def _dumper(self) -> Any:
        from ruamel.yaml.util import load_yaml_guess_indent

        _, sequence_indent, dash_offset = load_yaml_guess_indent(self.text)
        mapping_indent = _guess_mapping_indent(self.text)
        yaml = self._yaml()
        yaml.indent(mapping=mapping_indent, sequence=sequence_indent or mapping_indent, offset=dash_offset or 0)
        yaml.explicit_start = self.text.lstrip().startswith("---")
        return yaml

    def render(self, patch: list[dict[str, Any]]) -> str:
        if not patch:
            return self.text
        import jsonpatch

        double = self.text.count('"') > self.text.count("'")
        styled = [{**op, "value": _quoted_like_file(op["value"], double)} if "value" in op else op for op in patch]
        # ruamel's containers are dict and list subclasses: jsonpatch edits them and the
        # comments they carry stay where they were.
        return self._write(jsonpatch.apply_patch(copy.deepcopy(self.tree), styled, in_place=True))

    def _write(self, tree: Any) -> str:
        stream = io.StringIO()
        self._dumper().dump(tree, stream)
        return stream.getvalue()

    def dump(self, data: Any) -> str:
        return self._write(data)


class TextYamlDocument(YamlDocument):
    """A YAML file read and edited through ``yaml_text``: CloudFormation's short-form
    intrinsics read as their long form (the data of a YAML and a JSON template are equal),
    exact positions, and edits spliced into the text (``yaml_text.apply``) so that tags,
    comments, quoting, anchors, CRLF and a BOM stay as written. ``dump`` (a whole new text,
    for task definitions read from ECS) is the parent's."""

    def __init__(self, path: str, text: str) -> None:
        from meshify.injector.documents import yaml_text

        Document.__init__(self, path, text)
        self._tree = None
        if not text.strip():
            raise InputError("the file is empty", path, 1, 1)
        try:
            self._parsed = yaml_text.load(text, path, fast=True)
        except yaml_text.YamlError as error:
            raise InputError(f"invalid YAML: {error.message}", path, error.line, error.column) from None
        self.data = self._parsed.data

    def position(self, pointer: str) -> tuple[int, int]:
        tokens = split(pointer)
        while tokens:
            try:
                parent = resolve(self.data, join("", *tokens[:-1]))
                if isinstance(parent, list):  # an item: where it starts, as in JSON
                    return self._parsed.position(join("", *tokens))
                return self._parsed.key_position(join("", *tokens))
            except (KeyError, IndexError, TypeError, ValueError):
                tokens.pop()
        return self._parsed.position("")

    def render(self, patch: list[dict[str, Any]]) -> str:
        if not patch:
            return self.text
        from meshify.injector.documents import yaml_text

        try:
            return yaml_text.apply(self._parsed, patch)
        except yaml_text.YamlError as error:
            raise InputError(f"cannot edit: {error.message}", self.path, error.line, error.column) from None


def _quoted_like_file(value: Any, double: bool) -> Any:
    """New strings that YAML must quote ("1337") take the quote style the file uses."""
    if isinstance(value, dict):
        return {key: _quoted_like_file(item, double) for key, item in value.items()}
    if isinstance(value, list):
        return [_quoted_like_file(item, double) for item in value]
    if double and isinstance(value, str) and _needs_quotes(value):
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        return DoubleQuotedScalarString(value)
    return value


def _needs_quotes(value: str) -> bool:
    from ruamel.yaml import YAML

    return not isinstance(YAML(typ="safe", pure=True).load(value), str) if value else True


_MAPPING_KEY = re.compile(r"^( *)[^\s#-][^:#]*:\s*(#.*)?$")
_ANY_KEY = re.compile(r"^( *)[^\s#-][^:#]*:")


def _guess_mapping_indent(text: str) -> int:
    """The step between a block mapping key and its nested mapping's keys (default 2)."""
    lines = text.splitlines()
    for line, following in itertools.pairwise(lines):
        parent, child = _MAPPING_KEY.match(line), _ANY_KEY.match(following)
        if parent and child and len(child.group(1)) > len(parent.group(1)):
            return len(child.group(1)) - len(parent.group(1))
    return 2


def write_atomic(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` so that a reader sees the old or the new file, never
    a half-written one; the file keeps its permissions."""
    target = Path(path)
    mode = target.stat().st_mode & 0o7777 if target.exists() else None
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
