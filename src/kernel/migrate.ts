/**
 * Page migration (migrate_pages core): moving a frame to another node changes its node column
 * and the free counts; nothing else refers to the node, so a move is O(1). Used by mbind MOVE,
 * migrate_pages, move_pages and cpuset memory_migrate (kernel-model.md §2.3, §2.5, §2.6).
 */
import type { Kernel } from "./kernel.js";
import type { AddressSpace } from "./mm.js";

/**
 * Migrates one frame to `to` if the target node has a free page above its min watermark.
 * Counts pgmigrate_success / pgmigrate_fail.
 *
 * @example
 * migrateFrame(k, f, 2) // true
 */
export function migrateFrame(k: Kernel, f: number, to: number): boolean {
  const from = k.frames.node[f]!;
  if (from === to) return true;
  if (!k.topo.memoryNodes.includes(to) || k.buddy.takeForMigration(to, 1) !== 1) {
    k.stats.add("pgmigrate_fail", from, 1);
    return false;
  }
  k.buddy.release(from, 1);
  k.frames.setNode(f, to);
  k.stats.add("pgmigrate_success", to, 1);
  return true;
}

/**
 * The frames an address space maps (anon pages first, else mapped file/shmem pages), each
 * once per mapping, in address order: what queue_pages_range walks.
 *
 * @example
 * for (const f of mappedFrames(mm, s, e)) ...
 */
export function* mappedFrames(mm: AddressSpace, s: number, e: number): Generator<number> {
  for (const v of mm.overlapping(s, e)) {
    const a = Math.max(s, v.start);
    const b = Math.min(e, v.end);
    for (let x = a; x < b; x++) {
      let f = 0;
      if (v.anon) f = v.anon.pages[v.anonOff + x - v.start]!;
      if (f === 0 && v.file && v.mapped![x - v.start]) f = v.file.pages[v.filePgoff + x - v.start]!;
      if (f > 0) yield f;
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
  let failed = 0;
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
    for (const f of mappedFrames(mm, 0, Number.MAX_SAFE_INTEGER)) {
      if (node[f] !== source) continue;
      if (!moveAll && k.frames.mapcount[f]! > 1) continue;
      if (!migrateFrame(k, f, dest)) failed++;
    }
  }
  return failed;
}
