/**
 * shrink_folio_list for a batch of eviction candidates of one node (kernel-model.md §5.3):
 * demote them to a lower tier when demotion is possible, else drop clean page cache and swap
 * anon pages out when swap has room; what neither frees is activated (activate_locked).
 */
import type { Random } from "../../core/random.js";
import { nextDemotionNode } from "../../topology/demotion.js";
import type { AllocRequest } from "../allocator.js";
import { PG_ANON, PG_DIRTY, PG_FILE, PG_SHMEM } from "../frames.js";
import type { Kernel } from "../kernel.js";
import { accountMigrated } from "../migrate.js";
import { NO_PAGE, SWAP_PAGE } from "../objects.js";
import type { LruClock } from "./lru.js";
import type { SwapSpace } from "./swap.js";

/**
 * Restricts a candidate's demotion targets (the demotionHonoursMempolicy what-if).
 *
 * @example
 * const keepAll: TargetFilter = (_f, allowed) => allowed;
 */
export type TargetFilter = (f: number, allowed: readonly number[]) => readonly number[];

/**
 * The state eviction works on.
 *
 * @example
 * const ctx: EvictContext = { k, lru, rng, swap, demoted: new Float64Array(16), width: 4 };
 */
export interface EvictContext {
  readonly k: Kernel;
  readonly lru: LruClock;
  readonly rng: Random;
  readonly swap: SwapSpace;
  /** Pages demoted per (from, to): index from * width + to. */
  readonly demoted: Float64Array;
  readonly width: number;
}

/**
 * What one batch freed.
 *
 * @example
 * evict(ctx, 0, cands, 32, opts) // { freed: 32, demoted: 32 }
 */
export interface EvictResult {
  /** Pages freed on the node (demoted + dropped + swapped out): pgsteal. */
  readonly freed: number;
  /** Of those, pages demoted (pgdemote_*, charged as migrations). */
  readonly demoted: number;
}

/**
 * Evicts `count` candidates `cands[0..count)` of `node`. `lower` is the node's lower-tier mask
 * when demotion is possible for this pass, else empty (§5.3 can_demote: demotion_enabled and a
 * non-empty lower-tier mask); `direct` selects the *_direct counters; `filter` (what-if only)
 * narrows each page's targets.
 *
 * @example
 * evict(ctx, 0, cands, 32, { lower: k.topo.lowerTierNodes(0), direct: false, filter: null }) // { freed: 32, demoted: 32 }
 */
export function evict(ctx: EvictContext, node: number, cands: Int32Array, count: number, opts: { lower: readonly number[]; direct: boolean; filter: TargetFilter | null }): EvictResult {
  const k = ctx.k;
  let rest: number[] = Array.from(cands.subarray(0, count));
  let demoted = 0;
  const lower = opts.lower;
  if (lower.length > 0) {
    if (!opts.filter) {
      // Mainline: one target set for the whole list (demotion ignores mempolicy and task cpusets, §5.3).
      // An empty list draws no target (nextDemotionNode may consume the rng).
      if (rest.length > 0) {
        const failed = demoteList(ctx, node, lower, rest);
        demoted = rest.length - failed.length;
        rest = failed;
      }
    } else {
      const groups = new Map<string, { allowed: readonly number[]; frames: number[] }>();
      for (const f of rest) {
        const allowed = opts.filter(f, lower);
        const key = allowed.join(",");
        const g = groups.get(key);
        if (g) g.frames.push(f);
        else groups.set(key, { allowed, frames: [f] });
      }
      rest = [];
      for (const g of groups.values()) {
        const failed = demoteList(ctx, node, g.allowed, g.frames);
        demoted += g.frames.length - failed.length;
        for (const f of failed) rest.push(f);
      }
    }
    if (demoted > 0) k.stats.add(opts.direct ? "pgdemote_direct" : "pgdemote_kswapd", node, demoted);
  }
  // Folios that were not demoted go through normal reclaim with demotion off (§5.3).
  let dropped = 0;
  let swapped = 0;
  const fr = k.frames;
  for (const f of rest) {
    const fl = fr.flags[f]!;
    const owner = fr.owner(f);
    if (fl & PG_FILE && fr.mapcount[f] === 0 && owner) {
      if (fl & PG_DIRTY) {
        // pageout(): kswapd starts writeback; the page stays inactive and is dropped clean
        // when the hand comes back. Direct reclaim does not write file pages.
        if (!opts.direct) fr.flags[f] = fl & ~PG_DIRTY;
        continue;
      }
      owner.pages[owner.slot] = NO_PAGE;
      fr.release(f); // the access columns are clearOnFree
      dropped++;
      continue;
    }
    if (fl & PG_ANON && !(fl & PG_SHMEM) && fr.mapcount[f] === 1 && owner && ctx.swap.take()) {
      owner.pages[owner.slot] = SWAP_PAGE;
      fr.release(f); // the access columns are clearOnFree
      swapped++;
      continue;
    }
    ctx.lru.activate(f);
  }
  if (swapped > 0) k.stats.add("pswpout", node, swapped);
  if (dropped + swapped > 0) k.buddy.release(node, dropped + swapped);
  const freed = demoted + dropped + swapped;
  if (freed > 0) k.stats.add(opts.direct ? "pgsteal_direct" : "pgsteal_kswapd", node, freed);
  return { freed, demoted };
}

