/**
 * The links an access crosses between a CPU node and a memory node, and the queueing delay a
 * loaded link adds.
 *
 * Every link has two directions with their own capacity. Direction 0 carries data toward the
 * link's `from` end (CXL: device to host, the reads) at `readBandwidthGBps`; direction 1 carries
 * data toward `to` (CXL: host to device, the writes) at `writeBandwidthGBps`. Read data and write
 * data of one access stream therefore load opposite directions, which is why mixed traffic gets
 * more through a CXL link than reads alone (calibration.md §4, full-duplex remark).
 *
 * Fixed latency: an interconnect hop adds its `latencyNs`. A CXL link's `latencyNs` is not added
 * again: a CXL node's `idleLatencyNs` is "device plus link" as seen from its host socket
 * (MemorySpec contract), so only the link's queueing delay is added on top.
 */
import { UsageError } from "../core/errors.js";
import type { LinkSpec, NodeSpec, TopologySpec } from "../topology/types.js";
import { latencyOf, prepareDefaultShape, type PreparedLatency } from "./curves.js";

/**
 * Queueing on a link follows the default loaded-latency shape scaled to this reference delay,
 * or to the link's own latency when that is larger. A floor keeps a link with no stated latency
 * from having unlimited capacity: what saturates it is the steep end of that shape.
 *
 * @example
 * LINK_QUEUE_FLOOR_NS // 40
 */
export const LINK_QUEUE_FLOOR_NS: number = 40;

/**
 * One link crossed by an access; `readDirection` is the direction its read data travels.
 *
 * @example
 * { link: 0, readDirection: 0 } // spec.links[0], reads flowing toward its `from` end
 */
export interface LinkCrossing {
  /** Index of the link in `TopologySpec.links`. */
  readonly link: number;
  /** 0 = toward the link's `from` end (CXL: device to host), 1 = toward its `to` end. */
  readonly readDirection: 0 | 1;
}

/**
 * The route from a CPU node to a memory node: links crossed and the fixed latency they add.
 *
 * @example
 * linkPath(presets.twoSocketCxl(), 1, 0) // { crossings: [{ link: 2, readDirection: 1 }], fixedLatencyNs: 70 }
 */
export interface LinkPath {
  readonly crossings: readonly LinkCrossing[];
  /** Latency added to every access on this route, ns (interconnect hops). */
  readonly fixedLatencyNs: number;
}

function nodeById(spec: TopologySpec, id: number, what: string): NodeSpec {
  const node = spec.nodes.find((n) => n.id === id);
  if (node === undefined) {
    const ids = spec.nodes.map((n) => n.id).join(", ");
    throw new UsageError({ what, value: id, rule: `there is no node ${id} in topology "${spec.name}"`, fix: `use one of the node ids ${ids}` });
  }
  return node;
}

/**
 * Shortest interconnect route between two sockets (fewest hops; ties go to the lower link
 * index so routes are deterministic). Returns the crossings with the direction read data
 * travels: from socket `memory` back to socket `cpu`.
 */
function socketRoute(spec: TopologySpec, cpu: number, memory: number): LinkCrossing[] | null {
  if (cpu === memory) return [];
  const prev = new Map<number, LinkCrossing & { socket: number }>();
  const seen = new Set<number>([cpu]);
  let frontier = [cpu];
  while (frontier.length > 0 && !seen.has(memory)) {
    const next: number[] = [];
    for (const s of frontier) {
      spec.links.forEach((l, i) => {
        if (l.kind !== "interconnect") return;
        const other = l.from === s ? l.to : l.to === s ? l.from : null;
        if (other === null || seen.has(other)) return;
        seen.add(other);
        // Data flows from `other` back toward `s`: direction 0 when `s` is the link's from end.
        prev.set(other, { link: i, readDirection: l.from === s ? 0 : 1, socket: s });
        next.push(other);
      });
    }
    frontier = next;
  }
  if (!seen.has(memory)) return null;
  const route: LinkCrossing[] = [];
  for (let s = memory; s !== cpu; ) {
    const step = prev.get(s)!;
    route.unshift({ link: step.link, readDirection: step.readDirection });
    s = step.socket;
  }
  return route;
}

