/**
 * alloc_pages_mpol for runs of pages: a policy, an interleave index (or none) and a count
 * become frames on nodes (kernel-model.md §1.4, §1.5, §1.8). Non-interleave policies allocate
 * the run in bulk; interleave computes each page's target arithmetically and takes it with a
 * per-node fast check, falling back to the full allocator path only for pages whose target
 * is below its watermark.
 */
import type { Nodemask, Policy } from "../policy/types.js";
import type { AllocRequest, Buddy } from "./allocator.js";
import type { FrameTable } from "./frames.js";
import { interleaveTable, isInterleave, planFor, taskInterleaveNode } from "./placement.js";
import type { TaskPlacement } from "./placement.js";
import type { NodeStats } from "./stats.js";

/** What allocation needs from the kernel. */
export interface MemContext {
  readonly buddy: Buddy;
  readonly frames: FrameTable;
  readonly stats: NodeStats;
  /** The weighted-interleave weight of a node for a policy (sysfs §1.6, or task-local weights of the unmerged RFC). */
  weightOf(node: number, pol?: Policy | null): number;
  /**
   * Out of memory after reclaim (§1.8 step 3): kill a victim, constrained to tasks whose BIND
   * nodes intersect `constraint` when given. Returns normally if memory was freed; throws when
   * the allocating task itself was killed or nothing could be freed.
   */
  outOfMemory(task: TaskPlacement, constraint: Nodemask | null): void;
}

/** Where a run's frames go: `dst[at..at+count)`, with these flags and initial mapcount. */
export interface RunTarget {
  readonly dst: Int32Array;
  readonly at: number;
  readonly flags: number;
  readonly mapcount: number;
}

/**
 * RFC v4 patch 13 (§6.1): a policy may name a private node only if the node has
 * NP_OPS_MEMPOLICY (checked when the policy is created), and its allocations then carry
 * __GFP_PRIVATE so that the node can be used; every other allocation lacks the flag.
 */
function namesPrivateNode(ctx: MemContext, pol: Policy | null): boolean {
  const priv = ctx.buddy.topo.privateNodes;
  return priv.length > 0 && !!pol && pol.nodes.some((n) => priv.includes(n));
}

function allocBulk(ctx: MemContext, task: TaskPlacement, req: AllocRequest, count: number, out: RunTarget, at: number, oom: boolean): number {
  let done = 0;
  for (;;) {
    const res = ctx.buddy.allocate(req, count - done);
    for (const [node, k] of res.runs) {
      ctx.frames.allocRun(out.dst, at + done, k, node, out.flags, out.mapcount);
      done += k;
    }
    if (res.failed === 0 || !oom) return done;
    ctx.outOfMemory(task, req.mask);
  }
}

/**
 * Allocates `count` base pages for consecutive indexes under `pol` (null = the task's default
 * PREFERRED{local}, §1.3 step 4). `ilx0` is the interleave index of the first page (§1.3), or
 * null for allocations without one (page cache: task round robin, §1.5).
 *
 * @example
 * allocPages(k, task, null, vpn, 16384, { dst: anon.pages, at: 0, flags: PG_ANON, mapcount: 1 });
 */
export function allocPages(ctx: MemContext, task: TaskPlacement, pol: Policy | null, ilx0: number | null, count: number, out: RunTarget): void {
  if (count <= 0) return;
  if (!isInterleave(pol)) {
    const plan = planFor(pol, task);
    const base = { start: plan.start, mems: task.mems, order: 0, cpuNode: task.cpuNode, gfpPrivate: namesPrivateNode(ctx, pol) };
    let done = 0;
    if (plan.twoPass) {
      // PREFERRED_MANY pass 1: policy nodes only, no direct reclaim, no OOM (§1.8).
      done = allocBulk(ctx, task, { ...base, mask: plan.mask, directReclaim: false }, count, out, out.at, false);
      if (done < count) allocBulk(ctx, task, { ...base, mask: null }, count - done, out, out.at + done, true);
      return;
    }
    allocBulk(ctx, task, { ...base, mask: plan.mask }, count, out, out.at, true);
    return;
  }
  allocInterleaved(ctx, task, pol!, ilx0, count, out);
}

