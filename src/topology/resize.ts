/**
 * A machine with less (or more) memory on some nodes than its preset: the quickest way to put
 * a working set under memory pressure, which is when placement, reclaim and demotion matter.
 * Bandwidth, latency and curves stay those of the device.
 */
import { UsageError } from "../core/errors.js";
import { parseSize, type Size } from "../core/units.js";
import type { NodeSpec, TopologySpec } from "./types.js";

/**
 * Returns a copy of `spec` whose listed nodes have the given memory capacity.
 *
 * @example
 * const small = withMemoryCapacity(presets.twoSocketCxl(), { 0: "16GiB", 1: "16GiB" });
 */
export function withMemoryCapacity(spec: TopologySpec, capacities: Readonly<Record<number, Size>>): TopologySpec {
  if (typeof capacities !== "object" || capacities === null) {
    throw new UsageError({ what: "withMemoryCapacity(spec, capacities)", value: capacities, rule: "capacities maps node ids to sizes", fix: 'write { 0: "16GiB" }' });
  }
  const wanted = new Map<number, number>();
  for (const [key, size] of Object.entries(capacities)) {
    const id = Number(key);
    const what = `withMemoryCapacity(spec, { ${key}: ... })`;
    const node = spec.nodes.find((n) => n.id === id);
    if (!node) throw new UsageError({ what, value: key, rule: `node ${key} is not in the topology (nodes: ${spec.nodes.map((n) => n.id).join(", ")})`, fix: "key the capacities by node ids of the machine" });
    if (node.memory === null) throw new UsageError({ what, value: key, rule: `node ${key} is memoryless`, fix: "give capacities to nodes with memory only" });
    const bytes = parseSize(size, what);
    if (!(bytes >= 4096)) throw new UsageError({ what, value: size, rule: "a node's capacity is at least one 4 KiB page", fix: 'write a size such as "16GiB"' });
    wanted.set(id, bytes);
  }
  const nodes: NodeSpec[] = spec.nodes.map((n) => (wanted.has(n.id) && n.memory ? { ...n, memory: { ...n.memory, capacityBytes: wanted.get(n.id)! } } : n));
  return { ...spec, nodes };
}
