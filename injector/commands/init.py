"""``meshify init``: a manifest written from the App Mesh resources of the files given
(``formats.md``, "``meshify init``"), with every node's claims filled in where the files
tell them (a literal family, else the task definition's resource id), so that the files'
mesh becomes the reviewed ``meshify.yaml``.

The mesh's region and account come from the options, else from literal ARNs in the files,
else from the AWS configuration; without them it exits 2 naming what is missing. An
existing file is never overwritten without ``--force``.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

from meshify.injector.errors import InputError
from meshify.injector.inputs.manifest import STAND_INS_NOTE
from meshify.injector.inputs.mesh_from_files import mesh_from_files
from meshify.injector.inputs.reader import InputFile, expand_paths, read_walked, say_skipped
from meshify.injector.model.mesh import UNKNOWN_MESH, Gateway, Listener, Mesh, Named, Node

# arn:PARTITION:SERVICE:REGION:ACCOUNT:... with both region and account written out
_ARN = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):")
_MATCH_KEYS = ("prefix", "path", "method", "scheme", "hostname", "headers", "serviceName", "methodName", "port")


def _read(paths: list[str]) -> list[InputFile]:
    files, skipped = [], 0
    for walked in expand_paths(paths):
        found = read_walked(walked)
        if found is None:
            skipped += 1
        else:
            files.append(found)
    say_skipped(skipped)
    return files


def _from_arns(files: list[InputFile]) -> tuple[str | None, str | None]:
    for found in files:
        match = _ARN.search(found.document.text)
        if match:
            return match.group(1), match.group(2)
    return None, None


def _from_configuration(profile: str | None) -> tuple[str | None, str | None]:
    """The region of the AWS configuration (profile, environment) and the account of its
    credentials; None for what it does not give (no credentials: no call is made)."""
    import boto3

    session = boto3.Session(profile_name=profile)
    region = session.region_name
    if region is None or session.get_credentials() is None:
        return region, None
    from botocore.config import Config

    try:
        config = Config(retries={"max_attempts": 1}, connect_timeout=3, read_timeout=5)
        return region, session.client("sts", config=config).get_caller_identity()["Account"]
    except Exception:  # no network, expired credentials: the account stays unknown
        return region, None


def _one_or_many(names: list[Named]) -> str | list[str] | None:
    unique = list(dict.fromkeys(named.name for named in names))
    return None if not unique else unique[0] if len(unique) == 1 else unique


def _listeners(listeners: list[Listener], settings: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The listeners with a known port and protocol, with the listener ``settings`` the
    manifest keeps for their kind (a node's health check, TLS, timeouts...)."""
    written = []
    for listener in listeners:
        if not isinstance(listener.port, int) or not isinstance(listener.protocol, str):
            continue
        entry: dict[str, Any] = {"port": listener.port, "protocol": listener.protocol}
        for key, attribute in _LISTENER_SETTINGS:
            value = getattr(listener, attribute)
            if key in settings and isinstance(value, dict) and value:
                entry[key] = value
        written.append(entry)
    return written


_LISTENER_SETTINGS = (("healthCheck", "health_check"), ("outlierDetection", "outlier_detection"), ("tls", "tls"),
                      ("timeout", "timeout"), ("connectionPool", "connection_pool"))
_NODE_LISTENER = tuple(key for key, _ in _LISTENER_SETTINGS)


def _claims(resource: Node | Gateway) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for key, names in (("family", resource.families), ("resource", resource.resources)):
        value = _one_or_many(names)
        if value is not None:
            entry[key] = value
    return entry


def _match(match: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in match.items() if key in _MATCH_KEYS}


def manifest(mesh: Mesh) -> dict[str, Any]:
    """The manifest of a mesh model, in the schema's shape."""
    document: dict[str, Any] = {"version": 1, "mesh": {"name": mesh.name, "region": mesh.region, "account": mesh.account}}
    if mesh.egress_filter != "DROP_ALL":
        document["mesh"]["egressFilter"] = mesh.egress_filter
    nodes: dict[str, Any] = {}
    for node in mesh.nodes.values():
        entry = _claims(node)
        if listeners := _listeners(node.listeners, _NODE_LISTENER):
            entry["listeners"] = listeners
        if node.backends:
            entry["backends"] = [backend.name for backend in node.backends]
        discovery = node.discovery
        if discovery is not None and discovery.kind == "dns" and isinstance(discovery.hostname, str):
            entry["discovery"] = {"dns": {"hostname": discovery.hostname}}
        elif discovery is not None and discovery.kind == "cloudMap" and isinstance(discovery.service, str):
            cloud_map: dict[str, Any] = {"service": discovery.service}
            if isinstance(discovery.namespace, str):
                cloud_map["namespace"] = discovery.namespace
            attributes = {k: v for k, v in discovery.attributes.items() if isinstance(k, str) and isinstance(v, str)}
            if attributes:
                cloud_map["attributes"] = attributes
            entry["discovery"] = {"cloudMap": cloud_map}
        nodes[node.name] = entry
    routers: dict[str, Any] = {}
    for router in mesh.routers.values():
        routes = []
        for route in router.routes:
            targets = [{"node": t.node, "weight": t.weight} for t in route.targets if isinstance(t.weight, int)]
            entry = {"name": route.name, "protocol": route.protocol, "targets": targets}
            if isinstance(route.priority, int):
                entry["priority"] = route.priority
            if match := _match(route.match):
                entry["match"] = match
            for key, value in (("retryPolicy", route.retry_policy), ("timeout", route.timeout)):
                if isinstance(value, dict) and value:
                    entry[key] = value
            routes.append(entry)
        routers[router.name] = {"listeners": _listeners(router.listeners), **({"routes": routes} if routes else {})}
    services = {service.name: {"router": service.router} if service.router else {"node": service.node}
                for service in mesh.services.values() if service.provider}
    gateways: dict[str, Any] = {}
    for gateway in mesh.gateways.values():
        gateway_routes = []
        for gateway_route in gateway.routes:
            entry = {"name": gateway_route.name, "protocol": gateway_route.protocol, "service": gateway_route.service}
            if match := _match(gateway_route.match):
                entry["match"] = match
            gateway_routes.append(entry)
        gateways[gateway.name] = {**_claims(gateway), "listeners": _listeners(gateway.listeners, ("healthCheck",)),
                                  **({"routes": gateway_routes} if gateway_routes else {})}
    for key, value in (("nodes", nodes), ("routers", routers), ("services", services), ("gateways", gateways)):
        if value:
            document[key] = value
    return document


