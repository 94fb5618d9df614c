/**
 * Fallback zonelists (kernel-model.md §3.2) and find_next_best_node, which demotion reuses (§5.2).
 *
 * Checked against torvalds/linux mm/page_alloc.c (find_next_best_node, build_zonelists,
 * build_thisnode_zonelists, __build_all_zonelists; a v6.x copy) and the memoryless-node fix
 * (Qi Zheng, 2022) that added the N_MEMORY test to the local-node shortcut:
 * - the local node is returned first only when it is unused and in N_MEMORY;
 * - candidates are N_MEMORY nodes in ascending id; value = (distance + (n < local) +
 *   PENALTY_FOR_NODE_WITH_CPUS(1) if n has CPUs) * MAX_NUMNODES + node_load[n]; the strictly
 *   smallest value wins, so ties go to the lowest id;
 * - build_zonelists starts with prev = local and adds 1 to node_load[chosen] whenever
 *   distance(local, chosen) differs from distance(local, prev);
 * - node_load is zeroed once per rebuild and persists while every possible node (memoryless
 *   ones too) builds its list in ascending id order;
 * - the NOFALLBACK list holds only the node's own populated zones;
 * - the boot log is pr_info("Fallback order for Node %d: ") + pr_cont("%d ") per node.
 * One zone per node is modelled, so a zonelist is a node list.
 */

/** MAX_NUMNODES with CONFIG_NODES_SHIFT=10 (x86-64 distribution kernels). */
export const MAX_NUMNODES = 1024;
/** PENALTY_FOR_NODE_WITH_CPUS: headless (CPU-less) nodes are preferred at equal distance. */
export const PENALTY_FOR_NODE_WITH_CPUS = 1;

/** What find_next_best_node reads. */
export interface BestNodeContext {
  /** N_MEMORY, ascending. */
  readonly memoryNodes: readonly number[];
  /** Whether a node has CPUs (cpumask_of_node non-empty). */
  readonly hasCpus: (node: number) => boolean;
  /** SLIT distance. */
  readonly distance: (from: number, to: number) => number;
  /** node_load[] as left by the last zonelist build (missing = 0). */
  readonly nodeLoad: ReadonlyMap<number, number>;
}

/**
 * find_next_best_node(node, used): the next node in `node`'s fallback order, marked in `used`
 * (which it mutates, as the kernel's used_node_mask), or null (NUMA_NO_NODE) when none is left.
 *
 * @example
 * const used = new Set<number>();
 * findNextBestNode(ctx, 0, used) // 0 (local first), then 2, 1, 3 on later calls
 */
export function findNextBestNode(ctx: BestNodeContext, node: number, used: Set<number>): number | null {
  if (!used.has(node) && ctx.memoryNodes.includes(node)) {
    used.add(node);
    return node;
  }
  let best: number | null = null;
  let bestValue = Infinity;
  for (const n of ctx.memoryNodes) {
    if (used.has(n)) continue;
    let value = ctx.distance(node, n);
    value += n < node ? 1 : 0;
    value += ctx.hasCpus(n) ? PENALTY_FOR_NODE_WITH_CPUS : 0;
    value = value * MAX_NUMNODES + (ctx.nodeLoad.get(n) ?? 0);
    if (value < bestValue) {
      bestValue = value;
      best = n;
    }
  }
  if (best !== null) used.add(best);
  return best;
}

/** Every node's FALLBACK list and the node_load[] the build leaves behind. */
export interface Zonelists {
  /** Node id -> memory nodes in allocation order (empty when the machine has no memory). */
  readonly fallback: ReadonlyMap<number, readonly number[]>;
  /** node_load[] after the build; demotion's find_next_best_node calls read it. */
  readonly nodeLoad: ReadonlyMap<number, number>;
}

/**
 * build_all_zonelists: builds every node's FALLBACK list in ascending node id, sharing node_load.
 * Private nodes (`privateNodes`, N_MEMORY_PRIVATE, §6.1) are not candidates of any list, as they
 * are not in N_MEMORY; a private node's own list starts with itself and continues with the
 * N_MEMORY nodes in find_next_best_node order (RFC v4 patch 04/27). [SIM] the private node's
 * build shares node_load with the others, like any node processed in id order (not verified).
 *
 * @example
 * buildZonelists([0, 1, 2, 3], ctx).fallback.get(0) // [0, 2, 1, 3] on a 2-socket + 2-CXL SLIT
 * buildZonelists([0, 1, 2, 3], { ...ctx, memoryNodes: [0, 1], privateNodes: [2, 3] }).fallback.get(2) // [2, 0, 1]
 */
export function buildZonelists(nodeIds: readonly number[], ctx: Omit<BestNodeContext, "nodeLoad"> & { readonly privateNodes?: readonly number[] }): Zonelists {
  const nodeLoad = new Map<number, number>();
  const live: BestNodeContext = { memoryNodes: ctx.memoryNodes, hasCpus: ctx.hasCpus, distance: ctx.distance, nodeLoad };
  const fallback = new Map<number, readonly number[]>();
  const privateNodes = ctx.privateNodes ?? [];
  for (const local of [...nodeIds].sort((a, b) => a - b)) {
    const used = new Set<number>();
    const order: number[] = [];
    let prev = local;
    if (privateNodes.includes(local)) {
      used.add(local);
      order.push(local);
    }
    for (let node = findNextBestNode(live, local, used); node !== null; node = findNextBestNode(live, local, used)) {
      if (ctx.distance(local, node) !== ctx.distance(local, prev)) nodeLoad.set(node, (nodeLoad.get(node) ?? 0) + 1);
      order.push(node);
      prev = node;
    }
    fallback.set(local, order);
  }
  return { fallback, nodeLoad };
}
