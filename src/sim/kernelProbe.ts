/**
 * The kernel state an evolving run records at each snapshot, read through the kernel's public
 * fields so the results layer never reaches into kernel internals.
 */
import type { Kernel } from "../kernel/kernel.js";
import type { Process } from "../kernel/process.js";
import type { NodeKernelState, TaskKernelState } from "../results/runRecord.js";
import { NODE_COUNTERS } from "../kernel/stats.js";

/**
 * The nodes an evolving run follows: N_MEMORY and N_MEMORY_PRIVATE (buddy-managed), ascending.
 *
 * @example
 * runNodes(k.topo) // [0, 1] on cramMachine()
 */
export function runNodes(kt: Kernel["topo"]): number[] {
  return [...kt.memoryNodes, ...kt.privateNodes].sort((a, b) => a - b);
}

/**
 * A task's charged system time, scan period, preferred node and current node.
 *
 * @example
 * taskKernelState(k, p) // { systemNs: 0, numaNs: 0, scanPeriodMs: 1000, preferredNode: null, node: 0 }
 */
export function taskKernelState(k: Kernel, p: Process): TaskKernelState {
  const on = !p.killed && k.numab.mode(p) !== 0;
  const t = k.numab.taskState(p.pid);
  const c = k.costs.taskBreakdown(p.tgid);
  return { systemNs: k.costs.systemNs(p.tgid), numaNs: c.pte_update + c.hint_fault + c.migrate, scanPeriodMs: on ? t.scanPeriodMs : null, preferredNode: t.preferredNid >= 0 ? t.preferredNid : null, node: p.cpuNode };
}

/**
 * A memory node's free pages, promotion threshold, kswapd CPU time and wakeups and, on a CRAM
 * node, its stored and compressed pages.
 *
 * @example
 * nodeKernelState(k, 0) // { freePages: 1024, promoThresholdMs: null, kswapdNs: 0, kswapdWakeups: 0 }
 */
export function nodeKernelState(k: Kernel, node: number): NodeKernelState {
  // The threshold only means something on nodes promotion moves pages to, in tiering mode.
  const tiering = (k.sysctl.read("kernel.numa_balancing") & 2) !== 0;
  const target = tiering && k.topo.isToptier(node) && k.topo.cpuNodes.includes(node);
  const base = { freePages: k.buddy.free[node] ?? 0, promoThresholdMs: target ? k.numab.nodeState(node).thresholdMs : null, kswapdNs: k.costs.kswapdNs(node), kswapdWakeups: k.buddy.kswapdWakeups[node] ?? 0 };
  if (!k.cram.isCram(node)) return base;
  const s = k.cram.state(node);
  return { ...base, cram: { storedPages: s.storedPages, usedPages: s.usedPages, devicePages: s.devicePages } };
}

/**
 * Every memory node's counters, as /sys/devices/system/node/nodeN/vmstat shows them (only the
 * non-zero ones; the table fills zeros).
 *
 * @example
 * nodeVmstat(k)[0].pgpromote_success // 1024
 */
export function nodeVmstat(k: Kernel): Record<number, Record<string, number>> {
  const out: Record<number, Record<string, number>> = {};
  for (const n of k.topo.nodeIds) {
    const row: Record<string, number> = {};
    for (const c of NODE_COUNTERS) {
      const v = k.stats.get(c, n);
      if (v !== 0) row[c] = v;
    }
    out[n] = row;
  }
  return out;
}
