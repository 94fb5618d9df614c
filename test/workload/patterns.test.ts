import { describe, expect, it } from "vitest";
import { Random } from "../../src/core/random.js";
import { kvHotPages } from "../../src/workload/patterns/kvCache.js";
import { defaultReadShare, isSequential, pageWeights, patternPerf, PATTERN_TYPES } from "../../src/workload/patterns/registry.js";
import type { PatternSpec } from "../../src/workload/patterns/types.js";
import { compensatedSum, permutation } from "../../src/workload/patterns/weights.js";

const rng = (seed = 1): Random => new Random(seed).fork("app/heap");
const sorted = (w: Float64Array): Float64Array => Float64Array.from(w).sort().reverse();
const sum = (w: Float64Array): number => compensatedSum(w);

const ALL: PatternSpec[] = [
  { type: "stream", kernel: "triad", array: "a" },
  { type: "mlc", mix: "3:1" },
  { type: "pointerChase" },
  { type: "uniform" },
  { type: "gaussian", mean: 0.5, stddev: 0.125 },
  { type: "zipf", exponent: 0.99, scatter: true },
  { type: "kvCache", hotFraction: 0.2, hotShare: 0.8, scatter: true },
  { type: "fileScan" },
  { type: "coldHog" },
];

describe("page weights", () => {
  it("covers every pattern type", () => {
    expect(ALL.map((p) => p.type)).toEqual(PATTERN_TYPES);
  });

  it.each(ALL.map((p) => [p.type, p] as const))("%s: one weight per page, summing to 1", (_t, p) => {
    for (const pages of [1, 7, 1000, 100_003]) {
      const w = pageWeights(p, pages, rng());
      expect(w).toBeInstanceOf(Float64Array);
      expect(w.length).toBe(pages);
      expect(Math.abs(sum(w) - 1)).toBeLessThan(1e-12);
      expect(w.every((x) => x >= 0)).toBe(true);
    }
  });

  it("uniform-weight patterns give every page exactly 1/pages", () => {
    for (const type of ["stream", "mlc", "pointerChase", "uniform", "fileScan", "coldHog"] as const) {
      const p = ALL.find((x) => x.type === type)!;
      const w = pageWeights(p, 4096, rng());
      expect(w.every((x) => x === 1 / 4096)).toBe(true);
    }
  });

  it("sequential patterns: stream, mlc, fileScan, coldHog; random: the rest", () => {
    expect(ALL.filter(isSequential).map((p) => p.type)).toEqual(["stream", "mlc", "fileScan", "coldHog"]);
  });

  it("refuses a non-positive page count", () => {
    expect(() => pageWeights({ type: "uniform" }, 0, rng())).toThrow(/positive integer number of pages/);
    expect(() => pageWeights({ type: "uniform" }, 2.5, rng())).toThrow(/positive integer/);
  });
});

describe("zipf", () => {
  it("rank ratios are exact powers of the exponent", () => {
    const s = 1.2;
    const w = sorted(pageWeights({ type: "zipf", exponent: s, scatter: true }, 10_000, rng()));
    expect(w[0]! / w[1]!).toBeCloseTo(2 ** s, 12);
    expect(w[0]! / w[9]!).toBeCloseTo(10 ** s, 11);
    expect(w[1]! / w[3]!).toBeCloseTo(2 ** s, 12);
  });

  it("without scatter rank 1 is the first page and the harmonic sum normalises", () => {
    const w = pageWeights({ type: "zipf", exponent: 1, scatter: false }, 4, rng());
    const h = 1 + 1 / 2 + 1 / 3 + 1 / 4;
    expect(Array.from(w)).toEqual([1 / h, 1 / 2 / h, 1 / 3 / h, 1 / 4 / h].map((x) => expect.closeTo(x, 15)));
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const p: PatternSpec = { type: "zipf", exponent: 0.99, scatter: true };
    expect(pageWeights(p, 5000, rng(7))).toEqual(pageWeights(p, 5000, rng(7)));
    expect(pageWeights(p, 5000, rng(7))).not.toEqual(pageWeights(p, 5000, rng(8)));
    // Scattering moves weights but keeps the multiset.
    expect(sorted(pageWeights(p, 5000, rng(7)))).toEqual(sorted(pageWeights(p, 5000, rng(8))));
  });

  it("scatter actually moves rank 1 away from page 0 for this seed", () => {
    const w = pageWeights({ type: "zipf", exponent: 1, scatter: true }, 1000, rng(3));
    const top = w.indexOf(Math.max(...w));
    expect(top).not.toBe(0);
  });
});

