"""Where a new text differs from an old one, for editors that copy what an edit kept from the
file as written (``document._unmask``, ``hcl_text.JsonSpan.rewritten``)."""

from __future__ import annotations


def _common_length(first: str, second: str) -> int:
    """How many characters two strings share at their start."""
    length = 0
    for left, right in zip(first, second, strict=False):
        if left != right:
            break
        length += 1
    return length


def opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from ``old`` to ``new``, the common head and tail taken first: an edit
    touches one place, so the matcher (quadratic at worst) sees only that place, and editing a
    large file stays linear. Empty ``equal`` runs may appear at either end."""
    import difflib

    head = _common_length(old, new)
    tail = _common_length(old[head:][::-1], new[head:][::-1])
    middle = difflib.SequenceMatcher(None, old[head : len(old) - tail], new[head : len(new) - tail],
                                     autojunk=False).get_opcodes()
    return [("equal", 0, head, 0, head),
            *((tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle),
            ("equal", len(old) - tail, len(old), len(new) - tail, len(new))]
