/**
 * Demotion (kernel-model.md §5.2, §5.3, §5.5; seed 000 "Demotions don't care about
 * mempolicy") on a small twoSocketCxl: 1000 pages per node, watermarks min 10 / low 20 /
 * high 30. A BIND{n} task that touches 985 pages leaves free = 15 (980 above low, then kswapd
 * is woken and 5 come from above min); kswapd then needs high - free = 15 pages: one round of
 * 32 demotions.
 */
import { describe, expect, it } from "vitest";
import { bound, checkInvariants, framesOf, nodesOf, P, smallCxl } from "./helpers.js";

const DEMOTE = "/sys/kernel/mm/numa/demotion_enabled";

describe("demotion", () => {
  it("twoSocketCxl: node 0 demotes to node 2 and node 1 to node 3", () => {
    const k = smallCxl();
    k.sysfs.write(DEMOTE, "true");
    expect(k.topo.demotionTargets(0)).toEqual([2]);
    expect(k.topo.demotionTargets(1)).toEqual([3]);
    expect(k.topo.lowerTierNodes(0)).toEqual([2, 3]);
    expect(k.topo.lowerTierNodes(2)).toEqual([]);
    const p0 = k.spawn({ cpu: 0 });
    const p1 = k.spawn({ cpu: 80 });
    const a0 = bound(p0, 985, [0]);
    const a1 = bound(p1, 985, [1]);
    expect(k.buddy.wakeLog).toEqual([0, 1]);
    k.advance("10ms");
    expect(k.stats.get("pgdemote_kswapd", 0)).toBe(32);
    expect(k.stats.get("pgdemote_kswapd", 1)).toBe(32);
    expect(k.reclaim.demotions()).toEqual([
      { from: 0, to: 2, pages: 32 },
      { from: 1, to: 3, pages: 32 },
    ]);
    expect(nodesOf(k, framesOf(p0, a0, 985))).toEqual({ 0: 953, 2: 32 });
    expect(nodesOf(k, framesOf(p1, a1, 985))).toEqual({ 1: 953, 3: 32 });
    expect([...k.buddy.free.slice(0, 4)]).toEqual([47, 47, 968, 968]);
    checkInvariants(k);
  });

  it("leaves long-term pinned pages where they are (pinPages): the first unpinned pages go instead", () => {
    // Same machine as above: 985 BIND{0} pages leave node 0 at 15 free (< low 20), kswapd wakes
    // and demotes one round of 32 to reach high (30). With the first 100 pages pinned, the hand
    // skips them and the round takes pages 100..131.
    const k = smallCxl();
    k.sysfs.write(DEMOTE, "true");
    const p0 = k.spawn({ cpu: 0 });
    const a0 = p0.mmap(985 * P);
    p0.mbind(a0, 985 * P, "MPOL_BIND", [0]);
    p0.touch(a0, 985 * P, { write: true });
    p0.pinPages(a0, 100 * P);
    k.advance("10ms");
    expect(k.stats.get("pgdemote_kswapd", 0)).toBe(32);
    const frames = framesOf(p0, a0, 985);
    expect(nodesOf(k, frames.subarray(0, 100))).toEqual({ 0: 100 });
    expect(nodesOf(k, frames.subarray(100, 132))).toEqual({ 2: 32 });
    checkInvariants(k);
  });

  it("demotes cold pages (rate 0) before hot pages: the hot set stays on DRAM", () => {
    const k = smallCxl({ wm: { min: 10, low: 20, high: 400, promo: 500 } });
    k.sysfs.write(DEMOTE, "true");
    k.advance("1s");
    const p = k.spawn({ cpu: 0 });
    // The hot set is touched first, so its frames (ids 1..300) are the first the hand meets.
    const hot = bound(p, 300, [0]);
    const cold = bound(p, 685, [0]);
    const hotFrames = framesOf(p, hot, 300);
    k.access.setMany(hotFrames, new Float64Array(300).fill(1 / 300), { pid: p.pid, sequential: false, writeShare: 0 });
    k.access.setTaskRate(p.pid, 3e8); // 1e6 accesses/s per hot page
    k.advance("10ms");
    // At t = 1 s a hot page was referenced with probability 1 - exp(-1e6 * 1 s) = 1.
    // high - free = 400 - 15 = 385 -> 13 rounds = 416 pages. Round 1 scans the 300 hot pages
    // (inactive, referenced -> activated) and 32 cold ones; rounds 2-13 take 384 more cold.
    const v = k.vmstat();
    expect(v.pgactivate).toBe(300);
    expect(v.pgscan_kswapd).toBe(300 + 416);
    expect(v.pgdemote_kswapd).toBe(416);
    expect(v.pgdeactivate).toBe(0);
    expect(nodesOf(k, hotFrames)).toEqual({ 0: 300 });
    expect(nodesOf(k, framesOf(p, cold, 685))).toEqual({ 0: 269, 2: 416 });
    expect(k.reclaim.lruSizes(0)).toEqual({ active: 300, inactive: 269 });
    expect(k.reclaim.lruSizes(2)).toEqual({ active: 0, inactive: 416 });
    // 8 rounds in the first event, 5 in the second, which then finds free = 431 >= 400.
    expect(k.reclaim.kswapdRuns[0]).toBe(2);
    expect(k.reclaim.kswapdAwake(0)).toBe(false);
    checkInvariants(k);
  });

  it("ignores mempolicy (mainline, seed 000): a BIND{0} task's pages are demoted to CXL", () => {
    const k = smallCxl();
    k.sysfs.write(DEMOTE, "true");
    const p = k.spawn({ cpu: 0 });
    p.setMempolicy("MPOL_BIND", [0]);
    const a = p.mmap(985 * P);
    p.touch(a, 985 * P);
    k.advance("10ms");
    expect(k.vmstat().pgdemote_kswapd).toBe(32);
    expect(nodesOf(k, framesOf(p, a, 985))).toEqual({ 0: 953, 2: 32 });
    expect(p.numaMaps()).toMatch(/bind:0 anon=985 dirty=985 N0=953 N2=32/);
    checkInvariants(k);
  });

  it("with demotionHonoursMempolicy, a BIND{0} page is not demoted; a BIND{0,2} page only to node 2", () => {
    const k = smallCxl({ behaviours: { demotionHonoursMempolicy: true } });
    k.sysfs.write(DEMOTE, "true");
    const p = k.spawn({ cpu: 0 });
    const only0 = bound(p, 985, [0]);
    k.advance("1s");
    // Every candidate's targets are [2, 3] ∩ {0} = []: none is demoted; without swap the
    // candidates are activated, and kswapd gives up after 16 revolutions without progress.
    const v = k.vmstat();
    expect(v.pgdemote_kswapd).toBe(0);
    expect(v.pgmigrate_success).toBe(0);
    expect(v.pgsteal_kswapd).toBe(0);
    expect(v.pgscan_kswapd).toBeGreaterThan(0);
    expect(k.reclaim.kswapdAwake(0)).toBe(false);
    expect(nodesOf(k, framesOf(p, only0, 985))).toEqual({ 0: 985 });
    expect(k.buddy.free[0]).toBe(15);
    checkInvariants(k);

    // Per page: the BIND{0,2} VMA (touched first, so first under the hand) may go to 2 only.
    const k2 = smallCxl({ behaviours: { demotionHonoursMempolicy: true } });
    k2.sysfs.write(DEMOTE, "true");
    const q = k2.spawn({ cpu: 0 });
    const b = bound(q, 485, [0, 2]); // all on node 0 (free 515 > low)
    const c = bound(q, 500, [0]); // 495 above low, kswapd woken, 5 above min: free 15
    k2.advance("10ms");
    expect(k2.vmstat().pgdemote_kswapd).toBe(32);
    expect(nodesOf(k2, framesOf(q, b, 485))).toEqual({ 0: 453, 2: 32 });
    expect(nodesOf(k2, framesOf(q, c, 500))).toEqual({ 0: 500 });
    checkInvariants(k2);
  });

  it("falls back to another lower-tier node when the target is full", () => {
    const k = smallCxl();
    k.sysfs.write(DEMOTE, "true");
    const filler = k.spawn({ cpu: 0 });
    bound(filler, 980, [2]); // node 2 down to low exactly (fast path only, no wake)
    expect(k.buddy.wakeLog).toEqual([]);
    const p = k.spawn({ cpu: 0 });
    bound(p, 985, [0]);
    k.advance("10ms");
    // Round 1, target 2 with __GFP_THISNODE: fast path fails at low, slow path wakes kswapd(2)
    // and takes 10 above min; the other 22 come from {2, 3} in node 2's zonelist order: node 3.
    expect(k.reclaim.demotions()).toEqual([
      { from: 0, to: 2, pages: 10 },
      { from: 0, to: 3, pages: 22 },
    ]);
    expect(k.buddy.wakeLog).toEqual([0, 2]);
    expect([...k.buddy.free.slice(0, 4)]).toEqual([47, 1000, 10, 978]);
    expect(k.vmstat().pgmigrate_fail).toBe(0);
    // kswapd(2): node 2 is in the last tier and there is no swap -> nothing to scan; gives up.
    expect(k.reclaim.kswapdAwake(2)).toBe(false);
    expect(k.stats.get("pgscan_kswapd", 2)).toBe(0);
    checkInvariants(k);
  });

  it("counts pgmigrate_fail when every lower-tier node is full; failed pages are activated", () => {
    const k = smallCxl();
    k.sysfs.write(DEMOTE, "true");
    const filler = k.spawn({ cpu: 0 });
    bound(filler, 980, [2]);
    bound(filler, 980, [3]);
    const p = k.spawn({ cpu: 0 });
    bound(p, 985, [0]);
    k.advance("10ms");
    // Round 1: 10 on node 2 (THISNODE, above min), then {2, 3}: node 2 is at min, node 3 gives
    // 10 above min after kswapd(3) is woken; 12 of 32 fail and are activated. Freed 20:
    // free = 35 >= 30, balanced.
    const v = k.vmstat();
    expect(k.reclaim.demotions()).toEqual([
      { from: 0, to: 2, pages: 10 },
      { from: 0, to: 3, pages: 10 },
    ]);
    expect(v.pgmigrate_fail).toBe(12);
    expect(v.pgactivate).toBe(12);
    expect(v.pgscan_kswapd).toBe(32);
    expect(k.stats.get("pgdemote_kswapd", 0)).toBe(20);
    expect(k.stats.get("pgsteal_kswapd", 0)).toBe(20);
    expect(k.buddy.wakeLog).toEqual([0, 2, 3]);
    expect([...k.buddy.free.slice(0, 4)]).toEqual([35, 1000, 10, 10]);
    expect(k.reclaim.kswapdAwake(0)).toBe(false);
    checkInvariants(k);
  });
});
