"""Files as the user wrote them: loading JSON and YAML with source positions, rendering a
patched text in the file's own format, and writing it atomically.

The rest of meshify sees plain Python data (dicts, lists, scalars) and JSON Pointers; a
:class:`Document` turns a pointer back into a line and column, and a patch back into text.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import io
import itertools
import os
import re
import stat
from collections.abc import Callable
from typing import Any

from meshify.injector.documents import json_text as jsontext
from meshify.injector.documents import limits
from meshify.injector.documents.pointer import join, resolve, split
from meshify.injector.errors import InputError

YAML_SUFFIXES = (".yaml", ".yml")


def _is_yaml(path: str, text: str) -> bool:
    if path.endswith(YAML_SUFFIXES):
        return True
    if path.endswith(".json"):
        return False
    return not text.lstrip(BOM + " \t\r\n").startswith(("{", "["))


# A FIFO opened without O_NONBLOCK would block until a writer came (where the flag exists).
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)


def read_text(path: str) -> str:
    """The file's text exactly as on disk (a byte-order mark included), refusing what is
    not a regular file (a FIFO would block, ``/dev/zero`` never ends) and what is far
    larger than any real input (:data:`limits.MAX_FILE_BYTES`) before reading it."""
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise InputError("no such file", path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path) from None
    except OSError as error:
        raise InputError(error.strerror or str(error), path) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):  # a regular file is no directory: one test for it
            if stat.S_ISDIR(status.st_mode):
                raise InputError("is a directory, not a file", path)
            raise InputError("not a regular file (a pipe or a device); give a file", path)
        if status.st_size > limits.MAX_FILE_BYTES:
            raise InputError(f"{status.st_size:,} bytes, more than meshify reads "
                             f"({limits.MAX_FILE_BYTES:,}): not a task definition, template or manifest", path)
        # Read directly, no buffered file object: a task definition is one read (and one
        # more to see the end); one byte beyond the bound shows a file that grew since fstat.
        chunks, size, request = [], 0, status.st_size + 1
        while size <= limits.MAX_FILE_BYTES and (chunk := os.read(descriptor, min(request, limits.MAX_FILE_BYTES + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
            request = 1 << 16
        data = b"".join(chunks)
    except OSError as error:
        raise InputError(error.strerror or str(error), path) from None
    finally:
        if descriptor != -1:
            os.close(descriptor)
    if len(data) > limits.MAX_FILE_BYTES:  # it grew since fstat
        raise InputError(f"more than {limits.MAX_FILE_BYTES:,} bytes, more than meshify reads", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(f"not UTF-8 text (byte {error.start})", path, line, column) from None


BOM = "\ufeff"


class Document:
    """One file: its text, its data, and the way back from a pointer to a position."""

    format: str
    # Whether ``text`` has CRLF line endings turned into LF (and back in what is written),
    # so that an editor's new lines take the file's endings.
    normalises_newlines = False

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.source = text  # as on disk
        self.bom = text[:1] == BOM  # one character: no str.startswith and its parsed arguments
        text = text[len(BOM):] if self.bom else text
        self.newline = "\n"
        if self.normalises_newlines and "\r\n" in text and text.count("\n") == text.count("\r\n"):
            self.newline = "\r\n"
            text = text.replace("\r\n", "\n")
        self.text = text  # what positions and editors see: no byte-order mark, LF line endings

    def on_disk(self, text: str) -> str:
        """A text for this file (as :attr:`text` is) with the file's line endings and
        byte-order mark, as it is written back."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return BOM + text if self.bom and not text.startswith(BOM) else text

    @staticmethod
    def load(path: str, text: str | None = None, remember: bool = True) -> Document:
        """The file's document; ``remember=False``: a YAML file is not looked up in or kept
        in the cache (the manifest keeps its parse with its validation)."""
        text = read_text(path) if text is None else text
        # A ``.json`` file (not Terraform's ``.tf.json``; nearly every file of a batch): the
        # answer of the suffix tests below, two slices asked instead of seven str.endswith
        # (each parses its arguments: about 1,300 instructions a call on Python 3.11).
        if path[-5:] == ".json" and path[-8:] != ".tf.json":
            return JsonTemplateDocument(path, text) if "${" in text and _has_bare_placeholder(text) \
                else JsonDocument(path, text)
        if path.endswith(".tf"):
            return HclDocument(path, text)
        if path.endswith(".tf.json"):
            return TerraformJsonDocument(path, text)
        if path.endswith(".json.tpl") or (path.endswith(".tpl") and text.lstrip().startswith(("[", "{"))) \
                or _has_bare_placeholder(text):
            return JsonTemplateDocument(path, text)
        if _is_yaml(path, text):
            # yaml_text reads a CloudFormation template's short-form tags (!Ref, !Sub ...),
            # gives exact positions and edits the text in place (CRLF, anchors, comments kept):
            # every YAML file goes through it, a task definition as much as a template. A file
            # read before, byte for byte, is remembered from the cache without a parser (start-up).
            if not remember:
                return TextYamlDocument(path, text)
            from meshify.injector.documents.remembered import load_yaml

            return load_yaml(path, text)
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
    normalises_newlines = True

    def __init__(self, path: str, text: str) -> None:
        super().__init__(path, text)
        self.data = jsontext.loads(self.text, path)
        # The text's data as parsed, kept for render (a subclass may replace ``data`` with
        # what it reads the text as); nothing changes it in place.
        self.parsed = self.data
        self._lines: jsontext.LineIndex | None = None
        self._asked = 0  # positions answered without the LineIndex (the first few)

    def position(self, pointer: str) -> tuple[int, int]:
        text = self.text
        if self.__class__ is not JsonDocument:  # a subclass's data is what it reads the text as
            if self._lines is None:
                self._lines = jsontext.LineIndex(text)
            return self._lines.position(jsontext.locate(text, split(pointer), jsontext.NO_DATA))
        # The text's data helps find a member; a pointer with nothing escaped (nearly all) split here.
        offset = jsontext.locate(text, pointer.split("/")[1:] if "~" not in pointer else split(pointer), self.data)
        # A file asked for a position or two (a task definition's findings) has its newlines
        # counted for each, as a LineIndex answers its first ones, without building one.
        self._asked += 1
        if self._asked <= jsontext.COUNTED:
            return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        if self._lines is None:
            self._lines = jsontext.LineIndex(text, counted=False)
        return self._lines.position(offset)

    def render(self, patch: list[dict[str, Any]]) -> str:
        if not patch:
            return self.source
        edited = jsontext.JsonText(self.text, self.parsed)  # not parsed again
        edited.apply_all(patch)
        return self.on_disk(edited.text)

    def dump(self, data: Any) -> str:
        import json

        edited = jsontext.JsonText(self.text)
        unit = edited.unit
        ending = "\n" if self.text.endswith("\n") else ""
        text = json.dumps(data, indent=unit if unit is not None else 4, ensure_ascii=False,
                          separators=(",", edited.colon))
        return self.on_disk(text + ending)


