/**
 * Where first-touch pages land, per mode (kernel-model.md §1.3-§1.5), with exact page counts.
 * Machine (helpers.ts): node 0 = socket 0 (CPUs 0-1), node 1 = socket 1 (CPUs 2-3), node 2 =
 * CXL on socket 0; zonelist(0) = [0, 1, 2]; 1000 pages per node, watermarks min 10 / low 20.
 */
import { describe, expect, it } from "vitest";
import { countsAt, tinyKernel } from "./helpers.js";

const P = 4096;

describe("first touch under each policy (§1.4)", () => {
  it("default: local node of the touching CPU", () => {
    const k = tinyKernel();
    const p0 = k.spawn({ cpu: 0 });
    const p1 = k.spawn({ cpu: 2 });
    const a = p0.mmap(100 * P);
    const b = p1.mmap(100 * P);
    p0.touch(a, 100 * P);
    p1.touch(b, 100 * P);
    expect(countsAt(p0.numaMaps(), a)).toEqual({ 0: 100 });
    expect(countsAt(p1.numaMaps(), b)).toEqual({ 1: 100 });
    expect(k.numastat()[0]).toMatchObject({ numa_hit: 100, local_node: 100, numa_miss: 0 });
  });

  it("LOCAL and PREFERRED", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 2 });
    const a = p.mmap(10 * P);
    const b = p.mmap(10 * P);
    p.mbind(a, 10 * P, "MPOL_LOCAL", []);
    p.mbind(b, 10 * P, "MPOL_PREFERRED", [2]);
    p.touch(a, 10 * P);
    p.touch(b, 10 * P);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 1: 10 });
    expect(countsAt(p.numaMaps(), b)).toEqual({ 2: 10 });
    expect(p.numaMaps()).toContain(`${b.toString(16)} prefer:2 anon=10 dirty=10 N2=10 kernelpagesize_kB=4`);
    expect(p.numaMaps()).toContain(`${a.toString(16)} local anon=10`);
  });

  it("BIND takes the nearest bound node of the CPU's zonelist, not the lowest id", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 2 }); // node 1: zonelist [1, 0, 2]
    const a = p.mmap(10 * P);
    p.mbind(a, 10 * P, "MPOL_BIND", [0, 1]);
    p.touch(a, 10 * P);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 1: 10 });
    expect(p.numaMaps()).toContain("bind:0-1");
  });

  it("INTERLEAVE by address: ilx = vpn, node = nodes[ilx mod n]", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(11 * P, { addr: 0x10001000 }); // vpn 0x10001 is odd: first page on the second node
    p.mbind(a, 11 * P, "MPOL_INTERLEAVE", [0, 2]);
    p.touch(a, 11 * P);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 5, 2: 6 });
    expect(p.movePages(0, [a, a + P, a + 2 * P], null)).toEqual([2, 0, 2]);
    expect(k.vmstat().numa_interleave).toBe(11);
    expect(p.numaMaps()).toContain("interleave:0,2");
  });

  it("weighted interleave 5:1 over 65537 pages = 54614 / 10923 (calibration.md §2)", () => {
    const k = tinyKernel({ pages: [100_000, 100_000, 100_000] });
    k.sysfs.write("/sys/kernel/mm/mempolicy/weighted_interleave/node0", 5);
    k.sysfs.write("/sys/kernel/mm/mempolicy/weighted_interleave/node1", 1);
    const p = k.spawn({ cpu: 0 });
    // vpn 0x100005 mod 6 = 3: the 5 leftover pages take ilx residues 3,4,5,0,1 (4 on node 0, 1 on
    // node 1), which reproduces the measured split (so does a start residue of 5).
    const a = p.mmap(65537 * P, { addr: 0x100005000 });
    p.mbind(a, 65537 * P, "MPOL_WEIGHTED_INTERLEAVE", [0, 1]);
    p.touch(a, 65537 * P);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 54614, 1: 10923 });
    expect(p.numaMaps()).toContain("weighted interleave:0-1");
    k.sysfs.write("/sys/kernel/mm/mempolicy/weighted_interleave/node0", 1);
    k.sysfs.write("/sys/kernel/mm/mempolicy/weighted_interleave/node1", 5);
    const b = p.mmap(65537 * P, { addr: 0x200007000 }); // vpn mod 6 = 3
    p.mbind(b, 65537 * P, "MPOL_WEIGHTED_INTERLEAVE", [0, 1]);
    p.touch(b, 65537 * P);
    expect(countsAt(p.numaMaps(), b)).toEqual({ 0: 10923, 1: 54614 });
  });

  it("shmem interleave follows the file index plus inode bias, whoever touches the page", () => {
    const k = tinyKernel();
    const seg = k.shmget(8 * P);
    const p = k.spawn({ cpu: 0 });
    const q = k.spawn({ cpu: 2 });
    const a = p.shmat(seg);
    const b = q.shmat(seg);
    p.mbind(a, 8 * P, "MPOL_INTERLEAVE", [0, 1]);
    p.touch(a, 4 * P); // pages 0-3 by p
    q.touch(b + 4 * P, 4 * P); // pages 4-7 by q, at a different address
    const expected = Array.from({ length: 8 }, (_, i) => [0, 1][(seg.ino + i) % 2]);
    const addrs = Array.from({ length: 8 }, (_, i) => b + i * P);
    q.touch(b, 4 * P); // soft faults: pages already present do not move
    expect(q.movePages(0, addrs, null)).toEqual(expected);
  });

  it("page cache ignores the VMA policy and uses the task policy with task round robin (§1.3)", () => {
    const k = tinyKernel();
    const f = k.file("/data/a", 8 * P);
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(8 * P, { file: f, shared: true });
    p.mbind(a, 8 * P, "MPOL_BIND", [2]);
    p.touch(a, 4 * P, { write: false });
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 4 });
    p.setMempolicy("MPOL_INTERLEAVE", [1, 2]);
    p.touch(a + 4 * P, 4 * P, { write: false });
    expect(p.movePages(0, [a + 4 * P, a + 5 * P, a + 6 * P, a + 7 * P], null)).toEqual([1, 2, 1, 2]);
    // Another process on node 1 maps the file: the pages stay where the first toucher put them.
    const q = k.spawn({ cpu: 2 });
    const b = q.mmap(8 * P, { file: f, shared: true });
    q.touch(b, 8 * P, { write: false });
    expect(countsAt(q.numaMaps(), b)).toEqual({ 0: 4, 1: 2, 2: 2 });
    expect(q.numaMaps()).toContain("mapmax=2");
  });

  it("reading untouched anonymous memory maps the zero page and allocates nothing", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(10 * P);
    p.touch(a, 10 * P, { write: false });
    expect(k.vmstat().nr_anon_pages).toBe(0);
    expect(p.numaMaps()).toBe(`${a.toString(16)} default\n`);
    p.touch(a, 10 * P, { write: true });
    expect(k.vmstat().nr_anon_pages).toBe(10);
  });

  it("THP: 2 MiB folios on the local node when enabled=always", () => {
    const k = tinyKernel({ pages: [4096, 4096, 4096] });
    k.sysfs.write("/sys/kernel/mm/transparent_hugepage/enabled", "always");
    expect(k.sysfs.read("/sys/kernel/mm/transparent_hugepage/enabled")).toBe("[always] madvise never");
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap("4MiB");
    expect(a % (2 << 20)).toBe(0);
    p.touch(a, "4MiB");
    expect(k.vmstat().thp_fault_alloc).toBe(2);
    expect(k.meminfo()[0]!.AnonHugePages).toBe(4096);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 1024 });
  });
});

