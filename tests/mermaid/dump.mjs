// Mermaid's own parser over diagrams: reads a JSON list of diagram texts on standard input
// and prints, for each, what Mermaid understood (vertices, edges, subgraphs) or its error.
// Used by tests/outputs/test_graph_render.py; mermaid needs a DOM, which jsdom provides.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    results.push({
      type: diagram.type,
      vertices: [...db.getVertices().values()].map((v) => ({ id: v.id, text: v.text, type: v.type, classes: v.classes })),
      edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text, stroke: e.stroke })),
      subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes })),
    });
  } catch (error) {
    results.push({ error: String(error.message || error) });
  }
}
console.log(JSON.stringify(results));
