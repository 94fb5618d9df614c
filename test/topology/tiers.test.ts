import { describe, expect, it } from "vitest";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import {
  MEMTIER_ADISTANCE_DRAM,
  MEMTIER_DEFAULT_DAX_ADISTANCE,
  abstractDistances,
  memoryTiers,
  mtPerfToAdistance,
  nodeIsToptier,
  topTierAdistance,
} from "../../src/topology/tiers.js";
import { cxlLink, interconnect, machine, mem, node } from "./literal-spec.js";

const REF = { readLatency: 100, writeLatency: 100, readBandwidth: 100000, writeBandwidth: 100000 };

describe("abstract distance (kernel-model.md §5.1)", () => {
  it("has the kernel's constants", () => {
    expect(MEMTIER_ADISTANCE_DRAM).toBe(576);
    expect(MEMTIER_DEFAULT_DAX_ADISTANCE).toBe(2880);
  });

  it("computes mt_perf_to_adistance left to right with integer division", () => {
    // 576*500/200 = 1440; 1440*200000/64000 = 4500
    expect(mtPerfToAdistance({ readLatency: 250, writeLatency: 250, readBandwidth: 32000, writeBandwidth: 32000 }, REF)).toBe(4500);
    // 576*300/200 = 864; 864*200000/128000 = 1350
    expect(mtPerfToAdistance({ readLatency: 150, writeLatency: 150, readBandwidth: 64000, writeBandwidth: 64000 }, REF)).toBe(1350);
    // 576*160/200 = 460 (460.8 truncated first); 460*200000/800000 = 115
    expect(mtPerfToAdistance({ readLatency: 80, writeLatency: 80, readBandwidth: 400000, writeBandwidth: 400000 }, REF)).toBe(115);
    expect(mtPerfToAdistance({ readLatency: 0, writeLatency: 0, readBandwidth: 1, writeBandwidth: 1 }, REF)).toBeNull();
  });

  it("puts those examples in tiers 35, 10 and 0", () => {
    const spec = machine(
      [
        node(0, 0, 4, mem({ latencyNs: 100, gbps: 100, hmat: true })),
        node(1, 0, [], mem({ kind: "cxl", latencyNs: 250, gbps: 32, hmat: true })),
        node(2, 0, [], mem({ kind: "cxl", latencyNs: 150, gbps: 64, hmat: true })),
        node(3, 0, [], mem({ kind: "hbm", latencyNs: 80, gbps: 400, hmat: true })),
      ],
      [cxlLink(0, 1), cxlLink(0, 2)],
    );
    const kt = deriveKernelTopology(spec);
    expect([0, 1, 2, 3].map((n) => kt.adistance(n))).toEqual([576, 4500, 1350, 115]);
    expect([0, 1, 2, 3].map((n) => kt.tierOf(n))).toEqual([4, 35, 10, 0]);
    expect(kt.tiers).toEqual([
      { id: 0, start: 0, nodes: [3] },
      { id: 4, start: 512, nodes: [0] },
      { id: 10, start: 1280, nodes: [2] },
      { id: 35, start: 4480, nodes: [1] },
    ]);
  });

  it("caps a CXL node's bandwidth at its link before computing adistance", () => {
    // 32 GB/s device behind a 16 GB/s link: 576*500/200 = 1440; 1440*200000/32000 = 9000
    const spec = machine([node(0, 0, 4, mem({ hmat: true })), node(1, 0, [], mem({ kind: "cxl", latencyNs: 250, gbps: 32, hmat: true }))], [cxlLink(0, 1, 16)]);
    expect(deriveKernelTopology(spec).adistance(1)).toBe(9000);
  });

  it("uses defaults without data: 576 for boot memory (DRAM, HBM), 2880 for dax/kmem (CXL, PMEM)", () => {
    const r = abstractDistances([
      { node: 0, kind: "dram", hasCpus: true, coordinates: null },
      { node: 1, kind: "hbm", hasCpus: false, coordinates: null },
      { node: 2, kind: "cxl", hasCpus: false, coordinates: null },
      { node: 3, kind: "pmem", hasCpus: false, coordinates: null },
    ]);
    expect([...r.adistance]).toEqual([[0, 576], [1, 576], [2, 2880], [3, 2880]]);
    expect(r.state).toBe("ENOENT");
    expect(r.referenceNode).toBeNull();
  });

  it("takes the first CPU+memory node with data as the reference, even when a lower node has none", () => {
    const c = (lat: number, gbps: number) => ({ readLatencyNs: lat, writeLatencyNs: lat, readBandwidthGBps: gbps, writeBandwidthGBps: gbps });
    const r = abstractDistances([
      { node: 0, kind: "dram", hasCpus: true, coordinates: null },
      { node: 1, kind: "dram", hasCpus: true, coordinates: c(100, 100) },
      { node: 2, kind: "dram", hasCpus: true, coordinates: c(110, 90) }, // exactly 10% off: allowed
      { node: 3, kind: "cxl", hasCpus: false, coordinates: c(250, 32) },
    ]);
    expect(r.state).toBe("enabled");
    expect(r.referenceNode).toBe(1);
    // node 2: 576*220/200 = 633; 633*200000/180000 = 703, tier 5 (703 >> 7): not DRAM's tier 4
    expect([...r.adistance]).toEqual([[0, 576], [1, 576], [2, 703], [3, 4500]]);
  });

  it("disables the perf algorithm system-wide when a CPU node differs by more than 10%", () => {
    const c = (lat: number, gbps: number) => ({ readLatencyNs: lat, writeLatencyNs: lat, readBandwidthGBps: gbps, writeBandwidthGBps: gbps });
    const r = abstractDistances([
      { node: 0, kind: "dram", hasCpus: true, coordinates: c(100, 100) },
      { node: 1, kind: "dram", hasCpus: true, coordinates: c(111, 100) },
      { node: 2, kind: "cxl", hasCpus: false, coordinates: c(250, 32) },
      { node: 3, kind: "hbm", hasCpus: false, coordinates: c(80, 400) },
    ]);
    expect(r.state).toBe("EIO");
    expect([...r.adistance]).toEqual([[0, 576], [1, 576], [2, 2880], [3, 576]]);
  });

  it("groups adistances into 128-wide chunks, fastest first", () => {
    expect(memoryTiers(new Map([[2, 2880], [0, 576], [1, 639], [3, 640]]))).toEqual([
      { id: 4, start: 512, nodes: [0, 1] },
      { id: 5, start: 640, nodes: [3] },
      { id: 22, start: 2816, nodes: [2] },
    ]);
  });
});

