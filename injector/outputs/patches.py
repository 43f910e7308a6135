"""What an editing command (inject, uninject, migrate) prints and writes, once every input
has loaded and every patch is known: the output modes of ``cli.md``, shared by all of them.

A command hands over :class:`Edit` s (one per file it would change, in the order the user
gave the files) and the mode; this module never looks inside a patch.
"""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from meshify.injector.documents.document import Document, unwritable, write_all_atomic, write_atomic
from meshify.injector.documents.pointer import split
from meshify.injector.errors import InputError
from meshify.injector.inputs.task_definition import TaskDefinitionFile


class Mode(Enum):
    PRINT = "print"  # the default: the new text on standard output
    PATCH = "--patch"
    DIFF = "--diff"
    CHECK = "--check"
    IN_PLACE = "--in-place"
    OUTPUT = "--output"


@dataclass(slots=True)
class Edit:
    """One file an editing command handles. ``new_text`` is computed only when a mode needs
    it (``--check`` never renders)."""

    path: str
    old_text: str
    patch: list[dict[str, Any]]
    render: Callable[[], str]
    changes: bool
    exists: bool = True  # False: a file the command creates (a new policy document)
    # False for a companion file (the task role policy): never printed as the output, and
    # written in every mode that does not only show (print, --output, --in-place).
    printed: bool = True
    written_message: str = ""
    # Said once the file is rewritten in place (a template the CDK synthesizes: the next synth
    # overwrites the edit).
    note: str = ""


def task_definition_edit(document: Document, parts: Sequence[tuple[TaskDefinitionFile, list[dict[str, Any]]]]) -> Edit:
    """The edit of one document from the patches of the task definitions it holds (a
    template holds several): their operations moved into the document's pointers and
    spelling, applied by the document's own editor so that nothing else changes."""
    source = parts[0][0]
    if source.remote or source.described:  # one task definition, rewritten whole in register shape
        patch = parts[0][1]
        old = document.dump(source.data) if source.remote else document.source

        def render_whole() -> str:
            import jsonpatch

            return document.dump(jsonpatch.apply_patch(source.data, patch))

        return Edit(document.path, old, patch, render_whole, bool(patch) or not source.remote)
    operations = [operation for task_file, patch in parts for operation in task_file.document_patch(patch)]

    def render() -> str:
        text = document.render(operations)
        _verify(document, operations, text)
        return text

    return Edit(document.path, document.source, operations, render, bool(operations), note=synthesized_note(document))


def synthesized_note(document: Document) -> str:
    """What to say once ``document`` is rewritten in place: for a template the CDK synthesized,
    that the next synth overwrites the edit; else nothing."""
    if isinstance(document.data, dict) and "Resources" in document.data:  # a template
        from meshify.injector.inputs.cloudformation import synthesized_by_cdk

        if synthesized_by_cdk(document.path, document.data):
            return (f"{document.path}: the CDK synthesized this template, and the next `cdk synth` overwrites "
                    "this edit: make the same change in the CDK app (`--diff` shows it)")
    return ""


def task_definition_edits(parts: Sequence[tuple[TaskDefinitionFile, list[dict[str, Any]]]]) -> list[Edit]:
    """One edit per file from the patches of task definitions (inject's, uninject's,
    migrate's), in the order the files were given. A container-definitions file that a
    ``.tf`` reads has no place for task-level fields: those operations go into the
    ``aws_ecs_task_definition`` that reads it, or are printed for the user to add."""
    terraform = _TERRAFORM or _terraform()
    by_document: dict[int, list[tuple[TaskDefinitionFile, list[dict[str, Any]]]]] = {}
    for source, patch in parts:
        if isinstance(source, terraform.ContainerArrayFile):
            patch, task_level = source.split(patch)
            if task_level and source.owner is not None:
                by_document.setdefault(id(source.owner.document), []).append((source.owner, task_level))
            elif task_level:
                say(f"{source.path}: add this to the aws_ecs_task_definition that reads it:")
                say(terraform.proxy_block(task_level, source.data))
        by_document.setdefault(id(source.document), []).append((source, patch))
    return [task_definition_edit(group[0][0].document, group) for group in by_document.values()]


# inputs.terraform, imported on its first use (start-up) and kept: asked for every file of
# inject's batch, and on Python 3.11 a ``from ... import`` in a function costs about 8,000
# instructions a call.
_TERRAFORM: Any = None


def _terraform() -> Any:
    global _TERRAFORM
    from meshify.injector.inputs import terraform

    _TERRAFORM = terraform
    return terraform


def _verify(document: Document, operations: list[dict[str, Any]], text: str) -> None:
    """The rendered text must parse to exactly the patched data: a cheap guard that the
    format-preserving editors did what the patch says. A JSON file's new data is checked
    backwards first (inject's patch on every file of a batch): the values its adds put in
    taken out again, from the last to the first, must leave the file's data, with no copy
    made of either; any other patch or format, or a text that does not undo so (an add
    that replaced a member), is checked forwards, against the patch applied to a copy."""
    from meshify.injector.documents.document import BOM, JsonDocument

    if type(document) is JsonDocument and _json_adds_verified(document, operations, text[1:] if text[:1] == BOM else text):
        return
    written = Document.load(document.path, text)
    if type(written) is JsonDocument and _adds_undone(written.data, operations) and written.data == document.data:
        return  # a JSON text is parsed anew: its data is this check's own to take apart
    from meshify.injector.engine.runner import apply_in_place, working_copy

    patched = working_copy(document.data)
    apply_in_place(patched, operations)
    if Document.load(document.path, text).data != patched:
        raise RuntimeError(f"{document.path}: the rewritten text does not match the patch")


