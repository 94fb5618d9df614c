/**
 * Every errno case of kernel-model.md §2 and the side effects of each memory-policy syscall.
 * Machine (helpers.ts): nodes 0, 1 sockets (CPUs 0-1, 2-3), node 2 CXL; nr_node_ids = 3.
 */
import { describe, expect, it } from "vitest";
import { SyscallError } from "../../src/core/errors.js";
import type { ErrnoName } from "../../src/core/errors.js";
import { countsAt, tinyKernel } from "./helpers.js";

const P = 4096;

function errnoOf(fn: () => unknown): ErrnoName | "ok" {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (e instanceof SyscallError) return e.errno;
    throw e;
  }
}

describe("set_mempolicy (§2.1, §2.2)", () => {
  const k = tinyKernel();
  const p = k.spawn({ cpu: 0 });
  it.each([
    ["mode >= MPOL_MAX", () => p.setMempolicy(7, [0]), "EINVAL"],
    ["STATIC with RELATIVE", () => p.setMempolicy("MPOL_BIND|MPOL_F_STATIC_NODES|MPOL_F_RELATIVE_NODES", [0]), "EINVAL"],
    ["NUMA_BALANCING with INTERLEAVE", () => p.setMempolicy("MPOL_INTERLEAVE|MPOL_F_NUMA_BALANCING", [0]), "EINVAL"],
    ["NUMA_BALANCING with BIND", () => p.setMempolicy("MPOL_BIND|MPOL_F_NUMA_BALANCING", [0]), "ok"],
    ["NUMA_BALANCING with PREFERRED_MANY on v6.16", () => p.setMempolicy(["MPOL_PREFERRED_MANY", "MPOL_F_NUMA_BALANCING"], [0]), "ok"],
    ["DEFAULT with nodes", () => p.setMempolicy("MPOL_DEFAULT", [0]), "EINVAL"],
    ["DEFAULT without nodes", () => p.setMempolicy("MPOL_DEFAULT", []), "ok"],
    ["PREFERRED empty + STATIC", () => p.setMempolicy("MPOL_PREFERRED|MPOL_F_STATIC_NODES", []), "EINVAL"],
    ["LOCAL with nodes", () => p.setMempolicy("MPOL_LOCAL", [1]), "EINVAL"],
    ["LOCAL with RELATIVE", () => p.setMempolicy("MPOL_LOCAL|MPOL_F_RELATIVE_NODES", []), "EINVAL"],
    ["BIND empty", () => p.setMempolicy("MPOL_BIND", []), "EINVAL"],
    ["INTERLEAVE empty", () => p.setMempolicy("MPOL_INTERLEAVE", null), "EINVAL"],
    ["WEIGHTED_INTERLEAVE empty", () => p.setMempolicy(6, 0), "EINVAL"],
    ["PREFERRED_MANY empty", () => p.setMempolicy("MPOL_PREFERRED_MANY", []), "EINVAL"],
    ["no node with memory", () => p.setMempolicy("MPOL_BIND", [5]), "EINVAL"],
    ["maxnode - 1 above PAGE_SIZE*8", () => p.setMempolicy("MPOL_BIND", [0], { maxnode: 32770 }), "EINVAL"],
    ["a bit at MAX_NUMNODES", () => p.setMempolicy("MPOL_BIND", [0, 1024]), "EINVAL"],
    ["bitmask, ABI numbers", () => p.setMempolicy(2, 0b11n), "ok"],
  ] as const)("%s -> %s", (_name, call, errno) => {
    expect(errnoOf(call)).toBe(errno);
  });

  it("NUMA_BALANCING with PREFERRED_MANY is EINVAL before v6.10", () => {
    const old = tinyKernel({ kernel: "v6.9" }).spawn({ cpu: 0 });
    expect(errnoOf(() => old.setMempolicy("MPOL_PREFERRED_MANY|MPOL_F_NUMA_BALANCING", [0]))).toBe("EINVAL");
    expect(errnoOf(() => tinyKernel({ kernel: "v6.8" }).spawn().setMempolicy("MPOL_WEIGHTED_INTERLEAVE", [0]))).toBe("EINVAL");
  });

  it("maxnode limits the bits read: maxnode 2 reads only bit 0", () => {
    expect(errnoOf(() => p.setMempolicy("MPOL_BIND", 0b110, { maxnode: 2 }))).toBe("EINVAL");
    p.setMempolicy("MPOL_BIND", 0b111, { maxnode: 2 });
    expect(p.getMempolicy()).toMatchObject({ modeName: "MPOL_BIND", nodes: [0] });
  });

  it("PREFERRED with an empty mask becomes LOCAL; errors carry errno number and rule", () => {
    p.setMempolicy("MPOL_PREFERRED", []);
    expect(p.getMempolicy()).toMatchObject({ mode: 4, modeName: "MPOL_LOCAL", nodes: [] });
    try {
      p.setMempolicy("MPOL_BIND", []);
    } catch (e) {
      expect(e).toBeInstanceOf(SyscallError);
      expect((e as SyscallError).code).toBe(22);
      expect((e as SyscallError).syscall).toBe("set_mempolicy");
      expect((e as SyscallError).explanation).toMatch(/non-empty/);
    }
  });

  it("reports STATIC/RELATIVE flags and the user mask; (W)INTERLEAVE resets il_prev", () => {
    const q = tinyKernel().spawn({ cpu: 0 });
    q.setMempolicy("MPOL_INTERLEAVE|MPOL_F_STATIC_NODES", [1, 2]);
    expect(q.getMempolicy()).toMatchObject({ mode: 3 | 0x8000, modeFlags: ["MPOL_F_STATIC_NODES"], nodes: [1, 2] });
    expect(q.getMempolicy({ flags: "MPOL_F_NODE" }).node).toBe(1);
  });
});

