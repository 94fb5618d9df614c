/**
 * Small machines with exact page counts and watermarks for kernel conformance tests.
 */
import { boot } from "../../src/kernel/boot.js";
import type { Kernel } from "../../src/kernel/kernel.js";
import { setMemoryOnline, topology } from "../../src/topology/builder.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import type { KernelTopology, TopologySpec, Watermarks } from "../../src/topology/types.js";

/** Per-node pages and watermarks to force onto the derived topology. */
export interface TinyOptions {
  /** Managed pages per node (index = node id). */
  readonly pages?: readonly number[];
  /** Watermarks per node; default min 10, low 20, high 30, promo 40. */
  readonly wm?: readonly Watermarks[];
  readonly kernel?: string;
  /** "two-socket" (default): nodes 0,1 sockets, node 2 CXL on socket 0. "dram+cxl": node 0 socket, node 1 CXL. */
  readonly shape?: "two-socket" | "dram+cxl";
  /** Nodes whose memory starts offline (hotplug tests). */
  readonly offline?: readonly number[];
}

/**
 * Node 0: socket 0 (CPUs 0-1, DRAM); node 1: socket 1 (CPUs 2-3, DRAM); node 2: CXL expander
 * on socket 0 (no CPUs). Fallback lists come from the topology derivation (§3.2).
 */
export function tinyTopology(opts: TinyOptions = {}): KernelTopology {
  const cxl = { socket: 0, memory: { capacity: "1GiB", readBandwidth: 25, idleLatency: 250 }, link: { readBandwidth: 26, latency: 40 } } as const;
  const spec =
    opts.shape === "dram+cxl"
      ? topology("tiny").socket(0, { cpus: 2, memory: { capacity: "1GiB", readBandwidth: 100, idleLatency: 100 } }).cxl(cxl).build()
      : topology("tiny")
          .socket(0, { cpus: 2, memory: { capacity: "1GiB", readBandwidth: 100, idleLatency: 100 } })
          .socket(1, { cpus: 2, memory: { capacity: "1GiB", readBandwidth: 100, idleLatency: 100 } })
          .interconnect(0, 1, { bandwidth: "64GB/s", latency: "70ns" })
          .cxl(cxl)
          .build();
  const start = (opts.offline ?? []).reduce((sp, n) => setMemoryOnline(sp, n, false), spec);
  return wrap(deriveKernelTopology(start), opts);
}

/** The derive function that keeps the tiny machine's page counts across memory hotplug. */
export function tinyDerive(opts: TinyOptions = {}): (spec: TopologySpec) => KernelTopology {
  return (spec) => wrap(deriveKernelTopology(spec), opts);
}

function wrap(base: KernelTopology, opts: TinyOptions): KernelTopology {
  const pages = opts.pages ?? (opts.shape === "dram+cxl" ? [1000, 1000] : [1000, 1000, 1000]);
  const wm = opts.wm ?? pages.map(() => ({ min: 10, low: 20, high: 30, promo: 40 }));
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === "managedPages") return (n: number) => pages[n]!;
      if (prop === "watermarks") return (n: number) => wm[n]!;
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** Boots the tiny machine. */
export function tinyKernel(opts: TinyOptions = {}): Kernel {
  const k = boot(tinyTopology(opts), { kernel: opts.kernel ?? "v6.16" });
  for (const n of k.topo.memoryNodes) k.sysfs.write(`/sys/kernel/mm/mempolicy/weighted_interleave/node${n}`, 1);
  return k;
}

/** Pages per node in a VMA's numa_maps line, e.g. { 0: 10, 2: 6 }. */
export function nodeCounts(line: string): Record<number, number> {
  const out: Record<number, number> = {};
  for (const m of line.matchAll(/ N(\d+)=(\d+)/g)) out[Number(m[1])] = Number(m[2]);
  return out;
}

/** Pages per node of the VMA containing `addr` in a numa_maps text. */
export function countsAt(numaMaps: string, addr: number): Record<number, number> {
  const line = numaMaps.split("\n").find((l) => l.startsWith(`${addr.toString(16)} `));
  if (!line) throw new Error(`no numa_maps line for 0x${addr.toString(16)} in\n${numaMaps}`);
  return nodeCounts(line);
}
