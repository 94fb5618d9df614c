/**
 * What kernel work costs (DESIGN.md decision 5 "Costs are charged"): CPU time per PTE update,
 * hinting fault, migrated page and reclaimed page, charged to the task (or to kswapd) that does
 * the work, and the bytes each migration reads on one node and writes on another. The
 * simulation turns the charged CPU time into lost throughput and the bytes into memory traffic.
 *
 * The defaults are order-of-magnitude figures, not calibrated to a published measurement
 * (calibration.md has none for these): a PTE update is a few cache-hot stores plus a share of
 * the TLB flush of its 2 MiB chunk; a hinting fault is a trap, a page-table walk and the
 * statistics update (~1-2 us on current x86); migrating a 4 KiB page copies it and remaps it
 * (~4 us, i.e. ~1 GB/s per CPU, the usual migrate_pages throughput); reclaiming a page is the
 * LRU isolation and rmap walk before any demotion copy.
 */

/** CPU nanoseconds per unit of kernel work. */
export interface KernelCosts {
  /** change_prot_numa, per PTE made PROT_NONE (default 30 ns). */
  readonly pteUpdateNs: number;
  /** do_numa_page, per hinting fault (default 1500 ns). */
  readonly hintFaultNs: number;
  /** Per 4 KiB page migrated, in the task or kswapd that migrates it (default 4000 ns). */
  readonly migratePageNs: number;
  /** Per page scanned by reclaim (default 150 ns). */
  readonly reclaimScanNs: number;
}

/**
 * The default costs.
 *
 * @example
 * DEFAULT_KERNEL_COSTS.hintFaultNs // 1500
 */
export const DEFAULT_KERNEL_COSTS: KernelCosts = Object.freeze({
  pteUpdateNs: 30,
  hintFaultNs: 1500,
  migratePageNs: 4000,
  reclaimScanNs: 150,
});

/** Node ids a migration key can hold (MAX_NUMNODES). */
const MAX_NUMNODES = 1024;

/** Kinds of charged work, as summaries name them. */
export type CostKind = "pte_update" | "hint_fault" | "migrate" | "reclaim_scan";

/**
 * Accumulated CPU time per task and per kswapd, and migration bytes per (source, destination).
 *
 * @example
 * k.costs.chargeTask(p.pid, "hint_fault", 1);
 * k.costs.systemNs(p.pid) // 1500
 */
export class CostLedger {
  /** The unit costs in force. */
  costs: KernelCosts;
  readonly #task: Map<number, Record<CostKind, number>> = new Map();
  readonly #kswapd: Map<number, number> = new Map();
  /** Bytes per (from, to), keyed from * MAX_NUMNODES + to (no string per migration). */
  readonly #bytes: Map<number, number> = new Map();

  constructor(costs: KernelCosts = DEFAULT_KERNEL_COSTS) {
    this.costs = costs;
  }

  #unit(kind: CostKind): number {
    const c = this.costs;
    return kind === "pte_update" ? c.pteUpdateNs : kind === "hint_fault" ? c.hintFaultNs : kind === "migrate" ? c.migratePageNs : c.reclaimScanNs;
  }

  /**
   * Charges `units` of work to a task (system time in its context).
   *
   * @example
   * k.costs.chargeTask(pid, "pte_update", 512);
   */
  chargeTask(pid: number, kind: CostKind, units: number): void {
    let r = this.#task.get(pid);
    if (!r) {
      r = { pte_update: 0, hint_fault: 0, migrate: 0, reclaim_scan: 0 };
      this.#task.set(pid, r);
    }
    r[kind] += units * this.#unit(kind);
  }

  /**
   * Charges work to a node's kswapd thread.
   *
   * @example
   * k.costs.chargeKswapd(0, "migrate", 32);
   */
  chargeKswapd(node: number, kind: CostKind, units: number): void {
    this.#kswapd.set(node, (this.#kswapd.get(node) ?? 0) + units * this.#unit(kind));
  }

  /**
   * Records `pages` 4 KiB pages copied from one node to another.
   *
   * @example
   * k.costs.migrated(2, 0, 512);
   */
  migrated(from: number, to: number, pages: number): void {
    const key = from * MAX_NUMNODES + to;
    this.#bytes.set(key, (this.#bytes.get(key) ?? 0) + pages * 4096);
  }

  /** System time charged to a task so far, ns. */
  systemNs(pid: number): number {
    const r = this.#task.get(pid);
    return r ? r.pte_update + r.hint_fault + r.migrate + r.reclaim_scan : 0;
  }

  /** System time of a task split by kind, ns. */
  taskBreakdown(pid: number): Readonly<Record<CostKind, number>> {
    return this.#task.get(pid) ?? { pte_update: 0, hint_fault: 0, migrate: 0, reclaim_scan: 0 };
  }

  /** CPU time of a node's kswapd so far, ns. */
  kswapdNs(node: number): number {
    return this.#kswapd.get(node) ?? 0;
  }

  /** Bytes migrated so far, as [from, to, bytes] in first-seen order. */
  migrations(): [from: number, to: number, bytes: number][] {
    return [...this.#bytes].map(([k, b]) => [Math.floor(k / MAX_NUMNODES), k % MAX_NUMNODES, b]);
  }
}