describe("get_mempolicy (§2.4)", () => {
  const k = tinyKernel();
  const p = k.spawn({ cpu: 0 });
  const a = p.mmap(4 * P);
  it.each([
    ["unknown flag", () => p.getMempolicy({ flags: 8 }), "EINVAL"],
    ["maxnode < nr_node_ids", () => p.getMempolicy({ maxnode: 2 }), "EINVAL"],
    ["maxnode < nr_node_ids without nmask", () => p.getMempolicy({ maxnode: 2, nmask: false }), "ok"],
    ["nmask more than a page beyond the kernel's", () => p.getMempolicy({ maxnode: 32768 + 66 }), "EINVAL"],
    ["nmask up to a page", () => p.getMempolicy({ maxnode: 32768 + 1 }), "ok"],
    ["MEMS_ALLOWED with NODE", () => p.getMempolicy({ flags: ["MPOL_F_MEMS_ALLOWED", "MPOL_F_NODE"] }), "EINVAL"],
    ["MEMS_ALLOWED with ADDR", () => p.getMempolicy({ addr: a, flags: "MPOL_F_MEMS_ALLOWED|MPOL_F_ADDR" }), "EINVAL"],
    ["addr without ADDR", () => p.getMempolicy({ addr: a }), "EINVAL"],
    ["ADDR on no mapping", () => p.getMempolicy({ addr: 0x1000, flags: ["MPOL_F_ADDR"] }), "EFAULT"],
    ["NODE without an interleave task policy", () => p.getMempolicy({ flags: ["MPOL_F_NODE"] }), "EINVAL"],
  ] as const)("%s -> %s", (_name, call, errno) => {
    expect(errnoOf(call)).toBe(errno);
  });

  it("MEMS_ALLOWED returns the cpuset mems with mode 0", () => {
    expect(p.getMempolicy({ flags: ["MPOL_F_MEMS_ALLOWED"] })).toMatchObject({ mode: 0, nodes: [0, 1, 2] });
  });

  it("ADDR returns the VMA policy, and MPOL_DEFAULT (not the task policy) when it has none", () => {
    p.setMempolicy("MPOL_BIND", [1]);
    expect(p.getMempolicy({ addr: a, flags: ["MPOL_F_ADDR"] })).toMatchObject({ mode: 0, modeName: "MPOL_DEFAULT", nodes: [] });
    p.mbind(a, 4 * P, "MPOL_PREFERRED", [2]);
    expect(p.getMempolicy({ addr: a + P, flags: ["MPOL_F_ADDR"] })).toMatchObject({ mode: 1, nodes: [2] });
    // numa_maps prints the task policy for VMAs without one.
    const b = p.mmap(P);
    expect(p.numaMaps()).toContain(`${b.toString(16)} bind:1\n`);
  });

  it("NODE|ADDR faults the page in and returns its node", () => {
    const q = tinyKernel().spawn({ cpu: 2 });
    const s = q.mmap(P, { shared: true });
    expect(q.getMempolicy({ addr: s, flags: ["MPOL_F_NODE", "MPOL_F_ADDR"] })).toMatchObject({ mode: 1, node: 1 });
    expect(q.kernel.vmstat().nr_shmem).toBe(1);
  });

  it("NODE without ADDR: the next task-interleave node, weighted too", () => {
    const k2 = tinyKernel();
    k2.sysfs.write("/sys/kernel/mm/mempolicy/weighted_interleave/node0", 2);
    const q = k2.spawn({ cpu: 0 });
    q.setMempolicy("MPOL_WEIGHTED_INTERLEAVE", [0, 1]);
    const f = k2.file("/f", 4 * P);
    const m = q.mmap(4 * P, { file: f, shared: true });
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      seen.push(q.getMempolicy({ flags: "MPOL_F_NODE" }).node!);
      q.touch(m + i * P, P, { write: false });
    }
    expect(seen).toEqual([0, 0, 1, 0]);
    expect(q.movePages(0, [m, m + P, m + 2 * P, m + 3 * P], null)).toEqual([0, 0, 1, 0]);
  });
});

