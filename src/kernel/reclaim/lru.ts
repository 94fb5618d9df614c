/**
 * LRU aging from access rates (DESIGN.md decision 2; kernel-model.md §5.3 "selected for
 * eviction (inactive, not recently referenced)").
 *
 * Design choice: a CLOCK-style hand per node over frame ids 1..frames.highWater instead of real
 * per-node LRU lists. The lists would need hooks in every allocation, free and migration path;
 * the hand needs none: it skips free frames (flags 0), frames of other nodes, kernel frames
 * (PG_KERNEL, never on an LRU), pinned frames (the pin count NUMA balancing keeps, PIN_COLUMN, once
 * one) and frames whose LRU the pass may not reclaim (anon without swap or demotion). Each frame
 * carries an active bit and the time reclaim last looked at it; whether its referenced bit was
 * set since then is a draw with k.access.referencedProbability(f, now - lastLook) from the
 * reclaim seed keyed by frame and time (hashUniform), so one page's draw never depends on how
 * many other pages were looked at first (a frame never looked at counts from boot, time 0).
 *
 * What one look does (shrink_active_list / folio_check_references, condensed):
 * - active, referenced: stays active (the bit is cleared by the look);
 * - active, not referenced: deactivated (pgdeactivate);
 * - inactive (counted as scanned, pgscan_*), referenced: second chance, activated (pgactivate);
 * - inactive, not referenced: an eviction candidate.
 * Approximation: the kernel shrinks the active list only when the inactive list is too small
 * (inactive_is_low) and then deactivates referenced anon pages too; tiersim deactivates only
 * the pages not referenced since the last look, which keeps a page of steady rate on the list
 * its rate says. The cost is proportional to the frames the hand visits: a node's own pages
 * plus the other nodes' ids interleaved with them, never all pages per event.
 */
import { hashUniform, type Random } from "../../core/random.js";
import type { AccessModel } from "../access.js";
import { PG_ANON, PG_FILE, PG_KERNEL, PG_SHMEM } from "../frames.js";
import type { FrameTable } from "../frames.js";
import { PIN_COLUMN } from "../numab/columns.js";

/** The per-frame active bit (1 = on the active list). */
const ACTIVE = "reclaim.active";
/** When reclaim last looked at the frame, ns. */
const LOOK = "reclaim.look";

/**
 * Which LRUs a pass may take pages from (get_scan_count: anon only with swap or demotion).
 *
 * @example
 * const scope: ScanScope = { anon: false, file: true }; // no swap, no demotion
 */
export interface ScanScope {
  /** Anon and shmem pages (swap-backed LRU). */
  readonly anon: boolean;
  /** Page-cache pages. */
  readonly file: boolean;
}

/**
 * What one call of {@link LruClock.scan} did.
 *
 * @example
 * lru.scan(0, now, scope, out, 32, 4096) // { candidates: 32, scanned: 32, visited: 40 }
 */
export interface ScanResult {
  /** Candidates written to the output array. */
  readonly candidates: number;
  /** Inactive pages looked at (pgscan). */
  readonly scanned: number;
  /** Frame ids the hand moved over, including skipped ones. */
  readonly visited: number;
}

/**
 * Per-node CLOCK hands over the frame table.
 *
 * @example
 * const lru = new LruClock(k.frames, k.access, k.random.fork("lru"));
 * const out = new Int32Array(32);
 * lru.scan(0, k.clock.nowNs, { anon: true, file: true }, out, 32, 4096).candidates
 */
export class LruClock {
  readonly #frames: FrameTable;
  readonly #access: AccessModel;
  /** Seed of the counter-based referenced draws (keyed by frame and time, not by call order). */
  readonly #seed: number;
  /** Hand position per node (a frame id). */
  readonly #hand: Map<number, number> = new Map();
  /** pgactivate / pgdeactivate per node since the last take (the caller adds them to stats). */
  activated = 0;
  deactivated = 0;

  constructor(frames: FrameTable, access: AccessModel, rng: Random) {
    this.#frames = frames;
    this.#access = access;
    this.#seed = rng.int(0, 2 ** 31 - 1);
  }

  /** The active-bit column (fetched again after allocations, which may grow it). */
  #active(): Uint8Array {
    return this.#frames.column(ACTIVE, Uint8Array, { clearOnFree: true });
  }

  /**
   * Moves node `node`'s hand until `want` candidates are found or `maxVisit` ids were visited,
   * writing candidates into `out[0..)`. Candidates stay inactive; the caller evicts them or
   * calls {@link activate} for those it could not.
   *
   * @example
   * lru.scan(0, now, { anon: true, file: true }, out, 32, 4096)
   */
  scan(node: number, nowNs: number, scope: ScanScope, out: Int32Array, want: number, maxVisit: number): ScanResult {
    const fr = this.#frames;
    const active = this.#active();
    const look = fr.column(LOOK, Float64Array, { clearOnFree: true });
    const pin = fr.hasColumn(PIN_COLUMN) ? fr.column(PIN_COLUMN, Uint16Array, { clearOnFree: true }) : null;
    const flags = fr.flags;
    const nodes = fr.node;
    const top = fr.highWater;
    const lruMask = (scope.anon ? PG_ANON | PG_SHMEM : 0) | (scope.file ? PG_FILE : 0);
    let f = this.#hand.get(node) ?? 1;
    let visited = 0;
    let scanned = 0;
    let k = 0;
    // At most one lap per call: a frame visited twice would be a candidate twice (its look is
    // "now", so never referenced) and be demoted twice.
    const limit = Math.min(maxVisit, top - 1);
    while (k < want && visited < limit) {
      if (f >= top) f = 1;
      const fl = flags[f]!;
      const cur = f++;
      visited++;
      if (fl === 0 || nodes[cur] !== node || fl & PG_KERNEL || !(fl & lruMask) || (pin && pin[cur])) continue;
      const p = this.#access.referencedProbability(cur, nowNs - look[cur]!);
      const referenced = p >= 1 || (p > 0 && hashUniform(this.#seed, cur, nowNs) < p);
      look[cur] = nowNs;
      if (active[cur]) {
        if (!referenced) {
          active[cur] = 0;
          this.deactivated++;
        }
        continue;
      }
      scanned++;
      if (referenced) {
        active[cur] = 1;
        this.activated++;
        continue;
      }
      out[k++] = cur;
    }
    this.#hand.set(node, f);
    return { candidates: k, scanned, visited };
  }

  /**
   * Puts a candidate that could not be evicted on the active list (activate_locked).
   *
   * @example
   * lru.activate(f);
   */
  activate(f: number): void {
    this.#active()[f] = 1;
    this.activated++;
  }

  /**
   * Active and inactive LRU pages of a node as reclaim sees them. O(frames): a query for the
   * results layer, never called from an event.
   *
   * @example
   * lru.sizes(0) // { active: 120, inactive: 16264 }
   */
  sizes(node: number): { active: number; inactive: number } {
    const fr = this.#frames;
    const active = this.#active();
    let a = 0;
    let i = 0;
    for (let f = 1; f < fr.highWater; f++) {
      const fl = fr.flags[f]!;
      if (fl === 0 || fl & PG_KERNEL || fr.node[f] !== node) continue;
      if (active[f]) a++;
      else i++;
    }
    return { active: a, inactive: i };
  }
}
