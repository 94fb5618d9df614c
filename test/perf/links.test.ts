import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { LINK_QUEUE_FLOOR_NS, linkCapacity, linkPath, solvePerformance } from "../../src/perf/index.js";
import { linkQueueLatency, prepareLinkQueue } from "../../src/perf/links.js";
import type { TopologySpec } from "../../src/topology/types.js";
import { presets } from "../../src/topology/presets.js";

const spr = presets.sprCxl();
const two = presets.twoSocketCxl();
const cxl = spr.links[0]!;

describe("links", () => {
  it("a CXL link's directions: reads device->host at readBandwidth, writes host->device at writeBandwidth", () => {
    expect(linkCapacity(cxl, 0)).toBe(26.55);
    expect(linkCapacity(cxl, 1)).toBe(24.01);
  });

  it("routes: local memory crosses nothing; CXL adds its link but not its latency again (it is in idleLatencyNs)", () => {
    expect(linkPath(spr, 0, 0)).toEqual({ crossings: [], fixedLatencyNs: 0 });
    expect(linkPath(spr, 0, 1)).toEqual({ crossings: [{ link: 0, readDirection: 0 }], fixedLatencyNs: 0 });
    // From socket 1 to socket 0's expander: UPI (data flows 0 -> 1, toward `to`), then the CXL link.
    expect(linkPath(two, 1, 2)).toEqual({ crossings: [{ link: 2, readDirection: 1 }, { link: 0, readDirection: 0 }], fixedLatencyNs: 70 });
  });

  it("queueing: nothing at idle, about the reference delay at capacity, steep past it", () => {
    const q = prepareLinkQueue(cxl, 0);
    const reference = Math.max(LINK_QUEUE_FLOOR_NS, cxl.latencyNs);
    expect(linkQueueLatency(q, 0)).toBe(0);
    expect(linkQueueLatency(q, 0.3 * 26.55)).toBeLessThan(0.1 * reference);
    expect(linkQueueLatency(q, 26.55)).toBeCloseTo(1.1 * reference, 9);
    expect(linkQueueLatency(q, 1.02 * 26.55)).toBeGreaterThan(10 * reference);
  });

  it("reads and writes of one stream load opposite directions; write-allocate reads go with the reads", () => {
    const fast: TopologySpec = {
      ...spr,
      nodes: spr.nodes.map((n) => (n.id === 1 ? { ...n, memory: { ...n.memory!, readBandwidthGBps: 80, writeBandwidthGBps: 80, curves: [] } } : n)),
    };
    const s = solvePerformance({ topology: fast, tasks: [{ node: 0, threads: 4, mlp: 1, readShare: 0.5, traffic: { 1: 1 } }] });
    const link = s.links[0]!;
    const task = s.tasks[0]!;
    // Half the accesses are stores: reads = loads + write-allocate reads = all accesses.
    expect(link.readGBps).toBeCloseTo(task.bandwidthGBps, 9);
    expect(link.writeGBps).toBeCloseTo(task.bandwidthGBps / 2, 9);
    expect(link.readUtilisation).toBeCloseTo(link.readGBps / 26.55, 12);
  });

  it("a machine without tasks solves to idle nodes and empty links", () => {
    const s = solvePerformance({ topology: two, tasks: [] });
    expect(s.tasks).toEqual([]);
    expect(s.nodes.map((n) => n.latencyNs)).toEqual([110.9, 110.9, 140, 140]);
    expect(s.links.every((l) => l.readGBps === 0 && l.writeGBps === 0)).toBe(true);
  });

  it("names unknown nodes and unconnected sockets", () => {
    expect(() => linkPath(spr, 0, 4)).toThrow(UsageError);
    expect(() => linkPath(spr, 0, 4)).toThrow(/linkPath\(memoryNode\): got 4; there is no node 4/);
    const islands: TopologySpec = { ...two, links: two.links.filter((l) => l.kind === "cxl") };
    expect(() => linkPath(islands, 0, 1)).toThrow(/route from node 0 to node 1: got "socket 0 -> socket 1"/);
  });
});
