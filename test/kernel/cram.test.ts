/**
 * Compressed RAM on a private node (CRAM, RFC v4 patch 23, seed 002, kernel-model.md §6.1):
 * folios arrive only via demotion through the owner's migrate_to, capacity follows the data's
 * compression ratio, backpressure refuses demotion at the boost point, writes fault and promote
 * to DRAM, freed frames release their media, and nothing is lost.
 *
 * Machine: node 0 = socket (CPUs 0-1, DRAM); node 1 = CRAM private node (owner "cram") behind a
 * CXL link at SLIT distance 14; optionally node 2 = plain CXL expander, same device and link
 * (same tier as node 1) but at distance 24, so node 0's preferred demotion target is node 1
 * alone (§5.2: the first distance found) and node 2 is the other lower-tier node. Pages and
 * watermarks are forced per test (tinyTopology style).
 */
import { describe, expect, it } from "vitest";
import { boot } from "../../src/kernel/boot.js";
import type { Kernel } from "../../src/kernel/kernel.js";
import { topology } from "../../src/topology/builder.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import type { KernelTopology, Watermarks } from "../../src/topology/types.js";

const P = 4096;
const MiB = 1024 * 1024;
const DEV = { capacity: "1GiB", readBandwidth: 20, idleLatency: 250 } as const;
const LINK = { readBandwidth: 26, latency: 40 } as const;

interface CramOpts {
  readonly ops?: readonly string[];
  readonly compression?: { ratio?: number; boostAt?: number; deviceCapacity?: string | number };
  readonly withCxl?: boolean;
  readonly pages: readonly number[];
  readonly wm: readonly Watermarks[];
}

function cramTopology(o: CramOpts): KernelTopology {
  let b = topology("cram-test")
    .socket(0, { cpus: 2, memory: { capacity: "1GiB", readBandwidth: 100, idleLatency: 100 } })
    .privateNode({ socket: 0, node: 1, owner: "cram", ops: o.ops ?? ["MIGRATION", "DEMOTION", "PROTECT_WRITE"], memory: DEV, link: LINK, compression: o.compression ?? { ratio: 2, boostAt: 1, deviceCapacity: "64MiB" } });
  if (o.withCxl) b = b.cxl({ socket: 0, node: 2, memory: DEV, link: LINK }).distances([[10, 14, 24], [14, 10, 26], [24, 26, 10]]);
  const base = deriveKernelTopology(b.build());
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === "managedPages") return (n: number) => o.pages[n]!;
      if (prop === "watermarks") return (n: number) => o.wm[n]!;
      return Reflect.get(target, prop, receiver);
    },
  });
}

function cramKernel(o: CramOpts): Kernel {
  const k = boot(cramTopology(o), { kernel: "v6.16" });
  k.sysfs.write("/sys/kernel/mm/numa/demotion_enabled", "true");
  return k;
}

const WM = (min: number, low: number, high: number): Watermarks => ({ min, low, high, promo: high + 10 });

/** Frames per node, by walking every live frame (test-only O(frames)). */
function framesPerNode(k: Kernel): number[] {
  const out = k.topo.nodeIds.map(() => 0);
  for (let f = 1; f < k.frames.highWater; f++) if (k.frames.flags[f]) out[k.frames.node[f]!]!++;
  return out;
}

/**
 * No page lost: on every node, allocated frames + free pages == managed pages; on the CRAM
 * node, the media in use == the sum over its stored frames of their charge (1/ratio), and the
 * stored count == the frames there.
 */
function checkInvariants(k: Kernel, pages: readonly number[]): void {
  const per = framesPerNode(k);
  for (const n of k.topo.nodeIds) expect(per[n]! + k.buddy.free[n]!, `node ${n}`).toBe(pages[n]);
  let charged = 0;
  for (let f = 1; f < k.frames.highWater; f++) if (k.frames.flags[f] && k.frames.node[f] === 1) charged += k.cram.chargedPages(f);
  const s = k.cram.state(1);
  expect(s.usedPages).toBeCloseTo(charged, 9);
  expect(s.storedPages).toBe(per[1]);
}

