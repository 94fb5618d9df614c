/**
 * Task placement (kernel-model.md §4.9 numa_migrate_preferred / task_numa_migrate), the
 * scan-period reset when a task changes node (§4.11 last paragraph, update_scan_period) and
 * task_scan_start / task_scan_max with the NUMA-group scaling (§4.2).
 *
 * [SIM] task_numa_migrate is modelled coarsely, as §4.9 allows: "task moves to preferred node
 * when that node has spare CPU capacity". A CPU counts as spare when it is in the task's
 * cpusAllowed and no other live task of the kernel is on it; the task moves to the lowest such
 * CPU of its preferred node. There is no task swap, no fault-weight improvement test (SMALLIMP,
 * imbalance_pct) and no search of other nodes.
 */
import type { Process } from "../process.js";
import { groupFaultsByKind } from "./group.js";
import type { NumaBalancing } from "./numab.js";
import { groupScaledPeriod, taskScanMax, taskScanMin } from "./scanperiod.js";
import type { TaskNuma } from "./state.js";

/**
 * task_scan_start (§4.2): task_scan_min, raised for a task in a NUMA group by the group's
 * refcount and shared fraction.
 *
 * @example
 * taskScanStart(k.numab, p, k.numab.task(p)) // 1000 for a small task without a group
 */
export function taskScanStart(nb: NumaBalancing, p: Process, t: TaskNuma): number {
  return groupScaled(t, taskScanMin(nb.rss(p), nb.knobs.values));
}

/**
 * task_scan_max (§4.2): scan_period_max / windows, raised for a task in a NUMA group.
 *
 * @example
 * taskScanMaxOf(k.numab, p, k.numab.task(p)) // 60000 for a small task without a group
 */
export function taskScanMaxOf(nb: NumaBalancing, p: Process, t: TaskNuma): number {
  return groupScaled(t, taskScanMax(nb.rss(p), nb.knobs.values));
}

/** The NUMA-group part of task_scan_start / task_scan_max: `base`, raised for a grouped task. */
function groupScaled(t: TaskNuma, base: number): number {
  const g = t.group;
  if (!g) return base;
  const f = groupFaultsByKind(g);
  return Math.max(base, groupScaledPeriod(base, g.nrTasks, f.shared, f.private));
}

/**
 * The lowest CPU of `node` that `p` may run on and no other live task occupies, or -1.
 *
 * @example
 * spareCpu(k, p, 1) // 2
 */
export function spareCpu(p: Process, node: number): number {
  const k = p.kernel;
  const busy = new Set<number>();
  for (const q of k.processes()) if (q !== p) busy.add(q.cpu);
  let best = -1;
  for (const [cpu, n] of k.topo.cpuNode) {
    if (n !== node || busy.has(cpu) || (p.cpusAllowed !== null && !p.cpusAllowed.includes(cpu))) continue;
    if (best < 0 || cpu < best) best = cpu;
  }
  return best;
}

/**
 * numa_migrate_preferred (§4.9): arms the retry interval min(1 s, scan period / 16) and, when
 * the task is off its preferred node, tries task_numa_migrate (coarse model, file comment).
 *
 * @example
 * numaMigratePreferred(k.numab, p, k.numab.task(p));
 */
export function numaMigratePreferred(nb: NumaBalancing, p: Process, t: TaskNuma): void {
  if (t.preferredNid < 0 || !t.hasStats) return;
  t.migrateRetryNs = nb.kernel.clock.nowNs + Math.min(1000, t.scanPeriodMs / 16) * 1e6;
  if (p.cpuNode === t.preferredNid) return;
  const cpu = spareCpu(p, t.preferredNid);
  // A grouped task remembers the node it ends up on as preferred, so the group settles (§4.9).
  if (t.group) t.preferredNid = cpu >= 0 ? nb.kernel.topo.cpuNode.get(cpu)! : p.cpuNode;
  if (cpu < 0) return;
  nb.taskMigrations++;
  moveTask(nb, p, cpu);
}

/**
 * Moves a task to `cpu`, first applying update_scan_period (§4.11): a cross-node move resets
 * the scan period to task_scan_start unless the task moves to its preferred node or was not on
 * it (before the first placement any cross-node move resets). Needs NUMA balancing on and
 * fault statistics.
 *
 * @example
 * moveTask(k.numab, p, 2);
 */
export function moveTask(nb: NumaBalancing, p: Process, cpu: number): void {
  const k = nb.kernel;
  const src = p.cpuNode;
  const dst = k.topo.cpuNode.get(cpu)!;
  const t = nb.existingTask(p.pid);
  if (src !== dst && t && t.hasStats && k.sysctl.read("kernel.numa_balancing") !== 0) {
    const keep = t.scanSeq > 0 && (dst === t.preferredNid || (t.preferredNid >= 0 && src !== t.preferredNid));
    if (!keep) t.scanPeriodMs = taskScanStart(nb, p, t);
  }
  p.cpu = cpu;
}
