"""CloudFormation templates (YAML with short-form tags, JSON, the CDK's ``cdk.out/*.template.json``).

A template is recognised by ``Resources`` whose members have a ``Type``. Every
``AWS::ECS::TaskDefinition`` becomes a :class:`TaskDefinitionFile` (``base`` its
``Properties``, ``resource`` its logical id) and every ``AWS::AppMesh::*`` resource a
:class:`SpecFile`, both in the API's spelling (``cfn_names``) with a way back to the
template's pointers, so that findings land on the template's lines and patches are written
in PascalCase, with short-form tags kept by the document's editor.

Values (``formats.md``, "References and unknown values"): a parameter's literal default is
used as its value; ``!GetAtt X.VirtualNodeName`` (and the other name attributes) of an App
Mesh resource of the same template is that resource's name, and so is a ``!Sub`` made only
of such pieces; every other intrinsic stays as written, an unknown the rules do not judge.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass
from typing import Any

from meshify.injector.documents.document import Document
from meshify.injector.documents.pointer import join, resolve
from meshify.injector.inputs.appmesh_spec import SpecFile
from meshify.injector.inputs.ecs_service import EcsServiceFile
from meshify.injector.inputs.task_definition import Spelling, TaskDefinitionFile, _check_shape
from meshify.injector.model.ecs_service import MeshReference
from meshify.injector.model.mesh import NODE_ARN, Loc
from meshify.injector.model.unknowns import is_intrinsic

TASK_DEFINITION = "AWS::ECS::TaskDefinition"
SERVICE = "AWS::ECS::Service"
MESH = "AWS::AppMesh::Mesh"
# CloudFormation type -> (the model's kind, the resource's name property and attribute)
APPMESH_KINDS: dict[str, tuple[str, str]] = {
    "AWS::AppMesh::VirtualNode": ("virtualNode", "VirtualNodeName"),
    "AWS::AppMesh::VirtualRouter": ("virtualRouter", "VirtualRouterName"),
    "AWS::AppMesh::Route": ("route", "RouteName"),
    "AWS::AppMesh::VirtualService": ("virtualService", "VirtualServiceName"),
    "AWS::AppMesh::VirtualGateway": ("virtualGateway", "VirtualGatewayName"),
    "AWS::AppMesh::GatewayRoute": ("gatewayRoute", "GatewayRouteName"),
}
NAME_ATTRIBUTES = ("MeshName", "MeshOwner", *(name for _, name in APPMESH_KINDS.values()))
_SUB_VARIABLE = re.compile(r"\$\{([^}!]+)\}")


def is_template(data: Any) -> bool:
    resources = data.get("Resources") if isinstance(data, dict) else None
    return isinstance(resources, dict) and any(
        isinstance(resource, dict) and isinstance(resource.get("Type"), str) for resource in resources.values())


class Resolver:
    """The values a template's intrinsics have when the template alone says so."""

    def __init__(self, template: dict[str, Any]) -> None:
        self.resources: dict[str, dict[str, Any]] = {
            logical_id: resource for logical_id, resource in template["Resources"].items() if isinstance(resource, dict)}
        self.defaults: dict[str, Any] = {}
        for name, parameter in (template.get("Parameters") or {}).items():
            default = parameter.get("Default") if isinstance(parameter, dict) else None
            if isinstance(default, (str, int, float)) and not isinstance(default, bool):
                self.defaults[name] = default
        self._resolving: set[str] = set()
        self.unknown_names: set[str] = set()  # stand-ins for names only the stack knows
        self.defaults_used: dict[str, str] = {}  # document pointer -> the parameter whose default it is

    def type_of(self, logical_id: str) -> str | None:
        kind = self.resources.get(logical_id, {}).get("Type")
        return kind if isinstance(kind, str) else None

    def attribute(self, logical_id: str, attribute: str) -> Any:
        """``!GetAtt logical_id.attribute`` for the name attributes of App Mesh resources."""
        resource_type = self.type_of(logical_id) or ""
        if not resource_type.startswith("AWS::AppMesh::") or attribute not in NAME_ATTRIBUTES \
                or logical_id in self._resolving:
            return None
        properties = self.resources[logical_id].get("Properties") or {}
        self._resolving.add(logical_id)  # a cycle of references resolves to unknown, never loops
        try:
            value = self.resolve(properties.get(attribute)) if isinstance(properties, dict) else None
        finally:
            self._resolving.discard(logical_id)
        if (value is None or is_intrinsic(value)) and attribute == APPMESH_KINDS.get(resource_type, ("", ""))[1]:
            # A resource's own name that only the stack knows (``!Sub '${ProjectName}-node'``): the
            # model names it by its logical id, the same at every reference, so the mesh holds together.
            self.unknown_names.add(logical_id)
            return logical_id
        return None if is_intrinsic(value) else value

    def resolve(self, value: Any, pointer: str | None = None) -> Any:
        """``value`` with every intrinsic the template determines replaced by its value;
        with the document ``pointer`` of ``value``, where a parameter's default is used is
        remembered (``defaults_used``), for the findings that rely on it to say so."""
        if isinstance(value, list):
            return [self.resolve(item, None if pointer is None else f"{pointer}/{index}")
                    for index, item in enumerate(value)]
        if not isinstance(value, dict):
            return value
        if not is_intrinsic(value):
            return {key: self.resolve(item, None if pointer is None else join(pointer, key)) for key, item in value.items()}
        (function, argument), = value.items()
        if function == "Ref" and isinstance(argument, str) and argument in self.defaults:
            if pointer is not None:
                self.defaults_used[pointer] = argument
            return self.defaults[argument]
        if function == "Fn::GetAtt":
            parts = argument.split(".", 1) if isinstance(argument, str) else argument
            if isinstance(parts, list) and len(parts) == 2 and all(isinstance(p, str) for p in parts):
                found = self.attribute(parts[0], parts[1])
                if found is not None:
                    return found
        if function == "Fn::Sub":
            found = self.substitute(argument)
            if found is not None:
                return found
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str) \
                and isinstance(argument[1], list):
            pieces = [self.resolve(piece) for piece in argument[1]]
            if all(isinstance(piece, (str, int, float)) and not isinstance(piece, bool) for piece in pieces):
                return argument[0].join(str(piece) for piece in pieces)
        return value

    def node_key(self, logical_id: str) -> str:
        """The name of an App Mesh resource of the template (its logical id when only the
        stack knows the name)."""
        name = self.attribute(logical_id, APPMESH_KINDS.get(str(self.type_of(logical_id)), ("", ""))[1])
        return name if isinstance(name, str) else logical_id

    def substitute(self, argument: Any) -> str | None:
        template, variables = (argument, {}) if isinstance(argument, str) else (
            (argument[0], argument[1]) if isinstance(argument, list) and len(argument) == 2
            and isinstance(argument[0], str) and isinstance(argument[1], dict) else (None, {}))
        if template is None:
            return None
        unknown = False

        def one(match: re.Match[str]) -> str:
            nonlocal unknown
            name = match.group(1)
            if name in variables:
                found = self.resolve(variables[name])
            elif "." in name:
                found = self.attribute(*name.split(".", 1))
            else:
                found = self.defaults.get(name)
            if isinstance(found, (str, int, float)) and not isinstance(found, bool):
                return str(found)
            unknown = True
            return match.group(0)

        text = _SUB_VARIABLE.sub(one, template)
        return None if unknown else text.replace("${!", "${")


