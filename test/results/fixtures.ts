// A hand-written two-socket machine with a CXL expander and a memoryless CPU node, plus a
// hand-written kernel view of it, so table and figure tests do not depend on derive.ts.
import type { KernelTopology, NodeSpec, TopologySpec } from "../../src/topology/types.js";

const GiB = 1024 ** 3;

const dram = (id: number, socket: number, cpus: number[]): NodeSpec => ({
  id,
  socket,
  cpus,
  memory: {
    kind: "dram",
    capacityBytes: 64 * GiB,
    zone: "normal",
    readBandwidthGBps: 250,
    writeBandwidthGBps: 200,
    idleLatencyNs: 110,
    hmat: true,
    online: true,
    curves:
      id === 0
        ? [
            { readShare: 0.5, points: [[0, 120], [100, 150], [180, 400]], source: "mixed" },
            { readShare: 1, points: [[0, 110], [120, 130], [230, 350]], source: "reads" },
          ]
        : [],
  },
  source: "fixture",
});

export const spec: TopologySpec = {
  format: "tiersim.topology/1",
  name: "fixture",
  description: "two sockets, one CXL expander on socket 0, one memoryless node on socket 1",
  nodes: [
    dram(1, 1, [4, 5, 6, 7]),
    dram(0, 0, [0, 1, 2, 3]),
    {
      id: 2,
      socket: 0,
      cpus: [],
      memory: {
        kind: "cxl",
        capacityBytes: 128 * GiB,
        zone: "movable",
        readBandwidthGBps: 60,
        writeBandwidthGBps: 50,
        idleLatencyNs: 250,
        hmat: true,
        online: true,
        curves: [{ readShare: 1, points: [[0, 250], [50, 320], [58, 600]] }],
      },
    },
    { id: 3, socket: 1, cpus: [8, 9], memory: null },
  ],
  links: [
    { id: "cxl0", kind: "cxl", from: 0, to: 2, readBandwidthGBps: 64, writeBandwidthGBps: 48, latencyNs: 70, source: "PCIe 5 x16" },
    { id: "upi", kind: "interconnect", from: 0, to: 1, readBandwidthGBps: 62, writeBandwidthGBps: 62, latencyNs: 60 },
  ],
  distances: null,
};

const tier: Record<number, number> = { 0: 4, 1: 4, 2: 10 };
const adist: Record<number, number> = { 0: 576, 1: 576, 2: 1350 };

function unused(): never {
  throw new Error("not used by the tables");
}

// Partial, so members the kernel view gains later need no stub here; the tables use only these.
const view: Partial<KernelTopology> = {
  spec,
  knobs: { minFreeKbytes: null, watermarkScaleFactor: 10 },
  nodeIds: [0, 1, 2, 3],
  memoryNodes: [0, 1, 2],
  cpuNodes: [0, 1, 3],
  cpuNode: new Map([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => [c, c < 4 ? 0 : c < 8 ? 1 : 3])),
  distance: unused,
  access: unused,
  adistance: (n) => {
    if (!(n in adist)) throw new Error(`node ${n} has no memory`);
    return adist[n]!;
  },
  tiers: [
    { id: 4, start: 512, nodes: [0, 1] },
    { id: 10, start: 1280, nodes: [2] },
  ],
  tierOf: (n) => tier[n] ?? null,
  isToptier: (n) => n !== 2,
  demotionTargets: unused,
  lowerTierNodes: unused,
  zonelist: unused,
  noFallbackZonelist: unused,
  managedPages: unused,
  watermarks: unused,
  minFreeKbytes: 67584,
};

/** The kernel's view of {@link spec} as derive.ts would compute it (kernel-model.md §5.1). */
export const kt = view as KernelTopology;
