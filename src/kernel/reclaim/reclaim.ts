/**
 * Page reclaim: kswapd per node, direct reclaim and demotion (kernel-model.md §1.8 steps 2-3,
 * §1.9, §5.3, §7 event 4). Installed as `k.reclaim` at boot; it owns the buddy allocator's
 * kswapd-wake and direct-reclaim hooks.
 *
 * kswapd timing. A woken kswapd runs as clock events. One event does up to KSWAPD_ROUNDS rounds;
 * a round asks the LRU hand for SWAP_CLUSTER_MAX (32) eviction candidates and evicts them, and
 * the node's balance (free >= high, or >= promo with the tiering bit of kernel.numa_balancing,
 * §1.9 / §5.4 item 5) is checked before every round, so kswapd frees whole rounds of 32 pages
 * until balanced. kswapd is one kernel thread working flat out, so an event takes the CPU time
 * it charges: reclaimScanNs per page scanned plus migratePageNs per page demoted (defaults 150 ns
 * and 4 us: a round of 32 demotions is ~133 us, an event of 8 rounds ~1.06 ms, i.e. ~1 GB/s of
 * demotion per node), at least KSWAPD_MIN_EVENT_NS; the next event follows after that time.
 *
 * Giving up (MAX_RECLAIM_RETRIES). A hand revolution over the frame ids without a page freed,
 * or a round with nothing on the LRUs this pass may scan, counts as one failed balance_pgdat
 * run (kswapd_failures); after 16 kswapd sleeps and a later wake is ignored ("hopeless" node)
 * until direct reclaim frees pages on the node.
 *
 * Private memory nodes (NP_OPS_RECLAIM, RFC v4 patch 16/27, kernel-model.md §6.1). The RFC's
 * text: "Kernel reclaim (kswapd, direct reclaim, OOM) operates on this node" only with the flag;
 * zone_reclaim_allowed() makes shrink_zones (direct reclaim) and wakeup_kswapd skip a private
 * node without it, and the owner drives reclaim of its node by raising watermark_boost, which
 * kswapd then works off (the reclaim_policy callback may enable swap/writepage for that pass).
 * tiersim's reading: private nodes never get a kswapd (allocator.ts, the §6.1 [SIM] line), so
 * the owner's request is the synchronous call {@link Reclaim.reclaimNode}, counted like the
 * boosted kswapd pass it stands for (pgscan/pgsteal/pgdemote_kswapd, CPU charged to the node's
 * kswapd); direct reclaim includes a private node of the allocation's zonelist only with
 * RECLAIM. Without it the node's pages are never scanned: every round on it is empty. Once
 * scanned, a private node's pages are demoted, dropped or swapped like any node's (§5.3).
 */
import type { Random } from "../../core/random.js";
import type { Size } from "../../core/units.js";
import type { QueuedEvent } from "../../engine/queue.js";
import { UsageError } from "../../core/errors.js";
import { hasBuddyMemory, hasPrivateOp } from "../../topology/private.js";
import { PG_ANON, PG_FILE, PG_SHMEM } from "../frames.js";
import type { Kernel } from "../kernel.js";
import { evict } from "./evict.js";
import type { EvictContext, TargetFilter } from "./evict.js";
import { LruClock } from "./lru.js";
import type { ScanScope } from "./lru.js";
import { bindMaskFilter } from "./policyfilter.js";
import { SwapSpace } from "./swap.js";

/**
 * Pages per reclaim round (SWAP_CLUSTER_MAX); also direct reclaim's nr_to_reclaim.
 *
 * @example
 * Math.ceil(deficit / SWAP_CLUSTER_MAX) * SWAP_CLUSTER_MAX // pages kswapd frees
 */
export const SWAP_CLUSTER_MAX = 32;
/**
 * Rounds per kswapd event.
 *
 * @example
 * KSWAPD_ROUNDS * SWAP_CLUSTER_MAX // 256 pages at most per event
 */
export const KSWAPD_ROUNDS = 8;
/**
 * Failed balance runs after which kswapd stops trying (MAX_RECLAIM_RETRIES).
 *
 * @example
 * k.reclaim.kswapdFailures[0] >= MAX_RECLAIM_RETRIES // node 0 is hopeless
 */
export const MAX_RECLAIM_RETRIES = 16;
/**
 * The shortest a kswapd event may take, ns (wakeup and lock overhead with nothing to do).
 *
 * @example
 * KSWAPD_MIN_EVENT_NS // 1000
 */
