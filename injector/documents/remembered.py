"""A YAML document read before, byte for byte: its data and the position of every element,
kept in the cache (``inputs/manifest.py`` a manifest's with its validation, :func:`load_yaml`
every other YAML file's) so that an unchanged file needs no YAML parser at all, not even to
place a finding. Editing it parses it then."""

from __future__ import annotations

import bisect
from array import array
from typing import Any

from meshify.injector.documents.document import BOM, Document, TextYamlDocument
from meshify.injector.documents.pointer import escape, split

# Where every element of the data is, in three arrays of unsigned 32-bit integers (bytes:
# nothing to build when read back): the containers are numbered, the root 0, and the
# elements of container c are the elements first[c], first[c] + 1, ...; element e is at
# line, column = places[2e], places[2e + 1] (a member's key, an item's start), and is
# itself container inner[e] (NOT_A_CONTAINER for a scalar).
Positions = tuple[tuple[int, int], bytes, bytes, bytes]  # root's place, places, first, inner
NOT_A_CONTAINER = 0xFFFFFFFF


def position_table(document: TextYamlDocument) -> Positions | None:
    """Where ``document.position(pointer)`` places every element of its data, or None for
    a file read otherwise than in yaml_text's one pass, or with short-form intrinsics
    (aliases, merge keys, other tags: placed by the editing tree's own rules): such a
    file is simply parsed every time."""
    quick = getattr(document, "_quick", None)
    if quick is None or quick.intrinsics:
        return None
    text, where = quick.text, quick.positions
    line_starts = [0]
    index = text.find("\n")
    while index != -1:
        line_starts.append(index + 1)
        index = text.find("\n", index + 1)
    if "\r" in text.replace("\r\n", "\n"):
        return None  # lone CR line breaks: rare enough to parse each time
    bom = text.startswith(BOM)

    def at(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset) - 1
        column = offset - line_starts[line]
        if line == 0 and bom and column > 0:
            column -= 1
        return line + 1, column + 1

    places: list[int] = []
    first: list[int] = []
    inner: list[int] = []
    if not isinstance(document.data, (dict, list)):
        return None
    containers: list[tuple[Any, str]] = [(document.data, "")]  # numbered in the order met
    for value, pointer in containers:
        first.append(len(inner))
        members = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in members:
            child_pointer = f"{pointer}/{escape(key)}" if isinstance(value, dict) else f"{pointer}/{key}"
            offset = where.get(child_pointer)
            if offset is None:
                return None  # placed by a rule this table does not repeat
            places.extend(at(offset))
            if isinstance(child, (dict, list)):
                inner.append(len(containers))
                containers.append((child, child_pointer))
            else:
                inner.append(NOT_A_CONTAINER)
    root = where.get("")
    return (at(root) if root is not None else (1, 1)), array("I", places).tobytes(), array("I", first).tobytes(), \
        array("I", inner).tobytes()


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


# What the cache keeps of a YAML file read before (Document.load): after this mark, marshal's
# (data, *positions); an empty entry says "read it with the parser" (no table: aliases, tags...).
_PARSED = b"meshify-yaml-1\n"


def load_yaml(path: str, text: str) -> Document:
    """A YAML file's document: remembered when this exact text was read before (start-up:
    a pre-commit lint of an unchanged YAML task definition imports no YAML parser), else
    :class:`TextYamlDocument`, whose data and positions are kept for the next run."""
    import marshal

    from meshify.injector import cache

    if cache.off():
        return TextYamlDocument(path, text)

    key = cache.key("yaml-parse", text)
    entry = cache.load(key)
    if entry == b"":
        return TextYamlDocument(path, text)
    if entry is not None and entry.startswith(_PARSED):
        try:
            data, root, *numbers = marshal.loads(entry[len(_PARSED):])
            if isinstance(data, (dict, list)) and len(numbers) == 3 and all(isinstance(part, bytes) for part in numbers):
                return RememberedDocument(path, text, data, (tuple(root), *numbers))
        except (ValueError, TypeError, EOFError, IndexError):
            pass  # a truncated or foreign entry: read the file afresh
    document = TextYamlDocument(path, text)
    positions = position_table(document)
    try:
        kept = b"" if positions is None else _PARSED + marshal.dumps((document.data, *positions))
    except ValueError:  # a value marshal cannot keep (a YAML timestamp): parse each time
        kept = b""
    cache.store(key, kept)
    return document
