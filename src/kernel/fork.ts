/**
 * fork(): copying an address space. VMAs and their policies are copied (§1.3: VMA policies
 * are inherited across fork); anonymous pages become shared copy-on-write (mapcount + 1).
 * Page tables of VMAs without anonymous memory (shared file and shmem mappings) are not
 * copied: the child maps those pages on its first fault (dup_mmap / vma_needs_copy).
 */
import type { Kernel } from "./kernel.js";
import { AddressSpace } from "./mm.js";
import { MemObject, SWAP_PAGE } from "./objects.js";
import { Vma } from "./vma.js";

/**
 * The child's copy of `mm` (dup_mmap).
 *
 * @example
 * const childMm = copyMm(k, parent.mm);
 */
export function copyMm(k: Kernel, mm: AddressSpace): AddressSpace {
  const out = new AddressSpace();
  const anonCopies = new Map<MemObject, MemObject>();
  const fr = k.frames;
  for (const v of mm.vmas) {
    const copyPtes = v.anon !== null && v.anon.populatedHi > v.anon.populatedLo;
    let anon = v.anon;
    if (anon) {
      let copy = anonCopies.get(anon);
      if (!copy) {
        copy = new MemObject("anon", anon.size, 0, "", anon.pages.slice());
        let swapped = 0;
        for (const f of copy.pages) {
          if (f > 0) fr.mapcount[f]!++;
          else if (f === SWAP_PAGE) swapped++;
        }
        // copy_pte_range duplicates swap entries (swap_duplicate).
        if (swapped > 0) k.reclaim.swap.dup(swapped);
        anonCopies.set(anon, copy);
      }
      anon = copy;
    }
    const c = new Vma({
      start: v.start,
      end: v.end,
      kind: v.kind,
      file: v.file,
      filePgoff: v.filePgoff,
      anon,
      anonOff: v.anonOff,
      policy: v.policy,
      mapped: v.mapped ? (copyPtes ? v.mapped.slice() : new Uint8Array(v.mapped.length)) : null,
      sysv: v.sysv,
    });
    c.hugepage = v.hugepage;
    if (copyPtes && v.file && v.mapped) v.mapped.forEach((m, i) => m && fr.mapcount[v.file!.pages[v.filePgoff + i]!]!++);
    out.insert(c);
  }
  return out;
}