export const KSWAPD_MIN_EVENT_NS = 1000;
/** Frame ids the hand may move over per round (bounds work on a node with few pages). */
const VISIT_PER_ROUND = SWAP_CLUSTER_MAX * 128;
/** Rounds direct reclaim tries per node without progress before moving to the next node. */
const DIRECT_TRIES = 4;
/** No demotion targets (demotion disabled). */
const NO_NODES: readonly number[] = [];

/** What one round did. */
interface Round {
  freed: number;
  demoted: number;
  scanned: number;
  empty: boolean;
}

/**
 * The reclaim engine of one kernel.
 *
 * @example
 * const k = boot(presets.twoSocketCxl());
 * k.sysfs.write("/sys/kernel/mm/numa/demotion_enabled", "true");
 * // ... fill node 0 ...
 * k.advance("1s");
 * k.reclaim.demotedPages(0, 2) // pages kswapd moved from DRAM node 0 to CXL node 2
 */
export class Reclaim {
  /** Swap space; empty until swapon(). */
  readonly swap: SwapSpace = new SwapSpace();
  /** kswapd events run per node. */
  readonly kswapdRuns: Float64Array;
  /** Failed balance runs per node since the last progress (kswapd_failures). */
  readonly kswapdFailures: Float64Array;
  readonly #k: Kernel;
  readonly #lru: LruClock;
  readonly #rng: Random;
  readonly #kind: number;
  readonly #width: number;
  readonly #demoted: Float64Array;
  /** Frame ids visited since the node last freed a page. */
  readonly #sinceProgress: Float64Array;
  readonly #cand: Int32Array = new Int32Array(SWAP_CLUSTER_MAX);
  /** What eviction works on; the same for every round. */
  readonly #ctx: EvictContext;

  constructor(k: Kernel) {
    this.#k = k;
    this.#rng = k.random.fork("reclaim");
    this.#lru = new LruClock(k.frames, k.access, this.#rng);
    this.#width = k.buddy.free.length;
    this.kswapdRuns = new Float64Array(this.#width);
    this.kswapdFailures = new Float64Array(this.#width);
    this.#sinceProgress = new Float64Array(this.#width);
    this.#demoted = new Float64Array(this.#width * this.#width);
    this.#ctx = { k, lru: this.#lru, rng: this.#rng, swap: this.swap, demoted: this.#demoted, width: this.#width };
    this.#kind = k.clock.register("kswapd", (e) => this.#kswapd(e));
    k.buddy.onKswapdWake = (n) => this.#wake(n);
    k.buddy.directReclaim = (nodes) => this.#direct(nodes);
  }

  /**
   * swapon: adds swap space, making anonymous pages reclaimable without demotion (§5.3).
   *
   * @example
   * k.reclaim.swapon("1GiB");
   */
  swapon(size: Size): void {
    this.swap.add(size);
  }

  /**
   * /sys/kernel/mm/numa/demotion_enabled as the kernel reads it.
   *
   * @example
   * k.reclaim.demotionEnabled() // false at boot
   */
  demotionEnabled(): boolean {
    return this.#k.sysfs.read("/sys/kernel/mm/numa/demotion_enabled") === "true";
  }

  /**
   * can_demote(node) (§5.3): demotion enabled and the node has lower-tier nodes.
   *
   * @example
   * k.reclaim.canDemote(0) // true on twoSocketCxl with demotion enabled
   */
  canDemote(node: number): boolean {
    return this.demotionEnabled() && this.#k.topo.lowerTierNodes(node).length > 0;
  }

  /**
   * The free-page level kswapd reclaims a node up to: high, or promo when kernel.numa_balancing
   * has the MEMORY_TIERING bit (2) (§1.9, §5.4 item 5).
   *
   * @example
   * k.reclaim.balanceMark(0) // k.buddy.watermarks(0).high
   */
  balanceMark(node: number): number {
    const wm = this.#k.buddy.watermarks(node);
    return this.#k.sysctl.read("kernel.numa_balancing") & 2 ? wm.promo : wm.high;
  }

  /**
   * Whether kswapd is running on a node.
   *
   * @example
   * k.reclaim.kswapdAwake(0) // false once balanced
   */
  kswapdAwake(node: number): boolean {
    return this.#k.buddy.kswapdAwake[node] === 1;
  }

  /**
   * Pages demoted from one node to another so far (kswapd and direct reclaim).
   *
   * @example
   * k.reclaim.demotedPages(0, 2) // 480
   */
  demotedPages(from: number, to: number): number {
    return this.#demoted[from * this.#width + to] ?? 0;
  }

  /**
   * Every (from, to) pair with demoted pages, in node order.
   *
   * @example
   * k.reclaim.demotions() // [{ from: 0, to: 2, pages: 480 }]
   */
  demotions(): { from: number; to: number; pages: number }[] {
    const out: { from: number; to: number; pages: number }[] = [];
    for (let i = 0; i < this.#demoted.length; i++) {
      if (this.#demoted[i]) out.push({ from: Math.floor(i / this.#width), to: i % this.#width, pages: this.#demoted[i]! });
    }
    return out;
  }

  /**
   * Active and inactive LRU pages of a node as reclaim sees them (hot / cold). O(frames): a
   * query for results, not for events.
   *
   * @example
   * k.reclaim.lruSizes(0) // { active: 2048, inactive: 14336 }
   */
  lruSizes(node: number): { active: number; inactive: number } {
    return this.#lru.sizes(node);
  }

  /** What a round scans: anon pages only when they can be demoted or swapped out (§5.3). */
  #scope(canDemote: boolean): ScanScope {
    return { anon: canDemote || this.swap.free > 0, file: true };
  }

  #hasLruPages(node: number, scope: ScanScope): boolean {
    const fr = this.#k.frames;
    const anon = scope.anon ? fr.countOf(PG_ANON, node) + fr.countOf(PG_SHMEM, node) : 0;
    return anon + (scope.file ? fr.countOf(PG_FILE, node) : 0) > 0;
  }

  /** zone_reclaim_allowed (§6.1): a private node's LRUs are reclaimable only with NP_OPS_RECLAIM. */
  #reclaimable(node: number): boolean {
    const topo = this.#k.topo;
    return !topo.privateNodes.includes(node) || hasPrivateOp(topo, node, "RECLAIM");
  }