describe("mbind (§2.3)", () => {
  function setup() {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(16 * P);
    return { k, p, a };
  }

  it.each([
    ["MPOL_MF_LAZY", (p: any, a: number) => p.mbind(a, P, "MPOL_BIND", [0], ["MPOL_MF_LAZY"]), "EINVAL"],
    ["unknown flag bit", (p: any, a: number) => p.mbind(a, P, "MPOL_BIND", [0], 1 << 4), "EINVAL"],
    ["unaligned addr", (p: any, a: number) => p.mbind(a + 1, P, "MPOL_BIND", [0]), "EINVAL"],
    ["len 0 is a no-op", (p: any, a: number) => p.mbind(a, 0, "MPOL_BIND", [0]), "ok"],
    ["bad mode", (p: any, a: number) => p.mbind(a, P, 9, [0]), "EINVAL"],
    ["empty mask", (p: any, a: number) => p.mbind(a, P, "MPOL_INTERLEAVE", []), "EINVAL"],
    ["hole at the end", (p: any, a: number) => p.mbind(a, 17 * P, "MPOL_BIND", [0]), "EFAULT"],
    ["hole at the start", (p: any, a: number) => p.mbind(a - P, 2 * P, "MPOL_BIND", [0]), "EFAULT"],
    ["whole range unmapped", (p: any) => p.mbind(0x1000, P, "MPOL_BIND", [0]), "EFAULT"],
    ["DEFAULT over a hole", (p: any, a: number) => p.mbind(a, 17 * P, "MPOL_DEFAULT", []), "ok"],
  ] as const)("%s -> %s", (_n, call, errno) => {
    const { p, a } = setup();
    expect(errnoOf(() => call(p, a))).toBe(errno);
  });

  it("MOVE_ALL without CAP_SYS_NICE -> EPERM", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0, capSysNice: false });
    const a = p.mmap(P);
    expect(errnoOf(() => p.mbind(a, P, "MPOL_BIND", [0], ["MPOL_MF_MOVE_ALL"]))).toBe("EPERM");
    expect(errnoOf(() => p.mbind(a, P, "MPOL_BIND", [0], ["MPOL_MF_MOVE"]))).toBe("ok");
  });

  it("a hole in the middle -> EFAULT", () => {
    const { p, a } = setup();
    p.munmap(a + 4 * P, P);
    expect(errnoOf(() => p.mbind(a, 16 * P, "MPOL_BIND", [1]))).toBe("EFAULT");
  });

  it("STRICT without MOVE on a misplaced page -> EIO and the policy is not installed", () => {
    const { p, a } = setup();
    p.touch(a, 16 * P);
    expect(errnoOf(() => p.mbind(a, 16 * P, "MPOL_BIND", [1], ["MPOL_MF_STRICT"]))).toBe("EIO");
    expect(p.getMempolicy({ addr: a, flags: ["MPOL_F_ADDR"] }).modeName).toBe("MPOL_DEFAULT");
    expect(p.numaMaps().split("\n").filter(Boolean)).toHaveLength(1);
    // Pages already inside the mask pass STRICT.
    expect(errnoOf(() => p.mbind(a, 16 * P, "MPOL_BIND", [0, 1], "MPOL_MF_STRICT"))).toBe("ok");
    expect(p.getMempolicy({ addr: a, flags: ["MPOL_F_ADDR"] }).modeName).toBe("MPOL_BIND");
  });

  it("the walk is in address order: a misplaced page before a hole is EIO, a hole first is EFAULT", () => {
    const { p, a } = setup();
    p.touch(a, 16 * P);
    p.munmap(a + 8 * P, P);
    expect(errnoOf(() => p.mbind(a, 16 * P, "MPOL_BIND", [1], ["MPOL_MF_STRICT"]))).toBe("EIO");
    p.munmap(a, P);
    expect(errnoOf(() => p.mbind(a, 16 * P, "MPOL_BIND", [1], ["MPOL_MF_STRICT"]))).toBe("EFAULT");
  });

  it("MOVE migrates misplaced pages to where the new policy puts them (interleave by address)", () => {
    const { k, p, a } = setup();
    p.touch(a, 16 * P);
    p.mbind(a, 16 * P, "MPOL_INTERLEAVE", [1, 2], ["MPOL_MF_MOVE", "MPOL_MF_STRICT"]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 1: 8, 2: 8 });
    expect(k.vmstat().pgmigrate_success).toBe(16);
    const vpn = a / P;
    expect(p.movePages(0, [a], null)).toEqual([[1, 2][vpn % 2]]);
  });

  it("MOVE skips pages shared with another process; MOVE_ALL moves them", () => {
    const { k, p, a } = setup();
    p.touch(a, 16 * P);
    const child = p.fork();
    p.mbind(a, 16 * P, "MPOL_BIND", [2], ["MPOL_MF_MOVE"]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 16 });
    p.mbind(a, 16 * P, "MPOL_BIND", [2], ["MPOL_MF_MOVE_ALL"]);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 2: 16 });
    expect(countsAt(child.numaMaps(), a)).toEqual({ 2: 16 });
    expect(k.vmstat().pgmigrate_success).toBe(16);
  });

  it("splits a VMA in three and merges it back", () => {
    const { p, a } = setup();
    p.mbind(a + 4 * P, 4 * P, "MPOL_BIND", [1]);
    const lines = p.numaMaps().trim().split("\n");
    expect(lines.map((l) => l.split(" ").slice(0, 2).join(" "))).toEqual([
      `${a.toString(16)} default`,
      `${(a + 4 * P).toString(16)} bind:1`,
      `${(a + 8 * P).toString(16)} default`,
    ]);
    p.mbind(a + 8 * P, 8 * P, "MPOL_BIND", [1]);
    expect(p.numaMaps().trim().split("\n")).toHaveLength(2);
    p.mbind(a, 4 * P, "MPOL_BIND", [1]);
    expect(p.numaMaps()).toBe(`${a.toString(16)} bind:1\n`);
  });

  it("on shmem installs a shared policy every mapper sees, surviving munmap", () => {
    const k = tinyKernel();
    const seg = k.shmget(8 * P);
    const p = k.spawn({ cpu: 0 });
    const a = p.shmat(seg);
    p.mbind(a + 2 * P, 2 * P, "MPOL_BIND", [2]);
    p.munmap(a, 8 * P);
    const q = k.spawn({ cpu: 2 });
    const b = q.shmat(seg);
    expect(q.getMempolicy({ addr: b + 2 * P, flags: ["MPOL_F_ADDR"] })).toMatchObject({ modeName: "MPOL_BIND", nodes: [2] });
    expect(q.getMempolicy({ addr: b, flags: ["MPOL_F_ADDR"] }).modeName).toBe("MPOL_DEFAULT");
    q.touch(b, 8 * P);
    expect(q.movePages(0, [b, b + 2 * P, b + 3 * P, b + 4 * P], null)).toEqual([1, 2, 2, 1]);
  });
});

