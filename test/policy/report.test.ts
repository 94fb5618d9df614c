import { describe, expect, it } from "vitest";
import { mpolNew } from "../../src/policy/create.js";
import { mpolRebind } from "../../src/policy/rebind.js";
import { mempolicyReport, mpolToStr } from "../../src/policy/report.js";
import type { ModeFlagName, ModeName, Policy } from "../../src/policy/types.js";

const MEM = [0, 1, 2, 3];
function policy(mode: ModeName, nodes: number[], flags: ModeFlagName[] = [], mems = MEM): Policy {
  const p = mpolNew({ mode, flags, nodes, memsAllowed: mems, memoryNodes: MEM });
  if (p === null) throw new Error("DEFAULT");
  return p;
}

describe("mempolicyReport: get_mempolicy without MPOL_F_NODE (§2.4)", () => {
  it("no policy is MPOL_DEFAULT with an empty mask", () => {
    expect(mempolicyReport(null)).toEqual({ mode: "MPOL_DEFAULT", modeValue: 0, flags: [], nodes: [] });
  });
  it("reports the effective nodes, or the user's mask for STATIC/RELATIVE", () => {
    expect(mempolicyReport(policy("MPOL_BIND", [1, 2, 7]))).toMatchObject({ modeValue: 2, nodes: [1, 2] });
    expect(mempolicyReport(policy("MPOL_INTERLEAVE", [1, 7], ["MPOL_F_STATIC_NODES"]))).toEqual({
      mode: "MPOL_INTERLEAVE",
      modeValue: 0x8003,
      flags: ["MPOL_F_STATIC_NODES"],
      nodes: [1, 7],
    });
    expect(mempolicyReport(policy("MPOL_PREFERRED", [3, 2])).nodes).toEqual([2]);
    expect(mempolicyReport(policy("MPOL_LOCAL", [])).nodes).toEqual([]);
  });
  it("shows MPOL_F_NUMA_BALANCING in the mode value", () => {
    expect(mempolicyReport(policy("MPOL_PREFERRED_MANY", [0, 1], ["MPOL_F_NUMA_BALANCING"])).modeValue).toBe(0x2005);
  });
  it("a rebound STATIC preferred policy reports the new cpuset mems (pol->w union)", () => {
    const p = mpolRebind(policy("MPOL_PREFERRED", [1], ["MPOL_F_STATIC_NODES"], [0, 1]), [2, 3]);
    expect(mempolicyReport(p).nodes).toEqual([2, 3]);
  });
});

describe("mpolToStr: numa_maps text", () => {
  it("formats mode, flags and nodes like mpol_to_str", () => {
    expect(mpolToStr(null)).toBe("default");
    expect(mpolToStr(policy("MPOL_LOCAL", []))).toBe("local");
    expect(mpolToStr(policy("MPOL_WEIGHTED_INTERLEAVE", [0, 2]))).toBe("weighted interleave:0,2");
    expect(mpolToStr(policy("MPOL_BIND", [0, 1], ["MPOL_F_NUMA_BALANCING"]))).toBe("bind=balancing:0-1");
    expect(mpolToStr(policy("MPOL_INTERLEAVE", [0, 1, 2, 3], ["MPOL_F_RELATIVE_NODES"]))).toBe("interleave=relative:0-3");
    expect(mpolToStr(policy("MPOL_PREFERRED", [2], ["MPOL_F_STATIC_NODES"]))).toBe("prefer=static:2");
    expect(mpolToStr(policy("MPOL_PREFERRED_MANY", [0, 1], ["MPOL_F_NUMA_BALANCING"]))).toBe("prefer (many)=balancing:0-1");
  });
});