describe("kvCache", () => {
  const p = { type: "kvCache", hotFraction: 0.2, hotShare: 0.8, scatter: true } as const;

  it("hot set: 20% of pages carry exactly 80% of accesses", () => {
    const pages = 10_000;
    const w = pageWeights(p, pages, rng());
    const hotW = 0.8 / 2000;
    const coldW = (1 - 0.8) / 8000;
    expect(w.filter((x) => x === hotW).length).toBe(2000);
    expect(w.filter((x) => x === coldW).length).toBe(8000);
    expect(compensatedSum(w.filter((x) => x === hotW))).toBeCloseTo(0.8, 12);
    expect(kvHotPages(p, pages)).toBe(2000);
  });

  it("without scatter the first pages are hot", () => {
    const w = pageWeights({ ...p, scatter: false }, 10, rng());
    expect(Array.from(w)).toEqual([0.4, 0.4, ...Array(8).fill((1 - 0.8) / 8)]);
  });

  it("hot set is at least one page; all-hot falls back to uniform", () => {
    expect(kvHotPages({ ...p, hotFraction: 0.001 }, 10)).toBe(1);
    const w = pageWeights({ ...p, hotFraction: 1, hotShare: 0.5 }, 8, rng());
    expect(w.every((x) => x === 1 / 8)).toBe(true);
  });

  it("is deterministic for a seed and differs between seeds", () => {
    expect(pageWeights(p, 3000, rng(1))).toEqual(pageWeights(p, 3000, rng(1)));
    expect(pageWeights(p, 3000, rng(1))).not.toEqual(pageWeights(p, 3000, rng(2)));
  });
});

describe("gaussian", () => {
  it("is symmetric around the mean and peaks there", () => {
    const w = pageWeights({ type: "gaussian", mean: 0.5, stddev: 0.1 }, 1000, rng());
    expect(w[499]).toBeCloseTo(w[500]!, 15);
    expect(w[400]).toBeCloseTo(w[599]!, 15);
    expect(Math.max(...w)).toBe(w[500]);
  });

  it("one stddev away has exp(-1/2) of the peak weight", () => {
    // mean at a page centre: pages 100 (centre 100.5) and 110.5 = +1 sd with sd = 10 pages
    const w = pageWeights({ type: "gaussian", mean: 100.5 / 1000, stddev: 0.01 }, 1000, rng());
    expect(w[110]! / w[100]!).toBeCloseTo(Math.exp(-0.5), 12);
  });

  it("a very narrow bell does not underflow to nothing", () => {
    const w = pageWeights({ type: "gaussian", mean: 0.3005, stddev: 1e-9 }, 1000, rng());
    expect(w[300]).toBe(1);
    expect(sum(w)).toBe(1);
    // A mean on a page boundary splits evenly between the two pages.
    const edge = pageWeights({ type: "gaussian", mean: 0.3, stddev: 1e-9 }, 1000, rng());
    expect([edge[299], edge[300]]).toEqual([0.5, 0.5]);
  });
});

describe("pattern traits", () => {
  it("default read shares", () => {
    expect(defaultReadShare({ type: "mlc", mix: "reads" })).toBe(1);
    expect(defaultReadShare({ type: "mlc", mix: "3:1" })).toBe(0.75);
    expect(defaultReadShare({ type: "mlc", mix: "2:1" })).toBe(2 / 3);
    expect(defaultReadShare({ type: "mlc", mix: "1:1" })).toBe(0.5);
    expect(defaultReadShare({ type: "uniform" })).toBe(0.5);
    expect(defaultReadShare({ type: "kvCache", hotFraction: 0.2, hotShare: 0.8, scatter: true })).toBe(0.9);
    expect(defaultReadShare({ type: "pointerChase" })).toBe(1);
    expect(defaultReadShare({ type: "fileScan" })).toBe(1);
    expect(defaultReadShare({ type: "coldHog" })).toBe(0);
  });

  it("suggested perf", () => {
    expect(patternPerf({ type: "pointerChase" })).toEqual({ mlp: 1, computeNs: 0 });
    // The calibrated STREAM setting of perf's STREAM_TRIAD (test/perf/stream-reproduction.test.ts).
    expect(patternPerf({ type: "stream", kernel: "copy", array: "a" })).toEqual({ mlp: 15, computeNs: 0, nonTemporalStores: true });
    expect(patternPerf({ type: "zipf", exponent: 1, scatter: true })).toEqual({ mlp: 1, computeNs: 30 });
    expect(patternPerf({ type: "kvCache", hotFraction: 0.2, hotShare: 0.8, scatter: true })).toEqual({ mlp: 2, computeNs: 250 });
    expect(patternPerf({ type: "coldHog" })).toBeNull();
  });

  it("the scatter permutation is a bijection of 0..n-1 for any n, and depends on the seed", () => {
    for (const n of [1, 2, 3, 5, 1000, 65_537]) {
      const perm = permutation(n, rng());
      expect(new Set(perm).size).toBe(n);
      expect(perm.reduce((m, x) => Math.max(m, x), 0)).toBe(n - 1);
    }
    expect(permutation(1000, rng(1))).toEqual(permutation(1000, rng(1)));
    expect(permutation(1000, rng(1))).not.toEqual(permutation(1000, rng(2)));
    // Not the identity, and spread: the first 100 indexes land all over the range.
    const head = Array.from(permutation(10_000, rng()).subarray(0, 100));
    expect(head.filter((x) => x < 5000).length).toBeGreaterThan(30);
    expect(head.filter((x) => x >= 5000).length).toBeGreaterThan(30);
  });

  it("weights for 4M pages (16 GiB) take under 3 s even on a loaded machine", () => {
    const t0 = performance.now();
    const w = pageWeights({ type: "zipf", exponent: 0.99, scatter: true }, 4 << 20, rng());
    const ms = performance.now() - t0;
    expect(w.length).toBe(4 << 20);
    expect(Math.abs(sum(w) - 1)).toBeLessThan(1e-12);
    expect(ms).toBeLessThan(3000);
  });
});