/**
 * The links an access from CPU node `cpuNode` to memory node `memoryNode` crosses, and the
 * fixed latency they add on top of the memory node's own latency.
 *
 * @example
 * linkPath(presets.sprCxl(), 0, 1) // { crossings: [{ link: 0, readDirection: 0 }], fixedLatencyNs: 0 }
 */
export function linkPath(spec: TopologySpec, cpuNode: number, memoryNode: number): LinkPath {
  // The simulator re-solves every epoch on the same spec object: routes are worth keeping.
  let routes = pathCache.get(spec);
  if (routes === undefined) pathCache.set(spec, (routes = new Map()));
  const key = `${cpuNode}>${memoryNode}`;
  let path = routes.get(key);
  if (path === undefined) routes.set(key, (path = findPath(spec, cpuNode, memoryNode)));
  return path;
}

const pathCache = new WeakMap<TopologySpec, Map<string, LinkPath>>();

function findPath(spec: TopologySpec, cpuNode: number, memoryNode: number): LinkPath {
  const cpu = nodeById(spec, cpuNode, "linkPath(cpuNode)");
  const mem = nodeById(spec, memoryNode, "linkPath(memoryNode)");
  const cxlLinks = spec.links.map((l, i) => [l, i] as const).filter(([l]) => l.kind === "cxl" && l.to === mem.id);
  // An expander reachable from several hosts is reached through the CPU's own socket if it can be.
  const cxl = cxlLinks.find(([l]) => l.from === cpu.socket) ?? cxlLinks[0];
  const homeSocket = cxl === undefined ? mem.socket : cxl[0].from;
  const route = socketRoute(spec, cpu.socket, homeSocket);
  if (route === null) {
    throw new UsageError({
      what: `route from node ${cpuNode} to node ${memoryNode}`,
      value: `socket ${cpu.socket} -> socket ${homeSocket}`,
      rule: "memory on another socket is reached over interconnect links, and none connects these sockets",
      fix: `add an interconnect link between socket ${cpu.socket} and socket ${homeSocket}`,
    });
  }
  const fixedLatencyNs = route.reduce((sum, c) => sum + spec.links[c.link]!.latencyNs, 0);
  const crossings = cxl === undefined ? route : [...route, { link: cxl[1], readDirection: 0 as const }];
  return { crossings, fixedLatencyNs };
}

/**
 * Capacity (GB/s) of one direction of a link: direction 0 (toward `from`, CXL reads) uses
 * `readBandwidthGBps`, direction 1 (toward `to`, CXL writes) `writeBandwidthGBps`.
 *
 * @example
 * linkCapacity(spec.links[0], 0) // 26.55 for a CXL link declared with readBandwidth "26.55GB/s"
 */
export function linkCapacity(link: LinkSpec, direction: 0 | 1): number {
  return direction === 0 ? link.readBandwidthGBps : link.writeBandwidthGBps;
}

/**
 * Prepares the queueing model of one link direction for {@link linkQueueLatency}.
 *
 * @example
 * const q = prepareLinkQueue(spec.links[0], 0);
 */
export function prepareLinkQueue(link: LinkSpec, direction: 0 | 1): PreparedLatency {
  let pair = queueCache.get(link);
  if (pair === undefined) {
    const reference = Math.max(LINK_QUEUE_FLOOR_NS, link.latencyNs);
    pair = [prepareDefaultShape(reference, linkCapacity(link, 0)), prepareDefaultShape(reference, linkCapacity(link, 1))];
    queueCache.set(link, pair);
  }
  return pair[direction];
}

const queueCache = new WeakMap<LinkSpec, readonly [PreparedLatency, PreparedLatency]>();

/**
 * Queueing delay (ns) one direction of a link adds when it carries `loadGBps`: nothing at idle,
 * about the reference delay again at capacity, and steep growth past it.
 *
 * @example
 * linkQueueLatency(prepareLinkQueue(cxlLink, 0), 13) // a few ns at half load
 */
export function linkQueueLatency(queue: PreparedLatency, loadGBps: number): number {
  return latencyOf(queue, loadGBps, 1) - queue.idleNs;
}
