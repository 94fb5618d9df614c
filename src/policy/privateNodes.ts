/**
 * Syscall checks for nodemasks that name private memory nodes (RFC v4, seed 002,
 * kernel-model.md §6.1, §2.1-§2.5). Which capability each use needs:
 * - set_mempolicy: never. The thread's baked-in rule is "set_mempolicy(..., private_node) ->
 *   -EINVAL; mbind(..., private_node) -> Success": a task policy governs every allocation of the
 *   task, and none of the non-bind modes (interleave, weighted interleave) make sense for most
 *   private nodes, while a VMA policy targets one range the caller chose. (RFC v4 patch 13 as
 *   posted also let set_mempolicy through with MEMPOLICY; tiersim follows the later thread.)
 * - mbind: NP_OPS_MEMPOLICY on every private node of the mask (patch 13: "Only allow private
 *   nodes in policy nodemasks if all private nodes in the mask support NP_OPS_MEMPOLICY").
 * - move_pages / migrate_pages targets: NP_OPS_MIGRATION (patch 12, user migration).
 */
import { SyscallError } from "../core/errors.js";
import { hasPrivateOp, privateSpecOf } from "../topology/private.js";
import type { KernelTopology, PrivateNodeOp } from "../topology/types.js";

/** What a nodemask is being used for. */
export type PrivateNodeUse = "task-policy" | "vma-policy" | "migration-target";

const NEEDS: Readonly<Record<Exclude<PrivateNodeUse, "task-policy">, PrivateNodeOp>> = {
  "vma-policy": "MEMPOLICY",
  "migration-target": "MIGRATION",
};

/**
 * Throws the errno the RFC gives when `nodes` names a private node that `use` may not name:
 * EINVAL for policies and migrate_pages, ENODEV for move_pages (its "node has no memory" errno,
 * since a private node is not in N_MEMORY). Nodes that are not private pass.
 *
 * @example
 * checkPrivateNodes("set_mempolicy", [2], kt, "task-policy") // throws EINVAL when node 2 is private
 * checkPrivateNodes("mbind", [2], kt, "vma-policy")          // passes when node 2 has MEMPOLICY
 */
export function checkPrivateNodes(syscall: string, nodes: readonly number[], kt: KernelTopology, use: PrivateNodeUse, errno: "EINVAL" | "ENODEV" = "EINVAL"): void {
  if (kt.privateNodes.length === 0) return;
  for (const n of nodes) {
    const spec = privateSpecOf(kt, n);
    if (spec === null) continue;
    const who = `node ${n} is a private memory node (N_MEMORY_PRIVATE, owner "${spec.owner}", ops ${spec.ops.join("|") || "none"})`;
    if (use === "task-policy") {
      throw new SyscallError(
        syscall,
        "EINVAL",
        `${who}; a task policy may never name a private node (seed 002: set_mempolicy(..., private_node) -> -EINVAL, mbind(..., private_node) -> success with NP_OPS_MEMPOLICY), because it would govern every allocation of the task. Use mbind on the range instead (§6.1)`,
      );
    }
    const op = NEEDS[use];
    if (!hasPrivateOp(kt, n, op)) {
      const what = use === "vma-policy" ? "a VMA policy may name it only if its driver set NP_OPS_MEMPOLICY" : "user migration may target it only if its driver set NP_OPS_MIGRATION";
      throw new SyscallError(syscall, errno, `${who}; ${what} (RFC v4 patch ${use === "vma-policy" ? 13 : 12}, §6.1)`);
    }
  }
}
