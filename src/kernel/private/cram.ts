/**
 * Compressed RAM (CRAM, RFC v4 patch 23/27, seed 002, kernel-model.md §6.1): the service that
 * owns the private nodes whose spec has `compression`. What it implements:
 *
 * - Folios arrive only via demotion: reclaim hands the owner its demotion batch through
 *   `migrateTo` (node_private_ops.migrate_to, called from demote_folio_list); user migration
 *   onto the node is refused (migrate.ts).
 * - Capacity depends on the data: each stored folio takes 1/ratio of a page of device media,
 *   the ratio being the frame's data ratio (setRatio, a per-frame column; the device's default
 *   ratio when unset). The nominal node size (struct pages the buddy manages) is a second limit.
 * - Backpressure: the RFC raises watermark_boost on the node from real device utilisation so
 *   demotion slows. tiersim models the limiting case, a gate: a folio is accepted only if the
 *   media in use after storing it stays at or below boostAt x device (plus 1e-6 page of float
 *   slack); a refused folio goes back to the caller, and reclaim then tries the other allowed
 *   lower-tier nodes, then normal reclaim (evict.ts). No kswapd runs on the node (allocator).
 * - Folios are mapped read-only (PROTECT_WRITE). A stored folio's next write is drawn at
 *   now + Exp(mean 1 / (rate x writeShare)) from k.access; on that event the write fault
 *   (handle_fault) promotes the folio to DRAM, starting at the accessor's CPU node (normal
 *   zonelist, kswapd may be woken, no direct reclaim). If no DRAM page is free the promotion
 *   fails (cram_promote_fail) and the folio waits for its next write: the stall of the writing
 *   task is not modelled. A rate that fell since the draw is honoured by thinning (the event
 *   faults with probability r_now / r_drawn, else it is re-drawn); a rate that rose takes
 *   effect at the next draw. A changed frame access (k.access.set) re-draws at once; frames
 *   whose task had no rate yet wait until the task's rate is set.
 * - free_folio: a frame freed on the node releases its media (and is counted cram_freed: the
 *   RFC scrubs the data); a frame moved away (promotion, or NUMA balancing if the node opted
 *   in) releases it too.
 *
 * Cost: O(1) per folio stored, write fault, move or free; nothing per access or per time step.
 * CRAM nodes are fixed at boot (hotplugging a CRAM node is not modelled).
 */
import type { Random } from "../../core/random.js";
import type { QueuedEvent } from "../../engine/queue.js";
import { deviceBytes } from "../../topology/compression.js";
import { PG_DIRTY } from "../frames.js";
import type { Kernel } from "../kernel.js";
import { accountMigrated } from "../migrate.js";

const PAGE = 4096;
/** Float slack when comparing media use with the boost point, pages. */
const SLACK = 1e-6;

/** What a CRAM node holds now. */
export interface CramNodeState {
  readonly node: number;
  /** Device media, in 4 KiB pages. */
  readonly devicePages: number;
  /** Media in use, pages (sum over stored folios of 1/ratio). */
  readonly usedPages: number;
  /** Folios (logical 4 KiB pages) stored. */
  readonly storedPages: number;
  /** Media use at which demotion is refused: boostAt x devicePages. */
  readonly boostPages: number;
  /** The device's default data ratio. */
  readonly ratio: number;
  /** Whether a folio of the default ratio would be refused now (backpressure in force). */
  readonly backpressure: boolean;
}

/**
 * The CRAM service of one kernel (`k.cram`); `nodes` is empty on machines without one.
 *
 * @example
 * const k = boot(cramMachine());
 * k.cram.nodes                // [1]
 * k.cram.capacityPages(1, 3)  // folios of 3:1 data an empty device takes below its boost point
 */
export class Cram {
  /** The compressed private nodes, ascending. */
  readonly nodes: readonly number[];
  readonly #k: Kernel;
  readonly #rng: Random;
  readonly #kind: number;
  readonly #is: Uint8Array;
  readonly #device: Float64Array;
  readonly #used: Float64Array;
  readonly #stored: Float64Array;
  readonly #boostAt: Float64Array;
  readonly #ratio: Float64Array;
  /** Frames whose write rate was unknown (task rate 0) when drawn, by accessor pid: [frame, token]. */
  readonly #waiting: Map<number, number[]> = new Map();
  #nextToken = 1;
  // The per-frame columns, refetched only when the frame table grew (growth replaces every
  // array, `node` first), as AccessModel does; null until fetched (ratio: until it exists).
  #colsFor: Int16Array | null = null;
  #ratioCol: Float32Array | null = null;
  #chargedCol: Float64Array | null = null;
  #tokenCol: Int32Array | null = null;
  #rateCol: Float64Array | null = null;

