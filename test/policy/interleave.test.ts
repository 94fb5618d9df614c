import { describe, expect, it } from "vitest";
import {
  InterleaveState,
  interleaveNid,
  interleaveNodes,
  nextInterleaveNode,
  weightedInterleaveNid,
  weightedInterleaveNodes,
} from "../../src/policy/interleave.js";

const w = (table: Record<number, number>) => (n: number): number => table[n] ?? 1;

/** Pages of a VMA starting at page number `start`, placed by weighted static interleave (ilx = page number, §1.3). */
function split(start: number, pages: number, weights: Record<number, number>): [number, number] {
  const counts = [0, 0];
  for (let ilx = start; ilx < start + pages; ilx++) counts[weightedInterleaveNid([0, 1], ilx, 0, w(weights))]!++;
  return [counts[0]!, counts[1]!];
}

describe("static interleave (§1.5)", () => {
  it("picks the (ilx mod n)-th node; empty mask -> local node", () => {
    expect([0, 1, 2, 3].map((i) => interleaveNid([0, 2, 5], i, 9))).toEqual([0, 2, 5, 0]);
    expect(interleaveNid([], 3, 7)).toBe(7);
  });
  it("weighted: walks weights in ascending node order", () => {
    const wt = w({ 0: 5, 1: 1 });
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => weightedInterleaveNid([0, 1], i, 0, wt))).toEqual([0, 0, 0, 0, 0, 1, 0]);
    expect(weightedInterleaveNid([0, 1], 3, 0)).toBe(1);
    expect(weightedInterleaveNid([], 3, 4)).toBe(4);
    // A 0 entry is the default weight 1.
    expect(weightedInterleaveNid([0, 1], 1, 0, w({ 0: 0 }))).toBe(1);
  });

  // calibration.md §2, "anonymous VMA" column of the weighted-interleave cover letter:
  // `numactl -w --interleave=0,1 ./eatmem` with a 256 MiB malloc. glibc serves it with mmap:
  // 65536 pages plus one page of chunk header = a 65537-page anonymous VMA whose pages have
  // ilx = virtual page number (vm_pgoff of an anonymous VMA is vm_start >> 12). 65537 =
  // 6 * 10922 + 5, so each 5:1 or 1:5 split depends only on the first page number mod 6, and the
  // 1:1 split on its parity. All three rows hold exactly when start ≡ 3 or 5 (mod 6): e.g. a
  // VMA at 0x7f5a1c5fd000 (page 0x7f5a1c5fd ≡ 5 mod 6).
  it("reproduces the cover letter's anonymous-VMA page splits over 65537 pages", () => {
    const start = 0x7f5a1c5fd;
    expect(start % 6).toBe(5);
    expect(split(start, 65537, { 0: 5, 1: 1 })).toEqual([54614, 10923]);
    expect(split(start, 65537, { 0: 1, 1: 5 })).toEqual([10923, 54614]);
    expect(split(start, 65537, { 0: 1, 1: 1 })).toEqual([32768, 32769]);
    const reproducing = [0, 1, 2, 3, 4, 5].filter((r) => {
      const s = 6000 + r;
      return (
        split(s, 65537, { 0: 5, 1: 1 })[0] === 54614 &&
        split(s, 65537, { 0: 1, 1: 5 })[0] === 10923 &&
        split(s, 65537, { 0: 1, 1: 1 })[0] === 32768
      );
    });
    expect(reproducing).toEqual([3, 5]);
  });
  // The "heap" column (brk heap, 65793 pages = 6 * 10965 + 3) needs a start ≡ 0 (mod 6).
  it("reproduces the heap column over 65793 pages from a start ≡ 0 (mod 6)", () => {
    expect(split(6000, 65793, { 0: 5, 1: 1 })).toEqual([54828, 10965]);
    expect(split(6000, 65793, { 0: 1, 1: 5 })).toEqual([10966, 54827]);
    expect(split(6000, 65793, { 0: 1, 1: 1 })).toEqual([32897, 32896]);
  });
});

describe("task interleave (§1.5)", () => {
  it("starts at the lowest node after reset and wraps", () => {
    const s = new InterleaveState();
    expect([1, 2, 3, 4].map(() => interleaveNodes([1, 3, 6], s))).toEqual([1, 3, 6, 1]);
    s.reset();
    expect(interleaveNodes([2, 3], s)).toBe(2);
  });
  it("weighted: each node gets weight consecutive allocations, weight read at switch time", () => {
    const s = new InterleaveState();
    const table: Record<number, number> = { 0: 3, 2: 2 };
    const picks = Array.from({ length: 7 }, () => weightedInterleaveNodes([0, 2], s, w(table)));
    expect(picks).toEqual([0, 0, 0, 2, 2, 0, 0]);
    expect([s.ilPrev, s.ilWeight]).toEqual([0, 1]);
    table[2] = 4; // changes apply when the round-robin next switches to node 2
    const more = Array.from({ length: 5 }, () => weightedInterleaveNodes([0, 2], s, w(table)));
    expect(more).toEqual([0, 2, 2, 2, 2]);
  });
  it("weighted: leaves ilPrev at once when it is no longer in the mask", () => {
    const s = new InterleaveState();
    s.ilPrev = 1;
    s.ilWeight = 4;
    expect(weightedInterleaveNodes([0, 2], s, w({ 2: 2 }))).toBe(2);
    expect(s.ilWeight).toBe(1);
  });
  it("get_mempolicy(MPOL_F_NODE): the next node without advancing", () => {
    const s = new InterleaveState();
    expect(nextInterleaveNode("MPOL_INTERLEAVE", [1, 2], s)).toBe(1);
    expect(nextInterleaveNode("MPOL_INTERLEAVE", [1, 2], s)).toBe(1);
    interleaveNodes([1, 2], s);
    expect(nextInterleaveNode("MPOL_INTERLEAVE", [1, 2], s)).toBe(2);
    const ws = new InterleaveState();
    const wt = w({ 0: 2 });
    expect(nextInterleaveNode("MPOL_WEIGHTED_INTERLEAVE", [0, 1], ws)).toBe(0);
    weightedInterleaveNodes([0, 1], ws, wt); // one of node 0's two allocations used
    expect(nextInterleaveNode("MPOL_WEIGHTED_INTERLEAVE", [0, 1], ws)).toBe(0);
    weightedInterleaveNodes([0, 1], ws, wt);
    expect(nextInterleaveNode("MPOL_WEIGHTED_INTERLEAVE", [0, 1], ws)).toBe(1);
    expect([ws.ilPrev, ws.ilWeight]).toEqual([0, 0]);
  });
  it("clone() gives an independent copy", () => {
    const s = new InterleaveState();
    const c = s.clone();
    interleaveNodes([4], c);
    expect([s.ilPrev, c.ilPrev]).toEqual([1023, 4]);
  });
});
