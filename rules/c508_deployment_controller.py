"""C508: Service Connect with a deployment controller it does not support.

What: a service with Service Connect enabled whose ``deploymentController.type`` is not
``ECS`` (``CODE_DEPLOY`` or ``EXTERNAL``; the values come from the ``ecs`` model).

Why: Service Connect only works with the ECS deployment controller. Blue/green through
CodeDeploy, common with App Mesh, must become the ECS controller's own ``BLUE_GREEN``,
``CANARY`` or ``LINEAR`` strategy.

Fails:
    deploymentController: {type: CODE_DEPLOY}

Passes:
    deploymentController: {type: ECS}
    deploymentConfiguration: {strategy: CANARY}

Fix: use the ECS deployment controller with a deployment strategy.
"""

from meshify.injector.engine import ServiceContext, rule


@rule("C508", "error", "Deployment controller Service Connect does not support", scope="service")
def check(context: ServiceContext):
    # Imported when an ECS service is checked: a lint of task definitions never needs it (start-up).
    from meshify.injector.model.service_connect import unsupported_controllers

    controller = context.service.data.get("deploymentController")
    kind = controller.get("type") if isinstance(controller, dict) else None
    if context.service.service_connect_enabled and kind in unsupported_controllers():
        yield check.rule.finding(
            f"service `{context.service.name}`: Service Connect does not support the {kind} deployment controller: "
            "use ECS with a BLUE_GREEN, CANARY or LINEAR strategy", context.locate("/deploymentController/type"))
