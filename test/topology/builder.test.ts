import { describe, expect, it } from "vitest";
import { ScenarioError, UsageError } from "../../src/core/errors.js";
import { setMemoryOnline, topology } from "../../src/topology/builder.js";
import type { MemoryOptions } from "../../src/topology/builder.js";

const GiB = 1024 ** 3;
const dram: MemoryOptions = { capacity: "256GiB", readBandwidth: "200GB/s", writeBandwidth: "180GB/s", idleLatency: "110ns" };
const cxlMem = { capacity: "128GiB", readBandwidth: "24GB/s", idleLatency: "140ns" };
const cxlLink = { readBandwidth: "26.55GB/s", writeBandwidth: "24.01GB/s", latency: "33ns" };

/** Runs fn and returns the UsageError it throws (failing the test if it throws nothing else). */
function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error("expected a UsageError");
}

describe("topology() builder", () => {
  it("parses units to canonical numbers and applies the documented defaults", () => {
    const spec = topology("t").socket(0, { cpus: 4, memory: dram }).build();
    expect(spec.format).toBe("tiersim.topology/1");
    expect(spec.name).toBe("t");
    expect(spec.distances).toBeNull();
    expect(spec.nodes).toEqual([
      {
        id: 0,
        socket: 0,
        cpus: [0, 1, 2, 3],
        memory: {
          kind: "dram",
          capacityBytes: 256 * GiB,
          zone: "normal",
          readBandwidthGBps: 200,
          writeBandwidthGBps: 180,
          idleLatencyNs: 110,
          curves: [],
          hmat: true,
          online: true,
        },
      },
    ]);
  });

  it("defaults write bandwidth to read bandwidth and accepts canonical numbers", () => {
    const spec = topology().socket(0, { cpus: 1, memory: { capacity: 4096, readBandwidth: 36, idleLatency: 90 } }).build();
    expect(spec.nodes[0]!.memory).toMatchObject({ capacityBytes: 4096, readBandwidthGBps: 36, writeBandwidthGBps: 36, idleLatencyNs: 90 });
  });

  it("is immutable: every method returns a new builder and branches do not alias", () => {
    const base = topology("base").socket(0, { cpus: 2, memory: dram });
    const withCxl = base.cxl({ socket: 0, memory: cxlMem, link: cxlLink });
    expect(withCxl).not.toBe(base);
    expect(base.build().nodes.map((n) => n.id)).toEqual([0]);
    expect(withCxl.build().nodes.map((n) => n.id)).toEqual([0, 1]);
    expect(base.describe("x").build().description).toBe("x");
    expect(base.build().description).toBe("");
  });

  it("makes a CXL expander a CPU-less movable cxl node behind a link with per-direction capacity", () => {
    const spec = topology().socket(0, { cpus: 2, memory: dram }).cxl({ socket: 0, memory: cxlMem, link: cxlLink }).build();
    expect(spec.nodes[1]).toEqual({
      id: 1,
      socket: 0,
      cpus: [],
      memory: {
        kind: "cxl",
        capacityBytes: 128 * GiB,
        zone: "movable",
        readBandwidthGBps: 24,
        writeBandwidthGBps: 24,
        idleLatencyNs: 140,
        curves: [],
        hmat: true,
        online: true,
      },
    });
    expect(spec.links).toEqual([{ id: "cxl0.1", kind: "cxl", from: 0, to: 1, readBandwidthGBps: 26.55, writeBandwidthGBps: 24.01, latencyNs: 33 }]);
  });

  it("defaults zone by kind: normal for dram/hbm, movable for cxl/pmem; honours hmat and online", () => {
    const spec = topology()
      .socket(0, { cpus: 1, memory: dram })
      .node(1, { socket: 0, memory: { ...dram, kind: "hbm" } })
      .node(2, { socket: 0, memory: { ...dram, kind: "pmem", hmat: false, online: false } })
      .node(3, { socket: 0, memory: { ...dram, zone: "movable" } })
      .build();
    expect(spec.nodes.map((n) => n.memory?.zone)).toEqual(["normal", "normal", "movable", "movable"]);
    expect(spec.nodes[2]!.memory).toMatchObject({ kind: "pmem", hmat: false, online: false });
  });

  it("links sockets with the same capacity in both directions", () => {
    const spec = topology()
      .socket(0, { cpus: 2, memory: dram })
      .socket(1, { cpus: 2, memory: dram })
      .interconnect(0, 1, { bandwidth: "128GB/s", latency: "70ns" })
      .build();
    expect(spec.nodes.map((n) => n.cpus)).toEqual([[0, 1], [2, 3]]);
    expect(spec.links).toEqual([{ id: "interconnect0.1", kind: "interconnect", from: 0, to: 1, readBandwidthGBps: 128, writeBandwidthGBps: 128, latencyNs: 70 }]);
  });

  it("numbers nodes one past the highest id unless told, and sorts nodes by id", () => {
    const spec = topology().socket(0, { cpus: 1, memory: dram, node: 4 }).cxl({ socket: 0, memory: cxlMem, link: cxlLink }).node(1, { socket: 0, cpus: [9] }).build();
    expect(spec.nodes.map((n) => n.id)).toEqual([1, 4, 5]);
    expect(spec.nodes[0]).toEqual({ id: 1, socket: 0, cpus: [9], memory: null });
  });

  it("keeps explicit SLIT distances", () => {
    const spec = topology().socket(0, { cpus: 1, memory: dram }).cxl({ socket: 0, memory: cxlMem, link: cxlLink }).distances([[10, 25], [25, 10]]).build();
    expect(spec.distances).toEqual([[10, 25], [25, 10]]);
  });
});

