/**
 * The four-node machine of the seed 002 thread (Gregory Price, 3 Jun 2026):
 *
 *   Fallbacks A: A B
 *   Fallbacks B: B A
 *   Fallbacks C: C A B (Private)
 *   Fallbacks D: D B A (Private)
 *
 * A = node 0 and B = node 1 are sockets with DRAM; C = node 2 and D = node 3 are CXL devices
 * onlined as private nodes, C on socket 0 and D on socket 1. The SLIT puts each device next to
 * its host (14) and far from the other socket (24), so C's list continues with A and D's with B.
 * The device and link numbers are sprCxl's (calibration.md §1); the distances are illustrative.
 */
import { topology } from "./builder.js";
import type { TopologySpec } from "./types.js";

/** Options of {@link privateNodesExample}. */
export interface PrivateNodesExampleOptions {
  /** NP_OPS_* of node C (default MIGRATION, MEMPOLICY: the cxl_mempolicy sample driver, patch 26). */
  readonly opsC?: readonly string[];
  /** NP_OPS_* of node D (default MIGRATION, DEMOTION: the compressed-RAM service, patches 23 and 27). */
  readonly opsD?: readonly string[];
  /** Capacity of each DRAM node (default "64GiB"). */
  readonly dram?: string;
  /** Capacity of each private device (default "32GiB"). */
  readonly device?: string;
}

/**
 * The SLIT of the seed machine, nodes A, B, C, D.
 * @example PRIVATE_EXAMPLE_DISTANCES[2] // [14, 24, 10, 26]
 */
export const PRIVATE_EXAMPLE_DISTANCES: readonly (readonly number[])[] = [
  [10, 21, 14, 24],
  [21, 10, 24, 14],
  [14, 24, 10, 26],
  [24, 14, 26, 10],
];

/**
 * Builds the seed 002 machine: nodes 0 (A), 1 (B) normal sockets, 2 (C), 3 (D) private devices.
 *
 * @example
 * const kt = deriveKernelTopology(privateNodesExample());
 * zonelistsText(kt)
 * // Fallback order for Node 0: 0 1
 * // Fallback order for Node 1: 1 0
 * // Fallback order for Node 2: 2 0 1
 * // Fallback order for Node 3: 3 1 0
 */
export function privateNodesExample(options: PrivateNodesExampleOptions = {}): TopologySpec {
  const dram = { capacity: options.dram ?? "64GiB", readBandwidth: "208.5238GB/s", idleLatency: "111ns", source: "sprCxl node 0 (calibration.md §1), capacity illustrative" };
  const device = { capacity: options.device ?? "32GiB", readBandwidth: "24.4846GB/s", idleLatency: "250ns", source: "sprCxl node 1 (calibration.md §1), capacity illustrative" };
  const link = { readBandwidth: "26.55GB/s", writeBandwidth: "24.01GB/s", latency: "33ns" };
  return topology("seed002-private-nodes")
    .describe("Seed 002 illustration: A, B = sockets with DRAM; C, D = private CXL nodes on sockets 0 and 1")
    .socket(0, { cpus: 4, memory: dram })
    .socket(1, { cpus: 4, memory: dram })
    .interconnect(0, 1, { bandwidth: "128GB/s", latency: "70ns" })
    .privateNode({ socket: 0, node: 2, owner: "cxl_mempolicy", ops: options.opsC ?? ["MIGRATION", "MEMPOLICY"], memory: device, link })
    .privateNode({ socket: 1, node: 3, owner: "cram", ops: options.opsD ?? ["MIGRATION", "DEMOTION"], memory: device, link })
    .distances(PRIVATE_EXAMPLE_DISTANCES)
    .build();
}