/**
 * demote_folio_list: target = next_demotion_node(node, allowed); each destination page is
 * allocated on the target with __GFP_THISNODE and no reclaim (kswapd of the target may be
 * woken), else anywhere in `allowed` in the target's zonelist order. A private target with an
 * owner (CRAM) gets the batch through its migrate_to callback instead (§6.1); what it refuses
 * falls back to the normal nodes of `allowed`. Returns the frames that could not be demoted
 * (normal reclaim then swaps or keeps them, §5.3).
 */
function demoteList(ctx: EvictContext, node: number, allowed: readonly number[], frames: readonly number[]): number[] {
  const k = ctx.k;
  if (allowed.length === 0) return [...frames];
  const target = nextDemotionNode(k.topo, node, allowed, ctx.rng);
  if (target === null) return [...frames];
  let todo: readonly number[] = frames;
  const isPrivate = (n: number): boolean => k.topo.privateNodes.includes(n);
  const base: AllocRequest = { start: target, mask: null, mems: null, order: 0, cpuNode: node, kswapd: true, directReclaim: false };
  let stored = 0;
  const runs: [number, number][] = [];
  if (k.cram.isCram(target)) {
    // §6.1 node_private_ops.migrate_to: the owner takes the batch and may refuse folios
    // (CRAM backpressure); the refused ones continue below like failed target allocations.
    todo = k.cram.migrateTo(target, frames);
    stored = frames.length - todo.length;
  } else {
    // A private DEMOTION node without an owner callback is allocated from directly, which
    // needs GFP_PRIVATE (__GFP_PRIVATE | __GFP_THISNODE); a normal target takes plain THISNODE.
    runs.push(...k.buddy.allocate({ ...base, thisNode: true, gfpPrivate: isPrivate(target) }, frames.length).runs);
  }
  // The fallback walks the target's zonelist over `allowed` without __GFP_PRIVATE: it never
  // reaches a private node behind its owner's back (also under "fallback-only", whose private
  // lists start with the node itself).
  const got = runs.reduce((s, r) => s + r[1], 0);
  const normal = allowed.filter((n) => !isPrivate(n));
  const rest = todo.length - got;
  if (rest > 0 && normal.length > 0) runs.push(...k.buddy.allocate({ ...base, mask: normal }, rest).runs);
  if (stored > 0) {
    accountMigrated(k, node, target, stored);
    ctx.demoted[node * ctx.width + target]! += stored;
  }
  // Frames moved by buddy runs are taken from `todo` in order; the owner moved the others.
  let i = 0;
  for (const [dest, n] of runs) {
    for (let j = 0; j < n; j++) k.frames.setNode(todo[i++]!, dest);
    accountMigrated(k, node, dest, n);
    ctx.demoted[node * ctx.width + dest]! += n;
  }
  const moved = stored + i;
  if (moved < frames.length) k.stats.add("pgmigrate_fail", node, frames.length - moved);
  return todo.slice(i);
}