# Where each resource type's Properties sit in the API: (service, input shape).
API_SHAPES = {
    TASK_DEFINITION: ("ecs", "RegisterTaskDefinitionRequest"),
    SERVICE: ("ecs", "CreateServiceRequest"),
    **{resource_type: ("appmesh", f"Create{resource_type.rsplit(':', 1)[1]}Input") for resource_type in APPMESH_KINDS},
}


def coerce(service: str, shape_name: str, value: Any) -> Any:
    """``value`` with the scalars CloudFormation converts made the API's type: ``'8080'``
    where the model wants an integer, ``8080`` or ``true`` where it wants a string
    (CloudFormation stringifies), ``'true'`` where it wants a boolean. Unknowns stay."""
    from meshify.injector.model.service_models import shapes

    all_shapes = shapes(service)

    def walk(name: str, item: Any) -> Any:
        shape = all_shapes[name]
        kind = shape["type"]
        if is_intrinsic(item):
            return item
        if kind == "structure" and isinstance(item, dict):
            members = shape["members"]
            return {key: walk(members[key]["shape"], member) if key in members else member for key, member in item.items()}
        if kind == "list" and isinstance(item, list):
            return [walk(shape["member"]["shape"], member) for member in item]
        if kind == "map" and isinstance(item, dict):
            return {key: walk(shape["value"]["shape"], member) for key, member in item.items()}
        if kind == "string" and isinstance(item, (bool, int, float)):
            return str(item).lower() if isinstance(item, bool) else str(item)
        if kind in ("integer", "long") and isinstance(item, str) and re.fullmatch(r"-?\d+", item.strip()):
            return int(item)
        if kind in ("float", "double") and isinstance(item, str) and re.fullmatch(r"-?\d+(\.\d+)?", item.strip()):
            return float(item)
        if kind == "boolean" and isinstance(item, str) and item.lower() in ("true", "false"):
            return item.lower() == "true"
        return item

    return walk(shape_name, value)


