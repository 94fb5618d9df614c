/**
 * Tasks: fork and thread inheritance (kernel-model.md §1.3), copy-on-write after fork,
 * cpusets (§2.6): enforcement, rebinding with and without STATIC/RELATIVE, memory_migrate.
 */
import { describe, expect, it } from "vitest";
import { createPolicy, rebindPolicy } from "../../src/kernel/mpol.js";
import type { Policy } from "../../src/policy/types.js";
import { countsAt, tinyKernel } from "./helpers.js";

const P = 4096;

describe("fork and threads (§1.3)", () => {
  it("fork inherits the task policy and every VMA policy", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    p.setMempolicy("MPOL_PREFERRED", [2]);
    const a = p.mmap(8 * P);
    p.mbind(a, 4 * P, "MPOL_BIND", [1]);
    const c = p.fork({ cpu: 2 });
    expect(c.getMempolicy()).toMatchObject({ modeName: "MPOL_PREFERRED", nodes: [2] });
    expect(c.getMempolicy({ addr: a, flags: ["MPOL_F_ADDR"] })).toMatchObject({ modeName: "MPOL_BIND", nodes: [1] });
    c.touch(a, 8 * P);
    expect(countsAt(c.numaMaps(), a)).toEqual({ 1: 4 });
    expect(countsAt(c.numaMaps(), a + 4 * P)).toEqual({ 2: 4 });
    expect(p.numaMaps()).toContain(`${a.toString(16)} bind:1\n`);
  });

  it("anonymous pages are shared after fork until written (COW), then the writer gets a new page", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(4 * P);
    p.touch(a, 4 * P);
    const c = p.fork({ cpu: 2 });
    expect(c.numaMaps()).toContain("anon=4 dirty=4 mapmax=2 N0=4");
    c.touch(a, 2 * P, { write: true }); // breaks COW on 2 pages, allocated on the child's node
    expect(countsAt(c.numaMaps(), a)).toEqual({ 0: 2, 1: 2 });
    expect(k.vmstat().nr_anon_pages).toBe(6);
    c.munmap(a, 4 * P);
    expect(k.vmstat().nr_anon_pages).toBe(4);
    expect(p.numaMaps()).not.toContain("mapmax");
  });

  it("a thread inherits the task policy at creation and keeps its own afterwards", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    p.setMempolicy("MPOL_BIND", [1]);
    const t = p.thread({ cpu: 2 });
    p.setMempolicy("MPOL_DEFAULT", []);
    expect(t.getMempolicy()).toMatchObject({ modeName: "MPOL_BIND", nodes: [1] });
    expect(p.getMempolicy().modeName).toBe("MPOL_DEFAULT");
    expect(t.mm).toBe(p.mm);
    const a = t.mmap(4 * P);
    t.touch(a, 4 * P);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 1: 4 }); // t's BIND placed them; p's numa_maps prints p's policy
    expect(p.numaMaps()).toContain(`${a.toString(16)} default`);
  });
});

