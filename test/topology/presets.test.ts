/**
 * Each preset against the numbers it cites (calibration.md sections and the public sources named
 * in datasets/README.md). Expected values are written from the citations, not from the files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { presetNames, presets } from "../../src/topology/presets.js";
import type { LinkSpec, MemorySpec, NodeSpec, TopologySpec } from "../../src/topology/types.js";
import { validateTopology } from "../../src/topology/validate.js";

const GiB = 1024 ** 3;
const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
const mem = (spec: TopologySpec, id: number): MemorySpec => spec.nodes.find((n) => n.id === id)!.memory!;
const node = (spec: TopologySpec, id: number): NodeSpec => spec.nodes.find((n) => n.id === id)!;
const link = (spec: TopologySpec, id: string): LinkSpec => spec.links.find((l) => l.id === id)!;
const points = (m: MemorySpec, share: number): readonly (readonly [number, number])[] => m.curves.find((c) => c.readShare === share)!.points;

// calibration.md §4, Mess curves, copied from the table.
const SPR_100 = [[0, 111], [89, 117], [138, 123], [178, 133], [203, 140], [221, 148], [232, 156], [246, 166], [253, 177], [262, 196], [267, 223]];
const SPR_50 = [[0, 111], [43, 117], [83, 124], [106, 131], [134, 143], [154, 154], [167, 163], [186, 182], [205, 210], [237, 364]];
const HBM_82 = [[0, 129], [127, 135], [442, 157], [512, 165], [541, 173], [569, 184], [638, 197]];
const HBM_50 = [[0, 129], [125, 136], [239, 143], [361, 151], [473, 167], [513, 175], [668, 187], [732, 200], [797, 213], [833, 225]];
const GRACE_100 = [[0, 177], [175, 186], [234, 195], [284, 207], [336, 223], [358, 237], [386, 254], [413, 269], [425, 292], [442, 308]];
const CLX_100 = [[0, 90], [15, 95], [28, 101], [44, 107], [56, 112], [67, 119], [78, 126], [89, 134], [99, 143], [106, 158]];
const CLX_50 = [[0, 90], [21, 95], [40, 101], [50, 107], [62, 117], [67, 126], [73, 137], [80, 157], [87, 272]];

/** calibration.md §3: auto weights from min(read, write) bandwidth, reduced by the GCD. */
function autoWeights(bws: number[]): number[] {
  const s = bws.reduce((a, b) => a + b, 0);
  const w = bws.map((bw) => (bw > 0 && s < 32 * bw ? Math.floor((32 * bw) / s) : 1));
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = w.reduce(gcd);
  return w.map((x) => x / g);
}

function expectSprDram(m: MemorySpec): void {
  expect(m.kind).toBe("dram");
  expect(m.zone).toBe("normal");
  expect(m.capacityBytes).toBe(256 * GiB);
  // STREAM Triad, DRAM only: 208523.8 MB/s (calibration.md §1).
  expect(m.readBandwidthGBps).toBe(208.5238);
  expect(m.writeBandwidthGBps).toBe(208.5238);
  expect(m.idleLatencyNs).toBe(110.9);
  expect(points(m, 1)).toEqual(SPR_100);
  expect(points(m, 0.5)).toEqual(SPR_50);
  expect(m.hmat).toBe(true);
  expect(m.online).toBe(true);
}

function expectCxlExpander(m: MemorySpec, l: LinkSpec): void {
  expect(m.kind).toBe("cxl");
  expect(m.zone).toBe("movable");
  expect(m.capacityBytes).toBe(128 * GiB);
  // STREAM Triad, CXL only: 24484.6 MB/s (calibration.md §1).
  expect(m.readBandwidthGBps).toBe(24.4846);
  expect(m.writeBandwidthGBps).toBe(24.4846);
  // Mess CXL (calibration.md §4): idle ~107 ns at the device, plus the link.
  expect(m.idleLatencyNs).toBe(107 + l.latencyNs);
  expect(points(m, 0.9)).toEqual([[0, 107], [29.5, 578]]);
  expect(points(m, 0.58)).toEqual([[0, 107], [43.7, 370]]);
  expect(points(m, 0.02)).toEqual([[0, 107], [24.5, 158]]);
  // Full-duplex link from the saturation points: reads carry 90% of 29.5, writes 98% of 24.5.
  expect(l.kind).toBe("cxl");
  expect(l.readBandwidthGBps).toBe(26.55);
  expect(l.readBandwidthGBps).toBeCloseTo(0.9 * 29.5, 12);
  expect(l.writeBandwidthGBps).toBe(24.01);
  expect(l.writeBandwidthGBps).toBeCloseTo(0.98 * 24.5, 12);
  expect(l.latencyNs).toBe(33);
  // The 58%-read saturation (43.7 GB/s) fits under both directions: a full-duplex link.
  expect(0.58 * 43.7).toBeLessThan(l.readBandwidthGBps);
  expect(0.42 * 43.7).toBeLessThan(l.writeBandwidthGBps);
}

