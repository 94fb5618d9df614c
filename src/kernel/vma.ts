/**
 * Virtual memory areas as page ranges (DESIGN.md decision 1). Addresses inside the kernel are
 * virtual page numbers (vpn = address >> 12).
 */
import type { Policy } from "../policy/types.js";
import type { MemObject } from "./objects.js";

/**
 * The mapping kinds: private anonymous; shmem (MAP_SHARED|MAP_ANONYMOUS, tmpfs, SysV shm);
 * shared file (page cache); private file (page cache until written, then private anon copies).
 */
export type VmaKind = "anon" | "shmem" | "file-shared" | "file-private";

/**
 * Two policies are the same policy for VMA merging (mpol_equal semantics, §2.3 step 8).
 *
 * @example
 * policyEqual(null, null) // true
 */
export function policyEqual(a: Policy | null, b: Policy | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const same = (x: readonly number[] | null, y: readonly number[] | null): boolean =>
    x === y || (!!x && !!y && x.length === y.length && x.every((v, i) => v === y[i]));
  return (
    a.mode === b.mode &&
    a.flags.length === b.flags.length &&
    a.flags.every((f) => b.flags.includes(f)) &&
    a.homeNode === b.homeNode &&
    (a.userNodemask ? same(a.userNodemask, b.userNodemask) : same(a.nodes, b.nodes))
  );
}

/**
 * One VMA: [start, end) in virtual pages.
 *
 * @example
 * vma.pages // end - start
 */
export class Vma {
  start: number;
  end: number;
  readonly kind: VmaKind;
  /** The file or shmem inode (shared kinds, file-private); null for anon. */
  readonly file: MemObject | null;
  /** File page index of `start` (vm_pgoff) for file/shmem kinds. */
  filePgoff: number;
  /** Anonymous pages: the anon object (anon kind, or COW copies of file-private). */
  anon: MemObject | null;
  /** Index into `anon` of `start`. */
  anonOff: number;
  /** The VMA policy (mbind on non-shmem mappings, §1.3 scope 2); null = none. */
  policy: Policy | null;
  /** For mappings of shared objects: 1 where this VMA maps the object's page (mapcount bookkeeping). */
  mapped: Uint8Array | null;
  /** madvise(MADV_HUGEPAGE) was applied (THP "madvise" mode). */
  hugepage = false;
  /** SysV shm attachment (numa_maps prints the file name SYSV...). */
  readonly sysv: boolean;

  constructor(init: {
    start: number;
    end: number;
    kind: VmaKind;
    file: MemObject | null;
    filePgoff: number;
    anon: MemObject | null;
    anonOff: number;
    policy: Policy | null;
    mapped: Uint8Array | null;
    sysv?: boolean;
  }) {
    this.start = init.start;
    this.end = init.end;
    this.kind = init.kind;
    this.file = init.file;
    this.filePgoff = init.filePgoff;
    this.anon = init.anon;
    this.anonOff = init.anonOff;
    this.policy = init.policy;
    this.mapped = init.mapped;
    this.sysv = init.sysv ?? false;
  }

  /**
   * The frame this VMA maps at page `i` (0-based): its anonymous page (or ZERO_PAGE), else the
   * file/shmem page if this VMA maps it, else NO_PAGE (0).
   *
   * @example
   * vma.frame(0) // 0 before the first touch
   */
  frame(i: number): number {
    const f = this.anon ? this.anon.pages[this.anonOff + i]! : 0;
    if (f !== 0 || !this.file || !this.mapped![i]) return f;
    return this.file.pages[this.filePgoff + i]!;
  }

  /** Length in pages. */
  get pages(): number {
    return this.end - this.start;
  }

  /** True when the VMA maps a shmem inode, whose policy lives in the inode (§1.3 scope 1). */
  get isShmem(): boolean {
    return this.kind === "shmem";
  }

  /**
   * Splits this VMA at `vpn`, keeping [start, vpn) and returning the new [vpn, end).
   *
   * @example
   * const tail = vma.splitAt(vma.start + 10);
   */
  splitAt(vpn: number): Vma {
    const delta = vpn - this.start;
    const tail = new Vma({
      start: vpn,
      end: this.end,
      kind: this.kind,
      file: this.file,
      filePgoff: this.filePgoff + delta,
      anon: this.anon,
      anonOff: this.anonOff + delta,
      policy: this.policy,
      mapped: this.mapped ? this.mapped.slice(delta) : null,
      sysv: this.sysv,
    });
    tail.hugepage = this.hugepage;
    if (this.mapped) this.mapped = this.mapped.slice(0, delta);
    this.end = vpn;
    return tail;
  }

  /**
   * Whether `next` (starting at this.end) can be merged into this VMA (vma_merge rules: same
   * backing at contiguous offsets, same policy, same flags).
   *
   * @example
   * if (a.canMerge(b)) a.merge(b);
   */
  canMerge(next: Vma): boolean {
    const delta = this.pages;
    return (
      next.start === this.end &&
      next.kind === this.kind &&
      next.file === this.file &&
      next.sysv === this.sysv &&
      next.hugepage === this.hugepage &&
      (this.file === null || next.filePgoff === this.filePgoff + delta) &&
      next.anon === this.anon &&
      (this.anon === null || next.anonOff === this.anonOff + delta) &&
      policyEqual(this.policy, next.policy)
    );
  }

  /**
   * Absorbs `next` (which must satisfy canMerge).
   *
   * @example
   * a.merge(b);
   */
  merge(next: Vma): void {
    if (this.mapped && next.mapped) {
      const m = new Uint8Array(this.mapped.length + next.mapped.length);
      m.set(this.mapped);
      m.set(next.mapped, this.mapped.length);
      this.mapped = m;
    }
    this.end = next.end;
  }
}