# A placeholder written where a JSON value goes, as Terraform's templatefile() and shell
# templates allow: `"cpu": ${cpu},`. Masked for parsing as a string of the same length that
# starts with a private-use character no JSON text of ours contains.
_MASK = "\ue000"
_MASKED = re.compile('"' + _MASK + '([^"]*)"')


# A JSON string (skipped whole by the regex engine) or a placeholder outside one.
_STRING_OR_PLACEHOLDER = re.compile(r'"(?:[^"\\\n]|\\.)*"|\$\{([^{}"\\\n]*)\}')


def _bare_placeholders(text: str) -> list[tuple[int, int]]:
    """The spans of ``${...}`` written outside JSON strings."""
    return [match.span() for match in _STRING_OR_PLACEHOLDER.finditer(text) if match.group(0).startswith("$")]


def _has_bare_placeholder(text: str) -> bool:
    return "${" in text and text.lstrip().startswith(("[", "{")) and bool(_bare_placeholders(text))


def _mask_placeholders(text: str) -> str:
    """``${cpu}`` where a value goes as ``"\ue000cpu"``, as long; a placeholder standing
    for list items or members (``}\n ${extra_ports}\n]``) as spaces: valid JSON with every
    other character where it was, so that positions stay exact."""
    parts, previous = [], 0
    for start, end in _bare_placeholders(text):
        before = text[:start].rstrip()[-1:]
        if before in (":", "[", ","):
            parts += [text[previous:start], '"', _MASK, text[start + 2:end - 1], '"']
        else:
            parts += [text[previous:start], " " * (end - start)]
        previous = end
    return "".join(parts) + text[previous:]


