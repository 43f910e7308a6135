"""The mesh when there is no manifest (``formats.md``, "Which node claims a task
definition", 2): the App Mesh resources of the files given, and task definitions claimed by
what already wires them (their Envoy's ``APPMESH_RESOURCE_ARN`` or
``APPMESH_VIRTUAL_NODE_NAME`` naming a virtual node or gateway of those files).

The mesh's name, region and account come from what the files write literally: Terraform's
``aws_appmesh_mesh`` name and ``provider "aws"`` region first, then an App Mesh ARN or
``mesh/NAME/...`` in a task definition (an account only from an ARN in the mesh's region).
What stays unknown is left empty; the Envoy image is then the public ECR one, which every
region can pull.
"""

from __future__ import annotations

import re
from typing import Any

from meshify.injector.inputs.appmesh_spec import SpecFile, merge
from meshify.injector.inputs.task_definition import TaskDefinitionFile
from meshify.injector.model.mesh import NOWHERE, UNKNOWN_MESH, EnvoySettings, Gateway, Mesh, Node
from meshify.injector.model.unknowns import is_unknown

_ARN = re.compile(r"^arn:(aws[a-z-]*):appmesh:([a-z0-9-]+):(\d{12}):mesh/([^/@]+)(?:@\d{12})?/"
                  r"(virtualNode|virtualGateway)/([^/]+)$")
_NODE_NAME = re.compile(r"^mesh/([^/]+)/(virtualNode|virtualGateway)/([^/]+)$")
_WIRING = ("APPMESH_RESOURCE_ARN", "APPMESH_VIRTUAL_NODE_NAME")


def wiring_of(task_file: TaskDefinitionFile) -> tuple[str, str, str | None, str | None, str | None] | None:
    """(kind, name, mesh, region, account) that the task definition's Envoy names, or None."""
    for container in task_file.data.get("containerDefinitions") or []:
        if not isinstance(container, dict):
            continue
        for variable in container.get("environment") or []:
            if not isinstance(variable, dict) or variable.get("name") not in _WIRING:
                continue
            value = variable.get("value")
            referenced = _referenced_resource(task_file, value)
            if referenced is not None:
                return (*referenced, None, None, None)
            if not isinstance(value, str):
                continue
            arn = _ARN.match(value)
            if arn:
                return arn.group(5), arn.group(6), arn.group(4), arn.group(2), arn.group(3)
            short = _NODE_NAME.match(value)
            if short:
                return short.group(2), short.group(3), short.group(1), None, None
    return None


_REFERENCE_KINDS = {"aws_appmesh_virtual_node": "virtualNode", "aws_appmesh_virtual_gateway": "virtualGateway"}


def _referenced_resource(task_file: TaskDefinitionFile, value: Any) -> tuple[str, str] | None:
    """``aws_appmesh_virtual_node.x.arn`` of the same .tf: (kind, the resource's name)."""
    from meshify.injector.documents.unknown import ResolvedStr, Unknown

    if isinstance(value, ResolvedStr):  # already resolved against the mesh: read what the user wrote
        parts = tuple(value.variable.split("."))
    elif isinstance(value, Unknown):
        parts = getattr(value, "parts", ())
    else:
        return None
    if len(parts) != 3 or parts[0] not in _REFERENCE_KINDS:
        return None
    owner = getattr(task_file, "owner", None)
    data = (owner.document if owner is not None else task_file.document).data
    body = ((data.get("resource") or {}).get(parts[0]) or {}).get(parts[1]) if isinstance(data, dict) else None
    name = body.get("name") if isinstance(body, dict) else None
    return (_REFERENCE_KINDS[parts[0]], name) if isinstance(name, str) else None


def terraform_facts(documents: list[Any]) -> tuple[str | None, str | None]:
    """The mesh name and region a .tf writes literally (or as a variable's default)."""
    name = region = None
    for document in documents:
        data = getattr(document, "data", None)
        if not isinstance(data, dict):
            continue
        for body in ((data.get("resource") or {}).get("aws_appmesh_mesh") or {}).values() \
                if isinstance(data.get("resource"), dict) else []:
            if isinstance(body, dict) and isinstance(body.get("name"), str):
                name = name or body["name"]
        providers = (data.get("provider") or {}).get("aws") if isinstance(data.get("provider"), dict) else None
        if isinstance(providers, dict):  # Terraform's JSON syntax: one block as an object
            providers = [providers]
        for provider in providers if isinstance(providers, list) else []:
            # the default provider's region (an aliased one serves only the resources that name it)
            if isinstance(provider, dict) and isinstance(provider.get("region"), str) and "alias" not in provider:
                region = region or str(provider["region"])
    return name, region


def mesh_from_files(spec_files: list[SpecFile], task_files: list[TaskDefinitionFile],
                    envoy_image: str | None = None) -> Mesh:
    """The mesh of the files; with no App Mesh resource in them there is none, and the
    manifest is what is missing."""
    if not spec_files:
        from meshify.injector.errors import InputError
        from meshify.injector.inputs.manifest import NO_MANIFEST_NOR_MESH

        raise InputError(NO_MANIFEST_NOR_MESH)
    wired = [found for found in (wiring_of(t) for t in task_files) if found is not None]
    documents = [s.document for s in spec_files] + [t.document for t in task_files]
    tf_name, tf_region = terraform_facts([getattr(d, "document", d) for d in documents])
    # The files' own App Mesh resources name the mesh; an Envoy's ARN only refers to it (and may be
    # a stale copy, which inject replaces and T207 reports): it names the mesh only when they do not.
    name = tf_name or next((s.mesh_name for s in spec_files if isinstance(s.mesh_name, str)
                            and not is_unknown(s.mesh_name)), None) \
        or next((w[2] for w in wired if w[2]), None) or UNKNOWN_MESH
    # The provider's region is where the stack runs; an Envoy's literal ARN may be a stale copy
    # from elsewhere, so its region yields to the provider's, and its account is taken only
    # from an ARN in the mesh's region.
    region = tf_region or next((w[3] for w in wired if w[3]), None) or ""
    account = next((w[4] for w in wired if w[4] and w[3] == region), None) or ""
    pinned = envoy_image is not None  # no manifest: only a configured image is insisted on (T213)
    if envoy_image is None and not region:
        from meshify.injector.inputs.mesh_from_files import public_envoy_image

        envoy_image = public_envoy_image()  # the region is not known: ECR Public serves every one
    if envoy_image is None:
        from meshify.injector.model.mesh import default_envoy_image

        envoy_image = default_envoy_image(region)
    mesh = Mesh(name=name, region=region or "us-east-1", account=account, owner=account, loc=NOWHERE,
                envoy=EnvoySettings(image=envoy_image, pinned=pinned))
    mesh.without_manifest = True
    mesh.from_files = True  # no manifest: task definitions are claimed by their wiring
    for spec_file in spec_files:
        merge(mesh, spec_file)
    return mesh


def claim_by_wiring(mesh: Mesh, task_file: TaskDefinitionFile) -> Node | Gateway | None:
    """The node or gateway of the files that the task definition's Envoy already names."""
    found = wiring_of(task_file)
    if found is None:
        return None
    kind, name = found[0], found[1]
    return mesh.nodes.get(name) if kind == "virtualNode" else mesh.gateways.get(name)