def _api_data(properties: dict[str, Any], resource_type: str, resolver: Resolver, base: str) -> tuple[Any, dict[str, str]]:
    from meshify.injector.inputs.cfn_names import to_api

    data, pointers = to_api(resolver.resolve(properties, base), resource_type)
    return coerce(*API_SHAPES[resource_type], data), pointers


def wired_name(value: Any, resolver: Resolver) -> str | None:
    """The virtual node or gateway an Envoy's ``APPMESH_RESOURCE_ARN`` /
    ``APPMESH_VIRTUAL_NODE_NAME`` names, when the template tells: ``!Ref`` of a node of
    the template, ``!GetAtt X.Arn``, or an ARN / ``mesh/M/virtualNode/N`` whose last part
    is literal (a ``!Sub`` may leave the mesh unknown)."""
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        logical_id = argument if function == "Ref" else argument.split(".", 1)[0] if function == "Fn::GetAtt" and \
            isinstance(argument, str) else argument[0] if function == "Fn::GetAtt" and isinstance(argument, list) \
            and argument else None
        if isinstance(logical_id, str) and resolver.type_of(logical_id) in _WIRED_TYPES:
            return resolver.node_key(logical_id)
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list):
            pieces = argument[1]
            for before, piece in itertools.pairwise(pieces):
                if isinstance(before, str) and re.search(r"virtual(?:Node|Gateway)/$", before):
                    return wired_name(piece, resolver) if isinstance(piece, dict) else piece if isinstance(piece, str) else None
            value = resolver.resolve(value)
        if function == "Fn::Sub":
            text = argument if isinstance(argument, str) else argument[0] if isinstance(argument, list) and argument else None
            value = resolver.substitute(argument) or text
    if isinstance(value, str):
        found = re.search(r"/virtual(?:Node|Gateway)/([^/$]+)$", value)
        return found.group(1) if found else None
    return None


_WIRED_TYPES = ("AWS::AppMesh::VirtualNode", "AWS::AppMesh::VirtualGateway")