describe("sub-NUMA clustering", () => {
  const curve = { readShare: 1, points: [[0, 111], [267.4, 223.2]] as [number, number][] };

  it("SNC2 splits CPUs, capacity, bandwidth and curve bandwidths exactly in half into consecutive ids", () => {
    const spec = topology().socket(0, { cpus: 80, snc: 2, memory: { ...dram, curves: [curve] } }).build();
    expect(spec.nodes.map((n) => n.id)).toEqual([0, 1]);
    expect(spec.nodes[0]!.cpus).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(spec.nodes[1]!.cpus).toEqual(Array.from({ length: 40 }, (_, i) => 40 + i));
    for (const n of spec.nodes) {
      expect(n.socket).toBe(0);
      expect(n.memory).toMatchObject({ capacityBytes: 128 * GiB, readBandwidthGBps: 100, writeBandwidthGBps: 90, idleLatencyNs: 110 });
      expect(n.memory!.curves[0]!.points).toEqual([[0, 111], [133.7, 223.2]]);
    }
  });

  it("SNC4 splits into four nodes starting at the given id", () => {
    const spec = topology().socket(0, { cpus: 8, memory: { ...dram, curves: [curve] } }).socket(1, { cpus: 8, snc: 4, memory: dram, node: 1 }).build();
    expect(spec.nodes.map((n) => [n.id, n.socket, n.cpus])).toEqual([
      [0, 0, [0, 1, 2, 3, 4, 5, 6, 7]],
      [1, 1, [8, 9]],
      [2, 1, [10, 11]],
      [3, 1, [12, 13]],
      [4, 1, [14, 15]],
    ]);
    expect(spec.nodes.slice(1).map((n) => n.memory!.capacityBytes)).toEqual([64 * GiB, 64 * GiB, 64 * GiB, 64 * GiB]);
    expect(spec.nodes[1]!.memory!.readBandwidthGBps).toBe(50);
    expect(spec.nodes[1]!.memory!.writeBandwidthGBps).toBe(45);
  });

  it("rejects CPU counts and capacities that do not divide evenly", () => {
    const cpus = usageError(() => topology().socket(0, { cpus: 6, snc: 4, memory: dram }));
    expect(cpus.message).toContain("socket(0).cpus: got 6");
    expect(cpus.message).toContain("divides them evenly (4 nodes)");
    expect(cpus.message).toContain("Fix: give a positive CPU count divisible by 4");
    const cap = usageError(() => topology().socket(0, { cpus: 4, snc: 2, memory: { ...dram, capacity: 4096 } }));
    expect(cap.what).toBe("socket(0).memory.capacity");
    expect(cap.rule).toBe("sub-NUMA clustering divides memory evenly, so the capacity must be a multiple of 2 x 4KiB pages");
    const snc = usageError(() => topology().socket(0, { cpus: 4, snc: 3 as 2, memory: dram }));
    expect(snc.what).toBe("socket(0).snc");
    expect(snc.fix).toBe("write snc: 2 or snc: 4 (or 1 for off)");
  });
});