def _unknowns(node: Any) -> Any:
    """A template's placeholders as unknowns: every string with a ``${...}`` in it."""
    from meshify.injector.documents.unknown import Unknown

    if isinstance(node, dict):
        return {key: _unknowns(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_unknowns(item) for item in node]
    if isinstance(node, str) and "${" in node:
        return Unknown(node)
    if isinstance(node, str) and node.startswith(_MASK):  # a bare placeholder
        return Unknown("${" + node[1:] + "}")
    return node


class JsonTemplateDocument(JsonDocument):
    """A JSON template (``.json.tpl``, or JSON with bare ``${...}`` placeholders) as
    Terraform's ``templatefile()`` reads it: its placeholders are unknowns, quoted or bare,
    and are never rewritten."""

    format = "json"

    def __init__(self, path: str, text: str) -> None:
        Document.__init__(self, path, text)
        self.data = _unknowns(jsontext.loads(_mask_placeholders(text), path))
        self._lines = None

    def position(self, pointer: str) -> tuple[int, int]:
        if self._lines is None:
            self._lines = jsontext.LineIndex(self.text)
        return self._lines.position(jsontext.locate(_mask_placeholders(self.text), split(pointer)))

    def render(self, patch: list[dict[str, Any]]) -> str:
        if not patch:
            return self.text
        masked = _mask_placeholders(self.text)
        edited = jsontext.JsonText(masked)
        edited.apply_all(patch)
        return _unmask(self.text, masked, edited.text)


def _unmask(original: str, masked: str, edited: str) -> str:
    """The edited masked text with the user's placeholders back: ``masked`` is ``original``
    character for character apart from the masks, so what the editor kept is copied from
    the original, and only what it wrote is new."""
    from meshify.injector.documents.textdiff import opcodes

    parts = []
    for kind, i1, i2, j1, j2 in opcodes(masked, edited):
        parts.append(original[i1:i2] if kind == "equal" else _MASKED.sub(lambda m: "${" + m.group(1) + "}", edited[j1:j2]))
    return "".join(parts)


class TerraformJsonDocument(JsonDocument):
    """Terraform's JSON syntax (``.tf.json``): a string with ``${...}`` is an expression,
    hence unknown, and a task definition's ``container_definitions`` string holding a JSON
    array is read as that array (its edits rewrite the string)."""

    def __init__(self, path: str, text: str) -> None:
        super().__init__(path, text)
        self.raw = self.data
        self.data = _unknowns(copy.deepcopy(self.raw))
        self.embedded: dict[str, Any] = {}
        for name, body in ((self.raw.get("resource") or {}).get("aws_ecs_task_definition") or {}).items() \
                if isinstance(self.raw, dict) and isinstance(self.raw.get("resource"), dict) else []:
            containers = body.get("container_definitions") if isinstance(body, dict) else None
            if isinstance(containers, str) and containers.lstrip().startswith("[") and "${" not in containers:
                base = f"/resource/aws_ecs_task_definition/{name}/container_definitions"
                try:
                    loaded = jsontext.loads(containers, path)
                except InputError as error:  # said at its place inside the string
                    starts = jsontext.LineIndex(containers).starts
                    offset = starts[min(error.line, len(starts)) - 1] + (error.column or 1) - 1 if error.line else 0
                    string = self._string(base)
                    line, column = self._lines_index().position(string.offsets[min(offset, len(string.value))])
                    raise InputError(f"{error.message} (in the container_definitions string)", path, line,
                                     column) from None
                self.data["resource"]["aws_ecs_task_definition"][name]["container_definitions"] = loaded
                self.embedded[base] = containers

    def _lines_index(self) -> jsontext.LineIndex:
        if self._lines is None:
            self._lines = jsontext.LineIndex(self.text)
        return self._lines

    def _string(self, pointer: str) -> Any:
        """The string member at ``pointer``, with each character's offset in the file."""
        from meshify.injector.documents import json_strings

        key = jsontext.locate(self.text, split(pointer))
        return json_strings.decode(self.text, json_strings.member_value_start(self.text, key))

    def position(self, pointer: str) -> tuple[int, int]:
        for base in self.embedded:
            if pointer.startswith(base + "/"):  # inside the string: the element's own place in it
                return self._lines_index().position(self._string(base).locate(split(pointer[len(base):])))
        return super().position(pointer)

    def render(self, patch: list[dict[str, Any]]) -> str:
        import json

        import jsonpatch

        direct = [op for op in patch if not any(op["path"].startswith(base + "/") for base in self.embedded)]
        text = JsonDocument.render(self, direct)
        patched = jsonpatch.apply_patch(self.data, patch)
        for base in self.embedded:
            if any(op["path"].startswith(base + "/") for op in patch):
                edited = jsontext.JsonText(text)
                edited.apply({"op": "replace", "path": base, "value": json.dumps(_resolve_tokens(patched, split(base)))})
                text = edited.text
        return text


# Where Terraform keeps a task definition's containers: a JSON heredoc or string there is read
# as the JSON it holds, so that its containers have positions and edits like jsonencode's.
_EMBEDDED_JSON = re.compile(r"^/resource/aws_ecs_task_definition/[^/]+/container_definitions$")


class HclDocument(Document):
    """A Terraform file (``.tf``): data shaped as python-hcl2 loads it (``documents/hcl_text.py``),
    with Terraform expressions as unknowns and ``container_definitions`` written as a JSON
    heredoc or string read as that JSON; edits splice only the text they touch."""

    format = "hcl"

    def __init__(self, path: str, text: str) -> None:
        super().__init__(path, text)
        from meshify.injector.documents import hcl_text

        try:
            self.hcl = hcl_text.parse(text)
        except hcl_text.HclError as error:
            raise InputError(f"invalid HCL: {error.message}", path, error.line, error.column) from None
        self.data = _with_defaults(self.hcl.data)
        self.embedded: dict[str, tuple[hcl_text.JsonSpan, JsonTemplateDocument]] = {}
        for pointer, span in self.hcl.json_spans.items():
            if _EMBEDDED_JSON.match(pointer):
                self.embedded[pointer] = (span, self._embedded_json(span))
        if self.embedded:
            self.data = copy.deepcopy(self.data)
            for pointer, (_, json_document) in self.embedded.items():
                parent, _, _ = pointer.rpartition("/")
                _resolve_tokens(self.data, split(parent))["container_definitions"] = \
                    hcl_text.references_in(json_document.data)

    def _embedded_json(self, span: Any) -> JsonTemplateDocument:
        try:
            return JsonTemplateDocument(self.path, span.text)
        except InputError as error:
            line, column = self._inner_position(span, error.line or 1, error.column or 1)
            raise InputError(error.message, self.path, line, column) from None

    def _inner_position(self, span: Any, line: int, column: int) -> tuple[int, int]:
        starts = [0] + [match.end() for match in re.finditer("\n", span.text)]
        offset = min(starts[min(line, len(starts)) - 1] + column - 1, len(span.text))
        return self.hcl.offset_to_position(span.file_offset(offset))

    def position(self, pointer: str) -> tuple[int, int]:
        for base, (span, _) in self.embedded.items():
            if pointer.startswith(base + "/"):
                masked = _mask_placeholders(span.text)
                offset = jsontext.locate(masked, split(pointer[len(base):]))
                return self.hcl.offset_to_position(span.file_offset(offset))
        tokens = split(pointer)
        from meshify.injector.documents.pointer import join

        while True:
            candidate = join("", *tokens)
            try:
                return self.hcl.key_position(candidate) if tokens and not tokens[-1].isdigit() \
                    else self.hcl.position(candidate)
            except KeyError:
                if not tokens:
                    return 1, 1
                tokens.pop()

    def render(self, patch: list[dict[str, Any]]) -> str:
        if not patch:
            return self.text
        from meshify.injector.documents import hcl_text

        current = self
        for operation in patch:
            base = next((b for b in current.embedded if operation["path"].startswith(b + "/")), None)
            if base is None:
                text = hcl_text.apply(current.hcl, [operation])
            else:
                span, json_document = current.embedded[base]
                inner = json_document.render([{**operation, "path": operation["path"][len(base):], **(
                    {"value": hcl_text.in_template(operation["value"])} if "value" in operation else {})}])
                text = current.text[:span.start] + span.rewritten(current.text, inner, current.hcl.newline) \
                    + current.text[span.end:]
            current = HclDocument(self.path, text)
        return current.text

    def dump(self, data: Any) -> str:
        raise NotImplementedError("a Terraform file is only ever edited in place")


def _with_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """The resources with ``var.x`` replaced by x's literal default, marked as such
    (``formats.md``: a variable's literal default is used as its value)."""
    from meshify.injector.documents.hcl_text import Reference, Unknown
    from meshify.injector.documents.unknown import defaulted

    defaults = {name: body["default"] for name, body in (data.get("variable") or {}).items()
                if isinstance(body, dict) and "default" in body and not isinstance(body["default"], Unknown)}
    if not defaults or "resource" not in data:
        return data

    def replaced(node: Any) -> Any:
        if isinstance(node, Reference) and len(node.parts) == 2 and node.parts[0] == "var" and node.parts[1] in defaults:
            return defaulted(defaults[node.parts[1]], node.text)
        if isinstance(node, dict):
            return {key: replaced(value) for key, value in node.items()}
        if isinstance(node, list):
            return [replaced(item) for item in node]
        return node

    return {**data, "resource": replaced(data["resource"])}


def _resolve_tokens(data: Any, tokens: list[str]) -> Any:
    for token in tokens:
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


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
        if not self.text.strip():
            raise InputError("the file is empty", path, 1, 1)
        if len(self.text) > limits.MAX_YAML_BYTES and len(self.text.encode("utf-8")) > limits.MAX_YAML_BYTES:
            raise InputError(f"{len(self.text.encode('utf-8')):,} bytes of YAML, more than meshify reads "
                             f"({limits.MAX_YAML_BYTES:,}): not a task definition, template or manifest", path)
        check_yaml_bounds(self.text, path)
        self.data = _plain(self._parse(self.text, self._yaml("safe")))
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
        except ValueError as error:  # an integer of more digits than Python converts
            raise _too_long_integer(self.text, self.path, error) from None
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
            return self.source
        import jsonpatch

        double = self.text.count('"') > self.text.count("'")
        styled = [{**op, "value": _quoted_like_file(op["value"], double)} if "value" in op else op for op in patch]
        # ruamel's containers are dict and list subclasses: jsonpatch edits them and the
        # comments they carry stay where they were.
        return self.on_disk(self._write(jsonpatch.apply_patch(copy.deepcopy(self.tree), styled, in_place=True)))

    def _write(self, tree: Any) -> str:
        stream = io.StringIO()
        self._dumper().dump(tree, stream)
        return stream.getvalue()

    def dump(self, data: Any) -> str:
        return self.on_disk(self._write(data))


def _too_long_integer(text: str, path: str, error: ValueError) -> InputError:
    """The error for an integer literal longer than Python converts, at its place."""
    return jsontext.too_long_integer(text, path, error)


def _events(text: str) -> Any:
    """The YAML parse events of ``text``, from libyaml when ruamel.yaml.clib is there: the
    parser is a state machine, so no nesting or alias can make it recurse or expand."""
    from ruamel.yaml import YAML

    return YAML(typ="safe").parse(text)


_NESTED_TOO_DEEP = f"nested more than {limits.MAX_DEPTH} levels deep"


def check_yaml_bounds(text: str, path: str) -> None:
    """Refuse, before anything builds a tree, YAML nested deeper than
    :data:`limits.MAX_DEPTH` or whose aliases would expand to more than
    :data:`limits.MAX_ALIAS_NODES` nodes (a "billion laughs"). Malformed YAML is left
    to the loader, which says where."""
    from ruamel.yaml import events
    from ruamel.yaml.error import YAMLError

    open_collections: list[list[Any]] = []  # [anchor, nodes so far] per open collection
    sizes: dict[str, int] = {}  # an anchor's node count, its aliases expanded
    added = 0
    try:
        for event in _events(text):
            if isinstance(event, events.CollectionStartEvent):
                if len(open_collections) >= limits.MAX_DEPTH:
                    raise _at(event, _NESTED_TOO_DEEP, path)
                open_collections.append([event.anchor, 1])
                continue
            if isinstance(event, events.CollectionEndEvent):
                anchor, nodes = open_collections.pop()
            elif isinstance(event, events.ScalarEvent):
                anchor, nodes = event.anchor, 1
            elif isinstance(event, events.AliasEvent):
                anchor, nodes = None, sizes.get(event.anchor, 1)
                added += nodes
                if added > limits.MAX_ALIAS_NODES:
                    raise _at(event, f"YAML aliases expand to more than {limits.MAX_ALIAS_NODES:,} nodes "
                                     "(an alias bomb?)", path)
            else:
                continue
            if anchor:
                sizes[anchor] = nodes
            if open_collections:
                open_collections[-1][1] += nodes
    except YAMLError:
        return


def _at(event: Any, message: str, path: str) -> InputError:
    mark = event.start_mark
    return InputError(message, path, mark.line + 1, mark.column + 1) if mark else InputError(message, path)


class TextYamlDocument(YamlDocument):
    """A YAML file read and edited through ``yaml_text``: CloudFormation's short-form
    intrinsics read as their long form (the data of a YAML and a JSON template are equal),
    exact positions, and edits spliced into the text (``yaml_text.apply``) so that tags,
    comments, quoting, anchors, CRLF and a BOM stay as written. ``dump`` (a whole new text,
    for task definitions read from ECS) is the parent's.

    Reading takes one libyaml pass (``yaml_text.quick_load``: data, positions and the depth
    bound at once); the editing tree is built only for an edit, or for a file that pass
    leaves to it (aliases, merge keys, tags other than CloudFormation's short forms, errors)."""

    def __init__(self, path: str, text: str) -> None:
        from meshify.injector.documents import yaml_text

        Document.__init__(self, path, text)
        self._tree = None
        if not text.strip():
            raise InputError("the file is empty", path, 1, 1)
        # The same bounds as every YAML file (documents/limits.py), before anything builds a tree.
        if len(self.text) > limits.MAX_YAML_BYTES and len(self.text.encode("utf-8")) > limits.MAX_YAML_BYTES:
            raise InputError(f"{len(self.text.encode('utf-8')):,} bytes of YAML, more than meshify reads "
                             f"({limits.MAX_YAML_BYTES:,}): not a task definition, template or manifest", path)
        try:
            self._quick = yaml_text.quick_load(text, path, limits.MAX_DEPTH)
        except yaml_text.NestedTooDeep as error:
            raise InputError(_NESTED_TOO_DEEP, path, error.line, error.column) from None
        self._parsed: yaml_text.YamlDocument | None = None
        if self._quick is None:
            # Aliases (the alias-expansion bound), merge keys, other tags or an error: the whole check and the tree.
            check_yaml_bounds(self.text, path)
            self.data = self._editable().data
        else:
            self.data = self._quick.data

    def _editable(self) -> Any:
        """``yaml_text``'s tree of the file, which edits need (built once)."""
        from meshify.injector.documents import yaml_text

        if self._parsed is None:
            try:
                self._parsed = yaml_text.load(self.source, self.path, fast=True)
            except yaml_text.YamlError as error:
                if "Exceeds the limit" in error.message:  # an integer of more digits than Python converts
                    raise _too_long_integer(self.text, self.path, ValueError(error.message)) from None
                raise InputError(f"invalid YAML: {error.message}", self.path, error.line, error.column) from None
        return self._parsed

    def position(self, pointer: str) -> tuple[int, int]:
        tokens = split(pointer)
        if self._quick is not None:
            # The tree's answer below, from what quick_load recorded (a member's key, an item's value).
            while tokens:
                try:
                    parent = resolve(self.data, join("", *tokens[:-1]))
                except (KeyError, IndexError, TypeError, ValueError):
                    tokens.pop()
                    continue
                found = self._quick.locate(join("", *tokens), isinstance(parent, list))
                if found is not None:
                    return found
                tokens.pop()
            return self._quick.locate("", False) or (1, 1)
        parsed = self._editable()
        while tokens:
            try:
                parent = resolve(self.data, join("", *tokens[:-1]))
                if isinstance(parent, list):  # an item: where it starts, as in JSON
                    return parsed.position(join("", *tokens))
                return parsed.key_position(join("", *tokens))
            except (KeyError, IndexError, TypeError, ValueError):
                tokens.pop()
        return parsed.position("")

    def render(self, patch: list[dict[str, Any]]) -> str:
        if not patch:
            return self.text
        from meshify.injector.documents import yaml_text

        try:
            return yaml_text.apply(self._editable(), patch)
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


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str, text: str) -> None:
    """Replace ``path`` with ``text`` so that a reader sees the old or the new file, never
    a half-written one. An existing file keeps its mode, owner and group; a new one gets
    the mode the umask gives (as ``open`` would), not the temporary file's 0600. A failure
    is an :class:`InputError` naming ``path``, never the temporary file."""
    write_all_atomic([(path, text)])


