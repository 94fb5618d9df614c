/**
 * Page migration (migrate_pages core): moving a frame to another node changes its node column
 * and the free counts; nothing else refers to the node, so a move is O(1). Used by mbind MOVE,
 * migrate_pages, move_pages and cpuset memory_migrate (kernel-model.md §2.3, §2.5, §2.6).
 */
import { hasBuddyMemory } from "../topology/private.js";
import type { FrameTable } from "./frames.js";
import type { Kernel } from "./kernel.js";
import type { AddressSpace } from "./mm.js";
import { PIN_COLUMN } from "./numab/columns.js";

/**
 * The FOLL_LONGTERM pin counts (PIN_COLUMN), or null while nothing was ever pinned. A pinned
 * frame cannot be migrated (its reference count never matches folio_expected_refs; the reason
 * kernel-model.md §4.4 and seed 004 give for pinned pages being scanned "for nothing").
 */
function pinsOf(fr: FrameTable): Uint16Array | null {
  return fr.hasColumn(PIN_COLUMN) ? fr.column(PIN_COLUMN, Uint16Array, { clearOnFree: true }) : null;
}

/**
 * The accounting of `n` pages already moved from node `from` to `to` by a caller that took the
 * destination pages itself: pgmigrate_success on `to`, the bytes copied (k.costs.migrated) and
 * the source pages returned to `from`'s buddy (pgfree).
 *
 * @example
 * accountMigrated(k, 0, 2, 32);
 */
export function accountMigrated(k: Kernel, from: number, to: number, n: number): void {
  k.stats.add("pgmigrate_success", to, n);
  k.costs.migrated(from, to, n);
  k.buddy.release(from, n);
}

/**
 * Migrates one frame to `to` if it is not pinned and the target node has a free page above its
 * min watermark. Counts pgmigrate_success / pgmigrate_fail.
 *
 * @example
 * migrateFrame(k, f, 2) // true
 */
export function migrateFrame(k: Kernel, f: number, to: number): boolean {
  const from = k.frames.node[f]!;
  if (from === to) return true;
  // A CRAM node takes folios only through demotion (§6.1, private/cram.ts).
  if (pinsOf(k.frames)?.[f] || !hasBuddyMemory(k.topo, to) || k.cram.isCram(to) || k.buddy.takeForMigration(to, 1) !== 1) {
    k.stats.add("pgmigrate_fail", from, 1);
    return false;
  }
  k.buddy.release(from, 1);
  k.frames.setNode(f, to);
  k.stats.add("pgmigrate_success", to, 1);
  return true;
}

/**
 * Many migrations at once: each move is O(1) on the frame columns and free counts; counters
 * and pgfree are added once per node at `finish()`.
 *
 * @example
 * const b = new MigrationBatch(k); b.move(f, 2); b.finish();
 */
export class MigrationBatch {
  readonly #k: Kernel;
  readonly #moved: Float64Array;
  readonly #freed: Float64Array;
  readonly #failed: Float64Array;
  /** The pin counts, refetched when the frame table grew (growth replaces `node` first). */
  #pins: Uint16Array | null = null;
  #pinsFor: Int16Array | null = null;
  /** Pages that could not be moved so far. */
  failures = 0;

  constructor(k: Kernel) {
    this.#k = k;
    const w = k.buddy.free.length;
    this.#moved = new Float64Array(w);
    this.#freed = new Float64Array(w);
    this.#failed = new Float64Array(w);
  }

  /**
   * Moves frame `f` to `to` if it is not pinned and `to` has a free page above its min watermark.
   *
   * @example
   * batch.move(f, 2) // true
   */
  move(f: number, to: number): boolean {
    const k = this.#k;
    const from = k.frames.node[f]!;
    if (from === to) return true;
    if (this.#pinsFor !== k.frames.node || (this.#pins === null && k.frames.hasColumn(PIN_COLUMN))) {
      this.#pins = pinsOf(k.frames);
      this.#pinsFor = k.frames.node;
    }
    if (this.#pins?.[f]) {
      this.#failed[from]!++;
      this.failures++;
      return false;
    }
    // Private nodes (§6.1) are valid targets; callers check NP_OPS_MIGRATION / DEMOTION.
    // A CRAM node takes folios only through demotion (§6.1, private/cram.ts).
    const wm = hasBuddyMemory(k.topo, to) && !k.cram.isCram(to) ? k.buddy.watermarks(to) : undefined;
    if (!wm || k.buddy.free[to]! - 1 < wm.min) {
      this.#failed[from]!++;
      this.failures++;
      return false;
    }
    k.buddy.free[to]! -= 1;
    this.#freed[from]!++;
    this.#moved[to]!++;
    k.frames.setNode(f, to);
    return true;
  }

  /**
   * Adds pgmigrate_success / pgmigrate_fail and returns the old pages to their nodes.
   *
   * @example
   * batch.finish();
   */
  finish(): void {
    const k = this.#k;
    for (let n = 0; n < this.#moved.length; n++) {
      if (this.#freed[n]) k.buddy.release(n, this.#freed[n]!);
      if (this.#moved[n]) k.stats.add("pgmigrate_success", n, this.#moved[n]!);
      if (this.#failed[n]) k.stats.add("pgmigrate_fail", n, this.#failed[n]!);
      this.#freed[n] = this.#moved[n] = this.#failed[n] = 0;
    }
  }
}

/**
 * node_remap: the node at the same ordinal position of `to` as `s` has in `from`
 * (modulo |to|).
 *
 * @example
 * nodeRemap(1, [0, 1], [2, 3]) // 3
 */
export function nodeRemap(s: number, from: readonly number[], to: readonly number[]): number {
  const i = from.indexOf(s);
  if (i < 0 || to.length === 0) return s;
  return to[i % to.length]!;
}

/**
 * do_migrate_pages: moves an mm's pages node by node from `from` to `to` with the positional
 * map; when |from| != |to| nodes that are in `to` stay (§2.5). Shared pages (mapcount > 1) are
 * skipped unless `moveAll`. Returns the number of pages that failed to move.
 *
 * @example
 * doMigratePages(k, p.mm, [0, 1], [2, 3], false) // 0
 */
export function doMigratePages(k: Kernel, mm: AddressSpace, from: readonly number[], to: readonly number[], moveAll: boolean): number {
  const tmp = new Set(from);
  const batch = new MigrationBatch(k);
  const node = k.frames.node;
  for (;;) {
    let source = -1;
    let dest = -1;
    for (const s of tmp) {
      if (from.length !== to.length && to.includes(s)) continue;
      const d = nodeRemap(s, from, to);
      if (s === d) continue;
      source = s;
      dest = d;
      if (!tmp.has(dest)) break;
    }
    if (source === -1) break;
    tmp.delete(source);
    for (const v of mm.vmas) {
      for (let i = 0; i < v.pages; i++) {
        const f = v.frame(i);
        if (f <= 0 || node[f] !== source) continue;
        if (!moveAll && k.frames.mapcount[f]! > 1) continue;
        batch.move(f, dest);
      }
    }
    batch.finish();
  }
  return batch.failures;
}
