/**
 * Per-node event counters with the kernel's names (/proc/vmstat, numastat,
 * /sys/devices/system/node/nodeN/numastat; kernel-model.md §5.6). vmstat sums them over nodes.
 */

/** The counters kept per node. */
export const NODE_COUNTERS = [
  "numa_hit",
  "numa_miss",
  "numa_foreign",
  "numa_interleave",
  "numa_local",
  "numa_other",
  "pgalloc_normal",
  "pgalloc_movable",
  "pgfree",
  "pgfault",
  "pgmigrate_success",
  "pgmigrate_fail",
  "thp_fault_alloc",
  "thp_fault_fallback",
  "pgpromote_success",
  "pgpromote_candidate",
  "pgdemote_kswapd",
  "pgdemote_direct",
  "numa_pages_migrated",
  "numa_hint_faults",
  "numa_hint_faults_local",
  "numa_pte_updates",
  "numa_huge_pte_updates",
  "pgscan_kswapd",
  "pgscan_direct",
  "pgsteal_kswapd",
  "pgsteal_direct",
  "pgactivate",
  "pgdeactivate",
  "pswpout",
  "pswpin",
  "allocstall_movable",
  "oom_kill",
  // tiersim's compressed-RAM counters (CRAM, kernel-model.md §6.1; the RFC's own names were not
  // checked): folios accepted / refused by migrate_to, write faults taken on the node, folios
  // promoted to DRAM by them, promotions that found no DRAM page, folios freed (scrubbed) there.
  "cram_stored",
  "cram_refused",
  "cram_write_faults",
  "cram_promotions",
  "cram_promote_fail",
  "cram_freed",
] as const;

/** One counter name. */
export type NodeCounter = (typeof NODE_COUNTERS)[number];

/**
 * Counters indexed by node id.
 *
 * @example
 * const s = new NodeStats([0, 1]);
 * s.add("numa_hit", 0, 512);
 * s.total("numa_hit"); // 512
 */
export class NodeStats {
  readonly #nodes: readonly number[];
  readonly #counters: Map<NodeCounter, Float64Array> = new Map();

  constructor(nodeIds: readonly number[]) {
    this.#nodes = nodeIds;
    const width = nodeIds.length === 0 ? 1 : Math.max(...nodeIds) + 1;
    for (const c of NODE_COUNTERS) this.#counters.set(c, new Float64Array(width));
  }

  /**
   * Adds `n` to a counter of a node.
   *
   * @example
   * stats.add("numa_hit", 0, 1);
   */
  add(counter: NodeCounter, node: number, n: number): void {
    this.#counters.get(counter)![node]! += n;
  }

  /**
   * A node's value of a counter.
   *
   * @example
   * stats.get("numa_hit", 0) // 1
   */
  get(counter: NodeCounter, node: number): number {
    return this.#counters.get(counter)![node] ?? 0;
  }

  /**
   * The sum over nodes of a counter.
   *
   * @example
   * stats.total("numa_hit") // 1
   */
  total(counter: NodeCounter): number {
    let s = 0;
    for (const n of this.#nodes) s += this.get(counter, n);
    return s;
  }
}
