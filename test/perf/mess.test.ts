/**
 * Loaded-latency check against the Mess curves (calibration.md §4): the model's latency at 50%
 * and 90% of peak bandwidth is within 10% of the measured curve, in open loop and at closed-loop
 * operating points; and a CXL link passes more mixed read/write traffic than reads alone.
 */
import { describe, expect, it } from "vitest";
import { loadedLatencyCurve, routePeakBandwidth, solvePerformance } from "../../src/perf/index.js";
import type { LatencyCurveSpec } from "../../src/topology/types.js";
import { presets } from "../../src/topology/presets.js";
import { CLX_5218_CURVES, messCxl, oneSocket, SPR_8460Y_CURVES, SPR_8480_CURVES } from "./machines.js";

const TOLERANCE = 0.1;

/** The measured curve, read independently of the model: plain linear interpolation. */
function measured(curve: LatencyCurveSpec, bw: number): number {
  const p = curve.points;
  for (let i = 1; i < p.length; i++) {
    if (bw <= p[i]![0]) return p[i - 1]![1] + ((bw - p[i - 1]![0]) / (p[i]![0] - p[i - 1]![0])) * (p[i]![1] - p[i - 1]![1]);
  }
  throw new Error(`${bw} GB/s is past the curve`);
}

const peakOf = (c: LatencyCurveSpec): number => c.points[c.points.length - 1]![0];

const SYSTEMS = [
  { name: "Xeon 8460Y+", curves: SPR_8460Y_CURVES, idle: 110.9 },
  { name: "Xeon 8480+", curves: SPR_8480_CURVES, idle: 117.2 },
  { name: "Xeon Gold 5218", curves: CLX_5218_CURVES, idle: 90.2 },
];

describe("Mess loaded-latency curves", () => {
  for (const sys of SYSTEMS) {
    for (const curve of sys.curves) {
      it(`${sys.name}, ${Math.round(curve.readShare * 100)}% reads: open-loop latency at 50% and 90% of peak within 10%`, () => {
        const peak = peakOf(curve);
        // 11 points from 0 to the peak put samples at exactly 50% and 90%.
        const model = loadedLatencyCurve(oneSocket(sys.curves, sys.idle), 0, curve.readShare, 11, { maxGBps: peak });
        for (const [index, share] of [[5, 0.5], [9, 0.9]] as const) {
          const want = measured(curve, share * peak);
          const got = model[index]!.latencyNs;
          console.log(`${sys.name} ${Math.round(curve.readShare * 100)}% reads at ${share * 100}% of ${peak} GB/s: model ${got.toFixed(1)} ns, Mess ${want.toFixed(1)} ns`);
          expect(Math.abs(got - want) / want).toBeLessThanOrEqual(TOLERANCE);
        }
      });
    }
  }

  it("closed-loop operating points of an all-read task lie on the measured SPR curve", () => {
    const spec = oneSocket(SPR_8460Y_CURVES, 110.9);
    const curve = SPR_8460Y_CURVES[0]!;
    for (const mlp of [1, 2, 4, 8, 16]) {
      const s = solvePerformance({ topology: spec, tasks: [{ node: 0, threads: 64, mlp, readShare: 1, traffic: { 0: 1 } }] });
      const node = s.nodes[0]!;
      if (node.bandwidthGBps > peakOf(curve)) continue;
      expect(Math.abs(node.latencyNs - measured(curve, node.bandwidthGBps)) / node.latencyNs).toBeLessThanOrEqual(TOLERANCE);
      // Little's law: 64 x MLP misses in flight, each one line, over the access latency.
      expect(s.tasks[0]!.accessesPerSec).toBeCloseTo((64 * mlp) / (s.tasks[0]!.latencyNs * 1e-9), -3);
    }
  });

  it("presets.sprCxl() node 0 keeps the Mess SPR shape at 50% and 90% of its (STREAM-capped) peak", () => {
    const spec = presets.sprCxl();
    for (const curve of SPR_8460Y_CURVES) {
      const model = loadedLatencyCurve(spec, 0, curve.readShare, 11);
      for (const [index, share] of [[5, 0.5], [9, 0.9]] as const) {
        const want = measured(curve, share * peakOf(curve));
        expect(Math.abs(model[index]!.latencyNs - want) / want).toBeLessThanOrEqual(TOLERANCE);
      }
    }
  });

  it("the Mess CXL expander saturates where Mess measured it (29.5, 43.7, 24.5 GB/s)", () => {
    const spec = messCxl();
    for (const [readShare, gbps] of [[0.9, 29.5], [0.58, 43.7], [0.02, 24.5]] as const) {
      const peak = routePeakBandwidth(spec, 1, readShare);
      console.log(`Mess CXL, ${Math.round(readShare * 100)}% reads: route peak ${peak.toFixed(1)} GB/s, Mess ${gbps} GB/s`);
      expect(Math.abs(peak - gbps) / gbps).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it("mixed read/write traffic gets more through a CXL link than reads alone", () => {
    const spec = messCxl();
    expect(routePeakBandwidth(spec, 1, 0.58)).toBeGreaterThan(1.4 * routePeakBandwidth(spec, 1, 1));
    const run = (readShare: number): number =>
      solvePerformance({ topology: spec, tasks: [{ node: 0, threads: 64, mlp: 15, readShare, nonTemporalStores: true, traffic: { 1: 1 } }] }).nodes[1]!.bandwidthGBps;
    const readOnly = run(1);
    const mixed = run(0.58);
    console.log(`Mess CXL closed loop: read-only ${readOnly.toFixed(1)} GB/s, 58% reads ${mixed.toFixed(1)} GB/s`);
    expect(readOnly).toBeLessThan(26.55 * 1.03);
    expect(mixed).toBeGreaterThan(1.4 * readOnly);
  });
});
