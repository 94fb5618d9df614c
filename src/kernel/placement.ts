/**
 * Per-mode node choice (kernel-model.md §1.4) and interleave arithmetic (§1.5): which start
 * node and nodemask a policy hands to the buddy allocator, the static (by index) interleave
 * target, and the task round robin used when there is no index (page cache).
 */
import type { Nodemask, Policy } from "../policy/types.js";

/** The task state node choice reads and the task round robin updates (§1.2 Task). */
export interface TaskPlacement {
  /** Node of the CPU the task runs on (numa_node_id()). */
  readonly cpuNode: number;
  /** cpuset mems_allowed, or null when cpusets are not restricting the task. */
  readonly mems: Nodemask | null;
  /** il_prev: the last node of the task interleave round robin; starts at MAX_NUMNODES-1. */
  ilPrev: number;
  /** il_weight: allocations left on ilPrev in weighted task round robin. */
  ilWeight: number;
}

/** How a non-interleave policy allocates: start node, mask, and whether it has two passes (§1.4). */
export interface Plan {
  readonly start: number;
  readonly mask: Nodemask | null;
  /** PREFERRED_MANY: pass 1 over `mask` without direct reclaim, then pass 2 with no mask (§1.8). */
  readonly twoPass: boolean;
}

/**
 * The start node and nodemask of a non-interleave policy (§1.4 table). Default (null) and
 * LOCAL start at the local node; PREFERRED at its node; BIND and PREFERRED_MANY at the home
 * node if set, else local. BIND's mask is dropped when it no longer intersects the cpuset (§2.6).
 *
 * @example
 * planFor(null, task) // { start: task.cpuNode, mask: null, twoPass: false }
 */
export function planFor(pol: Policy | null, task: TaskPlacement): Plan {
  if (!pol || pol.mode === "MPOL_LOCAL") return { start: task.cpuNode, mask: null, twoPass: false };
  if (pol.mode === "MPOL_PREFERRED") return { start: pol.nodes[0]!, mask: null, twoPass: false };
  const start = pol.homeNode ?? task.cpuNode;
  if (pol.mode === "MPOL_BIND") {
    const mems = task.mems;
    const usable = !mems || pol.nodes.some((n) => mems.includes(n));
    return { start, mask: usable ? pol.nodes : null, twoPass: false };
  }
  if (pol.mode === "MPOL_PREFERRED_MANY") return { start, mask: pol.nodes, twoPass: true };
  throw new Error(`planFor: ${pol.mode} is an interleave mode`);
}

/**
 * True for INTERLEAVE and WEIGHTED_INTERLEAVE.
 *
 * @example
 * isInterleave(null) // false
 */
export function isInterleave(pol: Policy | null): boolean {
  return !!pol && (pol.mode === "MPOL_INTERLEAVE" || pol.mode === "MPOL_WEIGHTED_INTERLEAVE");
}

/**
 * The static interleave table of a policy: entry `t` is the node for `ilx mod table.length`
 * (§1.5 "Static", "Weighted static": nodes ascending, each repeated by its weight).
 *
 * @example
 * interleaveTable(weighted02, (n) => (n === 0 ? 5 : 1)) // Int16Array [0,0,0,0,0,2]
 */
export function interleaveTable(pol: Policy, weightOf: (node: number) => number): Int16Array {
  const weighted = pol.mode === "MPOL_WEIGHTED_INTERLEAVE";
  const ws = pol.nodes.map((n) => (weighted ? weightOf(n) : 1));
  const total = ws.reduce((a, b) => a + b, 0);
  const table = new Int16Array(total);
  let at = 0;
  pol.nodes.forEach((n, i) => {
    table.fill(n, at, at + ws[i]!);
    at += ws[i]!;
  });
  return table;
}

/**
 * next_node_in: the first node of `nodes` after `prev`, wrapping around.
 *
 * @example
 * nextNodeIn(1023, [0, 2]) // 0
 */
export function nextNodeIn(prev: number, nodes: Nodemask): number {
  for (const n of nodes) if (n > prev) return n;
  return nodes[0]!;
}

/**
 * The task round-robin interleave node for an allocation without an index (§1.5 "Task
 * (dynamic) interleave" and "Weighted task RR"); advances ilPrev/ilWeight.
 *
 * @example
 * taskInterleaveNode(pol, task, () => 1) // lowest node of the mask after set_mempolicy
 */
export function taskInterleaveNode(pol: Policy, task: TaskPlacement, weightOf: (node: number) => number): number {
  if (pol.mode !== "MPOL_WEIGHTED_INTERLEAVE") {
    task.ilPrev = nextNodeIn(task.ilPrev, pol.nodes);
    return task.ilPrev;
  }
  if (task.ilWeight === 0 || !pol.nodes.includes(task.ilPrev)) {
    const n = nextNodeIn(task.ilPrev, pol.nodes);
    task.ilPrev = n;
    task.ilWeight = weightOf(n);
  }
  task.ilWeight--;
  return task.ilPrev;
}

/**
 * The node the next task-interleave allocation would use, without advancing (get_mempolicy
 * MPOL_F_NODE without MPOL_F_ADDR, §1.5).
 *
 * @example
 * peekTaskInterleaveNode(pol, task) // e.g. 0
 */
export function peekTaskInterleaveNode(pol: Policy, task: TaskPlacement): number {
  if (pol.mode === "MPOL_WEIGHTED_INTERLEAVE" && task.ilWeight > 0 && pol.nodes.includes(task.ilPrev)) return task.ilPrev;
  return nextNodeIn(task.ilPrev, pol.nodes);
}
