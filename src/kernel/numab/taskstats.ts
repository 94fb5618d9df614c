/**
 * task_numa_fault and task_numa_placement (kernel-model.md §4.9) with update_task_scan_period
 * (§4.11). NUMA groups (§4.10) are not modelled: every task is its own group of one, so the
 * group branches never apply. Task migration toward the preferred node (numa_migrate_preferred
 * -> task_numa_migrate) is omitted: tasks stay on the CPU they were given, only the retry
 * interval is kept because it paces task_numa_placement.
 */
import type { Process } from "../process.js";
import type { NumaBalancing } from "./numab.js";
import { taskScanMax, taskScanMin, updateTaskScanPeriod } from "./scanperiod.js";
import type { TaskNuma } from "./state.js";

/** TNF_* flags of a hinting fault (§4.5). */
export interface FaultFlags {
  readonly local: boolean;
  readonly migrated: boolean;
  readonly migrateFailed: boolean;
}

/**
 * task_numa_fault: accounts `pages` faulted on `memNode` (after any migration) for task `p`.
 * `lastPid` is the pid of the folio's previous cpupid (0 = unset); `cpupidValid` is false when
 * the field held a tiering scan time.
 *
 * @example
 * taskNumaFault(k.numab, p, t, 0, true, 0, 1, { local: true, migrated: false, migrateFailed: false });
 */
export function taskNumaFault(nb: NumaBalancing, p: Process, t: TaskNuma, lastPid: number, cpupidValid: boolean, memNode: number, pages: number, fl: FaultFlags): void {
  const k = nb.kernel;
  // Statistics are unnecessary for slow memory in tiering mode, or with an invalid cpupid (§4.9).
  if (!k.topo.isToptier(memNode) && (nb.mode(p) & 2 || !cpupidValid)) return;
  const priv = lastPid === 0 || lastPid === p.pid ? 1 : 0;
  if (k.clock.nowNs > t.migrateRetryNs) {
    taskNumaPlacement(nb, p, t);
    if (t.preferredNid >= 0) t.migrateRetryNs = k.clock.nowNs + Math.min(1000, t.scanPeriodMs / 16) * 1e6;
  }
  if (fl.migrated) t.pagesMigrated += pages;
  if (fl.migrateFailed) t.locality[2]! += pages;
  t.memBuf[memNode * 2 + priv]! += pages;
  t.cpuBuf[p.cpuNode * 2 + priv]! += pages;
  t.locality[fl.local ? 1 : 0]! += pages;
}

/**
 * task_numa_placement: once per mm scan sequence, decay the fault statistics by half and add
 * the round's buffers, pick the preferred node (most faults, mapped to the nearest node with
 * CPUs) and adapt the scan period (§4.11).
 *
 * @example
 * taskNumaPlacement(k.numab, p, t);
 */
export function taskNumaPlacement(nb: NumaBalancing, p: Process, t: TaskNuma): void {
  const k = nb.kernel;
  const ms = nb.mmState(p.mm);
  if (t.scanSeq === ms.scanSeq) return;
  t.scanSeq = ms.scanSeq;
  const fault = [0, 0]; // shared, private pages of this round
  let maxFaults = 0;
  let maxNid = -1;
  const width = t.mem.length / 2;
  for (let n = 0; n < width; n++) {
    let nodeFaults = 0;
    for (let priv = 0; priv < 2; priv++) {
      const i = n * 2 + priv;
      fault[priv]! += t.memBuf[i]!;
      // The kernel adds (buf - old/2) in integers: old - floor(old/2) + buf.
      t.mem[i] = t.mem[i]! - Math.floor(t.mem[i]! / 2) + t.memBuf[i]!;
      t.cpu[i] = t.cpu[i]! - Math.floor(t.cpu[i]! / 2) + t.cpuBuf[i]!;
      t.memBuf[i] = 0;
      t.cpuBuf[i] = 0;
      nodeFaults += t.mem[i]!;
    }
    if (nodeFaults > maxFaults) {
      maxFaults = nodeFaults;
      maxNid = n;
    }
  }
  if (maxFaults > 0) t.preferredNid = nearestCpuNode(nb, maxNid);
  const rss = nb.rss(p.mm, ms);
  const r = updateTaskScanPeriod({
    periodMs: t.scanPeriodMs,
    remote: t.locality[0]!,
    local: t.locality[1]!,
    failed: t.locality[2]!,
    shared: fault[0]!,
    private: fault[1]!,
    minMs: taskScanMin(rss, nb.knobs.values),
    maxMs: taskScanMax(rss, nb.knobs.values),
  });
  t.scanPeriodMs = r.periodMs;
  if (r.delayMm) ms.nextScanNs = k.clock.nowNs + r.periodMs * 1e6;
  t.locality.fill(0);
}

function nearestCpuNode(nb: NumaBalancing, nid: number): number {
  const topo = nb.kernel.topo;
  if (topo.cpuNodes.includes(nid)) return nid;
  let best = -1;
  for (const c of topo.cpuNodes) if (best < 0 || topo.distance(nid, c) < topo.distance(nid, best)) best = c;
  return best;
}
