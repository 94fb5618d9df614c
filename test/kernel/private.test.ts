/**
 * Private Memory Nodes in the simulated kernel (RFC v4, seed 002, kernel-model.md §6.1): syscall
 * rules, __GFP_PRIVATE gating of allocations, mbind placing faults on the private node, no
 * kswapd. Machine: the seed's A=0, B=1 (sockets), C=2 (private, MIGRATION|MEMPOLICY),
 * D=3 (private, DEMOTION only unless said otherwise), with exact pages A 1000, B 1000, C 500,
 * D 500 and watermarks min 10 / low 20 / high 30 on every node.
 */
import { describe, expect, it } from "vitest";
import { SyscallError } from "../../src/core/errors.js";
import { boot } from "../../src/kernel/boot.js";
import type { KernelBehaviours } from "../../src/kernel/behaviours.js";
import type { Kernel } from "../../src/kernel/kernel.js";
import { OomKilledError } from "../../src/kernel/signals.js";
import { checkBehaviours } from "../../src/sim/checkBehaviours.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import { privateNodesExample } from "../../src/topology/privateExample.js";
import type { KernelTopology } from "../../src/topology/types.js";
import { countsAt } from "./helpers.js";

const P = 4096;
const PAGES = [1000, 1000, 500, 500];

function machine(opsD: readonly string[] = ["DEMOTION"], opsC?: readonly string[]): KernelTopology {
  const base = deriveKernelTopology(privateNodesExample(opsC ? { opsC, opsD } : { opsD }));
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === "managedPages") return (n: number) => PAGES[n]!;
      if (prop === "watermarks") return () => ({ min: 10, low: 20, high: 30, promo: 40 });
      return Reflect.get(target, prop, receiver);
    },
  });
}

function kernel(behaviours: KernelBehaviours = {}, opsD?: readonly string[]): Kernel {
  return boot(machine(opsD), { kernel: "v6.16", behaviours });
}

function errnoOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SyscallError) return e.errno;
    throw e;
  }
  return "success";
}

describe("set_mempolicy vs mbind naming a private node", () => {
  it("set_mempolicy naming a private node is EINVAL, even mixed with normal nodes", () => {
    const p = kernel().spawn({ cpu: 0 });
    expect(errnoOf(() => p.setMempolicy("MPOL_BIND", [2]))).toBe("EINVAL");
    expect(errnoOf(() => p.setMempolicy("MPOL_INTERLEAVE", [0, 2]))).toBe("EINVAL");
    expect(() => p.setMempolicy("MPOL_PREFERRED", [2])).toThrow(/a task policy may never name a private node/);
    expect(errnoOf(() => p.setMempolicy("MPOL_BIND", [0, 1]))).toBe("success");
  });

  it("mbind succeeds on a node with NP_OPS_MEMPOLICY and is EINVAL without it", () => {
    const p = kernel().spawn({ cpu: 0 });
    const a = p.mmap(100 * P);
    expect(errnoOf(() => p.mbind(a, 100 * P, "MPOL_BIND", [2]))).toBe("success");
    expect(errnoOf(() => p.mbind(a, 100 * P, "MPOL_BIND", [3]))).toBe("EINVAL");
    expect(errnoOf(() => p.mbind(a, 100 * P, "MPOL_BIND", [2, 3]))).toBe("EINVAL");
    expect(() => p.mbind(a, 100 * P, "MPOL_BIND", [3])).toThrow(/node 3 is a private memory node .*owner "cram".*NP_OPS_MEMPOLICY/);
  });

  it("get_mempolicy(MPOL_F_MEMS_ALLOWED) lists only N_MEMORY nodes", () => {
    const p = kernel().spawn({ cpu: 0 });
    expect(p.getMempolicy({ flags: "MPOL_F_MEMS_ALLOWED" }).nodes).toEqual([0, 1]);
  });
});

