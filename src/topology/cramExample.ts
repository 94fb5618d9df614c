/**
 * An example machine with a compressed-RAM tier (CRAM, RFC v4 patches 23 and 27, seed 002,
 * kernel-model.md §6.1): sprCxl's socket (node 0, DRAM) and, behind the same CXL link, a
 * private node 1 owned by "cram" with MIGRATION | DEMOTION | PROTECT_WRITE.
 *
 * Numbers (illustrative, NOT calibrated: no compressed CXL device has published figures here):
 * - DRAM: sprCxl node 0 (calibration.md §1, §4) with a smaller capacity (default 16 GiB).
 * - CRAM node: sprCxl's CXL device (bandwidth, curves, link), plus DECOMPRESS_NS = 120 ns added
 *   to the idle latency and to every curve point (an assumed inline-decompression cost, of the
 *   order reported for hardware compressors); nominal capacity 64 GiB (the address space the
 *   driver onlines), device media 32 GiB, default data ratio 2:1, backpressure at 90% of the
 *   media (COMPRESSION_DEFAULTS).
 */
import { presets } from "./presets.js";
import { topologyFromJSON } from "./json.js";
import { parseSize } from "../core/units.js";
import type { Size } from "../core/units.js";
import type { TopologySpec } from "./types.js";

/**
 * The decompression latency the example adds to the CXL device's latencies, ns (assumed).
 * @example CRAM_DECOMPRESS_NS // 120
 */
export const CRAM_DECOMPRESS_NS = 120;

/** Options of {@link cramMachine}. */
export interface CramMachineOptions {
  /** DRAM capacity of node 0 (default "16GiB"). */
  readonly dram?: Size;
  /** Nominal (onlined) capacity of the CRAM node (default "64GiB"). */
  readonly capacity?: Size;
  /** Device media of the CRAM node (default "32GiB"). */
  readonly device?: Size;
  /** Default data compression ratio (default 2). */
  readonly ratio?: number;
  /** Fraction of the media where backpressure starts (default 0.9). */
  readonly boostAt?: number;
  /** NP_OPS_* of the CRAM node (default MIGRATION, DEMOTION, PROTECT_WRITE). */
  readonly ops?: readonly string[];
}

/**
 * Builds the CRAM example: node 0 = socket with 80 CPUs and DRAM, node 1 = CRAM private node.
 *
 * @example
 * const kt = deriveKernelTopology(cramMachine());
 * kt.privateNodes          // [1]
 * kt.demotionTargets(0)    // [1]
 * cramMachine({ ratio: 3 }).nodes[1].memory?.private?.compression // { ratio: 3, boostAt: 0.9, deviceCapacityBytes: 34359738368 }
 */
export function cramMachine(options: CramMachineOptions = {}): TopologySpec {
  const base = presets.sprCxl();
  const [dram, cxl] = base.nodes as [TopologySpec["nodes"][0], TopologySpec["nodes"][0]];
  const compression = { ratio: options.ratio ?? 2, boostAt: options.boostAt ?? 0.9, deviceCapacityBytes: parseSize(options.device ?? "32GiB", "cramMachine() device") };
  const cram = {
    ...cxl,
    memory: {
      ...cxl.memory!,
      capacityBytes: parseSize(options.capacity ?? "64GiB", "cramMachine() capacity"),
      idleLatencyNs: cxl.memory!.idleLatencyNs + CRAM_DECOMPRESS_NS,
      curves: cxl.memory!.curves.map((c) => ({ ...c, points: c.points.map(([bw, lat]) => [bw, lat + CRAM_DECOMPRESS_NS] as const), source: `${c.source ?? "sprCxl CXL curve"}; +${CRAM_DECOMPRESS_NS} ns decompression (assumed)` })),
      private: { owner: "cram", ops: options.ops ?? ["MIGRATION", "DEMOTION", "PROTECT_WRITE"], compression },
      source: `sprCxl CXL device (calibration.md §1, §4) + ${CRAM_DECOMPRESS_NS} ns assumed decompression; capacity, device media, ratio and boost point illustrative, not calibrated`,
    },
  };
  const spec = {
    ...base,
    name: "sprCram",
    description: "sprCxl socket (node 0, DRAM) + a compressed-RAM private node (node 1, CRAM) behind the CXL link; CRAM numbers illustrative",
    nodes: [{ ...dram, memory: { ...dram.memory!, capacityBytes: parseSize(options.dram ?? "16GiB", "cramMachine() dram") } }, cram],
  };
  return topologyFromJSON(spec as unknown as object);
}
