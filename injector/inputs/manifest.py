"""``meshify.yaml``: find it, validate it against the shipped schema, build the mesh model."""

from __future__ import annotations

import os
from typing import Any

from meshify.injector.documents.document import Document
from meshify.injector.documents.pointer import join
from meshify.injector.errors import InputError
from meshify.injector.model.mesh import (
    CloudMap,
    Discovery,
    EcsServiceRef,
    EnvoySettings,
    Gateway,
    GatewayRoute,
    Listener,
    Loc,
    Mesh,
    Named,
    Node,
    Route,
    Router,
    Service,
    Target,
    default_envoy_image,
)

MANIFEST_NAME = "meshify.yaml"
NO_MANIFEST = f"no {MANIFEST_NAME} here or in a parent directory up to the repository root; give --manifest PATH"
# ... and the files given describe no mesh either (their App Mesh resources would be the mesh).
NO_MANIFEST_NOR_MESH = (f"no {MANIFEST_NAME} here or in a parent directory up to the repository root, and no App Mesh "
                        "resources in the files given; give --manifest PATH")
# The comment ``meshify init`` writes in a manifest's header when names only the stack knows
# (a template's ``!Sub '${Env}-node'``) are written as their logical ids: the names follow it.
# A comment, not a key, so that the manifest stays the contract's (manifest.md); it marks a
# name until the user replaces that name, whatever else they edit.
STAND_INS_NOTE = "# Names only the stack knows are written as their logical ids; put the deployed names in: "


def find_manifest(start: str | None = None) -> str | None:
    """``meshify.yaml`` in ``start`` or its parents, up to the repository root."""
    from meshify.injector.config import exists, here_and_up, is_file

    for candidate in here_and_up(start):
        if is_file(os.path.join(candidate, MANIFEST_NAME)):
            return os.path.join(candidate, MANIFEST_NAME)
        if exists(os.path.join(candidate, ".git")):
            return None
    return None


def stand_ins_noted(text: str) -> set[str]:
    """The names a manifest's ``STAND_INS_NOTE`` lists: stand-ins until the user replaces them.
    Only logical ids (CloudFormation's are alphanumeric): a deployed name that a search and
    replace put into the note (``color.shop.local``) is not taken for one."""
    names: set[str] = set()
    for line in text.splitlines():
        if line.startswith(STAND_INS_NOTE):
            names.update(name.strip() for name in line[len(STAND_INS_NOTE):].split(",")
                         if name.strip().isascii() and name.strip().isalnum())
    return names


