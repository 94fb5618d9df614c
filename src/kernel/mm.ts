/**
 * An address space (mm_struct): the sorted VMA list and the top-down mmap placement.
 */
import type { Vma } from "./vma.js";

/** mmap_base as a virtual page number: 0x7f0000000000 >> 12. Mappings are placed below it. */
export const MMAP_BASE_VPN = 0x7f0000000000 / 4096;
/** 2 MiB in pages: anonymous mappings of at least this size are PMD-aligned (THP). */
export const PMD_PAGES = 512;

/**
 * The VMAs of one mm, sorted by start, non-overlapping.
 *
 * @example
 * const mm = new AddressSpace();
 * mm.find(vpn) // Vma | undefined
 */
export class AddressSpace {
  vmas: Vma[] = [];
  /** Number of tasks sharing this mm (threads). */
  users = 1;

  /**
   * The VMA containing a virtual page, if any.
   *
   * @example
   * mm.find(0x7effff000) // Vma | undefined
   */
  find(vpn: number): Vma | undefined {
    let lo = 0;
    let hi = this.vmas.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.vmas[mid]!;
      if (vpn < v.start) hi = mid - 1;
      else if (vpn >= v.end) lo = mid + 1;
      else return v;
    }
    return undefined;
  }

  /**
   * The VMAs overlapping [start, end), in order.
   *
   * @example
   * mm.overlapping(a, a + 16)
   */
  overlapping(start: number, end: number): Vma[] {
    return this.vmas.filter((v) => v.end > start && v.start < end);
  }

  /**
   * Chooses an unmapped range of `pages` pages top-down below mmap_base (PMD-aligned when at
   * least 2 MiB, as anonymous THP-capable mappings are), or checks a fixed hint.
   *
   * @example
   * mm.placement(16384, null) // a vpn
   */
  placement(pages: number, hint: number | null): number | null {
    if (hint !== null) {
      return this.overlapping(hint, hint + pages).length === 0 ? hint : null;
    }
    const align = pages >= PMD_PAGES ? PMD_PAGES : 1;
    let top = MMAP_BASE_VPN;
    for (let i = this.vmas.length - 1; i >= 0; i--) {
      const v = this.vmas[i]!;
      if (v.start >= top) continue;
      const cand = Math.floor((top - pages) / align) * align;
      if (cand >= v.end) return cand;
      top = Math.min(top, v.start);
    }
    const cand = Math.floor((top - pages) / align) * align;
    return cand > 0 ? cand : null;
  }

  /**
   * Inserts a VMA keeping the list sorted.
   *
   * @example
   * mm.insert(vma);
   */
  insert(vma: Vma): void {
    let i = this.vmas.length;
    while (i > 0 && this.vmas[i - 1]!.start > vma.start) i--;
    this.vmas.splice(i, 0, vma);
  }

  /**
   * Splits VMAs so that `start` and `end` are VMA boundaries (split_vma).
   *
   * @example
   * mm.splitAround(s, e);
   */
  splitAround(start: number, end: number): void {
    for (const at of [start, end]) {
      const v = this.find(at);
      if (v && v.start < at) this.insert(v.splitAt(at));
    }
  }

  /**
   * Merges adjacent compatible VMAs that touch [start, end] (vma_merge after mbind).
   *
   * @example
   * mm.mergeAround(s, e);
   */
  mergeAround(start: number, end: number): void {
    for (let i = 0; i < this.vmas.length - 1; ) {
      const a = this.vmas[i]!;
      const b = this.vmas[i + 1]!;
      if (b.start >= start && a.end <= end && a.canMerge(b)) {
        a.merge(b);
        this.vmas.splice(i + 1, 1);
      } else i++;
    }
  }
}
