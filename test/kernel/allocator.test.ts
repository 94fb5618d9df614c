/**
 * The buddy allocator flow of kernel-model.md §1.8 with watermarks min 10 / low 20 per node.
 */
import { describe, expect, it } from "vitest";
import { OomKilledError } from "../../src/kernel/signals.js";
import { countsAt, tinyKernel } from "./helpers.js";

const P = 4096;

describe("buddy allocator (§1.8)", () => {
  it("default policy spills to CXL at the low watermark before any kswapd wakes", () => {
    const k = tinyKernel({ shape: "dram+cxl" }); // node 0 DRAM (CPUs), node 1 CXL
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(1000 * P);
    p.touch(a, 1000 * P);
    // Node 0 gives pages while free > low (1000 - 20 = 980); the rest goes to CXL at once.
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 980, 1: 20 });
    expect(k.buddy.wakeLog).toEqual([]);
    expect(k.numastat()[1]).toMatchObject({ numa_miss: 20, other_node: 20 });
    expect(k.numastat()[0]).toMatchObject({ numa_hit: 980, numa_foreign: 20 });
  });

  it("kswapd wakes on every zonelist node only when all fail low; then the min watermark is used", () => {
    const k = tinyKernel({ shape: "dram+cxl" });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(1965 * P);
    p.touch(a, 1965 * P);
    // 980 + 980 above low, then both woken, then the last 5 from node 0 down towards min.
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 985, 1: 980 });
    expect(k.buddy.wakeLog).toEqual([0, 1]);
    expect([...k.buddy.free.slice(0, 2)]).toEqual([15, 20]);
  });

  it("PREFERRED_MANY: pass 1 on its nodes wakes their kswapd and uses min before pass 2 spills", () => {
    const k = tinyKernel({ shape: "dram+cxl" });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(1000 * P);
    p.mbind(a, 1000 * P, "MPOL_PREFERRED_MANY", [0]);
    p.touch(a, 1000 * P);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 990, 1: 10 });
    expect(k.buddy.wakeLog).toEqual([0]);
    expect(p.numaMaps()).toContain("prefer (many):0");
  });

  it("BIND never leaves its mask: a constrained OOM kills the biggest candidate", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(2000 * P);
    p.mbind(a, 2000 * P, "MPOL_BIND", [2]);
    let err: unknown;
    try {
      p.touch(a, 2000 * P);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OomKilledError);
    expect((err as OomKilledError).constrained).toBe(true);
    expect(k.oomKills).toEqual([{ pid: p.pid, constrained: true, freedPages: 990 }]);
    expect(k.buddy.wakeLog).toEqual([2]);
    expect([...k.buddy.free.slice(0, 3)]).toEqual([1000, 1000, 1000]);
    expect(k.vmstat().oom_kill).toBe(1);
    expect(k.process(p.pid)).toBeUndefined();
  });

  it("OOM kills another process when it is the biggest, and the allocation then succeeds", () => {
    const k = tinyKernel({ shape: "dram+cxl" });
    const hog = k.spawn({ cpu: 0 });
    const h = hog.mmap(1900 * P);
    hog.touch(h, 1900 * P);
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(200 * P);
    p.touch(a, 200 * P);
    expect(k.oomKills.map((o) => o.pid)).toEqual([hog.pid]);
    expect(k.process(hog.pid)).toBeUndefined();
    expect(Object.values(countsAt(p.numaMaps(), a)).reduce((x, y) => x + y, 0)).toBe(200);
  });

  it("an interleaved run that ends in an OOM kill of its own task gives every page back", () => {
    const k = tinyKernel({ shape: "dram+cxl" });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(2100 * P);
    p.mbind(a, 2100 * P, "MPOL_INTERLEAVE", [0, 1]);
    expect(() => p.touch(a, 2100 * P)).toThrow(OomKilledError);
    expect([...k.buddy.free.slice(0, 2)]).toEqual([1000, 1000]);
    expect(k.oomKills).toEqual([{ pid: p.pid, constrained: false, freedPages: 1980 }]);
  });

  it("a direct-reclaim hook is called with the zonelist nodes after the min watermark fails", () => {
    const k = tinyKernel({ shape: "dram+cxl" });
    const calls: [number[], number][] = [];
    k.buddy.directReclaim = (nodes, pages) => {
      calls.push([[...nodes], pages]);
      k.buddy.free[0]! += 100;
      return 100;
    };
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(2000 * P);
    p.touch(a, 2000 * P);
    expect(calls[0]).toEqual([[0, 1], 20]);
    expect(k.vmstat().allocstall_movable).toBe(1);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 1010, 1: 990 });
  });
});

describe("bulk allocation (§1.7)", () => {
  it("interleave: per = N / k with the extra pages on the first nodes of the round robin", () => {
    const k = tinyKernel();
    const p = k.spawn({ cpu: 0 });
    p.setMempolicy("MPOL_INTERLEAVE", [0, 1, 2]);
    const area = k.vmalloc(p, 10 * P);
    const nodes = [...area.pages].map((f) => k.frames.node[f]);
    expect(nodes).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(p.getMempolicy({ flags: "MPOL_F_NODE" }).node).toBe(0); // the round robin wrapped
    k.vfree(area);
    expect([...k.buddy.free.slice(0, 3)]).toEqual([1000, 1000, 1000]);
  });

  it("weighted: 13 pages at 5:1 = 11 on node 0, 2 on node 1, resuming mid-weight", () => {
    const k = tinyKernel();
    k.sysfs.write("/sys/kernel/mm/mempolicy/weighted_interleave/node0", 5);
    const p = k.spawn({ cpu: 0 });
    p.setMempolicy("MPOL_WEIGHTED_INTERLEAVE", [0, 1]);
    const area = k.vmalloc(p, 13 * P);
    const per = [0, 0];
    for (const f of area.pages) per[k.frames.node[f]!]!++;
    expect(per).toEqual([11, 2]);
    expect([p.ilPrev, p.ilWeight]).toEqual([0, 4]);
  });
});

describe("frame columns", () => {
  it("subsystem columns grow with the frame table", () => {
    const k = tinyKernel({ pages: [200_000, 200_000, 200_000] });
    const col = k.frames.column("scanTime", Float64Array);
    const before = col.length;
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(150_000 * P);
    p.touch(a, 150_000 * P);
    const grown = k.frames.column("scanTime", Float64Array);
    expect(grown.length).toBeGreaterThan(before);
    expect(grown.length).toBe(k.frames.node.length);
  });
});
