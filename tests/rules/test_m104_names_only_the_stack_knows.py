"""M104 compares a backend's name with the DNS names of the nodes behind it. A node whose
DNS hostname is a template's intrinsic (``!GetAtt PublicLoadBalancer.DNSName``) answers to a
name only the stack knows: M104 cannot tell whether it resolves the backend's name, so it
says nothing (no rule fires on an unknown) rather than fail or guess."""

from __future__ import annotations

import pytest
from conftest import run_meshify
from golden_cases import CORPUS

WALKTHROUGH = CORPUS / "aws-app-mesh-examples/walkthroughs/howto-ecs-basics/deploy"
pytestmark = pytest.mark.skipif(not (WALKTHROUGH / "3-routing.yaml").exists(),
                                reason=f"the shared corpus is absent ({CORPUS})")


def _template(tmp_path, hostname: str):
    """3-routing.yaml with a literal virtual service name and both colour nodes found by DNS."""
    text = (WALKTHROUGH / "3-routing.yaml").read_text()
    text = text.replace("      VirtualServiceName:\n        Fn::Join:\n          - '.'\n"
                        "          - - !GetAtt ColorServiceRegistry.Name\n            - !Sub '${ProjectName}.mesh.local'",
                        "      VirtualServiceName: color.howto.local")
    for node, after in (("ColorVirtualNode", "  # colorapp v2"), ("ColorV2VirtualNode", "  ColorVirtualService:")):
        start = text.index("ServiceDiscovery:", text.index(f"  {node}:\n"))
        end = text.index(after, start)
        text = text[:start] + f"ServiceDiscovery:\n          DNS:\n            Hostname: {hostname}\n\n" + text[end:]
    (tmp_path / "cfn.yaml").write_text(text)


def test_a_hostname_only_the_stack_knows_is_not_taken_for_a_missing_name(tmp_path):
    _template(tmp_path, "!GetAtt PublicLoadBalancer.DNSName")
    result = run_meshify("lint", "cfn.yaml", "--select", "M104", cwd=tmp_path)
    assert "internal error" not in result.stderr
    assert (result.returncode, result.stdout) == (0, "")


def test_a_literal_hostname_that_is_not_the_name_is_still_found(tmp_path):
    _template(tmp_path, "color.elsewhere.local")
    result = run_meshify("lint", "cfn.yaml", "--select", "M104", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "cfn.yaml:669:7: M104 error: virtual service `color.howto.local` is a backend but nothing resolves its name "
        "(its provider is router `ColorVirtualRouter`, which has no DNS name): add it to cloudMap.placeholders\n")


def test_a_literal_hostname_that_is_the_name_resolves_it(tmp_path):
    _template(tmp_path, "color.howto.local")
    result = run_meshify("lint", "cfn.yaml", "--select", "M104", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
