/**
 * The buddy allocator as kernel-model.md §1.8 describes it, with free pages counted per node
 * (one zone per node) and the §1.9 watermarks. Runs of pages are allocated in bulk: a request
 * for N folios takes as many as each zonelist node can give above the watermark in one step,
 * which is what N single-folio requests would do one after the other.
 */
import { walkedZonelist, type PrivateNodeDesign } from "../topology/privateZonelist.js";
import type { KernelTopology, Watermarks } from "../topology/types.js";
import type { NodeStats } from "./stats.js";

/** One allocation request (the parts of gfp/alloc_context tiersim models). */
export interface AllocRequest {
  /** The zonelist origin: local node, home node, preferred node or interleave target (§1.4). */
  readonly start: number;
  /** The policy nodemask (BIND, PREFERRED_MANY pass 1), or null for any node. */
  readonly mask: readonly number[] | null;
  /** The task's cpuset mems_allowed (ALLOC_CPUSET, §2.6), or null when unrestricted. */
  readonly mems: readonly number[] | null;
  /** Folio order: 0 (4 KiB) or 9 (2 MiB THP). */
  readonly order: number;
  /** __GFP_THISNODE: only the start node's NOFALLBACK zonelist (§1.8 step 4). */
  readonly thisNode?: boolean;
  /** __GFP_PRIVATE (RFC v4, §6.1): private nodes may be used; GFP_PRIVATE = this + thisNode. */
  readonly gfpPrivate?: boolean;
  /** __GFP_KSWAPD_RECLAIM (default true). */
  readonly kswapd?: boolean;
  /** __GFP_DIRECT_RECLAIM (default true). */
  readonly directReclaim?: boolean;
  /** The allocating CPU's node (numa_local / numa_other). */
  readonly cpuNode: number;
}

/** Where the folios of a request went: `[node, folios]` runs in allocation order, and how many failed. */
export interface AllocResult {
  readonly runs: [node: number, folios: number][];
  readonly failed: number;
  /** The preferred zone's node (first node of the filtered zonelist) used for numa_hit/miss. */
  readonly preferred: number;
}

function privateMask(topo: KernelTopology, width: number): Uint8Array {
  const mask = new Uint8Array(width);
  for (const n of topo.privateNodes) mask[n] = 1;
  return mask;
}

/** A direct-reclaim hook: try to free `pages` on `nodes`, return how many were freed. */
export type DirectReclaimHook = (nodes: readonly number[], pages: number) => number;

/**
 * Free pages and watermarks per node, and the allocation flow of §1.8.
 *
 * @example
 * const buddy = new Buddy(topo, stats);
 * buddy.allocate({ start: 0, mask: null, mems: null, order: 0, cpuNode: 0 }, 100).runs; // [[0, 100]]
 */
export class Buddy {
  topo: KernelTopology;
  readonly #stats: NodeStats;
  /** Free pages per node id. */
  readonly free: Float64Array;
  /** kswapd state per node: 1 while awake (woken by the slow path, put to sleep by the reclaim engine). */
  readonly kswapdAwake: Uint8Array;
  /** How many times each node's kswapd was woken from sleep. */
  readonly kswapdWakeups: Float64Array;
  /** Log of kswapd wakeups in order, for tests and timelines. */
  readonly wakeLog: number[] = [];
  /** Called when a node's kswapd goes from asleep to awake (the reclaim engine schedules its run). */
  onKswapdWake: ((node: number) => void) | null = null;
  /** The direct-reclaim hook (the reclaim engine installs one; none by default). */
  directReclaim: DirectReclaimHook | null = null;
  /** Which design of private memory nodes is in force (behaviour privateNodeDesign, §6.1). */
  privateDesign: PrivateNodeDesign = "gfp-private";
  readonly #wm: Watermarks[] = [];
  /** 1 for N_MEMORY_PRIVATE nodes. */
  #private: Uint8Array;

  constructor(topo: KernelTopology, stats: NodeStats) {
    this.topo = topo;
    this.#stats = stats;
    const width = Math.max(0, ...topo.nodeIds) + 1;
    this.free = new Float64Array(width);
    this.kswapdAwake = new Uint8Array(width);
    this.kswapdWakeups = new Float64Array(width);
    this.#private = privateMask(topo, width);
    for (const n of [...topo.memoryNodes, ...topo.privateNodes]) {
      this.free[n] = topo.managedPages(n);
      this.#wm[n] = topo.watermarks(n);
    }
  }

  /**
   * Memory hotplug: adopt a re-derived topology; newly onlined nodes get all their pages free,
   * every node's watermarks are recomputed (§1.9 depends on total memory).
   *
   * @example
   * buddy.retopo(deriveKernelTopology(setMemoryOnline(spec, 2, true)));
   */
  retopo(topo: KernelTopology): void {
    const had = (n: number): boolean => this.topo.memoryNodes.includes(n) || this.topo.privateNodes.includes(n);
    for (const n of [...topo.memoryNodes, ...topo.privateNodes]) {
      if (!had(n)) this.free[n] = topo.managedPages(n);
      this.#wm[n] = topo.watermarks(n);
    }
    this.#private = privateMask(topo, this.free.length);
    this.topo = topo;
  }

  /**
   * The watermarks of a node (§1.9).
   *
   * @example
   * buddy.watermarks(0).low
   */
  watermarks(node: number): Watermarks {
    return this.#wm[node]!;
  }

