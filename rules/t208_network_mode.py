"""T208: the task's network mode is not awsvpc.

What: ``networkMode`` is missing (ECS's default is ``bridge`` on EC2) or other than
``awsvpc`` in a task definition that a node or gateway claims.

Why: the APPMESH proxy configuration requires ``awsvpc``; ECS rejects it otherwise.

Fails:
    networkMode: bridge

Passes:
    networkMode: awsvpc

Fix: ``meshify inject`` sets ``networkMode: awsvpc``, unless a port mapping has a
``hostPort`` other than its ``containerPort`` (not allowed in awsvpc); then change the
port mappings by hand first.
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model.unknowns import is_unknown


@rule("T208", "error", "networkMode is not awsvpc", scope="taskdef", fixable=True,
      reads=("/networkMode", "/containerDefinitions/*/portMappings", "/containerDefinitions/*/name"))
def check(context: TaskContext):
    mode = context.taskdef.get("networkMode")
    if mode == "awsvpc" or is_unknown(mode):  # a placeholder is never overwritten (formats.md)
        return
    conflicts = [
        (index, position) for index, container in enumerate(context.containers)
        for position, mapping in enumerate(container.get("portMappings") or [])
        if isinstance(mapping, dict) and mapping.get("hostPort") not in (None, mapping.get("containerPort"))
    ]
    message = f"networkMode is {mode!r}: App Mesh needs 'awsvpc'" if mode else \
        "no networkMode (ECS defaults to bridge): App Mesh needs 'awsvpc'"
    if conflicts:
        index, position = conflicts[0]
        yield check.rule.finding(
            f"{message}; port mapping {position} of `{context.containers[index]['name']}` maps another hostPort, "
            "which awsvpc does not allow: change it first", context.locate("/networkMode" if mode else "/family"))
        return
    yield check.rule.finding(message, context.locate("/networkMode" if mode else "/family"),
                             fix=[{"op": "add", "path": "/networkMode", "value": "awsvpc"}])
