"""T205: AppPorts differ from the node's listeners, or a listener port is not exposed.

What: the ``AppPorts`` proxy property is not the list of the node's listener ports (or
is present on a node without listeners); or a listener port (a node's, or a gateway's)
appears in no container's ``portMappings``.

Why: Envoy only intercepts inbound traffic on ``AppPorts``; a listener port missing from
it is reached without the mesh (no TLS, no retries, no metrics), and a port in it that is
not a listener goes nowhere. A port no container exposes cannot receive traffic in
``awsvpc`` mode.

Fails (node listener 8080):
    properties: [{name: AppPorts, value: "3001"}]

Passes:
    properties: [{name: AppPorts, value: "8080"}]; app portMappings: [{containerPort: 8080}]

Fix: ``meshify inject`` sets ``AppPorts`` from the manifest, and on a gateway's task adds
the missing port mapping to Envoy (meshify's own container). It never adds or changes a
port mapping of the user's containers: a node's listener port that no container exposes
is a mistake to fix by hand (expose the port the application listens on, or change the
node's listener), and inject stops and reports it rather than hide it.
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model import wiring
from meshify.injector.model.task_definition import (
    PROXY_PROPERTIES,
    Unknown,
    append,
    application_containers,
    container_pointer,
    set_proxy_property,
)
from meshify.injector.model.unknowns import is_unknown


def _exposed_ports(context: TaskContext) -> set[object]:
    return {
        mapping.get("containerPort")
        for container in context.containers
        for mapping in container.get("portMappings") or []
        if isinstance(mapping, dict)
    }


@rule("T205", "error", "AppPorts or port mappings differ from the listeners", scope="taskdef", fixable=True,
      reads=("envoy", "/proxyConfiguration/properties", "/containerDefinitions/*/portMappings",
             "/containerDefinitions/*/name", "/containerDefinitions/*/essential", "/containerDefinitions/*/dependsOn",
             "/containerDefinitions/*/firelensConfiguration"))
def check(context: TaskContext):
    if not context.is_gateway and isinstance(context.taskdef.get("proxyConfiguration"), dict):
        properties = context.proxy_properties()
        wanted = wiring.app_ports(context.claimant)
        if "AppPorts" in properties and not wanted:
            position = properties["AppPorts"][0]
            remove = [{"op": "remove", "path": f"{PROXY_PROPERTIES}/{position}"}]
            if "ProxyIngressPort" in properties:  # they go together or not at all
                ingress = properties["ProxyIngressPort"][0]
                remove = sorted([*remove, {"op": "remove", "path": f"{PROXY_PROPERTIES}/{ingress}"}],
                                key=lambda op: -int(op["path"].rsplit("/", 1)[1]))
            yield check.rule.finding(
                f"AppPorts is {properties['AppPorts'][1]!r} but {context.resource_label} has no listener",
                context.locate(f"{PROXY_PROPERTIES}/{position}"), fix=remove)
        elif wanted and properties.get("AppPorts", (0, ""))[1].replace(" ", "") != wanted \
                and not is_unknown(properties.get("AppPorts", (0, ""))[1]):
            if "AppPorts" in properties:
                message = f"AppPorts is {properties['AppPorts'][1]!r}, but the listeners of {context.resource_label} are {wanted!r}"
                loc = context.locate(f"{PROXY_PROPERTIES}/{properties['AppPorts'][0]}/value")
            else:
                message = f"no AppPorts: Envoy does not intercept the listener ports {wanted} of {context.resource_label}"
                loc = context.locate("/proxyConfiguration")
            yield check.rule.finding(message, loc, fix=set_proxy_property(context.taskdef, "AppPorts", wanted))
    exposed = _exposed_ports(context)
    for listener in context.claimant.listeners:
        if listener.port not in exposed:
            break
    else:
        return  # every listener port exposed (nearly every task): no container to look for
    envoy_index = context.envoy_index()
    if context.is_gateway:
        owner = envoy_index
    else:
        applications = [index for index in application_containers(context.taskdef, envoy_index)
                        if context.containers[index].get("essential", True) is True]
        owner = applications[0] if applications else None
    for listener in context.claimant.listeners:
        if listener.port in exposed or owner is None or any(isinstance(port, Unknown) for port in exposed):
            continue  # an unknown containerPort may be this one
        exposed.add(listener.port)
        container = context.containers[owner]
        if not context.is_gateway:  # the user's container: reported, never changed
            yield check.rule.finding(
                f"listener port {listener.port} of {context.resource_label} is exposed by no container: expose it in "
                "the application's portMappings, or change the node's listener", context.locate(container_pointer(owner, "name")))
            continue
        mapping = {"containerPort": listener.port, "protocol": "tcp"}
        fix = append(context.taskdef, container_pointer(owner), "portMappings", mapping)
        yield check.rule.finding(
            f"listener port {listener.port} of {context.resource_label} is exposed by no container: "
            f"add a port mapping to `{container['name']}`",
            context.locate(container_pointer(owner, "name")), fix=fix)