describe("set_mempolicy_home_node (§2.5)", () => {
  it("errno cases", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(4 * P);
    expect(errnoOf(() => p.setMempolicyHomeNode(a, 4 * P, 1, 1))).toBe("EINVAL");
    expect(errnoOf(() => p.setMempolicyHomeNode(a, 4 * P, 1024, 0))).toBe("EINVAL");
    expect(errnoOf(() => p.setMempolicyHomeNode(a + 1, 4 * P, 1, 0))).toBe("EINVAL");
    expect(errnoOf(() => p.setMempolicyHomeNode(a, 0, 1, 0))).toBe("ok");
    expect(errnoOf(() => p.setMempolicyHomeNode(a, 4 * P, 1, 0))).toBe("ENOENT");
    p.mbind(a, 2 * P, "MPOL_INTERLEAVE", [0, 1]);
    expect(errnoOf(() => p.setMempolicyHomeNode(a, 4 * P, 1, 0))).toBe("EOPNOTSUPP");
  });

  it("moves the allocation start of a BIND range to the home node", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(4 * P);
    p.mbind(a, 4 * P, "MPOL_BIND", [0, 1]);
    p.setMempolicyHomeNode(a, 4 * P, 1);
    p.touch(a, 4 * P);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 1: 4 });
  });
});

