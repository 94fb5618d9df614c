/**
 * munmap and exit: dropping page-table mappings. Anonymous pages whose last mapping goes are
 * freed back to the buddy allocator; shmem and page-cache pages stay in their inode.
 */
import type { Kernel } from "./kernel.js";
import type { AddressSpace } from "./mm.js";
import { SWAP_PAGE } from "./objects.js";

/**
 * Unmaps [s, e) (virtual pages) of an address space, splitting VMAs at the edges.
 *
 * @example
 * unmapRange(k, p.mm, vpn, vpn + 16);
 */
export function unmapRange(k: Kernel, mm: AddressSpace, s: number, e: number): void {
  mm.splitAround(s, e);
  const fr = k.frames;
  const freed = new Float64Array(k.buddy.free.length);
  let swapped = 0;
  for (const v of mm.overlapping(s, e)) {
    if (v.anon) {
      const pages = v.anon.pages;
      for (let i = v.anonOff; i < v.anonOff + v.pages; i++) {
        const f = pages[i]!;
        pages[i] = 0;
        if (f === SWAP_PAGE) swapped++;
        if (f <= 0) continue;
        if (--fr.mapcount[f]! === 0) {
          freed[fr.node[f]!]!++;
          fr.release(f);
        }
      }
    }
    if (v.file && v.mapped) {
      for (let i = 0; i < v.pages; i++) {
        if (!v.mapped[i]) continue;
        const f = v.file.pages[v.filePgoff + i]!;
        if (f > 0) fr.mapcount[f]!--;
      }
    }
  }
  mm.vmas = mm.vmas.filter((v) => v.end <= s || v.start >= e);
  freed.forEach((n, node) => n && k.buddy.release(node, n));
  // free_swap_and_cache: unmapping a swapped-out page frees its swap slot.
  if (swapped > 0) k.reclaim.swap.release(swapped);
}
