/**
 * Topology literals for the perf tests, built from calibration.md numbers, so the perf model can
 * be tested without the topology builder. `sprCxlLike` stands in for presets.sprCxl().
 */
import type { LatencyCurveSpec, MemorySpec, TopologySpec } from "../../src/topology/types.js";

/** Mess, Xeon 8460Y+ (Sapphire Rapids), 8ch DDR5-4800, calibration.md §4. */
export const SPR_8460Y_CURVES: readonly LatencyCurveSpec[] = [
  {
    readShare: 1,
    points: [[0, 111], [89, 117], [138, 123], [178, 133], [203, 140], [221, 148], [232, 156], [246, 166], [253, 177], [262, 196], [267.4, 223.2]],
  },
  {
    readShare: 0.5,
    points: [[0, 111], [43, 117], [83, 124], [106, 131], [134, 143], [154, 154], [167, 163], [186, 182], [205, 210], [236.6, 364.3]],
  },
];

/** Mess, Xeon 8480+ (Sapphire Rapids), 16x16 GB DDR5-4800, calibration.md §4. */
export const SPR_8480_CURVES: readonly LatencyCurveSpec[] = [
  { readShare: 1, points: [[0, 117], [71, 124], [114, 131], [148, 139], [181, 151], [205, 167], [225, 193], [235, 223], [240.6, 253.6]] },
  { readShare: 0.57, points: [[0, 115], [26, 121], [65, 132], [86, 140], [124, 168], [138, 184], [154, 211], [173, 268], [181, 312], [187, 345], [191.8, 399.8]] },
];

/** Mess, Xeon Gold 5218 (Cascade Lake), 6ch DDR4-2933, calibration.md §4. */
export const CLX_5218_CURVES: readonly LatencyCurveSpec[] = [
  { readShare: 1, points: [[0, 90], [15, 95], [28, 101], [44, 107], [56, 112], [67, 119], [78, 126], [89, 134], [99, 143], [106.2, 157.9]] },
  { readShare: 0.5, points: [[0, 90], [21, 95], [40, 101], [50, 107], [62, 117], [67, 126], [73, 137], [80, 157], [86.5, 271.9]] },
];

export function memory(over: Partial<MemorySpec> & Pick<MemorySpec, "readBandwidthGBps" | "idleLatencyNs">): MemorySpec {
  return {
    kind: "dram",
    capacityBytes: 256 * 2 ** 30,
    zone: "normal",
    writeBandwidthGBps: over.readBandwidthGBps,
    curves: [],
    hmat: true,
    online: true,
    ...over,
  };
}

/** A one-socket machine whose node 0 has the given DRAM curves. */
export function oneSocket(curves: readonly LatencyCurveSpec[], idleLatencyNs: number): TopologySpec {
  const peak = Math.max(...curves.map((c) => c.points[c.points.length - 1]![0]));
  return {
    format: "tiersim.topology/1",
    name: "one-socket",
    description: "one socket, local DRAM only",
    nodes: [{ id: 0, socket: 0, cpus: Array.from({ length: 80 }, (_, i) => i), memory: memory({ readBandwidthGBps: peak, idleLatencyNs, curves }) }],
    links: [],
    distances: null,
  };
}

/**
 * Stand-in for presets.sprCxl(): node 0 = Xeon 8460Y socket with the Mess curves; node 1 = a
 * CPU-less CXL expander whose device sustains 24.5 GB/s (the CXL-only STREAM row) and whose
 * link carries 26.55 GB/s device-to-host and 24.01 GB/s host-to-device (the Mess CXL saturation
 * points: 29.5 x 0.9 reads, 24.5 x 0.98 writes). Idle 250 ns from the host, link included
 * (calibration.md §5: 140-410 ns on real devices; Pond: +70-90 ns over a pool's local DRAM).
 */
export function sprCxlLike(cxlIdleNs = 250): TopologySpec {
  return {
    format: "tiersim.topology/1",
    name: "spr-cxl-like",
    description: "one Sapphire Rapids socket and one CXL expander",
    nodes: [
      { id: 0, socket: 0, cpus: Array.from({ length: 80 }, (_, i) => i), memory: memory({ readBandwidthGBps: 267.4, idleLatencyNs: 110.9, curves: SPR_8460Y_CURVES }) },
      { id: 1, socket: 0, cpus: [], memory: memory({ kind: "cxl", zone: "movable", readBandwidthGBps: 24.5, idleLatencyNs: cxlIdleNs }) },
    ],
    links: [{ id: "cxl0.1", kind: "cxl", from: 0, to: 1, readBandwidthGBps: 26.55, writeBandwidthGBps: 24.01, latencyNs: 33 }],
    distances: null,
  };
}

/**
 * The Mess CXL expander (calibration.md §4) behind the full-duplex link the sprCxl dataset
 * derives from it: the device's own curves, with a sustained bandwidth above the link's so the
 * link decides what read-heavy or write-heavy traffic can get.
 */
export function messCxl(): TopologySpec {
  const curves: LatencyCurveSpec[] = [
    { readShare: 0.02, points: [[0, 107], [24.5, 158]] },
    { readShare: 0.58, points: [[0, 107], [43.7, 370]] },
    { readShare: 0.9, points: [[0, 107], [29.5, 578]] },
  ];
  return {
    format: "tiersim.topology/1",
    name: "mess-cxl",
    description: "one socket and the Mess CXL expander",
    nodes: [
      { id: 0, socket: 0, cpus: Array.from({ length: 80 }, (_, i) => i), memory: memory({ readBandwidthGBps: 267.4, idleLatencyNs: 110.9, curves: SPR_8460Y_CURVES }) },
      { id: 1, socket: 0, cpus: [], memory: memory({ kind: "cxl", zone: "movable", readBandwidthGBps: 60, idleLatencyNs: 140, curves }) },
    ],
    links: [{ id: "cxl0.1", kind: "cxl", from: 0, to: 1, readBandwidthGBps: 26.55, writeBandwidthGBps: 24.01, latencyNs: 33 }],
    distances: null,
  };
}
