import { describe, expect, it } from "vitest";
import { policyNodeChoice } from "../../src/policy/choice.js";
import { mpolNew } from "../../src/policy/create.js";
import { InterleaveState } from "../../src/policy/interleave.js";
import type { ModeFlagName, ModeName, Policy } from "../../src/policy/types.js";

const MEM = [0, 1, 2, 3];
function policy(mode: ModeName, nodes: number[], flags: ModeFlagName[] = []): Policy {
  const p = mpolNew({ mode, flags, nodes, memsAllowed: MEM, memoryNodes: MEM });
  if (p === null) throw new Error("DEFAULT");
  return p;
}

describe("policyNodeChoice (§1.4)", () => {
  it("no policy and LOCAL: start at the local node, no mask", () => {
    const expected = { startNode: 1, nodemask: null, preferredManyPass1: null, interleaveTarget: null };
    expect(policyNodeChoice({ policy: null, localNode: 1, ilx: 0 })).toEqual(expected);
    expect(policyNodeChoice({ policy: policy("MPOL_LOCAL", []), localNode: 1, ilx: null })).toEqual(expected);
  });
  it("PREFERRED: start at the preferred node, no mask", () => {
    expect(policyNodeChoice({ policy: policy("MPOL_PREFERRED", [2]), localNode: 0, ilx: 5 })).toMatchObject({ startNode: 2, nodemask: null });
  });
  it("BIND: local (or home) node with the policy mask", () => {
    const bind = policy("MPOL_BIND", [2, 3]);
    expect(policyNodeChoice({ policy: bind, localNode: 0, ilx: 0 })).toMatchObject({ startNode: 0, nodemask: [2, 3] });
    expect(policyNodeChoice({ policy: { ...bind, homeNode: 3 }, localNode: 0, ilx: 0 }).startNode).toBe(3);
  });
  it("BIND: mask dropped when it misses the cpuset, or for normal-zone allocations on movable-only nodes", () => {
    const bind = policy("MPOL_BIND", [2, 3]);
    expect(policyNodeChoice({ policy: bind, localNode: 0, ilx: 0, memsAllowed: [0, 1] }).nodemask).toBeNull();
    expect(policyNodeChoice({ policy: bind, localNode: 0, ilx: 0, zone: "normal", normalZoneNodes: [0, 1] }).nodemask).toBeNull();
    expect(policyNodeChoice({ policy: bind, localNode: 0, ilx: 0, zone: "movable", normalZoneNodes: [0, 1] }).nodemask).toEqual([2, 3]);
    expect(policyNodeChoice({ policy: bind, localNode: 0, ilx: 0, zone: "normal", normalZoneNodes: [0, 3] }).nodemask).toEqual([2, 3]);
  });
  it("PREFERRED_MANY: pass 1 over the policy nodes, pass 2 anywhere, from home or local", () => {
    const many = policy("MPOL_PREFERRED_MANY", [0, 1]);
    expect(policyNodeChoice({ policy: many, localNode: 2, ilx: 0 })).toEqual({
      startNode: 2,
      nodemask: null,
      preferredManyPass1: [0, 1],
      interleaveTarget: null,
    });
    expect(policyNodeChoice({ policy: { ...many, homeNode: 1 }, localNode: 2, ilx: 0 }).startNode).toBe(1);
  });
  it("INTERLEAVE with an index: static pick, the target is the start node", () => {
    const il = policy("MPOL_INTERLEAVE", [1, 3]);
    expect(policyNodeChoice({ policy: il, localNode: 0, ilx: 7 })).toEqual({
      startNode: 3,
      nodemask: null,
      preferredManyPass1: null,
      interleaveTarget: 3,
    });
  });
  it("task interleave: first allocation after set_mempolicy lands on the lowest node", () => {
    const il = policy("MPOL_INTERLEAVE", [1, 2, 3]);
    const state = new InterleaveState();
    const picks = [0, 1, 2, 3].map(() => policyNodeChoice({ policy: il, localNode: 0, ilx: null, interleave: state }).startNode);
    expect(picks).toEqual([1, 2, 3, 1]);
  });
  it("weighted task interleave: consecutive runs of weight(node)", () => {
    const wil = policy("MPOL_WEIGHTED_INTERLEAVE", [0, 2]);
    const state = new InterleaveState();
    const weights = { weight: (n: number): number => (n === 0 ? 3 : 1) };
    const picks = Array.from({ length: 9 }, () => policyNodeChoice({ policy: wil, localNode: 1, ilx: null, interleave: state, weights }).startNode);
    expect(picks).toEqual([0, 0, 0, 2, 0, 0, 0, 2, 0]);
  });
  it("weighted static interleave uses the weights", () => {
    const wil = policy("MPOL_WEIGHTED_INTERLEAVE", [0, 1]);
    const weights = (n: number): number => (n === 0 ? 9 : 1);
    expect([0, 8, 9, 10].map((ilx) => policyNodeChoice({ policy: wil, localNode: 0, ilx, weights }).interleaveTarget)).toEqual([0, 0, 1, 0]);
  });
  it("task interleave without an InterleaveState is a programming error", () => {
    expect(() => policyNodeChoice({ policy: policy("MPOL_INTERLEAVE", [0]), localNode: 0, ilx: null })).toThrow(/interleave state/);
  });
});
