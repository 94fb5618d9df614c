/**
 * The policy that governs a page (kernel-model.md §1.3 precedence: shared -> VMA -> task ->
 * per-node default PREFERRED{local} with MOF|MORON) and whether a VMA is NUMA-balancing
 * eligible through its policy (§4.3 vma_policy_mof, including the shmem behaviour before and
 * after the June 2026 fix).
 */
import type { Policy } from "../policy/types.js";
import { vmaPolicyAt } from "./syscalls/policy.js";
import type { Vma } from "./vma.js";

/** Where the governing policy came from. */
export type PolicyScope = "shared" | "vma" | "task" | "default";

/** The governing policy of a page and its scope; `policy` null means the per-node default. */
export interface EffectivePolicy {
  readonly policy: Policy | null;
  readonly scope: PolicyScope;
}

/**
 * Resolves the policy for a fault at `vpn` of `vma` by a task with policy `taskPolicy`
 * (§1.3). Page cache of regular files ignores shared/VMA scopes (task policy only).
 *
 * @example
 * effectivePolicy(vma, vpn, p.policy) // { policy: null, scope: "default" }
 */
export function effectivePolicy(vma: Vma, vpn: number, taskPolicy: Policy | null): EffectivePolicy {
  if (vma.kind !== "file-shared") {
    const own = vmaPolicyAt(vma, vpn);
    if (own) return { policy: own, scope: vma.isShmem ? "shared" : "vma" };
  }
  if (taskPolicy) return { policy: taskPolicy, scope: "task" };
  return { policy: null, scope: "default" };
}

/**
 * vma_policy_mof (§4.3): whether the VMA's policy lets NUMA balancing scan and migrate it.
 * The per-node default policy carries MOF; explicit policies only with
 * MPOL_F_NUMA_BALANCING. For shmem (VMAs with get_policy) mainline looks only at the shared
 * policy and answers false without one, so default-policy shmem is never scanned; with
 * `shmemFix` (J. Weiner, Jun 2026) it falls back to the task/default policy.
 *
 * @example
 * vmaPolicyMof(shmemVma, null, { shmemFix: false }) // false: the shmem bug
 * vmaPolicyMof(anonVma, null, { shmemFix: false })  // true: default policy has MOF
 */
export function vmaPolicyMof(vma: Vma, taskPolicy: Policy | null, opts: { shmemFix: boolean }): boolean {
  if (vma.isShmem && !opts.shmemFix) {
    const shared = vmaPolicyAt(vma, vma.start);
    return !!shared && shared.mof;
  }
  const eff = effectivePolicy(vma, vma.start, taskPolicy);
  return eff.policy === null ? true : eff.policy.mof;
}
