import { describe, expect, it } from "vitest";
import { bulkInterleaveSplit, bulkWeightedInterleaveSplit } from "../../src/policy/bulk.js";
import { InterleaveState } from "../../src/policy/interleave.js";

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