def _live_file(name: str, region: str, account: str, profile: str | None) -> InputFile:
    """The account's mesh ``name`` (App Mesh API, ``aws/live.py``) as spec files, one per resource."""
    from meshify.injector.aws.live import note_unsupported, read_mesh
    from meshify.injector.aws.session import AwsOptions
    from meshify.injector.documents.document import Document
    from meshify.injector.inputs.appmesh_spec import SpecFile
    from meshify.injector.model.mesh import NOWHERE, EnvoySettings

    shell = Mesh(name=name, region=region, account=account, owner=account, loc=NOWHERE, envoy=EnvoySettings(image=""))
    live = read_mesh(shell, AwsOptions(profile, region))
    if not live.exists:
        raise InputError(f"AWS: no mesh {name!r} in {account} {region}")
    note_unsupported(live)
    document = Document(f"(mesh {name} in {region})", "")
    document.data = {"meshName": name}
    specs = [SpecFile(document, key[0], key[-1], key[1] if len(key) == 3 else None, spec, "/spec")
             for key, spec in live.specs.items() if key[0] != "mesh"]
    return InputFile(document, spec_files=specs)


def run(paths: list[str], output: str, region: str | None, account: str | None, mesh_name: str | None,
        force: bool, profile: str | None = None, live: bool = False) -> int:
    if os.path.exists(output) and not force:
        raise InputError(f"{output} exists: meshify init does not overwrite it without --force")
    files = _read(paths)
    if region is None:  # a .tf's provider: where the stack runs, before an ARN's copy (as lint reads it)
        from meshify.injector.inputs.files_mesh import terraform_facts

        region = terraform_facts([found.document for found in files])[1]
    if region is None or account is None:
        found_region, found_account = _from_arns(files)
        region, account = region or found_region, account or found_account
    if region is None or account is None:
        found_region, found_account = _from_configuration(profile)
        region, account = region or found_region, account or found_account
    if live:
        missing = [option for option, value in (("--mesh", mesh_name), ("--region", region), ("--account", account))
                   if not value]
        if missing:
            raise InputError(f"--live reads one mesh of one account: give {' and '.join(missing)}")
        assert mesh_name is not None and region is not None and account is not None
        files.insert(0, _live_file(mesh_name, region, account, profile))
    if not any(found.spec_files for found in files):
        raise InputError(f"no App Mesh resources in {' '.join(paths) or 'the mesh'}: nothing to write a manifest from")
    mesh = mesh_from_files(files, region=region, account=account)
    if mesh_name:
        mesh.name = mesh_name
    missing = [key for key, value in (("mesh.name", mesh.name != UNKNOWN_MESH), ("mesh.region", mesh.region),
                                      ("mesh.account", mesh.account)) if not value]
    if missing:
        options = {"mesh.name": "--mesh", "mesh.region": "--region", "mesh.account": "--account"}
        raise InputError(f"the files do not give {', '.join(missing)}: give "
                         f"{' and '.join(options[key] for key in missing)}")
    import io

    from meshify.injector.documents.document import write_atomic
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    stream = io.StringIO()
    yaml.dump(manifest(mesh), stream)
    sources = [*(["the App Mesh API"] if live else []), *paths]
    header = f"# Written by meshify init from: {' '.join(sources)}. Review it, then commit it.\n"
    if stand_ins := sorted(mesh.unknown_names & {*mesh.nodes, *mesh.routers, *mesh.services, *mesh.gateways}):
        header += f"{STAND_INS_NOTE}{', '.join(stand_ins)}\n"
    write_atomic(output, header + stream.getvalue())
    print(f"meshify: wrote {output} ({len(mesh.nodes)} node(s), {len(mesh.routers)} router(s), "
          f"{len(mesh.services)} service(s), {len(mesh.gateways)} gateway(s))", file=sys.stderr)
    return 0