  constructor(k: Kernel) {
    this.#k = k;
    const w = k.buddy.free.length;
    this.#is = new Uint8Array(w);
    this.#device = new Float64Array(w);
    this.#used = new Float64Array(w);
    this.#stored = new Float64Array(w);
    this.#boostAt = new Float64Array(w);
    this.#ratio = new Float64Array(w);
    const nodes: number[] = [];
    for (const n of k.topo.privateNodes) {
      const mem = k.topo.spec.nodes.find((x) => x.id === n)?.memory;
      const c = mem?.private?.compression;
      if (!mem || !c) continue;
      nodes.push(n);
      this.#is[n] = 1;
      this.#device[n] = deviceBytes(c, mem.capacityBytes) / PAGE;
      this.#boostAt[n] = c.boostAt;
      this.#ratio[n] = c.ratio;
      k.frames.watched[n] = 1;
    }
    this.nodes = nodes;
    this.#rng = k.random.fork("cram");
    this.#kind = k.clock.register("cram-write", (e) => this.#fire(e));
    if (nodes.length > 0) {
      k.frames.onLeave = (f, node, freed) => this.#leave(f, node, freed);
      k.access.onChange = (f, pid) => (f > 0 ? this.#arm(f) : this.#taskRate(pid));
    }
  }

  /**
   * Whether a node is a CRAM node.
   * @example k.cram.isCram(1) // true on cramMachine()
   */
  isCram(node: number): boolean {
    return this.#is[node] === 1;
  }

  #sync(): void {
    const fr = this.#k.frames;
    if (fr.node === this.#colsFor) return;
    this.#ratioCol = this.#chargedCol = this.#tokenCol = this.#rateCol = null;
    this.#colsFor = fr.node;
  }

  /** cram.ratio, created on first use. */
  #ratios(): Float32Array {
    this.#sync();
    return (this.#ratioCol ??= this.#k.frames.column("cram.ratio", Float32Array, { clearOnFree: true }));
  }

  /** cram.charged, created on first use. */
  #charged(): Float64Array {
    this.#sync();
    return (this.#chargedCol ??= this.#k.frames.column("cram.charged", Float64Array));
  }

  #tokens(): Int32Array {
    this.#sync();
    return (this.#tokenCol ??= this.#k.frames.column("cram.token", Int32Array, { clearOnFree: true }));
  }

  #rates(): Float64Array {
    this.#sync();
    return (this.#rateCol ??= this.#k.frames.column("cram.rate", Float64Array));
  }

  /**
   * Sets the compression ratio of the data in frames (>= 1; 0 = the device's default). The
   * ratio belongs to the data: it follows the frame when it moves and is cleared when freed.
   * A folio already stored keeps the media it was charged.
   *
   * @example
   * k.cram.setRatio(frames, 3);
   */
  setRatio(frames: ArrayLike<number>, ratio: number): void {
    if (!(ratio === 0 || (Number.isFinite(ratio) && ratio >= 1))) throw new RangeError(`setRatio: ratio ${ratio} is not >= 1 (or 0 for the device default)`);
    const col = this.#ratios();
    for (let i = 0; i < frames.length; i++) if (frames[i]! > 0) col[frames[i]!] = ratio;
  }

  /**
   * The ratio a frame would be stored with on `node` (its data ratio, else the device's).
   * @example k.cram.ratioOf(f, 1) // 2
   */
  ratioOf(f: number, node: number): number {
    this.#sync();
    const r = this.#ratioCol || this.#k.frames.hasColumn("cram.ratio") ? this.#ratios()[f]! : 0;
    return r > 0 ? r : this.#ratio[node]!;
  }

  /**
   * Media pages a stored frame was charged (0 when not stored on a CRAM node).
   * @example k.cram.chargedPages(f) // 0.5 for 2:1 data
   */
  chargedPages(f: number): number {
    this.#sync();
    return this.#chargedCol || this.#k.frames.hasColumn("cram.charged") ? this.#charged()[f]! : 0;
  }

  /**
   * Folios of one ratio an empty device takes before backpressure refuses demotion:
   * floor(boostAt x devicePages x ratio), capped by the node's nominal pages above min.
   *
   * @example
   * k.cram.capacityPages(1, 2)
   */
  capacityPages(node: number, ratio: number = this.#ratio[node]!): number {
    const media = Math.floor(this.#boostAt[node]! * this.#device[node]! * ratio + SLACK * ratio);
    const nominal = this.#k.topo.managedPages(node) - this.#k.buddy.watermarks(node).min;
    return Math.max(0, Math.min(media, nominal));
  }

  /**
   * The state of a CRAM node.
   * @example k.cram.state(1).storedPages
   */
  state(node: number): CramNodeState {
    const boostPages = this.#boostAt[node]! * this.#device[node]!;
    const used = this.#used[node]!;
    return {
      node,
      devicePages: this.#device[node]!,
      usedPages: used,
      storedPages: this.#stored[node]!,
      boostPages,
      ratio: this.#ratio[node]!,
      backpressure: used + 1 / this.#ratio[node]! > boostPages + SLACK,
    };
  }

  /**
   * node_private_ops.migrate_to for demotion into a CRAM node: stores each frame that fits
   * below the boost point and above the node's min watermark (moving it, taking its buddy
   * page, charging its media, drawing its next write) and returns the refused frames in order.
   * The caller frees the source pages and counts pgmigrate / pgdemote for the accepted ones.
   *
   * @example
   * const refused = k.cram.migrateTo(1, [f1, f2]);
   */
  migrateTo(node: number, frames: readonly number[]): number[] {
    const k = this.#k;
    const refused: number[] = [];
    if (!this.isCram(node)) return [...frames];
    const limit = this.#boostAt[node]! * this.#device[node]! + SLACK;
    const charged = this.#charged();
    let stored = 0;
    for (const f of frames) {
      const c = 1 / this.ratioOf(f, node);
      if (this.#used[node]! + c > limit || k.buddy.takeForMigration(node, 1) !== 1) {
        refused.push(f);
        continue;
      }
      k.frames.setNode(f, node);
      charged[f] = c;
      this.#used[node]! += c;
      this.#stored[node]!++;
      stored++;
      this.#arm(f);
    }
    if (stored) k.stats.add("cram_stored", node, stored);
    if (refused.length) k.stats.add("cram_refused", node, refused.length);
    return refused;
  }

  /**
   * handle_fault for a write to a stored folio: promotes it to DRAM starting at the writer's
   * CPU node (normal zonelist, kswapd may be woken, no direct reclaim), marks it dirty and
   * counts cram_write_faults / cram_promotions (on the CRAM node), pgmigrate_success (on the
   * destination), the migration and the fault's CPU time to the writer. Returns false when the
   * frame is not on a CRAM node or no DRAM page was free (cram_promote_fail).
   *
   * @example
   * k.cram.writeFault(f, p.pid) // true: the folio is now on DRAM, writable
   */
  writeFault(f: number, pid: number): boolean {
    const k = this.#k;
    const node = k.frames.node[f]!;
    if (!this.isCram(node) || k.frames.flags[f] === 0) return false;
    k.stats.add("cram_write_faults", node, 1);
    const start = k.process(pid)?.cpuNode ?? k.topo.memoryNodes[0]!;
    if (pid) k.costs.chargeTask(pid, "hint_fault", 1);
    const res = k.buddy.allocate({ start, mask: null, mems: null, order: 0, cpuNode: start, kswapd: true, directReclaim: false }, 1);
    const run = res.runs[0];
    if (!run) {
      k.stats.add("cram_promote_fail", node, 1);
      return false;
    }
    const dest = run[0];
    k.frames.setNode(f, dest); // #leave releases the media
    k.frames.flags[f]! |= PG_DIRTY;
    accountMigrated(k, node, dest, 1);
    k.stats.add("cram_promotions", node, 1);
    if (pid) k.costs.chargeTask(pid, "migrate", 1);
    return true;
  }

  #writeRate(f: number): number {
    return this.#k.access.rate(f) * this.#k.access.writeShare(f);
  }

  /** Draws the next write of a stored frame (a new token makes any pending event stale). */
  #arm(f: number): void {
    const k = this.#k;
    if (!this.isCram(k.frames.node[f]!) || k.frames.flags[f] === 0) return;
    const token = this.#tokens();
    const t = this.#nextToken++;
    if (this.#nextToken > 0x7fffffff) this.#nextToken = 1;
    token[f] = t;
    const r = this.#writeRate(f);
    this.#rates()[f] = r;
    if (r > 0) {
      k.clock.after(this.#rng.exponential(1e9 / r), this.#kind, f, t);
      return;
    }
    const pid = k.access.accessor(f);
    if (pid !== 0 && k.access.writeShare(f) > 0 && k.access.taskRate(pid) === 0) {
      let list = this.#waiting.get(pid);
      if (!list) this.#waiting.set(pid, (list = []));
      list.push(f, t);
    }
  }

  #taskRate(pid: number): void {
    const list = this.#waiting.get(pid);
    if (!list || !(this.#k.access.taskRate(pid) > 0)) return;
    this.#waiting.delete(pid);
    const token = this.#tokens();
    for (let i = 0; i < list.length; i += 2) if (token[list[i]!] === list[i + 1]) this.#arm(list[i]!);
  }

  #fire(e: QueuedEvent): void {
    const k = this.#k;
    const f = e.a;
    if (this.#tokens()[f] !== e.b) return;
    const r0 = this.#rates()[f]!;
    const r1 = this.#writeRate(f);
    // Thinning: the draw used r0; a write at the lower current rate happens with r1 / r0.
    if (!(r1 > 0) || (r1 < r0 && this.#rng.float() * r0 >= r1)) {
      this.#arm(f);
      return;
    }
    if (!this.writeFault(f, k.access.accessor(f))) this.#arm(f);
  }

  /** free_folio and moves away: release the media, drop pending writes. */
  #leave(f: number, node: number, freed: boolean): void {
    const k = this.#k;
    const charged = this.#charged();
    const c = charged[f]!;
    if (!(c > 0)) return;
    charged[f] = 0;
    this.#tokens()[f] = 0;
    this.#used[node]! -= c;
    this.#stored[node]!--;
    if (this.#stored[node] === 0) this.#used[node] = 0; // no float residue on an empty device
    if (freed) k.stats.add("cram_freed", node, 1);
  }
}
