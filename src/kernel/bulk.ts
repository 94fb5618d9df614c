/**
 * Bulk kernel allocations from task context (vmalloc: alloc_pages_bulk_mempolicy,
 * kernel-model.md §1.7): the task policy only; interleave modes split the request with the
 * task round robin (the policy layer's bulk splits); PREFERRED_MANY does its two passes;
 * other modes make one bulk call. Failures just return fewer pages.
 */
import { bulkInterleaveSplit, bulkWeightedInterleaveSplit } from "../policy/bulk.js";
import type { AllocRequest } from "./allocator.js";
import { PG_KERNEL } from "./frames.js";
import type { Kernel } from "./kernel.js";
import { MemObject } from "./objects.js";
import { planFor } from "./placement.js";
import type { Process } from "./process.js";

/**
 * Allocates `count` kernel pages for task `p` and returns them as an object (free with
 * {@link vfreePages}); `size` of the result is the pages obtained.
 *
 * @example
 * vmallocPages(k, p, 1000).size // 1000
 */
export function vmallocPages(k: Kernel, p: Process, count: number): MemObject {
  const ids = new Int32Array(count);
  let got = 0;
  const take = (req: AllocRequest, n: number): number => {
    const res = k.buddy.allocate(req, n);
    for (const [node, c] of res.runs) {
      k.frames.allocRun(ids, got, c, node, PG_KERNEL, 1);
      got += c;
    }
    return n - res.failed;
  };
  const base = { mems: p.mems, order: 0, cpuNode: p.cpuNode, mask: null };
  const pol = p.policy;
  if (pol && pol.mode === "MPOL_INTERLEAVE") {
    bulkInterleaveSplit(pol.nodes, count, p, (node, n) => take({ ...base, start: node }, n));
  } else if (pol && pol.mode === "MPOL_WEIGHTED_INTERLEAVE") {
    bulkWeightedInterleaveSplit(pol.nodes, count, p, (n) => k.weightOf(n, pol), (node, n) => take({ ...base, start: node }, n));
  } else {
    const plan = planFor(pol, p);
    if (plan.twoPass) {
      const first = take({ ...base, start: plan.start, mask: plan.mask, directReclaim: false }, count);
      if (first < count) take({ ...base, start: plan.start }, count - first);
    } else take({ ...base, start: plan.start, mask: plan.mask }, count);
  }
  return new MemObject("anon", got, 0, "vmalloc", ids.slice(0, got));
}

/**
 * Frees a vmalloc area.
 *
 * @example
 * vfreePages(k, area);
 */
export function vfreePages(k: Kernel, area: MemObject): void {
  const freed = new Float64Array(k.buddy.free.length);
  for (let i = 0; i < area.pages.length; i++) {
    const f = area.pages[i]!;
    if (f <= 0) continue;
    freed[k.frames.node[f]!]!++;
    k.frames.release(f);
    area.pages[i] = 0;
  }
  freed.forEach((n, node) => n && k.buddy.release(node, n));
}
