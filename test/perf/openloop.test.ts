import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { loadedLatency, loadedLatencyCurve, routePeakBandwidth } from "../../src/perf/index.js";
import type { TopologySpec } from "../../src/topology/types.js";
import { presets } from "../../src/topology/presets.js";

const spr = presets.sprCxl();
const two = presets.twoSocketCxl();

describe("loadedLatencyCurve (open loop)", () => {
  it("runs from idle to the route's peak in evenly spaced loads", () => {
    const curve = loadedLatencyCurve(spr, 0, 1, 21);
    expect(curve).toHaveLength(21);
    expect(curve[0]).toEqual({ bandwidthGBps: 0, latencyNs: 110.9, utilisation: 0 });
    expect(curve[20]!.utilisation).toBeCloseTo(1, 12);
    expect(curve[20]!.bandwidthGBps).toBeCloseTo(routePeakBandwidth(spr, 0, 1), 12);
    expect(curve[10]!.bandwidthGBps - curve[9]!.bandwidthGBps).toBeCloseTo(curve[1]!.bandwidthGBps, 12);
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.latencyNs).toBeGreaterThanOrEqual(curve[i - 1]!.latencyNs);
  });

  it("a CXL node is measured from its host socket and adds the link's read-direction queue", () => {
    const curve = loadedLatencyCurve(spr, 1, 1, 11, { maxGBps: 26 });
    expect(curve[0]!.latencyNs).toBe(140);
    const device = loadedLatency(spr.nodes[1]!, 26, 1);
    expect(curve[10]!.latencyNs).toBeGreaterThan(device);
  });

  it("a remote node adds the interconnect hop", () => {
    const local = loadedLatencyCurve(two, 1, 1, 2, { from: 1 });
    const remote = loadedLatencyCurve(two, 1, 1, 2, { from: 0 });
    expect(remote[0]!.latencyNs - local[0]!.latencyNs).toBe(70);
  });

  it("a full-duplex CXL route gives mixed traffic more than reads alone, unless the device caps both", () => {
    // sprCxl's device sustains the STREAM CXL-only bandwidth, below what the link allows.
    expect(routePeakBandwidth(spr, 1, 1)).toBeCloseTo(24.4846, 4);
    expect(routePeakBandwidth(spr, 1, 0.5)).toBeCloseTo(24.4846, 4);
    const fastDevice: TopologySpec = {
      ...spr,
      nodes: spr.nodes.map((n) => (n.id === 1 ? { ...n, memory: { ...n.memory!, readBandwidthGBps: 60, writeBandwidthGBps: 60 } } : n)),
    };
    expect(routePeakBandwidth(fastDevice, 1, 1)).toBeCloseTo(26.55, 9);
    // At 58% reads the Mess curve (43.7 GB/s) binds before either link direction (45.8, 57.2).
    expect(routePeakBandwidth(fastDevice, 1, 0.58)).toBeCloseTo(43.7, 9);
  });

  it("rejects bad input with UsageErrors naming value, rule and fix", () => {
    expect(() => loadedLatencyCurve(spr, 5, 1)).toThrow(/loadedLatencyCurve\(node\): got 5; there is no node 5.*Fix: use one of the node ids 0, 1/);
    expect(() => loadedLatencyCurve(spr, 0, 2)).toThrow(UsageError);
    expect(() => loadedLatencyCurve(spr, 0, 1, 1)).toThrow(/points\): got 1; a curve needs/);
    expect(() => loadedLatencyCurve(spr, 0, 1, 10, { from: 1 })).toThrow(/node 1 has no CPUs/);
    expect(() => loadedLatencyCurve(spr, 0, 1, 10, { maxGBps: -3 })).toThrow(/maxGBps\): got -3/);
  });

  it("reports a machine whose sockets are not connected", () => {
    const islands: TopologySpec = { ...two, links: two.links.filter((l) => l.kind !== "interconnect") };
    expect(() => loadedLatencyCurve(islands, 1, 1, 5, { from: 0 })).toThrow(/none connects these sockets.*Fix: add an interconnect link between socket 0 and socket 1/);
  });
});
