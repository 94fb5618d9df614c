/**
 * NUMA groups (kernel-model.md §4.10): tasks that share memory are gathered into one
 * numa_group whose fault counts drive the preferred node, the group branches of
 * should_numa_migrate_memory (§4.7) and the scan period scaling (§4.2). Kept beside the task
 * state, never per page.
 */
import type { Process } from "../process.js";
import type { NumaBalancing } from "./numab.js";
import type { TaskNuma } from "./state.js";

/** ACTIVE_NODE_FRACTION (§4.1). */
export const ACTIVE_NODE_FRACTION = 3;

/** struct numa_group. */
export interface NumaGroup {
  /** gid: the pid of the task that created the group. */
  readonly gid: number;
  /**
   * Creation order. The kernel breaks a tie between equal-sized groups on their addresses;
   * [SIM] tiersim takes the earlier-created group as the lower address.
   */
  readonly serial: number;
  /** nr_tasks (also the refcount the scan-period scaling reads: one reference per member). */
  nrTasks: number;
  /** MEM faults [node * 2 + priv], then CPU faults [width * 2 + node * 2 + priv]. */
  readonly faults: Float64Array;
  /** Nodes whose CPU faults exceed max / ACTIVE_NODE_FRACTION, as of the last placement. */
  activeNodes: number;
  maxFaultsCpu: number;
}

/**
 * group_faults: a group's MEM faults on a node (shared + private).
 *
 * @example
 * groupFaultsMem(g, 0) // 16
 */
export function groupFaultsMem(g: NumaGroup, node: number): number {
  return g.faults[node * 2]! + g.faults[node * 2 + 1]!;
}

/**
 * group_faults_cpu: a group's CPU faults on a node (shared + private).
 *
 * @example
 * groupFaultsCpu(g, 1) // 6
 */
export function groupFaultsCpu(g: NumaGroup, node: number): number {
  const off = g.faults.length / 2;
  return g.faults[off + node * 2]! + g.faults[off + node * 2 + 1]!;
}

/**
 * group_faults_shared and group_faults_priv: MEM faults over every node, by kind.
 *
 * @example
 * groupFaultsByKind(g) // { shared: 6, private: 10 }
 */
export function groupFaultsByKind(g: NumaGroup): { shared: number; private: number } {
  let shared = 0;
  let priv = 0;
  for (let i = 0; i < g.faults.length / 2; i += 2) {
    shared += g.faults[i]!;
    priv += g.faults[i + 1]!;
  }
  return { shared, private: priv };
}

/**
 * The group branches of should_numa_migrate_memory (§4.7 last two lines): migrate when the
 * destination's CPU faults exceed 3x the source's, or when CPU use per memory fault is higher
 * on the destination with 3/4 hysteresis.
 *
 * @example
 * // cpu[dst] 10 > 3 * cpu[src] 3: true
 * groupAllowsMigration(g, 0, 1)
 */
export function groupAllowsMigration(g: NumaGroup, src: number, dst: number): boolean {
  const cpuDst = groupFaultsCpu(g, dst);
  const cpuSrc = groupFaultsCpu(g, src);
  if (cpuDst > cpuSrc * ACTIVE_NODE_FRACTION) return true;
  return cpuDst * groupFaultsMem(g, src) * 3 > cpuSrc * groupFaultsMem(g, dst) * 4;
}

/**
 * numa_group_count_active_nodes (§4.10): recounts the group's active nodes among `cpuNodes`.
 *
 * @example
 * countActiveNodes(g, k.topo.cpuNodes); g.activeNodes // 2
 */
export function countActiveNodes(g: NumaGroup, cpuNodes: readonly number[]): void {
  let max = 0;
  for (const n of cpuNodes) max = Math.max(max, groupFaultsCpu(g, n));
  let active = 0;
  for (const n of cpuNodes) if (groupFaultsCpu(g, n) * ACTIVE_NODE_FRACTION > max) active++;
  g.maxFaultsCpu = max;
  g.activeNodes = active;
}

/**
 * numa_is_active_node: whether a node's CPU faults exceed max / ACTIVE_NODE_FRACTION.
 *
 * @example
 * isActiveNode(g, 1) // true
 */
export function isActiveNode(g: NumaGroup, node: number): boolean {
  return groupFaultsCpu(g, node) * ACTIVE_NODE_FRACTION > g.maxFaultsCpu;
}

function newGroup(nb: NumaBalancing, p: Process, t: TaskNuma): NumaGroup {
  const w = t.mem.length;
  const faults = new Float64Array(2 * w);
  faults.set(t.mem, 0);
  faults.set(t.cpu, w);
  return { gid: p.pid, serial: nb.nextGroupSerial(), nrTasks: 1, faults, activeNodes: 1, maxFaultsCpu: 0 };
}

/**
 * task_numa_group (§4.10) for a shared fault of `p` (pid mismatch, no NO_GROUP): gives the task
 * a group of its own if it has none, then joins the group of the task the folio's last_cpupid
 * names when that task still runs on the recorded CPU ([SIM]: every task counts as running on
 * its CPU), its group is larger (ties: creation order), and the two share the mm or the fault
 * was SHARED. Returns `priv` as updated: 1 when false sharing was detected (the join was
 * refused only because the mms differ and the mapping is not shared), else 0.
 *
 * @example
 * taskNumaGroup(k.numab, t2, k.numab.task(t2), 0, p.pid, false) // 0: t2 joined p's group
 */
export function taskNumaGroup(nb: NumaBalancing, p: Process, t: TaskNuma, lastCpu: number, lastPid: number, shared: boolean): number {
  if (!t.group) t.group = newGroup(nb, p, t);
  const tsk = nb.kernel.process(lastPid);
  if (!tsk || tsk.cpu !== lastCpu) return 0;
  const grp = nb.task(tsk).group;
  const my = t.group;
  if (!grp || grp === my) return 0;
  // Only join a bigger group: if ours is bigger, the other task joins us.
  if (my.nrTasks > grp.nrTasks) return 0;
  if (my.nrTasks === grp.nrTasks && my.serial > grp.serial) return 0;
  // Threads always join; other mms only on a SHARED fault (a filter against pid collisions).
  const join = tsk.mm === p.mm || shared;
  if (!join) return 1;
  moveFaults(t, my, grp);
  my.nrTasks--;
  grp.nrTasks++;
  t.group = grp;
  return 0;
}

/**
 * task_numa_free's group part: the task's faults leave its group (exit).
 *
 * @example
 * leaveGroup(k.numab.task(p));
 */
export function leaveGroup(t: TaskNuma): void {
  const g = t.group;
  if (!g) return;
  moveFaults(t, g, null);
  g.nrTasks--;
  t.group = null;
}

/** Takes a task's MEM and CPU faults out of group `from` and adds them to `to` (if any). */
function moveFaults(t: TaskNuma, from: NumaGroup, to: NumaGroup | null): void {
  const w = t.mem.length;
  for (let i = 0; i < w; i++) {
    from.faults[i]! -= t.mem[i]!;
    from.faults[w + i]! -= t.cpu[i]!;
    if (to) {
      to.faults[i]! += t.mem[i]!;
      to.faults[w + i]! += t.cpu[i]!;
    }
  }
}
