/**
 * Open-loop mode: offer a node a given load and read the latency a probe would see, the way
 * Mess and MLC draw loaded-latency curves. No threads and no feedback: the load is imposed.
 */
import { UsageError } from "../core/errors.js";
import type { NodeSpec, TopologySpec } from "../topology/types.js";
import { checkReadShare, latencyOf, peakOf, prepareLatency } from "./curves.js";
import { linkCapacity, linkPath, linkQueueLatency, prepareLinkQueue, type LinkPath } from "./links.js";

/**
 * One point of a loaded-latency curve.
 *
 * @example
 * { bandwidthGBps: 120, latencyNs: 121.6, utilisation: 0.45 }
 */
export interface LoadedLatencyPoint {
  /** Load offered to the memory node, GB/s (reads + writes). */
  readonly bandwidthGBps: number;
  /** Latency of a read issued from the CPU node under that load, ns: node, route and link queues. */
  readonly latencyNs: number;
  /** bandwidthGBps / the most the route can deliver at this read share. */
  readonly utilisation: number;
}

/**
 * Options of {@link loadedLatencyCurve}.
 *
 * @example
 * { from: 0, maxGBps: 300 }
 */
export interface LoadedLatencyCurveOptions {
  /** CPU node issuing the traffic; default the memory node itself, or its host socket's CPU node. */
  readonly from?: number;
  /** Highest load drawn, GB/s; default the route's peak ({@link routePeakBandwidth}). */
  readonly maxGBps?: number;
}

function findNode(spec: TopologySpec, id: number, what: string): NodeSpec {
  const node = spec.nodes.find((n) => n.id === id);
  if (node === undefined) {
    throw new UsageError({ what, value: id, rule: `there is no node ${id} in topology "${spec.name}"`, fix: `use one of the node ids ${spec.nodes.map((n) => n.id).join(", ")}` });
  }
  return node;
}

function memoryNode(spec: TopologySpec, id: number, what: string): NodeSpec {
  const node = findNode(spec, id, what);
  if (node.memory === null) {
    throw new UsageError({ what, value: id, rule: `node ${id} has no memory, so it has no loaded latency`, fix: "pass a memory node (DRAM socket, CXL expander, HBM)" });
  }
  return node;
}

function initiator(spec: TopologySpec, node: NodeSpec, from: number | undefined): NodeSpec {
  if (from !== undefined) {
    const cpu = findNode(spec, from, "loadedLatencyCurve(options.from)");
    if (cpu.cpus.length === 0) {
      throw new UsageError({ what: "loadedLatencyCurve(options.from)", value: from, rule: `node ${from} has no CPUs to issue traffic`, fix: "pass a node with CPUs" });
    }
    return cpu;
  }
  if (node.cpus.length > 0) return node;
  // A CPU-less expander is measured from the socket its link attaches to, as firmware's HMAT does.
  const host = spec.links.find((l) => l.kind === "cxl" && l.to === node.id)?.from ?? node.socket;
  const cpu = spec.nodes.find((n) => n.socket === host && n.cpus.length > 0) ?? spec.nodes.find((n) => n.cpus.length > 0);
  if (cpu === undefined) {
    throw new UsageError({ what: "loadedLatencyCurve(spec)", value: spec.name, rule: "the topology has no node with CPUs", fix: "add a socket with CPUs" });
  }
  return cpu;
}

function routePeak(spec: TopologySpec, node: NodeSpec, path: LinkPath, readShare: number): number {
  let peak = peakOf(prepareLatency(node.memory!), readShare);
  for (const c of path.crossings) {
    const link = spec.links[c.link]!;
    if (readShare > 0) peak = Math.min(peak, linkCapacity(link, c.readDirection) / readShare);
    if (readShare < 1) peak = Math.min(peak, linkCapacity(link, c.readDirection === 0 ? 1 : 0) / (1 - readShare));
  }
  return peak;
}

/**
 * The most a memory node can deliver to a CPU node at a read share (GB/s): its own peak, or less
 * when a link direction on the route fills first. Reads and writes load opposite directions, so
 * a CXL node behind a full-duplex link delivers more for mixed traffic than for reads alone.
 *
 * @example
 * routePeakBandwidth(spec, 1, 1)    // 26.55: the link's device-to-host capacity
 * routePeakBandwidth(spec, 1, 0.58) // more: writes use the other direction
 */
export function routePeakBandwidth(spec: TopologySpec, node: number, readShare: number, from?: number): number {
  const mem = memoryNode(spec, node, "routePeakBandwidth(node)");
  checkReadShare(readShare, "routePeakBandwidth(readShare)");
  const cpu = initiator(spec, mem, from);
  return routePeak(spec, mem, linkPath(spec, cpu.id, mem.id), readShare);
}

/**
 * A loaded-latency curve in open-loop mode: `points` loads evenly spaced from 0 to the route's
 * peak (or `options.maxGBps`), each with the latency a read from the CPU node sees.
 *
 * @example
 * const curve = loadedLatencyCurve(presets.sprCxl(), 0, 1, 50);
 * curve[0].latencyNs;                  // the idle latency
 * curve[curve.length - 1].utilisation; // 1
 */
export function loadedLatencyCurve(
  spec: TopologySpec,
  node: number,
  readShare: number,
  points = 50,
  options: LoadedLatencyCurveOptions = {},
): LoadedLatencyPoint[] {
  const mem = memoryNode(spec, node, "loadedLatencyCurve(node)");
  checkReadShare(readShare, "loadedLatencyCurve(readShare)");
  if (!Number.isInteger(points) || points < 2) {
    throw new UsageError({ what: "loadedLatencyCurve(points)", value: points, rule: "a curve needs a whole number of at least 2 points", fix: "pass e.g. 50" });
  }
  const cpu = initiator(spec, mem, options.from);
  const path = linkPath(spec, cpu.id, mem.id);
  const peak = routePeak(spec, mem, path, readShare);
  const max = options.maxGBps ?? peak;
  if (typeof max !== "number" || !(max > 0) || !Number.isFinite(max)) {
    throw new UsageError({ what: "loadedLatencyCurve(options.maxGBps)", value: max, rule: "the highest load must be a finite number > 0 GB/s", fix: "omit it to stop at the route's peak, or pass e.g. 300" });
  }
  const model = prepareLatency(mem.memory!);
  // A read probe waits in the read-data direction of each link; writes fill the other one.
  const queues = path.crossings.map((c) => prepareLinkQueue(spec.links[c.link]!, c.readDirection));
  const out: LoadedLatencyPoint[] = [];
  for (let i = 0; i < points; i++) {
    const bw = (max * i) / (points - 1);
    let latency = latencyOf(model, bw, readShare) + path.fixedLatencyNs;
    for (const q of queues) latency += linkQueueLatency(q, bw * readShare);
    out.push({ bandwidthGBps: bw, latencyNs: latency, utilisation: peak > 0 ? bw / peak : 0 });
  }
  return out;
}
