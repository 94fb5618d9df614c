import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { accessCoordinates, bestAccessCoordinates, socketRoute } from "../../src/topology/access.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import { slitDistances } from "../../src/topology/distances.js";
import { cxlLink, interconnect, machine, mem, node, twoSocketCxl } from "./literal-spec.js";

describe("SLIT distances (kernel-model.md §3.1)", () => {
  it("uses the given matrix as is", () => {
    const kt = deriveKernelTopology(twoSocketCxl());
    expect(kt.distance(0, 2)).toBe(14);
    expect(kt.distance(3, 2)).toBe(26);
    expect(kt.distance(1, 1)).toBe(10);
  });

  it("derives distances from latency: 10 * lat / local DRAM latency, with floors", () => {
    /*
     * R = 100 ns (node 0). Interconnect 70 ns. CXL idle 250 ns (extra 150).
     * 0-1: 10 * 170 / 100 = 17                              -> 17
     * 0-2: 10 * 250 / 100 = 25 (same socket)                 -> 25
     * 0-3: 10 * (100 + 70 + 150) / 100 = 32                   -> 32
     * 2-3: 10 * (100 + 150 + 70 + 150) / 100 = 47             -> 47
     */
    expect(slitDistances(twoSocketCxl(null))).toEqual([
      [10, 17, 25, 32],
      [17, 10, 32, 25],
      [25, 32, 10, 47],
      [32, 25, 47, 10],
    ]);
  });

  it("keeps sub-NUMA siblings nearer than a remote socket", () => {
    // Two SNC clusters per socket, equal latencies: siblings 10 -> floor 12; remote 10 * 140 / 100 = 14.
    const spec = machine([node(0, 0, 2, mem()), node(1, 0, 2, mem()), node(2, 1, 2, mem()), node(3, 1, 2, mem())], [interconnect(0, 1, 128, 40)]);
    expect(slitDistances(spec)).toEqual([
      [10, 12, 14, 14],
      [12, 10, 14, 14],
      [14, 14, 10, 12],
      [14, 14, 12, 10],
    ]);
    // A nearly free interconnect (5 ns: 10.5 -> 10) still leaves the remote socket farther: floor 13.
    const fast = machine(spec.nodes, [interconnect(0, 1, 128, 5)]);
    expect(slitDistances(fast)[0]).toEqual([10, 12, 13, 13]);
  });

  it("caps at 254 and reaches memoryless nodes through their socket", () => {
    const spec = machine([node(0, 0, 2, mem()), node(1, 0, 2, null), node(2, 0, [], mem({ kind: "cxl", latencyNs: 5000 }))]);
    expect(slitDistances(spec)).toEqual([
      [10, 12, 254],
      [12, 10, 254],
      [254, 254, 10],
    ]);
  });

  it("rejects a matrix of the wrong size or with bad entries", () => {
    expect(() => slitDistances(twoSocketCxl([[10, 20], [20, 10]]))).toThrow(UsageError);
    expect(() => slitDistances(twoSocketCxl([[10, 21, 14, 24], [21, 10, 24, 14], [14, 24, 10, 26], [24, 14, 26, 9]]))).toThrow(/LOCAL_DISTANCE/);
    expect(() => slitDistances(twoSocketCxl([[10, 21, 14, 24], [21, 10, 24, 14], [14, 24, 10, 255], [24, 14, 255, 10]]))).toThrow(/11\.\.254/);
  });
});

describe("HMAT access coordinates", () => {
  const spec = twoSocketCxl(null).nodes.map((n) => (n.memory ? { ...n, memory: { ...n.memory, hmat: true } } : n));
  const hm = { ...twoSocketCxl(null), nodes: spec };

  it("adds crossed interconnects to the target's idle latency and takes the narrowest bandwidth", () => {
    const [n0, n1, n2, n3] = hm.nodes;
    expect(accessCoordinates(hm, n0!, n2!)).toEqual({ readLatencyNs: 250, writeLatencyNs: 250, readBandwidthGBps: 32, writeBandwidthGBps: 32 });
    expect(accessCoordinates(hm, n0!, n1!)).toEqual({ readLatencyNs: 170, writeLatencyNs: 170, readBandwidthGBps: 100, writeBandwidthGBps: 100 });
    expect(accessCoordinates(hm, n1!, n2!)).toEqual({ readLatencyNs: 320, writeLatencyNs: 320, readBandwidthGBps: 32, writeBandwidthGBps: 32 });
    expect(accessCoordinates(hm, n2!, n0!)).toBeNull(); // a CPU-less initiator
    expect(accessCoordinates(twoSocketCxl(), twoSocketCxl().nodes[0]!, twoSocketCxl().nodes[2]!)).toBeNull(); // hmat: false
    expect(bestAccessCoordinates(hm, n3!)).toEqual({ readLatencyNs: 250, writeLatencyNs: 250, readBandwidthGBps: 32, writeBandwidthGBps: 32 });
  });

  it("caps by the CXL link in each direction", () => {
    const link = { ...cxlLink(0, 1), readBandwidthGBps: 26.55, writeBandwidthGBps: 24.01 };
    const s = machine([node(0, 0, 4, mem({ hmat: true })), node(1, 0, [], mem({ kind: "cxl", gbps: 30, hmat: true }))], [link]);
    expect(deriveKernelTopology(s).access(0, 1)).toEqual({ readLatencyNs: 100, writeLatencyNs: 100, readBandwidthGBps: 26.55, writeBandwidthGBps: 24.01 });
  });

  it("routes over the lowest-latency chain of interconnects", () => {
    const s = machine([0, 1, 2].map((i) => node(i, i, 1, mem())), [interconnect(0, 1, 100, 50), interconnect(1, 2, 60, 50), interconnect(0, 2, 200, 120)]);
    expect(socketRoute(s, 0, 2)).toEqual({ latencyNs: 100, readBandwidthGBps: 60, writeBandwidthGBps: 60, links: ["interconnect0.1", "interconnect1.2"] });
    expect(() => socketRoute(machine([node(0, 0, 1, mem()), node(1, 1, 1, mem())]), 0, 1)).toThrow(/interconnect/);
  });
});
