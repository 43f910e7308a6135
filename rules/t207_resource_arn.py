"""T207: APPMESH_RESOURCE_ARN is missing or names another resource.

What: the Envoy container's environment has no ``APPMESH_RESOURCE_ARN``, or its value is
not the ARN of the node or gateway that claims the task (mesh, name, region, account).
The short form ``mesh/<mesh>/virtualNode/<node>`` (``mesh/<mesh>@<owner>/...`` for a
shared mesh) is accepted, and so is the node's ARN in any region or account the mesh does
not know (a template's mesh without a manifest: the stack's). ``APPMESH_VIRTUAL_NODE_NAME``
without it is a warning: it is the deprecated older name.

Why: Envoy asks App Mesh for the configuration of exactly this resource. A wrong ARN
gives the task another node's routes, or none (Envoy never becomes healthy).

Fails:
    environment: [{name: APPMESH_VIRTUAL_NODE_NAME, value: mesh/shop/virtualNode/products-v1}]

Passes:
    environment: [{name: APPMESH_RESOURCE_ARN,
                   value: arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1}]

Fix: ``meshify inject`` sets ``APPMESH_RESOURCE_ARN`` (replacing the deprecated variable): the
manifest's ``arn`` when given; in a mesh shared with the task's account (``mesh.owner`` is
another account), the consumer's form ``mesh/<mesh>@<owner>/virtualNode/<node>`` that AWS's
cross-account walkthrough uses; where the files tell no region or account (no manifest), the
short form; else the node's ARN. Where the node is a resource of the same
template or ``.tf``, the ARN is written as a reference to it (``!Ref`` of its logical id,
``aws_appmesh_virtual_node.<name>.arn``): the stack's region and account decide it.
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model import wiring
from meshify.injector.model.task_definition import append, container_pointer, environment_value
from meshify.injector.model.unknowns import is_unknown

RESOURCE_ARN = "APPMESH_RESOURCE_ARN"
DEPRECATED = "APPMESH_VIRTUAL_NODE_NAME"


def accepted_values(context: TaskContext) -> set[str]:
    """The claimant's ARN, and the short forms the Envoy agent accepts: ``mesh/<mesh>/...``
    and, for a shared mesh, the consumer account's ``mesh/<mesh>@<owner>/...`` that AWS's
    cross-account walkthrough uses (also as a full ARN in the consumer's account)."""
    mesh, claimant = context.mesh, context.claimant
    short = f"mesh/{mesh.name}/{claimant.kind}/{claimant.name}"
    shared = f"mesh/{mesh.name}@{mesh.owner}/{claimant.kind}/{claimant.name}"
    accepted = {claimant.arn, short, shared}
    if mesh.owner != mesh.account:
        accepted.add(f"arn:{mesh.partition}:appmesh:{mesh.region}:{mesh.account}:{shared}")
    return accepted


@rule("T207", "error", "APPMESH_RESOURCE_ARN missing or wrong", scope="taskdef", fixable=True,
      reads=("envoy", "/containerDefinitions/*/environment", "/containerDefinitions/*/name"), needs_envoy=True)
def check(context: TaskContext):
    index = context.envoy_index()
    if index is None:
        return
    container = context.containers[index]
    value = wiring.resource_arn_value(context.mesh, context.claimant)
    wanted = {"name": RESOURCE_ARN, "value": value}
    current = environment_value(container, RESOURCE_ARN)
    if current is not None:
        if is_unknown(container["environment"][current[0]].get("value")):
            return  # an intrinsic (!Ref VirtualNode, !Sub ...): the stack decides, never overwritten
        if current[1] not in accepted_values(context) and not is_unknown(current[1]) \
                and current[1] not in wiring.claimant_arns(context.mesh, context.claimant, [current[1]]):
            pointer = container_pointer(index, "environment", current[0], "value")
            wanted_said = "the node's ARN in the stack's region and account (in a template: !Ref the node's logical " \
                "id)" if wiring.arn_unknown(context.mesh, context.claimant) else value
            yield check.rule.finding(  # environment values are never printed: they may be secrets
                f"APPMESH_RESOURCE_ARN is not the ARN of {context.resource_label}: set it to {wanted_said}",
                context.locate(pointer),
                fix=[{"op": "replace", "path": pointer, "value": value}])
        return
    deprecated = environment_value(container, DEPRECATED)
    if deprecated is not None and not context.mesh.region:
        return  # no region known (the mesh of the files): no ARN to suggest, and the node is named
    if deprecated is not None:
        pointer = container_pointer(index, "environment", deprecated[0])
        if is_unknown(deprecated[1]):
            wanted = {"name": RESOURCE_ARN, "value": deprecated[1]}  # renamed; the user's placeholder is kept
        yield check.rule.finding(
            f"APPMESH_VIRTUAL_NODE_NAME is deprecated: use APPMESH_RESOURCE_ARN={wanted['value']}",
            context.locate(pointer), severity="warning", fix=[{"op": "replace", "path": pointer, "value": wanted}])
        return
    fix = append(context.taskdef, container_pointer(index), "environment", wanted, at=0)
    yield check.rule.finding(
        f"Envoy container `{container['name']}` has no APPMESH_RESOURCE_ARN: Envoy cannot know it is "
        f"{context.resource_label}", context.locate(container_pointer(index, "name")), fix=fix)
