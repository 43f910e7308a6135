"""Terraform: ``aws_ecs_task_definition``, ``aws_ecs_service`` and every ``aws_appmesh_*``
resource of a ``.tf`` (or ``.tf.json``) file, and container-definition arrays (``.json``,
``.json.tpl``) as ``file()`` / ``templatefile()`` read them.

A task definition's containers are written in the ECS API's own camelCase (inside
``jsonencode([...])``, a JSON heredoc or string, or a file beside the ``.tf``), its
task-level fields as snake_case attributes and a ``proxy_configuration`` block:
:class:`TerraformSpelling` translates the API's pointers and values to those. App Mesh
resources are snake_case blocks (``spec { listener { port_mapping { ... } } }``),
converted to the API's camelCase spec with botocore's appmesh model as the authority on
member names and on which blocks are lists.
"""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from typing import Any

from meshify.injector.documents.document import Document
from meshify.injector.documents.pointer import join, split
from meshify.injector.documents.unknown import Unknown
from meshify.injector.errors import InputError
from meshify.injector.inputs.appmesh_spec import SpecFile
from meshify.injector.inputs.ecs_service import EcsServiceFile
from meshify.injector.inputs.task_definition import Spelling, TaskDefinitionFile, _check_shape
from meshify.injector.model.ecs_service import MeshReference
from meshify.injector.model.mesh import NODE_ARN, Loc

TASK_DEFINITION = "aws_ecs_task_definition"
SERVICE = "aws_ecs_service"

# resource type: (the API's kind, its spec shape)
APPMESH_RESOURCES = {
    "aws_appmesh_virtual_node": ("virtualNode", "VirtualNodeSpec"),
    "aws_appmesh_virtual_router": ("virtualRouter", "VirtualRouterSpec"),
    "aws_appmesh_route": ("route", "RouteSpec"),
    "aws_appmesh_virtual_service": ("virtualService", "VirtualServiceSpec"),
    "aws_appmesh_virtual_gateway": ("virtualGateway", "VirtualGatewaySpec"),
    "aws_appmesh_gateway_route": ("gatewayRoute", "GatewayRouteSpec"),
}

