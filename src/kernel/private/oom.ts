/**
 * NP_OPS_OOM_ELIGIBLE (RFC v4 patch 17/27, seed 002, kernel-model.md §6.1): whether memory on a
 * private node counts for the OOM killer.
 *
 * The RFC's text: "The OOM killer must know whether killing a task can actually free memory
 * such that pressure is reduced. A private node only contributes to relieving pressure if it
 * participates in both reclaim and demotion." Its code defines NP_OPS_OOM_ELIGIBLE as the mask
 * NP_OPS_RECLAIM | NP_OPS_DEMOTION (both bits needed; the cover letter's prose says
 * MIGRATION | DEMOTION, §8 item 9) and uses it in two places: a non-mempolicy OOM considers a
 * victim only if its cpuset mems meet the requester's on an eligible node, and a zonelist with
 * an ineligible private zone makes the OOM cpuset-constrained, its totalpages leaving that node
 * out. oom_badness (rss + swap + page tables) itself is unchanged.
 *
 * tiersim's reading: tiersim's OOM killer has neither the cpuset-intersection test nor
 * totalpages (kernel.ts outOfMemory picks the largest resident set), so the RFC's intent lands
 * in the badness: a task's pages on a private node without OOM_ELIGIBLE (a flag of its own in
 * tiersim, accepted only with RECLAIM and DEMOTION, topology/private.ts) are not counted,
 * because killing the task for them relieves no pressure on the memory that ran out.
 */
import { hasPrivateOp } from "../../topology/private.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process.js";

/**
 * oom_badness as tiersim scores it: the task's resident pages (Process.rss) minus those on
 * private nodes without NP_OPS_OOM_ELIGIBLE. O(the task's mapped pages), like rss().
 *
 * @example
 * oomBadnessPages(k, p) // 250 for 250 pages on node 0 and 300 on an ineligible private node
 */
export function oomBadnessPages(k: Kernel, p: Process): number {
  const ineligible = k.topo.privateNodes.filter((n) => !hasPrivateOp(k.topo, n, "OOM_ELIGIBLE"));
  if (ineligible.length === 0) return p.rss();
  const skip = new Uint8Array(k.buddy.free.length);
  for (const n of ineligible) skip[n] = 1;
  return p.rss(skip);
}
