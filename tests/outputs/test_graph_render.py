"""The pictures read by the real tools: Graphviz renders every DOT graph to SVG, and the
SVG holds every box's lines and every edge's label; Mermaid's own parser (the npm package,
run under node) reads every Mermaid graph as the same boxes and edges. Skipped, with the
reason, where the tool is absent (.ci/run installs both)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from conftest import run_meshify
from golden_cases import ROOT
from graph_cases import CASES, golden_graph

pytestmark = pytest.mark.slow  # real processes: dot, node

MERMAID_DIR = ROOT / "tests" / "mermaid"
_LABEL = r'label="((?:[^"\\]|\\.)*)"'

# Labels that need escaping in both languages: quotes, pipes, angle brackets, '#', a backslash.
AWKWARD = """\
version: 1
mesh: {name: awkward, region: eu-west-1, account: "111122223333"}
nodes:
  a: {listeners: [{port: 80, protocol: http}]}
routers:
  r:
    listeners: [{port: 80, protocol: http}]
    routes:
      - name: odd
        protocol: http
        match:
          prefix: /
          headers: [{name: x-q, regex: '^"a|b" <c> #d; \\\\d+$'}]
        targets: [{node: a, weight: 1}]
services:
  end.local: {router: r}
"""


def _unescape_dot(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def dot_elements(text: str) -> tuple[dict[str, list[str]], list[tuple[str, str, str, bool]]]:
    """(box id -> label lines, [(source, target, label, dashed)]) as written in our DOT."""
    boxes: dict[str, list[str]] = {}
    edges = []
    for line in text.splitlines():
        if edge := re.match(r"\s+(\w+) -> (\w+)(?: \[(.*)\])?;$", line):
            label = re.search(_LABEL, edge.group(3) or "")
            edges.append((edge.group(1), edge.group(2), _unescape_dot(label.group(1)) if label else "",
                          "style=dashed" in (edge.group(3) or "")))
        elif (box := re.match(r"\s+(\w+) \[shape=\w+, (.*)\];$", line)) and (label := re.search(_LABEL, box.group(2))):
            boxes[box.group(1)] = _unescape_dot(label.group(1)).split("\n")
    return boxes, edges


def _awkward_case(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "meshify.yaml").write_text(AWKWARD)
    return (run_meshify("graph", "--format", "mermaid", cwd=tmp_path).stdout,
            run_meshify("graph", "--format", "dot", cwd=tmp_path).stdout)


def _broken_shop_case(shop: Path) -> tuple[str, str]:
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("weight: 90\n", "weight: 110\n").replace(
        "    backends:\n      - prices.shop.local\n", "    backends:\n      - pricez.shop.local\n", 1))
    return (run_meshify("graph", "--lint", "taskdefs/prices-api.json", cwd=shop).stdout,
            run_meshify("graph", "--lint", "--format", "dot", "taskdefs/prices-api.json", cwd=shop).stdout)


def _all_pictures(tmp_path: Path, shop: Path) -> dict[str, tuple[str, str]]:
    pictures = {name: (golden_graph(name, "mermaid").read_text(), golden_graph(name, "dot").read_text())
                for name, (cwd, _) in CASES.items() if cwd.exists() and golden_graph(name, "dot").exists()}
    pictures["awkward"] = _awkward_case(tmp_path)
    pictures["broken-shop-lint"] = _broken_shop_case(shop)
    return pictures


def test_every_corpus_mesh_has_golden_pictures() -> None:
    missing = [name for name, (cwd, _) in CASES.items() if cwd.exists() and not golden_graph(name, "dot").exists()]
    assert missing == []
    if not all(cwd.exists() for cwd, _ in CASES.values()):
        pytest.skip("the shared corpus is absent")


def test_graphviz_renders_every_box_and_edge_label(tmp_path: Path, shop: Path) -> None:
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz `dot` is not installed (.ci/run installs it: apt-get install graphviz)")
    for name, (_, source) in _all_pictures(tmp_path, shop).items():
        rendered = subprocess.run([dot, "-Tsvg"], input=source, capture_output=True, text=True, timeout=60)
        assert rendered.returncode == 0 and rendered.stderr == "", (name, rendered.stderr)
        svg = ElementTree.fromstring(rendered.stdout)
        namespace = "{http://www.w3.org/2000/svg}"
        groups = {cls: [g for g in svg.iter(f"{namespace}g") if g.get("class") == cls] for cls in ("node", "edge")}
        boxes, edges = dot_elements(source)
        assert len(groups["node"]) == len(boxes) and len(groups["edge"]) == len(edges), name
        drawn_boxes = {g.findtext(f"{namespace}title"): [t.text or "" for t in g.iter(f"{namespace}text")]
                       for g in groups["node"]}
        assert drawn_boxes == boxes, name
        drawn_edges = sorted((g.findtext(f"{namespace}title") or "",
                              " ".join(t.text or "" for t in g.iter(f"{namespace}text"))) for g in groups["edge"])
        assert drawn_edges == sorted((f"{s}->{t}", label) for s, t, label, _ in edges), name


def _mermaid_text(text: str) -> str:
    """Entity codes decoded, as Mermaid does when it draws: ``#quot;``, ``#35;``; in edge
    labels the parser keeps them in its own placeholders (``ﬂ°quot¶ß``, ``ﬂ°°35¶ß``)."""
    entities = {"quot": '"', "lt": "<", "gt": ">"}
    text = re.sub(r"ﬂ°°(\d+)¶ß|ﬂ°(\w+)¶ß", lambda m: f"#{m.group(1) or m.group(2)};", text)
    return re.sub(r"#(\w+);", lambda m: chr(int(m.group(1))) if m.group(1).isdigit() else entities[m.group(1)], text)


def test_mermaid_parser_reads_the_same_boxes_and_edges(tmp_path: Path, shop: Path) -> None:
    node = shutil.which("node")
    if node is None or not (MERMAID_DIR / "node_modules" / "mermaid").is_dir():
        pytest.skip("Mermaid's parser is not installed (.ci/run installs it: npm install in tests/mermaid)")
    pictures = _all_pictures(tmp_path, shop)
    # and one broken picture, to show that the check can fail: an unescaped quote in a label
    broken = golden_graph("shop", "mermaid").read_text().replace("virtual node products-v1", 'virtual "node" products-v1')
    parsed = subprocess.run([node, str(MERMAID_DIR / "dump.mjs")],
                            input=json.dumps([*(m for m, _ in pictures.values()), broken]),
                            capture_output=True, text=True, timeout=300, cwd=MERMAID_DIR)
    assert parsed.returncode == 0, parsed.stderr
    *results, refused = json.loads(parsed.stdout)
    assert "Parse error on line" in refused["error"]
    for (name, (_, source)), result in zip(pictures.items(), results, strict=True):
        assert "error" not in result, (name, result.get("error"))
        assert result["type"] == "flowchart-v2"
        boxes, edges = dot_elements(source)
        assert {v["id"]: _mermaid_text(v["text"]).split("<br>") for v in result["vertices"]} == boxes, name
        assert [(e["start"], e["end"], _mermaid_text(e["text"]), e["stroke"] == "dotted") for e in result["edges"]] == edges
