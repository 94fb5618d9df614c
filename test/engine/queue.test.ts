import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/engine/queue.js";
import { Clock } from "../../src/engine/clock.js";
import { Random } from "../../src/core/random.js";

describe("EventQueue", () => {
  it("pops in time order, ties in insertion order", () => {
    const q = new EventQueue();
    q.push(5, 0, 1, 0);
    q.push(1, 0, 2, 0);
    q.push(5, 0, 3, 0);
    q.push(1, 0, 4, 0);
    q.push(0, 0, 5, 0);
    const order: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) order.push(e.a);
    expect(order).toEqual([5, 2, 4, 1, 3]);
  });

  it("matches a sorted reference over 100k random events and grows past its first size", () => {
    const q = new EventQueue();
    const r = new Random(3);
    const ref: [number, number][] = [];
    for (let i = 0; i < 100_000; i++) {
      const t = r.int(0, 1000);
      q.push(t, i % 7, i, 2 * i);
      ref.push([t, i]);
    }
    ref.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (const [t, i] of ref) {
      const e = q.pop()!;
      expect([e.timeNs, e.a, e.b, e.kind]).toEqual([t, i, 2 * i, i % 7]);
    }
    expect(q.pop()).toBeNull();
  });

  it("rejects times that are not finite or negative", () => {
    const q = new EventQueue();
    expect(() => q.push(-1, 0, 0, 0)).toThrow(/non-negative/);
    expect(() => q.push(NaN, 0, 0, 0)).toThrow(/finite/);
  });
});

describe("Clock", () => {
  it("dispatches due events in order and stops at the deadline", () => {
    const c = new Clock();
    const seen: number[] = [];
    const TICK = c.register("tick", (e) => {
      seen.push(c.nowNs);
      c.after(1e6, TICK, e.a + 1, 0);
    });
    c.after(0, TICK, 0, 0);
    expect(c.runUntil(10e6)).toBe(11);
    expect(seen).toEqual(Array.from({ length: 11 }, (_, i) => i * 1e6));
    expect(c.nowNs).toBe(10e6);
    expect(c.queue.size).toBe(1);
    expect(c.dispatched[TICK]).toBe(11);
    expect(() => c.runUntil(5e6)).toThrow(/back in time/);
  });

  it("refuses a kind registered twice", () => {
    const c = new Clock();
    c.register("a", () => {});
    expect(() => c.register("a", () => {})).toThrow(/registered once/);
  });
});
