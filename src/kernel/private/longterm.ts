/**
 * NP_OPS_LONGTERM_PIN (RFC v4 patch 20/27, seed 002, kernel-model.md §6.1): whether a
 * FOLL_LONGTERM pin (pin_user_pages, `Process.pinPages`) may freeze a folio in place on a
 * private node.
 *
 * The RFC's text: private-node folios are not longterm-pinnable by default (a pinned folio
 * cannot be migrated, compacted or reclaimed, so the owner loses control of it);
 * folio_is_longterm_pinnable() returns the node's LONGTERM_PIN bit. "With the flag: pin succeeds
 * and the folio stays on the private node. Without the flag: ... migration fails (no
 * __GFP_PRIVATE in GFP mask) and pin_user_pages(FOLL_LONGTERM) returns -ENOMEM."
 *
 * tiersim's reading (the RFC is unmerged and evolving, §8 item 9): an unpinnable folio takes
 * GUP's ZONE_MOVABLE / CMA path, check_and_migrate_movable_folios: it is migrated to normal
 * memory first (MR_LONGTERM_PIN) and the pin is taken on the new page. The destination is
 * allocated from the pinning task's local node's zonelist within its cpuset, which holds only
 * N_MEMORY nodes, so it needs no __GFP_PRIVATE (the kernel starts at the folio's own node,
 * alloc_migration_target with NUMA_NO_NODE; that list is [self, normal nodes] and the private
 * node itself is filtered out without __GFP_PRIVATE: the same nodes, possibly in another order).
 * The RFC's ENOMEM is kept for the folios that cannot move: the node lacks NP_OPS_MIGRATION
 * (folio_managed_allows_migrate is false, which is every default-ops node of the RFC), or no
 * normal page is free. As in the kernel, folios that did move stay moved and nothing is pinned.
 * The destination allocation may wake kswapd but does no direct reclaim (an approximation:
 * GFP_USER would reclaim). A huge folio is moved as its base pages (as migrate.ts does).
 *
 * Cost: O(pages in the pinned range), the work pinPages already does.
 */
import { SyscallError } from "../../core/errors.js";
import { hasPrivateOp } from "../../topology/private.js";
import { accountMigrated } from "../migrate.js";
import type { Process } from "../process.js";

/**
 * Migrates the folios of vpns [s, e) that sit on private nodes without NP_OPS_LONGTERM_PIN to
 * normal memory (the pinning task's local zonelist) before they are pinned, counting
 * pgmigrate_success on each destination and pgmigrate_fail on the source of each folio that
 * could not move; throws ENOMEM (pin_user_pages' errno) if any could not. Returns the pages
 * moved.
 *
 * @example
 * migrateLongtermUnpinnable(p, a / 4096, a / 4096 + 100) // 100 when node 2 lacks LONGTERM_PIN
 */
export function migrateLongtermUnpinnable(p: Process, s: number, e: number): number {
  const k = p.kernel;
  const priv = k.topo.privateNodes;
  if (priv.length === 0) return 0;
  const fr = k.frames;
  const movable: number[] = [];
  const stuck: number[] = [];
  for (const v of p.mm.overlapping(s, e)) {
    for (let x = Math.max(s, v.start); x < Math.min(e, v.end); x++) {
      const f = v.frame(x - v.start);
      if (f <= 0) continue;
      const n = fr.node[f]!;
      if (!priv.includes(n) || hasPrivateOp(k.topo, n, "LONGTERM_PIN")) continue;
      (hasPrivateOp(k.topo, n, "MIGRATION") ? movable : stuck).push(f);
    }
  }
  if (movable.length + stuck.length === 0) return 0;
  const from = movable.map((f) => fr.node[f]!);
  const res = movable.length > 0 ? k.buddy.allocate({ start: p.cpuNode, mask: null, mems: p.mems, order: 0, cpuNode: p.cpuNode, kswapd: true, directReclaim: false }, movable.length) : { runs: [] };
  let i = 0;
  for (const [dest, count] of res.runs) {
    // Accounted per stretch of folios from one source node.
    let src = -1;
    let n = 0;
    for (let j = 0; j < count; j++, i++) {
      fr.setNode(movable[i]!, dest);
      if (from[i] !== src) {
        if (n > 0) accountMigrated(k, src, dest, n);
        src = from[i]!;
        n = 0;
      }
      n++;
    }
    if (n > 0) accountMigrated(k, src, dest, n);
  }
  if (i > 0) k.costs.chargeTask(p.pid, "migrate", i);
  for (let j = i; j < movable.length; j++) k.stats.add("pgmigrate_fail", from[j]!, 1);
  for (const f of stuck) k.stats.add("pgmigrate_fail", fr.node[f]!, 1);
  const failed = movable.length - i + stuck.length;
  if (failed > 0) {
    const nodes = [...new Set([...stuck.map((f) => fr.node[f]!), ...from.slice(i)])].sort((a, b) => a - b);
    const why = stuck.length > 0 ? `node(s) ${nodes.join(",")} lack NP_OPS_MIGRATION, so their folios cannot be moved to normal memory first` : `no normal-node page was free for ${failed} of them`;
    throw new SyscallError(
      "pin_user_pages",
      "ENOMEM",
      `${failed} page(s) are on private memory nodes without NP_OPS_LONGTERM_PIN (folio_is_longterm_pinnable is false, RFC v4 patch 20, §6.1) and ${why}; ${i} page(s) did move. Give the node LONGTERM_PIN (pin in place) or MIGRATION (migrate, then pin), or free normal memory`,
    );
  }
  return i;
}