# Files staged at a time by write_all_atomic (their descriptors stay open until flushed).
_STAGED_AT_ONCE = 64


def write_all_atomic(files: list[tuple[str, str]], written: Callable[[str], None] = lambda path: None) -> None:
    """:func:`write_atomic` for each ``(path, text)`` in turn, ``written(path)`` called once
    each file is replaced and the replacement is on disk (its directory flushed), with the
    same guarantees (a file replaces its original only once its new bytes are on disk; mode,
    owner and group kept; no temporary file left behind; a failure names the user's file,
    and the files before it are written, those after it not).
    The durability work of a batch is overlapped: a group of new texts is written to
    temporary files and flushed together (``fsync`` in threads, so that the file system
    commits them in a few journal transactions instead of one per file), then each
    replaces its file in order. 1,000 files: 7 s of flushes one after another."""
    with _Flusher() as flush:
        for first in range(0, len(files), _STAGED_AT_ONCE):
            _write_group(files[first : first + _STAGED_AT_ONCE], written, flush)


def _write_group(files: list[tuple[str, str]], written: Callable[[str], None], flush: Callable[[list[int]], None]) -> None:
    staged: list[tuple[str, str, str, int]] = []  # path, the file it names, temporary file, its open descriptor
    replaced: list[tuple[str, str]] = []  # path, the file it names
    failure: InputError | None = None
    try:
        for path, text in files:
            try:
                staged.append((path, *_stage(path, text)))
            except InputError as error:
                failure = error  # what was staged before it is still written
                break
        flush([descriptor for _, _, _, descriptor in staged])
        while staged:
            path, target, temporary, descriptor = staged[0]
            os.close(descriptor)
            staged[0] = (path, target, temporary, -1)
            try:
                os.replace(temporary, target)
            except OSError as error:
                raise InputError(f"cannot write: {error.strerror or error}", path) from None
            staged.pop(0)
            replaced.append((path, target))
    except OSError as error:  # a flush failed: nothing of the group is replaced
        raise InputError(f"cannot write: {error.strerror or error}", staged[0][0]) from None
    except BaseException:  # a replace failed: the files replaced before it are still settled and reported
        with contextlib.suppress(InputError):
            _settle(replaced, written)
        raise
    finally:
        for _, _, temporary, descriptor in staged:
            if descriptor != -1:
                os.close(descriptor)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    _settle(replaced, written)
    if failure is not None:
        raise failure


