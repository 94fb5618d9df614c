/**
 * Scan period bounds and adaptation (kernel-model.md §4.2 "Scan period bounds", §4.11), as
 * pure integer arithmetic on ms values. The NUMA-group scaling is groupScaledPeriod; the
 * task-level task_scan_start/task_scan_max that apply it are in placement.ts.
 */
import { scanPagesOf } from "./knobs.js";
import type { NumabKnobValues } from "./knobs.js";

/** MAX_SCAN_WINDOW: MB/s of PTE scanning never exceeded (§4.1). */
export const MAX_SCAN_WINDOW = 2560;
/** NUMA_PERIOD_SLOTS (§4.1). */
export const NUMA_PERIOD_SLOTS = 10;
/** NUMA_PERIOD_THRESHOLD (§4.1). */
export const NUMA_PERIOD_THRESHOLD = 7;

/**
 * task_nr_scan_windows: RSS rounded up to whole scan windows (RSS 0 counts as one window).
 *
 * @example
 * nrScanWindows(262144, NUMAB_DEFAULTS) // 4 (1 GiB at 256 MB per window)
 */
export function nrScanWindows(rssPages: number, knobs: NumabKnobValues): number {
  const scanPages = scanPagesOf(knobs);
  const rss = rssPages > 0 ? rssPages : scanPages;
  return Math.ceil(rss / scanPages);
}

/**
 * task_scan_min in ms: max(1000 / (2560 / scan_size_mb), scan_period_min / nrWindows).
 *
 * @example
 * taskScanMin(262144, NUMAB_DEFAULTS) // 250
 */
export function taskScanMin(rssPages: number, knobs: NumabKnobValues): number {
  const windows = knobs.scan_size_mb < MAX_SCAN_WINDOW ? Math.floor(MAX_SCAN_WINDOW / knobs.scan_size_mb) : 1;
  const floor = Math.floor(1000 / windows);
  return Math.max(floor, Math.floor(knobs.scan_period_min_ms / nrScanWindows(rssPages, knobs)));
}

/**
 * task_scan_max in ms: max(task_scan_min, scan_period_max / nrWindows).
 *
 * @example
 * taskScanMax(262144, NUMAB_DEFAULTS) // 15000
 */
export function taskScanMax(rssPages: number, knobs: NumabKnobValues): number {
  return Math.max(taskScanMin(rssPages, knobs), Math.floor(knobs.scan_period_max_ms / nrScanWindows(rssPages, knobs)));
}

/** What update_task_scan_period reads (§4.11). */
export interface ScanPeriodInput {
  /** Current scan period, ms. */
  readonly periodMs: number;
  /** numa_faults_locality: remote, local, migrate-failed pages since the last update. */
  readonly remote: number;
  readonly local: number;
  readonly failed: number;
  /** Shared and private fault pages of this placement round. */
  readonly shared: number;
  readonly private: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * update_task_scan_period (§4.11): the next scan period, and whether mm.nextScan must be
 * pushed out (the idle / migration-failure branch doubles the period and delays the mm).
 *
 * @example
 * updateTaskScanPeriod({ periodMs: 1000, remote: 0, local: 100, failed: 0, shared: 0, private: 100, minMs: 100, maxMs: 60000 })
 * // { periodMs: 1300, delayMm: false }: ps = 10 -> (10 - 7) * 100 ms slower
 */
export function updateTaskScanPeriod(s: ScanPeriodInput): { periodMs: number; delayMm: boolean } {
  if (s.local + s.shared === 0 || s.failed > 0) {
    return { periodMs: Math.min(s.maxMs, 2 * s.periodMs), delayMm: true };
  }
  const slot = Math.ceil(s.periodMs / NUMA_PERIOD_SLOTS);
  const lr = s.local + s.remote > 0 ? Math.floor((s.local * NUMA_PERIOD_SLOTS) / (s.local + s.remote)) : 0;
  const ps = s.private + s.shared > 0 ? Math.floor((s.private * NUMA_PERIOD_SLOTS) / (s.private + s.shared)) : 0;
  let diff: number;
  // Code order (§4.11): the private ratio first, then locality, else speed up.
  if (ps >= NUMA_PERIOD_THRESHOLD) diff = Math.max(1, ps - NUMA_PERIOD_THRESHOLD) * slot;
  else if (lr >= NUMA_PERIOD_THRESHOLD) diff = Math.max(1, lr - NUMA_PERIOD_THRESHOLD) * slot;
  else diff = -(NUMA_PERIOD_THRESHOLD - Math.max(lr, ps)) * slot;
  return { periodMs: Math.min(s.maxMs, Math.max(s.minMs, s.periodMs + diff)), delayMm: false };
}

/**
 * The NUMA-group scaling of task_scan_start / task_scan_max (§4.2): period x refcount x
 * (shared + 1) / (private + shared + 1), in integers as the kernel computes it.
 *
 * @example
 * groupScaledPeriod(60000, 2, 6, 10) // 49411: 60000 * 2 * 7 / 17
 */
export function groupScaledPeriod(periodMs: number, refs: number, shared: number, priv: number): number {
  return Math.floor((periodMs * refs * (shared + 1)) / (priv + shared + 1));
}
