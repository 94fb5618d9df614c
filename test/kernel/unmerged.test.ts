/**
 * Unmerged proposals as opt-in kernel behaviours (kernel-model.md §6.2, §6.3): off by default
 * (ENOSYS), exact placement when enabled.
 */
import { describe, expect, it } from "vitest";
import { boot } from "../../src/kernel/boot.js";
import { countsAt, tinyDerive, tinyKernel, tinyTopology } from "./helpers.js";

const P = 4096;

describe("process_mbind (RFC, seed 003)", () => {
  it("is ENOSYS on a mainline kernel", () => {
    const k = tinyKernel();
    const agent = k.spawn({ cpu: 0 });
    const app = k.spawn({ cpu: 0 });
    const a = app.mmap(4 * P);
    expect(() => agent.processMbind(app.pid, a, 4 * P, "MPOL_BIND", [2])).toThrow(/ENOSYS/);
  });

  it("lets a tiering agent bind and move another process's range", () => {
    const k = boot(tinyTopology(), { behaviours: { processMbind: true } });
    const agent = k.spawn({ cpu: 0 });
    const app = k.spawn({ cpu: 0 });
    const a = app.mmap(8 * P);
    app.touch(a, 8 * P);
    agent.processMbind(app.pid, a + 4 * P, 4 * P, "MPOL_BIND", [2], ["MPOL_MF_MOVE"]);
    expect(countsAt(app.numaMaps(), a)).toEqual({ 0: 4 });
    expect(countsAt(app.numaMaps(), a + 4 * P)).toEqual({ 2: 4 });
    expect(app.numaMaps()).toContain("bind:2");
    const weak = k.spawn({ cpu: 0, capSysNice: false });
    expect(() => weak.processMbind(app.pid, a, P, "MPOL_BIND", [1])).toThrow(/EPERM/);
    expect(() => agent.processMbind(99999, a, P, "MPOL_BIND", [1])).toThrow(/ESRCH/);
  });
});

describe("task-local weights (set_mempolicy2 / mbind2 RFC)", () => {
  it("is ENOSYS on a mainline kernel", () => {
    const p = tinyKernel().spawn({ cpu: 0 });
    expect(() => p.setMempolicy2({ mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: [0, 1], ilWeights: { 0: 3 } })).toThrow(/ENOSYS/);
  });

  it("mbind2 weights override the global sysfs weights for that VMA only", () => {
    const k = boot(tinyTopology(), { behaviours: { taskLocalWeights: true } });
    for (const n of [0, 1, 2]) k.sysfs.write(`/sys/kernel/mm/mempolicy/weighted_interleave/node${n}`, 1);
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(60 * P, { addr: 0x10000000 });
    const b = p.mmap(60 * P, { addr: 0x20000000 });
    p.mbind2(a, 60 * P, { mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: [0, 1], ilWeights: { 0: 5, 1: 1 } });
    p.mbind(b, 60 * P, "MPOL_WEIGHTED_INTERLEAVE", [0, 1]);
    p.touch(a, 60 * P);
    p.touch(b, 60 * P);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 50, 1: 10 });
    expect(countsAt(p.numaMaps(), b)).toEqual({ 0: 30, 1: 30 });
    expect(() => p.setMempolicy2({ mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: [0, 1], ilWeights: { 0: 300 } })).toThrow(/EINVAL/);
  });

  it("set_mempolicy2 weights drive the task round robin", () => {
    const k = boot(tinyTopology(), { behaviours: { taskLocalWeights: true } });
    const p = k.spawn({ cpu: 0 });
    p.setMempolicy2({ mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: [0, 2], ilWeights: { 0: 2, 2: 1 } });
    const area = k.vmalloc(p, 6 * P);
    expect([...area.pages].map((f) => k.frames.node[f])).toEqual([0, 0, 0, 0, 2, 2]);
  });
});

describe("memory hotplug and the redistribution what-if (seed 003)", () => {
  function machine(redistribute: boolean) {
    const opts = { offline: [2] };
    const k = boot(tinyTopology(opts), { behaviours: { redistributeOnNodeAdd: redistribute }, derive: tinyDerive(opts) });
    for (const n of [0, 1]) k.sysfs.write(`/sys/kernel/mm/mempolicy/weighted_interleave/node${n}`, 1);
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(30 * P, { addr: 0x30000000 }); // vpn divisible by 6
    p.mbind(a, 30 * P, "MPOL_INTERLEAVE", [0, 1]);
    p.touch(a, 30 * P);
    return { k, p, a };
  }

  it("mainline: the node appears in N_MEMORY, sysfs and the root cpuset; nothing moves", () => {
    const { k, p, a } = machine(false);
    expect(k.topo.memoryNodes).toEqual([0, 1]);
    k.onlineNode(2);
    expect(k.topo.memoryNodes).toEqual([0, 1, 2]);
    expect(k.buddy.free[2]).toBe(1000);
    expect(k.sysfs.read("/sys/kernel/mm/mempolicy/weighted_interleave/node2")).toBe("1");
    expect(p.getMempolicy({ flags: ["MPOL_F_MEMS_ALLOWED"] }).nodes).toEqual([0, 1, 2]);
    expect(p.getMempolicy({ addr: a, flags: ["MPOL_F_ADDR"] }).nodes).toEqual([0, 1]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 15, 1: 15 });
    expect(() => k.onlineNode(2)).toThrow(/EINVAL/);
  });

  it("what-if: interleave over every node widens to the new node and pages follow", () => {
    const { k, p, a } = machine(true);
    k.onlineNode(2);
    expect(p.getMempolicy({ addr: a, flags: ["MPOL_F_ADDR"] }).nodes).toEqual([0, 1, 2]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 10, 1: 10, 2: 10 });
    expect(k.vmstat().pgmigrate_success).toBe(20);
  });
});