def _settle(replaced: list[tuple[str, str]], written: Callable[[str], None]) -> None:
    """Flush the directories of the files ``replaced`` (``(path, the file it names)``: a
    rename is on disk only once its directory is: one fsync a directory, however many
    files), then report each path written. A directory that cannot be flushed is an error
    naming its first file, reported after the files before it."""
    directories = dict.fromkeys(os.path.dirname(target) or os.curdir for _, target in replaced)
    for directory in directories:
        try:
            _flush_directory(directory)
        except OSError as error:
            first = next(index for index, (_, target) in enumerate(replaced)
                         if (os.path.dirname(target) or os.curdir) == directory)
            for path, _ in replaced[:first]:
                written(path)
            raise InputError(f"cannot write: {error.strerror or error}", replaced[first][0]) from None
    for path, _ in replaced:
        written(path)


def _flush_directory(directory: str) -> None:
    if not hasattr(os, "O_DIRECTORY"):  # Windows: a directory cannot be opened, nor needs to be flushed
        return
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# A temporary file is created new (never an existing file or link), closed in any child
# process, written as bytes.
_TEMPORARY_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
                    | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
_temporary_names = itertools.count()


def _create_temporary(path: str) -> tuple[int, str]:
    """A new file beside ``path``, readable and writable by this user only: its descriptor
    and name (``.<name>.<random><count>.tmp``). As ``tempfile.mkstemp`` does, without its
    Python-level name generator and path normalisation for every file of a batch."""
    directory, name = os.path.split(path)
    for _ in range(100):
        temporary = os.path.join(directory, f".{name}.{os.urandom(4).hex()}{next(_temporary_names)}.tmp")
        try:
            return os.open(temporary, _TEMPORARY_FLAGS, 0o600), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no usable temporary file name", path)


