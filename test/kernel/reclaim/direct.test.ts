/**
 * Direct reclaim (kernel-model.md §1.8 step 3, §5.3 pgdemote_direct) on the small
 * twoSocketCxl (1000 pages per node, watermarks 10/20/30).
 */
import { describe, expect, it } from "vitest";
import { OomKilledError } from "../../../src/kernel/signals.js";
import { bound, checkInvariants, framesOf, nodesOf, smallCxl } from "./helpers.js";

describe("direct reclaim", () => {
  it("reclaims 32 pages per stall on the zonelist nodes, demoting as pgdemote_direct", () => {
    const k = smallCxl();
    k.sysfs.write("/sys/kernel/mm/numa/demotion_enabled", "true");
    const p = k.spawn({ cpu: 0 });
    const old = bound(p, 900, [0]); // free 100
    bound(p, 150, [0]);
    // 80 above low (free 20); kswapd(0) woken (an event, not yet run); 10 above min (free 10);
    // 60 left: stall 1 demotes 32 old pages to node 2, 32 taken above min; 28 left: stall 2
    // demotes 32 more, 28 taken: free 10 + 32 - 28 = 14.
    let v = k.vmstat();
    expect(v.allocstall_movable).toBe(2);
    expect(v.pgdemote_direct).toBe(64);
    expect(v.pgscan_direct).toBe(64);
    expect(v.pgsteal_direct).toBe(64);
    expect(v.pgdemote_kswapd).toBe(0);
    expect(k.buddy.free[0]).toBe(14);
    expect(k.reclaim.demotedPages(0, 2)).toBe(64);
    expect(nodesOf(k, framesOf(p, old, 900))).toEqual({ 0: 836, 2: 64 });
    checkInvariants(k);
    // kswapd then needs 30 - 14 = 16 pages: one round of 32.
    k.advance("10ms");
    v = k.vmstat();
    expect(v.pgdemote_kswapd).toBe(32);
    expect(v.pgdemote_direct).toBe(64);
    expect(k.buddy.free[0]).toBe(46);
    checkInvariants(k);
  });

  it("frees nothing when nothing is reclaimable: one stall, then the constrained OOM", () => {
    const k = smallCxl();
    const p = k.spawn({ cpu: 0 });
    bound(p, 900, [0]);
    expect(() => bound(p, 150, [0])).toThrow(OomKilledError);
    const v = k.vmstat();
    expect(v.allocstall_movable).toBe(1);
    expect(v.pgscan_direct).toBe(0);
    expect(v.oom_kill).toBe(1);
    checkInvariants(k);
  });
});