describe("CRAM capacity follows the compression ratio", () => {
  // DRAM 60000 pages, min 10 / low 20 / high 55000: touching 59990 pages takes the fast path
  // down to low (59980) and the slow path to min (10 more), waking kswapd on node 0, which
  // must free 54990 pages. The CRAM node has 60000 nominal pages (min 10) and a 64 MiB device
  // (16384 pages of media) with boostAt 1. A folio of ratio r takes 1/r page of media, so the
  // device holds 16384 x 2 = 32768 folios at 2:1 and 16384 x 3 = 49152 at 3:1; both are below
  // the nominal 59990, so the media is the limit. Every later folio is refused; with no other
  // lower-tier node and no swap, kswapd keeps them (activate) and finally gives up.
  const pages = [60000, 60000];
  const wm = [WM(10, 20, 55000), WM(10, 20, 30)];
  it.each([
    ["the device default 2:1", 2, 0, 32768],
    ["3:1 data (per-frame ratio)", 2, 3, 49152],
  ])("64 MiB device, %s: exactly the hand-derived count stored", (_label, deviceRatio, dataRatio, expected) => {
    const k = cramKernel({ pages, wm, compression: { ratio: deviceRatio, boostAt: 1, deviceCapacity: 64 * MiB } });
    expect(k.cram.capacityPages(1, dataRatio || deviceRatio)).toBe(expected);
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(59990 * P);
    p.touch(a, 59990 * P);
    if (dataRatio) {
      const v = p.mm.find(a / P)!;
      k.cram.setRatio(Int32Array.from({ length: v.pages }, (_, i) => v.frame(i)), dataRatio);
    }
    expect(k.buddy.kswapdAwake[0]).toBe(1);
    k.advance("20s");
    expect(k.cram.state(1).storedPages).toBe(expected);
    expect(k.cram.state(1).usedPages).toBeCloseTo(16384, 6);
    expect(k.stats.get("cram_stored", 1)).toBe(expected);
    expect(k.stats.get("pgdemote_kswapd", 0)).toBe(expected);
    expect(k.reclaim.demotedPages(0, 1)).toBe(expected);
    expect(k.stats.get("cram_refused", 1)).toBeGreaterThan(0);
    expect([k.buddy.free[0], k.buddy.free[1]]).toEqual([10 + expected, 60000 - expected]);
    expect(k.cram.state(1).backpressure).toBe(true);
    checkInvariants(k, pages);
  });
});

describe("backpressure: refusal at the boost point, then the fallbacks", () => {
  // Device 64 pages of media, boostAt 0.5: the gate is 32 media pages; at 2:1 (1/2 page each)
  // exactly 64 folios fit (used 64 x 0.5 = 32 <= 32; the 65th would make 32.5 > 32).
  // DRAM 1000 pages, min 10 / low 20 / high 200: touching 990 pages leaves 10 free and wakes
  // kswapd, which frees rounds of 32 until free >= 200: 10 + 6 x 32 = 202, i.e. 6 rounds, 192
  // pages. Rounds 1-2 go to CRAM (64 stored); rounds 3-6 are refused (cram_refused 128).
  const pages = [1000, 1000, 1000];
  const wm = [WM(10, 20, 200), WM(10, 20, 30), WM(10, 20, 30)];
  const compression = { ratio: 2, boostAt: 0.5, deviceCapacity: 64 * P };

  it("refused folios fall back to the other lower-tier node (node 2) in the same kswapd run", () => {
    const k = cramKernel({ pages, wm, compression, withCxl: true });
    expect(k.topo.demotionTargets(0)).toEqual([1]);
    expect(k.topo.lowerTierNodes(0)).toEqual([1, 2]);
    expect(k.cram.capacityPages(1)).toBe(64);
    const p = k.spawn({ cpu: 0 });
    // BIND{0}: node 2 is in node 0's fallback list, the task policy keeps the touch on node 0
    // (demotion ignores it, §5.3).
    p.setMempolicy("MPOL_BIND", [0]);
    const a = p.mmap(990 * P);
    p.touch(a, 990 * P);
    k.advance("1s");
    expect(k.stats.get("cram_stored", 1)).toBe(64);
    expect(k.stats.get("cram_refused", 1)).toBe(128);
    expect(k.reclaim.demotions()).toEqual([{ from: 0, to: 1, pages: 64 }, { from: 0, to: 2, pages: 128 }]);
    expect(k.stats.get("pgdemote_kswapd", 0)).toBe(192);
    expect(k.stats.get("pgmigrate_fail", 0)).toBe(0);
    expect([...k.buddy.free.slice(0, 3)]).toEqual([202, 1000 - 64, 1000 - 128]);
    expect(k.cram.state(1)).toMatchObject({ storedPages: 64, usedPages: 32, boostPages: 32, backpressure: true });
    checkInvariants(k, pages);
  });

  it("with no other target, refused folios go to normal reclaim: swapped out with swap, kept without", () => {
    const k = cramKernel({ pages: pages.slice(0, 2), wm: wm.slice(0, 2), compression });
    k.reclaim.swapon(1000 * P);
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(990 * P);
    p.touch(a, 990 * P);
    k.advance("1s");
    expect(k.stats.get("cram_stored", 1)).toBe(64);
    expect(k.stats.get("cram_refused", 1)).toBe(128);
    expect(k.stats.get("pgdemote_kswapd", 0)).toBe(64);
    expect(k.stats.get("pswpout", 0)).toBe(128);
    expect(k.stats.get("pgsteal_kswapd", 0)).toBe(192);
    expect(k.stats.get("pgmigrate_fail", 0)).toBe(128);
    checkInvariants(k, pages.slice(0, 2));
  });
});

