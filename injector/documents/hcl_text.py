"""Terraform (.tf) text as the user wrote it: data, exact positions, and byte-exact edits.

``parse(text)`` gives an :class:`HclDocument` whose ``.data`` is the file as plain Python data, shaped
the way python-hcl2 loads it (without its quoting), plus the span of every value so that a linter can
report ``file:line:col`` and an editor can splice text.  ``apply(doc, ops)`` applies RFC 6902 operations
addressed to ``.data`` by changing only the text spans they touch.

The parser is tree-sitter-hcl: it gives byte spans for every node, keeps comments, and flags broken
input with ERROR / MISSING nodes.  Offsets reported by this module are *character* offsets into the
``str`` given to ``parse`` (tree-sitter works in UTF-8 bytes; we convert).
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import tree_sitter
import tree_sitter_hcl
from meshify.injector.documents.unknown import Unknown

__all__ = [
    "FileCall",
    "HclDocument",
    "HclError",
    "JsonSpan",
    "Reference",
    "Unknown",
    "apply",
    "in_template",
    "parse",
    "references_in",
]


# --------------------------------------------------------------------------------------------------
# Public value types


class HclError(ValueError):
    """HCL that does not parse (or is not valid Terraform structure). ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{line}:{column}: {message}")
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Reference(Unknown):
    """A plain traversal such as ``var.region`` or ``aws_appmesh_virtual_node.app.arn``."""

    parts: tuple[str, ...]


@dataclass(frozen=True, init=False)
class FileCall(Unknown):
    """``file("...")`` / ``templatefile("...", ...)`` with a literal path (``${path.module}/`` stripped)."""

    function: str
    path: str

    # Written by hand so that the positional order is (function, path, text) as documented, while
    # FileCall stays an Unknown (callers test ``isinstance(v, Unknown)`` to skip unknowable values).
    def __init__(self, function: str, path: str, text: str) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "function", function)
        object.__setattr__(self, "path", path)


@dataclass(frozen=True)
class JsonSpan:
    """A string attribute whose content looks like JSON (starts with ``[`` or ``{``).

    ``text`` is the string's content: for a literal, its decoded value; for a template (``${...}``
    inside), the source with interpolations left as written (like a ``.json.tpl`` file).
    ``offsets[i]`` is the character offset in the .tf text of ``text[i]`` (``offsets[len(text)]`` is
    the end), so a JSON parser's index ``i`` maps to ``doc.offset_to_position(span.offsets[i])``.
    Heredocs map verbatim (``<<-`` through the removed indentation); quoted strings through escapes.
    """

    pointer: str
    kind: str  # "heredoc" | "quoted"
    start: int
    end: int
    text: str
    offsets: tuple[int, ...] = field(repr=False)
    indent: str = ""  # what a ``<<-`` heredoc strips from each line (Terraform's flush heredoc)

    def file_offset(self, index: int) -> int:
        """Character offset in the .tf text of character ``index`` of ``text``."""
        return self.offsets[index]

    def rewritten(self, source: str, content: str, newline: str = "\n") -> str:
        """What replaces ``source[start:end]`` (``source`` the .tf text) so that the string holds
        ``content``: what ``content`` keeps of ``text`` is copied from ``source`` byte for byte
        (escapes, CRLF, indentation), and only what it adds is written, the way the string writes
        it: escaped in a quoted string; in a heredoc, each new line given the heredoc's indentation
        and the file's line ending."""
        pieces: list[str] = []
        at_line_start = False  # the last character written is a new line whose indentation is not
        from meshify.injector.documents.textdiff import opcodes

        for tag, i1, i2, j1, j2 in opcodes(self.text, content):
            if i1 == i2 and j1 == j2:
                continue
            if tag == "equal":
                if at_line_start and content[j1] != "\n":
                    pieces.append(self.indent)  # a kept line's source starts after its indentation
                pieces.append(source[self.offsets[i1] : self.offsets[i2]])
                # its source ends before the next line's content, past its indentation, except at the end
                at_line_start = i2 == len(self.text) and content[j2 - 1] == "\n"
            elif j2 > j1:  # inserted or replaced: written anew
                added = content[j1:j2]
                if self.kind == "quoted":
                    pieces.append(_escape_quoted(added))
                    continue
                for char in added:
                    if at_line_start and char != "\n":
                        pieces.append(self.indent)
                    pieces.append(newline if char == "\n" else char)
                    at_line_start = char == "\n"
        return "".join(pieces)


def in_template(value: Any) -> Any:
    """A value bound for JSON that a string of the .tf holds (a heredoc, a quoted string): a
    :class:`Reference` becomes the interpolation that string writes for it (``"${x.y.arn}"``)."""
    if isinstance(value, Reference):
        return "${" + value.text + "}"
    if isinstance(value, dict):
        return {key: in_template(item) for key, item in value.items()}
    if isinstance(value, list):
        return [in_template(item) for item in value]
    return value


_INTERPOLATED_TRAVERSAL = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)+)\s*\}\Z")


def references_in(value: Any) -> Any:
    """JSON read from a string of the .tf with each string that is one interpolation of a plain
    traversal (``"${aws_appmesh_virtual_node.x.arn}"``) as that :class:`Reference`, as the
    same value written in HCL reads: :func:`in_template`'s inverse."""
    if isinstance(value, Unknown) and not isinstance(value, Reference):
        match = _INTERPOLATED_TRAVERSAL.match(value.text)
        return Reference(match.group(1), tuple(match.group(1).split("."))) if match else value
    if isinstance(value, dict):
        return {key: references_in(item) for key, item in value.items()}
    if isinstance(value, list):
        return [references_in(item) for item in value]
    return value


