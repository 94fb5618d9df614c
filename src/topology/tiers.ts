/**
 * Abstract distances and memory tiers (kernel-model.md §5.1) and toptier (§5.2).
 *
 * Checked against torvalds/linux mm/memory-tiers.c (2025-26 copy: mt_set_default_dram_perf,
 * mt_perf_to_adistance, set_node_memory_tier, find_create_memory_tier, establish_demotion_targets'
 * top_tier_adistance loop, node_is_toptier) and drivers/acpi/numa/hmat.c
 * (hmat_set_default_dram_perf, hmat_calculate_adistance: both read ACCESS_COORDINATE_CPU).
 *
 * How a node gets its adistance here:
 * 1. The reference ("default DRAM perf") is the first node, in id order, with CPUs and boot
 *    memory whose HMAT data exists. Each later such node must be within 10% of it on all four
 *    metrics (|v - ref| * 10 > ref fails); one failure disables the perf algorithm system-wide
 *    (mt_perf_to_adistance then returns -EIO). Zero latency or bandwidth sums stop the search
 *    (-EINVAL). No reference at all = -ENOENT.
 * 2. Start value: 576 (MEMTIER_ADISTANCE_DRAM, the default DRAM type) for memory onlined by
 *    firmware at boot (kinds dram, hbm); 2880 (MEMTIER_DEFAULT_DAX_ADISTANCE, set by dax/kmem)
 *    for driver-managed memory (kinds cxl, pmem). HBM without data therefore lands in DRAM's
 *    tier: it is ordinary boot memory to the kernel (Xeon Max flat mode), and nothing else knows
 *    it is fast.
 * 3. When the algorithm is usable and the node has data, the start value is replaced by
 *    576 * (rdLat + wrLat) / (refRdLat + refWrLat) * (refRdBw + refWrBw) / (rdBw + wrBw),
 *    integer arithmetic left to right in 64 bits (MEMTIER_ADISTANCE_DRAM is a long since the 2025
 *    overflow fix). Latency in ns and bandwidth in MB/s, each rounded to an integer as HMAT holds
 *    them.
 */
import type { AccessCoordinates, MemoryKind, MemoryTier } from "./types.js";

export const MEMTIER_CHUNK_BITS = 7;
export const MEMTIER_CHUNK_SIZE = 1 << MEMTIER_CHUNK_BITS;
/** 4 * 128 + 64: mid-chunk, so slightly faster or slower DRAM shares the tier. */
export const MEMTIER_ADISTANCE_DRAM = 4 * MEMTIER_CHUNK_SIZE + (MEMTIER_CHUNK_SIZE >> 1);
/** dax/kmem's default: 5 x DRAM. */
export const MEMTIER_DEFAULT_DAX_ADISTANCE = MEMTIER_ADISTANCE_DRAM * 5;

/** HMAT's integer units: ns and MB/s. */
export interface KernelCoordinates {
  readonly readLatency: number;
  readonly writeLatency: number;
  readonly readBandwidth: number;
  readonly writeBandwidth: number;
}

/** Why nodes did or did not get a performance-based adistance. */
export type PerfAlgorithmState = "enabled" | "EIO" | "EINVAL" | "ENOENT";

/** One memory node as the adistance code sees it. */
export interface AdistanceNode {
  readonly node: number;
  readonly kind: MemoryKind;
  readonly hasCpus: boolean;
  /** Access class 1 coordinates, or null without firmware data. */
  readonly coordinates: AccessCoordinates | null;
}

/** Adistances of all memory nodes and how they were obtained. */
export interface Adistances {
  readonly adistance: ReadonlyMap<number, number>;
  /** The node whose performance is the reference, or null. */
  readonly referenceNode: number | null;
  readonly state: PerfAlgorithmState;
}

/**
 * Whether memory of this kind is onlined by a driver (dax/kmem) after boot rather than by
 * firmware at boot. Decides the no-data adistance (§5.1) and the min_free_kbytes recalculation.
 *
 * @example
 * isDriverManaged("cxl") // true
 */
export function isDriverManaged(kind: MemoryKind): boolean {
  return kind === "cxl" || kind === "pmem";
}

/**
 * Coordinates in HMAT's integer units (ns, MB/s with 1 GB/s = 1000 MB/s).
 *
 * @example
 * toKernelCoordinates({ readLatencyNs: 250, writeLatencyNs: 250, readBandwidthGBps: 32, writeBandwidthGBps: 32 })
 * // { readLatency: 250, writeLatency: 250, readBandwidth: 32000, writeBandwidth: 32000 }
 */
export function toKernelCoordinates(c: AccessCoordinates): KernelCoordinates {
  return {
    readLatency: Math.round(c.readLatencyNs),
    writeLatency: Math.round(c.writeLatencyNs),
    readBandwidth: Math.round(c.readBandwidthGBps * 1000),
    writeBandwidth: Math.round(c.writeBandwidthGBps * 1000),
  };
}

