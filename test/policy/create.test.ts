import { describe, expect, it } from "vitest";
import { mpolFromSyscall, mpolNew, type MpolNewArgs } from "../../src/policy/create.js";

// A two-socket CXL box: nodes 0,1 DRAM, 2,3 CXL, 4 memoryless (CPUs only).
const ctx = { memsAllowed: [0, 1, 2, 3, 4], memoryNodes: [0, 1, 2, 3] } as const;
const make = (a: Partial<MpolNewArgs> & Pick<MpolNewArgs, "mode">): ReturnType<typeof mpolNew> =>
  mpolNew({ flags: [], nodes: [], ...ctx, ...a });
import { expectErrno } from "./helpers.js";

describe("mpolNew: the §2.1 table", () => {
  it("DEFAULT with a non-empty mask is EINVAL; with an empty mask it stores no policy", () => {
    const e = expectErrno(() => make({ mode: "MPOL_DEFAULT", nodes: [0] }), "EINVAL");
    expect(e.explanation).toMatch(/MPOL_DEFAULT takes no nodes.*mpol_new/);
    expect(make({ mode: "MPOL_DEFAULT" })).toBeNull();
  });
  it("PREFERRED with an empty mask becomes LOCAL; with STATIC or RELATIVE it is EINVAL", () => {
    expect(make({ mode: "MPOL_PREFERRED" })).toMatchObject({ mode: "MPOL_LOCAL", nodes: [] });
    expectErrno(() => make({ mode: "MPOL_PREFERRED", flags: ["MPOL_F_STATIC_NODES"] }), "EINVAL");
    expectErrno(() => make({ mode: "MPOL_PREFERRED", flags: ["MPOL_F_RELATIVE_NODES"] }), "EINVAL");
  });
  it("LOCAL with nodes or with STATIC/RELATIVE is EINVAL", () => {
    expectErrno(() => make({ mode: "MPOL_LOCAL", nodes: [1] }), "EINVAL");
    expectErrno(() => make({ mode: "MPOL_LOCAL", flags: ["MPOL_F_STATIC_NODES"] }), "EINVAL");
    expectErrno(() => make({ mode: "MPOL_LOCAL", flags: ["MPOL_F_RELATIVE_NODES"] }), "EINVAL");
    expect(make({ mode: "MPOL_LOCAL" })).toMatchObject({ mode: "MPOL_LOCAL", nodes: [], userNodemask: null, cpusetMems: null });
  });
  it("BIND, INTERLEAVE, WEIGHTED_INTERLEAVE and PREFERRED_MANY need a non-empty mask", () => {
    for (const mode of ["MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED_MANY"] as const) {
      const e = expectErrno(() => make({ mode }), "EINVAL");
      expect(e.explanation).toBe(`${mode} needs a non-empty node mask (mm/mempolicy.c mpol_new, kernel-model.md §2.1)`);
    }
  });
  it("effective nodes = user ∩ mems_allowed ∩ N_MEMORY; empty is EINVAL", () => {
    expect(make({ mode: "MPOL_BIND", nodes: [1, 2, 4] })?.nodes).toEqual([1, 2]);
    expect(mpolNew({ mode: "MPOL_BIND", flags: [], nodes: [0, 2], memsAllowed: [2, 3], memoryNodes: [0, 1, 2, 3] })?.nodes).toEqual([2]);
    const e = expectErrno(() => make({ mode: "MPOL_BIND", nodes: [4] }), "EINVAL");
    expect(e.explanation).toMatch(/none of the nodes 4 .*mpol_set_nodemask/);
    expectErrno(() => mpolNew({ mode: "MPOL_INTERLEAVE", flags: [], nodes: [0, 1], memsAllowed: [2, 3], memoryNodes: [0, 1, 2, 3] }), "EINVAL");
  });
  it("STATIC still needs a non-empty intersection at creation", () => {
    expectErrno(() => mpolNew({ mode: "MPOL_BIND", flags: ["MPOL_F_STATIC_NODES"], nodes: [0], memsAllowed: [1], memoryNodes: [0, 1] }), "EINVAL");
  });
  it("RELATIVE folds the user mask over allowed∩N_MEMORY and maps it onto it", () => {
    const rel = (nodes: number[], allowed: number[]): readonly number[] | undefined =>
      mpolNew({ mode: "MPOL_INTERLEAVE", flags: ["MPOL_F_RELATIVE_NODES"], nodes, memsAllowed: allowed, memoryNodes: [0, 1, 2, 3, 4, 5, 6, 7] })?.nodes;
    expect(rel([1, 2, 3], [4, 5, 6, 7])).toEqual([5, 6, 7]);
    expect(rel([0, 2, 4], [2, 3, 4, 5])).toEqual([2, 4]);
    expect(rel([2, 3, 4, 5], [2, 3, 4, 5])).toEqual([2, 3, 4, 5]);
  });
  it("PREFERRED keeps the lowest effective node", () => {
    expect(make({ mode: "MPOL_PREFERRED", nodes: [3, 1, 4] })?.nodes).toEqual([1]);
    expect(make({ mode: "MPOL_PREFERRED", nodes: [4, 2] })?.nodes).toEqual([2]);
  });
  it("stores the user mask with STATIC/RELATIVE, else the cpuset mems", () => {
    expect(make({ mode: "MPOL_BIND", nodes: [1, 4], flags: ["MPOL_F_STATIC_NODES"] })).toMatchObject({
      userNodemask: [1, 4],
      cpusetMems: null,
    });
    expect(make({ mode: "MPOL_BIND", nodes: [1] })).toMatchObject({ userNodemask: null, cpusetMems: [0, 1, 2, 3, 4] });
  });
  it("NUMA_BALANCING is kept as a user flag and sets mof and moron", () => {
    expect(make({ mode: "MPOL_BIND", nodes: [0], flags: ["MPOL_F_NUMA_BALANCING"] })).toMatchObject({
      flags: ["MPOL_F_NUMA_BALANCING"],
      mof: true,
      moron: true,
      homeNode: null,
    });
  });
});

describe("mpolFromSyscall: sanitize_mpol_flags, get_nodes, mpol_new in order", () => {
  const base = { memsAllowed: [0, 1, 2, 3], memoryNodes: [0, 1, 2, 3] };
  it("builds the policy from raw arguments", () => {
    expect(mpolFromSyscall({ ...base, syscall: "mbind", mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: 0b101, maxnode: 64 })?.nodes).toEqual([0, 2]);
    expect(mpolFromSyscall({ ...base, mode: 2, flags: ["MPOL_F_STATIC_NODES"], nodes: [1] })?.flags).toEqual(["MPOL_F_STATIC_NODES"]);
  });
  it("the mode check comes before the mask copy-in", () => {
    const e = expectErrno(() => mpolFromSyscall({ ...base, mode: 8, nodes: [5000] }), "EINVAL");
    expect(e.explanation).toContain("MPOL_MAX");
  });
  it("bits above maxnode-1 are ignored before the empty-mask rule", () => {
    const e = expectErrno(() => mpolFromSyscall({ ...base, mode: "MPOL_BIND", nodes: [2], maxnode: 2 }), "EINVAL");
    expect(e.explanation).toContain("non-empty");
    expect(mpolFromSyscall({ ...base, mode: "MPOL_DEFAULT", nodes: [2], maxnode: 2 })).toBeNull();
  });
  it("setMempolicy(\"MPOL_BIND\", []) from the design snippet is EINVAL", () => {
    expectErrno(() => mpolFromSyscall({ ...base, mode: "MPOL_BIND", nodes: [] }), "EINVAL");
  });
});
