/**
 * The NP_OPS_* capabilities of private memory nodes that act outside allocation and migration
 * targeting (RFC v4 patches 16, 17, 19, 20; seed 002; kernel-model.md §6.1): LONGTERM_PIN,
 * RECLAIM, OOM_ELIGIBLE and COMPACTION. Each is tested with and without the flag on the same
 * scenario, so every test can fail.
 *
 * Machine: the seed's A=0, B=1 (sockets, CPUs 0-3 on A, 4-7 on B), C=2 (private, on socket 0),
 * D=3 (private, on socket 1), with exact pages A 1000, B 1000, C and D as the test says, and
 * watermarks min 10 / low 20 / high 30 on every node. Zonelists (§3.2, privateExample.ts): A's
 * is [A, B], B's [B, A]; private nodes are in no normal node's list. Every test ends with the
 * no-page-lost invariant: on every node, allocated frames + free pages == managed pages.
 */
import { describe, expect, it } from "vitest";
import { SyscallError, UsageError } from "../../src/core/errors.js";
import { boot } from "../../src/kernel/boot.js";
import type { Kernel } from "../../src/kernel/kernel.js";
import { numabColumns } from "../../src/kernel/numab/columns.js";
import type { Process } from "../../src/kernel/process.js";
import { OomKilledError } from "../../src/kernel/signals.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import { privateNodesExample } from "../../src/topology/privateExample.js";
import { countsAt } from "./helpers.js";

const P = 4096;
const MIGRATION_MEMPOLICY = ["MIGRATION", "MEMPOLICY"] as const;

interface Machine {
  readonly opsC: readonly string[];
  readonly opsD?: readonly string[];
  /** Managed pages of C and D (default 1500 each). */
  readonly pagesC?: number;
  readonly pagesD?: number;
}

function kernel(m: Machine): { k: Kernel; pages: number[] } {
  const pages = [1000, 1000, m.pagesC ?? 1500, m.pagesD ?? 1500];
  const base = deriveKernelTopology(privateNodesExample({ opsC: m.opsC, opsD: m.opsD ?? ["DEMOTION"] }));
  const kt = new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === "managedPages") return (n: number) => pages[n]!;
      if (prop === "watermarks") return () => ({ min: 10, low: 20, high: 30, promo: 40 });
      return Reflect.get(target, prop, receiver);
    },
  });
  return { k: boot(kt, { kernel: "v6.16" }), pages };
}

/** No page lost: allocated frames + free == managed on every node (test-only O(frames) walk). */
function checkFrames(k: Kernel, pages: readonly number[]): void {
  const per = pages.map(() => 0);
  for (let f = 1; f < k.frames.highWater; f++) if (k.frames.flags[f]) per[k.frames.node[f]!]!++;
  for (let n = 0; n < pages.length; n++) expect(per[n]! + k.buddy.free[n]!, `node ${n}`).toBe(pages[n]);
}

/** An anonymous mapping of `pages` pages bound to `nodes` (mbind BIND) and touched for write. */
function boundRegion(p: Process, pages: number, nodes: readonly number[]): number {
  const a = p.mmap(pages * P);
  p.mbind(a, pages * P, "MPOL_BIND", nodes);
  p.touch(a, pages * P, { write: true });
  return a;
}