@dataclass(frozen=True, slots=True)
class Choice:
    """One way a template's conditions choose a task definition's containers
    (``ContainerDefinitions: !If [Cond, [...], [...]]``, or a container that is
    ``!If [Cond, {...}, !Ref AWS::NoValue]``): each condition's value, where the chosen
    list is written and where each chosen container is, as document pointers relative to
    the resource's ``Properties``."""

    conditions: tuple[tuple[str, bool], ...]
    where: str  # the chosen list: the If's first (/Fn::If/1) or second (/Fn::If/2) value
    items: tuple[str, ...]  # the chosen containers, in order
    first_if: str  # the first Fn::If that chooses

    def place(self, cfn_pointer: str) -> str:
        """A pointer as if the chosen containers were a plain list, as the template writes it."""
        prefix = "/ContainerDefinitions"
        if cfn_pointer == prefix:
            return self.where
        if not cfn_pointer.startswith(prefix + "/"):
            return cfn_pointer
        index, _, rest = cfn_pointer[len(prefix) + 1:].partition("/")
        if index.isdigit() and int(index) < len(self.items):
            return self.items[int(index)] + ("/" + rest if rest else "")
        return self.where + cfn_pointer[len(prefix):]

    @property
    def said(self) -> str:
        return ", ".join(f"{name} {'true' if value else 'false'}" for name, value in self.conditions)


class TemplateSpelling(Spelling):
    """The API's pointers and values as a resource of a CloudFormation template spells them."""

    def __init__(self, resource_type: str, base: str, pointers: dict[str, str], node_ids: dict[str, str],
                 choice: Choice | None = None) -> None:
        self.resource_type = resource_type
        self.base = base
        self.pointers = pointers
        self.node_ids = node_ids  # node or gateway name -> its logical id in this template
        self.choice = choice

    def pointer(self, pointer: str) -> str:
        from meshify.injector.inputs.cfn_names import api_pointer_to_cfn

        found = api_pointer_to_cfn(pointer, self.pointers, self.resource_type)
        return self.choice.place(found) if self.choice is not None else found

    def value(self, value: Any, pointer: str) -> Any:
        from meshify.injector.inputs.cfn_names import to_cfn_value

        return self._references(to_cfn_value(value, self.resource_type, pointer.removeprefix(self.base)))

    def _references(self, value: Any) -> Any:
        """The Envoy's ``APPMESH_RESOURCE_ARN`` depends on the stack: ``!Ref`` the node
        when it is in the same template rather than a literal ARN (the variable added whole,
        or its value replaced)."""
        if isinstance(value, list):
            return [self._references(item) for item in value]
        if isinstance(value, dict):
            return {key: self._references(item) for key, item in value.items()}
        found = NODE_ARN.match(value) if isinstance(value, str) else None
        return {"Ref": self.node_ids[found.group(2)]} if found and found.group(2) in self.node_ids else value


class ResourceView(Document):
    """One App Mesh resource of a template as the API spells it: the rules read the
    API's pointers, positions come from the template's."""

    def __init__(self, document: Document, base: str, resource_type: str, data: Any, pointers: dict[str, str],
                 choice: Choice | None = None) -> None:
        super().__init__(document.path, document.text)
        self.document, self.base, self.resource_type = document, base, resource_type
        self.format = document.format
        self.data = data
        self.pointers = pointers
        self.choice = choice

    def position(self, pointer: str) -> tuple[int, int]:
        from meshify.injector.inputs.cfn_names import api_pointer_to_cfn

        found = api_pointer_to_cfn(pointer, self.pointers, self.resource_type)
        return self.document.position(self.base + (self.choice.place(found) if self.choice is not None else found))


@dataclass(slots=True)
class MeshResource:
    """An ``AWS::AppMesh::Mesh``: its name (None when unknown) and egress filter."""

    logical_id: str
    name: str | None
    egress_filter: str | None
    document: Document
    pointer: str