describe("numa_maps format", () => {
  it("prints shared anonymous and SysV mappings with the escaped file name, mapped= and mapmax=", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const s = p.mmap(2 * P, { shared: true });
    p.touch(s, 2 * P);
    const c = p.fork();
    c.touch(s, P, { write: false });
    expect(p.numaMaps()).toBe(`${s.toString(16)} default file=/dev/zero\\040(deleted) dirty=2 mapped=2 mapmax=2 N0=2 kernelpagesize_kB=4\n`);
    const seg = p.shmat(k.shmget(P));
    expect(p.numaMaps()).toContain(`${seg.toString(16)} default file=/SYSV00000000\\040(deleted)\n`);
    c.exit();
    expect(p.numaMaps()).not.toContain("mapmax");
    expect(k.process(c.pid)).toBeUndefined();
  });
});

describe("THP fallback and fault accounting", () => {
  it("a THP that does not fit on the start node falls back to 4 KiB pages without reclaim", () => {
    const k = tinyKernel({ pages: [600, 1000, 1000] });
    k.sysfs.write("/sys/kernel/mm/transparent_hugepage/enabled", "always");
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap("4MiB");
    p.touch(a, "4MiB");
    const vm = k.vmstat();
    expect([vm.thp_fault_alloc, vm.thp_fault_fallback]).toEqual([1, 1]);
    // 512 in the folio, then 4 KiB pages: 68 more on node 0 above low, 444 on node 1.
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 580, 1: 444 });
    expect(k.buddy.wakeLog).toEqual([]);
  });

  it("pgfault counts faults, not touches of present pages", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(10 * P);
    p.touch(a, 10 * P);
    p.touch(a, 10 * P);
    expect(k.vmstat().pgfault).toBe(10);
  });
});
