"""Every YAML file goes through yaml_text: a task definition kept as YAML with CRLF line
endings and anchors is injected with both kept, byte for byte, outside what inject adds."""

from __future__ import annotations

from conftest import run_meshify


def test_a_crlf_yaml_task_definition_with_an_anchor_keeps_both(shop):
    path = shop / "taskdefs" / "products-api-canary.yaml"
    text = path.read_text().replace("    essential: true\n", "    essential: &yes true\n", 1)
    text = text.replace("\n", "\r\n")
    path.write_bytes(text.encode())
    result = run_meshify("inject", "taskdefs/products-api-canary.yaml", "--in-place", cwd=shop)
    assert result.returncode == 0, result.stderr
    after = path.read_bytes().decode()
    assert "\n" not in after.replace("\r\n", "")  # every line break is still CRLF
    assert "    essential: &yes true\r\n" in after
    assert after.startswith(text.split("containerDefinitions:")[0])  # the head of the file, untouched
    again = run_meshify("inject", "taskdefs/products-api-canary.yaml", "--check", cwd=shop)
    assert (again.returncode, again.stdout) == (0, "")
