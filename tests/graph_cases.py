"""The golden graphs: the shop example and every App Mesh spec mesh of ``../shared/corpus``
that is JSON (the jq templates are not, until rendered: SOURCES.md), each drawn as Mermaid
and as DOT. ``python tests/regen_graphs.py`` rewrites them; review the diff first."""

from __future__ import annotations

from pathlib import Path

from golden_cases import CORPUS, FIXTURES, SHOP

GRAPHS = FIXTURES / "graphs"
EXAMPLES = "aws-app-mesh-examples"
WALKTHROUGHS = f"{EXAMPLES}/walkthroughs"
YELB = f"{EXAMPLES}/blogs/ecs-service-connectivity/yelb/deployments/platformdeployment/AWS/ECS/mesh"
EXTENSIONS = {"mermaid": "mmd", "dot": "dot"}

# name: (directory the command runs in, its arguments before --format)
CASES: dict[str, tuple[Path, list[str]]] = {
    "shop": (SHOP, ["graph"]),
    "shop-service-connect": (SHOP, ["graph", "--to", "service-connect"]),
    "corpus-ecs-app-mesh": (CORPUS, ["graph", "ecs-app-mesh/mesh/create-virtual-node-serviceb.json"]),
    "corpus-yelb": (CORPUS, ["graph", f"{YELB}/yelb-app-vn.json", f"{YELB}/yelb-ui-gateway-route.json"]),
    "corpus-colorapp-80-20": (CORPUS, ["graph", f"{EXAMPLES}/examples/apps/colorapp/servicemesh/config/update_routes/"
                                               "colorteller-route-black-80-blue-20.json"]),
    "corpus-grpc-retries": (CORPUS, ["graph", f"{WALKTHROUGHS}/howto-grpc/mesh/route-retries.json"]),
    "corpus-http-headers": (CORPUS, ["graph", f"{WALKTHROUGHS}/howto-http-headers/color-route.json"]),
    "corpus-http2": (CORPUS, ["graph", f"{WALKTHROUGHS}/howto-http2/mesh/route-red-blue-green.json"]),
    "corpus-ingress-gateway": (CORPUS, ["graph", f"{WALKTHROUGHS}/howto-ingress-gateway/mesh/colorteller-route-1.json",
                                        f"{WALKTHROUGHS}/howto-ingress-gateway/mesh/colorteller-vs-1.json"]),
    # on Service Connect: the virtual service whose router no file defines has no service to serve it
    "corpus-ingress-gateway-service-connect": (CORPUS, ["graph", "--to", "service-connect",
                                                        f"{WALKTHROUGHS}/howto-ingress-gateway/mesh/colorteller-route-1.json",
                                                        f"{WALKTHROUGHS}/howto-ingress-gateway/mesh/colorteller-vs-1.json"]),
    "corpus-multiple-listeners": (CORPUS, ["graph", f"{WALKTHROUGHS}/howto-multiple-listeners/mesh/foodteller-vr.json",
                                           f"{WALKTHROUGHS}/howto-multiple-listeners/mesh/fruit-route.json"]),
    # lint's findings laid over: the 8/2 weights (M102) and the targets no file defines (M105)
    "corpus-colorapp-80-20-lint": (CORPUS, ["graph", "--lint", f"{EXAMPLES}/examples/apps/colorapp/servicemesh/config/"
                                                             "update_routes/colorteller-route-black-80-blue-20.json"]),
    # the backends that are short names or an external host (M103), the unreached node (M113)
    "corpus-yelb-lint": (CORPUS, ["graph", "--lint", f"{YELB}/yelb-app-vn.json", f"{YELB}/yelb-ui-gateway-route.json"]),
    "corpus-timeout-policy": (CORPUS, ["graph", f"{WALKTHROUGHS}/howto-timeout-policy/mesh/colorteller-route-timeout20s.json"]),
}


def golden_graph(name: str, fmt: str) -> Path:
    return GRAPHS / f"{name}.{EXTENSIONS[fmt]}"
