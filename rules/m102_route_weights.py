"""M102: route weights App Mesh rejects, or that do not add up to 100.

What: the weighted targets of a route. Errors where App Mesh rejects them: a weight
outside the API's range (0-100), more targets than the API allows (10), a total over
100 or a total of 0. A warning where the total is not 100: weights are relative, so
the route works, but the numbers are not the percentages they look like; the message
shows the effective ones.

Why: a rejected route is not deployed; relative weights that look like percentages are
a common way to send the wrong share of traffic to a canary.

Fails (a warning: the split is products-v1 75%, products-v2 25%, not 9% and 3%):
    targets: [{node: products-v1, weight: 9}, {node: products-v2, weight: 3}]

Passes:
    targets: [{node: products-v1, weight: 90}, {node: products-v2, weight: 10}]

Fix: write weights that add up to 100.
"""

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import route_label
from meshify.injector.model.service_models import limits, shapes


def _bounds() -> tuple[int, int, int]:
    members = shapes("appmesh")["WeightedTarget"]["members"]
    low, high = limits("appmesh", members["weight"]["shape"])
    _, most_targets = limits("appmesh", shapes("appmesh")["HttpRouteAction"]["members"]["weightedTargets"]["shape"])
    return low or 0, high or 100, most_targets or 10


def _percent(weight: int, total: int) -> str:
    return f"{100 * weight / total:.1f}".rstrip("0").rstrip(".") + "%"


@rule("M102", "error", "Route weights", scope="mesh")
def check(context: MeshContext):
    low, high, most_targets = _bounds()
    for router in context.mesh.routers.values():
        for route in router.routes:
            label = route_label(router, route)
            numeric = [t for t in route.targets if isinstance(t.weight, int) and not isinstance(t.weight, bool)]
            weights = [t.weight for t in numeric]
            bad = [t for t in numeric if not low <= t.weight <= high]
            for target in bad:
                yield check.rule.finding(
                    f"{label}: weight {target.weight} of `{target.node}` is outside {low}-{high}", target.loc.child("weight"))
            if len(route.targets) > most_targets:
                yield check.rule.finding(
                    f"{label} has {len(route.targets)} targets; App Mesh allows at most {most_targets}",
                    route.targets[most_targets].loc)
            if bad or len(weights) != len(route.targets) or not route.targets:
                continue
            total = sum(weights)
            if total > high or total == 0:
                yield check.rule.finding(
                    f"{label}: the weights add up to {total}; App Mesh needs a total between 1 and {high}",
                    route.targets[0].loc.child("weight"))
            elif total != 100 and len(route.targets) > 1:  # a lone target gets everything anyway
                shares = ", ".join(f"{t.node} {_percent(t.weight, total)}" for t in route.targets)
                yield check.rule.finding(
                    f"{label}: the weights add up to {total}, not 100; they are relative, so the traffic splits "
                    f"{shares}", route.targets[0].loc.child("weight"), severity="warning")
