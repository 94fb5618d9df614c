import { describe, expect, it } from "vitest";
import { Random, hashUniform } from "../../src/core/random.js";

function draw(r: Random, n: number): number[] {
  return Array.from({ length: n }, () => r.float());
}

describe("Random", () => {
  it("gives the same stream for the same seed and a different one for another seed", () => {
    expect(draw(new Random(1), 5)).toEqual(draw(new Random(1), 5));
    expect(draw(new Random(1), 5)).not.toEqual(draw(new Random(2), 5));
    expect(draw(new Random(2 ** 40 + 1), 3)).not.toEqual(draw(new Random(1), 3));
  });

  it("forks independent named streams that do not depend on how much the parent drew", () => {
    const a = new Random(7);
    const b = new Random(7);
    draw(b, 100);
    expect(draw(a.fork("kswapd"), 4)).toEqual(draw(b.fork("kswapd"), 4));
    expect(draw(a.fork("kswapd"), 4)).not.toEqual(draw(a.fork("numab"), 4));
  });

  it("draws within bounds", () => {
    const r = new Random(3);
    for (let i = 0; i < 1000; i++) {
      const f = r.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const k = r.int(2, 5);
      expect(k).toBeGreaterThanOrEqual(2);
      expect(k).toBeLessThanOrEqual(5);
    }
  });

  it("has the exponential mean it was asked for", () => {
    const r = new Random(11);
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) sum += r.exponential(100);
    expect(sum / n).toBeGreaterThan(97);
    expect(sum / n).toBeLessThan(103);
  });

  it("rejects a seed that is not a safe integer", () => {
    expect(() => new Random(1.5)).toThrow(/seed: got 1.5; must be a safe integer/);
  });
});

describe("hashUniform", () => {
  it("depends only on its inputs, spreads over [0, 1) and differs between neighbours", () => {
    expect(hashUniform(1, 4711, 2000)).toBe(hashUniform(1, 4711, 2000));
    expect(hashUniform(1, 4711, 2000)).not.toBe(hashUniform(1, 4712, 2000));
    expect(hashUniform(1, 4711, 2000)).not.toBe(hashUniform(2, 4711, 2000));
    expect(hashUniform(1, 4711, 2 ** 40)).not.toBe(hashUniform(1, 4711, 2 ** 40 + 2 ** 33));
    const n = 100_000;
    const bins = new Array(10).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const u = hashUniform(7, i, 1e9);
      expect(u >= 0 && u < 1).toBe(true);
      bins[Math.floor(u * 10)]++;
      sum += u;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(n / 100);
  });
});