@dataclass(slots=True)
class Template:
    document: Document
    resolver: Resolver
    task_definitions: list[TaskDefinitionFile]
    spec_files: list[SpecFile]
    meshes: list[MeshResource]
    services: list[EcsServiceFile]  # tied to their task definitions by taskDefinition (a logical id here)
    wiring: dict[str, str]  # task definition logical id -> the node or gateway its Envoy names

    @property
    def unknown_names(self) -> set[str]:
        return self.resolver.unknown_names

    def name_expression(self, logical_id: str, resource_type: str) -> Any:
        """The intrinsic this template writes for the name of its ``resource_type`` resource
        ``logical_id`` (``VirtualServiceName: !Join [...]``) when only the stack knows that
        name (the model calls it by its logical id); None otherwise."""
        if logical_id not in self.unknown_names or self.resolver.type_of(logical_id) != resource_type:
            return None
        properties = self.resolver.resources[logical_id].get("Properties")
        name = properties.get(APPMESH_KINDS[resource_type][1]) if isinstance(properties, dict) else None
        return name if is_intrinsic(name) else None


def read_template(document: Document) -> Template | None:
    """What a template holds, or None when the document is not a template."""
    if not is_template(document.data):
        return None
    resolver = Resolver(document.data)
    template = Template(document, resolver, [], [], [], [], {})
    node_ids: dict[str, str] = {}
    for logical_id, resource in resolver.resources.items():
        kind = APPMESH_KINDS.get(str(resource.get("Type")))
        if kind and kind[0] in ("virtualNode", "virtualGateway"):
            node_ids[resolver.node_key(logical_id)] = logical_id
    for logical_id, resource in resolver.resources.items():
        resource_type = resource.get("Type")
        properties = resource.get("Properties")
        base = join("/Resources", logical_id, "Properties")
        if not isinstance(properties, dict) or not isinstance(resource_type, str):
            continue
        if resource_type == TASK_DEFINITION:
            containers = properties.get("ContainerDefinitions")
            choices = _choices(containers) if not isinstance(containers, list) or any(
                _is_if(item) for item in containers) else [None]
            for choice in choices:
                chosen = properties if choice is None else {**properties, "ContainerDefinitions": [
                    resolve(properties, item) for item in choice.items]}
                recorded = set(resolver.defaults_used)
                data, pointers = _api_data(chosen, resource_type, resolver, base)
                if choice is not None:  # where a default is used: the chosen containers' own places
                    for place in set(resolver.defaults_used) - recorded:
                        resolver.defaults_used[base + choice.place(place[len(base):])] = \
                            resolver.defaults_used.pop(place)
                # CloudFormation names the family when the template does not: "<stack>-<logical id>-<random>".
                data.setdefault("family", {"Fn::Sub": "${AWS::StackName}-" + logical_id})
                spelling = TemplateSpelling(resource_type, base, pointers, node_ids, choice)
                _check_shape(ResourceView(document, base, resource_type, data, pointers, choice), "", data)
                task_file = TaskDefinitionFile(document, base, data, spelling=spelling, resource=logical_id) \
                    if choice is None else ChosenTaskDefinitionFile(document, base, data, spelling=spelling,
                                                                    resource=logical_id, choice=choice)
                template.task_definitions.append(task_file)
                wired = _wired(chosen, resolver)
                if wired is not None:
                    template.wiring.setdefault(logical_id, wired)
        elif resource_type == SERVICE:
            data, pointers = _api_data(properties, resource_type, resolver, base)
            reference = properties.get("TaskDefinition")
            if isinstance(reference, dict) and list(reference) == ["Ref"] and resolver.type_of(str(reference["Ref"])) \
                    == TASK_DEFINITION:
                data["taskDefinition"] = reference["Ref"]  # the task definition's resource, as _task_file_of ties them
            template.services.append(EcsServiceFile(document, base, data, TemplateSpelling(
                resource_type, base, pointers, node_ids), resource=logical_id))
        elif resource_type == MESH:
            name = resolver.attribute(logical_id, "MeshName")
            spec = properties.get("Spec")
            egress_filter = spec.get("EgressFilter") if isinstance(spec, dict) else None
            egress = egress_filter.get("Type") if isinstance(egress_filter, dict) else None
            template.meshes.append(MeshResource(logical_id, name if isinstance(name, str) else None,
                                                egress if isinstance(egress, str) else None, document, base))
        elif resource_type in APPMESH_KINDS:
            appmesh_kind, name_key = APPMESH_KINDS[resource_type]
            data, pointers = _api_data(properties, resource_type, resolver, base)
            if isinstance(data.get("spec"), dict):  # references to other resources; its own name is below
                data["spec"] = _stand_ins(data["spec"], resolver.unknown_names)
            if not isinstance(data.get("spec"), dict):
                continue
            view = ResourceView(document, base, resource_type, data, pointers)
            name = data.get(name_key[0].lower() + name_key[1:])
            parent_key = {"route": "virtualRouterName", "gatewayRoute": "virtualGatewayName"}.get(appmesh_kind)
            parent = data.get(parent_key) if parent_key else None
            template.spec_files.append(SpecFile(
                view, appmesh_kind, name if isinstance(name, str) else logical_id,
                parent if isinstance(parent, str) else None, data["spec"], "/spec"))
    _tie_appmesh_references(template)
    return template


