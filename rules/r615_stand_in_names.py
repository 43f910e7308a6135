"""R615: a virtual service name that only stands for the deployed one.

What: a virtual service whose name in the manifest is a stand-in: where a template's App
Mesh name is an intrinsic (AWS's howto-ecs-basics walkthrough names its virtual service
``!Join ['.', [!GetAtt ColorServiceRegistry.Name, !Sub '${ProjectName}.mesh.local']]``),
``meshify init`` writes the resource's logical id instead and lists it in the manifest's
header. meshify knows a stand-in by that header line, or by a template given whose resource
of that logical id has a name only the stack knows.

Why: the virtual service name becomes a Service Connect client alias's ``dnsName``, the
name callers resolve. Written as the stand-in (``ColorVirtualService``), the alias would
deploy a name no caller uses, silently. So migrate writes the template's own expression for
the name where the ECS service is in that template (info: the deployed name is the one
callers use today), and otherwise writes no client alias for it (an error: until the real
name is given, the callers of that service are not served).

Fails (an error), with the manifest alone:
    # Names only the stack knows are written as their logical ids; put the deployed names in: ColorVirtualService
    services: {ColorVirtualService: {node: ColorVirtualNode}}

Passes: ``services: {color.howto.mesh.local: {node: ColorVirtualNode}}`` (the deployed name).

Fix: put the deployed name in the manifest (``aws appmesh list-virtual-services``) and in
the backends that call it, or give migrate the template with the ECS service that runs it.
"""

import json

from meshify.injector.engine import MigrationContext, rule


@rule("R615", "error", "A name only the stack knows (a stand-in)", scope="migration")
def check(context: MigrationContext):
    from meshify.injector.model.migration import served_ports  # only migrate needs it: not at lint's start-up

    current = context.plan
    for service, port in served_ports(current):
        stand_in = port.alias_stand_in
        if stand_in is None:
            continue
        written = current.alias_dns_name(service, port)
        said = f"virtual service `{stand_in.name}` is a stand-in meshify init wrote for a name only the stack knows"
        if written is not None:
            yield check.rule.finding(
                f"{said}: the client alias of `{service.name}` is written as the template's expression for it "
                f"({json.dumps(written)}), the name callers use today", stand_in.loc, severity="info")
        else:
            where = ("or give the template with the ECS service that runs it (if it is the deployed name already, take "
                     "it out of the note in the manifest's header)") if stand_in.expression is None else \
                (f"or declare that ECS service in {stand_in.template}: the template's expression for the name "
                 f"({json.dumps(stand_in.expression)}) holds only there")
            yield check.rule.finding(
                f"{said} (the logical id of a resource whose name is an intrinsic): migrate does not write it as the "
                f"client alias of `{service.name}`, which would deploy the DNS name `{stand_in.name}`; put the deployed "
                f"name here (the VirtualServiceName the stack gave it: `aws appmesh list-virtual-services --mesh-name "
                f"{context.mesh.name}`) and in the backends that call it, {where}", stand_in.loc)
