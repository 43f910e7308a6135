"""R605: a listener's outlier detection becomes Service Connect's fixed ejection.

What: a node listener with ``outlierDetection``.

Why: Service Connect always does passive outlier detection with fixed settings: a task is
ejected after 5 failed connections within 30 seconds, for 30 to 300 seconds. The
listener's own thresholds (``maxServerErrors``, ``interval``, ``baseEjectionDuration``,
``maxEjectionPercent``) are lost.

Fails (a warning):
    listeners: [{port: 8080, protocol: http, outlierDetection: {maxServerErrors: 2, ...}}]

Passes: a listener without ``outlierDetection``.

Fix: accept the fixed values; nothing in Service Connect tunes them.
"""

from meshify.injector.engine import MigrationContext, rule


@rule("R605", "warning", "Outlier detection becomes fixed ejection", scope="migration")
def check(context: MigrationContext):
    from meshify.injector.model.migration import FIXED_OUTLIER_DETECTION, listener_member
    for node in context.mesh.nodes.values():
        for listener in node.listeners:
            if not listener.outlier_detection:
                continue
            settings = listener.outlier_detection
            yield check.rule.finding(
                f"node `{node.name}` ejects hosts after {settings.get('maxServerErrors')} server errors on port "
                f"{listener.port}; Service Connect's outlier detection is fixed ({FIXED_OUTLIER_DETECTION})",
                listener_member(listener, "outlierDetection"))