function pinsOf(k: Kernel, p: Process, a: number, pages: number): number[] {
  const v = p.mm.find(a / P)!;
  const pins = numabColumns(k.frames).pins;
  const out = new Set<number>();
  for (let i = 0; i < pages; i++) out.add(pins[v.frame(a / P - v.start + i)]!);
  return [...out];
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("NP_OPS_LONGTERM_PIN (patch 20): pin in place, or migrate to normal memory first", () => {
  it("with LONGTERM_PIN the folios are pinned on the private node and nothing moves", () => {
    const { k, pages } = kernel({ opsC: [...MIGRATION_MEMPOLICY, "LONGTERM_PIN"] });
    const p = k.spawn({ cpu: 0 });
    const a = boundRegion(p, 100, [2]);
    expect(p.pinPages(a, 100 * P)).toBe(100);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 2: 100 });
    expect(pinsOf(k, p, a, 100)).toEqual([1]);
    expect(k.vmstat().pgmigrate_success).toBe(0);
    expect([...k.buddy.free.slice(0, 4)]).toEqual([1000, 1000, 1400, 1500]);
    checkFrames(k, pages);
  });

  it("without it (node has MIGRATION) the 100 folios move to the task's local node A first, then are pinned", () => {
    const { k, pages } = kernel({ opsC: [...MIGRATION_MEMPOLICY] });
    const p = k.spawn({ cpu: 0 });
    const a = boundRegion(p, 100, [2]);
    const hitA = k.stats.get("numa_hit", 0);
    expect(p.pinPages(a, 100 * P)).toBe(100);
    // Destinations from A's zonelist [A, B]: A has 1000 free, 100 fit above low (20) on A.
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 100 });
    expect(pinsOf(k, p, a, 100)).toEqual([1]);
    expect(k.stats.get("pgmigrate_success", 0)).toBe(100);
    expect(k.vmstat().pgmigrate_fail).toBe(0);
    expect(k.stats.get("numa_hit", 0) - hitA).toBe(100);
    expect([...k.buddy.free.slice(0, 4)]).toEqual([900, 1000, 1500, 1500]);
    checkFrames(k, pages);
  });

  it("without it and too little normal memory, what fits moves, the rest stays and the pin fails with ENOMEM", () => {
    const { k, pages } = kernel({ opsC: [...MIGRATION_MEMPOLICY] });
    const q = k.spawn({ cpu: 0 });
    // q fills A and B by the fast path down to low + 10 on B: A 980 pages (free 20), B 970 (free 30).
    const b = q.mmap(1950 * P);
    q.touch(b, 1950 * P);
    expect([k.buddy.free[0], k.buddy.free[1]]).toEqual([20, 30]);
    const p = k.spawn({ cpu: 0 });
    const a = boundRegion(p, 100, [2]);
    // 100 destinations from [A, B]: fast path at low gives A 0, B 10; slow path at min gives
    // A 10, B 10; no direct reclaim -> 30 move (10 to B, 10 to A, 10 to B, in page order), 70 fail.
    const e = errorOf(() => p.pinPages(a, 100 * P));
    expect(e).toBeInstanceOf(SyscallError);
    expect((e as SyscallError).errno).toBe("ENOMEM");
    expect(e.message).toMatch(/70 page\(s\) are on private memory nodes without NP_OPS_LONGTERM_PIN .*no normal-node page was free for 70 of them; 30 page\(s\) did move/);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 10, 1: 20, 2: 70 });
    expect([k.stats.get("pgmigrate_success", 0), k.stats.get("pgmigrate_success", 1), k.stats.get("pgmigrate_fail", 2)]).toEqual([10, 20, 70]);
    expect(pinsOf(k, p, a, 100)).toEqual([0]);
    expect([...k.buddy.free.slice(0, 4)]).toEqual([10, 10, 1430, 1500]);
    checkFrames(k, pages);
  });

  it("folios on a private node without MIGRATION cannot move: ENOMEM, as the RFC says, nothing pinned", () => {
    // D has DEMOTION only. BIND{B} fills B by 990 pages (fast path to low 20, slow path to min
    // 10, waking B's kswapd); kswapd's first round demotes the 32 oldest pages (no access rates:
    // none referenced) to D, B's only lower-tier node (§5.3), and B is then balanced (42 >= 30).
    const { k, pages } = kernel({ opsC: [...MIGRATION_MEMPOLICY], opsD: ["DEMOTION"] });
    k.sysfs.write("/sys/kernel/mm/numa/demotion_enabled", "true");
    const p = k.spawn({ cpu: 4 });
    const a = boundRegion(p, 990, [1]);
    k.advance("1s");
    expect(countsAt(p.numaMaps(), a)).toEqual({ 1: 958, 3: 32 });
    const e = errorOf(() => p.pinPages(a, 990 * P));
    expect((e as SyscallError).errno).toBe("ENOMEM");
    expect(e.message).toMatch(/32 page\(s\) .*node\(s\) 3 lack NP_OPS_MIGRATION.*; 0 page\(s\) did move/);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 1: 958, 3: 32 });
    expect(k.stats.get("pgmigrate_fail", 3)).toBe(32);
    expect(pinsOf(k, p, a, 990)).toEqual([0]);
    checkFrames(k, pages);
  });
});

