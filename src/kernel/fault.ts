/**
 * First touch: page faults over a range, through the real path (kernel-model.md §1.3 policy
 * resolution, §1.4-1.5 node choice, §1.8 allocation). Work is proportional to the pages
 * faulted; runs of absent pages are allocated in one call.
 */
import type { Policy } from "../policy/types.js";
import { allocPages, allocThp } from "./alloc.js";
import type { MemContext } from "./alloc.js";
import { PG_ANON, PG_DIRTY, PG_FILE, PG_SHMEM, PG_THP } from "./frames.js";
import { NO_PAGE, SWAP_PAGE, ZERO_PAGE } from "./objects.js";
import type { MemObject } from "./objects.js";
import type { TaskPlacement } from "./placement.js";
import type { SwapSpace } from "./reclaim/swap.js";
import type { Vma } from "./vma.js";

export { ZERO_PAGE } from "./objects.js";

/** The kernel state a fault needs beyond allocation. */
export interface FaultContext extends MemContext {
  /** THP sysfs state: /sys/kernel/mm/transparent_hugepage/{enabled,defrag}. */
  readonly thp: { enabled: "always" | "madvise" | "never"; defrag: "always" | "defer" | "defer+madvise" | "madvise" | "never" };
  /** Swap space whose slots swap-ins free (absent in contexts without reclaim). */
  readonly reclaim?: { readonly swap: SwapSpace };
}

/** The faulting task: placement state plus its task policy (§1.3 scope 3). */
export interface FaultTask extends TaskPlacement {
  readonly policy: Policy | null;
}

/**
 * Faults in [s, e) (virtual pages) of one VMA for a task, as touching each page would.
 * Anonymous read faults map the zero page (no allocation); writes allocate, or break COW of a
 * page still shared after fork. Shmem and page cache are allocated once in the inode and then
 * only mapped: a soft fault of a present page never moves it.
 *
 * @example
 * faultVma(k, task, vma, vma.start, vma.end, true);
 */
export function faultVma(ctx: FaultContext, task: FaultTask, vma: Vma, s: number, e: number, write: boolean): void {
  switch (vma.kind) {
    case "anon":
      faultAnon(ctx, task, vma, s, e, write);
      return;
    case "shmem":
      faultShared(ctx, task, vma, s, e, write, true);
      return;
    case "file-shared":
      faultShared(ctx, task, vma, s, e, write, false);
      return;
    case "file-private":
      if (write) faultPrivateFileWrite(ctx, task, vma, s, e);
      else faultShared(ctx, task, vma, s, e, false, false);
      return;
  }
}

/** THP eligibility and the gfp of the huge allocation (vma_thp_gfp_mask per defrag setting). */
function thpAllowed(ctx: FaultContext, vma: Vma): { on: boolean; reclaim: boolean; kswapd: boolean } {
  const en = ctx.thp.enabled;
  const on = vma.kind === "anon" && (en === "always" || (en === "madvise" && vma.hugepage));
  const d = ctx.thp.defrag;
  const reclaim = d === "always" || (vma.hugepage && (d === "madvise" || d === "defer+madvise"));
  const kswapd = d === "defer" || (d === "defer+madvise" && !vma.hugepage);
  return { on, reclaim, kswapd };
}

function faultAnon(ctx: FaultContext, task: FaultTask, vma: Vma, s: number, e: number, write: boolean): void {
  const anon = vma.anon!;
  const pages = anon.pages;
  const off = vma.anonOff - vma.start;
  const pol = vma.policy ?? task.policy;
  const fr = ctx.frames;
  if (anon.knownEmpty(s + off, e + off)) {
    ctx.stats.add("pgfault", task.cpuNode, e - s);
    anon.markPopulated(s + off, e + off);
    if (!write) pages.fill(ZERO_PAGE, s + off, e + off);
    else allocAnonRun(ctx, task, vma, pol, s, e);
    return;
  }
  anon.markPopulated(s + off, e + off);
  let v = s;
  while (v < e) {
    const f = pages[v + off]!;
    if (f === SWAP_PAGE) {
      let w = v + 1;
      while (w < e && pages[w + off] === SWAP_PAGE) w++;
      swapIn(ctx, task, pol, pages, off, v, w, write);
      v = w;
      continue;
    }
    if (f === NO_PAGE || (f === ZERO_PAGE && write)) {
      let w = v + 1;
      while (w < e && (pages[w + off] === NO_PAGE || (write && pages[w + off] === ZERO_PAGE))) w++;
      ctx.stats.add("pgfault", task.cpuNode, w - v);
      if (!write) pages.fill(ZERO_PAGE, v + off, w + off);
      else allocAnonRun(ctx, task, vma, pol, v, w);
      v = w;
      continue;
    }
    if (write && f > 0) {
      if (fr.mapcount[f]! > 1) {
        // Break COW of a page shared after fork (§1.3: the new page follows the VMA policy).
        ctx.stats.add("pgfault", task.cpuNode, 1);
        fr.mapcount[f]!--;
        allocPages(ctx, task, pol, v, 1, { dst: pages, at: v + off, flags: PG_ANON | PG_DIRTY, mapcount: 1 });
      } else fr.flags[f]! |= PG_DIRTY;
    }
    v++;
  }
}

/**
 * do_swap_page for the swapped-out run [v, w): a page is allocated again under the VMA/task
 * policy (the swap-in readahead allocation), pswpin is counted and the slots are freed.
 */