describe("presets", () => {
  it("lists the five presets", () => {
    expect(presetNames()).toEqual(["sprCxl", "twoSocketCxl", "xeonMaxFlat", "optanePmem", "grace"]);
  });

  it.each(presetNames())("%s is valid and returns a fresh spec each call", (name) => {
    const make = presets[name as keyof typeof presets];
    expect(validateTopology(make())).toEqual([]);
    expect(make()).not.toBe(make());
    expect(make()).toEqual(make());
    expect(make().name).toBe(name);
  });

  it("sprCxl: node 0 = socket with CPUs + DDR5, node 1 = CPU-less CXL expander (calibration.md §1, §4)", () => {
    const spec = presets.sprCxl();
    expect(spec.nodes.map((n) => [n.id, n.socket])).toEqual([[0, 0], [1, 0]]);
    expect(node(spec, 0).cpus).toEqual(range(0, 80));
    expect(node(spec, 1).cpus).toEqual([]);
    expectSprDram(mem(spec, 0));
    expect(spec.links.map((l) => [l.id, l.from, l.to])).toEqual([["cxl0.1", 0, 1]]);
    expectCxlExpander(mem(spec, 1), link(spec, "cxl0.1"));
    expect(spec.distances).toBeNull();
  });

  it("sprCxl reproduces calibration.md's derived figures: 28:3 auto weights, 49.0 and 231.7 GB/s bounds", () => {
    const spec = presets.sprCxl();
    const bw = [0, 1].map((id) => Math.min(mem(spec, id).readBandwidthGBps, mem(spec, id).writeBandwidthGBps));
    expect(autoWeights(bw)).toEqual([28, 3]);
    const [dram, cxl] = bw as [number, number];
    expect(Math.round(10 * 2 * Math.min(dram, cxl)) / 10).toBe(49.0);
    expect(Math.round(10 * Math.min(dram / 0.9, cxl / 0.1)) / 10).toBe(231.7);
  });

  it("twoSocketCxl: nodes 0,1 = sockets, node 2 on socket 0, node 3 on socket 1", () => {
    const spec = presets.twoSocketCxl();
    expect(spec.nodes.map((n) => [n.id, n.socket, n.cpus.length, n.memory!.kind])).toEqual([
      [0, 0, 80, "dram"],
      [1, 1, 80, "dram"],
      [2, 0, 0, "cxl"],
      [3, 1, 0, "cxl"],
    ]);
    expect(node(spec, 1).cpus).toEqual(range(80, 80));
    expectSprDram(mem(spec, 0));
    expectSprDram(mem(spec, 1));
    expect(spec.links.map((l) => [l.id, l.kind, l.from, l.to])).toEqual([
      ["cxl0.2", "cxl", 0, 2],
      ["cxl1.3", "cxl", 1, 3],
      ["upi0.1", "interconnect", 0, 1],
    ]);
    expectCxlExpander(mem(spec, 2), link(spec, "cxl0.2"));
    expectCxlExpander(mem(spec, 3), link(spec, "cxl1.3"));
    // Assumed: 4 UPI 2.0 links x 32 GB/s per direction; +70 ns.
    expect(link(spec, "upi0.1")).toMatchObject({ readBandwidthGBps: 4 * 32, writeBandwidthGBps: 4 * 32, latencyNs: 70 });
  });

  it("xeonMaxFlat: node 0 = CPUs + DDR5, node 1 = CPU-less HBM2e (Mess Xeon Max 9480)", () => {
    const spec = presets.xeonMaxFlat();
    expect(node(spec, 0).cpus).toEqual(range(0, 112));
    expect(mem(spec, 0)).toMatchObject({ kind: "dram", zone: "normal", readBandwidthGBps: 267.4, writeBandwidthGBps: 267.4, idleLatencyNs: 110.9 });
    expect(points(mem(spec, 0), 1)).toEqual(SPR_100);
    expect(node(spec, 1)).toMatchObject({ id: 1, socket: 0, cpus: [] });
    expect(mem(spec, 1)).toMatchObject({ kind: "hbm", zone: "normal", capacityBytes: 64 * GiB, readBandwidthGBps: 637.6, writeBandwidthGBps: 637.6, idleLatencyNs: 129.0 });
    expect(points(mem(spec, 1), 0.82)).toEqual(HBM_82);
    expect(points(mem(spec, 1), 0.5)).toEqual(HBM_50);
    expect(spec.links).toEqual([]);
  });

  it("optanePmem: Cascade Lake sockets 0,1 with PMEM nodes 2 (socket 0) and 3 (socket 1)", () => {
    const spec = presets.optanePmem();
    expect(spec.nodes.map((n) => [n.id, n.socket, n.cpus.length, n.memory!.kind])).toEqual([
      [0, 0, 32, "dram"],
      [1, 1, 32, "dram"],
      [2, 0, 0, "pmem"],
      [3, 1, 0, "pmem"],
    ]);
    for (const id of [0, 1]) {
      expect(mem(spec, id)).toMatchObject({ capacityBytes: 192 * GiB, readBandwidthGBps: 106.2, writeBandwidthGBps: 106.2, idleLatencyNs: 90.2 });
      expect(points(mem(spec, id), 1)).toEqual(CLX_100);
      expect(points(mem(spec, id), 0.5)).toEqual(CLX_50);
    }
    for (const id of [2, 3]) {
      // Izraelevitz et al. 2019 (not calibration.md).
      expect(mem(spec, id)).toMatchObject({ zone: "movable", capacityBytes: 768 * GiB, readBandwidthGBps: 39.4, writeBandwidthGBps: 13.9, idleLatencyNs: 305, curves: [] });
    }
    expect(link(spec, "upi0.1")).toMatchObject({ kind: "interconnect", from: 0, to: 1, readBandwidthGBps: 2 * 20.8, writeBandwidthGBps: 2 * 20.8, latencyNs: 50 });
  });

  it("grace: two Grace dies with LPDDR5X joined by NVLink-C2C", () => {
    const spec = presets.grace();
    expect(spec.nodes.map((n) => [n.id, n.socket, n.cpus])).toEqual([
      [0, 0, range(0, 72)],
      [1, 1, range(72, 72)],
    ]);
    for (const id of [0, 1]) {
      expect(mem(spec, id)).toMatchObject({ kind: "dram", capacityBytes: 240 * GiB, readBandwidthGBps: 442.1, writeBandwidthGBps: 442.1, idleLatencyNs: 176.6 });
      expect(points(mem(spec, id), 1)).toEqual(GRACE_100);
    }
    expect(link(spec, "c2c0.1")).toMatchObject({ kind: "interconnect", readBandwidthGBps: 900 / 2, writeBandwidthGBps: 900 / 2, latencyNs: 80 });
  });
});

