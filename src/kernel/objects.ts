/**
 * Backing objects: anonymous memory, shmem/tmpfs inodes (MAP_SHARED|MAP_ANONYMOUS, SysV shm)
 * and regular files. Each maps its page indexes to frame ids (0 = not present), so pages
 * of an inode are shared by every mapping of it (kernel-model.md §1.3 "Shared policy",
 * "Page cache of regular files").
 */
import type { Policy } from "../policy/types.js";

/** A page-table slot with no page (frame ids start at 1, so a fresh zeroed array is empty). */
export const NO_PAGE = 0;
/** A slot mapping the shared zero page (read fault on untouched private anonymous memory). */
export const ZERO_PAGE = -1;
/**
 * A slot whose page was swapped out by reclaim (a swap entry in the PTE): the next touch
 * allocates a page again and counts pswpin (kernel-model.md §5.3 "swap for anon if swap exists").
 *
 * @example
 * vma.frame(0) === SWAP_PAGE // page 0 is in swap
 */
export const SWAP_PAGE = -2;

/** What backs a mapping. */
export type ObjectKind = "anon" | "shmem" | "file";

/** One range of a shmem inode's shared-policy tree: [start, end) in file pages (§1.3). */
export interface SharedPolicyRange {
  readonly start: number;
  readonly end: number;
  readonly policy: Policy;
}

/**
 * A backing object holding pages by index.
 *
 * @example
 * const o = new MemObject("shmem", 4096, 17, "/dev/shm/x");
 * o.pages[0]; // 0 (NO_PAGE), not present
 */
export class MemObject {
  readonly kind: ObjectKind;
  /** Size in pages. */
  readonly size: number;
  /** Inode number: the interleave bias of shmem (§1.3 `base` = inode number). 0 for anon. */
  readonly ino: number;
  /** File name, or a label such as "SYSV00000000". */
  readonly name: string;
  /** Frame id per page index: NO_PAGE (0) when not present, ZERO_PAGE (-1) for the zero page. */
  readonly pages: Int32Array;
  /**
   * Lowest and highest+1 page index ever populated: indexes outside [populatedLo, populatedHi)
   * are known to be absent without scanning (a fresh 64 GiB mapping is faulted in one run).
   */
  populatedLo = Infinity;
  populatedHi = -Infinity;
  /** The shared-policy tree of a shmem inode: sorted, non-overlapping ranges (§1.3). */
  sharedPolicy: SharedPolicyRange[] = [];

  constructor(kind: ObjectKind, size: number, ino: number, name: string, pages?: Int32Array) {
    this.kind = kind;
    this.size = size;
    this.ino = ino;
    this.name = name;
    this.pages = pages ?? new Int32Array(size);
    if (pages) this.markPopulated(0, size);
  }

  /**
   * Records that [a, b) may hold pages.
   *
   * @example
   * obj.markPopulated(0, 512);
   */
  markPopulated(a: number, b: number): void {
    if (a < this.populatedLo) this.populatedLo = a;
    if (b > this.populatedHi) this.populatedHi = b;
  }

  /**
   * True when no page in [a, b) can be present.
   *
   * @example
   * obj.knownEmpty(0, 512) // true for a fresh object
   */
  knownEmpty(a: number, b: number): boolean {
    return b <= this.populatedLo || a >= this.populatedHi;
  }

  /**
   * The shared policy covering a file page index, or null (§1.3 scope 1).
   *
   * @example
   * inode.sharedPolicyAt(10) // Policy | null
   */
  sharedPolicyAt(index: number): Policy | null {
    for (const r of this.sharedPolicy) {
      if (index >= r.start && index < r.end) return r.policy;
      if (r.start > index) break;
    }
    return null;
  }

  /**
   * Installs `policy` (null = MPOL_DEFAULT, removes) on [start, end) of the shared-policy tree,
   * splitting the ranges it overlaps, as mbind on a shmem mapping does (§1.3, §2.3 step 8).
   *
   * @example
   * inode.setSharedPolicy(0, 512, bindPolicy);
   */
  setSharedPolicy(start: number, end: number, policy: Policy | null): void {
    const out: SharedPolicyRange[] = [];
    for (const r of this.sharedPolicy) {
      if (r.end <= start || r.start >= end) {
        out.push(r);
        continue;
      }
      if (r.start < start) out.push({ start: r.start, end: start, policy: r.policy });
      if (r.end > end) out.push({ start: end, end: r.end, policy: r.policy });
    }
    if (policy) out.push({ start, end, policy });
    out.sort((a, b) => a.start - b.start);
    this.sharedPolicy = out;
  }

  /**
   * Splits [start, end) into maximal runs under one shared policy.
   *
   * @example
   * inode.policyRuns(0, 100) // [{ start: 0, end: 100, policy: null }]
   */
  policyRuns(start: number, end: number): { start: number; end: number; policy: Policy | null }[] {
    const runs: { start: number; end: number; policy: Policy | null }[] = [];
    let at = start;
    for (const r of this.sharedPolicy) {
      if (r.end <= at) continue;
      if (r.start >= end) break;
      if (r.start > at) runs.push({ start: at, end: r.start, policy: null });
      const e = Math.min(end, r.end);
      runs.push({ start: Math.max(at, r.start), end: e, policy: r.policy });
      at = e;
    }
    if (at < end) runs.push({ start: at, end, policy: null });
    return runs;
  }
}
