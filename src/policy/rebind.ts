/**
 * Rebinding a policy when the task's cpuset mems change (mpol_rebind_policy,
 * kernel-model.md §2.6). Task policies are rebound at once, VMA policies through the mm;
 * shmem shared policies are never rebound (the caller's concern).
 */
import { nodesAnd, nodesEqual, nodesRemap, relativeNodemask } from "./nodemask.js";
import type { Nodemask, Policy } from "./types.js";

/**
 * The policy after the cpuset's mems become `newMems` (§2.6 table):
 * - BIND / INTERLEAVE / WEIGHTED_INTERLEAVE: no flag = positional remap from the recorded
 *   mems (then recorded = newMems); STATIC = user mask ∩ newMems; RELATIVE = fold/onto the user
 *   mask over newMems; an empty result becomes all of newMems.
 * - PREFERRED / PREFERRED_MANY: nodes unchanged (the admin guide's "remapped" is stale).
 * - LOCAL: nothing.
 * Returns the same object when nothing changes.
 *
 * @example
 * // old mems {0,1,2,3}, BIND {1,3}, new mems {4,5,6,7} -> {5,7}
 * mpolRebind(bind13, [4, 5, 6, 7]).nodes; // [5, 7]
 */
export function mpolRebind(policy: Policy, newMems: Nodemask): Policy {
  if (policy.mode === "MPOL_LOCAL") return policy;
  const keepsUserMask = policy.flags.includes("MPOL_F_STATIC_NODES") || policy.flags.includes("MPOL_F_RELATIVE_NODES");
  if (!keepsUserMask && policy.cpusetMems !== null && nodesEqual(policy.cpusetMems, newMems)) return policy;

  if (policy.mode === "MPOL_PREFERRED" || policy.mode === "MPOL_PREFERRED_MANY") {
    // mpol_rebind_preferred records the new mems in pol->w, a union with user_nodemask: for a
    // STATIC/RELATIVE preferred policy the kernel thereby overwrites the user's mask, and
    // get_mempolicy() then reports the new mems. Kept on purpose.
    return keepsUserMask ? { ...policy, userNodemask: [...newMems] } : { ...policy, cpusetMems: [...newMems] };
  }

  let nodes: Nodemask;
  let cpusetMems = policy.cpusetMems;
  if (policy.flags.includes("MPOL_F_STATIC_NODES")) {
    nodes = nodesAnd(policy.userNodemask ?? [], newMems);
  } else if (policy.flags.includes("MPOL_F_RELATIVE_NODES")) {
    nodes = relativeNodemask(policy.userNodemask ?? [], newMems);
  } else {
    nodes = nodesRemap(policy.nodes, policy.cpusetMems ?? [], newMems);
    cpusetMems = [...newMems];
  }
  // An empty result would leave the task nothing to allocate from: use every new mem.
  if (nodes.length === 0) nodes = [...newMems];
  return { ...policy, nodes, cpusetMems };
}