describe("datasets cite every number", () => {
  const dir = new URL("../../datasets/", import.meta.url);
  // Other datasets (measured curves) may join these; the topology presets are these five.
  const files = ["spr-cxl.json", "two-socket-cxl.json", "xeon-max-flat.json", "optane-pmem.json", "grace.json"];

  /** Objects that hold numbers (directly or in number arrays), with their JSON path. */
  function numberHolders(v: unknown, path: string, out: [string, Record<string, unknown>][]): void {
    if (Array.isArray(v)) v.forEach((x, i) => numberHolders(x, `${path}[${i}]`, out));
    else if (typeof v === "object" && v !== null) {
      const o = v as Record<string, unknown>;
      const holds = Object.entries(o).some(([k, x]) => k !== "distances" && (typeof x === "number" || (Array.isArray(x) && x.some((y) => typeof y === "number" || Array.isArray(y)))));
      if (holds) out.push([path, o]);
      for (const [k, x] of Object.entries(o)) numberHolders(x, `${path}.${k}`, out);
    }
  }

  it("has one dataset per preset", () => {
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(files));
  });

  it.each(files)("%s: every object holding a number has a source", (file) => {
    const holders: [string, Record<string, unknown>][] = [];
    numberHolders(JSON.parse(readFileSync(new URL(file, dir), "utf8")), "$", holders);
    expect(holders.length).toBeGreaterThan(0);
    const missing = holders.filter(([, o]) => typeof o.source !== "string" || o.source.length < 10).map(([p]) => p);
    expect(missing).toEqual([]);
  });

  it.each(files)("%s: numbers not from calibration.md are marked assumed or not from calibration.md", (file) => {
    const spec = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as TopologySpec;
    for (const n of spec.nodes) expect(n.memory!.source).toMatch(/capacityBytes [^.]*(assumed|not from calibration\.md)/);
    for (const l of spec.links.filter((x) => x.kind === "interconnect")) expect(l.source).toMatch(/^Not from calibration\.md\./);
  });

  it("datasets/README.md has a citation row for every dataset", () => {
    const readme = readFileSync(new URL("README.md", dir), "utf8");
    for (const f of files) expect(readme).toContain(`\`${f}\``);
  });
});
