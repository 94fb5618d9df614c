/**
 * The pure NUMA-balancing rules: threshold adjustment and rate limit (§5.4), mpol_misplaced's
 * decision table (§4.6, seed 001) and update_task_scan_period (§4.11).
 */
import { describe, expect, it } from "vitest";
import type { Policy } from "../../../src/policy/types.js";
import { mpolMisplaced } from "../../../src/kernel/numab/misplaced.js";
import type { MisplacedInput } from "../../../src/kernel/numab/misplaced.js";
import { adjustThreshold, freshPromotion, rateLimited } from "../../../src/kernel/numab/promotion.js";
import { updateTaskScanPeriod } from "../../../src/kernel/numab/scanperiod.js";

describe("promotion threshold adjustment (§5.4 step 2)", () => {
  // 1 MB/s = 256 pages/s: refCand = 256 * 60 = 15360; > 16896 is too many, < 13824 too few.
  const o = { rateLimitPages: 256, hotThresholdMs: 1000, windowMs: 60000 };

  it("moves in 125 ms steps, looser up to 2000 ms, stricter down to 125 ms", () => {
    const pg = freshPromotion(0, 0);
    let t = 0;
    let cand = 0;
    const ths: number[] = [];
    const window = (add: number): void => {
      t += 60001;
      cand += add;
      adjustThreshold(pg, t, cand, o);
      ths.push(pg.thresholdMs);
    };
    for (let i = 0; i < 9; i++) window(0);
    expect(ths).toEqual([1125, 1250, 1375, 1500, 1625, 1750, 1875, 2000, 2000]);
    ths.length = 0;
    for (let i = 0; i < 17; i++) window(20000);
    expect(ths).toEqual([1875, 1750, 1625, 1500, 1375, 1250, 1125, 1000, 875, 750, 625, 500, 375, 250, 125, 125, 125]);
    ths.length = 0;
    window(15360); // within [0.9, 1.1] x refCand: unchanged
    expect(ths).toEqual([125]);
  });

  it("changes nothing until more than one window passed", () => {
    const pg = freshPromotion(0, 0);
    adjustThreshold(pg, 60000, 0, o);
    expect(pg).toMatchObject({ thresholdMs: 0, thStartMs: 0 });
    adjustThreshold(pg, 60001, 0, o);
    expect(pg).toMatchObject({ thresholdMs: 1125, thStartMs: 60001 });
  });
});

describe("promotion rate limit (§5.4 step 4)", () => {
  it("allows `limit` candidates per 1 s window, the window's first included", () => {
    const pg = freshPromotion(0, 0);
    // Limit 2 pages. Candidate 1 opens the window (rlNrCand = 1): 0 < 2. Candidate 2: 1 < 2.
    // Candidate 3: 2 >= 2 limited. At +1000 ms still the same window (strictly more needed).
    expect(rateLimited(pg, 100, 1, 2)).toBe(false);
    expect(rateLimited(pg, 200, 2, 2)).toBe(false);
    expect(rateLimited(pg, 300, 3, 2)).toBe(true);
    expect(rateLimited(pg, 1100, 4, 2)).toBe(true);
    // +1001 ms: new window at candidate 5.
    expect(rateLimited(pg, 1101, 5, 2)).toBe(false);
    expect(rateLimited(pg, 1102, 6, 2)).toBe(false);
    expect(rateLimited(pg, 1103, 7, 2)).toBe(true);
  });
});