def _escape_quoted(text: str) -> str:
    """Text as the inside of a quoted HCL string (its ``${`` left as written: a template's own)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


# --------------------------------------------------------------------------------------------------
# Parser (created on first use so that importing this module stays cheap)

_PARSER: tree_sitter.Parser | None = None


def _parser() -> tree_sitter.Parser:
    global _PARSER
    if _PARSER is None:
        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    return _PARSER


Node = tree_sitter.Node

# How many labels a top-level block type has, for the ones .data nests by label.  Other labelled
# types are nested by however many labels they carry.
_PROVIDER = "provider"
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_KEYWORDS = {"true", "false", "null", "for", "in", "if", "endif", "else", "endfor"}


def _escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _pointer(path: tuple[str, ...]) -> str:
    return "".join("/" + _escape_token(t) for t in path)


def _split_pointer(pointer: str) -> tuple[str, ...]:
    if pointer == "":
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/"))


@dataclass
class _Entry:
    """What sits at one pointer: its spans and the syntax that owns it (for editing)."""

    kind: str  # root | label | locals | block | blocks | attr | member | item
    start: int  # value span, characters
    end: int
    key: tuple[int, int] | None = None
    node: Node | None = None  # attribute / object_elem / element expression / block
    container: Node | None = None  # object or tuple node of the value (parens and jsonencode removed)
    blocks: list[Node] = field(default_factory=list)  # label / locals / blocks groups
    btype: str = ""  # block type for label / blocks groups
    labels: tuple[str, ...] = ()  # labels above this group (label entries)
    jsonencode: bool = False


def _named(node: Node) -> list[Node]:
    return [c for c in node.named_children if c.type != "comment"]


# --------------------------------------------------------------------------------------------------
# String decoding with offset maps (needed for .data and for mapping JSON positions back)

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _decode_quoted(raw: str, base: int) -> tuple[str, Sequence[int]]:
    """Decode the inside of a quoted HCL string; return the value and each char's source offset."""
    if "\\" not in raw and "{" not in raw:  # the common case: nothing to decode
        return raw, range(base, base + len(raw) + 1)
    out: list[str] = []
    offs: list[int] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            nxt = raw[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                offs.append(base + i)
                i += 2
                continue
            width = {"u": 4, "U": 8}.get(nxt)
            if width and re.fullmatch(r"[0-9A-Fa-f]+", raw[i + 2 : i + 2 + width] or "-"):
                out.append(chr(int(raw[i + 2 : i + 2 + width], 16)))
                offs.append(base + i)
                i += 2 + width
                continue
        if raw.startswith("$${", i) or raw.startswith("%%{", i):
            out.append(ch)
            out.append("{")
            offs.extend((base + i, base + i + 2))
            i += 3
            continue
        out.append(ch)
        offs.append(base + i)
        i += 1
    offs.append(base + len(raw))
    return "".join(out), offs


def _heredoc_content(text: str, start: int, end: int, flush: bool) -> tuple[str, list[int], str]:
    """Content of a heredoc whose body is text[start:end] (line after ``<<EOF`` up to the closer's
    line), each character's offset in ``text``, and the indentation a ``<<-EOF`` strips."""
    body = text[start:end]
    lines = body.splitlines(keepends=True)
    strip = 0
    indent = ""
    if flush:  # <<-EOF: remove the indentation of the least indented non-blank line
        indents = [ln[: len(ln) - len(ln.lstrip(" \t"))] for ln in lines if ln.strip()]
        indent = min(indents, key=len) if indents else ""
        strip = len(indent)
    out: list[str] = []
    offs: list[int] = []
    pos = start
    for ln in lines:
        cut = min(strip, len(ln) - len(ln.lstrip(" \t")))
        piece = ln[cut:]
        if piece.endswith("\r\n"):  # CRLF files: the value has plain newlines, as Terraform reads it
            out.append(piece[:-2] + "\n")
            offs.extend(range(pos + cut, pos + len(ln) - 2))
            offs.append(pos + len(ln) - 2)  # the line break starts at its "\r"
        else:
            out.append(piece)
            offs.extend(range(pos + cut, pos + len(ln)))
        pos += len(ln)
    offs.append(end)
    value = "".join(out)
    # Template escapes in heredocs: $${ and %%{ stand for ${ and %{.
    if "$${" in value or "%%{" in value:
        value2: list[str] = []
        offs2: list[int] = []
        i = 0
        while i < len(value):
            if value.startswith("$${", i) or value.startswith("%%{", i):
                value2 += [value[i], "{"]
                offs2 += [offs[i], offs[i + 2]]
                i += 3
            else:
                value2.append(value[i])
                offs2.append(offs[i])
                i += 1
        offs2.append(offs[-1])
        return "".join(value2), offs2, indent
    return value, offs, indent


# --------------------------------------------------------------------------------------------------
# The document


class HclDocument:
    """A parsed .tf file. See the module docstring and NOTES.md."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self._bom = 1 if text.startswith("\ufeff") else 0
        src = text[self._bom :]
        raw = src.encode("utf-8")
        self._b2c: list[int] | None = None
        if len(raw) != len(src):  # non-ASCII: map byte offsets to character offsets
            b2c: list[int] = []
            for i, ch in enumerate(src):
                b2c.extend([i] * (1 if ch < "\x80" else len(ch.encode("utf-8"))))
            b2c.append(len(src))
            self._b2c = b2c
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tree = _parser().parse(raw)
        self._entries: dict[tuple[str, ...], _Entry] = {}
        self.json_spans: dict[str, JsonSpan] = {}
        self._check_errors(self.tree.root_node)
        self.data: dict[str, Any] = self._load(self.tree.root_node)

    # ---- offsets and positions

    def _c(self, byte: int) -> int:
        """Character offset in ``text`` of a tree-sitter byte offset."""
        return (self._b2c[byte] if self._b2c is not None else byte) + self._bom

    def _src(self, node: Node) -> str:
        return self.text[self._c(node.start_byte) : self._c(node.end_byte)]

    def _span(self, node: Node) -> tuple[int, int]:
        return self._c(node.start_byte), self._c(node.end_byte)

    def offset_to_position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count characters (a BOM is not one)."""
        line = bisect_right(self._line_starts, offset)
        col = offset - self._line_starts[line - 1] + 1
        if line == 1:
            col -= self._bom
        return line, col

    def _entry(self, pointer: str) -> _Entry:
        try:
            return self._entries[_split_pointer(pointer)]
        except KeyError:
            raise KeyError(f"no value at {pointer!r}") from None

    def span(self, pointer: str) -> tuple[int, int]:
        """[start, end) character offsets of the value at ``pointer`` (a block: the whole block)."""
        e = self._entry(pointer)
        return e.start, e.end

    def key_span(self, pointer: str) -> tuple[int, int]:
        """Span of the attribute name / object key / block label naming the value (list items: the value)."""
        e = self._entry(pointer)
        return e.key if e.key is not None else (e.start, e.end)

    def position(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of the start of the value at ``pointer``."""
        return self.offset_to_position(self.span(pointer)[0])

    def key_position(self, pointer: str) -> tuple[int, int]:
        return self.offset_to_position(self.key_span(pointer)[0])

    def pointers(self) -> list[str]:
        """Every pointer that has a span, in document order of discovery."""
        return [_pointer(p) for p in self._entries]

    # ---- errors

    def _check_errors(self, root: Node) -> None:
        if not root.has_error:
            return
        # Pre-order walk: the first ERROR or MISSING node in the text is what we report.
        stack = [root]
        while stack:
            node = stack.pop()
            if node.is_missing:
                self._fail(f"missing {node.type!r}", node)
            if node.is_error:
                # An ERROR node often starts with the well-formed part it could not finish (a block
                # header, "x ="): point at the first stray token after that part, if there is one.
                stray = next((c for c in node.children[1:] if not c.is_named or c.is_error or c.is_missing), node)
                snippet = self._src(stray).split("\n", 1)[0][:30]
                self._fail(f"syntax error near {snippet!r}", stray)
            if node.has_error:
                stack.extend(reversed(node.children))
        self._fail("syntax error", root)

    def _fail(self, message: str, node: Node) -> None:
        line, col = self.offset_to_position(self._c(node.start_byte))
        raise HclError(message, line, col)

    # ---- building .data

    def _label(self, node: Node) -> str:
        if node.type == "identifier":
            return self._src(node)
        return self._string_value(node)[0]

    def _load(self, root: Node) -> dict[str, Any]:
        data: dict[str, Any] = {}
        body = next((c for c in root.children if c.type == "body"), None)
        self._entries[()] = _Entry("root", 0, len(self.text), node=root, container=body)
        if body is None:
            return data
        for item in _named(body):
            if item.type == "attribute":  # top-level attributes (rare in .tf, common in .tfvars)
                name = self._src(item.child(0))
                if name in data:
                    self._fail(f"duplicate attribute {name!r}", item)
                data[name] = self._attribute(item, (name,), "attr")
                continue
            btype, labels, _ = self._block_parts(item)
            if btype == "locals" and not labels:
                self._top_locals(item, data)
            elif not labels:  # terraform {}, moved {}, ...: always a list, like nested blocks
                group = data.setdefault(btype, [])
                if not isinstance(group, list):
                    self._fail(f"block {btype!r} mixes labelled and unlabelled forms", item)
                self._group_entry((btype,), "blocks", item, btype)
                group.append(self._block_body(item, (btype, str(len(group)))))
            else:
                self._top_labelled(item, btype, labels, data)
        return data

    def _block_parts(self, block: Node) -> tuple[str, list[str], list[Node]]:
        kids = _named(block)
        label_nodes = [c for c in kids[1:] if c.type in ("identifier", "string_lit")]
        return self._src(kids[0]), [self._label(n) for n in label_nodes], label_nodes

    def _group_entry(self, path: tuple[str, ...], kind: str, block: Node, btype: str, key: Node | None = None,
                     labels: tuple[str, ...] = ()) -> None:
        """Create or extend the entry of a group of blocks (its span grows to cover every block)."""
        start, end = self._span(block)
        e = self._entries.get(path)
        if e is None:
            keyspan = self._span(key if key is not None else block.child(0))
            self._entries[path] = _Entry(kind, start, end, key=keyspan, blocks=[block], btype=btype, labels=labels)
        else:
            e.blocks.append(block)
            e.end = max(e.end, end)

    def _top_locals(self, block: Node, data: dict[str, Any]) -> None:
        # Terraform merges all locals blocks into one namespace; so do we.
        self._group_entry(("locals",), "locals", block, "locals")
        merged = data.setdefault("locals", {})
        body = next((c for c in block.children if c.type == "body"), None)
        for item in _named(body) if body is not None else []:
            if item.type != "attribute":
                self._fail("locals blocks hold attributes only", item)
            name = self._src(item.child(0))
            if name in merged:
                self._fail(f"duplicate local {name!r}", item)
            merged[name] = self._attribute(item, ("locals", name), "attr")

    def _top_labelled(self, block: Node, btype: str, labels: list[str], data: dict[str, Any]) -> None:
        _, _, label_nodes = self._block_parts(block)
        path: tuple[str, ...] = (btype,)
        self._group_entry(path, "label", block, btype)
        level = data.setdefault(btype, {})
        if not isinstance(level, dict):
            self._fail(f"block {btype!r} mixes labelled and unlabelled forms", block)
        for i, label in enumerate(labels):
            path = (*path, label)
            last = i == len(labels) - 1
            if last and btype == _PROVIDER:  # provider "aws" may repeat (aliases): always a list
                group = level.setdefault(label, [])
                self._group_entry(path, "blocks", block, btype, label_nodes[i], tuple(labels))
                group.append(self._block_body(block, (*path, str(len(group)))))
            elif last:
                if label in level:
                    self._fail(f"duplicate block {btype} {' '.join(labels)}", block)
                self._entries[path] = _Entry("block", *self._span(block), key=self._span(label_nodes[i]), node=block)
                level[label] = self._block_body(block, path, register=False)
            else:
                self._group_entry(path, "label", block, btype, label_nodes[i], tuple(labels[: i + 1]))
                level = level.setdefault(label, {})

    def _block_body(self, block: Node, path: tuple[str, ...], register: bool = True) -> dict[str, Any]:
        if register:
            self._entries[path] = _Entry("block", *self._span(block), key=self._span(block.child(0)), node=block)
        result: dict[str, Any] = {}
        body = next((c for c in block.children if c.type == "body"), None)
        for item in _named(body) if body is not None else []:
            if item.type == "attribute":
                name = self._src(item.child(0))
                if name in result:
                    self._fail(f"duplicate attribute {name!r}", item)
                result[name] = self._attribute(item, (*path, name), "attr")
            elif item.type == "block":
                btype, labels, label_nodes = self._block_parts(item)
                group = result.setdefault(btype, [])
                clash = self._entries.get((*path, btype))
                if not isinstance(group, list) or (clash is not None and clash.kind != "blocks"):
                    self._fail(f"{btype!r} is both an attribute and a block", item)
                self._group_entry((*path, btype), "blocks", item, btype)
                elem_path = (*path, btype, str(len(group)))
                if labels:  # dynamic "x" { } -> [{"x": {...}}] as python-hcl2 does (one label level)
                    self._entries[elem_path] = _Entry("labelled", *self._span(item), key=self._span(item.child(0)), node=item)
                    inner = self._block_body(item, (*elem_path, labels[0]))
                    self._entries[(*elem_path, labels[0])].key = self._span(label_nodes[0])
                    group.append({labels[0]: inner})
                else:
                    group.append(self._block_body(item, elem_path))
        return result

    def _attribute(self, attr: Node, path: tuple[str, ...], kind: str) -> Any:
        name, expr = attr.child(0), _named(attr)[-1]
        return self._expression(expr, path, kind, owner=attr, key=name)

    def _expression(self, expr: Node, path: tuple[str, ...], kind: str, owner: Node, key: Node | None) -> Any:
        """Value of an expression; registers the entry at ``path`` and entries for everything inside."""
        entry = _Entry(kind, *self._span(expr), key=self._span(key) if key is not None else None, node=owner)
        self._entries[path] = entry
        inner = _unparen(expr)
        call = _only(inner, "function_call")
        if call is not None and self._src(call.child(0)) == "jsonencode":
            args = _call_args(call)
            if len(args) == 1:  # jsonencode(x): the data is x itself
                entry.jsonencode = True
                inner = _unparen(args[0])
        entry.container = _only(inner, "object") or _only(inner, "tuple")
        return self._value(inner, path, entry)

    def _value(self, expr: Node, path: tuple[str, ...], entry: _Entry) -> Any:
        kids = _named(expr) if expr.type == "expression" else [expr]
        if not kids:
            return Unknown(self._src(expr))
        head = kids[0]
        if head.type == "variable_expr":
            return self._traversal(expr, kids)
        if len(kids) > 1:
            return Unknown(self._src(expr))
        if head.type == "literal_value":
            lit = head.named_children[0]
            if lit.type == "string_lit":
                value, offs = self._string_value(lit)
                self._maybe_json(path, "quoted", value, offs)
                return value
            return self._literal(lit)
        if head.type == "collection_value":
            coll = head.named_children[0]
            return self._object(coll, path) if coll.type == "object" else self._tuple(coll, path)
        if head.type == "template_expr":
            return self._template(head.named_children[0], path, entry)
        if head.type == "function_call":
            return self._call(head)
        if head.type == "operation":  # -1 is an operation in HCL; keep negative literals as numbers
            op = head.named_children[0]
            if op.type == "unary_operation" and op.child(0).type == "-" and op.named_children[0].type == "literal_value":
                lit = self._literal(op.named_children[0].named_children[0])
                if isinstance(lit, (int, float)) and not isinstance(lit, bool):
                    return -lit
        return Unknown(self._src(expr))

    def _traversal(self, expr: Node, kids: list[Node]) -> Unknown:
        parts = [self._src(kids[0])]
        for k in kids[1:]:
            if k.type == "get_attr":
                parts.append(self._src(_named(k)[0]))
            elif k.type == "index" and (lit := _index_literal(k)) is not None:
                parts.append(self._literal(lit) if lit.type != "string_lit" else self._string_value(lit)[0])
                parts[-1] = str(parts[-1])
            else:  # splats, computed indexes: not a plain reference
                return Unknown(self._src(expr))
        return Reference(self._src(expr), tuple(parts))

    def _literal(self, lit: Node) -> Any:
        if lit.type == "string_lit":
            return self._string_value(lit)[0]
        src = self._src(lit)
        if lit.type == "numeric_lit":
            return int(src) if re.fullmatch(r"\d+", src) else float(src)
        if lit.type == "bool_lit":
            return src == "true"
        if lit.type == "null_lit":
            return None
        return Unknown(src)

    def _string_value(self, lit: Node) -> tuple[str, Sequence[int]]:
        """Decoded value of a string_lit / quoted template without interpolation, with offsets."""
        start = self._c(lit.start_byte) + 1
        end = self._c(lit.end_byte) - 1
        return _decode_quoted(self.text[start:end], start)

    def _template(self, tmpl: Node, path: tuple[str, ...], entry: _Entry) -> Any:
        parts = _named(tmpl)
        dynamic = [p for p in parts if p.type in ("template_interpolation", "template_directive")]
        if tmpl.type == "heredoc_template":
            idents = [p for p in parts if p.type == "heredoc_identifier"]
            flush = self._src(tmpl.child(0)) == "<<-"
            # Content: from the line after "<<EOF" to the start of the closing identifier's line.
            open_end = self._c(idents[0].end_byte)
            nl = self.text.find("\n", open_end)
            start = nl + 1
            close = self._c(idents[-1].start_byte) if len(idents) > 1 else self._c(tmpl.end_byte)
            end = self.text.rfind("\n", 0, close) + 1
            end = max(end, start)
            value, offs, indent = _heredoc_content(self.text, start, end, flush)
            self._maybe_json(path, "heredoc", value, offs, indent)
            return Unknown(self._src(tmpl)) if dynamic else value
        # quoted template: "${var.x}-svc" and friends
        if len(parts) == 3 and parts[1].type == "template_interpolation":
            inner = _named(parts[1])
            inner = [c for c in inner if c.type == "expression"]
            if len(inner) == 1 and _named(inner[0])[:1] and _named(inner[0])[0].type == "variable_expr":
                v = self._traversal(inner[0], _named(inner[0]))
                if isinstance(v, Reference):  # "${aws_vpc.main.id}" (Terraform 0.11 style) is that reference
                    return Reference(self._src(tmpl), v.parts)
        start, end = self._c(tmpl.start_byte) + 1, self._c(tmpl.end_byte) - 1
        text, template_offs = self._template_source(tmpl, start, end)
        self._maybe_json(path, "quoted", text, template_offs)
        return Unknown(self._src(tmpl)) if dynamic else text

    def _template_source(self, tmpl: Node, start: int, end: int) -> tuple[str, Sequence[int]]:
        """Quoted template text: literal parts decoded, interpolations kept as written."""
        out: list[str] = []
        offs: list[int] = []
        for p in tmpl.named_children:
            if p.type in ("quoted_template_start", "quoted_template_end"):
                continue
            s, e = self._span(p)
            if p.type == "template_literal":
                v, o = _decode_quoted(self.text[s:e], s)
                out.append(v)
                offs.extend(o[:-1])
            else:
                out.append(self.text[s:e])
                offs.extend(range(s, e))
        offs.append(end)
        return "".join(out), offs

    def _maybe_json(self, path: tuple[str, ...], kind: str, value: str, offs: Sequence[int], indent: str = "") -> None:
        stripped = value.lstrip()
        if stripped.startswith(("[", "{")):
            ptr = _pointer(path)
            self.json_spans[ptr] = JsonSpan(ptr, kind, offs[0], offs[-1], value, tuple(offs), indent)

    def _call(self, call: Node) -> Unknown:
        name = self._src(call.child(0))
        args = _call_args(call)
        if name in ("file", "templatefile") and args:
            path = self._path_literal(_unparen(args[0]))
            if path is not None:
                return FileCall(name, path, self._src(call))
        return Unknown(self._src(call))

    def _path_literal(self, expr: Node) -> str | None:
        kids = _named(expr)
        if len(kids) != 1:
            return None
        if kids[0].type == "literal_value" and kids[0].named_children[0].type == "string_lit":
            return self._string_value(kids[0].named_children[0])[0]
        if kids[0].type == "template_expr" and kids[0].named_children[0].type == "quoted_template":
            parts = [p for p in kids[0].named_children[0].named_children if p.type not in
                     ("quoted_template_start", "quoted_template_end")]
            if len(parts) == 2 and self._src(parts[0]) == "${path.module}" and parts[1].type == "template_literal":
                rest = _decode_quoted(self._src(parts[1]), 0)[0]
                return rest[1:] if rest.startswith("/") else rest
        return None

    def _object(self, obj: Node, path: tuple[str, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for elem in obj.named_children:
            if elem.type != "object_elem":
                continue
            key_node = elem.child_by_field_name("key")
            val_node = elem.child_by_field_name("val")
            assert key_node is not None and val_node is not None
            key = self._object_key(key_node)
            result[key] = self._expression(val_node, (*path, key), "member", owner=elem, key=key_node)
        return result

    def _object_key(self, key: Node) -> str:
        kids = _named(key)
        if len(kids) == 1 and kids[0].type == "variable_expr":
            return self._src(kids[0])
        if len(kids) == 1 and kids[0].type == "literal_value":
            lit = kids[0].named_children[0]
            return self._string_value(lit)[0] if lit.type == "string_lit" else self._src(lit)
        return self._src(key)  # computed key such as (var.k): its source text

    def _tuple(self, tup: Node, path: tuple[str, ...]) -> list[Any]:
        items = [c for c in tup.named_children if c.type == "expression"]
        return [self._expression(item, (*path, str(i)), "item", owner=item, key=None) for i, item in enumerate(items)]


def _only(expr: Node, typ: str) -> Node | None:
    """The node of type ``typ`` that ``expr`` consists of (through expression/collection wrappers)."""
    node = expr
    while True:
        if node.type == typ:
            return node
        kids = _named(node)
        if len(kids) != 1 or node.type not in ("expression", "collection_value", "literal_value", "template_expr"):
            return None
        node = kids[0]


def _unparen(expr: Node) -> Node:
    """Strip redundant parentheses: ``(x)`` -> ``x``."""
    while expr.type == "expression" and expr.child_count == 3 and expr.child(0).type == "(":
        expr = expr.child(1)
    return expr


def _call_args(call: Node) -> list[Node]:
    args = next((c for c in call.children if c.type == "function_arguments"), None)
    return [c for c in args.named_children if c.type == "expression"] if args is not None else []


def _index_literal(index: Node) -> Node | None:
    inner = _named(index)
    if len(inner) == 1 and inner[0].type in ("new_index", "legacy_index"):
        exprs = _named(inner[0])
        if inner[0].type == "legacy_index":
            return None
        if len(exprs) == 1 and len(_named(exprs[0])) == 1 and _named(exprs[0])[0].type == "literal_value":
            return _named(exprs[0])[0].named_children[0]
    return None


def parse(text: str) -> HclDocument:
    """Parse Terraform text; raises :class:`HclError` (with 1-based line/column) when it does not parse."""
    return HclDocument(text)


# --------------------------------------------------------------------------------------------------
# Editing: RFC 6902 operations applied by splicing text


@dataclass(frozen=True)
class _Style:
    """How new object members / list items are written, copied from the nearest sibling object."""

    sep: str = "="  # "=" (HCL) or ":" (JSON-ish)
    quote_keys: bool = False  # quote every key, not only the ones that are not identifiers
    commas: bool = False  # commas between members of multi-line objects
    trailing: bool = False  # comma after the last member / item of a multi-line container
    align: bool = True  # align "=" of consecutive single-line members (terraform fmt)
    inline: bool = False  # siblings are one-line objects: write short flat objects on one line too


_TOP_DEPTH = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1}


def _is_scalar(v: Any) -> bool:
    return not isinstance(v, (dict, list))


def _blocky(v: Any) -> bool:
    """A body member written as nested blocks: a non-empty list of objects (python-hcl2's block shape)."""
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


class _Editor:
    """One operation on one parsed document; produces the new text."""

    def __init__(self, doc: HclDocument) -> None:
        self.doc = doc
        self.text = doc.text
        self.nl = doc.newline
        self.edits: list[tuple[int, int, str]] = []
        widths = [len(m.group(1)) for m in re.finditer(r"\n([ \t]+)\S", self.text)]
        self.unit = "\t" if re.search(r"\n\t", self.text) else " " * (min(widths) if widths else 2)

    # ---- text helpers

    def result(self) -> str:
        out = self.text
        # Right to left so offsets stay valid; at one offset, the edit made first ends up first.
        order = sorted(range(len(self.edits)), key=lambda i: (self.edits[i][0], self.edits[i][1], i), reverse=True)
        for start, end, new in (self.edits[i] for i in order):
            out = out[:start] + new + out[end:]
        return out

    def line_start(self, off: int) -> int:
        return self.text.rfind("\n", 0, off) + 1

    def line_end(self, off: int) -> int:
        """Offset of the end of the line holding ``off`` (before "\\r\\n" / "\\n")."""
        end = self.text.find("\n", off)
        end = len(self.text) if end < 0 else end
        return end - 1 if end > 0 and self.text[end - 1] == "\r" else end

    def next_line(self, off: int) -> int:
        end = self.text.find("\n", off)
        return len(self.text) if end < 0 else end + 1

    def indent(self, off: int) -> str:
        start = self.line_start(off)
        return re.match(r"[ \t]*", self.text[start:]).group(0)  # type: ignore[union-attr]

    def alone_before(self, off: int) -> bool:
        return self.text[self.line_start(off) : off].strip() == ""

    def rest_is_blank(self, off: int) -> bool:
        rest = self.text[off : self.line_end(off)].strip()
        return rest == "" or rest.startswith(("#", "//"))

    def span(self, node: Node) -> tuple[int, int]:
        return self.doc._span(node)

    def comma_after(self, off: int) -> int | None:
        m = re.match(r"[ \t]*,", self.text[off:])
        return off + m.end() - 1 if m else None

    # ---- rendering

    def key(self, k: str, style: _Style) -> str:
        if style.quote_keys or not _IDENT.match(k) or k in _KEYWORDS:
            return self.string(k)
        return k

    @staticmethod
    def string(s: str) -> str:
        body = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        return '"' + body.replace("${", "$${").replace("%{", "%%{") + '"'

    def render(self, v: Any, indent: str, style: _Style) -> str:
        """HCL text of a value; the first line is not indented, later lines start at ``indent``."""
        if isinstance(v, Unknown):
            return v.text
        if isinstance(v, bool):
            return "true" if v else "false"
        if v is None:
            return "null"
        if isinstance(v, (int, float)):
            return json.dumps(v)
        if isinstance(v, str):
            return self.string(v)
        inner = indent + self.unit
        if isinstance(v, list):
            if not v:
                return "[]"
            items = [self.render(x, inner, style) for x in v]
            one_line = "[" + ", ".join(items) + "]"
            if all(_is_scalar(x) for x in v) and len(one_line) <= 100:
                return one_line
            lines = [inner + it + ("," if i < len(items) - 1 or style.trailing else "") for i, it in enumerate(items)]
            return "[" + self.nl + self.nl.join(lines) + self.nl + indent + "]"
        if isinstance(v, dict):
            if not v:
                return "{}"
            members = [(self.key(str(k), style), self.render(x, inner, style)) for k, x in v.items()]
            if style.inline and all(_is_scalar(x) for x in v.values()):
                one_line = "{ " + ", ".join(f"{k}{':' if style.sep == ':' else ' ='} {x}" for k, x in members) + " }"
                if len(one_line) <= 100:
                    return one_line
            lines = self.members(members, inner, style, style.commas)
            return "{" + self.nl + self.nl.join(lines) + self.nl + indent + "}"
        raise TypeError(f"cannot write {type(v).__name__} as HCL")

    def members(self, members: list[tuple[str, str]], indent: str, style: _Style, commas: bool) -> list[str]:
        """``key = value`` lines, "=" aligned over runs of single-line members (terraform fmt style)."""
        widths: list[int] = []
        run: list[int] = []
        for i, (_, val) in enumerate(members):
            widths.append(0)
            if "\n" in val or not style.align or style.sep != "=":
                for j in run:
                    widths[j] = max(len(members[r][0]) for r in run)
                run = []
            else:
                run.append(i)
        for j in run:
            widths[j] = max(len(members[r][0]) for r in run)
        lines = []
        for i, (k, val) in enumerate(members):
            comma = "," if commas and (i < len(members) - 1 or style.trailing) else ""
            if style.sep == ":":
                lines.append(f"{indent}{k}: {val}{comma}")
            else:
                lines.append(f"{indent}{k.ljust(widths[i])} = {val}{comma}")
        return lines

    def block(self, btype: str, labels: tuple[str, ...], body: dict[str, Any], indent: str) -> str:
        """A block, first line not indented."""
        head = " ".join([btype, *(self.string(x) for x in labels)])
        return head + " " + self.block_body(body, indent)

    def block_body(self, body: dict[str, Any], indent: str) -> str:
        if not body:
            return "{}"
        inner = indent + self.unit
        return "{" + self.nl + self.nl.join(self.body_lines(body, inner)) + self.nl + indent + "}"

    def body_lines(self, body: dict[str, Any], indent: str) -> list[str]:
        """Lines of a block body: attributes (aligned runs) and nested blocks, in the dict's order."""
        lines: list[str] = []
        attrs: list[tuple[str, str]] = []
        for k, v in body.items():
            if _blocky(v):
                lines += self.members(attrs, indent, _Style(), False)
                attrs = []
                lines += [indent + self.block(k, (), item, indent) for item in v]
            else:
                attrs.append((k, self.render(v, indent, _Style())))
        return lines + self.members(attrs, indent, _Style(), False)

    def style_near(self, node: Node | None) -> _Style:
        """Style of the nearest object: a sibling object in a tuple, else an enclosing object."""
        while node is not None:
            if node.type == "tuple":
                objs = [o for c in node.named_children if c.type == "expression" and (o := _only(c, "object"))]
                if objs:
                    return self.object_style(objs[0])
            if node.type == "object" and any(c.type == "object_elem" for c in node.named_children):
                return self.object_style(node)
            if node.type in ("block", "attribute"):  # left the expression: body-level defaults
                return _Style()
            node = node.parent
        return _Style()

    def object_style(self, obj: Node) -> _Style:
        elems = [c for c in obj.named_children if c.type == "object_elem"]
        colon = any(c.type == ":" for e in elems for c in e.children)
        quoted = bool(elems) and all(_only(e.child_by_field_name("key"), "string_lit") is not None for e in elems)  # type: ignore[arg-type]
        commas = any(c.type == "," for c in obj.children)
        multi = obj.start_point.row != obj.end_point.row
        trailing = multi and bool(elems) and self.comma_after(self.span(elems[-1])[1]) is not None
        # terraform fmt aligns "=" over runs of consecutive single-line members: look at adjacent
        # pairs of such members; a pair at different "=" columns means the file does not align.
        align = True
        single = [e for e in elems if e.start_point.row == e.end_point.row and any(c.type == "=" for c in e.children)]
        for a, b in itertools.pairwise(single):
            if b.start_point.row == a.start_point.row + 1:
                col_a, col_b = (next(c for c in x.children if c.type == "=").start_point.column for x in (a, b))
                align = align and col_a == col_b
        return _Style(":" if colon else "=", quoted, commas, trailing, align, inline=bool(elems) and not multi)

    # ---- operations

    def entry(self, path: tuple[str, ...]) -> _Entry:
        e = self.doc._entries.get(path)
        if e is None:
            raise ValueError(f"no value at {_pointer(path)!r}")
        if e.kind == "labelled":
            raise ValueError(f"{_pointer(path)!r}: editing a labelled nested block itself is not supported (only inside it)")
        return e

    def remove(self, path: tuple[str, ...]) -> None:
        e = self.entry(path)
        if e.kind == "root":
            raise ValueError("cannot remove the whole document")
        if e.kind in ("attr", "block"):
            assert e.node is not None
            self.delete_lines(e.node)
        elif e.kind in ("blocks", "label", "locals"):
            for b in e.blocks:
                self.delete_lines(b)
        else:  # member / item
            assert e.node is not None and e.node.parent is not None
            self.delete_element(e.node, e.node.parent)

    def delete_lines(self, node: Node) -> None:
        """Delete an attribute or block; whole lines when it is alone on them (with its trailing comment)."""
        s, e = self.span(node)
        if self.alone_before(s) and self.rest_is_blank(e):
            start, end = self.line_start(s), self.next_line(e)
            # The last item of a body that add_to_body separated by a blank line: take the
            # blank line with it, so that removing what was added gives the text back.
            before = re.search(r"\r?\n[ \t]*\r?\n$", self.text[:start])
            if before is not None and re.match(r"[ \t]*}", self.text[end:]):
                start = before.start() + len(before.group(0).split("\n", 1)[0]) + 1
            self.edits.append((start, end, ""))
        else:
            m = re.match(r"[ \t]*", self.text[e:])
            self.edits.append((s, e + (m.end() if m else 0), ""))

    def delete_element(self, elem: Node, container: Node) -> None:
        """Delete a tuple item or object member with its comma; the only one leaves ``[]`` / ``{}``."""
        kind = "object_elem" if container.type == "object" else "expression"
        sibs = [c for c in container.named_children if c.type == kind]
        if len(sibs) == 1:  # nothing left: empty the brackets (comments inside go too)
            self.edits.append((self.span(container.child(0))[1], self.span(container.children[-1])[0], ""))
            return
        s, e = self.span(elem)
        idx = next(i for i, c in enumerate(sibs) if c.id == elem.id)
        comma = self.comma_after(e)
        end = comma + 1 if comma is not None else e
        start = s
        if comma is None and idx == len(sibs) - 1:  # last without trailing comma: take the previous comma
            prev_comma = self.comma_after(self.span(sibs[idx - 1])[1])
            if prev_comma is not None and not (self.alone_before(s) and self.rest_is_blank(end)):
                start = prev_comma
            elif prev_comma is not None:
                self.edits.append((prev_comma, prev_comma + 1, ""))
        if self.alone_before(s) and self.rest_is_blank(end):
            self.edits.append((self.line_start(s), self.next_line(end), ""))
        else:
            m = re.match(r"[ \t]*", self.text[end:]) if start == s else None
            self.edits.append((start, end + (m.end() if m else 0), ""))

    def replace(self, path: tuple[str, ...], value: Any) -> None:
        e = self.entry(path)
        if e.kind in ("attr", "member", "item"):
            src = self.text[e.start : e.end]
            new = self.heredoc(src, value) if src.startswith("<<") and isinstance(value, str) else None
            if new is None:
                new = self.render(value, self.indent(e.start), self.style_near(e.node))
                if e.jsonencode and not _is_scalar(value):
                    new = f"jsonencode({new})"
            self.edits.append((e.start, e.end, new))
        elif e.kind == "block":
            assert e.node is not None
            if not isinstance(value, dict):
                raise ValueError(f"a block is replaced by an object, not {type(value).__name__}")
            start = self.span(next(c for c in e.node.children if c.type == "block_start"))[0]
            self.edits.append((start, e.end, self.block_body(value, self.indent(e.start))))
        else:
            raise ValueError(f"replace of {_pointer(path)!r} ({e.kind}) is done as remove + add")

    def heredoc(self, old: str, value: str) -> str | None:
        """Keep a heredoc a heredoc when the new string can be one (ends with a newline)."""
        m = re.match(r"<<(-?)([A-Za-z_][A-Za-z0-9_]*)", old)
        if m is None or not value.endswith("\n") or "\r" in value:
            return None
        ident = m.group(2)
        lines = value[:-1].split("\n")
        if any(ln.strip() == ident for ln in lines):
            return None
        close = old.rsplit("\n", 1)[-1]
        pad = re.match(r"[ \t]*", close).group(0) if m.group(1) else ""  # type: ignore[union-attr]
        body = [(pad + ln if ln else ln).replace("${", "$${").replace("%{", "%%{") for ln in lines]
        return m.group(0) + self.nl + self.nl.join(body) + self.nl + close

    def add(self, path: tuple[str, ...], value: Any) -> None:
        if not path:
            raise ValueError("cannot add the whole document")
        parent, key = path[:-1], path[-1]
        pe = self.entry(parent)
        inserting = pe.kind == "blocks" or (pe.container is not None and pe.container.type == "tuple")
        if path in self.doc._entries and not inserting:  # RFC 6902: add to an existing member replaces it
            self.replace(path, value)
            return
        if pe.kind in ("block", "locals"):
            block = pe.node if pe.kind == "block" else pe.blocks[-1]
            assert block is not None
            self.add_to_body(block, key, value)
        elif pe.kind == "blocks":
            self.add_block_item(pe, key, value)
        elif pe.kind in ("root", "label"):
            self.add_top(pe, key, value)
        elif pe.container is not None and pe.container.type == "tuple":
            self.add_item(pe.container, key, value)
        elif pe.container is not None and pe.container.type == "object":
            self.add_member(pe.container, key, value)
        else:
            raise ValueError(f"cannot add into {_pointer(parent)!r}: not an object, list or block")

    def add_to_body(self, block: Node, key: str, value: Any) -> None:
        """New attribute or nested block(s), just before the block's closing brace."""
        close = self.span(next(c for c in block.children if c.type == "block_end"))[0]
        body = next((c for c in block.children if c.type == "body"), None)
        items = _named(body) if body is not None else []
        own_lines = items and block.start_point.row != items[0].start_point.row
        indent = self.indent(self.span(items[0])[0]) if own_lines else self.indent(self.span(block)[0]) + self.unit
        lines = self.body_lines({key: value}, indent)
        if _blocky(value) and items and re.search(r"\n[ \t]*\r?\n", self.text[self.span(items[0])[0] : close]):
            lines[0] = self.nl + lines[0]  # the body separates its items with blank lines: so do we
        if self.alone_before(close):
            self.edits.append((self.line_start(close), self.line_start(close), self.nl.join(lines) + self.nl))
        else:  # "x { a = 1 }" or "x {}": open it up
            cut = len(self.text[:close].rstrip(" \t"))
            self.edits.append((cut, close, self.nl + self.nl.join(lines) + self.nl + self.indent(self.span(block)[0])))

    def add_block_item(self, pe: _Entry, key: str, value: Any) -> None:
        if not isinstance(value, dict):
            raise ValueError("an element of a list of blocks must be an object")
        n = len(pe.blocks)
        i = n if key == "-" else int(key)
        if not 0 <= i <= n:
            raise ValueError(f"index {key} out of range")
        ref = pe.blocks[max(i - 1, 0)]
        indent = self.indent(self.span(ref)[0])
        labels = pe.labels if pe.btype == _PROVIDER else ()
        text = self.block(pe.btype, labels, value, indent)
        if i > 0:
            self.edits.append((self.span(ref)[1], self.span(ref)[1], self.nl + indent + text))
        else:
            self.edits.append((self.span(ref)[0], self.span(ref)[0], text + self.nl + indent))

    def add_top(self, pe: _Entry, key: str, value: Any) -> None:
        """New top-level block(s): after the group's last block, or at the end of the file."""
        btype = pe.btype or key
        labels = (*pe.labels, key) if pe.btype else ()
        if pe.kind == "label" and not pe.labels:
            labels = (key,)
        depth = _TOP_DEPTH.get(btype, len(labels) if labels else 0)
        blocks = self.top_blocks(btype, labels, depth, value)
        anchor = self.span(pe.blocks[-1])[1] if pe.blocks else len(self.text.rstrip())
        sep = self.nl + self.nl if anchor else ""
        self.edits.append((anchor, anchor, "".join(sep + b for b in blocks) + ("" if anchor else self.nl)))

    def top_blocks(self, btype: str, labels: tuple[str, ...], depth: int, value: Any) -> list[str]:
        if btype == "locals" and not labels:
            return [self.block("locals", (), value, "")]
        if len(labels) < depth:
            if not isinstance(value, dict):
                raise ValueError(f"{btype} {' '.join(labels)}: expected an object keyed by label")
            return [b for k, v in value.items() for b in self.top_blocks(btype, (*labels, k), depth, v)]
        if btype == _PROVIDER or depth == 0:  # lists of bodies
            items = value if isinstance(value, list) else [value]
            return [self.block(btype, labels, v, "") for v in items]
        return [self.block(btype, labels, value, "")]

    def add_item(self, tup: Node, key: str, value: Any) -> None:
        elems = [c for c in tup.named_children if c.type == "expression"]
        n = len(elems)
        i = n if key == "-" else int(key)
        if not 0 <= i <= n:
            raise ValueError(f"index {key} out of range")
        style = self.style_near(tup)
        close = self.span(tup.children[-1])[0]
        if n == 0:
            self.fill_empty(tup, self.render(value, self.indent(self.span(tup)[0]) + self.unit, style), _is_scalar(value))
            return
        multi = elems[-1].end_point.row != tup.children[-1].start_point.row
        indent = self.indent(self.span(elems[0])[0]) if multi else self.indent(self.span(tup)[0])
        new = self.render(value, indent, style)
        self.insert_element(elems, i, new, indent, multi, close, always_commas=True)

    def add_member(self, obj: Node, key: str, value: Any) -> None:
        elems = [c for c in obj.named_children if c.type == "object_elem"]
        style = self.object_style(obj) if elems else self.style_near(obj.parent)
        if not elems:
            indent = self.indent(self.span(obj)[0]) + self.unit
            member = self.members([(self.key(key, style), self.render(value, indent, style))], "", style, False)[0]
            self.fill_empty(obj, member, _is_scalar(value))
            return
        multi = elems[-1].end_point.row != obj.children[-1].start_point.row
        indent = self.indent(self.span(elems[0])[0]) if multi else self.indent(self.span(obj)[0])
        member = self.members([(self.key(key, style), self.render(value, indent, style))], "", style, False)[0]
        close = self.span(obj.children[-1])[0]
        self.insert_element(elems, len(elems), member, indent, multi, close, always_commas=style.commas or not multi)

    def fill_empty(self, container: Node, new: str, inline: bool) -> None:
        open_end = self.span(container.child(0))[1]
        close = self.span(container.children[-1])[0]
        ind = self.indent(self.span(container)[0])
        if inline and "\n" not in new:
            pad = " " if container.type == "object" else ""
            self.edits.append((open_end, close, pad + new + pad))
        else:
            self.edits.append((open_end, close, self.nl + ind + self.unit + new + self.nl + ind))

    def insert_element(self, elems: list[Node], i: int, new: str, indent: str, multi: bool, close: int,
                       always_commas: bool) -> None:
        """Insert ``new`` before elems[i] (or after the last), following the container's comma style."""
        n = len(elems)
        if i < n:
            s = self.span(elems[i])[0]
            sep = "," if always_commas else ""
            if multi and self.alone_before(s):
                self.edits.append((self.line_start(s), self.line_start(s), indent + new + sep + self.nl))
            else:
                self.edits.append((s, s, new + sep + " "))
            return
        last_end = self.span(elems[-1])[1]
        comma = self.comma_after(last_end)
        if not multi:
            self.edits.append((last_end, last_end, (", " if always_commas or comma is None else " ") + new))
            return
        if comma is not None:  # the list writes a comma after every element, the last one too
            self.edits.append((self.line_end(comma), self.line_end(comma), self.nl + indent + new + ","))
            return
        if always_commas:
            self.edits.append((last_end, last_end, ","))
        at = self.line_end(last_end)
        at = min(at, close) if self.text[last_end:close].strip() == "" else at
        self.edits.append((at, at, self.nl + indent + new))


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for token in path:
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


def apply(doc: HclDocument, operations: list[dict[str, Any]]) -> str:
    """Apply RFC 6902 operations (add, remove, replace; also move, copy, test) to the text of ``doc``.

    Operations apply in order, each to the result of the previous one (the text is re-parsed in
    between, which is cheap and keeps every span exact).  Only the spans an operation touches change.
    """
    text = doc.text
    for op in operations:
        kind = op.get("op")
        path = _split_pointer(op["path"])
        steps: list[tuple[str, tuple[str, ...], Any]]
        if kind in ("add", "replace"):
            steps = [(kind, path, op["value"])]
        elif kind == "remove":
            steps = [("remove", path, None)]
        elif kind in ("move", "copy"):
            src = _split_pointer(op["from"])
            value = copy.deepcopy(_get(doc.data, src))
            steps = ([("remove", src, None)] if kind == "move" else []) + [("add", path, value)]
        elif kind == "test":
            if _get(doc.data, path) != op["value"]:
                raise ValueError(f"test failed at {op['path']!r}")
            steps = []
        else:
            raise ValueError(f"unsupported operation {kind!r}")
        for step, p, value in steps:
            entry = doc._entries.get(p)
            if step == "replace" and entry is not None and entry.kind in ("blocks", "label", "locals"):
                text = _apply_one(doc, "remove", p, None)
                doc = HclDocument(text)
                step = "add"
            text = _apply_one(doc, step, p, value)
            try:
                doc = HclDocument(text)
            except HclError as exc:  # our own output must parse; this is a bug, say where
                raise RuntimeError(f"edit {step} {_pointer(p)} produced invalid HCL: {exc}") from exc
    return text


def _apply_one(doc: HclDocument, step: str, path: tuple[str, ...], value: Any) -> str:
    editor = _Editor(doc)
    if step == "remove":
        editor.remove(path)
    elif step == "replace":
        editor.replace(path, value)
    else:
        editor.add(path, value)
    return editor.result()
