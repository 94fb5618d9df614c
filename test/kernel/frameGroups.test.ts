import { describe, expect, it } from "vitest";
import { FrameTable, PG_ANON } from "../../src/kernel/frames.js";

describe("FrameTable accounting groups", () => {
  it("keep pages and weights per node through moves, regrouping and frees", () => {
    const t = new FrameTable();
    const hot = t.newGroup();
    const cold = t.newGroup();
    const a = t.alloc(0, PG_ANON);
    const b = t.alloc(0, PG_ANON);
    const c = t.alloc(2, PG_ANON);
    t.setGroup(a, hot, 0.5);
    t.setGroup(b, hot, 0.25);
    t.setGroup(c, cold, 0.25);
    expect([t.groupPages(hot)[0], t.groupPages(hot)[2], t.groupPages(cold)[2]]).toEqual([2, 0, 1]);
    expect(t.groupWeights(hot)[0]).toBe(0.75);
    // Demote a to node 2: one page and its weight follow it.
    t.setNode(a, 2);
    expect([t.groupPages(hot)[0], t.groupPages(hot)[2]]).toEqual([1, 1]);
    expect([t.groupWeights(hot)[0], t.groupWeights(hot)[2]]).toEqual([0.25, 0.5]);
    // b turns cold: it leaves hot and joins cold on its node.
    t.setGroup(b, cold, 0.25);
    expect([t.groupPages(hot)[0], t.groupPages(cold)[0]]).toEqual([0, 1]);
    // Freeing c removes it from its group; a reused id starts in no group.
    t.release(c);
    expect(t.groupPages(cold)[2]).toBe(0);
    const d = t.alloc(1, PG_ANON);
    expect(d).toBe(c);
    expect(t.groupOf(d)).toBe(0);
    t.setNode(d, 0);
    expect(t.groupPages(cold)[0]).toBe(1);
  });

  it("survive the table growing past its first capacity", () => {
    const t = new FrameTable();
    const g = t.newGroup();
    const ids = new Int32Array(200_000);
    t.allocRun(ids, 0, ids.length, 1, PG_ANON, 1);
    for (const f of ids) t.setGroup(f, g, 1 / ids.length);
    expect(t.groupPages(g)[1]).toBe(200_000);
    expect(t.groupWeights(g)[1]).toBeCloseTo(1, 9);
  });
});