function swapIn(ctx: FaultContext, task: FaultTask, pol: Policy | null, pages: Int32Array, off: number, v: number, w: number, write: boolean): void {
  ctx.stats.add("pgfault", task.cpuNode, w - v);
  allocPages(ctx, task, pol, v, w - v, { dst: pages, at: v + off, flags: PG_ANON | (write ? PG_DIRTY : 0), mapcount: 1 });
  for (let i = v; i < w; i++) ctx.stats.add("pswpin", ctx.frames.node[pages[i + off]!]!, 1);
  ctx.reclaim?.swap.release(w - v);
}

function allocAnonRun(ctx: FaultContext, task: FaultTask, vma: Vma, pol: Policy | null, s: number, e: number): void {
  const anon = vma.anon!;
  const off = vma.anonOff - vma.start;
  const flags = PG_ANON | PG_DIRTY;
  const thp = thpAllowed(ctx, vma);
  let v = s;
  if (thp.on) {
    // PMD-aligned 2 MiB blocks fully inside the VMA and the run get a THP folio when possible.
    let a = Math.ceil(Math.max(s, vma.start) / 512) * 512;
    while (a + 512 <= e) {
      if (a > v) allocPages(ctx, task, pol, v, a - v, { dst: anon.pages, at: v + off, flags, mapcount: 1 });
      // ilx = (vm_pgoff >> 9) + ((addr - vm_start) >> 21); vm_pgoff = vpn of vm_start for anon (§1.3).
      const ilx = (vma.start >> 9) + ((a - vma.start) >> 9);
      const node = allocThp(ctx, task, pol, ilx, thp.reclaim, thp.kswapd);
      if (node >= 0) {
        ctx.frames.allocRun(anon.pages, a + off, 512, node, flags | PG_THP, 1);
        ctx.stats.add("thp_fault_alloc", node, 1);
      } else {
        ctx.stats.add("thp_fault_fallback", task.cpuNode, 1);
        allocPages(ctx, task, pol, a, 512, { dst: anon.pages, at: a + off, flags, mapcount: 1 });
      }
      v = a + 512;
      a += 512;
    }
  }
  // Anonymous ilx = vpn: vm_pgoff of an anonymous VMA is the vpn of its start (§1.3).
  allocPages(ctx, task, pol, v, e - v, { dst: anon.pages, at: v + off, flags, mapcount: 1 });
}

/**
 * Allocates the absent pages [i0, i1) of a shared object (shmem inode or page cache).
 * Shmem: shared policy by file index, else task policy; ilx = inode + index (§1.3).
 * Page cache: task policy only, no index (task round robin), never the VMA policy (§1.3).
 */
function populateObject(ctx: FaultContext, task: FaultTask, obj: MemObject, i0: number, i1: number, shmem: boolean): void {
  const pages = obj.pages;
  const flags = shmem ? PG_SHMEM : PG_FILE;
  const empty = obj.knownEmpty(i0, i1);
  obj.markPopulated(i0, i1);
  const runs = shmem ? obj.policyRuns(i0, i1) : [{ start: i0, end: i1, policy: null }];
  for (const r of runs) {
    const pol = r.policy ?? task.policy;
    if (empty) {
      allocPages(ctx, task, pol, shmem ? obj.ino + r.start : null, r.end - r.start, { dst: pages, at: r.start, flags, mapcount: 0 });
      continue;
    }
    let i = r.start;
    while (i < r.end) {
      if (pages[i] !== NO_PAGE) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < r.end && pages[j] === NO_PAGE) j++;
      allocPages(ctx, task, pol, shmem ? obj.ino + i : null, j - i, { dst: pages, at: i, flags, mapcount: 0 });
      i = j;
    }
  }
}

function faultShared(ctx: FaultContext, task: FaultTask, vma: Vma, s: number, e: number, write: boolean, shmem: boolean): void {
  const obj = vma.file!;
  const fo = vma.filePgoff - vma.start;
  populateObject(ctx, task, obj, s + fo, e + fo, shmem);
  const fr = ctx.frames;
  const mapped = vma.mapped!;
  for (let v = s; v < e; v++) {
    const f = obj.pages[v + fo]!;
    const mi = v - vma.start;
    if (!mapped[mi]) {
      ctx.stats.add("pgfault", task.cpuNode, 1);
      mapped[mi] = 1;
      fr.mapcount[f]!++;
    }
    if (write) fr.flags[f]! |= PG_DIRTY;
  }
}

function faultPrivateFileWrite(ctx: FaultContext, task: FaultTask, vma: Vma, s: number, e: number): void {
  // do_cow_fault: the file page is read into the page cache (task policy), then copied into a
  // private anonymous page allocated under the VMA policy with ilx = file offset (§1.3).
  const fo = vma.filePgoff - vma.start;
  populateObject(ctx, task, vma.file!, s + fo, e + fo, false);
  const anon = vma.anon!;
  const off = vma.anonOff - vma.start;
  const pol = vma.policy ?? task.policy;
  anon.markPopulated(s + off, e + off);
  let v = s;
  while (v < e) {
    if (anon.pages[v + off]! > 0) {
      ctx.frames.flags[anon.pages[v + off]!]! |= PG_DIRTY;
      v++;
      continue;
    }
    let w = v + 1;
    while (w < e && anon.pages[w + off]! <= 0) w++;
    let swapped = 0;
    for (let i = v; i < w; i++) if (anon.pages[i + off] === SWAP_PAGE) swapped++;
    ctx.stats.add("pgfault", task.cpuNode, w - v);
    if (swapped > 0) {
      ctx.stats.add("pswpin", task.cpuNode, swapped);
      ctx.reclaim?.swap.release(swapped);
    }
    allocPages(ctx, task, pol, v + fo, w - v, { dst: anon.pages, at: v + off, flags: PG_ANON | PG_DIRTY, mapcount: 1 });
    v = w;
  }
}
