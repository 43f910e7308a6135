"""R614: what Service Connect does not support: a CODE_DEPLOY or EXTERNAL deployment
controller, standalone tasks, Windows.

What: an ECS service definition whose ``deploymentController.type`` is ``CODE_DEPLOY`` or
``EXTERNAL``; a task definition for Windows (``runtimePlatform.operatingSystemFamily``
``WINDOWS_*``); a task definition of a node that no ECS service runs, when the manifest
or the files name the services of the others (standalone tasks: ``RunTask``, scheduled
tasks).

Why: Service Connect works only for tasks that an ECS service with the ``ECS`` deployment
controller starts, on Linux. These nodes cannot move as they are.

Fails (an error):
    deploymentController: {type: CODE_DEPLOY}

Passes: ``deploymentController: {type: ECS}`` (the default), a Linux task run by a service.

Fix: move blue/green deployments to ECS's own ``BLUE_GREEN``, ``CANARY`` or ``LINEAR``
strategies; run standalone work as a service or call the services through a load balancer;
keep Windows tasks on DNS or a load balancer.
"""

from meshify.injector.engine import MigrationContext, rule
from meshify.injector.model.mesh import Gateway


@rule("R614", "error", "Not supported by Service Connect", scope="migration")
def check(context: MigrationContext):
    for service in context.services:
        controller = (service.data.get("deploymentController") or {}).get("type")
        if controller in ("CODE_DEPLOY", "EXTERNAL"):
            yield check.rule.finding(
                f"ECS service `{service.name}` uses the {controller} deployment controller, which Service Connect does "
                "not support: use the ECS controller with strategy BLUE_GREEN, CANARY or LINEAR",
                service.locate("/deploymentController/type"))
    services_known = bool(context.services) or any(r.service for r in context.mesh.claimants())
    for task_file, claimant in context.claimed():
        family = ((task_file.data.get("runtimePlatform") or {}).get("operatingSystemFamily") or "")
        if isinstance(family, str) and family.startswith("WINDOWS"):
            yield check.rule.finding(
                f"task definition `{task_file.family}` runs on {family}; Service Connect does not support Windows",
                task_file.loc("/runtimePlatform/operatingSystemFamily"))
        if not services_known or isinstance(claimant, Gateway):
            continue
        planned = context.plan.service_of(claimant.name)
        if planned is not None and planned.ecs is None and not any(node.service for node in planned.nodes):
            yield check.rule.finding(
                f"no ECS service runs task definition `{task_file.family}` (node `{claimant.name}`): standalone tasks "
                "cannot use Service Connect; run it as a service or reach the services through a load balancer",
                task_file.loc("/family"))
