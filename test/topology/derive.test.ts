import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import type { TopologySpec } from "../../src/topology/types.js";
import { cxlLink, machine, mem, node, twoSocketCxl } from "./literal-spec.js";

describe("deriveKernelTopology", () => {
  const kt = deriveKernelTopology(twoSocketCxl());

  it("reports the node sets and CPU map", () => {
    expect(kt.nodeIds).toEqual([0, 1, 2, 3]);
    expect(kt.memoryNodes).toEqual([0, 1, 2, 3]);
    expect(kt.cpuNodes).toEqual([0, 1]);
    expect(kt.cpuNode.get(5)).toBe(1);
    expect(kt.cpuNode.has(8)).toBe(false);
    expect(kt.knobs).toEqual({ minFreeKbytes: null, watermarkScaleFactor: 10 });
    expect(kt.adistance(2)).toBe(2880);
  });

  it("names the value, rule and fix for nodes that do not exist or lack memory", () => {
    expect(() => kt.distance(0, 9)).toThrow(UsageError);
    expect(() => kt.zonelist(4)).toThrow(/node id of this machine \(0, 1, 2, 3\)/);
    const memoryless = deriveKernelTopology(machine([node(0, 0, 2, mem()), node(1, 0, 2, null)], [], [[10, 12], [12, 10]]));
    expect(() => memoryless.adistance(1)).toThrow(/only nodes with online memory/);
    expect(memoryless.isToptier(1)).toBe(true);
    expect(memoryless.demotionTargets(1)).toEqual([]);
    expect(memoryless.lowerTierNodes(1)).toEqual([]);
  });

  it("rejects machines Linux could not boot or describe", () => {
    const dup: TopologySpec = machine([node(0, 0, 2, mem()), node(0, 1, 2, mem())], [], [[10, 20], [20, 10]]);
    expect(() => deriveKernelTopology(dup)).toThrow(/unique/);
    const cpus = machine([node(0, 0, [0, 1], mem()), node(1, 0, [1, 2], mem())], [], [[10, 12], [12, 10]]);
    expect(() => deriveKernelTopology(cpus)).toThrow(/CPU 1 is already on node 0/);
    expect(() => deriveKernelTopology(machine([node(0, 0, 2, null)], [], [[10]]))).toThrow(/N_MEMORY/);
    expect(() => deriveKernelTopology(machine([]))).toThrow(/at least one node/);
  });

  it("recomputes everything on hotplug: re-derive with the expander offline, then online", () => {
    const spec = machine([node(0, 0, 4, mem()), node(1, 0, [], mem({ kind: "cxl", gib: 256, online: false }))], [cxlLink(0, 1)], [[10, 14], [14, 10]]);
    const before = deriveKernelTopology(spec);
    expect(before.memoryNodes).toEqual([0]);
    expect(before.tiers).toEqual([{ id: 4, start: 512, nodes: [0] }]);
    expect(before.demotionTargets(0)).toEqual([]);
    expect(before.minFreeKbytes).toBe(32768);
    expect(before.managedPages(1)).toBe(0);
    const online = { ...spec, nodes: spec.nodes.map((n) => (n.id === 1 ? { ...n, memory: { ...n.memory!, online: true } } : n)) };
    const after = deriveKernelTopology(online);
    expect(after.memoryNodes).toEqual([0, 1]);
    expect(after.demotionTargets(0)).toEqual([1]);
    expect(after.zonelist(0)).toEqual([0, 1]);
    expect(after.minFreeKbytes).toBe(32727);
  });

  it("answers access() for CPU initiators only, null without HMAT", () => {
    expect(kt.access(0, 2)).toBeNull();
    const hm = deriveKernelTopology(machine([node(0, 0, 4, mem({ hmat: true })), node(1, 0, [], mem({ kind: "cxl", hmat: true, latencyNs: 250, gbps: 32 }))], [cxlLink(0, 1)]));
    expect(hm.access(0, 1)).toEqual({ readLatencyNs: 250, writeLatencyNs: 250, readBandwidthGBps: 32, writeBandwidthGBps: 32 });
    expect(hm.access(1, 0)).toBeNull();
    expect(hm.adistance(1)).toBe(4500);
    expect(hm.distance(0, 1)).toBe(25);
  });
});