describe("demotion into a CRAM node only with DEMOTION", () => {
  it("without DEMOTION the node is outside the tiers: node 0 demotes to node 2 only", () => {
    const pages = [1000, 1000, 1000];
    const k = cramKernel({ pages, wm: [WM(10, 20, 200), WM(10, 20, 30), WM(10, 20, 30)], withCxl: true, ops: ["MIGRATION", "PROTECT_WRITE"] });
    expect(k.topo.lowerTierNodes(0)).toEqual([2]);
    const p = k.spawn({ cpu: 0 });
    p.setMempolicy("MPOL_BIND", [0]);
    const a = p.mmap(990 * P);
    p.touch(a, 990 * P);
    k.advance("1s");
    expect(k.reclaim.demotions()).toEqual([{ from: 0, to: 2, pages: 192 }]);
    expect(k.stats.get("cram_stored", 1) + k.stats.get("cram_refused", 1)).toBe(0);
    checkInvariants(k, pages);
  });

  it("user migration onto the CRAM node is refused: folios arrive only via demotion", () => {
    const k = cramKernel({ pages: [1000, 1000], wm: [WM(10, 20, 30), WM(10, 20, 30)] });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(4 * P);
    p.touch(a, 4 * P);
    expect(p.movePages(0, [a, a + P], [1, 1])).toEqual([-12, -12]); // -ENOMEM
    expect(p.migratePages(0, [0], [1])).toBe(4);
    expect(framesPerNode(k)).toEqual([4, 0]);
  });
});

