"""Lint the real files of ``../shared/corpus`` the way users would, grouped by project.

``python tests/corpus_snapshot.py`` rewrites ``fixtures/corpus-lint.snapshot``: every line
is a finding (or the one-line error for a file meshify cannot use) followed by
``  # why``; explanations of unchanged lines are kept, new lines get ``UNREVIEWED``, which
the test refuses until someone has read the finding and explained it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from golden_cases import CORPUS, FIXTURES
from meshify.injector.commands.lint import lint
from meshify.injector.errors import InputError
from meshify.injector.outputs.reporters import text

SNAPSHOT = FIXTURES / "corpus-lint.snapshot"
TASKDEF_MANIFEST = FIXTURES / "corpus" / "meshify.yaml"
EMPTY_MESH = FIXTURES / "corpus" / "empty-mesh.yaml"
UNREVIEWED = "UNREVIEWED"

EXAMPLES = "aws-app-mesh-examples"
WALKTHROUGHS = f"{EXAMPLES}/walkthroughs"
YELB = f"{EXAMPLES}/blogs/ecs-service-connectivity/yelb/deployments/platformdeployment/AWS/ECS/mesh"
COMPOSEX = "ecs_composex/use-cases/appmesh"
# (manifest, files linted together); no manifest: the files' own mesh (a compose file's x-appmesh)
GROUPS: list[tuple[Path | None, list[str]]] = [
    (TASKDEF_MANIFEST, [f"aws-containers-task-definitions/{name}" for name in (
        "nginx/nginx_fargate.json", "nginx/nginx_ec2.json", "gunicorn/gunicorn_fargate.json",
        "tomcat/tomcat_fargate.json", "consul/ConsulClient.json")]),
    (TASKDEF_MANIFEST, ["ecs-app-mesh/service-a/fargate-task.json",
                        "aws_ecs_codedeploy_appmesh_xray/task-definition.json",
                        "appmesh_servicediscovery/infrastructure/python-task-def.json"]),
    (TASKDEF_MANIFEST, ["appmesh_servicediscovery/infrastructure/curl-task-def.json"]),
    (EMPTY_MESH, ["ecs-app-mesh/mesh/create-virtual-node-serviceb.json"]),
    (EMPTY_MESH, [f"{YELB}/yelb-app-vn.json", f"{YELB}/yelb-ui-gateway-route.json"]),
    (EMPTY_MESH, [f"{EXAMPLES}/examples/apps/colorapp/servicemesh/config/update_routes/"
                  "colorteller-route-black-80-blue-20.json"]),
    (EMPTY_MESH, [f"{WALKTHROUGHS}/howto-grpc/mesh/route-retries.json"]),
    (EMPTY_MESH, [f"{WALKTHROUGHS}/howto-http-headers/color-route.json"]),
    (EMPTY_MESH, [f"{WALKTHROUGHS}/howto-http2/mesh/route-red-blue-green.json"]),
    (EMPTY_MESH, [f"{WALKTHROUGHS}/howto-ingress-gateway/mesh/colorteller-route-1.json",
                  f"{WALKTHROUGHS}/howto-ingress-gateway/mesh/colorteller-vs-1.json"]),
    (EMPTY_MESH, [f"{WALKTHROUGHS}/howto-multiple-listeners/mesh/foodteller-vr.json",
                  f"{WALKTHROUGHS}/howto-multiple-listeners/mesh/fruit-route.json"]),
    (EMPTY_MESH, [f"{WALKTHROUGHS}/howto-timeout-policy/mesh/colorteller-route-timeout20s.json"]),
    # jq templates: not JSON until rendered (SOURCES.md), so meshify refuses them.
    *[(EMPTY_MESH, [path]) for path in (
        f"{EXAMPLES}/examples/apps/colorapp/ecs/envoy-container.json",
        f"{WALKTHROUGHS}/howto-ingress-gateway/mesh/colorteller-black-vn-tls.json",
        f"{WALKTHROUGHS}/howto-outlier-detection/mesh/color-vn-with-outlier-detection.json")],
    (EMPTY_MESH, ["ecs_composex/ecs_composex/appmesh/x-appmesh.spec.json"]),
    *[(None, [f"{COMPOSEX}/{name}"]) for name in (
        "new_mesh.yml", "allow_all.yml", "shared_mesh.yml", "negative-testing/missing_node_settings.yml",
        "negative-testing/router_route.yml", "negative-testing/router_route_02.yml",
        "negative-testing/router_service.yml")],
    # CloudFormation templates, each stack's templates together, as their walkthroughs deploy them.
    (None, [f"appmesh-ecs-starter/infrastructure/{name}.yaml" for name in ("appmesh", "cloudmap", "ecs-workload")]),
    (None, [f"{EXAMPLES}/blogs/ecs-cross-account/account_frontend/appmesh_resources.yml"]),
    (EMPTY_MESH, [f"{YELB.rsplit('/', 1)[0]}/yelb-cloudformation-ECS-AppMesh-deployment.yaml"]),
    (None, [f"{EXAMPLES}/examples/apps/colorapp/ecs/ecs-colorapp.yaml",
            f"{EXAMPLES}/examples/apps/colorapp/servicemesh/appmesh-colorapp.yaml"]),
    (EMPTY_MESH, [f"{WALKTHROUGHS}/howto-ecs-basics/deploy/0-prelude.yaml"]),
    (EMPTY_MESH, [f"{WALKTHROUGHS}/howto-ecs-basics/deploy/1-servicediscovery.yaml"]),
    (None, [f"{WALKTHROUGHS}/howto-ecs-basics/deploy/2-meshify.yaml"]),
    (None, [f"{WALKTHROUGHS}/howto-ecs-basics/deploy/3-routing.yaml"]),
    (None, [f"{WALKTHROUGHS}/howto-grpc/app.yaml", f"{WALKTHROUGHS}/howto-grpc/mesh.yaml"]),
    (None, [f"{WALKTHROUGHS}/howto-http2/mesh.yaml"]),
    (EMPTY_MESH, [f"{WALKTHROUGHS}/howto-ingress-gateway/infrastructure/ecs-service.yaml"]),
    (None, [f"{WALKTHROUGHS}/howto-servicediscovery-cloudmap/app.yaml",
            f"{WALKTHROUGHS}/howto-servicediscovery-cloudmap/mesh.yaml"]),
    (None, [f"ecs-appmesh-config/copilot/service1-v1/addons/{name}.yml"
            for name in ("3-create-services", "4-appmesh-gateway-route")]),
]


def current_lines() -> list[str]:
    """What lint says today, one line per finding or error, in group order."""
    lines: list[str] = []
    cwd = os.getcwd()
    os.chdir(CORPUS)
    try:
        for manifest, paths in GROUPS:
            try:
                lines += text(lint(str(manifest) if manifest else None, paths)).splitlines()
            except InputError as error:
                lines.append(str(error))
    finally:
        os.chdir(cwd)
    return lines


def read_snapshot() -> list[tuple[str, str]]:
    """(finding, explanation) per line of the snapshot file."""
    pairs = []
    for line in SNAPSHOT.read_text().splitlines():
        finding, _, why = line.partition("  # ")
        pairs.append((finding, why))
    return pairs


def main() -> int:
    if not CORPUS.exists():
        print(f"the corpus is absent ({CORPUS})", file=sys.stderr)
        return 1
    explained = dict(read_snapshot()) if SNAPSHOT.exists() else {}
    lines = [f"{line}  # {explained.get(line) or UNREVIEWED}" for line in current_lines()]
    SNAPSHOT.write_text("\n".join(lines) + "\n")
    print(f"{len(lines)} lines, {sum(UNREVIEWED in line for line in lines)} to review", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
