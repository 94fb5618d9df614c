import { describe, expect, it } from "vitest";
import { presets } from "../../src/topology/presets.js";
import { withMemoryCapacity } from "../../src/topology/resize.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";

describe("withMemoryCapacity", () => {
  it("changes only the listed nodes' capacity, leaving the input alone", () => {
    const base = presets.twoSocketCxl();
    const small = withMemoryCapacity(base, { 0: "16GiB", 2: 2 ** 32 });
    expect(small.nodes.map((n) => n.memory?.capacityBytes)).toEqual([16 * 2 ** 30, 256 * 2 ** 30, 4 * 2 ** 30, 128 * 2 ** 30]);
    expect(base.nodes[0]!.memory!.capacityBytes).toBe(256 * 2 ** 30);
    expect(deriveKernelTopology(small).managedPages(0)).toBe(4 * 2 ** 20);
    expect(small.nodes[0]!.memory!.readBandwidthGBps).toBe(base.nodes[0]!.memory!.readBandwidthGBps);
  });

  it("rejects unknown nodes, memoryless nodes and sizes below a page", () => {
    const base = presets.twoSocketCxl();
    expect(() => withMemoryCapacity(base, { 7: "1GiB" })).toThrow(/node 7 is not in the topology/);
    expect(() => withMemoryCapacity(base, { 0: "1KiB" })).toThrow(/at least one 4 KiB page/);
    expect(() => withMemoryCapacity(base, { 0: "lots" })).toThrow(/lots/);
  });
});
