/**
 * Per-mode node choice for one allocation: policy_nodemask + alloc_pages_mpol
 * (kernel-model.md §1.4). The buddy allocator then walks the start node's zonelist, filtered
 * by the nodemask (and by the cpuset, which is the caller's job).
 */
import { interleaveNid, interleaveNodes, weightedInterleaveNid, weightedInterleaveNodes } from "./interleave.js";
import type { TaskInterleave, WeightSource } from "./interleave.js";
import { nodesIntersect } from "./nodemask.js";
import type { Nodemask, Policy } from "./types.js";

/** The zone an allocation targets: user pages are movable, kernel allocations normal (§1.3 lower zones). */
export type AllocZone = "normal" | "movable";

/** Input of {@link policyNodeChoice}. */
export interface NodeChoiceInput {
  /** The policy in effect (§1.3), or null for a task without policy (system default: local). */
  readonly policy: Policy | null;
  /** numa_node_id() of the allocating CPU. */
  readonly localNode: number;
  /** The interleave index (§1.3), or null for task interleave (NO_INTERLEAVE_INDEX). */
  readonly ilx: number | null;
  /** Weighted-interleave weights; default all 1. */
  readonly weights?: WeightSource;
  /** The task's round-robin state (an InterleaveState or the task itself); required when ilx is null and the policy interleaves. */
  readonly interleave?: TaskInterleave;
  /** The task's cpuset mems_allowed; BIND's mask is dropped when it no longer intersects it. */
  readonly memsAllowed?: Nodemask;
  /** The allocation's zone; default "movable" (user memory). */
  readonly zone?: AllocZone;
  /** Nodes with ZONE_NORMAL memory (N_HIGH_MEMORY); default: every policy node. */
  readonly normalZoneNodes?: Nodemask;
}

/** Output of {@link policyNodeChoice}. */
export interface NodeChoice {
  /** The node whose fallback zonelist the allocation walks. */
  readonly startNode: number;
  /** Only nodes in this mask may be used; null = any node (subject to the cpuset). */
  readonly nodemask: Nodemask | null;
  /** PREFERRED_MANY: pass 1 tries only these nodes without direct reclaim; pass 2 uses `nodemask` (null). */
  readonly preferredManyPass1: Nodemask | null;
  /** (W)INTERLEAVE: the node picked; a page landing there counts as numa_interleave. */
  readonly interleaveTarget: number | null;
}

/**
 * Where one allocation starts and which nodes it may use under a policy (§1.4, §1.5). Task
 * interleave (ilx null) advances `input.interleave`.
 *
 * @example
 * policyNodeChoice({ policy: null, localNode: 1, ilx: null });
 * // { startNode: 1, nodemask: null, preferredManyPass1: null, interleaveTarget: null }
 * policyNodeChoice({ policy: bindPolicy, localNode: 0, ilx: 0 }).nodemask; // bindPolicy.nodes
 */
export function policyNodeChoice(input: NodeChoiceInput): NodeChoice {
  const { policy, localNode } = input;
  const plain = (startNode: number, nodemask: Nodemask | null = null): NodeChoice => ({
    startNode,
    nodemask,
    preferredManyPass1: null,
    interleaveTarget: null,
  });
  if (policy === null) return plain(localNode);
  switch (policy.mode) {
    case "MPOL_LOCAL":
      return plain(localNode);
    case "MPOL_PREFERRED":
      return plain(policy.nodes[0] ?? localNode);
    case "MPOL_PREFERRED_MANY":
      return {
        startNode: policy.homeNode ?? localNode,
        nodemask: null,
        preferredManyPass1: policy.nodes,
        interleaveTarget: null,
      };
    case "MPOL_BIND":
      return plain(policy.homeNode ?? localNode, bindApplies(policy, input) ? policy.nodes : null);
    case "MPOL_INTERLEAVE":
    case "MPOL_WEIGHTED_INTERLEAVE": {
      const target = interleaveTarget(policy, input);
      return { startNode: target, nodemask: null, preferredManyPass1: null, interleaveTarget: target };
    }
  }
}

// apply_policy_zone + cpuset_nodemask_valid_mems_allowed: BIND restricts only allocations at or
// above policy_zone (movable-only masks restrict only movable allocations), and only while
// the mask still intersects the cpuset.
function bindApplies(policy: Policy, input: NodeChoiceInput): boolean {
  const zone = input.zone ?? "movable";
  const hasNormal = input.normalZoneNodes === undefined || nodesIntersect(policy.nodes, input.normalZoneNodes);
  const zoneOk = zone === "movable" || hasNormal;
  const cpusetOk = input.memsAllowed === undefined || nodesIntersect(policy.nodes, input.memsAllowed);
  return zoneOk && cpusetOk;
}

function interleaveTarget(policy: Policy, input: NodeChoiceInput): number {
  const weighted = policy.mode === "MPOL_WEIGHTED_INTERLEAVE";
  if (input.ilx !== null) {
    return weighted
      ? weightedInterleaveNid(policy.nodes, input.ilx, input.localNode, input.weights)
      : interleaveNid(policy.nodes, input.ilx, input.localNode);
  }
  if (input.interleave === undefined) {
    throw new TypeError(`policyNodeChoice: ${policy.mode} with ilx null (task interleave) needs the task's interleave state (ilPrev/ilWeight)`);
  }
  return weighted
    ? weightedInterleaveNodes(policy.nodes, input.interleave, input.weights)
    : interleaveNodes(policy.nodes, input.interleave);
}