describe("write faults promote to DRAM", () => {
  // The backpressure machine without node 2: 64 folios stored on CRAM; the 128 refused folios
  // stay on node 0 (no swap), so node 0 has 10 + 64 = 74 free after kswapd gives up.
  const pages = [1000, 1000];
  const wm = [WM(10, 20, 200), WM(10, 20, 30)];
  const compression = { ratio: 2, boostAt: 0.5, deviceCapacity: 64 * P };
  function filled(): { k: Kernel; p: ReturnType<Kernel["spawn"]>; a: number; onCram: number[] } {
    const k = cramKernel({ pages, wm, compression });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(990 * P);
    p.touch(a, 990 * P);
    k.advance("1s");
    const v = p.mm.find(a / P)!;
    const onCram: number[] = [];
    for (let i = 0; i < v.pages; i++) if (k.frames.node[v.frame(i)] === 1) onCram.push(i);
    expect(onCram).toHaveLength(64);
    return { k, p, a, onCram };
  }

  it("touch(write) of every page: the 64 CRAM folios take a write fault each and move to node 0; reads do not", () => {
    const { k, p, a } = filled();
    p.touch(a, 990 * P, { write: false });
    expect(k.stats.get("cram_write_faults", 1)).toBe(0);
    p.touch(a, 990 * P, { write: true });
    // Node 0 has 74 free: 54 promotions on the fast path (down to low 20), 10 on the slow
    // path (down to min 10), all 64 succeed.
    expect(k.stats.get("cram_write_faults", 1)).toBe(64);
    expect(k.stats.get("cram_promotions", 1)).toBe(64);
    expect(k.stats.get("cram_promote_fail", 1)).toBe(0);
    expect(k.stats.get("pgmigrate_success", 0)).toBe(64);
    expect(framesPerNode(k)).toEqual([990, 0]);
    expect([k.buddy.free[0], k.buddy.free[1]]).toEqual([10, 1000]);
    expect(k.cram.state(1)).toMatchObject({ storedPages: 0, usedPages: 0 });
    expect(k.costs.taskBreakdown(p.pid).migrate).toBeGreaterThan(0);
    checkInvariants(k, pages);
  });

  it("from access rates: every stored folio with stores faults (mean 2 us, 1 s run), the read-only ones stay", () => {
    const { k, p, a, onCram } = filled();
    const v = p.mm.find(a / P)!;
    // Node 0 has 74 free, so 40 promotions stay on the fast path (74 - 40 = 34 >= low 20).
    // 40 of the CRAM folios are written (writeShare 0.5), 24 only read; share 1/990 each of a
    // task doing 1e9 accesses/s: ~1e6 accesses/s per page, stores every ~2 us. The rate is set
    // after the access (the folios wait for it), then each stored writer faults within 1 s with
    // probability 1 - exp(-5e5) = 1: exactly 40 faults, 40 promotions, 24 stored (12 pages of media).
    const writers = new Set(onCram.slice(0, 40));
    for (let i = 0; i < v.pages; i++) k.access.set(v.frame(i), { pid: p.tgid, share: 1 / 990, sweep: null, writeShare: writers.has(i) ? 0.5 : 0 });
    k.access.setTaskRate(p.tgid, 1e9);
    k.advance("1s");
    expect(k.stats.get("cram_write_faults", 1)).toBe(40);
    expect(k.stats.get("cram_promotions", 1)).toBe(40);
    expect(k.cram.state(1)).toMatchObject({ storedPages: 24, usedPages: 12 });
    for (const i of onCram) expect(k.frames.node[v.frame(i)]).toBe(writers.has(i) ? 0 : 1);
    checkInvariants(k, pages);
  });

  it("a promotion with no DRAM page free fails (cram_promote_fail) and the folio stays compressed", () => {
    const { k, p, a, onCram } = filled();
    // Fill node 0 down to min with a second mapping: 74 - 10 = 64 more pages.
    const b = p.mmap(64 * P);
    p.touch(b, 64 * P);
    expect(k.buddy.free[0]).toBe(10);
    p.touch(a + onCram[0]! * P, P, { write: true });
    expect(k.stats.get("cram_write_faults", 1)).toBe(1);
    expect(k.stats.get("cram_promote_fail", 1)).toBe(1);
    expect(k.cram.state(1).storedPages).toBe(64);
    checkInvariants(k, pages);
  });
});

describe("freeing on CRAM", () => {
  it("munmap of the region frees every stored frame and its media (cram_freed)", () => {
    const pages = [1000, 1000];
    const k = cramKernel({ pages, wm: [WM(10, 20, 200), WM(10, 20, 30)], compression: { ratio: 2, boostAt: 0.5, deviceCapacity: 64 * P } });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(990 * P);
    p.touch(a, 990 * P);
    k.advance("1s");
    p.munmap(a, 990 * P);
    expect(k.stats.get("cram_freed", 1)).toBe(64);
    expect(k.cram.state(1)).toMatchObject({ storedPages: 0, usedPages: 0 });
    expect([k.buddy.free[0], k.buddy.free[1]]).toEqual([1000, 1000]);
    checkInvariants(k, pages);
  });
});
