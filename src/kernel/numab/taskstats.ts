/**
 * task_numa_fault and task_numa_placement (kernel-model.md §4.9) with update_task_scan_period
 * (§4.11), NUMA groups (§4.10) and numa_migrate_preferred (placement.ts).
 *
 * [SIM] The CPU fault statistics are not weighted by the task's runtime share (§4.9 `w`): each
 * CPU-buffer page counts 1, for tasks and groups alike. Topology-aware preferred_group_nid is
 * modelled as NUMA_DIRECT (the node with most group faults, mapped to the nearest CPU node).
 */
import type { Process } from "../process.js";
import { countActiveNodes, isActiveNode, taskNumaGroup } from "./group.js";
import { NUMAB_TIERING } from "./knobs.js";
import type { NumaBalancing } from "./numab.js";
import { numaMigratePreferred, taskScanMaxOf } from "./placement.js";
import { taskScanMin, updateTaskScanPeriod } from "./scanperiod.js";
import type { TaskNuma } from "./state.js";

/** What a hinting fault reports to task_numa_fault (§4.5 flags and last_cpupid). */
export interface HintFaultInfo {
  /** The pid of the folio's previous cpupid, 0 = unset. */
  readonly lastPid: number;
  /** The CPU of the folio's previous cpupid, -1 = unset. */
  readonly lastCpu: number;
  /** False when the cpupid field held a tiering scan time or was unset (cpupid_valid). */
  readonly cpupidValid: boolean;
  /** The folio's node after any migration. */
  readonly memNode: number;
  readonly pages: number;
  /** TNF_FAULT_LOCAL, TNF_MIGRATED, TNF_MIGRATE_FAIL, TNF_NO_GROUP, TNF_SHARED. */
  readonly local: boolean;
  readonly migrated: boolean;
  readonly migrateFailed: boolean;
  readonly noGroup: boolean;
  readonly shared: boolean;
}

/**
 * task_numa_fault: accounts a hinting fault of `f.pages` pages for task `p`.
 *
 * @example
 * taskNumaFault(k.numab, p, k.numab.task(p), { lastPid: 0, lastCpu: -1, cpupidValid: true, memNode: 0, pages: 1, local: true, migrated: false, migrateFailed: false, noGroup: false, shared: false });
 */
export function taskNumaFault(nb: NumaBalancing, p: Process, t: TaskNuma, f: HintFaultInfo): void {
  const k = nb.kernel;
  // Statistics are unnecessary for slow memory in tiering mode, or with an invalid cpupid (§4.9).
  if (!k.topo.isToptier(f.memNode) && (nb.mode(p) & NUMAB_TIERING || !f.cpupidValid)) return;
  t.hasStats = true;
  // The node the task faulted from: a task move below takes effect after this fault.
  const cpuNode = p.cpuNode;
  let priv = f.lastPid === 0 || f.lastPid === p.pid ? 1 : 0;
  if (!priv && !f.noGroup) priv = taskNumaGroup(nb, p, t, f.lastCpu, f.lastPid, f.shared);
  // A shared fault wholly within a multi-node group's active nodes counts as local (§4.9).
  const g = t.group;
  const local = f.local || (!priv && g !== null && g.activeNodes > 1 && isActiveNode(g, cpuNode) && isActiveNode(g, f.memNode));
  if (k.clock.nowNs > t.migrateRetryNs) {
    taskNumaPlacement(nb, p, t);
    numaMigratePreferred(nb, p, t);
  }
  if (f.migrated) t.pagesMigrated += f.pages;
  if (f.migrateFailed) t.locality[2]! += f.pages;
  t.memBuf[f.memNode * 2 + priv]! += f.pages;
  t.cpuBuf[cpuNode * 2 + priv]! += f.pages;
  t.locality[local ? 1 : 0]! += f.pages;
}

/**
 * task_numa_placement: once per mm scan sequence, decay the fault statistics by half and add
 * the round's buffers (the group's counts move by the same differences), pick the preferred
 * node (most task faults, or most group faults in a group, mapped to the nearest node with
 * CPUs), recount the group's active nodes and adapt the scan period (§4.11).
 *
 * @example
 * taskNumaPlacement(k.numab, p, t);
 */
export function taskNumaPlacement(nb: NumaBalancing, p: Process, t: TaskNuma): void {
  const k = nb.kernel;
  const ms = nb.mmState(p.mm);
  if (t.scanSeq === ms.scanSeq) return;
  t.scanSeq = ms.scanSeq;
  // numa_scan_period_max is taken before this round changes the group's counts.
  const maxMs = taskScanMaxOf(nb, p, t);
  const g = t.group;
  const fault = [0, 0]; // shared, private pages of this round
  let maxFaults = 0;
  let maxNid = -1;
  const width = t.mem.length / 2;
  const cpuOff = width * 2;
  for (let n = 0; n < width; n++) {
    let nodeFaults = 0;
    let groupFaults = 0;
    for (let priv = 0; priv < 2; priv++) {
      const i = n * 2 + priv;
      fault[priv]! += t.memBuf[i]!;
      // The kernel adds (buf - old/2) in integers: old - floor(old/2) + buf.
      const diff = t.memBuf[i]! - Math.floor(t.mem[i]! / 2);
      const fDiff = t.cpuBuf[i]! - Math.floor(t.cpu[i]! / 2);
      t.mem[i]! += diff;
      t.cpu[i]! += fDiff;
      t.memBuf[i] = 0;
      t.cpuBuf[i] = 0;
      nodeFaults += t.mem[i]!;
      if (g) {
        g.faults[i]! += diff;
        g.faults[cpuOff + i]! += fDiff;
        groupFaults += g.faults[i]!;
      }
    }
    const v = g ? groupFaults : nodeFaults;
    if (v > maxFaults) {
      maxFaults = v;
      maxNid = n;
    }
  }
  if (g) countActiveNodes(g, k.topo.cpuNodes);
  if (maxFaults > 0) t.preferredNid = nearestCpuNode(nb, maxNid);
  const rss = nb.rss(p, ms);
  const r = updateTaskScanPeriod({
    periodMs: t.scanPeriodMs,
    remote: t.locality[0]!,
    local: t.locality[1]!,
    failed: t.locality[2]!,
    shared: fault[0]!,
    private: fault[1]!,
    minMs: taskScanMin(rss, nb.knobs.values),
    maxMs,
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
