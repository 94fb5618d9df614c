/**
 * Calibrated machines. Each preset is a JSON file in datasets/ whose every number cites its
 * source (datasets/README.md); loading goes through topologyFromJSON so a hand-edited dataset is
 * validated exactly like a user's file. Files are read relative to this module so the same code
 * works from src/ (vitest, tsx) and from dist/ (notebooks).
 */
import { readFileSync } from "node:fs";
import { topologyFromJSON } from "./json.js";
import type { TopologySpec } from "./types.js";

function load(file: string): TopologySpec {
  return topologyFromJSON(readFileSync(new URL(`../../datasets/${file}.json`, import.meta.url), "utf8"));
}

/** The preset machines; each call returns a fresh, validated TopologySpec. */
export interface Presets {
  /**
   * One Sapphire Rapids socket plus one CXL expander: the STREAM weighted-interleave machine
   * (calibration.md §1). Node 0 = 80 CPUs (0-79) + 256 GiB DDR5, 208.5238 GB/s (STREAM Triad),
   * Mess 8460Y+ curves; node 1 = CPU-less CXL expander, 128 GiB, 24.4846 GB/s, Mess CXL curves,
   * behind link "cxl0.1" (26.55 GB/s device-to-host, 24.01 GB/s host-to-device, +33 ns).
   * @example presets.sprCxl().nodes.map((n) => n.memory?.kind) // ["dram", "cxl"]
   */
  sprCxl(): TopologySpec;
  /**
   * Two Sapphire Rapids sockets with one CXL expander each. Nodes 0 and 1 = sockets 0 and 1
   * (CPUs 0-79 and 80-159, DDR5 as sprCxl node 0); node 2 = expander on socket 0 (link "cxl0.2"),
   * node 3 = expander on socket 1 (link "cxl1.3"); UPI link "upi0.1" (assumed 128 GB/s, +70 ns).
   * @example presets.twoSocketCxl().links.map((l) => l.id) // ["cxl0.2", "cxl1.3", "upi0.1"]
   */
  twoSocketCxl(): TopologySpec;
  /**
   * One Xeon Max 9480 in HBM flat mode, SNC off. Node 0 = 112 CPUs + 256 GiB DDR5 (Mess SPR
   * figures); node 1 = CPU-less 64 GiB HBM2e, 637.6 GB/s, idle 129 ns (Mess Xeon Max curves).
   * @example presets.xeonMaxFlat().nodes[1].memory?.kind // "hbm"
   */
  xeonMaxFlat(): TopologySpec;
  /**
   * Two Cascade Lake sockets with Optane-like PMEM as system RAM. Nodes 0 and 1 = Xeon Gold 5218
   * sockets (32 CPUs each, 192 GiB DDR4, Mess curves); nodes 2 and 3 = CPU-less PMEM on sockets
   * 0 and 1 (768 GiB, 39.4/13.9 GB/s read/write, 305 ns; Izraelevitz et al. 2019, not calibration.md).
   * @example presets.optanePmem().nodes.filter((n) => n.memory?.kind === "pmem").map((n) => n.id) // [2, 3]
   */
  optanePmem(): TopologySpec;
  /**
   * A Grace CPU Superchip-like machine: nodes 0 and 1 = Grace dies, 72 CPUs and 240 GiB LPDDR5X
   * each (442.1 GB/s, idle 176.6 ns, Mess Grace curve), joined by NVLink-C2C "c2c0.1" (450 GB/s
   * per direction, NVIDIA's public figure).
   * @example presets.grace().nodes[0].cpus.length // 72
   */
  grace(): TopologySpec;
}

/**
 * The calibrated preset machines, as zero-argument functions.
 *
 * @example
 * const machine = presets.sprCxl(); // node 0 = socket with CPUs + DDR5, node 1 = CXL expander
 */
export const presets: Presets = {
  sprCxl: (): TopologySpec => load("spr-cxl"),
  twoSocketCxl: (): TopologySpec => load("two-socket-cxl"),
  xeonMaxFlat: (): TopologySpec => load("xeon-max-flat"),
  optanePmem: (): TopologySpec => load("optane-pmem"),
  grace: (): TopologySpec => load("grace"),
};

/**
 * The names of the presets, in the order above.
 *
 * @example
 * presetNames() // ["sprCxl", "twoSocketCxl", "xeonMaxFlat", "optanePmem", "grace"]
 */
export function presetNames(): string[] {
  return Object.keys(presets);
}
