import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import { defaultMinFreeKbytes, intSqrt, kernelWatermarks, setupZoneWatermarks } from "../../src/topology/watermarks.js";
import { GiB, interconnect, machine, mem, node } from "./literal-spec.js";

const PAGES_64G = (64 * GiB) / 4096; // 16777216

describe("min_free_kbytes (kernel-model.md §1.9)", () => {
  it("is int_sqrt(lowmem_kbytes * 16) clamped to [128, 262144]", () => {
    expect(intSqrt(1073741824)).toBe(32768);
    expect(intSqrt(1071070080)).toBe(32727); // 32727^2 = 1071056529, 32728^2 = 1071121984
    expect(intSqrt(0)).toBe(0);
    expect(defaultMinFreeKbytes(PAGES_64G)).toBe(32768); // 67108864 kB * 16 = 2^30
    expect(defaultMinFreeKbytes((1 * GiB) / 4096)).toBe(4096);
    expect(defaultMinFreeKbytes(1000)).toBe(252); // 4000 kB * 16 = 64000 -> 252
    expect(defaultMinFreeKbytes(100)).toBe(128); // 400 kB -> 80 -> clamped up
    expect(defaultMinFreeKbytes((8 * 1024 * GiB) / 4096)).toBe(262144); // above 4 TiB the cap holds
  });

  it("two 64 GiB DRAM sockets: worked by hand", () => {
    /*
     * lowmem = 2 * 16777216 pages = 134217728 kB; *16 = 2147483648; int_sqrt = 46340.
     * pages_min = 46340 >> 2 = 11585; each zone: tmp = 11585 * 16777216 / 33554432 = 5792 (5792.5).
     * min = 5792; tmp = max(5792 >> 2 = 1448, 16777216 * 10 / 10000 = 16777) = 16777.
     * low = 22569, high = 39346, promo = 56123.
     */
    const kt = deriveKernelTopology(machine([node(0, 0, 4, mem()), node(1, 1, 4, mem())], [interconnect(0, 1)]));
    expect(kt.minFreeKbytes).toBe(46340);
    expect(kt.watermarks(0)).toEqual({ min: 5792, low: 22569, high: 39346, promo: 56123 });
    expect(kt.watermarks(1)).toEqual(kt.watermarks(0));
    expect(kt.managedPages(0)).toBe(PAGES_64G);
  });

  it("a movable CXL node does not raise min_free_kbytes, but its dax/kmem onlining lowers it a little", () => {
    /*
     * node 0: 64 GiB DRAM (ZONE_NORMAL, boot); node 1: 256 GiB CXL (ZONE_MOVABLE, dax/kmem).
     * Boot: lowmem 16777216 pages -> 32768 kB; node 0: min 8192, tmp max(2048, 16777) = 16777,
     *       high = 8192 + 2 * 16777 = 41746.
     * CXL online (init_per_zone_wmark_min again): lowmem = 16777216 - 41746 = 16735470 pages
     *       = 66941880 kB; *16 = 1071070080; int_sqrt = 32727. Recomputed high 41735 ->
     *       16735481 pages -> still 32727: settled.
     * pages_min = 32727 >> 2 = 8181; lowmem_pages (movable excluded) = 16777216.
     * node 0: min 8181, tmp max(2045, 16777) = 16777 -> low 24958, high 41735, promo 58512.
     * node 1: share = 8181 * 67108864 / 16777216 = 32724; min = clamp(67108864/1024 = 65536, 32, 128) = 128;
     *         tmp = max(32724 >> 2 = 8181, 67108864 * 10 / 10000 = 67108) = 67108
     *         -> low 67236, high 134344, promo 201452.
     */
    const spec = machine([node(0, 0, 4, mem()), node(1, 0, [], mem({ kind: "cxl", gib: 256, zone: "movable" }))], [], [[10, 14], [14, 10]]);
    const kt = deriveKernelTopology(spec);
    expect(kt.minFreeKbytes).toBe(32727);
    expect(kt.watermarks(0)).toEqual({ min: 8181, low: 24958, high: 41735, promo: 58512 });
    expect(kt.watermarks(1)).toEqual({ min: 128, low: 67236, high: 134344, promo: 201452 });
  });

  it("a CXL node onlined into ZONE_NORMAL counts as lowmem and shares min", () => {
    /*
     * Boot: DRAM only, as above (min_free 32768, high 41746).
     * Online: lowmem = (16777216 - 41746) + 67108864 = 83844334 pages -> 335377336 kB; *16 =
     *   5366037376; int_sqrt = 73253 (73253^2 = 5366002009; 73254^2 = 5366148516).
     * Setup: pages_min = 18313; lowmem = 83886080; node 0 share = 18313 * 16777216 / 83886080 = 3662;
     *   node 1 share = 14650. Highs: node 0 3662 + 2 * 16777 = 37216; node 1 14650 + 2 * 67108 = 148866.
     * Next: lowmem = 83886080 - 37216 - 148866 = 83699998 pages -> 334799992 kB *16 = 5356799872;
     *   int_sqrt = 73190 (73190^2 = 5356776100; 73191^2 = 5356922481).
     * Setup: pages_min = 18297; node 0 share = 3659 -> high 3659 + 33554 = 37213; node 1 share
     *   14637 -> high 14637 + 134216 = 148853; lowmem = 83700014 pages -> 334800056 kB *16 =
     *   5356800896 -> 73190: settled.
     */
    const spec = machine([node(0, 0, 4, mem()), node(1, 0, [], mem({ kind: "cxl", gib: 256, zone: "normal" }))], [], [[10, 14], [14, 10]]);
    const kt = deriveKernelTopology(spec);
    expect(kt.minFreeKbytes).toBe(73190);
    expect(kt.watermarks(0).min).toBe(3659);
    expect(kt.watermarks(1)).toEqual({ min: 14637, low: 14637 + 67108, high: 14637 + 2 * 67108, promo: 14637 + 3 * 67108 });
  });

  it("caps a movable zone's min between SWAP_CLUSTER_MAX and 128 pages", () => {
    const zones = [
      { node: 0, zone: "normal" as const, managedPages: PAGES_64G, hotplugged: false },
      { node: 1, zone: "movable" as const, managedPages: 16384, hotplugged: true }, // 64 MiB: 16 -> 32
      { node: 2, zone: "movable" as const, managedPages: 65536, hotplugged: true }, // 256 MiB: 64
      { node: 3, zone: "movable" as const, managedPages: PAGES_64G, hotplugged: true }, // 16384 -> 128
    ];
    const marks = setupZoneWatermarks(zones, 32768, 10);
    expect([1, 2, 3].map((n) => marks.get(n)!.min)).toEqual([32, 64, 128]);
    // the proportional share still sets tmp: node 3: share 8192 -> tmp max(2048, 16777)
    expect(marks.get(3)).toEqual({ min: 128, low: 128 + 16777, high: 128 + 2 * 16777, promo: 128 + 3 * 16777 });
    // node 1: share = 8192 * 16384 / 16777216 = 8; tmp = max(2, 16) = 16
    expect(marks.get(1)).toEqual({ min: 32, low: 48, high: 64, promo: 80 });
  });

  it("follows vm.watermark_scale_factor and a user-set vm.min_free_kbytes", () => {
    const spec = machine([node(0, 0, 4, mem())]);
    const kt = deriveKernelTopology(spec, { watermarkScaleFactor: 200, minFreeKbytes: 65536 });
    // pages_min 16384 = min; tmp = max(4096, 16777216 * 200 / 10000 = 335544)
    expect(kt.minFreeKbytes).toBe(65536);
    expect(kt.watermarks(0)).toEqual({ min: 16384, low: 16384 + 335544, high: 16384 + 2 * 335544, promo: 16384 + 3 * 335544 });
    expect(kt.knobs).toEqual({ watermarkScaleFactor: 200, minFreeKbytes: 65536 });
  });

  it("reports zero watermarks for memoryless nodes", () => {
    const kt = deriveKernelTopology(machine([node(0, 0, 4, mem()), node(1, 0, 4, null)], [], [[10, 12], [12, 10]]));
    expect(kt.watermarks(1)).toEqual({ min: 0, low: 0, high: 0, promo: 0 });
    expect(kt.managedPages(1)).toBe(0);
  });

  it("rejects bad knobs and a machine without ZONE_NORMAL memory", () => {
    const spec = machine([node(0, 0, 4, mem())]);
    expect(() => deriveKernelTopology(spec, { watermarkScaleFactor: 0 })).toThrow(UsageError);
    expect(() => deriveKernelTopology(spec, { watermarkScaleFactor: 3001 })).toThrow(/1\.\.3000/);
    expect(() => deriveKernelTopology(spec, { minFreeKbytes: -1 })).toThrow(/min_free_kbytes/);
    expect(() => kernelWatermarks([{ node: 0, zone: "movable", managedPages: 1000, hotplugged: false }], { minFreeKbytes: null, watermarkScaleFactor: 10 })).toThrow(/ZONE_NORMAL/);
  });
});