def _stage(path: str, text: str) -> tuple[str, str, int]:
    """A temporary file beside the file ``path`` names holding ``text`` (not yet flushed)
    with the mode, owner and group that file has (or the umask's mode for a new file): the
    file to replace, the temporary file's path and its open descriptor.

    The file ``path`` names is the file a symbolic link points to (through every link of a
    chain), as ``open(path, "w")`` writes it: the link stays a link, and the file the
    repository keeps gets the change."""
    target = path
    try:
        found = os.lstat(path)
        status: os.stat_result | None = found
        if stat.S_ISLNK(found.st_mode):
            target = os.path.realpath(path)
            status = os.stat(target)
    except FileNotFoundError:
        status = None  # a new file (or one a dangling link names: made where it points)
    except OSError as error:
        raise InputError(f"cannot write: {error.strerror or error}", path) from None
    temporary: str | None = None
    descriptor = -1
    try:
        descriptor, temporary = _create_temporary(target)
        data = text.encode("utf-8")
        written = os.write(descriptor, data)
        if written < len(data):  # a short write (a signal, a full disk): write the rest
            view = memoryview(data)[written:]
            while view:
                view = view[os.write(descriptor, view) :]
        if status is None:
            os.fchmod(descriptor, 0o666 & ~_umask())
        else:
            os.fchmod(descriptor, stat.S_IMODE(status.st_mode))
            if (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
                # Not root: the file becomes the writer's, as with an editor.
                with contextlib.suppress(PermissionError):
                    os.fchown(descriptor, status.st_uid, status.st_gid)
            if stat.S_IMODE(status.st_mode) & (stat.S_ISUID | stat.S_ISGID):
                os.fchmod(descriptor, stat.S_IMODE(status.st_mode))  # chown clears set-id bits
    except OSError as error:
        if descriptor != -1:
            os.close(descriptor)
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        raise InputError(f"cannot write: {error.strerror or error}", path) from None
    return target, temporary, descriptor


class _Flusher:
    """``fsync`` of a group of descriptors; several at once in threads (fsync releases the
    GIL), from one pool for the whole batch."""

    def __init__(self) -> None:
        self._pool: Any = None

    def __enter__(self) -> _Flusher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def __call__(self, descriptors: list[int]) -> None:
        if len(descriptors) < 2:
            for descriptor in descriptors:
                os.fsync(descriptor)
            return
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=8)
        list(self._pool.map(os.fsync, descriptors))


