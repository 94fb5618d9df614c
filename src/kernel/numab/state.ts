/**
 * NUMA-balancing state per task, per mm and per VMA (kernel-model.md §7 "State per task / per
 * mm", §4.3 vma->numab_state). Kept in maps beside the kernel objects, never per page.
 */
import type { NumaGroup } from "./group.js";

/** task_struct NUMA fields (§4.2, §4.9). */
export interface TaskNuma {
  /** numa_scan_period, ms (starts at scan_delay, §4.2 "On fork"). */
  scanPeriodMs: number;
  /** True once task_scan_start() replaced the initial period (node_stamp no longer 0). */
  started: boolean;
  /** numa_preferred_nid, -1 = NUMA_NO_NODE. */
  preferredNid: number;
  /** p->numa_scan_seq: the mm scan sequence at the last placement. */
  scanSeq: number;
  /** numa_migrate_retry, ns. */
  migrateRetryNs: number;
  /** MEM faults [node * 2 + priv] (decayed) and their buffer for the current round. */
  mem: Float64Array;
  memBuf: Float64Array;
  /** CPU faults [node * 2 + priv] and buffer. */
  cpu: Float64Array;
  cpuBuf: Float64Array;
  /** numa_faults_locality: remote, local, migrate-failed pages. */
  readonly locality: Float64Array;
  /** Pages migrated by this task's hinting faults. */
  pagesMigrated: number;
  /** Hinting faults handled for this task. */
  faults: number;
  /** p->numa_faults allocated: a fault was counted in the statistics (§4.9). */
  hasStats: boolean;
  /** p->numa_group (§4.10), null until a shared fault. */
  group: NumaGroup | null;
}

/**
 * A fresh task state with the §4.2 fork values.
 *
 * @example
 * newTaskNuma(4, 1000).scanPeriodMs // 1000
 */
export function newTaskNuma(width: number, scanDelayMs: number): TaskNuma {
  const a = (): Float64Array => new Float64Array(width * 2);
  return { scanPeriodMs: scanDelayMs, started: false, preferredNid: -1, scanSeq: 0, migrateRetryNs: 0, mem: a(), memBuf: a(), cpu: a(), cpuBuf: a(), locality: new Float64Array(3), pagesMigrated: 0, faults: 0, hasStats: false, group: null };
}

/** PR_NUMA_BALANCING state of an mm (§6.4, unmerged). */
export type NumabOverride = "default" | "enabled" | "disabled";

/** mm_struct NUMA fields (§4.2). */
export interface MmNuma {
  /** numa_next_scan, ns. */
  nextScanNs: number;
  /** numa_scan_offset, a vpn. */
  scanOffset: number;
  /** numa_scan_seq. */
  scanSeq: number;
  /** RSS used for the scan windows, recomputed once per scan sequence (get_mm_rss). */
  rss: number;
  /** The sequence `rss` was computed in (-1: never). */
  rssSeq: number;
  /** PR_SET_NUMA_BALANCING value. */
  override: NumabOverride;
}

/**
 * A fresh mm state: first scan after scan_delay (§4.2 "On fork").
 *
 * @example
 * newMmNuma(0, 1000).nextScanNs // 1e9
 */
export function newMmNuma(nowNs: number, scanDelayMs: number): MmNuma {
  return { nextScanNs: nowNs + scanDelayMs * 1e6, scanOffset: 0, scanSeq: 0, rss: 0, rssSeq: -1, override: "default" };
}

/** vma->numab_state (§4.3). */
export interface VmaNuma {
  startScanSeq: number;
  nextScanNs: number;
  pidsResetAtNs: number;
  prevScanSeq: number;
  /** pidsActive[0] and [1], 64-bit bitmaps as two 32-bit halves each: [lo0, hi0, lo1, hi1]. */
  readonly pids: Uint32Array;
}

/**
 * hash_32(pid, 6): the bit a task sets in a VMA's PID bitmaps (§4.3).
 *
 * @example
 * pidBit(100) // 0..63
 */
export function pidBit(pid: number): number {
  return Math.imul(pid, 0x61c88647) >>> 26;
}

/**
 * Sets a task's PID-hash bit in pidsActive[1] (every hinting fault, §4.3 last line).
 *
 * @example
 * markPid(state, p.pid);
 */
export function markPid(s: VmaNuma, pid: number): void {
  const b = pidBit(pid);
  s.pids[b < 32 ? 2 : 3]! |= 1 << (b & 31);
}

/**
 * Whether a task's bit is set in pidsActive[0] | pidsActive[1].
 *
 * @example
 * pidActive(state, p.pid) // false on a fresh VMA
 */
export function pidActive(s: VmaNuma, pid: number): boolean {
  const b = pidBit(pid);
  const word = b < 32 ? s.pids[0]! | s.pids[2]! : s.pids[1]! | s.pids[3]!;
  return ((word >>> (b & 31)) & 1) === 1;
}