def _words(resource_type: str) -> str:
    """``AWS::AppMesh::VirtualNode`` -> ``virtual node``."""
    return re.sub(r"(?<!^)([A-Z])", r" \1", resource_type.rsplit("::", 1)[-1]).lower()


def _tie_appmesh_references(template: Template) -> None:
    """Give each ECS service of the template the places where it, or the task definition it
    runs (``TaskDefinition: !Ref``), takes something from an App Mesh resource; the Envoy
    container, the proxy configuration and ``APPMESH_*`` variables are left out: they are the
    wiring that uninject removes (C509 reports what is left of it)."""
    resolver = template.resolver
    appmesh = {logical_id: str(resource.get("Type")) for logical_id, resource in resolver.resources.items()
               if str(resource.get("Type")).startswith("AWS::AppMesh::")}
    if not appmesh:
        return
    tasks = {task_file.resource: task_file for task_file in template.task_definitions
             if task_file.resource is not None and not isinstance(task_file, ChosenTaskDefinitionFile)}
    for service in template.services:
        if service.resource is None:
            continue
        held: list[tuple[str, str, tuple[str, ...]]] = [("it", service.resource, ())]
        task_file = tasks.get(service.task_definition or "")
        if task_file is not None and task_file.resource is not None:
            from meshify.injector.model.task_definition import find_envoy
            from meshify.injector.model.unwiring import DEFAULT_ENVOY_NAME

            envoy = find_envoy(task_file.data, DEFAULT_ENVOY_NAME)
            skipped = ("ProxyConfiguration", *(() if envoy is None else (f"ContainerDefinitions/{envoy}",)))
            held.append((f"its task definition `{task_file.family or task_file.resource}`", task_file.resource, skipped))
        for holder, logical_id, skipped in held:
            resource = resolver.resources[logical_id]
            base = join("/Resources", logical_id)
            found: list[tuple[str, str, str]] = []
            depends = resource.get("DependsOn")
            for index, target in enumerate(depends if isinstance(depends, list) else [depends]):
                if isinstance(target, str) and target in appmesh:
                    found.append((target, "DependsOn", f"{base}/DependsOn" + (f"/{index}" if isinstance(depends, list)
                                                                               else "")))
            properties = resource.get("Properties")
            skipped_pointers = tuple(f"{base}/Properties/{place}" for place in skipped)
            _references_in(properties, f"{base}/Properties", appmesh, skipped_pointers, found)
            service.appmesh_references += [
                MeshReference(service.service.name, holder, _words(appmesh[target]), target, how,
                              Loc(template.document, pointer))
                for target, how, pointer in found]