def unwritable(path: str, directories: dict[str, str | None] | None = None) -> InputError | None:
    """Why ``path`` cannot be written by :func:`write_atomic` (its directory is missing or
    read-only, or it is not a regular file), or None: checked for every target before an
    editing command writes the first file. ``directories`` remembers what was found of
    each directory across the targets of one batch (a directory of 10,000 files is asked
    once). One ``lstat`` of the file (and a ``stat`` of what a link points to: the file
    written, in its directory); the directory's name (as ``Path(path).parent`` writes it)
    is worked out once per directory too."""
    target = path
    try:
        found = os.lstat(path)
        status: os.stat_result | None = found
        if stat.S_ISLNK(found.st_mode):
            target = os.path.realpath(path)
            status = os.stat(target)
    except OSError as error:  # what Path.exists() takes for "not there"
        if error.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            raise
        status = None
    except ValueError:
        status = None
    if status is not None and not stat.S_ISREG(status.st_mode):
        return InputError("cannot write: not a regular file", path)
    key = _parent_name(target)
    if directories is None or key not in directories:
        from pathlib import Path  # an editing command's: not imported by a lint (start-up)

        problem = None
        directory = Path(key)
        if not directory.is_dir():
            problem = f"cannot write: no directory {key!r}"
        elif not os.access(directory, os.W_OK | os.X_OK):  # access(2) also says so of a read-only file system
            problem = f"cannot write: the directory {key!r} is not writable"
        if directories is None:
            return InputError(problem, path) if problem else None
        directories[key] = problem
    problem = directories[key]
    return InputError(problem, path) if problem else None


_parent_names: dict[str, str] = {}


def _parent_name(path: str) -> str:
    """``str(Path(path).parent)``, remembered by ``os.path.dirname(path)`` (a path ending in
    a separator, ``.`` or ``..``, whose parent the two spell differently, is not remembered)."""
    head, name = os.path.split(path)
    if name in ("", ".", "..") or (os.altsep is not None and os.altsep in path):
        from pathlib import Path

        return str(Path(path).parent)
    parent = _parent_names.get(head)
    if parent is None:
        from pathlib import Path

        parent = _parent_names[head] = str(Path(path).parent)
    return parent
