import { describe, expect, it } from "vitest";
import { mpolNew } from "../../src/policy/create.js";
import { mpolRebind } from "../../src/policy/rebind.js";
import type { ModeFlagName, ModeName, Policy } from "../../src/policy/types.js";

const ALL = [0, 1, 2, 3, 4, 5, 6, 7];
function policy(mode: ModeName, nodes: number[], mems: number[], flags: ModeFlagName[] = []): Policy {
  const p = mpolNew({ mode, flags, nodes, memsAllowed: mems, memoryNodes: ALL });
  if (p === null) throw new Error("unexpected DEFAULT");
  return p;
}

describe("mpolRebind: §2.6 worked examples", () => {
  it("RELATIVE: the admin guide's example, mems {2,3,4,5} -> {3,4,5,6,7} -> {0,2,3,5}", () => {
    const p0 = policy("MPOL_INTERLEAVE", [2, 3, 4, 5], [2, 3, 4, 5], ["MPOL_F_RELATIVE_NODES"]);
    expect(p0.nodes).toEqual([2, 3, 4, 5]);
    const p1 = mpolRebind(p0, [3, 4, 5, 6, 7]);
    expect(p1.nodes).toEqual([3, 5, 6, 7]);
    const p2 = mpolRebind(p1, [0, 2, 3, 5]);
    expect(p2.nodes).toEqual([0, 2, 3, 5]);
    expect(p2.userNodemask).toEqual([2, 3, 4, 5]);
  });
  it("no flag: positional remap from the recorded mems", () => {
    const p = policy("MPOL_BIND", [1, 3], [0, 1, 2, 3]);
    const wide = mpolRebind(p, [4, 5, 6, 7]);
    expect(wide.nodes).toEqual([5, 7]);
    expect(wide.cpusetMems).toEqual([4, 5, 6, 7]);
    expect(mpolRebind(p, [4, 5]).nodes).toEqual([5]);
    // The next rebind remaps from the newly recorded mems.
    expect(mpolRebind(wide, [0, 1, 2, 3]).nodes).toEqual([1, 3]);
  });
  it("STATIC: user mask ∩ new mems, and all new mems when that is empty", () => {
    const p = policy("MPOL_WEIGHTED_INTERLEAVE", [1, 3], [0, 1, 2, 3], ["MPOL_F_STATIC_NODES"]);
    expect(mpolRebind(p, [3, 4]).nodes).toEqual([3]);
    expect(mpolRebind(p, [4, 5]).nodes).toEqual([4, 5]);
    expect(mpolRebind(mpolRebind(p, [4, 5]), [0, 1, 2, 3]).nodes).toEqual([1, 3]);
  });
  it("RELATIVE onto a smaller set folds; no flag remaps nodes outside the old mems to themselves", () => {
    const rel = policy("MPOL_INTERLEAVE", [0, 3], [0, 1, 2, 3], ["MPOL_F_RELATIVE_NODES"]);
    expect(mpolRebind(rel, [6, 7]).nodes).toEqual([6, 7]);
  });
  it("PREFERRED and PREFERRED_MANY keep their nodes; only the recorded mems change", () => {
    const pref = policy("MPOL_PREFERRED", [1], [0, 1]);
    const moved = mpolRebind(pref, [4, 5]);
    expect(moved.nodes).toEqual([1]);
    expect(moved.cpusetMems).toEqual([4, 5]);
    const many = policy("MPOL_PREFERRED_MANY", [0, 1], [0, 1, 2]);
    expect(mpolRebind(many, [6]).nodes).toEqual([0, 1]);
  });
  it("a STATIC preferred policy has its user mask overwritten (pol->w is a union)", () => {
    const p = policy("MPOL_PREFERRED", [1], [0, 1], ["MPOL_F_STATIC_NODES"]);
    const r = mpolRebind(p, [2, 3]);
    expect(r.nodes).toEqual([1]);
    expect(r.userNodemask).toEqual([2, 3]);
  });
  it("LOCAL and an unchanged cpuset leave the policy object as is", () => {
    const local = policy("MPOL_LOCAL", [], [0, 1]);
    expect(mpolRebind(local, [5])).toBe(local);
    const bind = policy("MPOL_BIND", [0], [0, 1]);
    expect(mpolRebind(bind, [0, 1])).toBe(bind);
  });
});
