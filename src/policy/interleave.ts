/**
 * Interleave arithmetic (kernel-model.md §1.5): static interleave by index (VMA/shmem faults),
 * task round-robin (page cache, kernel allocations, bulk), both with and without weights, and
 * the per-task round-robin state.
 */
import { MAX_NUMNODES, nextNodeIn } from "./nodemask.js";
import type { Nodemask } from "./types.js";

/**
 * Where interleave weights come from: a function, or an object with `weight(node)` such as
 * the system-wide {@link WeightedInterleaveWeights}. Absent means every weight is 1.
 */
export type WeightSource = ((node: number) => number) | { weight(node: number): number };

/**
 * Reads a weight; a missing source or a 0 entry counts as 1 (the kernel's "default" weight).
 *
 * @example
 * weightOf((n) => (n === 0 ? 5 : 0), 1); // 1
 */
export function weightOf(weights: WeightSource | undefined, node: number): number {
  if (weights === undefined) return 1;
  const w = typeof weights === "function" ? weights(node) : weights.weight(node);
  return w > 0 ? w : 1;
}

/**
 * The round-robin fields of a task (task_struct il_prev / il_weight). Any object with them
 * works, so a kernel's task record can be passed directly.
 */
export interface TaskInterleave {
  ilPrev: number;
  ilWeight: number;
}

/**
 * A task's interleave round-robin state (task_struct il_prev / il_weight, §1.2). set_mempolicy
 * to an interleave mode resets it, so the next task-interleave allocation lands on the lowest
 * node of the mask.
 *
 * @example
 * const s = new InterleaveState();
 * s.ilPrev;   // 1023 (MAX_NUMNODES - 1)
 * s.ilWeight; // 0
 */
export class InterleaveState implements TaskInterleave {
  /** The node of the last task-interleave allocation. */
  ilPrev: number = MAX_NUMNODES - 1;
  /** Allocations left on ilPrev in weighted round-robin. */
  ilWeight: number = 0;

  /** Back to the state set_mempolicy() leaves: ilPrev = MAX_NUMNODES-1, ilWeight = 0. */
  reset(): void {
    this.ilPrev = MAX_NUMNODES - 1;
    this.ilWeight = 0;
  }

  /** A copy, for what-if questions that must not advance the task's counter. */
  clone(): InterleaveState {
    const c = new InterleaveState();
    c.ilPrev = this.ilPrev;
    c.ilWeight = this.ilWeight;
    return c;
  }
}

/**
 * interleave_nid: the (ilx mod n)-th node of the mask, ascending. An empty mask (a racing
 * cpuset rebind in the kernel) gives the local node.
 *
 * @example
 * interleaveNid([0, 2, 5], 4, 0); // 2
 */
export function interleaveNid(nodes: Nodemask, ilx: number, localNode: number): number {
  if (nodes.length === 0) return localNode;
  return nodes[ilx % nodes.length]!;
}

/**
 * weighted_interleave_nid: t = ilx mod (sum of weights), then walk the nodes ascending,
 * subtracting weights until t < weight(node).
 *
 * @example
 * weightedInterleaveNid([0, 1], 5, 0, (n) => (n === 0 ? 5 : 1)); // 1
 * weightedInterleaveNid([0, 1], 6, 0, (n) => (n === 0 ? 5 : 1)); // 0
 */
export function weightedInterleaveNid(nodes: Nodemask, ilx: number, localNode: number, weights?: WeightSource): number {
  if (nodes.length === 0) return localNode;
  const w = nodes.map((n) => weightOf(weights, n));
  let target = ilx % w.reduce((a, b) => a + b, 0);
  for (let i = 0; i < nodes.length; i++) {
    if (target < w[i]!) return nodes[i]!;
    target -= w[i]!;
  }
  return nodes[0]!;
}

/**
 * interleave_nodes: task round-robin. Advances ilPrev to the next node of the mask (wrapping)
 * and returns it. An empty mask returns MAX_NUMNODES and leaves the state alone, as the kernel.
 *
 * @example
 * const s = new InterleaveState();
 * interleaveNodes([1, 3], s); // 1
 * interleaveNodes([1, 3], s); // 3
 */
export function interleaveNodes(nodes: Nodemask, state: TaskInterleave): number {
  const nid = nextNodeIn(state.ilPrev, nodes);
  if (nid < MAX_NUMNODES) state.ilPrev = nid;
  return nid;
}

/**
 * weighted_interleave_nodes: weighted task round-robin. When the current node's allocations
 * are used up (or it left the mask), move to the next node and load its weight, read at switch
 * time; each node therefore gets weight(node) consecutive allocations.
 *
 * @example
 * const s = new InterleaveState();
 * [1, 2, 3].map(() => weightedInterleaveNodes([0, 1], s, (n) => (n === 0 ? 2 : 1))); // [0, 0, 1]
 */
export function weightedInterleaveNodes(nodes: Nodemask, state: TaskInterleave, weights?: WeightSource): number {
  let node = state.ilPrev;
  if (state.ilWeight === 0 || !nodes.includes(node)) {
    node = nextNodeIn(node, nodes);
    if (node === MAX_NUMNODES) return node;
    state.ilPrev = node;
    state.ilWeight = weightOf(weights, node);
  }
  state.ilWeight--;
  return node;
}

/**
 * The node the next task-interleave allocation would use, without advancing: what
 * get_mempolicy(MPOL_F_NODE) without MPOL_F_ADDR reports for an interleave task policy (§1.5,
 * §2.4). Weighted: ilPrev while it has allocations left (even if it has left the mask, as the
 * kernel reports it), else the next node.
 *
 * @example
 * nextInterleaveNode("MPOL_INTERLEAVE", [0, 1], new InterleaveState()); // 0
 */
export function nextInterleaveNode(
  mode: "MPOL_INTERLEAVE" | "MPOL_WEIGHTED_INTERLEAVE",
  nodes: Nodemask,
  state: Readonly<TaskInterleave>,
): number {
  if (mode === "MPOL_WEIGHTED_INTERLEAVE" && state.ilWeight > 0) return state.ilPrev;
  return nextNodeIn(state.ilPrev, nodes);
}