describe("cpusets (§2.6)", () => {
  it("allocation never leaves mems_allowed, whatever the policy", () => {
    const k = tinyKernel();
    k.cpusets.create("/c", { mems: [1, 2] });
    const p = k.spawn({ cpu: 0, cpuset: "/c" });
    const a = p.mmap(4 * P);
    p.touch(a, 4 * P);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 1: 4 }); // local node 0 not allowed: nearest allowed
    expect(p.getMempolicy({ flags: ["MPOL_F_MEMS_ALLOWED"] }).nodes).toEqual([1, 2]);
    expect(() => p.setMempolicy("MPOL_BIND", [0])).toThrow(/EINVAL/);
  });

  it("rebinding: positional remap without flags, STATIC intersect, PREFERRED unchanged", () => {
    const k = tinyKernel();
    k.cpusets.create("/c", { mems: [0, 1] });
    const p = k.spawn({ cpu: 0, cpuset: "/c" });
    const q = k.spawn({ cpu: 0, cpuset: "/c" });
    const r = k.spawn({ cpu: 0, cpuset: "/c" });
    p.setMempolicy("MPOL_BIND", [1]);
    q.setMempolicy("MPOL_INTERLEAVE|MPOL_F_STATIC_NODES", [0, 1]);
    r.setMempolicy("MPOL_PREFERRED", [1]);
    const a = p.mmap(P);
    p.mbind(a, P, "MPOL_INTERLEAVE", [0, 1]);
    k.cpusets.setMems("/c", [1, 2]);
    expect(p.getMempolicy().nodes).toEqual([2]); // 2nd of {0,1} -> 2nd of {1,2}
    expect(p.getMempolicy({ addr: a, flags: "MPOL_F_ADDR" }).nodes).toEqual([1, 2]);
    expect(q.getMempolicy()).toMatchObject({ nodes: [0, 1] }); // STATIC reports the user mask
    q.touch(q.mmap(P), P); // effective nodes {1}
    expect(q.numaMaps()).toMatch(/N1=1/);
    expect(r.getMempolicy().nodes).toEqual([1]);
  });

  it("RELATIVE and STATIC remap examples of §2.6 (mpol_rebind_policy)", () => {
    const rel: Policy = {
      mode: "MPOL_INTERLEAVE",
      flags: ["MPOL_F_RELATIVE_NODES"],
      mof: false,
      moron: false,
      nodes: [2, 3, 4, 5],
      userNodemask: [2, 3, 4, 5],
      cpusetMems: null,
      homeNode: null,
    };
    expect(rebindPolicy(rel, [3, 4, 5, 6, 7]).nodes).toEqual([3, 5, 6, 7]);
    expect(rebindPolicy(rel, [0, 2, 3, 5]).nodes).toEqual([0, 2, 3, 5]);
    const plain: Policy = { ...rel, flags: [], nodes: [1, 3], userNodemask: null, cpusetMems: [0, 1, 2, 3] };
    expect(rebindPolicy(plain, [4, 5, 6, 7]).nodes).toEqual([5, 7]);
    expect(rebindPolicy(plain, [4, 5]).nodes).toEqual([5]);
    const stat: Policy = { ...rel, flags: ["MPOL_F_STATIC_NODES"], nodes: [1, 3], userNodemask: [1, 3], cpusetMems: null };
    expect(rebindPolicy(stat, [2, 3]).nodes).toEqual([3]);
    expect(rebindPolicy(stat, [4, 5]).nodes).toEqual([4, 5]); // empty -> all new mems
  });

  it("RELATIVE at creation folds and maps onto the allowed nodes (§2.1)", () => {
    const mf = { mode: 3, flags: 0x4000 };
    expect(createPolicy("set_mempolicy", mf, [1, 2, 3], [4, 5, 6, 7], [0, 1, 2, 3, 4, 5, 6, 7])!.nodes).toEqual([5, 6, 7]);
    expect(createPolicy("set_mempolicy", mf, [0, 2, 4], [2, 3, 4, 5], [0, 1, 2, 3, 4, 5, 6, 7])!.nodes).toEqual([2, 4]);
    expect(createPolicy("set_mempolicy", { mode: 2, flags: 0x8000 }, [0, 5], [4, 5], [0, 4, 5])).toMatchObject({ nodes: [5], userNodemask: [0, 5] });
  });

  it("memory_migrate moves pages with the positional map when mems change", () => {
    const k = tinyKernel();
    k.cpusets.create("/m", { mems: [0, 1], memoryMigrate: true });
    const p = k.spawn({ cpu: 0, cpuset: "/m" });
    const a = p.mmap(6 * P);
    p.mbind(a, 6 * P, "MPOL_INTERLEAVE", [0, 1]);
    p.touch(a, 6 * P);
    k.cpusets.setMems("/m", [2]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 2: 6 });
    expect(k.vmstat().pgmigrate_success).toBe(6);
  });

  it("attach rebinds to the destination cpuset", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    p.setMempolicy("MPOL_BIND", [0, 2]); // recorded mems {0,1,2}
    k.cpusets.create("/d", { mems: [1] });
    k.cpusets.attach(p, "/d");
    expect(p.getMempolicy().nodes).toEqual([1]);
  });
});

describe("exec with numactl", () => {
  it("applies numactl's policy and CPU binding to the new process", () => {
    const k = tinyKernel();
    const { process: p, cpusAllowed } = k.exec("numactl --cpunodebind=1 --interleave=0,2 ./app");
    expect(cpusAllowed).toEqual([2, 3]);
    expect(p.cpu).toBe(2);
    expect(p.getMempolicy()).toMatchObject({ modeName: "MPOL_INTERLEAVE", nodes: [0, 2] });
    const b = k.exec("numactl -b -m 0-1 ./app").process;
    expect(b.getMempolicy()).toMatchObject({ modeName: "MPOL_BIND", modeFlags: ["MPOL_F_NUMA_BALANCING"], nodes: [0, 1] });
    expect(k.exec("./plain").process.getMempolicy().modeName).toBe("MPOL_DEFAULT");
  });

  it("numactl --hardware", () => {
    const k = tinyKernel();
    const text = k.numactlHardware();
    expect(text.split("\n")[0]).toBe("available: 3 nodes (0-2)");
    expect(text).toContain("node 2 cpus:\n");
    expect(text).toContain("node 0 cpus: 0 1\n");
    expect(text).toMatch(/node distances:\nnode   0   1   2 \n  0:  10 /);
  });
});

describe("effective policy and MOF (§1.3, §4.3)", () => {
  it("resolves shared -> VMA -> task -> default and reports NUMA-balancing eligibility", async () => {
    const { effectivePolicy, vmaPolicyMof } = await import("../../src/kernel/effective.js");
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(4 * P);
    const s = p.mmap(4 * P, { shared: true });
    const vA = () => p.mm.find(a / P)!;
    const vS = () => p.mm.find(s / P)!;
    expect(effectivePolicy(vA(), a / P, p.policy)).toEqual({ policy: null, scope: "default" });
    expect(vmaPolicyMof(vA(), p.policy, { shmemFix: false })).toBe(true);
    expect(vmaPolicyMof(vS(), p.policy, { shmemFix: false })).toBe(false); // the shmem bug
    expect(vmaPolicyMof(vS(), p.policy, { shmemFix: true })).toBe(true);
    p.setMempolicy("MPOL_INTERLEAVE", [0, 1]);
    expect(effectivePolicy(vA(), a / P, p.policy).scope).toBe("task");
    expect(vmaPolicyMof(vA(), p.policy, { shmemFix: true })).toBe(false);
    p.mbind(a, 4 * P, "MPOL_BIND|MPOL_F_NUMA_BALANCING", [0]);
    expect(effectivePolicy(vA(), a / P, p.policy).scope).toBe("vma");
    expect(vmaPolicyMof(vA(), p.policy, { shmemFix: false })).toBe(true);
    p.mbind(s, 4 * P, "MPOL_PREFERRED", [1]);
    expect(effectivePolicy(vS(), s / P, p.policy).scope).toBe("shared");
  });
});
