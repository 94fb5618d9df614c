/**
 * The demotionHonoursMempolicy what-if (not mainline, kernel-model.md §5.3/§5.5: mainline
 * demotion ignores mempolicy): a page whose governing policy is MPOL_BIND may only be demoted
 * into nodes of its BIND mask, so a BIND{DRAM} page is not demoted at all.
 *
 * Cost: frame -> page-table slot comes from the frame table's reverse map (O(1)); slot ->
 * VMA needs the mappings of the slot's object, found by one walk over every task's VMAs
 * (O(VMAs), not pages) per reclaim batch, done only when the what-if is on.
 */
import type { Policy } from "../../policy/types.js";
import { effectivePolicy } from "../effective.js";
import type { Kernel } from "../kernel.js";
import type { Vma } from "../vma.js";
import type { TargetFilter } from "./evict.js";

interface Mapping {
  readonly vma: Vma;
  readonly taskPolicy: Policy | null;
  /** Index in the object's page array of vma.start. */
  readonly off: number;
}

/**
 * A filter that narrows a frame's demotion targets to its BIND mask (other policies keep all).
 *
 * @example
 * const filter = bindMaskFilter(k);
 * filter(f, [2, 3]) // [] for a BIND{0} page
 */
export function bindMaskFilter(k: Kernel): TargetFilter {
  const byPages = new Map<Int32Array, Mapping[]>();
  const seen = new Set<object>();
  for (const p of k.processes()) {
    if (seen.has(p.mm)) continue;
    seen.add(p.mm);
    for (const vma of p.mm.vmas) {
      const add = (pages: Int32Array, off: number): void => {
        const list = byPages.get(pages);
        const m = { vma, taskPolicy: p.policy, off };
        if (list) list.push(m);
        else byPages.set(pages, [m]);
      };
      if (vma.anon) add(vma.anon.pages, vma.anonOff);
      if (vma.file) add(vma.file.pages, vma.filePgoff);
    }
  }
  return (f, allowed) => {
    const owner = k.frames.owner(f);
    const list = owner ? byPages.get(owner.pages) : undefined;
    const m = list?.find((x) => owner!.slot >= x.off && owner!.slot < x.off + x.vma.pages);
    if (!m) return allowed;
    const pol = effectivePolicy(m.vma, m.vma.start + owner!.slot - m.off, m.taskPolicy).policy;
    if (!pol || pol.mode !== "MPOL_BIND") return allowed;
    return allowed.filter((n) => pol.nodes.includes(n));
  };
}