describe("memory tiers and toptier (kernel-model.md §5.2)", () => {
  it("example 1: 2-socket DRAM + PMEM gives tiers {0,1},{2,3}", () => {
    const d = [[10, 20, 30, 40], [20, 10, 40, 30], [30, 40, 10, 40], [40, 30, 40, 10]];
    const kt = deriveKernelTopology(machine([node(0, 0, 2, mem()), node(1, 1, 2, mem()), node(2, 0, [], mem({ kind: "pmem" })), node(3, 1, [], mem({ kind: "pmem" }))], [interconnect(0, 1)], d));
    expect(kt.tiers.map((t) => t.nodes)).toEqual([[0, 1], [2, 3]]);
    expect(kt.tiers.map((t) => t.id)).toEqual([4, 22]);
  });

  it("example 2: a memory-only DRAM node with the same performance joins DRAM's tier", () => {
    const d = [[10, 20, 30], [20, 10, 30], [30, 30, 10]];
    const nodes = (hmat: boolean) => [node(0, 0, 2, mem({ hmat })), node(1, 1, 2, mem({ hmat })), node(2, 0, [], mem({ hmat }))];
    for (const hmat of [false, true]) {
      const kt = deriveKernelTopology(machine(nodes(hmat), [interconnect(0, 1)], d));
      expect(kt.tiers).toEqual([{ id: 4, start: 512, nodes: [0, 1, 2] }]);
    }
  });

  it("computes top_tier_adistance from the slowest tier that has CPUs", () => {
    const tiers = [
      { id: 0, start: 0, nodes: [1] },
      { id: 4, start: 512, nodes: [0] },
      { id: 22, start: 2816, nodes: [2] },
    ];
    expect(topTierAdistance(tiers, (n) => n === 0)).toBe(639);
    expect(topTierAdistance(tiers, (n) => n === 2)).toBe(2943);
    expect(topTierAdistance(tiers, () => false)).toBe(0);
    expect(nodeIsToptier(0, 639)).toBe(true);
    expect(nodeIsToptier(512, 639)).toBe(true);
    expect(nodeIsToptier(2816, 639)).toBe(false);
    expect(nodeIsToptier(null, 0)).toBe(true);
  });

  it("treats HBM above DRAM as toptier, CXL below as not, and memoryless nodes as toptier", () => {
    const spec = machine(
      [
        node(0, 0, 4, mem({ hmat: true })),
        node(1, 0, [], mem({ kind: "hbm", latencyNs: 80, gbps: 400, hmat: true })),
        node(2, 0, [], mem({ kind: "cxl", latencyNs: 250, gbps: 32 })),
        node(3, 0, 4, null),
      ],
      [cxlLink(0, 2)],
    );
    const kt = deriveKernelTopology(spec);
    expect([0, 1, 2, 3].map((n) => kt.isToptier(n))).toEqual([true, true, false, true]);
    expect(kt.tierOf(3)).toBeNull();
  });

  it("with CPUs only on memoryless nodes, only tier 0 is toptier (top_tier_adistance stays 0)", () => {
    const spec = machine([node(0, 0, 4, null), node(1, 0, [], mem()), node(2, 0, [], mem({ kind: "hbm", latencyNs: 80, gbps: 400 }))], [], [[10, 12, 12], [12, 10, 12], [12, 12, 10]]);
    const kt = deriveKernelTopology(spec);
    expect(kt.tiers.map((t) => t.id)).toEqual([4]);
    expect(kt.isToptier(1)).toBe(false);
  });
});
