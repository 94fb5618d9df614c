/**
 * The CLOCK hand's per-frame rules (lru.ts header; kernel-model.md §5.3 "inactive, not
 * recently referenced"), on frames made by hand on node 0 of the small twoSocketCxl.
 */
import { describe, expect, it } from "vitest";
import { Random } from "../../../src/core/random.js";
import { PG_ANON, PG_FILE, PG_KERNEL } from "../../../src/kernel/frames.js";
import { LruClock } from "../../../src/kernel/reclaim/lru.js";
import { PIN_COLUMN } from "../../../src/kernel/numab/columns.js";
import { smallCxl } from "./helpers.js";

const ALL = { anon: true, file: true };

describe("LruClock", () => {
  it("gives referenced inactive pages a second chance and deactivates unreferenced active ones", () => {
    const k = smallCxl();
    const hot = k.frames.alloc(0, PG_ANON);
    const cold = k.frames.alloc(0, PG_ANON);
    k.access.set(hot, { pid: 7, share: 1, sweep: null, writeShare: 0 });
    k.access.setTaskRate(7, 1e6);
    const lru = new LruClock(k.frames, k.access, new Random(1));
    const out = new Int32Array(4);
    // t = 1 s since boot: hot referenced with p = 1 - exp(-1e6) = 1 -> activated; cold -> candidate.
    let r = lru.scan(0, 1e9, ALL, out, 4, 2);
    expect(r).toEqual({ candidates: 1, scanned: 2, visited: 2 });
    expect(out[0]).toBe(cold);
    expect(lru.activated).toBe(1);
    expect(lru.sizes(0)).toEqual({ active: 1, inactive: 1 });
    // The hot page stops being touched: the next look finds it active and unreferenced.
    k.access.setTaskRate(7, 0);
    r = lru.scan(0, 2e9, ALL, out, 4, 2);
    expect(lru.deactivated).toBe(1);
    expect(r).toEqual({ candidates: 1, scanned: 1, visited: 2 });
    expect(lru.sizes(0)).toEqual({ active: 0, inactive: 2 });
  });

  it("skips free frames, other nodes, kernel frames, pinned frames and LRUs outside the scope", () => {
    const k = smallCxl();
    const freed = k.frames.alloc(0, PG_ANON);
    const other = k.frames.alloc(1, PG_ANON);
    const kern = k.frames.alloc(0, PG_KERNEL);
    const pinned = k.frames.alloc(0, PG_ANON);
    const anon = k.frames.alloc(0, PG_ANON);
    const file = k.frames.alloc(0, PG_FILE);
    k.frames.release(freed);
    k.frames.column(PIN_COLUMN, Uint16Array, { clearOnFree: true })[pinned] = 1;
    const lru = new LruClock(k.frames, k.access, new Random(1));
    const out = new Int32Array(8);
    let r = lru.scan(0, 1e9, { anon: false, file: true }, out, 8, 6);
    expect(r).toEqual({ candidates: 1, scanned: 1, visited: 6 });
    expect(out[0]).toBe(file);
    r = lru.scan(0, 1e9, ALL, out, 8, 6);
    expect([...out.subarray(0, r.candidates)]).toEqual([anon, file]);
    expect(other).toBeGreaterThan(0);
    expect(kern).toBeGreaterThan(0);
  });

  it("clears its state when a frame is freed, so a reused id starts inactive", () => {
    const k = smallCxl();
    const f = k.frames.alloc(0, PG_ANON);
    const lru = new LruClock(k.frames, k.access, new Random(1));
    lru.activate(f);
    expect(lru.sizes(0)).toEqual({ active: 1, inactive: 0 });
    k.frames.release(f);
    expect(k.frames.alloc(0, PG_ANON)).toBe(f);
    expect(lru.sizes(0)).toEqual({ active: 0, inactive: 1 });
  });

  it("visits each frame at most once per call, so no frame is a candidate twice", () => {
    // Found by the soak: with a budget larger than the table the hand lapped, met its own
    // candidates again (looked at "now", so unreferenced) and reclaim demoted them twice.
    const k = smallCxl();
    const a = k.frames.alloc(0, PG_ANON);
    const b = k.frames.alloc(0, PG_ANON);
    const lru = new LruClock(k.frames, k.access, new Random(1));
    const out = new Int32Array(8);
    const r = lru.scan(0, 1e9, ALL, out, 8, 100);
    expect(r).toEqual({ candidates: 2, scanned: 2, visited: 2 });
    expect([...out.subarray(0, 2)]).toEqual([a, b]);
  });
});
