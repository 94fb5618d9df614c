import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bulkInterleaveSplit, bulkWeightedInterleaveSplit } from "../../src/policy/bulk.js";
import { InterleaveState, weightedInterleaveNodes } from "../../src/policy/interleave.js";

const w = (table: Record<number, number>) => (n: number): number => table[n] ?? 1;

describe("bulk INTERLEAVE (§1.7)", () => {
  it("per = N/k, the first N mod k calls get one more, each call advances the round-robin", () => {
    const s = new InterleaveState();
    expect(bulkInterleaveSplit([0, 1, 2], 10, s)).toEqual([[0, 4], [1, 3], [2, 3]]);
    expect(s.ilPrev).toBe(2);
    expect(bulkInterleaveSplit([0, 1, 2], 4, s)).toEqual([[0, 2], [1, 1], [2, 1]]);
  });
  it("fewer pages than nodes: zero-page calls still advance the round-robin", () => {
    const s = new InterleaveState();
    expect(bulkInterleaveSplit([0, 1, 2], 1, s)).toEqual([[0, 1]]);
    expect(s.ilPrev).toBe(2);
  });
  it("reports what a full node returned", () => {
    const s = new InterleaveState();
    expect(bulkInterleaveSplit([0, 1], 10, s, (n, c) => (n === 1 ? 2 : c))).toEqual([[0, 5], [1, 2]]);
  });
});

describe("bulk WEIGHTED_INTERLEAVE (§1.7)", () => {
  it("whole rounds plus a partial round, resuming mid-node", () => {
    const s = new InterleaveState();
    expect(bulkWeightedInterleaveSplit([0, 1], 13, s, w({ 0: 5, 1: 1 }))).toEqual([[0, 11], [1, 2]]);
    expect([s.ilPrev, s.ilWeight]).toEqual([0, 4]);
    // The next bulk call first uses node 0's 4 remaining, then continues after it.
    expect(bulkWeightedInterleaveSplit([0, 1], 6, s, w({ 0: 5, 1: 1 }))).toEqual([[0, 4], [1, 1], [0, 1]]);
    expect([s.ilPrev, s.ilWeight]).toEqual([0, 4]);
  });
  it("a request that fits in the current node's remaining weight stays there", () => {
    const s = new InterleaveState();
    s.ilPrev = 1;
    s.ilWeight = 3;
    expect(bulkWeightedInterleaveSplit([0, 1], 2, s, w({ 1: 4 }))).toEqual([[1, 2]]);
    expect([s.ilPrev, s.ilWeight]).toEqual([1, 1]);
  });
  it("exact whole rounds resume at the node after the last one with its full weight", () => {
    const s = new InterleaveState();
    expect(bulkWeightedInterleaveSplit([0, 2], 8, s, w({ 0: 3, 2: 1 }))).toEqual([[0, 6], [2, 2]]);
    expect([s.ilPrev, s.ilWeight]).toEqual([0, 3]);
  });
  it("matches page-by-page weighted round-robin in totals", () => {
    const s = new InterleaveState();
    const split = bulkWeightedInterleaveSplit([0, 1, 3], 1000, s, w({ 0: 9, 1: 1, 3: 2 }));
    const total = new Map<number, number>();
    for (const [n, c] of split) total.set(n, (total.get(n) ?? 0) + c);
    // 1000 = 83 * 12 + 4: 83 rounds, then 4 more on node 0.
    expect(Object.fromEntries(total)).toEqual({ 0: 83 * 9 + 4, 1: 83, 3: 166 });
  });
});

describe("bulk weighted split agrees with page-by-page weighted round-robin", () => {
  it("same pages per node, and the same next allocations afterwards (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 9 }),
        (nodesRaw, table, count, prev, prevWeight) => {
          const nodes = [...nodesRaw].sort((a, b) => a - b);
          const wt = (n: number): number => table[n]!;
          const start = (): InterleaveState => {
            const s = new InterleaveState();
            if (prev < 8) {
              s.ilPrev = prev;
              s.ilWeight = Math.min(prevWeight, wt(prev));
            }
            return s;
          };
          const bulkState = start();
          const totals = new Map<number, number>();
          for (const [n, c] of bulkWeightedInterleaveSplit(nodes, count, bulkState, wt)) totals.set(n, (totals.get(n) ?? 0) + c);
          const pageState = start();
          const pageTotals = new Map<number, number>();
          for (let i = 0; i < count; i++) {
            const n = weightedInterleaveNodes(nodes, pageState, wt);
            pageTotals.set(n, (pageTotals.get(n) ?? 0) + 1);
          }
          expect(new Map([...totals].sort())).toEqual(new Map([...pageTotals].sort()));
          const next = (s: InterleaveState): number[] => Array.from({ length: 30 }, () => weightedInterleaveNodes(nodes, s, wt));
          expect(next(bulkState)).toEqual(next(pageState));
        },
      ),
      { numRuns: 300 },
    );
  });
});
