import * as aq from "arquero";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { plots } from "../../src/plots/index.js";
import { layoutTopology, wrapText } from "../../src/plots/topologyLayout.js";
import { linksTable, nodesTable } from "../../src/results/topologyTables.js";
import { kt, spec } from "../results/fixtures.js";

describe("plots.topologyDiagram", () => {
  const fig = plots.topologyDiagram(nodesTable(kt), linksTable(spec), { title: "fixture", subtitle: spec.description });
  const texts = (fig.layout.annotations ?? []).map((a) => String(a.text));
  const annotation = (re: RegExp) => fig.layout.annotations!.find((a) => re.test(String(a.text)))!;

  it("labels a row per tier with the sysfs name and marks the toptier", () => {
    expect(texts).toContain("<b>memory_tier4 (toptier)</b>");
    expect(texts).toContain("<b>memory_tier10</b>");
    expect(texts).toContain("adistance 1350");
    expect(texts).toContain("<b>no memory</b>");
  });

  it("puts faster tiers above slower ones", () => {
    expect(annotation(/memory_tier4/).y).toBeGreaterThan(annotation(/memory_tier10/).y as number);
    expect(annotation(/^<b>node 0<\/b>/).y).toBeGreaterThan(annotation(/^<b>node 2<\/b>/).y as number);
  });

  it("draws every node as a box with id, kind, capacity and CPU count", () => {
    expect(texts).toContain("<b>node 0</b> · DRAM<br>64 GiB · 4 CPUs<br>110 ns idle · 250 GB/s rd");
    expect(texts).toContain("<b>node 2</b> · CXL<br>128 GiB · no CPUs<br>250 ns idle · 60 GB/s rd");
    expect(texts).toContain("<b>node 3</b> · no memory<br>2 CPUs");
    // 4 node boxes + 2 socket frames are paths; 2 row separators + 2 links are lines.
    expect(fig.layout.shapes!.filter((s) => s.type === "path")).toHaveLength(6);
  });

  it("shows sockets and labels links with bandwidth and latency", () => {
    expect(texts).toEqual(expect.arrayContaining(["<b>socket 0</b>", "<b>socket 1</b>"]));
    expect(texts).toContain("CXL · 64 GB/s rd / 48 wr · +70 ns");
    expect(texts).toContain("interconnect · 62 GB/s each way · +60 ns");
  });

  it("keeps nodes of a socket inside its frame", () => {
    const layout = layoutTopology(nodesTable(kt).objects().map((n: any) => ({ node: n.node, socket: n.socket, tier: n.tier, hasMemory: n.kind !== null })), 0, 1, true);
    for (const n of spec.nodes) {
      const box = layout.boxes.get(n.id)!;
      const frame = layout.sockets.find((s) => s.socket === n.socket)!;
      expect(box.left).toBeGreaterThanOrEqual(frame.left);
      expect(box.right).toBeLessThanOrEqual(frame.right);
    }
    expect(fig.layout.width).toBe(layout.width);
    expect(fig.layout.height).toBe(layout.height);
  });

  it("has a hover trace with each node's numbers", () => {
    const hover = fig.data[0] as { hovertext: string[] };
    expect(hover.hovertext[2]).toBe("node 2<br>socket 0<br>0 CPUs<br>cxl, 128 GiB<br>memory_tier10<br>adistance 1350<br>read 60 GB/s<br>idle latency 250 ns");
  });

  it("routes interconnects between distant sockets in a lane above the headers", () => {
    const nodes = aq.from([0, 1, 2].map((s) => ({ node: s, kind: "dram", socket: s, cpus: 8, capacity_bytes: 1, tier: 4, toptier: true })));
    const link = (a: number, b: number) => ({ kind: "interconnect", from_socket: a, to_socket: b, to_node: null, read_bandwidth_gbps: 10, write_bandwidth_gbps: 10, latency_ns: 50 });
    const f = plots.topologyDiagram(nodes, aq.from([link(0, 1), link(1, 2), link(0, 2)]));
    const paths = f.layout.shapes!.filter((s) => s.type === "path" && /^M [\d.]+,[\d.]+ L/.test(String(s.path)) && !String(s.path).includes("Q"));
    expect(paths).toHaveLength(1);
  });

  it("rejects tables that do not belong together", () => {
    const orphan = aq.from([{ kind: "cxl", from_socket: 0, to_socket: null, to_node: 9, read_bandwidth_gbps: 1, write_bandwidth_gbps: 1, latency_ns: 1 }]);
    expect(() => plots.topologyDiagram(nodesTable(kt), orphan)).toThrow(UsageError);
    expect(() => plots.topologyDiagram(nodesTable(kt), orphan)).toThrow(/same topology/);
    expect(() => plots.topologyDiagram(linksTable(spec), linksTable(spec))).toThrow(/nodesTable\(kt\)/);
  });
});

describe("wrapText", () => {
  it("breaks a long description at spaces so the subtitle fits the figure", () => {
    expect(wrapText("one two three four five", 9)).toEqual(["one two", "three", "four five"]);
    expect(wrapText("", 10)).toEqual([]);
  });
});
