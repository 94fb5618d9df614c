/**
 * min_free_kbytes and per-zone watermarks (kernel-model.md §1.9). One zone per node.
 *
 * Checked against torvalds/linux mm/page_alloc.c (a v6.x copy with WMARK_PROMO):
 * - calculate_min_free_kbytes: lowmem_kbytes = nr_free_buffer_pages() * 4; new =
 *   int_sqrt(lowmem_kbytes * 16); min_free_kbytes = clamp(new, 128, 262144).
 * - nr_free_buffer_pages = nr_free_zone_pages(gfp_zone(GFP_USER)): zones up to ZONE_NORMAL in
 *   the zonelist, each counting managed - high watermark (when positive). ZONE_MOVABLE memory
 *   (CXL onlined movable) never raises min_free_kbytes.
 * - At boot the watermarks are still zero when this runs (init_per_zone_wmark_min calls it before
 *   setup_per_zone_wmarks). Memory hotplug (online_pages) calls init_per_zone_wmark_min again,
 *   now subtracting the high watermarks then in force. dax/kmem memory (CXL, PMEM) is onlined
 *   that way after boot, so its arrival lowers min_free_kbytes slightly even when it is movable.
 *   tiersim onlines all driver-managed memory at once and repeats the recalculation until it
 *   stops changing (block-by-block onlining converges to the same value within about 1 kB).
 * - __setup_per_zone_wmarks: pages_min = min_free_kbytes >> 2; lowmem_pages = managed pages of
 *   every zone that is neither highmem nor ZONE_MOVABLE; tmp = pages_min * managed / lowmem_pages;
 *   ZONE_MOVABLE: min = clamp(managed / 1024, SWAP_CLUSTER_MAX 32, 128), other zones: min = tmp;
 *   then tmp = max(tmp >> 2, managed * watermark_scale_factor / 10000) — note tmp is the
 *   proportional share even for a movable zone whose min was capped — and low = min + tmp,
 *   high = low + tmp, promo = high + tmp.
 * - A user-set vm.min_free_kbytes is used as written (the sysctl handler applies it directly).
 */
import { UsageError } from "../core/errors.js";
import type { Watermarks, ZoneType } from "./types.js";

export const MIN_FREE_KBYTES_MIN = 128;
export const MIN_FREE_KBYTES_MAX = 262144;
/** SWAP_CLUSTER_MAX: the movable/highmem min floor. */
export const SWAP_CLUSTER_MAX = 32;
/** The movable/highmem min ceiling. */
export const MOVABLE_MIN_PAGES_MAX = 128;
/** KiB per 4 KiB page. */
const KB_PER_PAGE = 4;

/** One node's zone as the watermark code sees it. */
export interface WatermarkZone {
  readonly node: number;
  readonly zone: ZoneType;
  readonly managedPages: number;
  /** Onlined by a driver after boot (dax/kmem), so absent from the boot-time calculation. */
  readonly hotplugged: boolean;
}

/** The outcome of watermark setup. */
export interface WatermarkSetup {
  readonly minFreeKbytes: number;
  readonly watermarks: ReadonlyMap<number, Watermarks>;
}

/**
 * int_sqrt: the integer square root (floor).
 *
 * @example
 * intSqrt(1073741824) // 32768
 */
export function intSqrt(x: number): number {
  let r = Math.floor(Math.sqrt(x));
  while (r * r > x) r--;
  while ((r + 1) * (r + 1) <= x) r++;
  return r;
}

/**
 * calculate_min_free_kbytes for a lowmem size in pages (managed - high of every zone up to
 * ZONE_NORMAL).
 *
 * @example
 * defaultMinFreeKbytes(16777216) // 32768 for 64 GiB of ZONE_NORMAL at boot
 */
export function defaultMinFreeKbytes(lowmemPages: number): number {
  const computed = intSqrt(lowmemPages * KB_PER_PAGE * 16);
  return Math.min(MIN_FREE_KBYTES_MAX, Math.max(MIN_FREE_KBYTES_MIN, computed));
}

/**
 * __setup_per_zone_wmarks for the given zones.
 *
 * @example
 * setupZoneWatermarks([{ node: 0, zone: "normal", managedPages: 16777216, hotplugged: false }], 32768, 10).get(0)
 * // { min: 8192, low: 24969, high: 41746, promo: 58523 }
 */
export function setupZoneWatermarks(
  zones: readonly WatermarkZone[],
  minFreeKbytes: number,
  watermarkScaleFactor: number,
): Map<number, Watermarks> {
  const pagesMin = Math.floor(minFreeKbytes / KB_PER_PAGE);
  const lowmemPages = zones.filter((z) => z.zone !== "movable").reduce((s, z) => s + z.managedPages, 0);
  if (lowmemPages === 0) {
    throw new UsageError({
      what: "topology.nodes[].memory.zone",
      value: zones.map((z) => `node ${z.node}: ${z.zone}`).join(", "),
      rule: "Linux needs some online ZONE_NORMAL memory to boot (watermarks divide by it)",
      fix: 'online at least one node\'s memory as zone "normal" (socket DRAM normally is)',
    });
  }
  const out = new Map<number, Watermarks>();
  for (const z of zones) {
    const share = Math.floor((pagesMin * z.managedPages) / lowmemPages);
    const min =
      z.zone === "movable"
        ? Math.min(MOVABLE_MIN_PAGES_MAX, Math.max(SWAP_CLUSTER_MAX, Math.floor(z.managedPages / 1024)))
        : share;
    const tmp = Math.max(Math.floor(share / 4), Math.floor((z.managedPages * watermarkScaleFactor) / 10000));
    out.set(z.node, { min, low: min + tmp, high: min + 2 * tmp, promo: min + 3 * tmp });
  }
  return out;
}

/**
 * Boot plus driver onlining: min_free_kbytes from boot lowmem, watermarks, then (when driver
 * memory exists) the hotplug recalculation repeated to its fixed point. A given minFreeKbytes
 * (the sysctl written after boot) replaces the computed value.
 *
 * @example
 * kernelWatermarks(zones, { minFreeKbytes: null, watermarkScaleFactor: 10 }).minFreeKbytes // 32727 with a CXL node
 */
export function kernelWatermarks(
  zones: readonly WatermarkZone[],
  knobs: { readonly minFreeKbytes: number | null; readonly watermarkScaleFactor: number },
): WatermarkSetup {
  const wsf = knobs.watermarkScaleFactor;
  const boot = zones.filter((z) => !z.hotplugged);
  const lowmem = (zs: readonly WatermarkZone[], marks: ReadonlyMap<number, Watermarks>): number =>
    zs
      .filter((z) => z.zone !== "movable")
      .reduce((s, z) => s + Math.max(0, z.managedPages - (marks.get(z.node)?.high ?? 0)), 0);
  let minFree = defaultMinFreeKbytes(lowmem(boot, new Map()));
  let marks = setupZoneWatermarks(boot, minFree, wsf);
  if (boot.length < zones.length) {
    for (let round = 0; round < 16; round++) {
      const next = defaultMinFreeKbytes(lowmem(zones, marks));
      const settled = next === minFree && marks.size === zones.length;
      minFree = next;
      marks = setupZoneWatermarks(zones, minFree, wsf);
      if (settled) break;
    }
  }
  if (knobs.minFreeKbytes !== null) {
    minFree = knobs.minFreeKbytes;
    marks = setupZoneWatermarks(zones, minFree, wsf);
  }
  return { minFreeKbytes: minFree, watermarks: marks };
}
