"""M103 in a big mesh: the message names a few services, never the whole catalogue."""

from __future__ import annotations

from pathlib import Path

from conftest import run_meshify


def _manifest(services: int, backends: list[str]) -> str:
    lines = ["version: 1", "mesh:", "  name: big", "  region: eu-west-1", '  account: "111122223333"', "nodes:",
             "  front:", "    family: front", "    listeners:", "      - port: 8080", "        protocol: http",
             "    backends:", *[f"      - {name}" for name in backends]]
    lines += [f"  svc{i}:\n    listeners:\n      - port: 8080\n        protocol: http\n    discovery:\n"
              f"      dns:\n        hostname: svc{i}.big.internal" for i in range(services)]
    lines.append("services:")
    lines += [f"  svc{i}.big.internal:\n    node: svc{i}" for i in range(services)]
    return "\n".join(lines) + "\n"


def test_many_services_the_message_names_the_closest_few(tmp_path: Path):
    (tmp_path / "meshify.yaml").write_text(_manifest(300, ["svc12.big.internl", "nowhere.example.com"]))
    result = run_meshify("lint", "--select", "M103", cwd=tmp_path)
    assert result.stdout == (
        "meshify.yaml:13:9: M103 error: backend `svc12.big.internl` of node `front` is no virtual service of the mesh "
        "(300 services; closest: svc12.big.internal, svc212.big.internal, svc192.big.internal)\n"
        "meshify.yaml:14:9: M103 error: backend `nowhere.example.com` of node `front` is no virtual service of the "
        "mesh (300 services, none close to this name)\n")
    assert result.returncode == 1


def test_a_few_services_are_all_listed(tmp_path: Path):
    (tmp_path / "meshify.yaml").write_text(_manifest(2, ["svc9.big.internal"]))
    result = run_meshify("lint", "--select", "M103", cwd=tmp_path)
    assert result.stdout == (
        "meshify.yaml:13:9: M103 error: backend `svc9.big.internal` of node `front` is no virtual service of the mesh "
        "(services: svc0.big.internal, svc1.big.internal)\n")