describe("mpol_misplaced (§4.6)", () => {
  const pol = (mode: Policy["mode"], nodes: number[], nb: boolean): Policy => ({
    mode,
    flags: nb ? ["MPOL_F_NUMA_BALANCING"] : [],
    mof: nb,
    moron: nb,
    nodes,
    userNodemask: null,
    cpusetMems: null,
    homeNode: null,
  });
  const input = (cur: number, cpuNode: number, rule: MisplacedInput["preferredManyRule"], calls: number[] = []): MisplacedInput => ({
    cur,
    cpuNode,
    ilx: 0,
    zonelist: [cpuNode, 0, 1, 2, 3].filter((n, i, a) => a.indexOf(n) === i),
    preferredManyRule: rule,
    weightOf: () => 1,
    shouldMigrate: () => {
      calls.push(cur);
      return true;
    },
  });

  it("default policy: no migration from the CPU's node; elsewhere a candidate for the CPU's node", () => {
    const calls: number[] = [];
    expect(mpolMisplaced(null, input(0, 0, "merged", calls))).toBe(-1);
    expect(calls).toEqual([]); // should_numa_migrate_memory not consulted: the cpupid is not touched
    expect(mpolMisplaced(null, input(2, 0, "merged", calls))).toBe(0);
    expect(calls).toEqual([2]);
  });

  it("PREFERRED_MANY{0,1}+NUMA_BALANCING decision table, both rules", () => {
    const pm = pol("MPOL_PREFERRED_MANY", [0, 1], true);
    // [folio node, CPU node, merged, first-posted]
    const table: [number, number, number, number][] = [
      [1, 0, 0, 0], // CPU node in mask: candidate -> CPU node
      [2, 0, 0, 0],
      [3, 0, 0, 0],
      [0, 3, -1, -1], // CPU outside, folio inside the mask: never
      [1, 3, -1, -1],
      [2, 3, -1, 3], // both outside: only the first posting migrates (seed 001)
    ];
    for (const [cur, cn, merged, first] of table) {
      expect([cur, cn, mpolMisplaced(pm, input(cur, cn, "merged"))]).toEqual([cur, cn, merged]);
      expect([cur, cn, mpolMisplaced(pm, input(cur, cn, "first-posted"))]).toEqual([cur, cn, first]);
    }
  });

  it("BIND keeps the merged rule under 'first-posted'; policies without MOF never migrate", () => {
    expect(mpolMisplaced(pol("MPOL_BIND", [0, 1], true), input(2, 3, "first-posted"))).toBe(-1);
    expect(mpolMisplaced(pol("MPOL_BIND", [0, 1], true), input(2, 0, "first-posted"))).toBe(0);
    expect(mpolMisplaced(pol("MPOL_BIND", [0, 1], false), input(2, 0, "merged"))).toBe(-1);
    expect(mpolMisplaced(pol("MPOL_INTERLEAVE", [0, 1], false), input(2, 0, "merged"))).toBe(-1);
  });
});

describe("update_task_scan_period (§4.11)", () => {
  const base = { periodMs: 1000, remote: 0, local: 0, failed: 0, shared: 0, private: 0, minMs: 100, maxMs: 60000 };

  it("doubles when idle or when migrations failed", () => {
    expect(updateTaskScanPeriod(base)).toEqual({ periodMs: 2000, delayMm: true });
    expect(updateTaskScanPeriod({ ...base, local: 10, private: 10, failed: 1 })).toEqual({ periodMs: 2000, delayMm: true });
    expect(updateTaskScanPeriod({ ...base, periodMs: 40000 })).toEqual({ periodMs: 60000, delayMm: true });
  });

  it("slows down for private or local faults and speeds up for remote shared ones", () => {
    // slot = ceil(1000 / 10) = 100. ps = 8*10/10 = 8 >= 7: +(8-7)*100.
    expect(updateTaskScanPeriod({ ...base, local: 1, remote: 9, private: 8, shared: 2 }).periodMs).toBe(1100);
    // ps = 5, lr = 7: +max(1, 0)*100.
    expect(updateTaskScanPeriod({ ...base, local: 7, remote: 3, private: 5, shared: 5 }).periodMs).toBe(1100);
    // ps = 3, lr = 2: -(7 - 3)*100 = -400.
    expect(updateTaskScanPeriod({ ...base, local: 2, remote: 8, private: 3, shared: 7 }).periodMs).toBe(600);
    // Clamped to task_scan_min.
    expect(updateTaskScanPeriod({ ...base, periodMs: 150, local: 0, remote: 10, private: 0, shared: 10 }).periodMs).toBe(100);
  });
});