/**
 * mt_perf_to_adistance against a reference, left to right with integer division (§5.1), or null
 * for the kernel's -EINVAL (zero latency or bandwidth sum).
 *
 * @example
 * const ref = { readLatency: 100, writeLatency: 100, readBandwidth: 100000, writeBandwidth: 100000 };
 * mtPerfToAdistance({ readLatency: 250, writeLatency: 250, readBandwidth: 32000, writeBandwidth: 32000 }, ref) // 4500
 */
export function mtPerfToAdistance(perf: KernelCoordinates, ref: KernelCoordinates): number | null {
  const latency = perf.readLatency + perf.writeLatency;
  const bandwidth = perf.readBandwidth + perf.writeBandwidth;
  if (latency === 0 || bandwidth === 0) return null;
  let adist = MEMTIER_ADISTANCE_DRAM * latency;
  adist = Math.floor(adist / (ref.readLatency + ref.writeLatency));
  adist = adist * (ref.readBandwidth + ref.writeBandwidth);
  return Math.floor(adist / bandwidth);
}

/**
 * The abstract distance of every memory node (rules in this file's header). Pass N_MEMORY nodes;
 * order does not matter.
 *
 * @example
 * abstractDistances([{ node: 0, kind: "dram", hasCpus: true, coordinates: null }]).adistance.get(0) // 576
 */
export function abstractDistances(nodes: readonly AdistanceNode[]): Adistances {
  const sorted = [...nodes].sort((a, b) => a.node - b.node);
  let reference: KernelCoordinates | null = null;
  let referenceNode: number | null = null;
  let state: PerfAlgorithmState = "enabled";
  for (const n of sorted) {
    if (!n.hasCpus || isDriverManaged(n.kind) || n.coordinates === null) continue;
    const perf = toKernelCoordinates(n.coordinates);
    if (perf.readLatency + perf.writeLatency === 0 || perf.readBandwidth + perf.writeBandwidth === 0) {
      if (reference === null) state = "EINVAL";
      break;
    }
    if (reference === null) {
      reference = perf;
      referenceNode = n.node;
    } else if (!withinTenPercent(perf, reference)) {
      state = "EIO";
      break;
    }
  }
  if (reference === null && state === "enabled") state = "ENOENT";
  const adistance = new Map<number, number>();
  for (const n of sorted) {
    let adist = isDriverManaged(n.kind) ? MEMTIER_DEFAULT_DAX_ADISTANCE : MEMTIER_ADISTANCE_DRAM;
    if (state === "enabled" && reference !== null && n.coordinates !== null) {
      adist = mtPerfToAdistance(toKernelCoordinates(n.coordinates), reference) ?? adist;
    }
    adistance.set(n.node, adist);
  }
  return { adistance, referenceNode: state === "enabled" ? referenceNode : null, state };
}

function withinTenPercent(perf: KernelCoordinates, ref: KernelCoordinates): boolean {
  const keys = ["readLatency", "writeLatency", "readBandwidth", "writeBandwidth"] as const;
  return keys.every((k) => Math.abs(perf[k] - ref[k]) * 10 <= ref[k]);
}

/**
 * Memory tiers: nodes grouped by adistance rounded down to a multiple of 128, fastest first; the
 * sysfs id is adistance >> 7 (find_create_memory_tier).
 *
 * @example
 * memoryTiers(new Map([[0, 576], [1, 576], [2, 2880]]))
 * // [{ id: 4, start: 512, nodes: [0, 1] }, { id: 22, start: 2816, nodes: [2] }]
 */
export function memoryTiers(adistance: ReadonlyMap<number, number>): MemoryTier[] {
  const byStart = new Map<number, number[]>();
  for (const [node, adist] of adistance) {
    const start = adist - (adist % MEMTIER_CHUNK_SIZE);
    byStart.set(start, [...(byStart.get(start) ?? []), node]);
  }
  return [...byStart]
    .sort((a, b) => a[0] - b[0])
    .map(([start, nodes]) => ({ id: start >> MEMTIER_CHUNK_BITS, start, nodes: nodes.sort((a, b) => a - b) }));
}

/**
 * top_tier_adistance (§5.2): start of the slowest tier holding a node with CPUs, plus 127. With
 * no such tier the kernel leaves the static at its previous value; at boot that is 0.
 *
 * @example
 * topTierAdistance(tiers, (n) => n === 0) // 639 when node 0 is in tier 4
 */
export function topTierAdistance(tiers: readonly MemoryTier[], hasCpus: (node: number) => boolean): number {
  for (let i = tiers.length - 1; i >= 0; i--) {
    const tier = tiers[i]!;
    if (tier.nodes.some(hasCpus)) return tier.start + MEMTIER_CHUNK_SIZE - 1;
  }
  return 0;
}

/**
 * node_is_toptier (§5.2): true for a node without a tier (memoryless, memory offline), else
 * whether its tier starts at or below top_tier_adistance.
 *
 * @example
 * nodeIsToptier(2816, 639) // false: a CXL tier below DRAM
 */
export function nodeIsToptier(tierStart: number | null, topTier: number): boolean {
  return tierStart === null || tierStart <= topTier;
}
