import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { mempolicyFeatures, parseKernelVersion } from "../../src/policy/features.js";
import { decodeMode, modeNumber } from "../../src/policy/modes.js";
import { expectErrno } from "./helpers.js";

describe("modeNumber", () => {
  it("accepts ABI names, short names, numbers and | joined flags", () => {
    expect(modeNumber("MPOL_BIND")).toBe(2);
    expect(modeNumber("bind")).toBe(2);
    expect(modeNumber("weighted-interleave")).toBe(6);
    expect(modeNumber("preferred_many")).toBe(5);
    expect(modeNumber("MPOL_BIND|MPOL_F_NUMA_BALANCING")).toBe(0x2002);
    expect(modeNumber("MPOL_INTERLEAVE | MPOL_F_STATIC_NODES")).toBe(0x8003);
    expect(modeNumber("bind", ["static"])).toBe(0x8002);
    expect(modeNumber(3, [1 << 14])).toBe(0x4003);
  });
  it("a misspelt name is a UsageError, not an errno", () => {
    expect(() => modeNumber("MPOL_BINDD")).toThrow(UsageError);
    expect(() => modeNumber("bind|interleave")).toThrow(/two modes/);
  });
});

describe("decodeMode (sanitize_mpol_flags, §2.1)", () => {
  it("splits mode and flags; NUMA_BALANCING adds MOF and MORON", () => {
    expect(decodeMode("MPOL_BIND", ["MPOL_F_NUMA_BALANCING"])).toEqual({
      mode: "MPOL_BIND",
      flags: ["MPOL_F_NUMA_BALANCING"],
      mof: true,
      moron: true,
    });
    expect(decodeMode(0x8003)).toEqual({ mode: "MPOL_INTERLEAVE", flags: ["MPOL_F_STATIC_NODES"], mof: false, moron: false });
  });
  it("mode >= MPOL_MAX (7) is EINVAL, also for negative ints and stray high bits", () => {
    expect(expectErrno(() => decodeMode(7), "EINVAL").explanation).toContain("MPOL_MAX");
    expectErrno(() => decodeMode(-1), "EINVAL");
    expectErrno(() => decodeMode(2 | (1 << 12)), "EINVAL");
  });
  it("STATIC with RELATIVE is EINVAL", () => {
    const e = expectErrno(() => decodeMode("MPOL_BIND", ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]), "EINVAL");
    expect(e.explanation).toContain("mutually exclusive");
  });
  it("NUMA_BALANCING only with BIND, or PREFERRED_MANY from v6.10", () => {
    for (const m of ["MPOL_DEFAULT", "MPOL_LOCAL", "MPOL_INTERLEAVE", "MPOL_PREFERRED", "MPOL_WEIGHTED_INTERLEAVE"]) {
      expectErrno(() => decodeMode(m, ["MPOL_F_NUMA_BALANCING"]), "EINVAL");
    }
    expect(decodeMode("MPOL_PREFERRED_MANY|MPOL_F_NUMA_BALANCING").mof).toBe(true);
    const e = expectErrno(() => decodeMode("MPOL_PREFERRED_MANY|MPOL_F_NUMA_BALANCING", [], { kernelVersion: "v6.9" }), "EINVAL");
    expect(e.explanation).toContain("v6.10");
    expect(decodeMode("MPOL_BIND|MPOL_F_NUMA_BALANCING", [], { kernelVersion: "v6.9" }).moron).toBe(true);
  });
  it("older kernels: modes they lack are >= their MPOL_MAX; NUMA_BALANCING bit before v5.12 is a mode bit", () => {
    expectErrno(() => decodeMode("MPOL_WEIGHTED_INTERLEAVE", [], { kernelVersion: "v6.8" }), "EINVAL");
    expect(decodeMode("MPOL_WEIGHTED_INTERLEAVE", [], { kernelVersion: "v6.9" }).mode).toBe("MPOL_WEIGHTED_INTERLEAVE");
    expectErrno(() => decodeMode("MPOL_PREFERRED_MANY", [], { kernelVersion: "5.14" }), "EINVAL");
    const e = expectErrno(() => decodeMode("MPOL_BIND|MPOL_F_NUMA_BALANCING", [], { kernelVersion: "v5.11" }), "EINVAL");
    expect(e.explanation).toContain("v5.12");
  });
  it("names the syscall in the error", () => {
    expect(expectErrno(() => decodeMode(9, [], { syscall: "mbind" }), "EINVAL").syscall).toBe("mbind");
  });
});

describe("mempolicyFeatures", () => {
  it("maps versions to MPOL_MAX and flags", () => {
    expect(parseKernelVersion("v6.16")).toEqual([6, 16]);
    expect(parseKernelVersion("6.10.3")).toEqual([6, 10]);
    expect(mempolicyFeatures("v3.7").mpolMax).toBe(4);
    expect(mempolicyFeatures("v5.14").mpolMax).toBe(5);
    expect(mempolicyFeatures("v6.8").mpolMax).toBe(6);
    expect(mempolicyFeatures("v7.0")).toEqual(mempolicyFeatures());
    expect(mempolicyFeatures("v6.15").weightedInterleaveAuto).toBe(false);
    expect(() => parseKernelVersion("six")).toThrow(UsageError);
  });
});