describe("allocation", () => {
  it("mbind BIND{C}: the faults land on C, counted as hits there (numa_other: CPU on A)", () => {
    const k = kernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(100 * P);
    p.mbind(a, 100 * P, "MPOL_BIND", [2]);
    p.touch(a, 100 * P, { write: true });
    expect(countsAt(p.numaMaps(), a)).toEqual({ 2: 100 });
    expect([...k.buddy.free.slice(0, 4)]).toEqual([1000, 1000, 400, 500]);
    // The walk is [C]: C is the preferred zone (numa_hit) and not the CPU's node (numa_other).
    expect(k.stats.get("numa_hit", 2)).toBe(100);
    expect(k.stats.get("numa_other", 2)).toBe(100);
    expect(k.stats.get("numa_hit", 0)).toBe(0);
  });

  it("plain first touch never lands on a private node, even when DRAM is full: it spills to B, then OOMs", () => {
    for (const privateNodeDesign of ["gfp-private", "fallback-only"] as const) {
      const k = kernel({ privateNodeDesign });
      const p = k.spawn({ cpu: 0 });
      // Fast path down to low: A 1000-20 = 980, B 980; slow path (kswapd on A, B) down to min:
      // 10 more each -> 1980 pages fit.
      const a = p.mmap(1980 * P);
      p.touch(a, 1980 * P);
      expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 990, 1: 990 });
      expect([...k.buddy.free.slice(0, 4)]).toEqual([10, 10, 500, 500]);
      expect(k.buddy.wakeLog).toEqual([0, 1]);
      const b = p.mmap(P);
      expect(() => p.touch(b, P)).toThrow(OomKilledError);
      expect([k.buddy.free[2], k.buddy.free[3]]).toEqual([500, 500]);
    }
  });

  it("kswapd is never woken on a private node, even when its allocation enters the slow path", () => {
    const k = kernel();
    const p = k.spawn({ cpu: 0 });
    // C: 480 pages above low, then the slow path takes 10 more down to min (would wake kswapd).
    const a = p.mmap(490 * P);
    p.mbind(a, 490 * P, "MPOL_BIND", [2]);
    p.touch(a, 490 * P);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 2: 490 });
    expect(k.buddy.free[2]).toBe(10);
    expect(k.buddy.wakeLog).toEqual([]);
    k.buddy.wakeKswapd(2);
    expect([k.buddy.kswapdAwake[2], k.buddy.kswapdWakeups[2]]).toEqual([0, 0]);
    k.buddy.wakeKswapd(0);
    expect(k.buddy.wakeLog).toEqual([0]);
  });

  it("the design decides whether a private start node is usable without __GFP_PRIVATE", () => {
    const req = { start: 2, mask: null, mems: null, order: 0, cpuNode: 0 };
    const gfp = kernel();
    expect(gfp.buddy.zonelistFor(req)).toEqual([0, 1]);
    expect(gfp.buddy.zonelistFor({ ...req, gfpPrivate: true })).toEqual([2, 0, 1]);
    expect(gfp.buddy.zonelistFor({ ...req, thisNode: true })).toEqual([]);
    expect(gfp.buddy.allocate({ ...req, thisNode: true, gfpPrivate: true }, 5).runs).toEqual([[2, 5]]);
    const alt = kernel({ privateNodeDesign: "fallback-only" });
    expect(alt.buddy.zonelistFor(req)).toEqual([2, 0, 1]);
    expect(alt.buddy.allocate({ ...req, thisNode: true }, 5).runs).toEqual([[2, 5]]);
  });

  it("PREFERRED{C} via mbind starts at C and spills along C's list (C A B) when C is full", () => {
    const k = kernel();
    const p = k.spawn({ cpu: 1 });
    const a = p.mmap(500 * P);
    p.mbind(a, 500 * P, "MPOL_PREFERRED", [2]);
    p.touch(a, 500 * P);
    // Fast path over [C, A, B] at low: C 480, then A takes the remaining 20.
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 20, 2: 480 });
  });
});

describe("migration to private nodes", () => {
  it("move_pages to C (MIGRATION) moves the page; to D (no MIGRATION) is ENODEV", () => {
    const k = kernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(4 * P);
    p.touch(a, 4 * P);
    expect(p.movePages(0, [a, a + P], [2, 2])).toEqual([2, 2]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 2, 2: 2 });
    expect(errnoOf(() => p.movePages(0, [a + 2 * P], [3]))).toBe("ENODEV");
    expect(k.stats.get("pgmigrate_success", 2)).toBe(2);
  });

  it("migrate_pages to C moves every page; naming D (no MIGRATION) is EINVAL", () => {
    const k = kernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(8 * P);
    p.touch(a, 8 * P);
    expect(errnoOf(() => p.migratePages(0, [0], [3]))).toBe("EINVAL");
    expect(p.migratePages(0, [0], [2])).toBe(0);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 2: 8 });
  });

  it("mbind(MPOL_MF_MOVE) to C moves the misplaced pages there", () => {
    const k = kernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(6 * P);
    p.touch(a, 6 * P);
    p.mbind(a, 6 * P, "MPOL_BIND", [2], ["MPOL_MF_MOVE"]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 2: 6 });
  });
});

