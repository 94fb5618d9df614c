/**
 * Property: after any sequence of mbind calls on one mapping, every page's policy matches a
 * per-page reference model, and the VMAs are exactly the maximal runs of equal policy (split
 * on every change, merged back when neighbours become equal) (kernel-model.md §2.3 step 8).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tinyKernel } from "./helpers.js";

const P = 4096;
const N = 24;
const POLICIES = [
  { mode: "MPOL_DEFAULT", nodes: [], text: "default" },
  { mode: "MPOL_BIND", nodes: [0], text: "bind:0" },
  { mode: "MPOL_BIND", nodes: [1], text: "bind:1" },
  { mode: "MPOL_INTERLEAVE", nodes: [0, 1], text: "interleave:0-1" },
  { mode: "MPOL_PREFERRED", nodes: [2], text: "prefer:2" },
] as const;

describe("mbind split/merge against a reference model", () => {
  it("holds for random mbind sequences", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ start: fc.nat(N - 1), len: fc.integer({ min: 1, max: N }), pol: fc.nat(POLICIES.length - 1) }), { maxLength: 12 }),
        (calls) => {
          const k = tinyKernel();
          const p = k.spawn({ cpu: 0 });
          const a = p.mmap(N * P);
          const model: string[] = Array(N).fill("default");
          for (const c of calls) {
            const len = Math.min(c.len, N - c.start);
            const pol = POLICIES[c.pol]!;
            p.mbind(a + c.start * P, len * P, pol.mode, [...pol.nodes]);
            for (let i = c.start; i < c.start + len; i++) model[i] = pol.text;
          }
          const runs: { start: number; text: string }[] = [];
          model.forEach((t, i) => {
            if (i === 0 || model[i - 1] !== t) runs.push({ start: i, text: t });
          });
          const lines = p.numaMaps().trim().split("\n");
          expect(lines).toEqual(runs.map((r) => `${(a + r.start * P).toString(16)} ${r.text}`));
          for (let i = 0; i < N; i++) {
            const g = p.getMempolicy({ addr: a + i * P, flags: ["MPOL_F_ADDR"] });
            const want = POLICIES.find((x) => x.text === model[i])!;
            expect(g.modeName).toBe(want.mode);
            expect(g.nodes).toEqual(want.nodes);
          }
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });
});
