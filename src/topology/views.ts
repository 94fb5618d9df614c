/**
 * The derived topology as the tools and the kernel print it: `numactl --hardware`, the
 * memory_tiering sysfs files, and the boot log lines for demotion targets and zonelists.
 *
 * Formats checked against the sources:
 * - numactl/numactl numactl.c hardware(): "available: %d nodes (" + node list + ")", per node
 *   "node %d cpus:" + " %d" per CPU, "node %d size: %llu MB", "node %d free: %llu MB" (bytes >> 20,
 *   from MemTotal/MemFree of /sys/devices/system/node/nodeN/meminfo, read by libnuma
 *   numa_node_size64), then print_distances(): "node distances:", "node  " + "% 4d " per node,
 *   and rows "% 4d: " + "% 4d " per node. Lines keep numactl's trailing spaces.
 * - mm/memory-tiers.c: nodelist_show emits "%*pbl\n"; dump_demotion_targets prints
 *   "Demotion targets for Node %d: null" or "... preferred: %*pbl, fallback: %*pbl" for every
 *   N_MEMORY node with a tier.
 * - mm/page_alloc.c build_zonelists: "Fallback order for Node %d: " then "%d " per node, so the
 *   line ends with a space; it is printed for every node, memoryless ones included.
 */
import { UsageError } from "../core/errors.js";
import type { KernelTopology } from "./types.js";

/**
 * A node list in the kernel's bitmap list format (`%*pbl`): ascending, runs of two or more as
 * "a-b", joined by commas. numactl's "available:" loop prints the same text.
 *
 * @example
 * formatNodelist([5, 0, 1, 2, 3]) // "0-3,5"
 * formatNodelist([2, 4])          // "2,4"
 * formatNodelist([])              // ""
 */
export function formatNodelist(nodes: readonly number[]): string {
  for (const n of nodes) {
    if (!Number.isInteger(n) || n < 0) {
      throw new UsageError({ what: "formatNodelist(nodes)", value: nodes, rule: "node ids are non-negative integers", fix: "pass ids such as [0, 1, 3]" });
    }
  }
  const sorted = [...new Set(nodes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `${sorted[i]}-${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** printf("% 4d"): a sign column (blank for positives) inside a width of 4. */
function spaced4(n: number): string {
  return (n < 0 ? `${n}` : ` ${n}`).padStart(4);
}

/**
 * `numactl --hardware` output. Free memory defaults to all managed pages (a freshly booted
 * machine); pass `freePages` to show a running kernel's state.
 *
 * @example
 * numactlHardware(kt)
 * // available: 2 nodes (0-1)
 * // node 0 cpus: 0 1 2 3
 * // node 0 size: 65536 MB
 * // node 0 free: 65536 MB
 * // ...
 * // node distances:
 * // node     0    1 
 * //    0:   10   21 
 * //    1:   21   10 
 */
export function numactlHardware(kt: KernelTopology, freePages?: (node: number) => number): string {
  const ids = kt.nodeIds;
  const mb = (pages: number): number => Math.floor((pages * 4096) / 2 ** 20);
  const lines = [`available: ${ids.length} nodes (${formatNodelist(ids)})`];
  for (const id of ids) {
    const cpus = [...kt.cpuNode].filter(([, n]) => n === id).map(([cpu]) => cpu).sort((a, b) => a - b);
    const free = freePages === undefined ? kt.managedPages(id) : freePages(id);
    if (!Number.isFinite(free) || free < 0) {
      throw new UsageError({ what: `numactlHardware freePages(${id})`, value: free, rule: "free pages are a non-negative number", fix: "return the node's free page count" });
    }
    lines.push(`node ${id} cpus:${cpus.map((c) => ` ${c}`).join("")}`);
    lines.push(`node ${id} size: ${mb(kt.managedPages(id))} MB`);
    lines.push(`node ${id} free: ${mb(Math.floor(free))} MB`);
  }
  lines.push("node distances:");
  lines.push(`node  ${ids.map((k) => `${spaced4(k)} `).join("")}`);
  for (const i of ids) lines.push(`${spaced4(i)}: ${ids.map((k) => `${spaced4(kt.distance(i, k))} `).join("")}`);
  return `${lines.join("\n")}\n`;
}

/**
 * The files under /sys/devices/virtual/memory_tiering, path -> contents (with the newline that
 * `cat` shows).
 *
 * @example
 * memoryTiersSysfs(kt)
 * // { "/sys/devices/virtual/memory_tiering/memory_tier4/nodelist": "0-1\n",
 * //   "/sys/devices/virtual/memory_tiering/memory_tier22/nodelist": "2-3\n" }
 */
export function memoryTiersSysfs(kt: KernelTopology): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tier of kt.tiers) out[`/sys/devices/virtual/memory_tiering/memory_tier${tier.id}/nodelist`] = `${formatNodelist(tier.nodes)}\n`;
  return out;
}

/**
 * The boot log of establish_demotion_targets (dump_demotion_targets), one line per memory node.
 *
 * @example
 * demotionTargetsText(kt)
 * // Demotion targets for Node 0: preferred: 2, fallback: 2-3
 * // Demotion targets for Node 1: preferred: 3, fallback: 2-3
 * // Demotion targets for Node 2: null
 * // Demotion targets for Node 3: null
 */
export function demotionTargetsText(kt: KernelTopology): string {
  const lines = kt.memoryNodes
    .filter((n) => kt.tierOf(n) !== null)
    .map((n) => {
      const preferred = kt.demotionTargets(n);
      if (preferred.length === 0) return `Demotion targets for Node ${n}: null`;
      return `Demotion targets for Node ${n}: preferred: ${formatNodelist(preferred)}, fallback: ${formatNodelist(kt.lowerTierNodes(n))}`;
    });
  return lines.map((l) => `${l}\n`).join("");
}

/**
 * The boot log of build_zonelists, one line per node (memoryless nodes too), each ending in a
 * space as pr_cont("%d ") leaves it.
 *
 * @example
 * zonelistsText(kt)
 * // "Fallback order for Node 0: 0 2 1 3 \nFallback order for Node 1: 1 3 0 2 \n..."
 */
export function zonelistsText(kt: KernelTopology): string {
  return kt.nodeIds.map((n) => `Fallback order for Node ${n}: ${kt.zonelist(n).map((m) => `${m} `).join("")}\n`).join("");
}