def _references_in(value: Any, pointer: str, appmesh: dict[str, str], skipped: tuple[str, ...],
                   found: list[tuple[str, str, str]]) -> None:
    """(App Mesh logical id, how, pointer) for each ``Ref``, ``Fn::GetAtt`` and ``${...}``
    of ``Fn::Sub`` in ``value`` that names an App Mesh resource."""
    if pointer in skipped:
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _references_in(item, f"{pointer}/{index}", appmesh, skipped, found)
        return
    if not isinstance(value, dict):
        return
    name = value.get("Name")
    if isinstance(name, str) and name.startswith("APPMESH_") and "/Environment/" in pointer:
        return  # Envoy's wiring, wherever it is: uninject and migrate remove it
    if len(value) == 1:
        [(function, argument)] = value.items()
        if function == "Ref" and argument in appmesh:
            found.append((argument, f"!Ref {argument}", pointer))
            return
        if function == "Fn::GetAtt":
            parts = argument.split(".", 1) if isinstance(argument, str) else argument
            if isinstance(parts, list) and parts and parts[0] in appmesh:
                found.append((parts[0], f"!GetAtt {'.'.join(str(part) for part in parts)}", pointer))
                return
        if function == "Fn::Sub":
            text, variables = (argument, {}) if isinstance(argument, str) else (
                (argument[0], argument[1] if len(argument) > 1 and isinstance(argument[1], dict) else {})
                if isinstance(argument, list) and argument and isinstance(argument[0], str) else (None, {}))
            if text is not None:
                for variable in _SUB_VARIABLE.findall(text):
                    target = variable.split(".", 1)[0]
                    if target in appmesh and variable not in variables:
                        found.append((target, f"${{{variable}}} in !Sub", pointer))
                if isinstance(argument, list) and len(argument) > 1:
                    _references_in(variables, f"{pointer}/Fn::Sub/1", appmesh, skipped, found)
                return
    for key, item in value.items():
        _references_in(item, join(pointer, key), appmesh, skipped, found)


# At most this many conditions choose one task definition's containers: each way they can
# be is linted, so 2**n views; beyond, the containers are left unknown (nothing checked).
MAX_CONDITIONS = 4


def _is_if(value: Any) -> bool:
    if not isinstance(value, dict) or list(value) != ["Fn::If"]:
        return False
    argument = value["Fn::If"]
    return isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str)


def _is_no_value(value: Any) -> bool:
    return value == {"Ref": "AWS::NoValue"}


def _conditions(value: Any, found: dict[str, None], items: bool = True) -> None:
    """The conditions that choose the list (``items`` False) or one of its items, in the
    order written."""
    if _is_if(value):
        name, first, second = value["Fn::If"]
        found[name] = None
        _conditions(first, found, items)
        _conditions(second, found, items)
    elif isinstance(value, list) and items:
        for item in value:
            _conditions(item, found, items=False)


def _chosen(value: Any, where: str, values: dict[str, bool]) -> tuple[str, tuple[str, ...], str] | None:
    """Where the list that ``values`` choose is, each of its containers, and the first
    ``Fn::If`` that chooses; None when the choice leaves no literal list (``!Ref
    AWS::NoValue``, another intrinsic)."""
    first_if = where
    while _is_if(value):
        branch = 1 if values[value["Fn::If"][0]] else 2
        value, where = value["Fn::If"][branch], f"{where}/Fn::If/{branch}"
    if not isinstance(value, list):
        return None
    items = []
    for index, item in enumerate(value):
        place = f"{where}/{index}"
        if _is_if(item) and first_if == where:
            first_if = place
        while _is_if(item):
            branch = 1 if values[item["Fn::If"][0]] else 2
            item, place = item["Fn::If"][branch], f"{place}/Fn::If/{branch}"
        if not _is_no_value(item):
            items.append(place)
    return where, tuple(items), first_if


