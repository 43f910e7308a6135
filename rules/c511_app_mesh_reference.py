"""C511: a Service Connect service still depends on an App Mesh resource.

What: an ECS service with Service Connect enabled, or the task definition it runs, that
still takes something from an App Mesh resource: in a template, a ``DependsOn`` on one of
the template's App Mesh resources or a value from it (``!Ref``, ``!GetAtt
Node.VirtualNodeName``, ``${...}`` in a ``!Sub``); in a ``.tf``, a ``depends_on`` or a
reference to an ``aws_appmesh_*`` resource. The Envoy container, the proxy configuration
and ``APPMESH_*`` variables are the wiring that uninject removes (C509).

Why: the last step of leaving App Mesh deletes its resources. While a service references
one, CloudFormation refuses the template without it ("Unresolved resource dependencies")
and Terraform the plan ("Reference to undeclared resource"): the migrated service keeps
the mesh alive. A value read from a virtual service (its name, in a caller's environment)
is still the name callers use, but it must be written as itself before the resource goes.

Fails:
    ColorTask: {DependsOn: ColorNode, ...
      Environment: [{Name: COLOR_HOST, Value: !GetAtt ColorService.VirtualServiceName}]}

Passes:
    ColorTask: {...  Environment: [{Name: COLOR_HOST, Value: color.shop.local}]}

Fix: remove the ``DependsOn`` / ``depends_on`` entry; write the value itself (the client
alias keeps the virtual service's name, so callers need no change).
"""

from meshify.injector.engine import ServiceContext, rule


@rule("C511", "warning", "Service Connect service depends on an App Mesh resource", scope="service")
def check(context: ServiceContext):
    if not context.service.appmesh_references or not context.service.service_connect_enabled:
        return
    for reference in context.service.appmesh_references:
        target = f"{reference.target_kind} `{reference.target}` (App Mesh)"
        if reference.depends_on:
            said = f"{reference.holder} lists {target} in {reference.how}: remove it"
        else:
            said = f"{reference.holder} takes a value from {target} with {reference.how}: write the value itself"
        yield check.rule.finding(
            f"service `{reference.service}` uses Service Connect, but {said}, or the App Mesh resources cannot be "
            "deleted", reference.loc)