  /**
   * The zonelist a request walks: FALLBACK or NOFALLBACK list of the start node (§3.2),
   * filtered by the policy nodemask and the cpuset (§1.8 step 1, §2.6).
   *
   * @example
   * buddy.zonelistFor({ start: 0, mask: [0, 1], mems: null, order: 0, cpuNode: 0 }) // [0, 1]
   */
  zonelistFor(req: AllocRequest): number[] {
    // §6.1: private nodes are gated by __GFP_PRIVATE or by their own lists (privateZonelist.ts).
    // They are outside cpuset mems here (cpuset control of private nodes is not modelled), so
    // the cpuset filter applies to N_MEMORY nodes only.
    const base = walkedZonelist(this.topo, this.privateDesign, req);
    return req.mems ? base.filter((n) => this.#private[n] || req.mems!.includes(n)) : base;
  }

  /** Folios a node can give while staying at or above `mark` (zone_watermark_ok: free - size + 1 > mark). */
  #avail(node: number, mark: number, size: number): number {
    return Math.max(0, Math.floor((this.free[node]! - mark) / size));
  }

  #take(list: readonly number[], which: "low" | "min", size: number, want: number, runs: [number, number][]): number {
    let got = 0;
    for (const n of list) {
      if (got === want) break;
      const k = Math.min(want - got, this.#avail(n, this.#wm[n]![which], size));
      if (k <= 0) continue;
      this.free[n]! -= k * size;
      const last = runs[runs.length - 1];
      if (last && last[0] === n) last[1] += k;
      else runs.push([n, k]);
      got += k;
    }
    return got;
  }

  /**
   * Wakes kswapd on a node (wakeup_kswapd); records the wakeup if it was asleep.
   *
   * @example
   * buddy.wakeKswapd(0);
   */
  wakeKswapd(node: number): void {
    // §6.1: kswapd is not started for private nodes; their owning service drives reclaim.
    if (this.kswapdAwake[node] || this.#private[node]) return;
    this.kswapdAwake[node] = 1;
    this.kswapdWakeups[node]! += 1;
    this.wakeLog.push(node);
    this.onKswapdWake?.(node);
  }

  /**
   * Allocates `count` folios of `req.order` (§1.8): fast path over the filtered zonelist at the
   * low watermark; when every node fails, wake kswapd on every listed node and retry at min;
   * then direct reclaim through the hook; what still fails is returned as `failed` (the caller
   * decides about OOM). Counts numa_hit/miss/foreign/local/other and pgalloc (§5.6).
   *
   * @example
   * buddy.allocate({ start: 0, mask: null, mems: null, order: 0, cpuNode: 0 }, 1)
   */
  allocate(req: AllocRequest, count: number): AllocResult {
    const size = 2 ** req.order;
    const list = this.zonelistFor(req);
    const runs: [number, number][] = [];
    const preferred = list[0] ?? req.start;
    let got = this.#take(list, "low", size, count, runs);
    while (got < count) {
      // Slow path: every node failed the low watermark (§1.8 step 2).
      if (req.kswapd !== false) for (const n of list) this.wakeKswapd(n);
      got += this.#take(list, "min", size, count - got, runs);
      if (got === count || req.directReclaim === false || !this.directReclaim) break;
      // Direct reclaim on the zonelist nodes (§1.8 step 3).
      this.#stats.add("allocstall_movable", req.cpuNode, 1);
      const freed = this.directReclaim(list, (count - got) * size);
      if (freed <= 0) break;
    }
    for (const [n, k] of runs) this.account(n, k, size, preferred, req.cpuNode);
    return { runs, failed: count - got, preferred };
  }

  /**
   * Takes one folio from `node` if it stays at or above the low watermark (the fast path of a
   * single request whose zonelist starts at an allowed `node`); no accounting.
   *
   * @example
   * if (buddy.fastTake(2, 1)) buddy.account(2, 1, 1, 2, 0);
   */
  fastTake(node: number, size: number): boolean {
    const wm = this.#wm[node];
    if (!wm || this.free[node]! - size < wm.low) return false;
    this.free[node]! -= size;
    return true;
  }

  /**
   * Takes `pages` base pages from `node` if it stays at or above its low watermark (a batch of
   * fast-path allocations that all succeed); returns false and takes nothing otherwise.
   *
   * @example
   * buddy.fastTakeMany(0, 512) // true
   */
  fastTakeMany(node: number, pages: number): boolean {
    const wm = this.#wm[node];
    if (!wm || this.free[node]! - pages < wm.low) return false;
    this.free[node]! -= pages;
    return true;
  }

  /**
   * Counts folios that landed on `node` when `preferred` was intended (zone_statistics) and
   * pgalloc (§5.6).
   *
   * @example
   * buddy.account(0, 10, 1, 0, 0);
   */
  account(node: number, folios: number, size: number, preferred: number, cpuNode: number): void {
    const s = this.#stats;
    if (node === preferred) s.add("numa_hit", node, folios);
    else {
      s.add("numa_miss", node, folios);
      s.add("numa_foreign", preferred, folios);
    }
    s.add(node === cpuNode ? "numa_local" : "numa_other", node, folios);
    const zone = this.topo.spec.nodes.find((x) => x.id === node)?.memory?.zone ?? "normal";
    s.add(zone === "movable" ? "pgalloc_movable" : "pgalloc_normal", node, folios * size);
  }

  /**
   * Returns pages to a node's free count.
   *
   * @example
   * buddy.release(0, 512);
   */
  release(node: number, pages: number): void {
    this.free[node]! += pages;
    this.#stats.add("pgfree", node, pages);
  }

  /**
   * Takes pages from a node for a migration target if it stays above `mark` (default min).
   * Returns how many pages it took.
   *
   * @example
   * buddy.takeForMigration(2, 1) // 1 or 0
   */
  takeForMigration(node: number, pages: number): number {
    const k = Math.min(pages, this.#avail(node, this.#wm[node]!.min, 1));
    this.free[node]! -= k;
    return k;
  }
}
