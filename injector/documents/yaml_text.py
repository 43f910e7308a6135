"""YAML as the user wrote it: load a CloudFormation template with positions, edit it by splicing text.

`load` turns YAML text into plain JSON-like data (short-form intrinsics become their long form, so a YAML and a
JSON template give identical data) and keeps, for every value, where it is written. `apply` applies RFC 6902
operations to the *text*: it splices at the positions the parser reports instead of dumping a tree, so comments,
quoting, tags, anchors, flow/block style, indentation, blank lines, line endings and a BOM survive untouched.

We build our own node tree from ruamel.yaml's round-trip parser events (`YAML(typ="rt").parse`) rather than using
the composed `CommentedMap`: events carry both start *and* end marks, alias occurrences keep their own position,
and building the tree with an explicit stack means hostile nesting cannot exhaust the C stack.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import ScalarNode

MAX_DEPTH = 200  # nesting of written nodes and of the expanded data
MAX_NODES = 1_000_000  # values produced while expanding aliases ("billion laughs" budget)
MAX_EDIT_ROUNDS = 100  # materialisation rounds for one operation (each round removes one alias hazard)

# Short-form tag -> long-form key. `!GetAtt A.B` is special-cased (split at the first dot).
INTRINSIC_TAGS: dict[str, str] = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{
        f"!{name}": f"Fn::{name}"
        for name in [
            *["GetAtt", "Sub", "Join", "If", "FindInMap", "ImportValue", "Select", "Split", "Base64", "Cidr"],
            *["GetAZs", "Equals", "And", "Or", "Not"],
            # Not in the brief's list but documented short forms (Fn::Transform, LanguageExtensions functions).
            *["Transform", "ToJsonString", "Length"],
        ]
    },
}
LONG_TO_TAG: dict[str, str] = {v: k for k, v in INTRINSIC_TAGS.items() if v != "Condition"}

_YAML_CORE = "tag:yaml.org,2002:"
_CORE_SCALAR_TAGS = {f"{_YAML_CORE}{t}" for t in ("str", "int", "float", "bool", "null")}
_CORE_COLLECTION_TAGS = {f"{_YAML_CORE}map", f"{_YAML_CORE}seq"}

Pos = tuple[int, int]


class YamlError(ValueError):
    """A problem at a place in the text; `line` and `column` are 1-based."""

    def __init__(self, message: str, line: int, column: int, path: str = "") -> None:
        self.message = message
        self.line = line
        self.column = column
        self.path = path
        super().__init__(f"{path + ':' if path else ''}{line}:{column}: {message}")


@dataclass(eq=False)
class Node:
    """One node as written. Alias occurrences are their own nodes (kind "alias") pointing at `target`."""

    kind: str  # "scalar" | "seq" | "map" | "alias"
    start: int  # index of the first character, properties (anchor/tag) included
    end: int  # index after the last content character (block collections: end of their last child)
    tag: str | None = None
    anchor: str | None = None
    flow: bool = False  # flow collection ([...] / {...})
    style: str | None = None  # scalar style: None (plain), "'", '"', "|", ">"
    value: str = ""  # scalar text
    items: list[Node] = field(default_factory=list)
    pairs: list[tuple[Node, Node]] = field(default_factory=list)
    target: Node | None = None  # alias -> anchored node
    parent: Node | None = None
    key: Node | None = None  # for a mapping value: its key node
    users: list[Node] = field(default_factory=list)  # alias occurrences that refer to this (anchored) node


def _deref(node: Node) -> Node:
    while node.kind == "alias":
        assert node.target is not None
        node = node.target
    return node


def _is_merge_key(key: Node) -> bool:
    return key.kind == "scalar" and key.value == "<<" and key.style is None and key.tag is None


def _is_in_flow(node: Node) -> bool:
    return node.parent is not None and node.parent.flow


# ----------------------------------------------------------------------------------------------------------------
# Text helpers
# ----------------------------------------------------------------------------------------------------------------


class _Text:
    """Index <-> line/column for one text. Columns do not count a leading BOM (as editors show it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.bom = text.startswith("\ufeff")
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
        self.newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"

    def line_col(self, index: int) -> Pos:
        """0-based line and column."""
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:  # last line start <= index
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= index:
                lo = mid
            else:
                hi = mid - 1
        col = index - self.line_starts[lo]
        if lo == 0 and self.bom and col > 0:
            col -= 1
        return lo, col

    def pos(self, index: int) -> Pos:
        line, col = self.line_col(index)
        return line + 1, col + 1

    def column(self, index: int) -> int:
        return self.line_col(index)[1]

    def line_start(self, index: int) -> int:
        i = index
        while i > 0 and self.text[i - 1] not in "\r\n":
            i -= 1
        return i

    def line_end(self, index: int) -> int:
        """Index of the line break ending the line that contains `index` (or len(text))."""
        i = index
        while i < len(self.text) and self.text[i] not in "\r\n":
            i += 1
        return i

    def after_line_break(self, index: int) -> int:
        i = self.line_end(index)
        if self.text.startswith("\r\n", i):
            return i + 2
        return min(i + 1, len(self.text))

    def only_indent_before(self, index: int) -> bool:
        start = self.line_start(index)
        return self.text[start:index].strip(" \t\ufeff") == ""


def _prescan_flow_depth(text: str, path: str, tx: _Text) -> None:
    """Refuse absurd flow nesting before ruamel sees it: its scanner is quadratic on long runs of '['.

    Counts brackets that can open a flow collection (at a token start), skipping quoted strings and comments.
    Approximate on purpose: it only ever rejects more than MAX_DEPTH unclosed brackets.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    interesting = re.compile(r"[\[\]{}'\"#]")
    n = len(text)
    m = interesting.search(text)
    while m is not None:
        i = m.start()
        c = text[i]
        prev = text[i - 1] if i > 0 else "\n"
        nxt = i + 1
        if c in "[{":
            if prev in " \t\r\n[{,\ufeff":
                depth += 1
                if depth > MAX_DEPTH:
                    line, col = tx.pos(i)
                    raise YamlError(f"nesting deeper than {MAX_DEPTH}", line, col, path)
        elif c in "]}":
            depth = max(depth - 1, 0)
        elif c == "#":
            if prev in " \t\r\n":
                nxt = tx.line_end(i)
        elif prev in " \t\r\n[{,:-?":  # a quote that starts a quoted scalar: skip to its end
            j = i + 1
            while j < n:
                j = text.find(c, j)
                if j < 0:
                    return  # unterminated: let the parser report it
                if c == '"' and _escaped(text, j):
                    j += 1
                    continue
                if c == "'" and text.startswith("''", j):
                    j += 2
                    continue
                break
            nxt = j + 1
        m = interesting.search(text, nxt)


def _escaped(text: str, j: int) -> bool:
    backslashes = 0
    while text[j - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


# ----------------------------------------------------------------------------------------------------------------
# Loading
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class _Style:
    """How the file writes things, so new text looks like its neighbours."""

    step: int = 2  # indentation of a nested mapping relative to its key
    seq_indent: int = 2  # indentation of a block sequence's '-' relative to its key (0 or step, usually)
    quote: str = "'"  # prevailing quote for strings that need quoting


class YamlDocument:
    """A loaded YAML text: `data` (plain JSON-like), positions, and what `apply` needs to splice."""

    def __init__(self, text: str, path: str, root: Node | None, data: Any) -> None:
        self.text = text
        self.path = path
        self.root = root
        self.data = data
        self._tx = _Text(text)
        self.style = _detect_style(root, self._tx)
        self.fast = False  # parsed with libyaml; apply() re-loads the same way

    # -- positions ---------------------------------------------------------------------------------------------

    def position(self, pointer: str) -> Pos:
        """1-based (line, column) of the value at an RFC 6901 pointer into `data`.

        For an aliased value this is the alias (`*name`); for a value inside it, where it is written under the
        anchor. For a pointer into a short-form intrinsic, the tagged node. Raises KeyError if there is no value.
        """
        node = self._locate(pointer).node
        return self._tx.pos(node.start)

    def key_position(self, pointer: str) -> Pos:
        """1-based (line, column) of the mapping key of `pointer` (for a sequence item: its '-' or the item)."""
        loc = self._locate(pointer)
        if loc.key_node is not None:
            return self._tx.pos(loc.key_node.start)
        if loc.parent is not None and loc.parent.kind == "seq" and not loc.parent.flow:
            return self._tx.pos(_dash_index(self._tx, loc.node))
        return self._tx.pos(loc.node.start)

    def _locate(self, pointer: str) -> _Loc:
        steps, rest = _walk(self.root, _split_pointer(pointer))
        if rest and not steps[-1].opaque:
            raise KeyError(pointer)
        return steps[-1]


@dataclass
class _Loc:
    """One step of a pointer walk: `node` is the value as written (maybe an alias occurrence)."""

    node: Node
    parent: Node | None = None  # the container, dereferenced
    key_node: Node | None = None
    index: int | None = None
    merged: bool = False  # the key was found through a merge key '<<', not written in `parent`
    opaque: bool = False  # a tagged intrinsic scalar: the pointer continues inside a value we can't address
    inner: bool = False  # the content of a tagged intrinsic collection (the data under "Fn::X")
    pointer: str = ""


def _split_pointer(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise KeyError(pointer)
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _key_text(key: Node) -> str:
    key = _deref(key)
    return key.value


def _find_key(mapping: Node, name: str) -> tuple[Node, Node, bool] | None:
    """(key node, value node, merged?) for `name` in a mapping, following merge keys like the loader does."""
    for k, v in mapping.pairs:
        if not _is_merge_key(k) and _key_text(k) == name:
            return k, v, False
    for k, v in mapping.pairs:
        if _is_merge_key(k):
            source = _deref(v)
            sources = [_deref(s) for s in source.items] if source.kind == "seq" else [source]
            for s in sources:
                found = _find_key(s, name)
                if found is not None:
                    return found[0], found[1], True
    return None


def _walk(root: Node | None, segments: list[str]) -> tuple[list[_Loc], list[str]]:
    """Follow segments from the root; returns the steps taken and the segments left over."""
    if root is None:
        raise KeyError("/")
    steps = [_Loc(node=root)]
    pointer = ""
    i = 0
    while i < len(segments):
        seg = segments[i]
        cur = _deref(steps[-1].node)
        if cur.tag in INTRINSIC_TAGS and seg == INTRINSIC_TAGS[cur.tag]:
            # Data is {"Fn::X": inner}; the inner value is the tagged node's own content.
            pointer += "/" + _escape(seg)
            if cur.kind == "scalar":
                steps[-1].opaque = True
                return steps, segments[i + 1 :]
            stripped = copy.copy(cur)
            stripped.tag = None
            steps.append(_Loc(node=stripped, parent=cur.parent, pointer=pointer, inner=True))
            i += 1
            continue
        if cur.tag in INTRINSIC_TAGS:
            steps[-1].opaque = True
            return steps, segments[i:]
        if cur.kind == "map":
            found = _find_key(cur, seg)
            if found is None:
                return steps, segments[i:]
            k, v, merged = found
            pointer += "/" + _escape(seg)
            steps.append(_Loc(node=v, parent=cur, key_node=k, merged=merged, pointer=pointer))
        elif cur.kind == "seq":
            if not re.fullmatch(r"0|[1-9][0-9]*", seg) or int(seg) >= len(cur.items):
                return steps, segments[i:]
            pointer += "/" + seg
            steps.append(_Loc(node=cur.items[int(seg)], parent=cur, index=int(seg), pointer=pointer))
        else:
            return steps, segments[i:]
        i += 1
    return steps, []


def _dash_index(tx: _Text, item: Node) -> int:
    """Index of the '-' introducing a block sequence item."""
    i = item.start - 1
    while i >= 0 and tx.text[i] in " \t\r\n":
        i -= 1
    return i if i >= 0 and tx.text[i] == "-" else item.start


def _colon_end(tx: _Text, key: Node) -> int:
    """Index just after the ':' that follows a mapping key."""
    i = key.end
    while i < len(tx.text) and tx.text[i] in " \t":
        i += 1
    if i < len(tx.text) and tx.text[i] == ":":
        return i + 1
    line, col = tx.pos(key.start)
    raise YamlError("unsupported mapping key form (complex key?)", line, col)


def _build(text: str, path: str, tx: _Text, fast: bool = False) -> Node | None:
    """Parser events -> Node tree, with an explicit stack (no recursion) and a depth limit.

    `fast` uses libyaml (ruamel.yaml.clib's CParser, ~35x faster) instead of ruamel's round-trip parser. Its events
    are the same except that plain scalars have style "" and indices do not count a BOM (which we skip for it).
    """
    offset = 0
    source = text
    if fast:
        yaml = YAML(typ="safe", pure=False)
        if tx.bom:
            source, offset = text[1:], 1
    else:
        yaml = YAML(typ="rt")
    stack: list[Node] = []
    pending_key: dict[int, Node | None] = {}
    anchors: dict[str, Node] = {}
    root: Node | None = None
    documents = 0

    def err(message: str, index: int) -> YamlError:
        line, col = tx.pos(index)
        return YamlError(message, line, col, path)

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        node.parent = parent
        if parent.kind == "seq":
            parent.items.append(node)
        elif pending_key.get(id(parent)) is None:
            pending_key[id(parent)] = node
        else:
            key = pending_key[id(parent)]
            assert key is not None
            node.key = key
            parent.pairs.append((key, node))
            pending_key[id(parent)] = None

    try:
        for event in yaml.parse(source):
            if isinstance(event, ev.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise err("more than one YAML document", (event.start_mark.index + offset))
            elif isinstance(event, ev.AliasEvent):
                target = anchors.get(event.anchor)
                if target is None:
                    raise err(f"undefined alias *{event.anchor}", (event.start_mark.index + offset))
                if any(s is target for s in stack):
                    raise err(f"recursive alias *{event.anchor}", (event.start_mark.index + offset))
                node = Node(
                    "alias", (event.start_mark.index + offset), (event.end_mark.index + offset), anchor=event.anchor, target=target
                )
                target.users.append(node)
                attach(node)
            elif isinstance(event, ev.ScalarEvent):
                start, end = (event.start_mark.index + offset), (event.end_mark.index + offset)
                if event.style in ("|", ">"):
                    while end > start and text[end - 1] in " \t\r\n":  # the mark includes trailing blank lines
                        end -= 1
                node = Node("scalar", start, end, tag=event.tag, anchor=event.anchor, style=event.style or None, value=event.value)
                attach(node)
                if event.anchor:
                    anchors[event.anchor] = node
            elif isinstance(event, (ev.SequenceStartEvent, ev.MappingStartEvent)):
                kind = "seq" if isinstance(event, ev.SequenceStartEvent) else "map"
                node = Node(
                    kind,
                    (event.start_mark.index + offset),
                    (event.start_mark.index + offset),
                    tag=event.tag,
                    anchor=event.anchor,
                    flow=bool(event.flow_style),
                )
                attach(node)
                if event.anchor:
                    anchors[event.anchor] = node
                stack.append(node)
                if len(stack) > MAX_DEPTH:
                    raise err(f"nesting deeper than {MAX_DEPTH}", (event.start_mark.index + offset))
            elif isinstance(event, (ev.SequenceEndEvent, ev.MappingEndEvent)):
                node = stack.pop()
                pending_key.pop(id(node), None)
                if node.flow:
                    node.end = event.end_mark.index + offset
                else:
                    # An empty block value (`Key:` then nothing) is reported at the next token; put it after the colon.
                    for k, v in node.pairs:
                        if v.kind == "scalar" and v.value == "" and v.style is None and not v.tag and not v.anchor:
                            v.start = v.end = _colon_end(tx, k)
                    last = node.items[-1] if node.items else (node.pairs[-1][1] if node.pairs else None)
                    node.end = max(last.end, last.key.end if last.key else 0) if last else node.start
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        message = str(e.problem or e.context or "malformed YAML")  # the problem alone, as the plain loader said it
        line, col = tx.pos(mark.index + offset) if mark is not None else (1, 1)
        raise YamlError(message, line, col, path) from None
    except RecursionError:
        raise YamlError("nesting too deep", 1, 1, path) from None
    return root


def _all_nodes(root: Node | None) -> Iterator[Node]:
    """Every written node once (aliases not followed), iteratively."""
    todo = [root] if root is not None else []
    while todo:
        node = todo.pop()
        yield node
        todo.extend(node.items)
        for k, v in node.pairs:
            todo.extend((k, v))


def _post_order(root: Node) -> Iterator[Node]:
    todo: list[tuple[Node, bool]] = [(root, False)]
    while todo:
        node, expanded = todo.pop()
        if expanded:
            yield node
            continue
        todo.append((node, True))
        children = node.items + [x for pair in node.pairs for x in pair]
        todo.extend((c, False) for c in reversed(children))


def _expansion_check(root: Node, tx: _Text, path: str) -> None:
    """Refuse alias bombs before expanding: sizes and depths of the expanded data, memoised per written node."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    # Post-order in document order: children before parents, and an anchored node (always written before its
    # aliases, recursive aliases being refused) before every alias of it.
    for node in _post_order(root):
        if node.kind == "alias":
            assert node.target is not None
            size[id(node)] = size.get(id(node.target), 1)
            depth[id(node)] = depth.get(id(node.target), 1)
            continue
        children = node.items + [x for pair in node.pairs for x in pair]
        size[id(node)] = 1 + sum(size[id(c)] for c in children)
        depth[id(node)] = 1 + max((depth[id(c)] for c in children), default=0)
    for measure, limit, what in ((size, MAX_NODES, "alias expansion exceeds"), (depth, MAX_DEPTH, "nesting deeper than")):
        if measure[id(root)] <= limit:
            continue
        node = root
        while True:  # descend to the first written node that alone is over the limit, to report a useful place
            children = node.items + [x for pair in node.pairs for x in pair]
            over = [c for c in children if measure[id(c)] > limit]
            if not over:
                break
            node = over[0]
            if node.kind == "alias":
                break
        line, col = tx.pos(node.start)
        unit = " nodes" if measure is size else ""
        raise YamlError(f"{what} {limit}{unit}", line, col, path)


def _detect_style(root: Node | None, tx: _Text) -> _Style:
    style = _Style()
    steps: dict[int, int] = {}
    seq_indents: dict[int, int] = {}
    quotes = {"'": 0, '"': 0}
    for node in _all_nodes(root):
        if node.kind == "scalar" and node.style in quotes:
            quotes[node.style] += 1
        if node.kind != "map" or node.flow:
            continue
        for k, v in node.pairs:
            if v.kind == "map" and not v.flow and v.pairs:
                d = tx.column(v.pairs[0][0].start) - tx.column(k.start)
                if d > 0:
                    steps[d] = steps.get(d, 0) + 1
            elif v.kind == "seq" and not v.flow and v.items:
                d = tx.column(_dash_index(tx, v.items[0])) - tx.column(k.start)
                if d >= 0:
                    seq_indents[d] = seq_indents.get(d, 0) + 1
    if steps:
        style.step = max(steps, key=lambda d: steps[d])
    style.seq_indent = max(seq_indents, key=lambda d: seq_indents[d]) if seq_indents else style.step
    if quotes['"'] > quotes["'"]:
        style.quote = '"'
    return style


class _Converter:
    def __init__(self, tx: _Text, path: str) -> None:
        self.tx = tx
        self.path = path
        self.count = 0
        self.resolver = YAML(typ="rt")
        self.constructor = self.resolver.constructor

    def err(self, message: str, node: Node) -> YamlError:
        line, col = self.tx.pos(node.start)
        return YamlError(message, line, col, self.path)

    def convert(self, node: Node, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.err(f"alias expansion exceeds {MAX_NODES} nodes", node)
        if depth > MAX_DEPTH:
            raise self.err(f"nesting deeper than {MAX_DEPTH}", node)
        if node.kind == "alias":
            assert node.target is not None
            return self.convert(node.target, depth)
        tag = node.tag
        if tag in INTRINSIC_TAGS:
            name = INTRINSIC_TAGS[tag]
            if node.kind == "scalar":
                if tag == "!GetAtt":
                    resource, dot, attribute = node.value.partition(".")
                    if not dot:
                        raise self.err("!GetAtt needs Resource.Attribute", node)
                    return {name: [resource, attribute]}
                return {name: node.value}
            return {name: self.convert_untagged(node, depth)}
        if tag is not None and tag != "!" and tag not in _CORE_SCALAR_TAGS | _CORE_COLLECTION_TAGS:
            raise self.err(f"unknown tag {tag}", node)
        if (tag in _CORE_COLLECTION_TAGS and node.kind == "scalar") or (tag in _CORE_SCALAR_TAGS and node.kind != "scalar"):
            raise self.err(f"tag {tag} does not fit this node", node)
        return self.convert_untagged(node, depth)

    def convert_untagged(self, node: Node, depth: int) -> Any:
        if node.kind == "scalar":
            return self.scalar(node)
        if node.kind == "seq":
            return [self.convert(item, depth + 1) for item in node.items]
        result: dict[str, Any] = {}
        merges: list[Node] = []
        for k, v in node.pairs:
            if _is_merge_key(k):
                merges.append(v)
                continue
            key = self.key(k)
            if key in result:
                raise self.err(f"duplicate key {key!r}", k)
            result[key] = self.convert(v, depth + 1)
        for m in merges:
            source = _deref(m)
            sources = [_deref(s) for s in source.items] if source.kind == "seq" else [source]
            for s in sources:
                if s.kind != "map":
                    raise self.err("merge key '<<' needs a mapping or a list of mappings", m)
                merged = self.convert(s, depth + 1)
                for mk, mv in merged.items():
                    result.setdefault(mk, mv)
        return result

    def key(self, k: Node) -> str:
        k = _deref(k)
        if k.kind != "scalar":
            raise self.err("mapping keys must be scalars", k)
        if k.tag in INTRINSIC_TAGS or (k.tag and k.tag not in _CORE_SCALAR_TAGS and k.tag != "!"):
            raise self.err(f"unsupported tag {k.tag} on a mapping key", k)
        # Keys stay as written ("80", "true"): JSON templates have only string keys.
        return k.value

    def scalar(self, node: Node) -> Any:
        tag = node.tag
        if tag == "!" or (tag is None and node.style is not None):
            return node.value
        if tag is None:
            resolved = self.resolver.resolver.resolve(ScalarNode, node.value, (True, False))
            tag = str(getattr(resolved, "value", resolved))  # ruamel >= 0.18 returns a Tag object
        if tag not in _CORE_SCALAR_TAGS or tag == f"{_YAML_CORE}str":
            # Timestamps stay strings: CloudFormation reads `AWSTemplateFormatVersion: 2010-09-09` as a string.
            return node.value
        try:
            value = self.constructor.construct_object(ScalarNode(tag, node.value), deep=True)
        except ValueError as e:  # e.g. more than 4300 digits
            raise self.err(f"bad {tag.rsplit(':', 1)[-1]} scalar: {e}", node) from None
        except MarkedYAMLError as e:
            raise self.err(str(e.problem or e), node) from None
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        return str(value)


def load(text: str, path: str = "<string>", fast: bool = False) -> YamlDocument:
    """Parse YAML text into plain data with positions. Raises YamlError (1-based line/column).

    `fast=True` parses with libyaml (ruamel.yaml.clib) instead of ruamel's pure-Python round-trip parser: same
    events and positions (checked on the corpus by the tests), about 35 times faster. Text libyaml refuses is
    parsed again with the round-trip parser, so errors and results are the same either way.
    """
    tx = _Text(text)
    _prescan_flow_depth(text, path, tx)
    try:
        root = _build(text, path, tx, fast)
    except YamlError as fast_error:
        if not fast:
            raise
        # libyaml is a YAML 1.1 parser and refuses some 1.2 text ruamel takes, e.g. `[!Ref AWS::NoValue]` (a ':'
        # in a flow plain scalar). Let the reference parser decide, so results never depend on `fast`; when both
        # refuse the text at the same place, libyaml's wording is the plainer one ("did not find expected '-'").
        try:
            root = _build(text, path, tx)
        except YamlError as error:
            raise (fast_error if (fast_error.line, fast_error.column) == (error.line, error.column) else error) from None
    data: Any = None
    if root is not None:
        _expansion_check(root, tx, path)
        try:
            data = _Converter(tx, path).convert(root)
        except RecursionError:
            raise YamlError("nesting too deep", 1, 1, path) from None
    doc = YamlDocument(text, path, root, data)
    doc.fast = fast
    return doc


# ----------------------------------------------------------------------------------------------------------------
# Reading without the editing tree
# ----------------------------------------------------------------------------------------------------------------


class NestedTooDeep(YamlError):
    """A collection opened deeper than the caller's bound (`quick_load`): line and column as libyaml marks them
    in the text without its BOM, as `documents.document.check_yaml_bounds` reports them."""


class QuickYaml:
    """`data` and the position of every element, from one libyaml pass (`quick_load`); no editing tree.

    `positions` maps each JSON Pointer of `data` to the index in the text of what a finding there points at, as
    `documents.document.TextYamlDocument` asks the tree: a member's key, an item's value, the root's start (the
    data under a short-form intrinsic's "Fn::X" where `_walk` puts its inner step). `intrinsics` maps the pointer
    of each short-form intrinsic to (its long form's name, whether it is a scalar, where it starts, where its
    member is placed): `_walk` stops there for a pointer that does not go on into a collection's "Fn::X".
    """

    def __init__(self, text: str, data: Any, positions: dict[str, int],
                 intrinsics: dict[str, tuple[str, bool, int, int]]) -> None:
        self.text = text
        self.data = data
        self.positions = positions
        self.intrinsics = intrinsics
        self._tx: _Text | None = None

    def locate(self, pointer: str, item: bool) -> Pos | None:
        """1-based (line, column) of `pointer` (canonical RFC 6901 escaping) as the tree places it, or None where
        the tree has no place for it. `item`: whether its parent in `data` is a list (a tagged scalar is then
        placed where it starts, as `YamlDocument.position` does, else as `YamlDocument.key_position` does)."""
        index = self._in_intrinsic(pointer, item) if self.intrinsics else None
        if index is None:
            index = self.positions.get(pointer)
            if index is None:
                return None
        if self._tx is None:
            self._tx = _Text(self.text)  # indexed on the first finding only
        return self._tx.pos(index)

    def _in_intrinsic(self, pointer: str, item: bool) -> int | None:
        """Where `_walk` stops for `pointer` at a short-form intrinsic on its way, if it does."""
        end = 0
        while end != -1 and pointer:  # its proper prefixes, the root's first
            found = self.intrinsics.get(pointer[:end])
            if found is not None:
                name, scalar, start, member_place = found
                if scalar or pointer[end + 1:].split("/", 1)[0] != name:
                    return start if item else member_place
            end = pointer.find("/", end + 1)
        return None


_shared_converter: _Converter | None = None


@lru_cache(maxsize=8192)
def _plain_scalar(value: str) -> Any:
    """A plain, untagged scalar's value exactly as `_Converter.scalar` gives it (the same resolver and
    constructor), memoised: task definitions repeat the same few plain values (`true`, `8080`, `tcp`).
    Raises YamlError where the converter would (an integer longer than Python converts)."""
    global _shared_converter
    if _shared_converter is None:
        _shared_converter = _Converter(_Text(""), "")
    try:
        return _shared_converter.scalar(Node("scalar", 0, 0, value=value))
    finally:
        # The constructor remembers every node it built; this one is shared by every file.
        _shared_converter.constructor.constructed_objects.clear()


try:
    from _ruamel_yaml import CParser as _CParser
except ImportError:  # no ruamel.yaml.clib (not CPython): every file takes `load`
    _CParser = None


def quick_load(text: str, path: str, max_depth: int) -> QuickYaml | None:
    """The data and positions `load(text, path, fast=True)` gives, from one pass over libyaml's events, without
    building the editing tree; None where this pass cannot be sure to be exact, and `load` must decide:

    - aliases, merge keys (`<<`) and tags other than CloudFormation's short forms (`!!int`, `!`, a tagged key):
      the tree's positions and data follow rules (an alias's own place, merged keys) this pass does not repeat;
    - anything `load` refuses or reports (malformed YAML, several documents, no document, a duplicate or a
      non-scalar key, a block-scalar key, an empty value after a key with no ':' after it, an integer longer
      than Python converts, more than MAX_NODES nodes, what `load`'s flow-depth prescan refuses);
    - no libyaml.

    Raises NestedTooDeep at the first collection nested more than `max_depth` levels (the bound of
    `check_yaml_bounds`, checked in the same pass: libyaml's parser is a state machine and this pass keeps its
    own stack, so no nesting makes anything recurse). Anchors without aliases are fine: they change nothing.
    Short-form intrinsics (`!Ref R`, `!Sub [...]`) become their long form as `_Converter` writes them, and are
    placed as `_walk` places them (see QuickYaml.intrinsics).
    """
    if _CParser is None:
        return None
    if text.count("[") + text.count("{") > MAX_DEPTH:  # else `load`'s prescan has nothing to say
        try:
            _prescan_flow_depth(text, path, _Text(text))
        except YamlError:
            return None  # `load` refuses it, after check_yaml_bounds
    offset = 1 if text.startswith("\ufeff") else 0
    source = text[offset:]  # libyaml's indices do not count a BOM; `load` adds it back the same way
    get_event = _CParser(source).get_event
    positions: dict[str, int] = {}
    intrinsics: dict[str, tuple[str, bool, int, int]] = {}
    scalar_event, mapping_start, sequence_start = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
    # The open collection (None: the document's level) and what is known of it; `enclosing` keeps the same of
    # the collections around it. A hot loop: plain locals, not objects.
    container: Any = None
    pointer = ""  # the collection's pointer
    is_map = flow = False
    key: str | None = None  # a mapping's key waiting for its value
    key_end: Any = None  # that key's end mark
    member = ""  # that key's member's pointer
    enclosing: list[tuple[Any, str, bool, bool, str | None, Any, str]] = []
    root: Any = None
    nodes = documents = 0
    try:
        while True:
            event = get_event()
            kind = type(event)
            nodes += 1
            if kind is scalar_event:
                value: Any = event.value
                style = event.style
                tag = event.tag
                if tag is not None:
                    name = INTRINSIC_TAGS.get(tag)
                    if name is None or (is_map and key is None):
                        return None  # `load` decides: a core or unknown tag, a tagged key
                    if tag == "!GetAtt":
                        resource, dot, attribute = value.partition(".")
                        if not dot:
                            return None  # `load` refuses it
                        value = {name: [resource, attribute]}
                    else:
                        value = {name: value}
                    style = "tagged"  # no resolution: the value is the text as written
                    start = event.start_mark.index + offset
                    if is_map:
                        intrinsics[member] = (name, True, start, positions[member])
                    elif container is not None:
                        intrinsics[pointer + "/" + str(len(container))] = (name, True, start, start if flow
                                                                           else _dash_before(text, start))
                    else:
                        intrinsics[""] = (name, True, start, start)
                if is_map:
                    if key is None:  # a key: kept as written ("80", "true"), as `_Converter.key` does
                        if value in container or style == "|" or style == ">" or (not style and value == "<<"):
                            return None
                        key, key_end = value, event.end_mark
                        member = pointer + "/" + (value.replace("~", "~0").replace("/", "~1")
                                                  if "~" in value or "/" in value else value)
                        positions[member] = event.start_mark.index + offset
                        continue
                    if not style:
                        if not value and not flow and event.anchor is None:
                            # `Key:` and nothing: `load` puts the empty value after the key's ':' and refuses a
                            # key with none after it (a complex key); leave that to it.
                            colon = key_end.index + offset
                            while colon < len(text) and text[colon] in " \t":
                                colon += 1
                            if not text.startswith(":", colon):
                                return None
                        value = _plain_scalar(value)
                    container[key] = value  # its position is its key's, recorded above
                    key = None
                elif container is not None:  # an item: where its value starts
                    positions[pointer + "/" + str(len(container))] = event.start_mark.index + offset
                    container.append(value if style else _plain_scalar(value))
                else:
                    root = value if style else _plain_scalar(value)
                    positions[""] = event.start_mark.index + offset
                continue
            if kind is mapping_start or kind is sequence_start:
                if len(enclosing) >= max_depth:
                    mark = event.start_mark
                    raise NestedTooDeep("nested too deep", mark.line + 1, mark.column + 1, path)
                content: Any = {} if kind is mapping_start else []
                value = content
                tag = event.tag
                wrapper = None if tag is None else INTRINSIC_TAGS.get(tag)  # the long form's "Fn::X"
                if tag is not None:
                    if wrapper is None:
                        return None  # `load` decides: a core or unknown tag
                    value = {wrapper: content}
                if is_map:
                    if key is None:
                        return None  # a collection as a key
                    container[key] = value
                    child = member
                    key = None
                elif container is not None:
                    child = pointer + "/" + str(len(container))
                    positions[child] = event.start_mark.index + offset
                    container.append(value)
                else:
                    root, child = value, ""
                    positions[""] = event.start_mark.index + offset
                if wrapper is not None:  # the content is the data under "Fn::X": placed as `_walk`'s inner step
                    start = event.start_mark.index + offset
                    in_block_sequence = container is not None and not is_map and not flow
                    inner = _dash_before(text, start) if in_block_sequence else start
                    intrinsics[child] = (wrapper, False, start, positions[child] if is_map else inner)
                    child += "/" + wrapper
                    positions[child] = inner
                enclosing.append((container, pointer, is_map, flow, key, key_end, member))
                container, pointer, is_map, flow = content, child, kind is mapping_start, bool(event.flow_style)
                key = None
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                container, pointer, is_map, flow, key, key_end, member = enclosing.pop()
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return None
            elif kind is ev.StreamEndEvent or event is None:
                break
            elif kind is ev.AliasEvent:
                return None
    except MarkedYAMLError:
        return None  # malformed for libyaml: `load` says where (or takes the text with ruamel's parser)
    except YamlError as error:
        if isinstance(error, NestedTooDeep):
            raise
        return None
    if root is None or nodes > MAX_NODES:  # more events than `load`'s expansion check allows nodes
        return None
    return QuickYaml(text, root, positions, intrinsics)


def _dash_before(text: str, start: int) -> int:
    """`_dash_index`: the '-' introducing the block sequence item that starts at `start`."""
    i = start - 1
    while i >= 0 and text[i] in " \t\r\n":
        i -= 1
    return i if i >= 0 and text[i] == "-" else start


# ----------------------------------------------------------------------------------------------------------------
# Rendering new values
# ----------------------------------------------------------------------------------------------------------------

_YAML11_NON_STRING = re.compile(
    r"(?i:y|n|yes|no|on|off|true|false|null|~)|[-+]?0[0-7_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[-+]?[0-9_.]+"
)


@lru_cache(maxsize=4096)
def _plain_ok(s: str, flow: bool) -> bool:
    """Can `s` be written unquoted (as value and as key) and read back as the same string?"""
    if s == "" or s != s.strip() or any(c in s for c in "\r\n\t\x00") or s[0] in "!&*%@`|>'\"#?,[]{}-:":
        # Leading '-', ':' and '?' are sometimes fine, but quoting them is never wrong and keeps this simple.
        return False
    if flow and any(c in s for c in ",[]{}"):
        return False
    if _YAML11_NON_STRING.fullmatch(s):
        return False  # a string in YAML 1.2 but not for YAML 1.1 readers (yes/no/on/off, 0777, 1:30)
    probes = [(f"[{s}]", [s])] if flow else [(f"- {s}\n", [s]), (f"{s}: 1\n", {s: 1})]
    try:
        return all(load(probe).data == expected for probe, expected in probes)
    except (YamlError, KeyError, TypeError):
        return False


def _quote(s: str, quote: str) -> str:
    if quote == "'" and not any(c in s for c in "\r\n\t") and s.isprintable():
        return "'" + s.replace("'", "''") + "'"
    return json.dumps(s, ensure_ascii=False)


def _scalar_text(value: Any, flow: bool, quote: str) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        return text if isinstance(load(f"[{text}]").data[0], float) else f"{value:.17e}"
    if isinstance(value, str):
        return value if _plain_ok(value, flow) else _quote(value, quote)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _short_form(value: Any) -> tuple[str, Any] | None:
    """(tag, argument) if `value` is a long-form intrinsic we write in short form."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((name, arg),) = value.items()
    tag = LONG_TO_TAG.get(name)
    if tag is None:
        return None
    if tag == "!GetAtt":
        # Only the list form: `!GetAtt A.B` reads back as ["A", "B"], never as the string "A.B".
        if isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg) and "." not in arg[0] and arg[0]:
            return tag, f"{arg[0]}.{arg[1]}"
        return (tag, arg) if isinstance(arg, list) else None
    if isinstance(arg, (str, list, dict)):
        return tag, arg
    return None  # e.g. a number: `!Base64 1` would read back as the string "1"


def _inline(value: Any, quote: str, flow: bool = True, short_ok: bool = True) -> str:
    """One-line YAML for a value (flow style for collections, short form for intrinsics).

    `short_ok=False` writes an intrinsic as a flow mapping: the argument of a short form can't carry a second tag
    (`!Split !Ref R` is not YAML), so it becomes `!Split {Ref: R}`.
    """
    short = _short_form(value) if short_ok else None
    if short is not None:
        tag, arg = short
        if tag == "!GetAtt" and isinstance(arg, str):
            return f"{tag} {arg}"
        if tag == "!Sub" and isinstance(arg, str):
            return f"{tag} {_quote(arg, quote)}"
        if isinstance(arg, str):
            return f"{tag} {_scalar_text(arg, True, quote) if arg else _quote(arg, quote)}"
        return f"{tag} {_inline(arg, quote, short_ok=False)}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar_text(k, True, quote)}: {_inline(v, quote)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v, quote) for v in value) + "]"
    return _scalar_text(value, flow, quote)


def _is_block(value: Any) -> bool:
    """Written as a block collection (several lines) rather than inline."""
    return isinstance(value, (dict, list)) and bool(value) and _short_form(value) is None


def _block_lines(value: Any, indent: int, style: _Style) -> list[str]:
    """Lines (no line breaks) of a block collection whose entries start at column `indent`."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            key = _scalar_text(k, False, style.quote)
            if _is_block(v):
                lines.append(f"{pad}{key}:")
                lines.extend(_block_lines(v, indent + (style.step if isinstance(v, dict) else style.seq_indent), style))
            else:
                lines.append(f"{pad}{key}: {_inline(v, style.quote, flow=False)}")
    else:
        for item in value:
            if _is_block(item):
                sub = _block_lines(item, indent + 2, style)
                lines.append(f"{pad}- {sub[0][indent + 2 :]}")
                lines.extend(sub[1:])
            else:
                lines.append(f"{pad}- {_inline(item, style.quote, flow=False)}")
    return lines


# ----------------------------------------------------------------------------------------------------------------
# Editing
# ----------------------------------------------------------------------------------------------------------------


class _Retry(Exception):
    """The text was changed to remove an alias hazard; load again and redo the operation."""

    def __init__(self, text: str) -> None:
        self.text = text


def apply(doc: YamlDocument, operations: list[dict[str, Any]]) -> str:
    """Apply RFC 6902 operations (add, remove, replace; also test, copy, move) to the text of `doc`.

    Only the spliced spans change. Operations are applied one by one, re-loading in between, so each sees the
    previous result exactly as jsonpatch would.
    """
    text = doc.text
    current = doc
    for op in _expand(doc, operations):
        for _ in range(MAX_EDIT_ROUNDS):
            try:
                text = _Editor(current).apply_one(op)
                break
            except _Retry as retry:
                current = load(retry.text, doc.path, doc.fast)
        else:
            raise YamlError(f"gave up on operation {op!r}", 1, 1, doc.path)
        current = load(text, doc.path, doc.fast)
    return text


def _expand(doc: YamlDocument, operations: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """copy/move become add(+remove) with the value taken at that point; validates ops with jsonpatch."""
    import jsonpatch  # only when editing: lint of a template never pays for it
    import jsonpointer

    data = doc.data
    for op in operations:
        try:
            patched = jsonpatch.apply_patch(data, [op])
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as e:
            raise YamlError(f"invalid patch operation {op!r}: {e}", 1, 1, doc.path) from None
        kind = op.get("op")
        if kind in ("copy", "move"):
            value = jsonpointer.resolve_pointer(data, op["from"])
            if kind == "move":
                if op["from"] == op["path"]:
                    data = patched
                    continue
                yield {"op": "remove", "path": op["from"]}
            yield {"op": "add", "path": op["path"], "value": copy.deepcopy(value)}
        elif kind != "test":
            yield op
        data = patched


class _Editor:
    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.tx = doc._tx
        self.text = doc.text
        self.nl = self.tx.newline
        self.style = doc.style

    def err(self, message: str, node: Node | None) -> YamlError:
        line, col = self.tx.pos(node.start) if node is not None else (1, 1)
        return YamlError(message, line, col, self.doc.path)

    @staticmethod
    def splice(text: str, edits: list[tuple[int, int, str]]) -> str:
        for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
            text = text[:start] + new + text[end:]
        return text

    # -- the operation -----------------------------------------------------------------------------------------

    def apply_one(self, op: dict[str, Any]) -> str:
        kind = op["op"]
        segments = _split_pointer(op["path"])
        if self.doc.root is None:
            if segments or kind == "remove":
                raise self.err("empty document", None)
            return self._render_document(op["value"])
        if not segments:  # the whole document
            if kind == "remove":
                return ""
            self._guard_subtree(self.doc.root)
            return self._render_document(op["value"])
        parent_segments, last = segments[:-1], segments[-1]
        steps, rest = _walk(self.doc.root, parent_segments)
        self._guard_path(steps)
        if rest or steps[-1].opaque:
            return self._replace_whole(steps[-1], op)
        container = _deref(steps[-1].node)
        if container.tag in INTRINSIC_TAGS:
            return self._replace_whole(steps[-1], op)
        if steps[-1].inner and kind == "remove" and len(container.items) + len(container.pairs) == 1:
            return self._replace_whole(steps[-2], op)  # keep the tag: `!And []`, not `[]`
        if container.kind == "map":
            found = _find_key(container, last)
            if kind in ("add", "replace") and found is not None and not found[2]:
                target = found[1]
                self._guard_subtree(target)
                return self._replace(target, op["value"])
            if kind in ("add", "replace"):  # a new key, or overriding a key that came from a merge ('<<')
                return self._add_pair(container, last, op["value"])
            assert found is not None
            if found[2]:
                raise self.err(f"cannot remove {last!r}: it comes from a merge key '<<' (edit the merged mapping)", found[0])
            self._guard_subtree(found[1])
            return self._remove_entry(container, [v for _, v in container.pairs].index(found[1]))
        if container.kind == "seq":
            n = len(container.items)
            index = n if last == "-" else int(last)
            if kind == "add":
                return self._insert_item(container, index, op["value"])
            target = container.items[index]
            self._guard_subtree(target)
            if kind == "replace":
                return self._replace(target, op["value"])
            return self._remove_entry(container, index)
        raise self.err(f"cannot edit inside a scalar at {op['path']}", container)

    def _render_document(self, value: Any) -> str:
        bom = "\ufeff" if self.tx.bom else ""
        if _is_block(value):
            return bom + self.nl.join(_block_lines(value, 0, self.style)) + self.nl
        return bom + _inline(value, self.style.quote, flow=False) + self.nl

    # -- aliases and merges ------------------------------------------------------------------------------------

    def _guard_path(self, steps: list[_Loc]) -> None:
        """Edits must not go through text that stands for several places in the data.

        An alias occurrence on the path is replaced by an explicit copy of its value (only this place changes,
        as in the data). An anchored node on the path that aliases use gets those aliases replaced by explicit
        copies first, so the edit changes only the anchored original. A key inherited through '<<' is copied
        into the mapping. Each fix re-loads (raises _Retry).
        """
        for loc in steps:
            if loc.merged:
                assert loc.parent is not None and loc.key_node is not None
                import jsonpointer

                value = jsonpointer.resolve_pointer(self.doc.data, loc.pointer)
                raise _Retry(self._add_pair(loc.parent, _key_text(loc.key_node), value))
            if loc.node.kind == "alias":
                raise _Retry(self._materialise([loc.node]))
            node = _deref(loc.node)
            if node.users:
                raise _Retry(self._materialise(node.users))

    def _guard_subtree(self, node: Node) -> None:
        """Replacing/removing `node` must not orphan aliases elsewhere that use anchors defined inside it."""
        if node.kind == "alias":
            return
        outside: list[Node] = []
        for inner in _all_nodes(node):
            for user in inner.users:
                if not node.start <= user.start < node.end:
                    outside.append(user)
        if outside:
            raise _Retry(self._materialise(outside))

    def _materialise(self, aliases: list[Node]) -> str:
        """Replace alias occurrences by explicit copies of the data they stand for."""
        edits = []
        for alias in aliases:
            assert alias.target is not None
            value = _Converter(self.tx, self.doc.path).convert(alias.target)
            edits.append(self._replace_edit(alias, value))
        return self.splice(self.text, edits)

    # -- splices -----------------------------------------------------------------------------------------------

    def _replace_whole(self, loc: _Loc, op: dict[str, Any]) -> str:
        """Fallback for edits inside a short-form intrinsic: rewrite that whole value."""
        node = loc.node
        import jsonpatch
        import jsonpointer

        new_value = jsonpointer.resolve_pointer(jsonpatch.apply_patch(self.doc.data, [op]), loc.pointer)
        self._guard_subtree(node)
        return self._replace(node, new_value)

    def _replace(self, node: Node, value: Any) -> str:
        return self.splice(self.text, [self._replace_edit(node, value)])

    def _replace_edit(self, node: Node, value: Any) -> tuple[int, int, str]:
        """The splice that writes `value` where `node` (as written) is.

        A value replacing a flow collection (or an alias of one) stays in flow style; otherwise collections are
        written in block style.
        """
        if _is_in_flow(node):
            return node.start, node.end, _inline(value, self.style.quote)
        written = _deref(node)
        block = _is_block(value) and not (written.kind in ("seq", "map") and written.flow)
        parent = node.parent
        if parent is not None and parent.kind == "map" and node.key is not None:
            colon = _colon_end(self.tx, node.key)
            if block:
                indent = self.tx.column(node.key.start) + (self.style.step if isinstance(value, dict) else self.style.seq_indent)
                return colon, node.end, self.nl + self.nl.join(_block_lines(value, indent, self.style))
            return colon, node.end, " " + _inline(value, self.style.quote, flow=False)
        if block:
            indent = self.tx.column(node.start) if parent is not None else 0
            if parent is not None and parent.kind == "seq":
                indent = self.tx.column(_dash_index(self.tx, node)) + 2
            lines = _block_lines(value, indent, self.style)
            start = node.start if parent is not None else self.tx.line_start(node.start)
            if parent is not None:
                lines[0] = lines[0][indent:]
            return start, node.end, self.nl.join(lines)
        return node.start, node.end, _inline(value, self.style.quote, flow=False)

    def _add_pair(self, mapping: Node, key: str, value: Any) -> str:
        if mapping.flow:
            entry = f"{_scalar_text(key, True, self.style.quote)}: {_inline(value, self.style.quote)}"
            if mapping.pairs:
                last_end = max(mapping.pairs[-1][0].end, mapping.pairs[-1][1].end)
                return self.splice(self.text, [(last_end, last_end, ", " + entry)])
            close = mapping.end - 1
            return self.splice(self.text, [(close, close, entry)])
        indent = self.tx.column(mapping.pairs[0][0].start)
        entry_lines = _block_lines({key: value}, indent, self.style)
        at = self.tx.line_end(mapping.end)
        return self.splice(self.text, [(at, at, self.nl + self.nl.join(entry_lines))])

    def _insert_item(self, seq: Node, index: int, value: Any) -> str:
        if seq.flow:
            item = _inline(value, self.style.quote)
            if index < len(seq.items):
                start = seq.items[index].start
                return self.splice(self.text, [(start, start, item + ", ")])
            if seq.items:
                return self.splice(self.text, [(seq.items[-1].end, seq.items[-1].end, ", " + item)])
            return self.splice(self.text, [(seq.end - 1, seq.end - 1, item)])
        dash_col = self.tx.column(_dash_index(self.tx, seq.items[0]))
        lines = _block_lines([value], dash_col, self.style)
        if index < len(seq.items):
            at = _dash_index(self.tx, seq.items[index])
            lines[0] = lines[0][dash_col:]
            return self.splice(self.text, [(at, at, self.nl.join(lines) + self.nl + " " * self.tx.column(at))])
        at = self.tx.line_end(seq.end)
        return self.splice(self.text, [(at, at, self.nl + self.nl.join(lines))])

    def _remove_entry(self, container: Node, index: int) -> str:
        """Remove item `index` of a sequence or pair `index` of a mapping (merge keys count as pairs)."""
        if container.kind == "seq":
            spans = [(_dash_index(self.tx, i) if not container.flow else i.start, i.end) for i in container.items]
        else:
            spans = [(k.start, max(k.end, v.end)) for k, v in container.pairs]
        if len(spans) == 1:  # becomes empty: write {} / []
            return self._replace(container, {} if container.kind == "map" else [])
        start, end = spans[index]
        if container.flow:
            if index + 1 < len(spans):
                return self.splice(self.text, [(start, spans[index + 1][0], "")])
            return self.splice(self.text, [(spans[index - 1][1], end, "")])
        if self.tx.only_indent_before(start):
            return self.splice(self.text, [(self.tx.line_start(start), self.tx.after_line_break(end), "")])
        if index + 1 < len(spans):
            return self.splice(self.text, [(start, spans[index + 1][0], "")])
        return self.splice(self.text, [(spans[index - 1][1], end, "")])


__all__ = ["INTRINSIC_TAGS", "NestedTooDeep", "QuickYaml", "YamlDocument", "YamlError", "apply", "load", "quick_load"]