describe("NP_OPS_RECLAIM (patch 16): reclaim scans a private node only with the flag", () => {
  // C has 500 pages; BIND{C} 490 pages take it down to min (10): fast path to low, slow path to
  // min, no kswapd on private nodes. One more BIND{C} page fails low and min, so direct reclaim
  // gets the walk [C]. 256 swap slots; no access rates, so every scanned page is unreferenced.
  function fill(ops: readonly string[]): { k: Kernel; pages: number[]; p: Process; a: number } {
    const { k, pages } = kernel({ opsC: ops, pagesC: 500 });
    k.reclaim.swapon("1MiB");
    const p = k.spawn({ cpu: 0 });
    const a = boundRegion(p, 490, [2]);
    expect(k.buddy.free[2]).toBe(10);
    return { k, pages, p, a };
  }

  it("without RECLAIM direct reclaim skips C: nothing scanned, the fault OOMs", () => {
    const { k, pages, p } = fill([...MIGRATION_MEMPOLICY]);
    const b = p.mmap(P);
    p.mbind(b, P, "MPOL_BIND", [2]);
    expect(() => p.touch(b, P)).toThrow(OomKilledError);
    expect([k.stats.get("allocstall_movable", 0), k.stats.get("pgscan_direct", 2), k.stats.get("pswpout", 2)]).toEqual([1, 0, 0]);
    expect(k.reclaim.swap.used).toBe(0);
    checkFrames(k, pages);
  });

  it("with RECLAIM direct reclaim swaps 32 of C's pages out (one round) and the fault lands on C", () => {
    const { k, pages, p, a } = fill([...MIGRATION_MEMPOLICY, "RECLAIM"]);
    const b = p.mmap(P);
    p.mbind(b, P, "MPOL_BIND", [2]);
    p.touch(b, P);
    // nr_to_reclaim = SWAP_CLUSTER_MAX = 32: the first round's 32 candidates are anon pages
    // with swap room -> swapped; C: 10 + 32 free, the retry takes 1 -> 41.
    expect([k.stats.get("pgscan_direct", 2), k.stats.get("pgsteal_direct", 2), k.stats.get("pswpout", 2)]).toEqual([32, 32, 32]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 2: 458 });
    expect(countsAt(p.numaMaps(), b)).toEqual({ 2: 1 });
    expect([k.buddy.free[2], k.reclaim.swap.used]).toEqual([41, 32]);
    expect(k.buddy.kswapdWakeups[2]).toBe(0);
    checkFrames(k, pages);
  });

  it("the owner's reclaimNode(C, 40) frees 40 pages in rounds of 32 + 8, counted as kswapd's; without RECLAIM it is refused", () => {
    const { k, pages, p, a } = fill([...MIGRATION_MEMPOLICY, "RECLAIM"]);
    expect(k.reclaim.reclaimNode(2, 40)).toBe(40);
    expect([k.stats.get("pgscan_kswapd", 2), k.stats.get("pgsteal_kswapd", 2), k.stats.get("pswpout", 2)]).toEqual([40, 40, 40]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 2: 450 });
    expect(k.buddy.free[2]).toBe(50);
    checkFrames(k, pages);

    const off = fill([...MIGRATION_MEMPOLICY]);
    expect(() => off.k.reclaim.reclaimNode(2, 40)).toThrow(UsageError);
    expect(() => off.k.reclaim.reclaimNode(2, 40)).toThrow(/node 2 is a private memory node without NP_OPS_RECLAIM.*Fix: add RECLAIM/);
    expect([off.k.stats.get("pgscan_kswapd", 2), off.k.stats.get("pswpout", 2)]).toEqual([0, 0]);
    expect(countsAt(off.p.numaMaps(), off.a)).toEqual({ 2: 490 });
    checkFrames(off.k, off.pages);
  });

  it("reclaimNode checks its arguments", () => {
    const { k } = fill([...MIGRATION_MEMPOLICY, "RECLAIM"]);
    expect(() => k.reclaim.reclaimNode(7, 32)).toThrow(/must have memory/);
    expect(() => k.reclaim.reclaimNode(2, 0)).toThrow(/positive whole number/);
    expect(k.reclaim.reclaimNode(0, 32)).toBe(0); // A holds nothing
  });
});

