/**
 * The machine as tidy tables: what the kernel made of each node, the links that carry traffic,
 * and the measured loaded-latency curves. Figures and CSV exports read these, so the numbers a
 * reader sees in a diagram are the numbers in the table next to it.
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { UsageError } from "../core/errors.js";
import { deriveKernelTopology } from "../topology/derive.js";
import type { KernelTopology, TopologySpec } from "../topology/types.js";

/**
 * One row per NUMA node: its memory, the tier the kernel put it in and whether it is toptier.
 * Memoryless nodes have `kind`, `tier`, `adistance`, `zone` and the device columns null and
 * `capacity_bytes` 0; `cpus` is the number of CPUs on the node. Given a TopologySpec, it derives
 * the kernel's view with default knobs first.
 *
 * @example
 * nodesTable(presets.sprCxl()).print();
 * // node kind socket cpus capacity_bytes tier adistance toptier zone ...
 */
export function nodesTable(topology: KernelTopology | TopologySpec): ColumnTable {
  const kt = kernelView(topology);
  const rows = [...kt.spec.nodes].sort((a, b) => a.id - b.id);
  const memory = new Set(kt.memoryNodes);
  return aq.table({
    node: rows.map((n) => n.id),
    kind: rows.map((n) => n.memory?.kind ?? null),
    socket: rows.map((n) => n.socket),
    cpus: rows.map((n) => n.cpus.length),
    capacity_bytes: rows.map((n) => n.memory?.capacityBytes ?? 0),
    tier: rows.map((n) => (memory.has(n.id) ? kt.tierOf(n.id) : null)),
    // The kernel assigns an abstract distance only to N_MEMORY nodes; asking for others throws.
    adistance: rows.map((n) => (memory.has(n.id) ? kt.adistance(n.id) : null)),
    toptier: rows.map((n) => kt.isToptier(n.id)),
    zone: rows.map((n) => n.memory?.zone ?? null),
    read_bandwidth_gbps: rows.map((n) => n.memory?.readBandwidthGBps ?? null),
    write_bandwidth_gbps: rows.map((n) => n.memory?.writeBandwidthGBps ?? null),
    idle_latency_ns: rows.map((n) => n.memory?.idleLatencyNs ?? null),
  });
}

/**
 * One row per link. A CXL link joins a host socket (`from_socket`) to an expander node
 * (`to_node`); an interconnect joins two sockets (`from_socket`, `to_socket`). The column that
 * does not apply is null, so each column keeps one meaning.
 *
 * @example
 * linksTable(presets.twoSocketCxl()).print();
 * // link kind from_socket to_socket to_node read_bandwidth_gbps write_bandwidth_gbps latency_ns source
 */
export function linksTable(spec: TopologySpec | KernelTopology): ColumnTable {
  const links = specOf(spec, "linksTable").links;
  return aq.table({
    link: links.map((l) => l.id),
    kind: links.map((l) => l.kind),
    from_socket: links.map((l) => l.from),
    to_socket: links.map((l) => (l.kind === "interconnect" ? l.to : null)),
    to_node: links.map((l) => (l.kind === "cxl" ? l.to : null)),
    read_bandwidth_gbps: links.map((l) => l.readBandwidthGBps),
    write_bandwidth_gbps: links.map((l) => l.writeBandwidthGBps),
    latency_ns: links.map((l) => l.latencyNs),
    source: links.map((l) => l.source ?? null),
  });
}

/**
 * One row per measured point of every loaded-latency curve: node, memory kind, the read share
 * of the traffic (0..1), bandwidth and latency. Nodes without curves contribute no rows.
 *
 * @example
 * plots.loadedLatency(latencyCurvesTable(presets.sprCxl())).show();
 */
export function latencyCurvesTable(spec: TopologySpec | KernelTopology): ColumnTable {
  const cols = {
    node: [] as number[],
    kind: [] as string[],
    read_share: [] as number[],
    bandwidth_gbps: [] as number[],
    latency_ns: [] as number[],
    source: [] as (string | null)[],
  };
  const nodes = [...specOf(spec, "latencyCurvesTable").nodes].sort((a, b) => a.id - b.id);
  for (const n of nodes) {
    if (n.memory === null) continue;
    // Highest read share first: the read-only curve is the one readers compare devices by.
    const curves = [...n.memory.curves].sort((a, b) => b.readShare - a.readShare);
    for (const c of curves) {
      for (const [bw, lat] of c.points) {
        cols.node.push(n.id);
        cols.kind.push(n.memory.kind);
        cols.read_share.push(c.readShare);
        cols.bandwidth_gbps.push(bw);
        cols.latency_ns.push(lat);
        cols.source.push(c.source ?? n.source ?? null);
      }
    }
  }
  return aq.table(cols);
}

function kernelView(value: KernelTopology | TopologySpec): KernelTopology {
  if (value !== null && typeof value === "object") {
    if ("spec" in value && typeof value.tierOf === "function") return value;
    if ("nodes" in value && "links" in value) return deriveKernelTopology(value);
  }
  throw new UsageError({
    what: "nodesTable(topology)",
    value,
    rule: "needs a KernelTopology or a TopologySpec",
    fix: "pass a preset such as presets.sprCxl(), or deriveKernelTopology(spec) to choose knobs",
  });
}

function specOf(value: TopologySpec | KernelTopology, fn: string): TopologySpec {
  if (value !== null && typeof value === "object") {
    if ("nodes" in value && "links" in value) return value;
    if ("spec" in value && value.spec && typeof value.spec === "object") return value.spec;
  }
  throw new UsageError({
    what: `${fn}(spec)`,
    value,
    rule: "needs a TopologySpec (nodes and links) or a KernelTopology",
    fix: "pass a preset such as presets.sprCxl() or topology()...build()",
  });
}