# Task-level members the provider spells as snake_case attributes (the rest are not read).
_TASK_FIELDS = ("family", "network_mode", "requires_compatibilities", "cpu", "memory", "execution_role_arn",
                "task_role_arn", "pid_mode", "ipc_mode")


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _snake(camel: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", camel).lower()


def is_terraform(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("resource"), dict)


def is_container_array(data: Any) -> bool:
    return isinstance(data, list) and bool(data) and all(
        isinstance(item, dict) and "name" in item and "image" in item for item in data)


# ---------------------------------------------------------------------------------------
# Spelling


class ContainerArraySpelling(Spelling):
    """A container-definitions array: ``/containerDefinitions/N/...`` is ``/N/...``."""

    def pointer(self, pointer: str) -> str:
        if pointer.startswith("/containerDefinitions"):
            return pointer[len("/containerDefinitions"):]
        return pointer


CONTAINER_ARRAY = ContainerArraySpelling()


class TerraformSpelling(Spelling):
    """The provider's spelling of a task definition: snake_case task-level attributes, a
    ``proxy_configuration`` block whose ``properties`` is a map, and the containers as written."""

    def __init__(self, property_names: list[str] | None = None, addresses: dict[tuple[str, str], str] | None = None) -> None:
        self.property_names = property_names or []  # the map's keys, in the API list's order
        # (kind, name) -> the address of the App Mesh resource of the same .tf that has it
        self.addresses = addresses or {}

    def pointer(self, pointer: str) -> str:
        tokens = split(pointer)
        if not tokens:
            return pointer
        if tokens[0] == "containerDefinitions":
            return join("/container_definitions", *tokens[1:])
        if tokens[0] == "proxyConfiguration":
            rest = tokens[1:]
            if rest[:1] == ["properties"] and len(rest) > 1:
                index = rest[1]
                name = self.property_names[int(index)] if index.isdigit() and int(index) < len(self.property_names) \
                    else index  # a new one: see document_patch
                return join("/proxy_configuration/0/properties", name)
            return join("/proxy_configuration/0", *(_snake(token) for token in rest)) if rest \
                else "/proxy_configuration"
        return join("", _snake(tokens[0]), *tokens[1:])

    def value(self, value: Any, pointer: str) -> Any:
        value = self._referenced(value)
        if pointer.endswith("/proxy_configuration"):
            return [_proxy_block(value)]
        if pointer.endswith("/proxy_configuration/0/properties"):
            return {item["name"]: item["value"] for item in value}
        return value


    def _referenced(self, value: Any) -> Any:
        """The ARN of a virtual node or gateway of the same .tf as a reference to it
        (``aws_appmesh_virtual_node.x.arn``): the value depends on the account Terraform runs in."""
        if isinstance(value, dict):
            return {key: self._referenced(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._referenced(item) for item in value]
        if isinstance(value, str) and self.addresses:
            match = NODE_ARN.match(value)
            address = self.addresses.get((match.group(1), match.group(2))) if match else None
            if address is not None:
                from meshify.injector.documents.hcl_text import Reference

                return Reference(f"{address}.arn", (*address.split("."), "arn"))
        return value


def _proxy_block(proxy: dict[str, Any]) -> dict[str, Any]:
    block = {_snake(key): value for key, value in proxy.items() if key != "properties"}
    if proxy.get("properties"):
        block["properties"] = {item["name"]: item["value"] for item in proxy["properties"]}
    return block


@dataclass(slots=True)
class TerraformTaskDefinitionFile(TaskDefinitionFile):
    """A task definition of a ``.tf``: proxy properties are a map there, so a patch's
    property indexes are turned into names against the data as each operation leaves it."""

    def resolve(self, mesh: Any) -> None:
        _resolve_arns(self, mesh)

    def document_patch(self, patch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        import jsonpatch

        current = copy.deepcopy(self.data)
        moved = []
        for operation in patch:
            tokens = split(operation["path"])
            if tokens[:2] == ["proxyConfiguration", "properties"] and len(tokens) > 2:
                properties = current["proxyConfiguration"]["properties"]
                base = self.base + "/proxy_configuration/0/properties"
                if operation["op"] == "add" and tokens[2] in ("-", str(len(properties))) and len(tokens) == 3:
                    item = operation["value"]
                    moved.append({"op": "add", "path": join(base, item["name"]), "value": item["value"]})
                else:
                    name = properties[int(tokens[2])]["name"]
                    if len(tokens) == 3 and operation["op"] == "remove":
                        moved.append({"op": "remove", "path": join(base, name)})
                    elif tokens[3:] == ["value"]:
                        moved.append({**operation, "path": join(base, name)})
                    else:
                        raise InputError(f"cannot write {operation['path']} in Terraform's properties map", self.path)
            else:
                path = self.base + self.spelling.pointer(operation["path"])
                moved.append({**operation, "path": path, **(
                    {"value": self.spelling.value(operation["value"], path)} if "value" in operation else {})})
            current = jsonpatch.apply_patch(current, [operation])
        return moved


# ---------------------------------------------------------------------------------------
# Task definitions


def _api_task_definition(body: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in _TASK_FIELDS:
        if name in body:
            value = body[name]
            # The provider's cpu and memory are strings; Terraform converts a number written there.
            data[_camel(name)] = str(value) if name in ("cpu", "memory") and isinstance(value, int) else value
    blocks = body.get("proxy_configuration")
    if isinstance(blocks, dict):  # .tf.json may write a block as an object
        blocks = [blocks]
    if isinstance(blocks, list) and blocks and isinstance(blocks[0], dict):
        block = blocks[0]
        proxy: dict[str, Any] = {_camel(key): value for key, value in block.items() if key != "properties"}
        properties = block.get("properties")
        if isinstance(properties, dict):
            # map(string): Terraform converts a number written there
            proxy["properties"] = [{"name": key, "value": str(value) if isinstance(value, int | float) and
                                    not isinstance(value, bool) else value} for key, value in properties.items()]
        elif properties is not None:
            proxy["properties"] = properties  # an unknown: no rule reads into it
        data["proxyConfiguration"] = proxy
    return data


def _spelling(data: dict[str, Any], document: Document) -> TerraformSpelling:
    properties = (data.get("proxyConfiguration") or {}).get("properties")
    names = [item["name"] for item in properties] if isinstance(properties, list) else []
    addresses: dict[tuple[str, str], str] = {}
    if document.format == "hcl":  # HCL can write a reference; .tf.json's containers are a JSON string
        for resource_type, kind in _ARN_KINDS.items():
            for name, body in (document.data["resource"].get(resource_type) or {}).items():
                if isinstance(body, dict) and isinstance(body.get("name"), str):
                    addresses[(kind, body["name"])] = f"{resource_type}.{name}"
    return TerraformSpelling(names, addresses)


@dataclass(slots=True)
class ReferencedFile:
    """A container-definitions file a ``.tf`` reads with ``file()`` / ``templatefile()``."""

    path: str
    owner: TerraformTaskDefinitionFile  # the resource, without its containers
    pointer: str  # where the .tf names the file


def task_definitions(document: Document) -> tuple[list[TaskDefinitionFile], list[ReferencedFile]]:
    """The task definitions a Terraform document declares, and the container files it reads."""
    found: list[TaskDefinitionFile] = []
    referenced: list[ReferencedFile] = []
    for name, body in (document.data["resource"].get(TASK_DEFINITION) or {}).items():
        base = join("/resource", TASK_DEFINITION, name)
        if not isinstance(body, dict):
            continue
        address = f"{TASK_DEFINITION}.{name}"
        containers = body.get("container_definitions")
        data = _api_task_definition(body)
        from meshify.injector.documents.hcl_text import FileCall

        if isinstance(containers, FileCall):
            path = os.path.normpath(os.path.join(os.path.dirname(document.path), containers.path))
            owner = TerraformTaskDefinitionFile(document, base, data, spelling=_spelling(data, document), resource=address)
            referenced.append(ReferencedFile(path, owner, base + "/container_definitions"))
            continue
        if isinstance(containers, Unknown) or containers is None:
            continue  # a variable or an expression: nothing to check or edit
        if isinstance(containers, str):
            raise Loc(document, base + "/container_definitions").error(
                "container_definitions is not a JSON array of container definitions")
        data["containerDefinitions"] = containers
        _check_shape(document, base, {**data, "containerDefinitions": containers} if isinstance(containers, list)
                     else data)
        found.append(TerraformTaskDefinitionFile(document, base, data, spelling=_spelling(data, document), resource=address))
    return found, referenced


@dataclass(slots=True)
class ContainerArrayFile(TaskDefinitionFile):
    """A container-definitions array: a task definition whose containers are the file and
    whose task-level fields, when a ``.tf`` reads the file, are that resource's (``owner``)."""

    owner: TerraformTaskDefinitionFile | None = None

    def resolve(self, mesh: Any) -> None:
        if self.owner is not None:
            _resolve_arns(self, mesh, self.owner.document)

    def loc(self, pointer: str) -> Loc:
        if pointer.startswith("/containerDefinitions") or self.owner is None:
            return Loc(self.document, self.base + self.spelling.pointer(pointer))
        return self.owner.loc(pointer)

    def split(self, patch: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The operations on the containers (this file's) and on task-level fields (the .tf's)."""
        containers = [op for op in patch if op["path"].startswith("/containerDefinitions")]
        return containers, [op for op in patch if not op["path"].startswith("/containerDefinitions")]


def container_array(document: Document, owner: TerraformTaskDefinitionFile | None = None) -> ContainerArrayFile:
    """A container-definitions array as a task definition without task-level fields (or
    with those of the ``.tf`` resource that reads it)."""
    data = {**(owner.data if owner else {}), "containerDefinitions": document.data}
    _check_shape(document, "", {"containerDefinitions": document.data})
    return ContainerArrayFile(document, "", data, spelling=CONTAINER_ARRAY, resource=owner.resource if owner else None,
                              owner=owner)


def proxy_block(patch: list[dict[str, Any]], data: dict[str, Any]) -> str:
    """The ``proxy_configuration`` block that task-level operations describe, in HCL, for
    the user to add to the resource that reads a container file."""
    import jsonpatch

    task_level = {key: value for key, value in data.items() if key != "containerDefinitions"}
    patched = jsonpatch.apply_patch(task_level, patch)
    lines = []
    for key, value in patched.items():
        if key == "proxyConfiguration":
            block = _proxy_block(value)
            lines.append("proxy_configuration {")
            width = max(len(k) for k in block)
            for name, item in block.items():
                if name == "properties":
                    lines.append(f"  {name.ljust(width)} = {{")
                    inner = max(len(k) for k in item)
                    lines += [f'    {k.ljust(inner)} = "{v}"' for k, v in item.items()]
                    lines.append("  }")
                else:
                    lines.append(f'  {name.ljust(width)} = "{item}"')
            lines.append("}")
        elif task_level.get(key) != value:
            import json

            lines.append(f"{_snake(key)} = {json.dumps(value)}")
    return "\n".join(lines)


_ARN_KINDS = {"aws_appmesh_virtual_node": "virtualNode", "aws_appmesh_virtual_gateway": "virtualGateway"}


def _resolve_arns(task_file: TaskDefinitionFile, mesh: Any, tf: Document | None = None) -> None:
    """``aws_appmesh_virtual_node.x.arn`` (and ``.name`` / ``.id``) in the containers, x a
    resource of the ``.tf``, as the value it has in the mesh (``formats.md``: references)."""
    from meshify.injector.documents.hcl_text import Reference
    from meshify.injector.documents.unknown import ResolvedStr

    resources = (tf or task_file.document).data.get("resource") or {}

    def resolved(value: Any) -> Any:
        if isinstance(value, Reference) and len(value.parts) == 3 and value.parts[0] in APPMESH_RESOURCES:
            body = (resources.get(value.parts[0]) or {}).get(value.parts[1])
            name = body.get("name") if isinstance(body, dict) else None
            if not isinstance(name, str):
                return value
            if value.parts[2] in ("name", "id"):
                marked = ResolvedStr(name)
            elif value.parts[2] == "arn" and value.parts[0] in _ARN_KINDS:
                marked = ResolvedStr(mesh.arn_of(_ARN_KINDS[value.parts[0]], name))
            else:
                return value
            marked.variable = value.text
            return marked
        if isinstance(value, dict):
            return {key: resolved(item) for key, item in value.items()}
        if isinstance(value, list):
            return [resolved(item) for item in value]
        return value

    if not isinstance(task_file.document, Document) or not resources:
        return
    task_file.data["containerDefinitions"] = resolved(task_file.data.get("containerDefinitions"))


# ---------------------------------------------------------------------------------------
# ECS services


# The provider's names where they are not the API's in snake_case: (API shape, provider name)
# -> API member. ``network_configuration`` is the API's ``awsvpcConfiguration`` without its
# level (_FLATTENED).
_SERVICE_RENAMES = {
    ("CreateServiceRequest", "name"): "serviceName",
    ("ServiceConnectConfiguration", "service"): "services",
    ("ServiceConnectService", "client_alias"): "clientAliases",
    ("ServiceConnectTlsConfiguration", "issuer_cert_authority"): "issuerCertificateAuthority",
    ("LogConfiguration", "secret_option"): "secretOptions",
}
_SERVICE_NAMES = {(shape, member): name for (shape, name), member in _SERVICE_RENAMES.items()}
_FLATTENED = {"NetworkConfiguration": "awsvpcConfiguration"}
# The members of a service that the rules and migrate read (the rest are the provider's business).
_SERVICE_MEMBERS = ("serviceName", "cluster", "taskDefinition", "launchType", "desiredCount", "schedulingStrategy",
                    "deploymentController", "networkConfiguration", "serviceConnectConfiguration",
                    "vpcLatticeConfigurations")
_TASK_DEFINITION_ADDRESS = re.compile(r"\baws_ecs_task_definition\.([A-Za-z_][A-Za-z0-9_-]*)\b")


def _ecs_shapes() -> dict[str, Any]:
    from meshify.injector.model.service_models import shapes

    return shapes("ecs")


class ServiceSpelling(Spelling):
    """The provider's spelling of an ECS service: snake_case members, a structure is a
    block (a list of one), a list of structures repeated blocks (``service``,
    ``client_alias``), ``network_configuration`` without the API's ``awsvpcConfiguration``."""

    def __init__(self, back: dict[str, str]) -> None:
        self.shapes = _ecs_shapes()
        self.back = back  # API pointer -> the pointer (relative to the resource) it was read from

    def _walk(self, tokens: list[str]) -> tuple[list[str], str | None]:
        """The provider's tokens for API ``tokens``, and the shape they end at."""
        shape: str | None = "CreateServiceRequest"
        written: list[str] = []
        for position, token in enumerate(tokens):
            definition = self.shapes.get(shape) if shape else None
            kind = definition["type"] if definition else None
            if kind == "structure":
                assert definition is not None
                if _FLATTENED.get(shape or "") == token:
                    shape = definition["members"][token]["shape"]
                    continue
                written.append(_SERVICE_NAMES.get((shape or "", token)) or _snake(token))
                member = definition["members"].get(token)
                shape = member["shape"] if member else None
                if shape and self.shapes[shape]["type"] == "structure" and position < len(tokens) - 1:
                    written.append("0")  # into the block
            elif kind == "list":
                assert definition is not None
                written.append(token)
                shape = definition["member"]["shape"]
            else:  # a map's key, or below a member the model does not have: as it is
                written.append(token)
                shape = None
        return written, shape

    def pointer(self, pointer: str) -> str:
        if pointer in self.back:
            return self.back[pointer]
        tokens = split(pointer)
        written, _ = self._walk(tokens)
        for known in range(len(tokens) - 1, 0, -1):  # below a member that was written: from where it is
            prefix = join("", *tokens[:known])
            if prefix in self.back:
                above, shape = self._walk(tokens[:known])
                rest = written[len(above):]
                if shape and self.shapes[shape]["type"] == "structure" and rest[:1] == ["0"]:
                    rest = rest[1:]  # back[prefix] is already inside its block
                return self.back[prefix] + join("", *rest)
        return join("", *written)

    def shape_at(self, pointer: str) -> str | None:
        return self._walk(split(pointer))[1]

    def provider_value(self, value: Any, shape: str | None) -> Any:
        """A new API value, at a member of shape ``shape``, as the provider writes it: a
        structure is a block (a list of one), a list of structures repeated blocks."""
        definition = self.shapes.get(shape) if shape else None
        kind = definition["type"] if definition else None
        if kind == "structure" and isinstance(value, dict):
            return [self.body(value, shape)]
        if kind == "list" and isinstance(value, list):
            assert definition is not None
            element = definition["member"]["shape"]
            return [self.body(item, element) if isinstance(item, dict) and self.shapes[element]["type"] == "structure"
                    else item for item in value]
        return value

    def body(self, value: dict[str, Any], shape: str | None) -> dict[str, Any]:
        """A structure's members as a block's body."""
        definition = self.shapes.get(shape) if shape else None
        members = definition.get("members", {}) if definition else {}
        body: dict[str, Any] = {}
        for key, item in value.items():
            target = members[key]["shape"] if key in members else None
            if _FLATTENED.get(shape or "") == key and isinstance(item, dict):
                body.update(self.body(item, target))
                continue
            body[_SERVICE_NAMES.get((shape or "", key)) or _snake(key)] = self.provider_value(item, target)
        return body


@dataclass(slots=True)
class TerraformServiceFile(EcsServiceFile):
    """An ``aws_ecs_service``: a patch's new values become blocks where the model has a structure."""

    def document_patch(self, patch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        spelling = self.spelling
        assert isinstance(spelling, ServiceSpelling)
        moved = []
        for operation in patch:
            path = self.base + spelling.pointer(operation["path"])
            new = {**operation, "path": path}
            if "value" in operation:
                tokens = split(operation["path"])
                if tokens and (tokens[-1] == "-" or tokens[-1].isdigit()):  # an element of a list
                    element = spelling.shape_at(join("", *tokens[:-1]))
                    definition = spelling.shapes.get(element) if element else None
                    item = definition["member"]["shape"] if definition and definition["type"] == "list" else None
                    new["value"] = spelling.body(operation["value"], item) if isinstance(operation["value"], dict) \
                        else operation["value"]
                else:
                    new["value"] = spelling.provider_value(operation["value"], spelling.shape_at(operation["path"]))
            moved.append(new)
        return moved


def _service_data(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """An ``aws_ecs_service`` body as ``CreateService`` input (the members the rules and
    migrate read), and where each API pointer was read from (relative to the resource)."""
    shapes = _ecs_shapes()
    back: dict[str, str] = {"": ""}

    def convert(value: Any, shape: str, api: str, written: str) -> Any:
        back[api] = written
        definition = shapes[shape]
        kind = definition["type"]
        if isinstance(value, Unknown):
            return value
        if kind == "structure":
            if isinstance(value, list):  # a block: a list of one (more is the provider's error)
                if len(value) != 1 or not isinstance(value[0], dict):
                    return Unknown(written) if value else {}
                value, written = value[0], join(written, 0)
                back[api] = written
            if not isinstance(value, dict):
                return value
            members = definition["members"]
            names = {_SERVICE_RENAMES.get((shape, key), _camel(key)): key for key in value}
            converted: dict[str, Any] = {}
            flattened = _FLATTENED.get(shape)
            if flattened is not None:  # network_configuration's members are awsvpcConfiguration's
                inner = members[flattened]["shape"]
                converted[flattened] = convert(value, inner, join(api, flattened), written)
                return converted
            for member, key in names.items():
                if member not in members:
                    continue  # the provider's own argument (wait_for_steady_state ...), or "dynamic"
                converted[member] = convert(value[key], members[member]["shape"], join(api, member), join(written, key))
            for dynamic in value.get("dynamic") or [] if isinstance(value.get("dynamic"), list) else []:
                for label in dynamic if isinstance(dynamic, dict) else []:
                    member = _SERVICE_RENAMES.get((shape, label), _camel(label))
                    if member in members:  # generated by a for_each: unknown
                        converted[member] = Unknown(f'dynamic "{label}"')
            return converted
        if kind == "list":
            element = definition["member"]["shape"]
            if not isinstance(value, list):  # .tf.json may write one block as an object
                return [convert(value, element, join(api, 0), written)]
            return [convert(item, element, join(api, index), join(written, index)) for index, item in enumerate(value)]
        if shape == "AssignPublicIp" and isinstance(value, bool):
            return "ENABLED" if value else "DISABLED"  # the provider's bool
        return value

    request = shapes["CreateServiceRequest"]["members"]
    data: dict[str, Any] = {}
    for key, value in body.items():
        member = _SERVICE_RENAMES.get(("CreateServiceRequest", key), _camel(key))
        if member in _SERVICE_MEMBERS:
            data[member] = convert(value, request[member]["shape"], join("", member), join("", key))
    for dynamic in body.get("dynamic") or [] if isinstance(body.get("dynamic"), list) else []:
        for label in dynamic if isinstance(dynamic, dict) else []:
            member = _camel(label)
            if member in _SERVICE_MEMBERS:
                data[member] = Unknown(f'dynamic "{label}"')
    return data, back


def task_definition_address(value: Any) -> str | None:
    """The ``aws_ecs_task_definition`` an ``aws_ecs_service``'s ``task_definition`` names:
    ``aws_ecs_task_definition.x.arn`` (``.family``, ``.id``, or inside a template such as
    ``"${aws_ecs_task_definition.x.family}:${...}"``)."""
    from meshify.injector.documents.hcl_text import Reference

    if isinstance(value, Reference):
        return f"{TASK_DEFINITION}.{value.parts[1]}" if value.parts[:1] == (TASK_DEFINITION,) and \
            len(value.parts) >= 2 else None
    if isinstance(value, Unknown):
        found = set(_TASK_DEFINITION_ADDRESS.findall(value.text))
        return f"{TASK_DEFINITION}.{found.pop()}" if len(found) == 1 else None
    return None


def services(document: Document) -> list[EcsServiceFile]:
    """The ``aws_ecs_service`` resources of a Terraform document as ECS service definitions
    (:class:`~meshify.injector.inputs.ecs_service.EcsServiceFile`), each tied to its task
    definition: the family of an ``aws_ecs_task_definition`` of the same file that writes
    one, else that resource's address (``lint`` ties it by address), else the literal."""
    found: list[EcsServiceFile] = []
    definitions = document.data["resource"].get(TASK_DEFINITION) or {}
    for name, body in (document.data["resource"].get(SERVICE) or {}).items():
        if not isinstance(body, dict):
            continue
        data, back = _service_data(body)
        address = task_definition_address(body.get("task_definition"))
        if address is not None:
            definition = definitions.get(address.split(".", 1)[1])
            family = definition.get("family") if isinstance(definition, dict) else None
            data["taskDefinition"] = family if isinstance(family, str) and not isinstance(family, Unknown) else address
        service = TerraformServiceFile(document, join("/resource", SERVICE, name), data, ServiceSpelling(back),
                                       resource=f"{SERVICE}.{name}")
        service.appmesh_references = _appmesh_references(document, service, name, body, definitions, address)
        found.append(service)
    return found


_APPMESH_ADDRESS = re.compile(r"\b(aws_appmesh_[a-z_]+)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def _appmesh_references(document: Document, service: EcsServiceFile, name: str, body: dict[str, Any],
                        definitions: dict[str, Any], address: str | None) -> list[MeshReference]:
    """Where an ``aws_ecs_service``, or the task definition of this file it runs, names an
    ``aws_appmesh_*`` resource (``depends_on``, a reference in any value); the Envoy
    container, ``proxy_configuration`` and ``APPMESH_*`` variables are uninject's (C509)."""
    held: list[tuple[str, dict[str, Any], str, tuple[str, ...]]] = [("it", body, join("/resource", SERVICE, name), ())]
    definition_name = address.split(".", 1)[1] if address else None
    definition = definitions.get(definition_name) if definition_name else None
    if isinstance(definition, dict) and definition_name:
        from meshify.injector.model.task_definition import find_envoy
        from meshify.injector.model.unwiring import DEFAULT_ENVOY_NAME

        base = join("/resource", TASK_DEFINITION, definition_name)
        containers = definition.get("container_definitions")
        envoy = find_envoy({"containerDefinitions": containers}, DEFAULT_ENVOY_NAME) \
            if isinstance(containers, list) else None
        skipped = (f"{base}/proxy_configuration",
                   *(() if envoy is None else (f"{base}/container_definitions/{envoy}",)))
        family = definition.get("family")
        label = family if isinstance(family, str) and not isinstance(family, Unknown) else address
        held.append((f"its task definition `{label}`", definition, base, skipped))
    references: list[MeshReference] = []
    for holder, resource, base, skipped in held:
        found: list[tuple[str, str, str, str]] = []
        _tf_references_in(resource, base, skipped, found)
        references += [MeshReference(service.service.name, holder, _appmesh_words(kind), f"{kind}.{name}", how,
                                     Loc(document, pointer)) for kind, name, how, pointer in found]
    return references


def _appmesh_words(kind: str) -> str:
    """``aws_appmesh_virtual_node`` -> ``virtual node``."""
    return kind.removeprefix("aws_appmesh_").replace("_", " ")


def _tf_references_in(value: Any, pointer: str, skipped: tuple[str, ...], found: list[tuple[str, str, str, str]],
                      key: str = "", holder: str = "") -> None:
    """(resource type, name, how, place) of each ``aws_appmesh_*`` address in ``value``. The
    place is the container holding the expression (``depends_on``, the environment entry):
    a finding placed at an expression itself is one about an unknown value, which the
    engine leaves out."""
    if pointer in skipped:
        return
    if isinstance(value, Unknown):
        how = "depends_on" if key == "depends_on" else None
        for match in _APPMESH_ADDRESS.finditer(value.text):
            found.append((match.group(1), match.group(2), how or match.group(0), holder))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _tf_references_in(item, f"{pointer}/{index}", skipped, found, key, pointer)
    elif isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str) and name.startswith("APPMESH_") and "/environment/" in pointer:
            return  # Envoy's wiring, wherever it is: uninject and migrate remove it
        for member, item in value.items():
            _tf_references_in(item, join(pointer, member), skipped, found, member, pointer)


# ---------------------------------------------------------------------------------------
# App Mesh resources


def _appmesh_shapes() -> dict[str, Any]:
    from meshify.injector.model.service_models import shapes

    return shapes("appmesh")


class SpecConversion:
    """The provider's snake_case spec as the API's camelCase, and the way back from an API
    pointer to the ``.tf`` pointer (a block is a list of one there)."""

    def __init__(self) -> None:
        self.shapes = _appmesh_shapes()
        self.back: dict[str, str] = {}  # API pointer -> document pointer (relative to the spec)

    def convert(self, value: Any, shape_name: str, api: str, written: str) -> Any:
        self.back[api] = written
        shape = self.shapes[shape_name]
        if isinstance(value, Unknown):
            return value
        kind = shape["type"]
        if kind == "structure":
            if isinstance(value, list):  # a block: a list of one
                if not value:
                    return {}
                value, written = value[0], join(written, 0)
                self.back[api] = written
            if not isinstance(value, dict):
                return value
            converted: dict[str, Any] = {}
            members = shape["members"]
            for key, item in value.items():
                member = self._member(members, key)
                if member is None:
                    continue  # not in the API (a provider-only argument): not checked
                target = members[member]["shape"]
                converted[member] = self.convert(item, target, join(api, member), join(written, key))
            return converted
        if kind == "list":
            element = shape["member"]["shape"]
            if isinstance(value, dict) and self.shapes[element]["type"] == "structure" and \
                    set(self.shapes[element]["members"]) == {"key", "value"}:
                return [{"key": k, "value": v} for k, v in value.items()]  # a map in Terraform
            items = value if isinstance(value, list) else [value]
            return [self.convert(item, element, join(api, index), join(written, index))
                    for index, item in enumerate(items)]
        if kind == "map":
            return value
        return value

    @staticmethod
    def _member(members: dict[str, Any], key: str) -> str | None:
        camel = _camel(key)
        for candidate in (camel, camel + "s", camel + "es"):
            if candidate in members:
                return candidate
        lowered = {name.lower(): name for name in members}
        return lowered.get(camel.lower()) or lowered.get(camel.lower() + "s")


class TerraformSpecDocument(Document):
    """A view of a ``.tf`` for one App Mesh resource: API pointers under its spec are
    placed at the blocks they came from."""

    def __init__(self, document: Document, base: str, back: dict[str, str]) -> None:
        super().__init__(document.path, document.text)
        self.document, self.base, self.back = document, base, back
        self.format = document.format
        self.data = document.data

    def position(self, pointer: str) -> tuple[int, int]:
        if pointer.startswith(self.base):
            relative = pointer[len(self.base):]
            tokens = split(relative)
            while tokens:  # the nearest ancestor that was written
                candidate = join("", *tokens)
                if candidate in self.back:
                    return self.document.position(self.spec_base + self.back[candidate])
                tokens.pop()
            return self.document.position(self.spec_base)
        return self.document.position(pointer)

    @property
    def spec_base(self) -> str:
        return self.base.rsplit("/spec", 1)[0] + "/spec"


def spec_files(document: Document) -> list[SpecFile]:
    found: list[SpecFile] = []
    resources = document.data["resource"]
    if not any(kind in resources for kind in APPMESH_RESOURCES):
        return found
    for resource_type, (kind, shape) in APPMESH_RESOURCES.items():
        for name, body in (resources.get(resource_type) or {}).items():
            if not isinstance(body, dict):
                continue
            base = join("/resource", resource_type, name, "spec")
            conversion = SpecConversion()
            spec = conversion.convert(body.get("spec") or [], shape, "", "")
            parent_key = "virtual_router_name" if kind == "route" else "virtual_gateway_name" \
                if kind == "gatewayRoute" else None
            parent = _resolved(document, body.get(parent_key)) if parent_key else None
            resource_name = _resolved(document, body.get("name"))
            if not isinstance(resource_name, str):
                resource_name = f"{resource_type}.{name}"
            view = TerraformSpecDocument(document, base, conversion.back)
            spec_file = SpecFile(view, kind, resource_name, parent if isinstance(parent, str) else None,
                                 _resolve_references(document, spec), base)
            found.append(spec_file)
    return found


def _resolved(document: Document, value: Any) -> Any:
    """A reference to an ``aws_appmesh_*`` resource of this file (``.name``, ``.id``) is
    its name; ``.arn`` is not known here (the account is not); anything else stays unknown."""
    from meshify.injector.documents.hcl_text import Reference

    if isinstance(value, Reference) and len(value.parts) == 3 and value.parts[0] in APPMESH_RESOURCES \
            and value.parts[2] in ("name", "id"):
        body = document.data["resource"].get(value.parts[0], {}).get(value.parts[1])
        if isinstance(body, dict) and isinstance(body.get("name"), str):
            return body["name"]
    if isinstance(value, Reference) and len(value.parts) == 3 and value.parts[0] == "aws_appmesh_mesh":
        body = document.data["resource"].get("aws_appmesh_mesh", {}).get(value.parts[1])
        if isinstance(body, dict) and isinstance(body.get("name"), str):
            return body["name"]
    return value


def _resolve_references(document: Document, value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _resolve_references(document, item) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve_references(document, item) for item in value]
    return _resolved(document, value)