def _choices(containers: Any) -> list[Choice | None]:
    """Each way the conditions can choose the containers (formats.md's unknowns: which one
    the stack takes is not known, so each is linted as a task definition of its own)."""
    found: dict[str, None] = {}
    _conditions(containers, found)
    if not found or len(found) > MAX_CONDITIONS:
        return []  # another intrinsic, or too many conditions: unknown, nothing to check or edit
    names = list(found)
    choices: dict[tuple[str, tuple[str, ...]], Choice] = {}  # by the containers chosen
    for values in itertools.product((True, False), repeat=len(names)):
        chosen = _chosen(containers, "/ContainerDefinitions", dict(zip(names, values, strict=True)))
        if chosen is not None and chosen[:2] not in choices:
            choices[chosen[:2]] = Choice(tuple(zip(names, values, strict=True)), *chosen)
    return list(choices.values())


@dataclass(slots=True)
class ChosenTaskDefinitionFile(TaskDefinitionFile):
    """A task definition as one way of its template's conditions chooses its containers.
    Linted like any other; never edited: which way the stack takes is not known, and one
    patch cannot serve every way (formats.md: never claim a value it cannot know)."""

    choice: Choice | None = None

    def document_patch(self, patch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.check_editable(patch)
        return []

    def check_editable(self, patch: list[dict[str, Any]]) -> None:
        if not patch:
            return
        assert self.choice is not None
        conditions = ", ".join(name for name, _ in self.choice.conditions)
        raise Loc(self.document, self.base + self.choice.first_if).error(
            f"cannot edit {self.resource}: its containers depend on condition {conditions} (Fn::If), and meshify "
            "edits only a literal list; wire each branch by hand, or write the containers as one list")


_NAME_KEYS = ("virtualServiceName", "virtualNodeName", "virtualRouterName", "virtualGatewayName", "virtualNode",
              "meshName")


def _stand_ins(value: Any, unknown: set[str]) -> Any:
    """Names of App Mesh resources the template cannot give (``!GetAtt`` of another stack's
    resource, ``!ImportValue``) as readable stand-ins, recorded as unknown."""
    if isinstance(value, list):
        return [_stand_ins(item, unknown) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key in _NAME_KEYS and is_intrinsic(item):
            (function, argument), = item.items()
            shown = ".".join(argument) if isinstance(argument, list) and all(isinstance(a, str) for a in argument) \
                else argument if isinstance(argument, str) else "..."
            result[key] = f"({function} {shown})"
            unknown.add(result[key])
        else:
            result[key] = _stand_ins(item, unknown)
    return result


def _wired(properties: dict[str, Any], resolver: Resolver) -> str | None:
    for container in properties.get("ContainerDefinitions") or []:
        if not isinstance(container, dict):
            continue
        for variable in container.get("Environment") or []:
            if isinstance(variable, dict) and variable.get("Name") in ("APPMESH_RESOURCE_ARN", "APPMESH_VIRTUAL_NODE_NAME"):
                name = wired_name(variable.get("Value"), resolver)
                if name is not None:
                    return name
    return None


def default_behind(document: Document | None, pointer: str, defaults: dict[str, str]) -> str | None:
    """The parameter whose default gives the value at ``pointer`` (an API pointer when the
    document is a resource's view), if any."""
    if isinstance(document, ResourceView):
        from meshify.injector.inputs.cfn_names import api_pointer_to_cfn

        pointer = document.base + api_pointer_to_cfn(pointer, document.pointers, document.resource_type)
    return next((parameter for place, parameter in defaults.items()
                 if pointer == place or pointer.startswith(place + "/")), None)


def synthesized_by_cdk(path: str, data: Any) -> bool:
    """Whether a template is the CDK's output (in a ``cdk.out`` directory, or with the
    ``AWS::CDK::Metadata`` resource or ``aws:cdk:path`` metadata that ``cdk synth`` writes):
    the next synth overwrites any edit of it."""
    if "cdk.out" in os.path.normpath(path).split(os.sep):
        return True
    resources = data.get("Resources") if isinstance(data, dict) else None
    return isinstance(resources, dict) and any(
        isinstance(resource, dict) and (resource.get("Type") == "AWS::CDK::Metadata"
                                        or (isinstance(resource.get("Metadata"), dict)
                                            and "aws:cdk:path" in resource["Metadata"]))
        for resource in resources.values())
