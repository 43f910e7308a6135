"""T204: the APPMESH proxy configuration is missing or incomplete.

What: a node's task definition has no ``proxyConfiguration``; or its ``type`` is not
``APPMESH``; or it names a container other than Envoy; or it lacks ``ProxyEgressPort``
(or ``ProxyIngressPort`` when the node has listeners); or its ``EgressIgnoredIPs`` lacks
the task metadata (169.254.170.2) and instance metadata (169.254.169.254) addresses, or an
address or port the manifest's ``envoy:`` asks to ignore.

Why: the proxy configuration is what routes the task's traffic through Envoy. Without
it the task bypasses the mesh; proxying the metadata addresses breaks the task's IAM
credentials.

Fails:
    proxyConfiguration: {type: APPMESH, containerName: envoy, properties: [{name: IgnoredUID, value: "1337"}]}

Passes:
    proxyConfiguration: {type: APPMESH, containerName: envoy, properties: [IgnoredUID 1337,
      ProxyIngressPort 15000, ProxyEgressPort 15001, AppPorts 8080,
      EgressIgnoredIPs "169.254.170.2,169.254.169.254"]}

Fix: ``meshify inject`` adds the proxy configuration or the missing parts of it; it keeps
addresses and ports the task already ignores.
"""

from meshify.injector.engine import Later, TaskContext, rule
from meshify.injector.model import wiring
from meshify.injector.model.task_definition import set_proxy_property
from meshify.injector.model.unknowns import is_unknown

_PROXY = "/proxyConfiguration"


@rule("T204", "error", "APPMESH proxy configuration missing or incomplete", scope="taskdef", fixable=True,
      reads=("envoy", "/containerDefinitions/*/name", "/proxyConfiguration"), settles=True)
def check(context: TaskContext):
    if context.is_gateway:
        return
    mesh, node = context.mesh, context.claimant
    index = context.envoy_index()
    envoy_name = context.containers[index]["name"] if index is not None else mesh.envoy.container_name
    proxy = context.taskdef.get("proxyConfiguration")
    if not isinstance(proxy, dict):
        yield check.rule.finding_later(
            _no_proxy_described, (envoy_name, context.locate),
            [{"op": "add", "path": _PROXY, "value": Later(_proxy_configuration, envoy_name, mesh, node)}])
        return
    if proxy.get("type") != "APPMESH":
        yield check.rule.finding(
            f"proxyConfiguration type is {proxy.get('type')!r}, not 'APPMESH'", context.locate(f"{_PROXY}/type"),
            fix=[{"op": "add", "path": f"{_PROXY}/type", "value": "APPMESH"}])
    if proxy.get("containerName") != envoy_name:
        yield check.rule.finding(
            f"proxyConfiguration names container {proxy.get('containerName')!r}, not the Envoy container "
            f"`{envoy_name}`", context.locate(f"{_PROXY}/containerName"),
            fix=[{"op": "add", "path": f"{_PROXY}/containerName", "value": envoy_name}])
    properties = context.proxy_properties()
    required = [("ProxyEgressPort", wiring.PROXY_EGRESS_PORT)]
    if node.listeners:
        required.insert(0, ("ProxyIngressPort", wiring.PROXY_INGRESS_PORT))
    for name, value in required:
        if name not in properties:
            yield check.rule.finding(
                f"proxyConfiguration has no {name}: set it to {value}", context.locate(f"{_PROXY}/properties"),
                fix=set_proxy_property(context.taskdef, name, value))
    for name, wanted_of in (("EgressIgnoredIPs", wiring.egress_ignored_ips), ("EgressIgnoredPorts", wiring.egress_ignored_ports)):
        current = properties.get(name, (None, ""))[1]
        if is_unknown(current):
            continue  # a placeholder is never overwritten (formats.md)
        wanted = wanted_of(mesh, current)
        missing = [item for item in wanted if item not in {part.strip() for part in current.split(",")}]
        if missing:
            yield check.rule.finding(
                f"{name} lacks {', '.join(missing)}: the task metadata and instance metadata endpoints, "
                "and what the manifest's envoy: settings ignore, must not be proxied",
                context.locate(f"{_PROXY}/properties/{properties[name][0]}" if name in properties
                               else f"{_PROXY}/properties"),
                fix=set_proxy_property(context.taskdef, name, ",".join(wanted)))


def _no_proxy_described(envoy_name, locate):
    """The missing configuration's message and place, built when the finding is reported (the
    fix loop applies its fix without them)."""
    return (f"no proxyConfiguration: the task's traffic does not go through Envoy; add an APPMESH "
            f"proxy configuration for container `{envoy_name}`", locate("/family"))


def _proxy_configuration(envoy_name, mesh, node):
    return {"type": "APPMESH", "containerName": envoy_name, "properties": wiring.proxy_properties(mesh, node)}
