/**
 * HMAT-style access coordinates (kernel-model.md §5.1: the performance data `mt_perf_to_adistance`
 * reads) and the socket routes they are measured over.
 *
 * Rule: latency(initiator -> target) = the target's idle latency (MemorySpec.idleLatencyNs is
 * measured from the node's local initiator and already includes its CXL link, see types.ts) plus
 * the latency of every interconnect crossed between the initiator's socket and the target's.
 * Bandwidth = min(device, the target's CXL link(s), every interconnect crossed). Read and write
 * latency are equal: the spec has one idle latency, and firmware commonly reports the same.
 */
import { UsageError } from "../core/errors.js";
import type { AccessCoordinates, LinkSpec, NodeSpec, TopologySpec } from "./types.js";

/** The cheapest path between two sockets over interconnect links. */
export interface SocketRoute {
  /** Sum of the crossed interconnects' latencies, ns (0 within a socket). */
  readonly latencyNs: number;
  /** Narrowest crossed link toward the initiator, GB/s (Infinity within a socket). */
  readonly readBandwidthGBps: number;
  /** Narrowest crossed link toward the memory, GB/s (Infinity within a socket). */
  readonly writeBandwidthGBps: number;
  /** Ids of the interconnect links crossed, in order from `from`. */
  readonly links: readonly string[];
}

/**
 * The lowest-latency interconnect path between two sockets (Dijkstra; ties keep the path found
 * first, which visits sockets in ascending id order). Throws when no path exists, because then
 * neither latency nor bandwidth between the sockets is defined.
 *
 * @example
 * socketRoute(spec, 0, 1) // { latencyNs: 70, readBandwidthGBps: 128, writeBandwidthGBps: 128, links: ["interconnect0.1"] }
 */
export function socketRoute(spec: TopologySpec, from: number, to: number): SocketRoute {
  if (from === to) return { latencyNs: 0, readBandwidthGBps: Infinity, writeBandwidthGBps: Infinity, links: [] };
  const edges = spec.links.filter((l) => l.kind === "interconnect");
  const best = new Map<number, { latency: number; via: readonly LinkSpec[] }>([[from, { latency: 0, via: [] }]]);
  const done = new Set<number>();
  for (;;) {
    let current: number | null = null;
    for (const [socket, entry] of [...best].sort((a, b) => a[0] - b[0])) {
      if (done.has(socket)) continue;
      if (current === null || entry.latency < best.get(current)!.latency) current = socket;
    }
    if (current === null) break;
    if (current === to) break;
    done.add(current);
    const here = best.get(current)!;
    for (const link of edges) {
      const next = link.from === current ? link.to : link.to === current ? link.from : null;
      if (next === null || done.has(next)) continue;
      const latency = here.latency + link.latencyNs;
      const known = best.get(next);
      if (known === undefined || latency < known.latency) best.set(next, { latency, via: [...here.via, link] });
    }
  }
  const found = best.get(to);
  if (found === undefined) {
    throw new UsageError({
      what: "topology.links",
      value: `socket ${from} -> socket ${to}`,
      rule: "memory traffic between two sockets needs a path of interconnect links (its latency and bandwidth are part of every remote access)",
      fix: `add an interconnect between the sockets, e.g. .interconnect(${from}, ${to}, { bandwidth: "128GB/s", latency: "70ns" })`,
    });
  }
  return {
    latencyNs: found.latency,
    readBandwidthGBps: Math.min(Infinity, ...found.via.map((l) => l.readBandwidthGBps)),
    writeBandwidthGBps: Math.min(Infinity, ...found.via.map((l) => l.writeBandwidthGBps)),
    links: found.via.map((l) => l.id),
  };
}

/**
 * Access coordinates from one CPU node to one memory node, or null when HMAT has nothing to say:
 * the initiator has no CPUs, the target has no memory, or the target's `hmat` is false.
 *
 * @example
 * accessCoordinates(spec, spec.nodes[0], spec.nodes[2])
 * // { readLatencyNs: 250, writeLatencyNs: 250, readBandwidthGBps: 32, writeBandwidthGBps: 32 }
 */
export function accessCoordinates(spec: TopologySpec, initiator: NodeSpec, target: NodeSpec): AccessCoordinates | null {
  const memory = target.memory;
  if (initiator.cpus.length === 0 || memory === null || !memory.hmat) return null;
  const route = socketRoute(spec, initiator.socket, target.socket);
  const cxl = spec.links.filter((l) => l.kind === "cxl" && l.to === target.id);
  // Parallel CXL links to one expander (interleaved host bridges) add up.
  const linkRead = cxl.length === 0 ? Infinity : cxl.reduce((s, l) => s + l.readBandwidthGBps, 0);
  const linkWrite = cxl.length === 0 ? Infinity : cxl.reduce((s, l) => s + l.writeBandwidthGBps, 0);
  const latency = memory.idleLatencyNs + route.latencyNs;
  return {
    readLatencyNs: latency,
    writeLatencyNs: latency,
    readBandwidthGBps: Math.min(memory.readBandwidthGBps, linkRead, route.readBandwidthGBps),
    writeBandwidthGBps: Math.min(memory.writeBandwidthGBps, linkWrite, route.writeBandwidthGBps),
  };
}

/**
 * The coordinates HMAT stores for a target under access class 1 (ACCESS_COORDINATE_CPU, what
 * hmat_calculate_adistance and hmat_set_default_dram_perf read; verified in
 * drivers/acpi/numa/hmat.c). A node with CPUs is its own attached initiator. Otherwise, as
 * hmat_update_target_attrs does, the CPU initiators are narrowed attribute by attribute (write
 * latency, read latency, write bandwidth, read bandwidth), keeping only those that match the best
 * value so far; each attribute is the best value among the remaining candidates. Every tiersim
 * initiator has CPUs, so access class 0 ("best initiator of any kind") gives the same numbers.
 *
 * @example
 * bestAccessCoordinates(spec, spec.nodes[2]) // the CXL node as seen from its host socket
 */
export function bestAccessCoordinates(spec: TopologySpec, target: NodeSpec): AccessCoordinates | null {
  if (target.memory === null || !target.memory.hmat) return null;
  if (target.cpus.length > 0) return accessCoordinates(spec, target, target);
  let candidates = spec.nodes
    .filter((n) => n.cpus.length > 0)
    .sort((a, b) => a.id - b.id)
    .map((n) => accessCoordinates(spec, n, target))
    .filter((c): c is AccessCoordinates => c !== null);
  if (candidates.length === 0) return null;
  const order: readonly [keyof AccessCoordinates, "min" | "max"][] = [
    ["writeLatencyNs", "min"],
    ["readLatencyNs", "min"],
    ["writeBandwidthGBps", "max"],
    ["readBandwidthGBps", "max"],
  ];
  const best: Record<keyof AccessCoordinates, number> = { readLatencyNs: 0, writeLatencyNs: 0, readBandwidthGBps: 0, writeBandwidthGBps: 0 };
  for (const [key, sense] of order) {
    const values = candidates.map((c) => c[key]);
    const value = sense === "min" ? Math.min(...values) : Math.max(...values);
    best[key] = value;
    candidates = candidates.filter((c) => c[key] === value);
  }
  return best;
}