  #round(node: number, want: number, direct: boolean, filter: () => TargetFilter | null): Round {
    const k = this.#k;
    // can_demote once per round: the scan scope and evict's targets read the same answer.
    const lower = this.demotionEnabled() ? k.topo.lowerTierNodes(node) : NO_NODES;
    const demote = lower.length > 0;
    const scope = this.#scope(demote);
    if (!this.#reclaimable(node) || !this.#hasLruPages(node, scope)) return { freed: 0, demoted: 0, scanned: 0, empty: true };
    const lru = this.#lru;
    lru.activated = lru.deactivated = 0;
    const s = lru.scan(node, k.clock.nowNs, scope, this.#cand, want, VISIT_PER_ROUND);
    k.stats.add(direct ? "pgscan_direct" : "pgscan_kswapd", node, s.scanned);
    const r = s.candidates > 0 ? evict(this.#ctx, node, this.#cand, s.candidates, { lower, direct, filter: demote ? filter() : null }) : { freed: 0, demoted: 0 };
    if (lru.activated) k.stats.add("pgactivate", node, lru.activated);
    if (lru.deactivated) k.stats.add("pgdeactivate", node, lru.deactivated);
    if (r.freed > 0) this.#sinceProgress[node] = 0;
    else this.#sinceProgress[node]! += s.visited;
    return { freed: r.freed, demoted: r.demoted, scanned: s.scanned, empty: false };
  }

  /** kswapd's CPU time for the pages a run of rounds scanned and demoted on a node. */
  #chargeKswapd(node: number, scanned: number, demoted: number): void {
    const costs = this.#k.costs;
    if (scanned) costs.chargeKswapd(node, "reclaim_scan", scanned);
    if (demoted) costs.chargeKswapd(node, "migrate", demoted);
  }

  /** The what-if filter, built at most once per event or direct-reclaim call. */
  #filterOnce(): () => TargetFilter | null {
    let built: TargetFilter | null | undefined;
    return () => {
      if (built === undefined) built = this.#k.behaviours.demotionHonoursMempolicy ? bindMaskFilter(this.#k) : null;
      return built;
    };
  }

  #wake(node: number): void {
    const k = this.#k;
    if (this.kswapdFailures[node]! >= MAX_RECLAIM_RETRIES) {
      k.buddy.kswapdAwake[node] = 0;
      return;
    }
    k.clock.after(0, this.#kind, node, 0);
  }