def _schema_error(document: Document, error: Any) -> InputError:
    pointer = join("", *error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        if extra:
            pointer = join(pointer, extra[0])
            known = ", ".join(sorted(allowed))
            message = f"unknown key {extra[0]!r} (expected one of: {known})"
    elif error.validator in ("oneOf", "anyOf", "type", "enum", "const", "pattern"):
        message = _short(error)
    if "propertyNames" in error.schema_path and isinstance(error.instance, str):
        pointer = join(pointer, error.instance)  # at the key that is not a name, not its mapping
    where = f" at {pointer}" if pointer else ""
    return Loc(document, pointer).error(f"manifest does not match the schema{where}: {message}")


def _short(error: Any) -> str:
    value = repr(error.instance)
    value = value if len(value) <= 40 else value[:37] + "..."
    if error.validator == "enum":
        return f"{value} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"{value} is not of type {expected}"
    if error.validator == "const":
        return f"{value}: must be {error.validator_value!r}"
    from meshify.injector.inputs.manifest_schema import ARN_PATTERN, NAME_PATTERN

    if error.validator == "pattern" and error.validator_value in (NAME_PATTERN, ARN_PATTERN):
        what = "an App Mesh name" if error.validator_value == NAME_PATTERN else "a virtual node or gateway ARN"
        return f"{value} is not {what} (names take letters, digits, '-', '_' and '.'; no wildcards)"
    if error.validator == "pattern":
        return f"{value} does not match {error.validator_value}"
    return f"{value} is not valid here"


def validate(document: Document) -> None:
    """Check the manifest against the shipped schema (an :class:`InputError` if it breaks
    it). A manifest that validated before, byte for byte, against the same schema is
    not validated again: importing jsonschema is a fifth of a pre-commit run's time."""
    from meshify.injector import cache

    key = cache.key("manifest-valid", document.text)
    if cache.has(key):
        return
    _validate(document)
    cache.remember(key)


def _validate(document: Document) -> None:
    from meshify.injector.inputs.manifest_schema import manifest_check

    check = manifest_check()
    if check is not None and check(document.data):
        return  # valid: jsonschema is imported only to explain a manifest that is not (start-up)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
    from meshify.injector.inputs.manifest_schema import manifest_schema

    validator = Draft202012Validator(manifest_schema())
    error = best_match(validator.iter_errors(document.data))
    if error is not None:
        raise _schema_error(document, error)


def load_manifest(path: str, envoy_image: str | None = None) -> Mesh:
    """The model of the manifest at ``path``; ``envoy_image`` (the configuration's
    ``envoy-image``) replaces the default image when the manifest names none."""
    import gc

    # The manifest's data and model are some 100,000 objects that live as long as the run
    # and hold no cycles: the cyclic garbage collector, run every few hundred allocations
    # while they are made and later, would walk them again and again (for a 2,000-node
    # manifest, more time than reading them). Everything alive now is set aside for it
    # (gc.freeze); reference counting still frees what is dropped.
    enabled = gc.isenabled()
    gc.disable()
    try:
        mesh = build(_read(path), envoy_image)
        gc.freeze()
    finally:
        if enabled:
            gc.enable()
    return mesh


# What a cache entry of a valid YAML manifest holds after this mark: marshal's
# (data, *positions) (documents/remembered.py's Positions). An entry without it (an empty one) says "valid" only.
_PARSED = b"meshify-manifest-3\n"


def _read(path: str) -> Document:
    """The manifest's document, valid against the schema. A valid YAML manifest's data and
    the position of each of its elements are kept in its validation cache entry, keyed by
    its exact text: an unchanged manifest (2,000 nodes: a second of parsing) is neither
    parsed nor validated again, and a finding in it is placed without a parse. An entry
    that cannot be read as such is ignored: the manifest is parsed and validated again."""
    from meshify.injector import cache
    from meshify.injector.documents.document import BOM, _is_yaml, read_text

    text = read_text(path)
    if not _is_yaml(path, text):
        document = Document.load(path, text)
        validate(document)
        return document
    key = cache.key("manifest-valid", text[len(BOM):] if text.startswith(BOM) else text)
    entry = cache.load(key)
    if entry is not None and entry.startswith(_PARSED):
        import marshal

        from meshify.injector.documents.remembered import RememberedDocument

        try:
            data, root, *numbers = marshal.loads(entry[len(_PARSED):])
            if isinstance(data, dict) and len(numbers) == 3 and all(isinstance(part, bytes) for part in numbers):
                return RememberedDocument(path, text, data, (tuple(root), *numbers))
        except (ValueError, TypeError, EOFError, IndexError):
            pass  # a truncated or foreign entry: read the manifest afresh
    document = Document.load(path, text, remember=False)  # its parse is kept below, with its validation
    if entry != b"":  # an empty entry: validated before, by a meshify that kept no parse
        _validate(document)
    parse = _parse_of(document)
    if parse is not None or entry != b"":
        cache.store(key, parse or b"")
    return document


def _parse_of(document: Document) -> bytes | None:
    """What the cache keeps of a valid YAML manifest: its data and positions, or None."""
    import marshal

    from meshify.injector.documents.document import TextYamlDocument
    from meshify.injector.documents.remembered import position_table

    if not isinstance(document, TextYamlDocument):
        return None
    positions = position_table(document)
    if positions is None:
        return None
    try:
        return _PARSED + marshal.dumps((document.data, *positions))
    except ValueError:  # a value marshal cannot keep: parse each time
        return None


def _families(value: Any, parent: Loc, key: str) -> list[Named]:
    # A 2,000-node manifest makes some 40,000 places: each is made only where there is a value.
    if value is None:
        return []
    loc = Loc(parent.document, f"{parent.pointer}/{key}")
    if isinstance(value, str):
        return [Named(value, loc)]
    return _items(value, loc)


def _items(names: list[str], loc: Loc) -> list[Named]:
    document, pointer = loc.document, loc.pointer
    return [Named(name, Loc(document, f"{pointer}/{index}")) for index, name in enumerate(names)]


def _listeners(items: list[dict[str, Any]] | None, loc: Loc) -> list[Listener]:
    return [
        Listener(
            port=item["port"], protocol=item["protocol"], loc=Loc(loc.document, f"{loc.pointer}/{index}"),
            health_check=item.get("healthCheck"), outlier_detection=item.get("outlierDetection"),
            tls=item.get("tls"), timeout=item.get("timeout"), connection_pool=item.get("connectionPool"),
        )
        for index, item in enumerate(items or [])
    ]


def _ecs_service(value: dict[str, Any] | None, parent: Loc) -> EcsServiceRef | None:
    return None if value is None else EcsServiceRef(name=value["name"], cluster=value.get("cluster"),
                                                     loc=parent.child("service"))


def build(document: Document, envoy_image: str | None = None) -> Mesh:
    """The model of a manifest already valid against the schema."""
    data = document.data
    root = Loc(document, "")
    mesh_data = data["mesh"]
    envoy_data = data.get("envoy") or {}
    defaults = EnvoySettings(image="")
    envoy = EnvoySettings(
        image=envoy_data.get("image") or envoy_image or default_envoy_image(mesh_data["region"]),
        container_name=envoy_data.get("containerName", defaults.container_name),
        user=str(envoy_data.get("user", defaults.user)),
        memory_reservation=envoy_data.get("memoryReservation"),
        nofile=envoy_data.get("nofile"),
        log_level=envoy_data.get("logLevel"),
        xray=envoy_data.get("xray", False),
        egress_ignored_ips=list(envoy_data.get("egressIgnoredIPs", defaults.egress_ignored_ips)),
        egress_ignored_ports=list(envoy_data.get("egressIgnoredPorts", [])),
    )
    cloud_map_data = data.get("cloudMap") or {}
    cloud_map_loc = root.child("cloudMap", "placeholders")
    mesh = Mesh(
        name=mesh_data["name"], region=mesh_data["region"], account=mesh_data["account"],
        owner=mesh_data.get("owner", mesh_data["account"]), loc=root.child("mesh"), envoy=envoy,
        egress_filter=mesh_data.get("egressFilter", "DROP_ALL"),
        cloud_map=CloudMap(
            namespace=cloud_map_data.get("namespace"),
            placeholders=_items(cloud_map_data.get("placeholders") or [], cloud_map_loc),
        ),
    )
    node_arn = mesh.arn_of("virtualNode", "")
    for name, node_data in (data.get("nodes") or {}).items():
        loc = root.child("nodes", name)
        discovery = None
        if discovery_data := node_data.get("discovery"):
            kind, settings = next(iter(discovery_data.items()))
            discovery = Discovery(
                kind=kind, loc=loc.child("discovery", kind), hostname=settings.get("hostname"),
                namespace=settings.get("namespace", mesh.cloud_map.namespace) if kind == "cloudMap" else None,
                service=settings.get("service"), attributes=dict(settings.get("attributes") or {}),
            )
        mesh.nodes[name] = Node(
            name=name, loc=loc, families=_families(node_data.get("family"), loc, "family"),
            resources=_families(node_data.get("resource"), loc, "resource"),
            listeners=_listeners(node_data.get("listeners"), Loc(loc.document, f"{loc.pointer}/listeners")),
            backends=_items(node_data.get("backends") or [], Loc(loc.document, f"{loc.pointer}/backends")),
            discovery=discovery, arn=node_data.get("arn") or node_arn + name,
            service=_ecs_service(node_data.get("service"), loc),
        )
    for name, router_data in (data.get("routers") or {}).items():
        loc = root.child("routers", name)
        routes = []
        for index, route_data in enumerate(router_data.get("routes") or []):
            route_loc = loc.child("routes", index)
            routes.append(Route(
                name=route_data["name"], protocol=route_data["protocol"], loc=route_loc,
                priority=route_data.get("priority"), match=dict(route_data.get("match") or {}),
                targets=[Target(node=t["node"], weight=t["weight"], port=t.get("port"),
                                loc=Loc(document, f"{route_loc.pointer}/targets/{position}"))
                         for position, t in enumerate(route_data["targets"])],
                retry_policy=route_data.get("retryPolicy"), timeout=route_data.get("timeout"),
            ))
        mesh.routers[name] = Router(name=name, loc=loc, routes=routes,
                                    listeners=_listeners(router_data["listeners"], loc.child("listeners")))
    for name, service_data in (data.get("services") or {}).items():
        mesh.services[name] = Service(name=name, loc=root.child("services", name),
                                      router=service_data.get("router"), node=service_data.get("node"))
    for name, gateway_data in (data.get("gateways") or {}).items():
        loc = root.child("gateways", name)
        mesh.gateways[name] = Gateway(
            name=name, loc=loc, families=_families(gateway_data.get("family"), loc, "family"),
            resources=_families(gateway_data.get("resource"), loc, "resource"),
            listeners=_listeners(gateway_data["listeners"], loc.child("listeners")),
            routes=[GatewayRoute(name=r["name"], protocol=r["protocol"], service=r["service"],
                                 priority=r.get("priority"), match=dict(r.get("match") or {}),
                                 port=r.get("port"), rewrite=r.get("rewrite"), loc=loc.child("routes", index))
                    for index, r in enumerate(gateway_data.get("routes") or [])],
            arn=gateway_data.get("arn") or mesh.arn_of("virtualGateway", name),
            service=_ecs_service(gateway_data.get("service"), loc),
        )
    return mesh
