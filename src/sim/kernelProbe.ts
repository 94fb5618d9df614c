/**
 * The kernel state an evolving run records at each snapshot, read through the kernel's public
 * fields so the results layer never reaches into kernel internals.
 */
import type { Kernel } from "../kernel/kernel.js";
import type { Process } from "../kernel/process.js";
import type { NodeKernelState, TaskKernelState } from "../results/runRecord.js";

/**
 * A task's charged system time, scan period and preferred node.
 *
 * @example
 * taskKernelState(k, p) // { systemNs: 0, scanPeriodMs: 1000, preferredNode: null }
 */
export function taskKernelState(k: Kernel, p: Process): TaskKernelState {
  return { systemNs: k.costs.systemNs(p.tgid), scanPeriodMs: null, preferredNode: null };
}

/**
 * A memory node's free pages, promotion threshold and kswapd CPU time.
 *
 * @example
 * nodeKernelState(k, 0) // { freePages: 1024, promoThresholdMs: null, kswapdNs: 0 }
 */
export function nodeKernelState(k: Kernel, node: number): NodeKernelState {
  return { freePages: k.buddy.free[node] ?? 0, promoThresholdMs: null, kswapdNs: k.costs.kswapdNs(node) };
}
