/**
 * Kernel views with the kernel's names: /proc/vmstat, /sys/devices/system/node/nodeN/numastat
 * and .../meminfo (kernel-model.md §5.6).
 */
import { PG_ANON, PG_FILE, PG_SHMEM, PG_THP } from "./frames.js";
import type { Kernel } from "./kernel.js";
import { NODE_COUNTERS } from "./stats.js";

/** Page-state counts per node, maintained by the frame table. */
function pageCounts(k: Kernel): { anon: Float64Array; file: Float64Array; shmem: Float64Array; thp: Float64Array } {
  const w = k.buddy.free.length;
  const per = (f: (n: number) => number): Float64Array => Float64Array.from({ length: w }, (_, n) => f(n));
  const fr = k.frames;
  return {
    anon: per((n) => fr.countOf(PG_ANON, n)),
    file: per((n) => fr.countOf(PG_FILE, n) + fr.countOf(PG_SHMEM, n)),
    shmem: per((n) => fr.countOf(PG_SHMEM, n)),
    thp: per((n) => fr.countOf(PG_THP, n)),
  };
}

/**
 * /proc/vmstat: nr_* state and event counters summed over nodes.
 *
 * @example
 * k.vmstat().numa_hit // 16384
 */
export function vmstat(k: Kernel): Record<string, number> {
  const c = pageCounts(k);
  const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
  const out: Record<string, number> = {
    nr_free_pages: sum(k.buddy.free),
    nr_anon_pages: sum(c.anon),
    nr_file_pages: sum(c.file),
    nr_shmem: sum(c.shmem),
    nr_anon_transparent_hugepages: sum(c.thp) / 512,
  };
  for (const name of NODE_COUNTERS) out[name] = k.stats.total(name);
  return out;
}

/** One node's /sys/devices/system/node/nodeN/numastat. */
export interface NodeNumastat {
  readonly numa_hit: number;
  readonly numa_miss: number;
  readonly numa_foreign: number;
  readonly interleave_hit: number;
  readonly local_node: number;
  readonly other_node: number;
}

/**
 * numastat per memory node.
 *
 * @example
 * k.numastat()[0].numa_hit
 */
export function numastat(k: Kernel): Record<number, NodeNumastat> {
  const out: Record<number, NodeNumastat> = {};
  const s = k.stats;
  for (const n of k.topo.nodeIds) {
    out[n] = {
      numa_hit: s.get("numa_hit", n),
      numa_miss: s.get("numa_miss", n),
      numa_foreign: s.get("numa_foreign", n),
      interleave_hit: s.get("numa_interleave", n),
      local_node: s.get("numa_local", n),
      other_node: s.get("numa_other", n),
    };
  }
  return out;
}

/** One node's meminfo, in kB as the kernel prints it. */
export interface NodeMeminfo {
  readonly MemTotal: number;
  readonly MemFree: number;
  readonly MemUsed: number;
  readonly FilePages: number;
  readonly AnonPages: number;
  readonly Shmem: number;
  readonly AnonHugePages: number;
}

/**
 * /sys/devices/system/node/nodeN/meminfo for every node (kB).
 *
 * @example
 * k.meminfo()[0].MemFree
 */
export function meminfo(k: Kernel): Record<number, NodeMeminfo> {
  const c = pageCounts(k);
  const out: Record<number, NodeMeminfo> = {};
  for (const n of k.topo.nodeIds) {
    const total = k.topo.managedPages(n) * 4; // 0 for memoryless nodes; private nodes count (§6.1)
    const free = k.buddy.free[n]! * 4;
    out[n] = {
      MemTotal: total,
      MemFree: free,
      MemUsed: total - free,
      FilePages: c.file[n]! * 4,
      AnonPages: (c.anon[n]! - c.thp[n]!) * 4,
      Shmem: c.shmem[n]! * 4,
      AnonHugePages: c.thp[n]! * 4,
    };
  }
  return out;
}