describe("migrate_pages and move_pages (§2.5)", () => {
  it("migrate_pages: ESRCH, EINVAL, positional move and the count of pages not moved", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(10 * P);
    p.touch(a, 10 * P);
    expect(errnoOf(() => p.migratePages(99999, [0], [1]))).toBe("ESRCH");
    expect(errnoOf(() => p.migratePages(0, [0], [7]))).toBe("EINVAL");
    expect(p.migratePages(p.pid, [0], [2])).toBe(0);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 2: 10 });
    k.cpusets.create("/small", { mems: [1] });
    const q = k.spawn({ cpu: 2, capSysNice: false, cpuset: "/small" });
    expect(errnoOf(() => q.migratePages(0, [1], [2]))).toBe("EPERM");
  });

  it("move_pages: per-page status and whole-call errors", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(4 * P);
    p.touch(a, 2 * P);
    const status = p.movePages(0, [a, a + P, a + 2 * P, 0x1000], [2, 2, 2, 2]);
    expect(status).toEqual([2, 2, -2, -14]); // -ENOENT not present, -EFAULT unmapped
    const child = p.fork();
    expect(p.movePages(0, [a], [1])).toEqual([-13]); // shared: -EACCES without MOVE_ALL
    expect(p.movePages(0, [a], [1], ["MPOL_MF_MOVE_ALL"])).toEqual([1]);
    expect(child.movePages(0, [a], null)).toEqual([1]);
    expect(errnoOf(() => p.movePages(0, [a], [1], 8))).toBe("EINVAL");
    expect(errnoOf(() => p.movePages(0, [a], [5]))).toBe("ENODEV");
    expect(errnoOf(() => p.movePages(424242, [a], [1]))).toBe("ESRCH");
    const weak = k.spawn({ cpu: 0, capSysNice: false });
    expect(errnoOf(() => weak.movePages(0, [a], [1], ["MPOL_MF_MOVE_ALL"]))).toBe("EPERM");
    expect(errnoOf(() => weak.movePages(p.pid, [a], [1]))).toBe("EPERM");
    k.cpusets.create("/n0", { mems: [0] });
    k.cpusets.attach(p, "/n0");
    expect(errnoOf(() => p.movePages(0, [a], [2]))).toBe("EACCES");
  });
});
