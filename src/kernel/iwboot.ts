/**
 * Feeding the policy layer's weighted-interleave state (kernel-model.md §1.6) from firmware:
 * at boot (HMAT) and on hotplug (CDAT) every memory node reports the bandwidth of its CPU
 * access class, the coordinates from its nearest CPU node; nodes without firmware data report
 * nothing (auto weight 1).
 */
import { WeightedInterleaveWeights } from "../policy/weights.js";
import type { KernelTopology } from "../topology/types.js";
import { atLeast } from "./version.js";

/**
 * Reports `node`'s bandwidth to the weight state, if firmware describes it.
 *
 * @example
 * reportNodeBandwidth(weights, topo, 2);
 */
export function reportNodeBandwidth(w: WeightedInterleaveWeights, topo: KernelTopology, node: number): void {
  const initiators = topo.cpuNodes.length > 0 ? topo.cpuNodes : [node];
  const best = [...initiators].sort((a, b) => topo.distance(a, node) - topo.distance(b, node) || a - b)[0]!;
  const coords = topo.access(best, node);
  if (coords) w.reportAccessCoordinates(node, coords);
}

/**
 * The weight state of a freshly booted kernel: auto mode from v6.16 with HMAT bandwidth
 * reported for every memory node.
 *
 * @example
 * const w = bootWeights(topo, "v6.16");
 */
export function bootWeights(topo: KernelTopology, version: string): WeightedInterleaveWeights {
  const w = new WeightedInterleaveWeights(topo.memoryNodes, { autoTuning: atLeast(version, "v6.16") });
  for (const n of topo.memoryNodes) reportNodeBandwidth(w, topo, n);
  return w;
}