  #sleep(node: number): void {
    this.#k.buddy.kswapdAwake[node] = 0;
  }

  /** One kswapd event (§7 event 4): rounds until balanced, out of rounds, or hopeless. */
  #kswapd(e: QueuedEvent): void {
    const k = this.#k;
    const node = e.a;
    if (!k.buddy.kswapdAwake[node]) return;
    this.kswapdRuns[node]!++;
    const filter = this.#filterOnce();
    let scanned = 0;
    let demoted = 0;
    let asleep = false;
    for (let r = 0; r < KSWAPD_ROUNDS; r++) {
      if (k.buddy.free[node]! >= this.balanceMark(node)) {
        this.kswapdFailures[node] = 0;
        asleep = true;
        break;
      }
      const res = this.#round(node, SWAP_CLUSTER_MAX, false, filter);
      scanned += res.scanned;
      demoted += res.demoted;
      if (res.freed > 0) this.kswapdFailures[node] = 0;
      else if (res.empty || this.#sinceProgress[node]! >= k.frames.highWater) {
        this.#sinceProgress[node] = 0;
        if (++this.kswapdFailures[node]! >= MAX_RECLAIM_RETRIES) {
          asleep = true;
          break;
        }
      }
    }
    this.#chargeKswapd(node, scanned, demoted);
    if (asleep) {
      this.#sleep(node);
      return;
    }
    const c = k.costs.costs;
    k.clock.after(Math.max(KSWAPD_MIN_EVENT_NS, scanned * c.reclaimScanNs + demoted * c.migratePageNs), this.#kind, node, 0);
  }

  /**
   * Owner-driven reclaim of one node (§6.1, NP_OPS_RECLAIM; see the file comment): rounds of
   * SWAP_CLUSTER_MAX until `pages` are freed, the node has nothing left to scan, or
   * DIRECT_TRIES rounds in a row free nothing. Pages are demoted, dropped or swapped as kswapd
   * would (§5.3) and counted as kswapd's (pgscan/pgsteal/pgdemote_kswapd), synchronously.
   * Returns the pages freed. A private node without NP_OPS_RECLAIM is a UsageError.
   *
   * @example
   * k.reclaim.swapon("1GiB");
   * k.reclaim.reclaimNode(2, 64) // 64: the owner of private node 2 (RECLAIM) relieved its node
   */
  reclaimNode(node: number, pages: number): number {
    const k = this.#k;
    if (!hasBuddyMemory(k.topo, node)) {
      throw new UsageError({ what: "reclaimNode(node)", value: node, rule: "the node must have memory (N_MEMORY or N_MEMORY_PRIVATE)", fix: `use one of ${[...k.topo.memoryNodes, ...k.topo.privateNodes].join(", ")}` });
    }
    if (!this.#reclaimable(node)) {
      throw new UsageError({ what: "reclaimNode(node)", value: node, rule: `node ${node} is a private memory node without NP_OPS_RECLAIM: kernel reclaim never operates on it (RFC v4 patch 16, §6.1); its owner manages the memory itself`, fix: "add RECLAIM to the node's private ops" });
    }
    if (!(Number.isInteger(pages) && pages > 0)) {
      throw new UsageError({ what: "reclaimNode(node, pages)", value: pages, rule: "pages must be a positive whole number of 4 KiB pages", fix: "pass e.g. 32" });
    }
    const filter = this.#filterOnce();
    let freed = 0;
    let scanned = 0;
    let demoted = 0;
    for (let tries = 0; freed < pages && tries < DIRECT_TRIES; ) {
      const res = this.#round(node, Math.min(SWAP_CLUSTER_MAX, pages - freed), false, filter);
      if (res.empty) break;
      freed += res.freed;
      scanned += res.scanned;
      demoted += res.demoted;
      tries = res.freed === 0 ? tries + 1 : 0;
    }
    this.#chargeKswapd(node, scanned, demoted);
    if (freed > 0) this.kswapdFailures[node] = 0;
    return freed;
  }

  /**
   * Direct reclaim (§1.8 step 3): nr_to_reclaim = SWAP_CLUSTER_MAX pages over the zonelist
   * nodes in order, demotion counted as pgdemote_direct; private nodes without NP_OPS_RECLAIM
   * are skipped (#round, §6.1). Returns the pages freed.
   */
  #direct(nodes: readonly number[]): number {
    const filter = this.#filterOnce();
    let freed = 0;
    for (const n of nodes) {
      let onNode = 0;
      for (let tries = 0; freed < SWAP_CLUSTER_MAX && tries < DIRECT_TRIES; ) {
        const res = this.#round(n, SWAP_CLUSTER_MAX - freed, true, filter);
        if (res.empty) break;
        freed += res.freed;
        onNode += res.freed;
        if (res.freed === 0) tries++;
      }
      if (onNode > 0) this.kswapdFailures[n] = 0;
      if (freed >= SWAP_CLUSTER_MAX) break;
    }
    return freed;
  }
}
