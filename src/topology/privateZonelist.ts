/**
 * Which nodes an allocation may walk when private nodes exist (kernel-model.md §1.8, §3.2,
 * §6.1), under the two designs of the seed 002 thread:
 * - "gfp-private" (RFC v4 as posted): private nodes are reachable only with __GFP_PRIVATE
 *   (numa_zone_allowed filters them out of every walk otherwise); GFP_PRIVATE =
 *   __GFP_PRIVATE | __GFP_THISNODE pins the allocation to one private node.
 * - "fallback-only" (the alternative Gregory Price and Balbir Singh discuss, June 2026): no
 *   __GFP_PRIVATE; a private node is reachable only through its own lists, i.e. when it is the
 *   preferred node (FALLBACK: itself then N_MEMORY) or the __GFP_THISNODE node.
 * In both designs the private node is absent from every other node's fallback list, so the flag
 * never makes a private node reachable from a normal start node.
 *
 * [SIM] policy origin: when a policy nodemask names a private node and no node of the start
 * node's fallback list is in the mask (BIND{private} from a CPU node), the walk starts at the
 * mask node nearest to the start node (SLIT, lowest id on ties). RFC v4 patch 13 lets mbind
 * faults land on the node but the way its mempolicy code picks the start node was not read; for
 * masks of N_MEMORY nodes the rule never applies (every normal list holds every N_MEMORY node).
 */
import { UsageError } from "../core/errors.js";
import type { KernelTopology } from "./types.js";

/** The two designs of seed 002 (kernel behaviour `privateNodeDesign`). */
export type PrivateNodeDesign = "gfp-private" | "fallback-only";

/**
 * Both designs, the RFC's first.
 * @example PRIVATE_NODE_DESIGNS // ["gfp-private", "fallback-only"]
 */
export const PRIVATE_NODE_DESIGNS: readonly PrivateNodeDesign[] = ["gfp-private", "fallback-only"];

/** The parts of an allocation request that decide its zonelist walk. */
export interface ZonelistWalk {
  /** The zonelist origin (local, preferred, home or interleave node). */
  readonly start: number;
  /** The policy nodemask, or null. */
  readonly mask: readonly number[] | null;
  /** __GFP_THISNODE: the NOFALLBACK list. */
  readonly thisNode?: boolean;
  /** __GFP_PRIVATE (meaningless, and ignored, under "fallback-only"). */
  readonly gfpPrivate?: boolean;
}

/**
 * The nodes an allocation walks, in order, before cpuset filtering.
 *
 * @example
 * // seed 002 machine: A=0, B=1 normal, C=2, D=3 private
 * walkedZonelist(kt, "gfp-private", { start: 2, mask: null })                    // [0, 1]
 * walkedZonelist(kt, "gfp-private", { start: 2, mask: null, gfpPrivate: true })  // [2, 0, 1]
 * walkedZonelist(kt, "fallback-only", { start: 2, mask: null })                  // [2, 0, 1]
 */
export function walkedZonelist(kt: KernelTopology, design: PrivateNodeDesign, req: ZonelistWalk): number[] {
  const mask = req.mask;
  let origin = req.start;
  if (kt.privateNodes.length > 0 && mask && !req.thisNode && mask.some((n) => kt.privateNodes.includes(n))) {
    if (!kt.zonelist(origin).some((n) => mask.includes(n))) origin = nearestOf(kt, origin, mask);
  }
  const base = req.thisNode ? kt.noFallbackZonelist(origin) : kt.zonelist(origin);
  const gated = design === "gfp-private" && !req.gfpPrivate && kt.privateNodes.length > 0;
  return base.filter((n) => (!mask || mask.includes(n)) && !(gated && kt.privateNodes.includes(n)));
}

function nearestOf(kt: KernelTopology, from: number, mask: readonly number[]): number {
  let best = from;
  let bestDistance = Infinity;
  for (const n of [...mask].sort((a, b) => a - b)) {
    if (!kt.memoryNodes.includes(n) && !kt.privateNodes.includes(n)) continue;
    const d = kt.distance(from, n);
    if (d < bestDistance) {
      bestDistance = d;
      best = n;
    }
  }
  return best;
}

/** The gfp flag combinations the reachability table covers. */
export type GfpCombination = "none" | "__GFP_THISNODE" | "__GFP_PRIVATE" | "GFP_PRIVATE";

/**
 * The four combinations, in table order.
 * @example GFP_COMBINATIONS[3] // "GFP_PRIVATE"
 */
export const GFP_COMBINATIONS: readonly GfpCombination[] = ["none", "__GFP_THISNODE", "__GFP_PRIVATE", "GFP_PRIVATE"];

/** One row of the reachability table. */
export interface ReachabilityRow {
  readonly design: PrivateNodeDesign;
  readonly flags: GfpCombination;
  /** The preferred (start) node of the allocation. */
  readonly start: number;
  /** Nodes the allocation may land on, in the order they are tried; empty = it fails. */
  readonly nodes: readonly number[];
}

/**
 * For every design, gfp combination and start node (every node id), the nodes a nodemask-less
 * allocation may land on. Rows are ordered by design, flags, start.
 *
 * @example
 * privateReachability(kt, "gfp-private").find((r) => r.flags === "GFP_PRIVATE" && r.start === 2)?.nodes // [2]
 * privateReachability(kt, "gfp-private").find((r) => r.flags === "none" && r.start === 2)?.nodes        // [0, 1]
 */
export function privateReachability(kt: KernelTopology, design: PrivateNodeDesign | "both" = "both"): ReachabilityRow[] {
  if (design !== "both" && !PRIVATE_NODE_DESIGNS.includes(design)) {
    throw new UsageError({ what: "privateReachability(kt, design)", value: design, rule: `the design is one of ${PRIVATE_NODE_DESIGNS.join(", ")} or "both"`, fix: 'write "gfp-private", "fallback-only" or "both"' });
  }
  const designs = design === "both" ? PRIVATE_NODE_DESIGNS : [design];
  const rows: ReachabilityRow[] = [];
  for (const d of designs) {
    for (const flags of GFP_COMBINATIONS) {
      const thisNode = flags === "__GFP_THISNODE" || flags === "GFP_PRIVATE";
      const gfpPrivate = flags === "__GFP_PRIVATE" || flags === "GFP_PRIVATE";
      for (const start of kt.nodeIds) rows.push({ design: d, flags, start, nodes: walkedZonelist(kt, d, { start, mask: null, thisNode, gfpPrivate }) });
    }
  }
  return rows;
}