function allocInterleaved(ctx: MemContext, task: TaskPlacement, pol: Policy, ilx0: number | null, count: number, out: RunTarget): void {
  const { buddy, stats } = ctx;
  const table = ilx0 === null ? null : interleaveTable(pol, (n) => ctx.weightOf(n, pol));
  const width = buddy.free.length;
  const hits = new Float64Array(width);
  const ilHits = new Float64Array(width);
  const nodes = new Int16Array(count);
  const mems = task.mems;
  const allowed = new Uint8Array(width);
  for (let n = 0; n < width; n++) allowed[n] = !mems || mems.includes(n) ? 1 : 0;
  const tlen = table ? table.length : 1;
  let r = table && ilx0 !== null ? ilx0 % tlen : 0;
  if (table && staticRunFits(ctx, table, r, count, allowed)) {
    // Every target stays above its low watermark: the per-page walk would give exactly the
    // periodic pattern, so write it arithmetically (§1.5 static interleave).
    for (let j = 0; j < Math.min(tlen, count); j++) nodes[j] = table[(r + j) % tlen]!;
    for (let len = tlen; len < count; len *= 2) nodes.copyWithin(len, 0, Math.min(len, count - len));
    const per = perNodeCounts(table, r, count, width);
    for (let n = 0; n < width; n++) {
      if (!per[n]) continue;
      buddy.account(n, per[n]!, 1, n, task.cpuNode);
      stats.add("numa_interleave", n, per[n]!);
    }
    ctx.frames.allocNodes(out.dst, out.at, nodes, count, out.flags, out.mapcount);
    return;
  }
  // Pages are committed (frames written into the page table) in segments: before an OOM kill
  // everything faulted so far is mapped, as the kernel's earlier faults would be.
  let seg = 0;
  const commit = (upto: number): void => {
    for (let n = 0; n < width; n++) {
      if (hits[n]) buddy.account(n, hits[n]!, 1, n, task.cpuNode);
      if (ilHits[n]) stats.add("numa_interleave", n, ilHits[n]!);
    }
    hits.fill(0);
    ilHits.fill(0);
    ctx.frames.allocNodes(out.dst, out.at + seg, nodes.subarray(seg, upto), upto - seg, out.flags, out.mapcount);
    seg = upto;
  };
  const one = new Int32Array(1);
  for (let i = 0; i < count; i++) {
    let target: number;
    if (table) {
      target = table[r]!;
      if (++r === tlen) r = 0;
    } else target = taskInterleaveNode(pol, task, (n) => ctx.weightOf(n, pol));
    if (allowed[target] && buddy.fastTake(target, 1)) {
      nodes[i] = target;
      hits[target]!++;
      ilHits[target]!++;
      continue;
    }
    // The target failed its low watermark (or the cpuset): full path from the target (§1.8 table).
    const req = { start: target, mask: null, mems, order: 0, cpuNode: task.cpuNode, gfpPrivate: namesPrivateNode(ctx, pol) };
    const tmp = { dst: one, at: 0, flags: 0, mapcount: 0 };
    while (allocBulk(ctx, task, req, 1, tmp, 0, false) === 0) {
      commit(i);
      ctx.outOfMemory(task, null);
    }
    const node = ctx.frames.node[one[0]!]!;
    ctx.frames.release(one[0]!);
    nodes[i] = node;
    if (node === target) ilHits[target]!++;
  }
  commit(count);
}

function perNodeCounts(table: Int16Array, r0: number, count: number, width: number): Float64Array {
  const per = new Float64Array(width);
  const tlen = table.length;
  const full = Math.floor(count / tlen);
  for (let j = 0; j < tlen; j++) per[table[j]!]! += full;
  for (let j = 0; j < count % tlen; j++) per[table[(r0 + j) % tlen]!]!++;
  return per;
}

/** Takes a static interleave run's pages in one step when every target can give its share above low. */
function staticRunFits(ctx: MemContext, table: Int16Array, r0: number, count: number, allowed: Uint8Array): boolean {
  const per = perNodeCounts(table, r0, count, ctx.buddy.free.length);
  const nodes: number[] = [];
  for (let n = 0; n < per.length; n++) if (per[n]) nodes.push(n);
  const wm = (n: number): number => ctx.buddy.watermarks(n)?.low ?? Infinity;
  if (!nodes.every((n) => allowed[n] && ctx.buddy.free[n]! - per[n]! >= wm(n))) return false;
  for (const n of nodes) ctx.buddy.fastTakeMany(n, per[n]!);
  return true;
}

/**
 * Tries to allocate one 2 MiB THP folio (§1.8 THP case): non-interleave policies first try the
 * start node alone (__GFP_THISNODE, no reclaim); if that fails and the fault may not reclaim
 * directly, give up (the caller falls back to 4 KiB pages). Interleave policies start at the
 * interleave target of `ilx` (order-9 index) with normal fallback but no reclaim. Returns the
 * node, or -1.
 *
 * @example
 * allocThp(k, task, null, vpn >> 9, false) // 0
 */
export function allocThp(ctx: MemContext, task: TaskPlacement, pol: Policy | null, ilx: number, directReclaim: boolean, kswapd = false): number {
  const light = { order: 9, mems: task.mems, cpuNode: task.cpuNode, kswapd, directReclaim, gfpPrivate: namesPrivateNode(ctx, pol) };
  const take = (req: AllocRequest): number => {
    const res = ctx.buddy.allocate(req, 1);
    return res.runs.length > 0 ? res.runs[0]![0] : -1;
  };
  if (isInterleave(pol)) {
    const table = interleaveTable(pol!, (n) => ctx.weightOf(n, pol));
    const target = table[ilx % table.length]!;
    const node = take({ ...light, start: target, mask: null });
    if (node === target) ctx.stats.add("numa_interleave", node, 1);
    return node;
  }
  const plan = planFor(pol, task);
  const startAllowed = (!plan.mask || plan.mask.includes(plan.start)) && (!task.mems || task.mems.includes(plan.start));
  if (startAllowed) {
    const node = take({ ...light, start: plan.start, mask: plan.mask, thisNode: true, kswapd: false, directReclaim: false });
    if (node >= 0 || !directReclaim) return node;
  }
  return take({ ...light, start: plan.start, mask: plan.mask });
}
