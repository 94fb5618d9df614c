/**
 * Demotion targets (kernel-model.md §5.2): establish_demotion_targets and next_demotion_node.
 *
 * Checked against torvalds/linux mm/memory-tiers.c (establish_demotion_targets,
 * disable_all_demotion_targets, dump_demotion_targets) and Bing Jiao's 2025 patch that gave
 * next_demotion_node an allowed mask ("Preferred nodes are not in allowed_mask ... use it to get
 * the closest demotion target": complement the mask and call find_next_best_node).
 */
import type { Random } from "../core/random.js";
import { hasPrivateOp } from "./private.js";
import type { KernelTopology, MemoryTier } from "./types.js";
import { buildZonelists, findNextBestNode, type BestNodeContext } from "./zonelists.js";

/** Per memory node: preferred targets (next slower tier, nearest) and all slower-tier nodes. */
export interface DemotionTargets {
  readonly preferred: ReadonlyMap<number, readonly number[]>;
  readonly lowerTier: ReadonlyMap<number, readonly number[]>;
}

/**
 * establish_demotion_targets: for each node of a tier that is not the last, find_next_best_node
 * restricted to the next slower tier (every other N_MEMORY node counts as used) is called until
 * the distance changes; every node at the first distance found is preferred. Because
 * find_next_best_node ranks by distance plus the CPU and lower-id penalties, the first node found
 * is not always the nearest; the kernel keeps whatever distance that first node has.
 * lowerTier = N_MEMORY nodes in strictly slower tiers (the tier's lower_tier_mask).
 *
 * @example
 * establishDemotionTargets(tiers, ctx).preferred.get(0) // [2]
 */
export function establishDemotionTargets(tiers: readonly MemoryTier[], ctx: BestNodeContext): DemotionTargets {
  const preferred = new Map<number, readonly number[]>();
  const lowerTier = new Map<number, readonly number[]>();
  tiers.forEach((tier, index) => {
    const below = tiers.slice(index + 1).flatMap((t) => t.nodes).sort((a, b) => a - b);
    const next = tiers[index + 1];
    for (const node of tier.nodes) {
      lowerTier.set(node, below);
      if (next === undefined) {
        preferred.set(node, []);
        continue;
      }
      const used = new Set(ctx.memoryNodes.filter((n) => !next.nodes.includes(n)));
      const chosen: number[] = [];
      let bestDistance: number | null = null;
      for (let target = findNextBestNode(ctx, node, used); target !== null; target = findNextBestNode(ctx, node, used)) {
        const distance = ctx.distance(node, target);
        if (bestDistance !== null && distance !== bestDistance) break;
        bestDistance = distance;
        chosen.push(target);
      }
      preferred.set(node, chosen.sort((a, b) => a - b));
    }
  });
  return { preferred, lowerTier };
}

/**
 * next_demotion_node(node, allowed) on a derived topology (§5.2): a uniformly random node of
 * kt.demotionTargets(node) ∩ allowed (node_random); when that is empty, the node of `allowed`
 * nearest by find_next_best_node with the complement of `allowed` as the used mask (which gives
 * `node` itself if it is allowed and has memory). Null is NUMA_NO_NODE.
 *
 * @example
 * nextDemotionNode(kt, 0, kt.lowerTierNodes(0), new Random(1)) // 2
 */
export function nextDemotionNode(kt: KernelTopology, node: number, allowed: readonly number[], random: Random): number | null {
  return nextDemotionNodeIn(bestNodeContext(kt), node, kt.demotionTargets(node), allowed, random);
}

/**
 * next_demotion_node with explicit inputs: `preferred` is node_demotion[node].preferred.
 *
 * @example
 * nextDemotionNodeIn(ctx, 0, [2], [2, 3], random) // 2
 */
export function nextDemotionNodeIn(
  ctx: BestNodeContext,
  node: number,
  preferred: readonly number[],
  allowed: readonly number[],
  random: Random,
): number | null {
  const mask = preferred.filter((n) => allowed.includes(n)).sort((a, b) => a - b);
  if (mask.length > 0) return mask[random.int(0, mask.length - 1)]!;
  const used = new Set(ctx.memoryNodes.filter((n) => !allowed.includes(n)));
  return findNextBestNode(ctx, node, used);
}

const contexts = new WeakMap<KernelTopology, BestNodeContext>();

/**
 * Records the find_next_best_node inputs (with node_load) behind a derived topology, so
 * nextDemotionNode need not rebuild the zonelists.
 *
 * @example
 * rememberBestNodeContext(kt, ctx)
 */
export function rememberBestNodeContext(kt: KernelTopology, ctx: BestNodeContext): void {
  contexts.set(kt, ctx);
}

/**
 * find_next_best_node's inputs for a topology: remembered by deriveKernelTopology, or rebuilt
 * from the public interface (node_load comes from replaying the zonelist build).
 *
 * @example
 * findNextBestNode(bestNodeContext(kt), 0, new Set([0, 1])) // nearest node outside {0, 1}
 */
export function bestNodeContext(kt: KernelTopology): BestNodeContext {
  const known = contexts.get(kt);
  if (known !== undefined) return known;
  const hasCpus = (n: number): boolean => kt.cpuNodes.includes(n);
  const distance = (a: number, b: number): number => kt.distance(a, b);
  const nodeLoad = buildZonelists(kt.nodeIds, { memoryNodes: kt.memoryNodes, privateNodes: kt.privateNodes, hasCpus, distance }).nodeLoad;
  // §6.1: private nodes are demotion candidates only with NP_OPS_DEMOTION (as in deriveKernelTopology).
  const candidates = [...kt.memoryNodes, ...kt.privateNodes.filter((n) => hasPrivateOp(kt, n, "DEMOTION"))].sort((a, b) => a - b);
  const ctx: BestNodeContext = { memoryNodes: candidates, hasCpus, distance, nodeLoad };
  contexts.set(kt, ctx);
  return ctx;
}
