import { describe, expect, it } from "vitest";
import { Random } from "../../src/core/random.js";
import { hotPageMask } from "../../src/workload/hotPages.js";
import { pageWeights } from "../../src/workload/patterns/registry.js";
import type { PatternSpec } from "../../src/workload/patterns/types.js";

const count = (m: Uint8Array): number => m.reduce((a, b) => a + b, 0);
const mask = (pattern: PatternSpec, pages: number, share = 1): Uint8Array =>
  hotPageMask({ region: "r", share, readShare: 1, pattern }, pageWeights(pattern, pages, new Random(1).fork("p/r")));

describe("hotPageMask", () => {
  it("kvCache: exactly the hot set", () => {
    expect(count(mask({ type: "kvCache", hotFraction: 0.2, hotShare: 0.8, scatter: true }, 10_000))).toBe(2000);
  });

  it("uniform and STREAM regions are all hot; a coldHog is all cold", () => {
    expect(count(mask({ type: "uniform" }, 3000))).toBe(3000);
    expect(count(mask({ type: "stream", kernel: "triad", array: "b" }, 1000))).toBe(1000);
    expect(count(mask({ type: "coldHog" }, 1000, 0))).toBe(0);
  });

  it("zipf: the head above the average weight", () => {
    // exponent 1 over 1000 pages: weight(r) = 1/(r H), H = 7.4855; above 1/1000 while r <= 133
    expect(count(mask({ type: "zipf", exponent: 1, scatter: true }, 1000))).toBe(133);
  });
});