describe("NP_OPS_OOM_ELIGIBLE (patch 17): private-node memory counts for the OOM killer only with the flag", () => {
  // p1 holds 300 pages on C (BIND{C}), p2 250 on A (local first touch); the OOM of p3 (on B,
  // nothing resident) is unconstrained, so both are candidates and the larger badness dies.
  function run(ops: readonly string[]): { k: Kernel; pages: number[]; p1: Process; p2: Process } {
    const { k, pages } = kernel({ opsC: ops });
    const p1 = k.spawn({ cpu: 0 });
    boundRegion(p1, 300, [2]);
    const p2 = k.spawn({ cpu: 1 });
    const a2 = p2.mmap(250 * P);
    p2.touch(a2, 250 * P);
    k.outOfMemory(k.spawn({ cpu: 4 }), null);
    return { k, pages, p1, p2 };
  }

  it("with OOM_ELIGIBLE p1's 300 private pages outweigh p2's 250: p1 is killed and C is free again", () => {
    const { k, pages, p1, p2 } = run([...MIGRATION_MEMPOLICY, "RECLAIM", "DEMOTION", "OOM_ELIGIBLE"]);
    expect(k.oomKills).toEqual([{ pid: p1.pid, constrained: false, freedPages: 300 }]);
    expect(p2.rss()).toBe(250);
    expect([k.buddy.free[0], k.buddy.free[2]]).toEqual([750, 1500]);
    expect(k.stats.get("oom_kill", 1)).toBe(1);
    checkFrames(k, pages);
  });

  it("without it p1 scores 0 (its pages are all on C) and p2 is killed instead", () => {
    const { k, pages, p1, p2 } = run([...MIGRATION_MEMPOLICY, "RECLAIM", "DEMOTION"]);
    expect(k.oomKills).toEqual([{ pid: p2.pid, constrained: false, freedPages: 250 }]);
    expect(p1.rss()).toBe(300);
    expect([k.buddy.free[0], k.buddy.free[2]]).toEqual([1000, 1200]);
    checkFrames(k, pages);
  });
});

describe("NP_OPS_COMPACTION (patch 19): accepted and validated, no effect (tiersim models no compaction)", () => {
  // BIND{C} over a 2 MiB-aligned 4 MiB MADV_HUGEPAGE region: two THP folios from C's free
  // count (1500 - 512 = 988 >= low, 988 - 512 = 476 >= low). Nothing else differs with the flag.
  function run(ops: readonly string[]): { k: Kernel; pages: number[]; maps: string } {
    const { k, pages } = kernel({ opsC: ops });
    k.thp.enabled = "madvise";
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(1024 * P, { addr: 0x40000000 });
    p.madvise(a, 1024 * P, "MADV_HUGEPAGE");
    p.mbind(a, 1024 * P, "MPOL_BIND", [2]);
    p.touch(a, 1024 * P, { write: true });
    k.advance("10s");
    expect(k.stats.get("thp_fault_alloc", 2)).toBe(2);
    expect(k.buddy.free[2]).toBe(476);
    checkFrames(k, pages);
    return { k, pages, maps: p.numaMaps() };
  }

  it("COMPACTION requires MIGRATION at boot like in the table", () => {
    expect(() => kernel({ opsC: ["COMPACTION"] })).toThrow(/COMPACTION requires MIGRATION \(.*patch 19.*\)\. Fix: add MIGRATION or remove COMPACTION/);
  });

  it("the same THP run with and without COMPACTION gives the same vmstat and placement", () => {
    const off = run([...MIGRATION_MEMPOLICY]);
    const on = run([...MIGRATION_MEMPOLICY, "COMPACTION"]);
    expect(on.k.vmstat()).toEqual(off.k.vmstat());
    expect(on.maps).toEqual(off.maps);
    expect([...on.k.buddy.free]).toEqual([...off.k.buddy.free]);
  });
});
