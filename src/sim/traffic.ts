/**
 * Where a process's accesses go during a phase: for each region it uses, its share times the
 * summed page weights on each node. One pass over the region's page weights and page nodes per
 * (region, phase); the cost grows with pages and phases, not with accesses or time.
 */
import { Random } from "../core/random.js";
import { pageWeights } from "../workload/patterns/registry.js";
import type { PatternSpec } from "../workload/patterns/types.js";
import type { AccessSpec, PhaseSpec } from "../workload/types.js";
import type { PerfTask } from "../perf/model.js";
import type { MachineProcess } from "./machine.js";
import { MAX_NODES, regionPageNodes } from "./placement.js";
import type { Kernel } from "../kernel/kernel.js";

// Page weights depend only on (seed, process, region, pages, pattern), so a sweep that varies
// weights or threads reuses them across points in one worker. Bounded by total entries.
const CACHE_LIMIT_PAGES = 16 * 2 ** 20;
const cache = new Map<string, PageWeights>();
let cachedPages = 0;

/** A region's page weights; `uniform` when all are equal, so node counts alone give the split. */
export interface PageWeights {
  readonly weights: Float64Array;
  readonly uniform: boolean;
}

function isUniform(w: Float64Array): boolean {
  const first = w[0];
  for (let i = 1; i < w.length; i++) if (w[i] !== first) return false;
  return true;
}

/**
 * A region's page weights for a pattern (cached per seed, process, region, size and pattern).
 *
 * @example
 * weightsFor(1, "cache", "heap", 4096, { type: "zipf", exponent: 0.99, scatter: true }).weights.length // 4096
 */
export function weightsFor(seed: number, process: string, region: string, pages: number, pattern: PatternSpec): PageWeights {
  const key = `${seed}\u0000${process}\u0000${region}\u0000${pages}\u0000${JSON.stringify(pattern)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const weights = pageWeights(pattern, pages, new Random(seed).fork(`weights/${process}/${region}`));
  const w: PageWeights = { weights, uniform: isUniform(weights) };
  if (pages <= CACHE_LIMIT_PAGES) {
    while (cachedPages + pages > CACHE_LIMIT_PAGES && cache.size > 0) {
      const [oldest, old] = cache.entries().next().value as [string, PageWeights];
      cache.delete(oldest);
      cachedPages -= old.weights.length;
    }
    cache.set(key, w);
    cachedPages += pages;
  }
  return w;
}

function weightedSums(nodes: Int16Array, w: Float64Array): Float64Array {
  const sums = new Float64Array(MAX_NODES);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n >= 0) sums[n] += w[i]!;
  }
  return sums;
}

/**
 * A process's traffic during one phase.
 *
 * @example
 * { fractions: { 0: 0.9, 1: 0.1 }, readShare: 2 / 3, unplacedShare: 0 }
 */
export interface PhaseTraffic {
  /** Fraction of the process's accesses each memory node serves; empty when it issues none. */
  readonly fractions: Record<number, number>;
  /** Fraction of accesses that are reads, as the program counts them. */
  readonly readShare: number;
}

/**
 * The traffic split of `proc` in `phase`, from the page nodes its regions got at first touch.
 *
 * @example
 * phaseTraffic(k, proc, proc.spec.phases[0], 1).fractions // { 0: 0.9, 1: 0.1 }
 */
export function phaseTraffic(k: Kernel, proc: MachineProcess, phase: PhaseSpec, seed: number): PhaseTraffic {
  return splitTraffic(phase.accesses, (access) => {
    const region = proc.regions.find((r) => r.spec.name === access.region)!;
    if (region.counts === null) return null;
    const w = weightsFor(seed, proc.spec.name, region.spec.name, region.pages, access.pattern);
    if (!w.uniform && region.nodes === null) region.nodes = regionPageNodes(k, proc, region);
    return w.uniform ? region.counts : weightedSums(region.nodes!, w.weights);
  });
}

/**
 * Combines a phase's accesses into one traffic split: each access's share goes to the nodes in
 * proportion to `sumsOf(access)` (the region's page weight per node id; null = not placed).
 * Static runs read the sums from first-touch placement, evolving runs from the regions'
 * accounting groups; both share this arithmetic.
 *
 * @example
 * splitTraffic(phase.accesses, (a) => sumsOfRegion(a)).fractions // { 0: 0.9, 1: 0.1 }
 */
export function splitTraffic(accesses: readonly AccessSpec[], sumsOf: (access: AccessSpec) => ArrayLike<number> | null): PhaseTraffic {
  const perNode = new Map<number, number>();
  let shareSum = 0;
  let readSum = 0;
  for (const access of accesses) {
    if (access.share <= 0) continue;
    const sums = sumsOf(access);
    if (sums === null) continue;
    let present = 0;
    for (let n = 0; n < sums.length; n++) present += sums[n]!;
    // Accesses to absent pages (an OOM kill freed them) are dropped, not sent anywhere.
    if (!(present > 0)) continue;
    for (let n = 0; n < sums.length; n++) {
      if (sums[n]! > 0) perNode.set(n, (perNode.get(n) ?? 0) + (access.share * sums[n]!) / present);
    }
    shareSum += access.share;
    readSum += access.share * access.readShare;
  }
  const fractions: Record<number, number> = {};
  if (shareSum <= 0) return { fractions, readShare: 1 };
  for (const [n, f] of [...perNode].sort((a, b) => a[0] - b[0])) fractions[n] = f / shareSum;
  return { fractions, readShare: readSum / shareSum };
}

/**
 * The performance model's task for a process running on `node` with a traffic split.
 *
 * @example
 * solvePerformance({ topology, tasks: [perfTaskOf(proc, 0, split)] })
 */
export function perfTaskOf(proc: MachineProcess, node: number, split: PhaseTraffic): PerfTask {
  const perf = proc.spec.perf;
  return {
    name: proc.spec.name,
    node,
    threads: proc.spec.threads,
    mlp: perf.mlp,
    computeNsPerAccess: perf.computeNs,
    traffic: split.fractions,
    readShare: split.readShare,
    nonTemporalStores: perf.nonTemporalStores,
  };
}
