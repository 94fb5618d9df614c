/**
 * Reclaim cost grows with pages reclaimed: demoting 4 GiB (1,048,576 pages) from DRAM to CXL.
 */
import { describe, expect, it } from "vitest";
import { bound, checkInvariants, smallCxl } from "./helpers.js";

describe("reclaim scale", () => {
  it("kswapd demotes 4 GiB of cold pages in well under two seconds of wall time", () => {
    const pages = 1_200_000;
    const need = 1 << 20; // 4 GiB in 4 KiB pages
    // Fill to low exactly, then one more page: kswapd woken, free = low - 1 = 199.
    const k = smallCxl({ pages, wm: { min: 100, low: 200, high: 200 + need, promo: 300 + need } });
    k.sysfs.write("/sys/kernel/mm/numa/demotion_enabled", "true");
    const p = k.spawn({ cpu: 0 });
    bound(p, pages - 200 + 1, [0]);
    expect(k.buddy.free[0]).toBe(199);
    const t0 = performance.now();
    k.advance("60s");
    const ms = performance.now() - t0;
    // high - free = need + 1 -> ceil((2^20 + 1) / 32) = 32769 rounds.
    expect(k.vmstat().pgdemote_kswapd).toBe(32769 * 32);
    expect(k.reclaim.kswapdAwake(0)).toBe(false);
    checkInvariants(k);
    console.log(`demoting 4 GiB (${32769 * 32} pages): ${ms.toFixed(1)} ms wall, ${(k.clock.nowNs / 1e9).toFixed(0)} s simulated`);
    expect(ms).toBeLessThan(2000);
  });
});
