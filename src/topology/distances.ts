/**
 * SLIT distances (kernel-model.md §3.1): the spec's matrix when given, else derived the way a
 * firmware writer would from the machine's unloaded latencies.
 *
 * Derived rule (tiersim's, documented because firmware has no single rule):
 *   d(a, a) = 10 (LOCAL_DISTANCE)
 *   d(a, b) = clamp(round(10 * lat(a, b) / R), floor, 254)
 *   lat(a, b) = R + extra(a) + interconnect latency between their sockets + extra(b)
 *   extra(n) = max(0, idleLatency(n) - R) for a node with memory, 0 for a memoryless node
 *   R = idle latency of the lowest-id node with CPUs and memory (the local DRAM latency);
 *       without such a node, the lowest idle latency of any memory node
 *   floor = 12 between nodes of one socket, 13 between sockets
 * So a CPU node's distance to memory is 10 x (latency from its socket / local DRAM latency); a
 * CPU-less node is reached through the socket it is attached to, and between two CPU-less nodes
 * both attachment paths are added. The rule is symmetric. The floors only bind for nodes whose
 * latencies are (nearly) equal: sub-NUMA siblings (same socket, same latency) come out 12, as
 * Intel SNC BIOSes report, and a remote socket always farther. Floors are kept low on purpose:
 * a floor of REMOTE_DISTANCE 20 would fold remote DRAM and remote CXL into one distance and
 * change the zonelist order.
 *
 * What real machines report (from memory of published numactl output; pass such matrices
 * explicitly to mimic a machine):
 *   2-socket Intel Xeon: 10/21; 2-socket AMD EPYC: 10/32;
 *   Sapphire Rapids SNC4: 10 local, 12 other cluster of the socket, 21 remote socket;
 *   Xeon Max flat mode: HBM nodes about 13 from their own socket's DDR, about 23 from the other;
 *   2-socket SPR with one CXL expander per socket, BIOS SRAT/SLIT, e.g.
 *     [[10,21,14,24],[21,10,24,14],[14,24,10,26],[24,14,26,10]];
 *   on x86, a node beyond the firmware table (a CXL window without SLIT rows) gets
 *     REMOTE_DISTANCE 20 from every other node (numa_alloc_distance's default, __node_distance).
 * Real tables are conventions rather than latency ratios (CXL at 2.2x DRAM latency shows as 14),
 * so the derived matrix can order nodes differently from a real machine's.
 */
import { UsageError } from "../core/errors.js";
import { socketRoute } from "./access.js";
import type { NodeSpec, TopologySpec } from "./types.js";

/** ACPI/Linux LOCAL_DISTANCE. */
export const LOCAL_DISTANCE = 10;
/** ACPI/Linux REMOTE_DISTANCE: the default for one hop. */
export const REMOTE_DISTANCE = 20;
/** The largest reachable SLIT entry (255 means unreachable). */
export const MAX_DISTANCE = 254;
/** tiersim's floor for two nodes of one socket (Intel SNC reports 12). */
export const SAME_SOCKET_MIN_DISTANCE = 12;
/** tiersim's floor between sockets: one more than a same-socket sibling. */
export const CROSS_SOCKET_MIN_DISTANCE = 13;

/**
 * The SLIT matrix with rows and columns in ascending node-id order: the spec's own when given,
 * otherwise derived by the rule in this file's header.
 *
 * @example
 * slitDistances(spec) // [[10, 21], [21, 10]]
 */
export function slitDistances(spec: TopologySpec): number[][] {
  const nodes = [...spec.nodes].sort((a, b) => a.id - b.id);
  if (spec.distances !== null) return checkedMatrix(spec.distances, nodes.length);
  const reference = referenceLatency(nodes);
  const extra = (n: NodeSpec): number => (n.memory === null ? 0 : Math.max(0, n.memory.idleLatencyNs - reference));
  return nodes.map((a) =>
    nodes.map((b) => {
      if (a.id === b.id) return LOCAL_DISTANCE;
      const latency = reference + extra(a) + socketRoute(spec, a.socket, b.socket).latencyNs + extra(b);
      const floor = a.socket === b.socket ? SAME_SOCKET_MIN_DISTANCE : CROSS_SOCKET_MIN_DISTANCE;
      return Math.min(MAX_DISTANCE, Math.max(floor, Math.round((LOCAL_DISTANCE * latency) / reference)));
    }),
  );
}

function referenceLatency(nodes: readonly NodeSpec[]): number {
  const local = nodes.find((n) => n.cpus.length > 0 && n.memory !== null);
  if (local?.memory) return local.memory.idleLatencyNs;
  const latencies = nodes.flatMap((n) => (n.memory === null ? [] : [n.memory.idleLatencyNs]));
  if (latencies.length === 0) {
    throw new UsageError({
      what: "topology.nodes",
      value: nodes.map((n) => n.id),
      rule: "a machine needs at least one node with memory (Linux cannot boot without N_MEMORY)",
      fix: "give at least one node a memory, e.g. memory: { kind: \"dram\", capacity: \"64GiB\", ... }",
    });
  }
  return Math.min(...latencies);
}

function checkedMatrix(matrix: readonly (readonly number[])[], size: number): number[][] {
  const fix = `give ${size} rows of ${size} integers in ascending node-id order, 10 on the diagonal`;
  if (matrix.length !== size || matrix.some((row) => row.length !== size)) {
    throw new UsageError({ what: "topology.distances", value: matrix, rule: `must be a ${size}x${size} matrix (one row and column per node)`, fix });
  }
  matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      const ok = Number.isInteger(v) && (i === j ? v === LOCAL_DISTANCE : v > LOCAL_DISTANCE && v <= MAX_DISTANCE);
      if (!ok) {
        throw new UsageError({
          what: `topology.distances[${i}][${j}]`,
          value: v,
          rule: i === j ? "the distance of a node to itself is LOCAL_DISTANCE 10" : "a remote distance is an integer in 11..254",
          fix,
        });
      }
    }),
  );
  return matrix.map((row) => [...row]);
}
