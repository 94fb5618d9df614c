/**
 * kswapd (kernel-model.md §1.8 step 2, §1.9, §5.3 last bullet, §7 event 4) on a small
 * twoSocketCxl: node 0 DRAM demotes to node 2 (CXL). Every page has access rate 0 unless set,
 * so every page the hand looks at is inactive and unreferenced: scanned = evicted.
 */
import { describe, expect, it } from "vitest";
import { PG_ANON } from "../../../src/kernel/frames.js";
import { KSWAPD_ROUNDS, SWAP_CLUSTER_MAX } from "../../../src/kernel/reclaim/reclaim.js";
import { bound, checkInvariants, framesOf, nodesOf, smallCxl } from "./helpers.js";

const BIG = { min: 100, low: 200, high: 300, promo: 400 };
const DEMOTE = "/sys/kernel/mm/numa/demotion_enabled";

describe("kswapd", () => {
  it("is woken by an allocation that fails low and demotes whole rounds of 32 until free >= high, then sleeps", () => {
    const k = smallCxl({ pages: 4000, wm: BIG });
    k.sysfs.write(DEMOTE, "true");
    const p = k.spawn({ cpu: 0 });
    const a = bound(p, 3850, [0]);
    // Fast path to low: 4000 - 200 = 3800 pages; every zonelist node ({0}) failed, so kswapd(0)
    // is woken and the last 50 come from above min: free = 150. kswapd runs as a clock event.
    expect(k.buddy.wakeLog).toEqual([0]);
    expect(k.buddy.free[0]).toBe(150);
    expect(k.reclaim.kswapdAwake(0)).toBe(true);
    expect(k.vmstat().pgscan_kswapd).toBe(0);
    k.advance("10ms");
    // high - free = 150 -> ceil(150 / 32) = 5 rounds of 32 = 160 pages demoted to node 2
    // (demotionTargets(0) = [2]); free = 310 >= 300. 5 rounds < 8 per event: one event.
    const v = k.vmstat();
    expect(SWAP_CLUSTER_MAX).toBe(32);
    expect(v.pgscan_kswapd).toBe(160);
    expect(v.pgsteal_kswapd).toBe(160);
    expect(v.pgdemote_kswapd).toBe(160);
    expect(k.stats.get("pgdemote_kswapd", 0)).toBe(160);
    expect(v.pgmigrate_success).toBe(160);
    expect(v.pgdemote_direct).toBe(0);
    expect(k.buddy.free[0]).toBe(310);
    expect(k.buddy.free[2]).toBe(3840);
    expect(k.reclaim.kswapdAwake(0)).toBe(false);
    expect(k.buddy.kswapdAwake[0]).toBe(0);
    expect(k.reclaim.kswapdRuns[0]).toBe(1);
    expect(k.reclaim.demotions()).toEqual([{ from: 0, to: 2, pages: 160 }]);
    expect(nodesOf(k, framesOf(p, a, 3850))).toEqual({ 0: 3690, 2: 160 });
    expect(k.frames.countOf(PG_ANON, 2)).toBe(160);
    // kswapd CPU: 150 ns per page scanned + 4000 ns per page demoted.
    expect(k.costs.kswapdNs(0)).toBe(160 * 150 + 160 * 4000);
    expect(k.costs.migrations()).toEqual([[0, 2, 160 * 4096]]);
    checkInvariants(k);
  });

  it("in tiering mode (numa_balancing bit 2) reclaims up to the promo watermark, over two events", () => {
    const k = smallCxl({ pages: 4000, wm: BIG, numaBalancing: 2 });
    k.sysfs.write(DEMOTE, "1");
    const p = k.spawn({ cpu: 0 });
    bound(p, 3850, [0]);
    expect(k.buddy.free[0]).toBe(150);
    // promo - free = 250 -> ceil(250 / 32) = 8 rounds = 256 pages. The first event does its 8
    // rounds (KSWAPD_ROUNDS) and lasts 256 * (150 + 4000) ns = 1.0624 ms; the second event
    // finds free = 406 >= 400 and sleeps.
    expect(KSWAPD_ROUNDS).toBe(8);
    k.advance("1ms");
    expect(k.vmstat().pgdemote_kswapd).toBe(256);
    expect(k.reclaim.kswapdAwake(0)).toBe(true);
    expect(k.reclaim.kswapdRuns[0]).toBe(1);
    k.advance("1ms");
    expect(k.reclaim.kswapdAwake(0)).toBe(false);
    expect(k.reclaim.kswapdRuns[0]).toBe(2);
    expect(k.vmstat().pgdemote_kswapd).toBe(256);
    expect(k.buddy.free[0]).toBe(406);
    checkInvariants(k);
  });

  it("with demotion disabled and no swap, anon is not reclaimable: nothing scanned, kswapd gives up after 16 runs", () => {
    const k = smallCxl({ pages: 4000, wm: BIG });
    const p = k.spawn({ cpu: 0 });
    const a = bound(p, 3850, [0]);
    k.advance("1s");
    // get_scan_count: no swap and no demotion -> anon LRU not scanned; no page cache -> each
    // round is empty = one failed run; 16 failures (MAX_RECLAIM_RETRIES) = 2 events of 8.
    const v = k.vmstat();
    expect([v.pgscan_kswapd, v.pgsteal_kswapd, v.pgdemote_kswapd, v.pswpout]).toEqual([0, 0, 0, 0]);
    expect(k.reclaim.kswapdAwake(0)).toBe(false);
    expect(k.reclaim.kswapdFailures[0]).toBe(16);
    expect(k.reclaim.kswapdRuns[0]).toBe(2);
    expect(k.buddy.free[0]).toBe(150);
    expect(nodesOf(k, framesOf(p, a, 3850))).toEqual({ 0: 3850 });
    // A hopeless node's kswapd is not woken again (wakeup_kswapd returns early).
    bound(p, 10, [0]);
    expect(k.buddy.kswapdWakeups[0]).toBe(2);
    expect(k.reclaim.kswapdAwake(0)).toBe(false);
    k.advance("1s");
    expect(k.reclaim.kswapdRuns[0]).toBe(2);
    checkInvariants(k);
  });
});