describe("builder rejects bad input at once, naming value, rule and fix", () => {
  const base = topology().socket(0, { cpus: 2, memory: dram });

  it.each([
    ["zero capacity", () => base.node(1, { socket: 0, memory: { ...dram, capacity: 0 } }), "node(1).memory.capacity", "must be greater than zero"],
    ["negative bandwidth", () => base.node(1, { socket: 0, memory: { ...dram, readBandwidth: -5 } }), "node(1).memory.readBandwidth", "a bandwidth cannot be negative"],
    ["unknown unit", () => base.node(1, { socket: 0, memory: { ...dram, capacity: "12 parsecs" } }), "node(1).memory.capacity", "is not a quantity with a known unit"],
    ["node id too large", () => base.node(1024, { socket: 0 }), "node(1024)", "a node id must be an integer in 0..1023"],
    ["duplicate node id", () => base.node(0, { socket: 0 }), "node(0)", "node 0 is already declared"],
    ["duplicate CPU", () => base.node(1, { socket: 0, cpus: [1] }), "node(1).cpus[0]", "CPU 1 already belongs to a node"],
    ["CXL on an undeclared socket", () => base.cxl({ socket: 3, memory: cxlMem, link: cxlLink }), "cxl().socket", "socket 3 is not declared"],
    ["interconnect to an undeclared socket", () => base.interconnect(0, 1, { bandwidth: 10, latency: 10 }), "interconnect(0, 1)", "socket 1 is not declared"],
    ["read share outside 0..1", () => base.node(1, { socket: 0, memory: { ...dram, curves: [{ readShare: 1.5, points: [[0, 1], [2, 3]] }] } }), "node(1).memory.curves[0].readShare", "must be in 0..1"],
    ["curve not ascending", () => base.node(1, { socket: 0, memory: { ...dram, curves: [{ readShare: 1, points: [[0, 111], [50, 120], [40, 130]] }] } }), "node(1).memory.curves[0].points[2][0]", "strictly ascending (previous point is at 50 GB/s)"],
    ["socket declared twice", () => base.socket(0, { cpus: 2, memory: dram }), "socket(0)", "a socket may be declared once"],
    ["missing options", () => base.node(1, undefined as never), "node(1)", "options must be an object"],
    ["interconnect without options", () => base.socket(1, { cpus: 1 }).interconnect(0, 1, null as never), "interconnect(0, 1)", "options must be an object"],
    ["unknown kind", () => base.node(1, { socket: 0, memory: { ...dram, kind: "sram" as "dram" } }), "node(1).memory.kind", "the kind must be one of dram, cxl, hbm, pmem"],
  ])("%s", (_label, fn, what, rule) => {
    const e = usageError(fn);
    expect(e.what).toBe(what);
    expect(e.message).toContain(rule);
    expect(e.message).toMatch(/Fix: \S/);
  });

  it("build() throws ScenarioError with every whole-machine issue", () => {
    const b = base.cxl({ socket: 0, memory: cxlMem, link: cxlLink }).distances([[10, 20], [21, 10, 5]]);
    let err: unknown;
    try {
      b.build();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const issues = (err as ScenarioError).issues;
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["asymmetric_distance", ["distances", 0, 1]],
      ["distance_not_square", ["distances", 1]],
      ["unknown_node", ["distances", 1, 2]],
      ["distance_range", ["distances", 1, 2]],
    ]);
    expect((err as ScenarioError).message).toContain("invalid topology: 4 issues");
    expect((err as ScenarioError).message).toContain("→ at distances[0][1]");
  });
});

describe("setMemoryOnline", () => {
  const spec = topology().socket(0, { cpus: 2, memory: dram }).cxl({ socket: 0, memory: { ...cxlMem, online: false }, link: cxlLink }).node(2, { socket: 0, cpus: [5] }).build();

  it("returns a new spec with the node's memory on or offline and leaves the input alone", () => {
    const on = setMemoryOnline(spec, 1, true);
    expect(on.nodes[1]!.memory!.online).toBe(true);
    expect(spec.nodes[1]!.memory!.online).toBe(false);
    expect(on.nodes[0]).toBe(spec.nodes[0]);
    expect(setMemoryOnline(on, 1, false).nodes[1]!.memory!.online).toBe(false);
  });

  it("rejects unknown and memoryless nodes", () => {
    const unknown = usageError(() => setMemoryOnline(spec, 7, true));
    expect(unknown.message).toBe("setMemoryOnline(spec, 7): got 7; node 7 is not in the topology (nodes: 0, 1, 2). Fix: give the id of a node with memory.");
    const memless = usageError(() => setMemoryOnline(spec, 2, true));
    expect(memless.rule).toBe("node 2 is memoryless, so it has no memory to hotplug");
  });
});
