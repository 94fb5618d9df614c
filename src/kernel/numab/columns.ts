/**
 * The per-frame columns NUMA balancing owns (DESIGN.md decision 1), all cleared when a frame is
 * freed so a reused frame starts with no PROT_NONE mark, no cpupid, no scan time and no pin.
 */
import type { FrameTable } from "../frames.js";

/** The columns, fetched together (fetch again after allocations: growth replaces arrays). */
export interface NumabColumns {
  /** Generation token of the pending hinting fault; non-zero = the PTE is PROT_NONE. */
  readonly token: Int32Array;
  /** The vpn the frame was marked at (to find its VMA when the fault comes). */
  readonly markVpn: Float64Array;
  /** A task of the mm that marked it. */
  readonly markPid: Int32Array;
  /** last_cpupid: cpu + 1 (0 = unset, -1 = the field holds a scan time, §4.1 tiering). */
  readonly lastCpu: Int16Array;
  /** last_cpupid: pid (full pid, [SIM] per §4.7 note). */
  readonly lastPid: Int32Array;
  /** Tiering-mode scan time, ms (full precision, [SIM] per §5.4 step 3). */
  readonly scanTimeMs: Float64Array;
  /** FOLL_LONGTERM pin count (folio_maybe_dma_pinned when > 0). */
  readonly pins: Uint16Array;
}

/**
 * The per-frame FOLL_LONGTERM pin count (Uint16Array), read by reclaim to leave pinned frames on
 * their LRU (a pinned page cannot be migrated, swapped or dropped).
 *
 * @example
 * k.frames.column(PIN_COLUMN, Uint16Array, { clearOnFree: true })[f] // pins on frame f
 */
export const PIN_COLUMN = "numab.pins";

/**
 * The NUMA-balancing columns of a frame table.
 *
 * @example
 * numabColumns(k.frames).token[f] // 0 when the frame is not PROT_NONE
 */
export function numabColumns(fr: FrameTable): NumabColumns {
  const o = { clearOnFree: true };
  return {
    token: fr.column("numab.token", Int32Array, o),
    markVpn: fr.column("numab.markVpn", Float64Array, o),
    markPid: fr.column("numab.markPid", Int32Array, o),
    lastCpu: fr.column("numab.lastCpu", Int16Array, o),
    lastPid: fr.column("numab.lastPid", Int32Array, o),
    scanTimeMs: fr.column("numab.scanTimeMs", Float64Array, o),
    pins: fr.column(PIN_COLUMN, Uint16Array, o),
  };
}
