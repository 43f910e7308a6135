"""A YAML document read before, byte for byte: its data and the position of every element,
kept (``inputs/manifest.py`` keeps a manifest's in the cache) so that an unchanged file
needs no YAML parser at all, not even to place a finding. Editing it parses it then."""

from __future__ import annotations

import bisect
from array import array
from typing import Any

from meshify.injector.documents.document import BOM, Document, TextYamlDocument
from meshify.injector.documents.pointer import split

# Where every element of the data is, in three arrays of unsigned 32-bit integers (bytes:
# nothing to build when read back): the containers are numbered, the root 0, and the
# elements of container c are the elements first[c], first[c] + 1, ...; element e is at
# line, column = places[2e], places[2e + 1] (a member's key, an item's start), and is
# itself container inner[e] (NOT_A_CONTAINER for a scalar).
Positions = tuple[tuple[int, int], bytes, bytes, bytes]  # root's place, places, first, inner
NOT_A_CONTAINER = 0xFFFFFFFF


def position_table(document: TextYamlDocument) -> Positions | None:
    """Where ``document.position(pointer)`` places every element of its data, or None for
    what this does not describe as the document does (anchors, aliases, merge keys,
    tags): such a file is parsed every time."""
    parsed = document._parsed
    text = parsed.text
    if "\r" in text.replace("\r\n", "\n"):
        return None  # lone CR line breaks: rare enough to parse each time
    line_starts = [0]
    index = text.find("\n")
    while index != -1:
        line_starts.append(index + 1)
        index = text.find("\n", index + 1)
    bom = text.startswith(BOM)

    def at(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset) - 1
        column = offset - line_starts[line]
        if line == 0 and bom and column > 0:
            column -= 1
        return line + 1, column + 1

    def plain(node: Any) -> bool:
        return node.tag is None and node.anchor is None and node.kind != "alias"

    places: list[int] = []
    first: list[int] = []
    inner: list[int] = []
    try:
        root = parsed.root
        if root is None or not plain(root) or root.kind not in ("map", "seq"):
            return None
        containers: list[tuple[Any, Any]] = [(root, document.data)]  # numbered in the order met
        for node, value in containers:
            if node.kind == "map":
                if not isinstance(value, dict) or len(node.pairs) != len(value) \
                        or list(value) != [key.value for key, _ in node.pairs]:
                    return None
                elements = [(key, item, item_value) for (key, item), item_value in zip(node.pairs, value.values(), strict=True)]
            else:
                if not isinstance(value, list) or len(node.items) != len(value):
                    return None
                elements = [(item, item, item_value) for item, item_value in zip(node.items, value, strict=True)]
            first.append(len(inner))
            for placed, child, child_value in elements:
                if not plain(placed) or not plain(child) or (placed is not child and (
                        placed.kind != "scalar" or (placed.value == "<<" and placed.style is None))):
                    return None
                places.extend(at(placed.start))
                if child.kind in ("map", "seq"):
                    inner.append(len(containers))
                    containers.append((child, child_value))
                else:
                    inner.append(NOT_A_CONTAINER)
    except (AttributeError, TypeError):
        return None  # yaml_text's tree changed shape: parse as before
    return at(root.start), array("I", places).tobytes(), array("I", first).tobytes(), array("I", inner).tobytes()


class RememberedDocument(Document):
    """A YAML file as :class:`TextYamlDocument` reads it, from its remembered data and
    positions; anything else (an edit, the tree) parses it on first use."""

    format = "yaml"

    def __init__(self, path: str, text: str, data: Any, positions: Positions) -> None:
        super().__init__(path, text)
        self.data = data
        self._root = positions[0]
        self._places, self._first, self._inner = (memoryview(numbers).cast("I") for numbers in positions[1:])
        self._parsed_document: TextYamlDocument | None = None
        self._key_index: dict[int, dict[str, int]] = {}

    def position(self, pointer: str) -> tuple[int, int]:
        """As :meth:`TextYamlDocument.position`: the element's (a member's key), else its
        nearest existing ancestor's."""
        found = self._root
        value, container = self.data, 0
        for token in split(pointer):
            if isinstance(value, dict) and token in value:
                index = self._key_index.get(id(value))
                if index is None:
                    index = self._key_index[id(value)] = {key: place for place, key in enumerate(value)}
                place = index[token]
                value = value[token]
            elif isinstance(value, list) and token.isdigit() and str(int(token)) == token and int(token) < len(value):
                place = int(token)
                value = value[place]
            else:
                break
            element = self._first[container] + place
            found = self._places[2 * element], self._places[2 * element + 1]
            container = self._inner[element]
            if container == NOT_A_CONTAINER:
                break
        return found

    def _document(self) -> TextYamlDocument:
        if self._parsed_document is None:
            self._parsed_document = TextYamlDocument(self.path, self.source)
        return self._parsed_document

    def render(self, patch: list[dict[str, Any]]) -> str:
        return self._document().render(patch)

    def dump(self, data: Any) -> str:
        return self._document().dump(data)

    def __getattr__(self, name: str) -> Any:  # tree, _parsed...: what only a parse knows
        if name.startswith("__") or name in ("_parsed_document", "_root", "_places", "_first", "_inner", "_key_index"):
            raise AttributeError(name)
        return getattr(self._document(), name)
