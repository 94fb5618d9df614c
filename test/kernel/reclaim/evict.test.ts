/**
 * Reclaim without demotion (kernel-model.md §5.3 "normal reclaim (swap for anon if swap
 * exists, writeback/drop for file)") on the small twoSocketCxl (1000 pages per node,
 * watermarks 10/20/30): clean page cache is dropped, anon is swapped out only with swap.
 */
import { describe, expect, it } from "vitest";
import { PG_ANON, PG_FILE } from "../../../src/kernel/frames.js";
import { NO_PAGE, SWAP_PAGE } from "../../../src/kernel/objects.js";
import { bound, checkInvariants, P, smallCxl } from "./helpers.js";

describe("reclaim without demotion", () => {
  it("drops clean page cache on a node with no lower tier; a later touch faults it in again", () => {
    const k = smallCxl();
    k.sysfs.write("/sys/kernel/mm/numa/demotion_enabled", "true"); // node 2 (CXL) has no lower tier anyway
    const p = k.spawn({ cpu: 0 });
    p.setMempolicy("MPOL_BIND", [2]); // page cache follows the task policy (§1.3)
    const file = k.file("/data/db", 600 * P);
    const fa = p.mmap(600 * P, { file, shared: true });
    p.touch(fa, 600 * P, { write: false });
    p.munmap(fa, 600 * P); // unmapped, clean page cache: 600 pages on node 2
    const a = p.mmap(385 * P);
    p.touch(a, 385 * P); // 380 above low, kswapd(2) woken, 5 above min: free 15
    expect(k.buddy.wakeLog).toEqual([2]);
    k.advance("10ms");
    // Anon is not scannable (no swap, no lower tier); round 1 takes the first 32 file pages
    // under the hand (file indexes 0..31, allocated first) and drops them: free 47 >= 30.
    const v = k.vmstat();
    expect(v.pgscan_kswapd).toBe(32);
    expect(v.pgsteal_kswapd).toBe(32);
    expect(v.pgdemote_kswapd).toBe(0);
    expect(k.frames.countOf(PG_FILE, 2)).toBe(568);
    expect([...file.pages.subarray(0, 32)].every((f) => f === NO_PAGE)).toBe(true);
    expect([...file.pages.subarray(32, 600)].every((f) => f > 0)).toBe(true);
    expect(k.buddy.free[2]).toBe(47);
    checkInvariants(k);
    // Mapping and reading it again re-faults exactly the 32 dropped pages.
    const fb = p.mmap(600 * P, { file, shared: true });
    p.touch(fb, 600 * P, { write: false });
    expect(k.frames.countOf(PG_FILE, 2)).toBe(600);
    expect(k.buddy.free[2]).toBe(15);
    checkInvariants(k);
  });

  it("swaps anon pages out when swap is configured (pswpout) and back in on the next touch (pswpin)", () => {
    const k = smallCxl();
    k.reclaim.swapon(256 * P);
    expect(k.reclaim.swap.free).toBe(256);
    const p = k.spawn({ cpu: 0 });
    const a = bound(p, 985, [0]);
    k.advance("10ms");
    // Demotion disabled: the first 32 anon pages are swapped out; free 15 + 32 = 47.
    let v = k.vmstat();
    expect(v.pswpout).toBe(32);
    expect(v.pgsteal_kswapd).toBe(32);
    expect(v.pgdemote_kswapd).toBe(0);
    expect(k.reclaim.swap.used).toBe(32);
    expect(k.frames.countOf(PG_ANON, 0)).toBe(953);
    expect(p.nodeOf(a)).toBe(-1);
    const vma = p.mm.find(a / P)!;
    expect(vma.frame(0)).toBe(SWAP_PAGE);
    expect(vma.frame(32)).toBeGreaterThan(0);
    checkInvariants(k);
    // Touching the swapped range faults the 32 pages back in on node 0 (BIND{0}).
    p.touch(a, 32 * P);
    v = k.vmstat();
    expect(v.pswpin).toBe(32);
    expect(k.reclaim.swap.used).toBe(0);
    expect(p.nodeOf(a)).toBe(0);
    expect(k.frames.countOf(PG_ANON, 0)).toBe(985);
    expect(k.buddy.free[0]).toBe(15);
    // That touch woke kswapd again: it swaps out the next 32 (pages 32..63), then munmap
    // frees their slots.
    k.advance("10ms");
    expect(k.vmstat().pswpout).toBe(64);
    expect(k.reclaim.swap.used).toBe(32);
    expect(vma.frame(32)).toBe(SWAP_PAGE);
    p.munmap(a, 985 * P);
    expect(k.reclaim.swap.used).toBe(0);
    expect(k.buddy.free[0]).toBe(1000);
    checkInvariants(k);
  });

  it("a swap entry copied by fork is a second reference; the child's swap-in frees one", () => {
    const k = smallCxl();
    k.reclaim.swapon(256 * P);
    const p = k.spawn({ cpu: 0 });
    const a = bound(p, 985, [0]);
    k.advance("10ms");
    expect(k.reclaim.swap.used).toBe(32);
    const c = p.fork();
    expect(k.reclaim.swap.used).toBe(64);
    c.touch(a, 32 * P, { write: false });
    expect(k.vmstat().pswpin).toBe(32);
    expect(k.reclaim.swap.used).toBe(32);
    checkInvariants(k);
  });

  it("rejects a swapon of no pages", () => {
    const k = smallCxl();
    expect(() => k.reclaim.swapon(0)).toThrow(/swapon size/);
  });
});
