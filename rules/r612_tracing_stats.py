"""R612: Envoy tracing (X-Ray) and Envoy stats have no Service Connect setting.

What: ``envoy.xray: true`` in the manifest, or a task definition that turns on Envoy's
X-Ray tracing or stats (``ENABLE_ENVOY_XRAY_TRACING``, ``ENABLE_ENVOY_STATS_TAGS``,
``ENABLE_ENVOY_DOG_STATSD``).

Why: the Service Connect proxy cannot be configured for tracing
(``aws/containers-roadmap#2369``): the spans Envoy sent to X-Ray stop. Its metrics go to
CloudWatch by themselves (requests, errors, latency per service), so Envoy stats are not
needed. Information only: nothing breaks.

Fails (info):
    envoy: {xray: true}

Passes: ``envoy.xray`` unset and no Envoy tracing or stats variables.

Fix: trace in the application with the X-Ray or OpenTelemetry SDK if you need traces;
remove the X-Ray daemon container and its IAM statements when only Envoy used them.
"""

from meshify.injector.engine import MigrationContext, rule
from meshify.injector.model.mesh import Loc

_ENVOY_SETTINGS = {
    "ENABLE_ENVOY_XRAY_TRACING": "X-Ray tracing",
    "ENABLE_ENVOY_STATS_TAGS": "stats tags",
    "ENABLE_ENVOY_DOG_STATSD": "DogStatsD stats",
}


@rule("R612", "info", "Envoy tracing and stats have no setting", scope="migration")
def check(context: MigrationContext):
    mesh = context.mesh
    if mesh.envoy.xray and mesh.loc.document is not None:
        yield check.rule.finding(
            "the mesh's Envoys send traces to X-Ray; the Service Connect proxy has no tracing setting: trace in the "
            "application (X-Ray or OpenTelemetry SDK); its metrics go to CloudWatch without setting",
            Loc(mesh.loc.document, "/envoy/xray"))
    for task_file, _ in context.claimed():
        for index, container in enumerate(task_file.data.get("containerDefinitions") or []):
            for position, variable in enumerate(container.get("environment") or []):
                name = variable.get("name") if isinstance(variable, dict) else None
                if name in _ENVOY_SETTINGS:  # the variable's value is never repeated
                    yield check.rule.finding(
                        f"container `{container.get('name')}` turns on Envoy {_ENVOY_SETTINGS[name]} ({name}); the "
                        "Service Connect proxy has no such setting (its metrics go to CloudWatch)",
                        task_file.loc(f"/containerDefinitions/{index}/environment/{position}"))
