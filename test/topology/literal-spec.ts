/**
 * Plain TopologySpec literals for the topology tests: no builder, so these tests pin the derived
 * kernel state to the rules alone.
 */
import type { LinkSpec, MemoryKind, MemorySpec, NodeSpec, TopologySpec, ZoneType } from "../../src/topology/types.js";

export const GiB = 1024 ** 3;

export interface MemoryLiteral {
  readonly kind?: MemoryKind;
  readonly gib?: number;
  readonly zone?: ZoneType;
  readonly latencyNs?: number;
  /** Read and write bandwidth, GB/s. */
  readonly gbps?: number;
  readonly hmat?: boolean;
  readonly online?: boolean;
}

/** A memory description; defaults: 64 GiB DRAM, ZONE_NORMAL, 100 ns, 100 GB/s, no HMAT, online. */
export function mem(m: MemoryLiteral = {}): MemorySpec {
  const kind = m.kind ?? "dram";
  const driver = kind === "cxl" || kind === "pmem";
  return {
    kind,
    capacityBytes: (m.gib ?? 64) * GiB,
    zone: m.zone ?? (driver ? "movable" : "normal"),
    readBandwidthGBps: m.gbps ?? 100,
    writeBandwidthGBps: m.gbps ?? 100,
    idleLatencyNs: m.latencyNs ?? 100,
    curves: [],
    hmat: m.hmat ?? false,
    online: m.online ?? true,
  };
}

/** A node; `cpus` is a count (ids follow on from `firstCpu`) or an explicit list. */
export function node(id: number, socket: number, cpus: number | readonly number[], memory: MemorySpec | null, firstCpu = id * 4): NodeSpec {
  const list = typeof cpus === "number" ? Array.from({ length: cpus }, (_, i) => firstCpu + i) : cpus;
  return { id, socket, cpus: list, memory };
}

/** A CXL link from a socket to an expander node. */
export function cxlLink(socket: number, nodeId: number, gbps = 64, latencyNs = 30): LinkSpec {
  return { id: `cxl${socket}.${nodeId}`, kind: "cxl", from: socket, to: nodeId, readBandwidthGBps: gbps, writeBandwidthGBps: gbps, latencyNs };
}

/** A socket interconnect. */
export function interconnect(a: number, b: number, gbps = 128, latencyNs = 70): LinkSpec {
  return { id: `interconnect${a}.${b}`, kind: "interconnect", from: a, to: b, readBandwidthGBps: gbps, writeBandwidthGBps: gbps, latencyNs };
}

/** The machine. */
export function machine(nodes: readonly NodeSpec[], links: readonly LinkSpec[] = [], distances: readonly (readonly number[])[] | null = null): TopologySpec {
  return { format: "tiersim.topology/1", name: "test", description: "", nodes, links, distances };
}

/** nodes 0,1: sockets with CPUs + 64 GiB DRAM; 2 on socket 0 and 3 on socket 1: 256 GiB CXL each. */
export function twoSocketCxl(distances: readonly (readonly number[])[] | null = [[10, 21, 14, 24], [21, 10, 24, 14], [14, 24, 10, 26], [24, 14, 26, 10]]): TopologySpec {
  return machine(
    [node(0, 0, 4, mem()), node(1, 1, 4, mem()), node(2, 0, [], mem({ kind: "cxl", gib: 256, latencyNs: 250, gbps: 32 })), node(3, 1, [], mem({ kind: "cxl", gib: 256, latencyNs: 250, gbps: 32 }))],
    [interconnect(0, 1), cxlLink(0, 2), cxlLink(1, 3)],
    distances,
  );
}