def _json_adds_verified(document: Document, operations: list[dict[str, Any]], text: str) -> bool:
    """The backwards check of a JSON file's adds, with the new text parsed as a JSON
    document parses it (duplicate keys and NaN refused) but without loading it as a new
    document: True when it passes; False for any failure, which the full check then
    reports as it always did. A text that passes here loads as a JSON document (valid
    JSON holds no bare placeholder, and its data, the file's container, says it starts
    with a bracket) with this data: the full check would pass it too. Line endings do not
    matter: a carriage return is JSON whitespace, and refused inside a string."""
    from meshify.injector.documents.json_text import _STRICT_DECODER

    try:
        data = _STRICT_DECODER.decode(text)
    except Exception:  # invalid, a duplicate key, NaN, too deep: the full check says which
        return False
    return _adds_undone(data, operations) and data == document.data


def _adds_undone(data: Any, operations: list[dict[str, Any]]) -> bool:
    """Take out of ``data`` what each of ``operations`` added, the last first: False when
    one is not an ``add`` or its value is not where it put it. Then ``data`` is what the
    patch was applied to: each add, applied to what is left after it is taken out, gives
    back what there was (an array index only in the one spelling RFC 6901 allows)."""
    for operation in reversed(operations):
        tokens = split(operation["path"]) if operation.get("op") == "add" else []
        if not tokens:
            return False
        parent = data
        for token in tokens[:-1]:
            if isinstance(parent, dict) and token in parent:
                parent = parent[token]
            elif isinstance(parent, list) and token.isdigit() and str(int(token)) == token and int(token) < len(parent):
                parent = parent[int(token)]
            else:
                return False
        last = tokens[-1]
        if isinstance(parent, dict):
            if last not in parent or parent[last] != operation["value"]:
                return False
            del parent[last]
        elif isinstance(parent, list):
            if last == "-":
                index = len(parent) - 1
            elif last.isdigit() and str(int(last)) == last:
                index = int(last)
            else:
                return False
            if not 0 <= index < len(parent) or parent[index] != operation["value"]:
                return False
            del parent[index]
        else:
            return False
    return True


def _expression(value: Any) -> str:
    """A value the file writes as an expression (a Terraform reference) in --patch output:
    as the interpolation python-hcl2 loads it as."""
    from meshify.injector.documents.unknown import Unknown

    if isinstance(value, Unknown):
        return "${" + value.text + "}"
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def say(message: str) -> None:
    print(message, file=sys.stderr)


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff that ``patch`` and ``git apply`` accept, missing final newlines included."""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}")
    return "".join(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n" for line in lines)


def targets(edits: Sequence[Edit], mode: Mode, output: str | None = None) -> list[str]:
    """The files that ``mode`` writes for ``edits``: companions (a policy) first."""
    changed = [edit for edit in edits if edit.changes]
    written = [edit.path for edit in changed if not edit.printed] if mode in (Mode.PRINT, Mode.OUTPUT, Mode.IN_PLACE) else []
    if mode is Mode.IN_PLACE:
        written += [edit.path for edit in changed if edit.printed]
    elif mode is Mode.OUTPUT and output is not None:
        written.append(output)
    return written


def preflight(paths: Sequence[str]) -> list[InputError]:
    """Why any of ``paths`` cannot be written: checked before the first write, so that a
    missing or read-only directory never leaves a batch half-written."""
    directories: dict[str, str | None] = {}
    return [problem for path in dict.fromkeys(paths) if (problem := unwritable(path, directories)) is not None]


def write(edits: Sequence[Edit], mode: Mode, output: str | None = None, verb: str = "injected") -> int:
    """Carry out ``mode`` for ``edits``; the exit status (1 when ``--check`` finds work).

    All or nothing, as far as a file system allows: every text is rendered and every
    target checked writable before the first write, and companion files (the task role
    policy) are written before the files that rely on them, so that a failure never
    leaves a task definition with Envoy but without its permission."""
    changed = [edit for edit in edits if edit.changes]
    problems = preflight(targets(edits, mode, output))
    if problems:
        raise problems[0]
    if mode is Mode.CHECK:
        for edit in changed:
            print(f"would change: {edit.path}")
        return 1 if changed else 0
    # Render every text before the first write: a bug in an editor must not leave a batch half-written.
    texts = {id(edit): edit.render() for edit in changed if mode is not Mode.PATCH}
    if mode is Mode.PATCH:
        printed = [edit for edit in edits if edit.printed]
        for edit in [*printed, *(edit for edit in changed if not edit.printed)]:
            if len(printed) > 1 or not edit.printed:
                print(f"# {edit.path}")
            print(json.dumps(edit.patch, indent=2, default=_expression))
        return 0
    if mode is Mode.DIFF:
        for edit in changed:
            sys.stdout.write(unified_diff(edit.path, edit.old_text if edit.exists else "", texts[id(edit)]))
        return 0
    for edit in changed:  # companions first: what the task definitions rely on
        if not edit.printed:
            write_atomic(edit.path, texts[id(edit)])
            say(edit.written_message or f"updated: {edit.path}")
    if mode is Mode.IN_PLACE:
        notes = {edit.path: edit.note for edit in changed if edit.printed and edit.note}

        def written(path: str) -> None:
            say(f"{verb}: {path}")
            if path in notes:
                say(notes[path])

        write_all_atomic([(edit.path, texts[id(edit)]) for edit in changed if edit.printed], written)
    elif mode is Mode.OUTPUT:
        assert output is not None
        edit = next(edit for edit in edits if edit.printed)
        write_atomic(output, texts.get(id(edit), edit.old_text))
    else:
        for edit in edits:
            if edit.printed:
                sys.stdout.write(texts.get(id(edit), edit.old_text))
    return 0