describe("views", () => {
  it("sysfs node states: has_memory = N_MEMORY + MEMPOLICY private nodes, has_memory_private = all private", () => {
    const k = kernel();
    expect(k.sysfs.read("/sys/devices/system/node/has_memory").trim()).toBe("0-2");
    expect(k.sysfs.read("/sys/devices/system/node/has_memory_private").trim()).toBe("2-3");
    expect(k.sysfs.read("/sys/devices/system/node/has_cpu").trim()).toBe("0-1");
  });

  it("meminfo and numastat include private nodes", () => {
    const k = kernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(10 * P);
    p.mbind(a, 10 * P, "MPOL_BIND", [2]);
    p.touch(a, 10 * P);
    expect(k.sysfs.read("/sys/devices/system/node/node2/meminfo")).toMatch(/^Node 2 MemTotal: +2000 kB$/m); // 500 pages x 4 kB
    expect(k.sysfs.read("/sys/devices/system/node/node2/numastat")).toContain("numa_hit 10");
  });

  it("the scenario validator knows privateNodeDesign and its two values", () => {
    const issues: { code: string; path: readonly (string | number)[]; message: string }[] = [];
    expect(checkBehaviours({ privateNodeDesign: "fallback-only" }, ["behaviours"], issues)).toEqual({ privateNodeDesign: "fallback-only" });
    checkBehaviours({ privateNodeDesign: "cdm" }, ["behaviours"], issues);
    expect(issues.map((i) => [i.code, i.path])).toEqual([["invalid_value", ["behaviours", "privateNodeDesign"]]]);
    expect(issues[0]!.message).toMatch(/takes one of "gfp-private", "fallback-only"/);
  });
});

describe("NUMA balancing and private nodes (RFC v4 patch 18, NP_OPS_NUMA_BALANCING)", () => {
  // C (node 2) holds 100 pages of a default-policy VMA (moved there with move_pages, C has
  // MIGRATION; a BIND VMA would not be scanned at all: vma_policy_mof); the task on CPU 0
  // (node A) accesses them at ~1e4/s each; kernel.numa_balancing = 1 (NORMAL: pages on every
  // node are scanned, §4.4). Without NUMA_BALANCING change_prot_numa must skip C's folios: no
  // PTE update, no hinting fault, no migration. With it, the same run marks them and the
  // hinting faults move them to A (the contrast shows the test can fail).
  function run(opsC: readonly string[]): { k: Kernel; counts: Record<number, number> } {
    const k = boot(machine(["MIGRATION", "DEMOTION"], opsC), { kernel: "v6.16", numaBalancing: 1 });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(100 * P);
    p.touch(a, 100 * P);
    const addrs = Array.from({ length: 100 }, (_, i) => a + i * P);
    expect(p.movePages(0, addrs, addrs.map(() => 2))).toEqual(addrs.map(() => 2));
    const v = p.mm.find(a / P)!;
    for (let i = 0; i < 100; i++) k.access.set(v.frame(i), { pid: p.tgid, share: 0.01, sweep: null, writeShare: 0 });
    k.access.setTaskRate(p.tgid, 1e6);
    k.advance("30s");
    return { k, counts: countsAt(p.numaMaps(), a) };
  }

  it("a private node without NUMA_BALANCING is never scanned: numa_pte_updates and numa_hint_faults stay 0", () => {
    const { k, counts } = run(["MIGRATION", "MEMPOLICY"]);
    expect(counts).toEqual({ 2: 100 });
    expect(k.vmstat().numa_pte_updates).toBe(0);
    expect(k.vmstat().numa_hint_faults).toBe(0);
    expect(k.vmstat().numa_pages_migrated).toBe(0);
  });

  it("with NUMA_BALANCING the same pages are scanned and promoted to the task's node", () => {
    const { k, counts } = run(["MIGRATION", "MEMPOLICY", "NUMA_BALANCING"]);
    expect(k.vmstat().numa_pte_updates).toBeGreaterThan(0);
    expect(k.vmstat().numa_hint_faults).toBeGreaterThan(0);
    expect(counts).toEqual({ 0: 100 });
  });
});
