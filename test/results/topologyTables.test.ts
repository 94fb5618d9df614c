import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { latencyCurvesTable, linksTable, nodesTable } from "../../src/results/topologyTables.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import { presets } from "../../src/topology/presets.js";
import { kt, spec } from "./fixtures.js";

const GiB = 1024 ** 3;

describe("nodesTable", () => {
  it("has one row per node in id order with the kernel's tiers and unit-suffixed columns", () => {
    const t = nodesTable(kt);
    expect(t.columnNames()).toEqual([
      "node", "kind", "socket", "cpus", "capacity_bytes", "tier", "adistance", "toptier", "zone",
      "read_bandwidth_gbps", "write_bandwidth_gbps", "idle_latency_ns",
    ]);
    expect(t.objects()).toEqual([
      { node: 0, kind: "dram", socket: 0, cpus: 4, capacity_bytes: 64 * GiB, tier: 4, adistance: 576, toptier: true, zone: "normal", read_bandwidth_gbps: 250, write_bandwidth_gbps: 200, idle_latency_ns: 110 },
      { node: 1, kind: "dram", socket: 1, cpus: 4, capacity_bytes: 64 * GiB, tier: 4, adistance: 576, toptier: true, zone: "normal", read_bandwidth_gbps: 250, write_bandwidth_gbps: 200, idle_latency_ns: 110 },
      { node: 2, kind: "cxl", socket: 0, cpus: 0, capacity_bytes: 128 * GiB, tier: 10, adistance: 1350, toptier: false, zone: "movable", read_bandwidth_gbps: 60, write_bandwidth_gbps: 50, idle_latency_ns: 250 },
      { node: 3, kind: null, socket: 1, cpus: 2, capacity_bytes: 0, tier: null, adistance: null, toptier: true, zone: null, read_bandwidth_gbps: null, write_bandwidth_gbps: null, idle_latency_ns: null },
    ]);
  });

  it("derives the kernel's view itself when given a TopologySpec", () => {
    const machine = presets.twoSocketCxl();
    expect(nodesTable(machine).objects()).toEqual(nodesTable(deriveKernelTopology(machine)).objects());
    expect(nodesTable(machine).array("toptier")).toEqual([true, true, false, false]);
  });

  it("rejects anything else with a UsageError that names the fix", () => {
    expect(() => nodesTable(7 as never)).toThrow(UsageError);
    expect(() => nodesTable(7 as never)).toThrow(/nodesTable\(topology\): got 7; needs a KernelTopology or a TopologySpec/);
  });
});

describe("linksTable", () => {
  it("keeps one meaning per column: socket-to-node for CXL, socket-to-socket for interconnects", () => {
    const t = linksTable(spec);
    expect(t.objects()).toEqual([
      { link: "cxl0", kind: "cxl", from_socket: 0, to_socket: null, to_node: 2, read_bandwidth_gbps: 64, write_bandwidth_gbps: 48, latency_ns: 70, source: "PCIe 5 x16" },
      { link: "upi", kind: "interconnect", from_socket: 0, to_socket: 1, to_node: null, read_bandwidth_gbps: 62, write_bandwidth_gbps: 62, latency_ns: 60, source: null },
    ]);
  });

  it("accepts the kernel's view as well as the spec", () => {
    expect(linksTable(kt).objects()).toEqual(linksTable(spec).objects());
  });

  it("rejects other values with a UsageError", () => {
    expect(() => linksTable(42 as never)).toThrow(/linksTable\(spec\): got 42; needs a TopologySpec/);
  });
});

describe("latencyCurvesTable", () => {
  it("has one row per curve point, nodes in id order, highest read share first", () => {
    const t = latencyCurvesTable(spec);
    expect(t.columnNames()).toEqual(["node", "kind", "read_share", "bandwidth_gbps", "latency_ns", "source"]);
    expect(t.objects()).toEqual([
      { node: 0, kind: "dram", read_share: 1, bandwidth_gbps: 0, latency_ns: 110, source: "reads" },
      { node: 0, kind: "dram", read_share: 1, bandwidth_gbps: 120, latency_ns: 130, source: "reads" },
      { node: 0, kind: "dram", read_share: 1, bandwidth_gbps: 230, latency_ns: 350, source: "reads" },
      { node: 0, kind: "dram", read_share: 0.5, bandwidth_gbps: 0, latency_ns: 120, source: "mixed" },
      { node: 0, kind: "dram", read_share: 0.5, bandwidth_gbps: 100, latency_ns: 150, source: "mixed" },
      { node: 0, kind: "dram", read_share: 0.5, bandwidth_gbps: 180, latency_ns: 400, source: "mixed" },
      { node: 2, kind: "cxl", read_share: 1, bandwidth_gbps: 0, latency_ns: 250, source: null },
      { node: 2, kind: "cxl", read_share: 1, bandwidth_gbps: 50, latency_ns: 320, source: null },
      { node: 2, kind: "cxl", read_share: 1, bandwidth_gbps: 58, latency_ns: 600, source: null },
    ]);
  });

  it("is empty, with the same columns, when no node has curves", () => {
    const bare = { ...spec, nodes: spec.nodes.map((n) => (n.memory ? { ...n, memory: { ...n.memory, curves: [] } } : n)) };
    const t = latencyCurvesTable(bare);
    expect(t.numRows()).toBe(0);
    expect(t.columnNames()).toEqual(["node", "kind", "read_share", "bandwidth_gbps", "latency_ns", "source"]);
  });
});
