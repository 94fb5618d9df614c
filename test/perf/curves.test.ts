import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { DEFAULT_LATENCY_SHAPE, loadedLatency, mixedBandwidth, peakBandwidth } from "../../src/perf/index.js";
import { memory, SPR_8460Y_CURVES } from "./machines.js";

const spr = memory({ readBandwidthGBps: 267.4, idleLatencyNs: 110.9, curves: SPR_8460Y_CURVES });
const plain = memory({ readBandwidthGBps: 100, writeBandwidthGBps: 50, idleLatencyNs: 100 });

describe("loadedLatency", () => {
  it("passes through the measured points of a curve (idle shifted to the node's idle)", () => {
    expect(loadedLatency(spr, 0, 1)).toBeCloseTo(110.9, 6);
    expect(loadedLatency(spr, 178, 1)).toBeCloseTo(110.9 + (133 - 111), 6);
    expect(loadedLatency(spr, 134, 0.5)).toBeCloseTo(110.9 + (143 - 111), 6);
  });

  it("is linear in bandwidth between points", () => {
    const mid = loadedLatency(spr, (203 + 221) / 2, 1);
    expect(mid).toBeCloseTo(110.9 + ((140 + 148) / 2 - 111), 6);
  });

  it("blends curves linearly in read share at equal utilisation", () => {
    const u = 0.6;
    const at = (rs: number): number => loadedLatency(spr, u * peakBandwidth(spr, rs), rs);
    expect(at(0.75)).toBeCloseTo((at(1) + at(0.5)) / 2, 6);
    expect(peakBandwidth(spr, 0.75)).toBeCloseTo((267.4 + 236.6) / 2, 6);
  });

  it("outside the measured read shares, scales the nearest curve's peak by the read/write blend", () => {
    const slowWrites = { ...spr, readBandwidthGBps: 1000, writeBandwidthGBps: 300 };
    const scale = mixedBandwidth(1000, 300, 0.2) / mixedBandwidth(1000, 300, 0.5);
    expect(peakBandwidth(slowWrites, 0.2)).toBeCloseTo(236.6 * scale, 6);
    expect(loadedLatency(slowWrites, 100, 0.2)).toBeGreaterThan(loadedLatency(slowWrites, 100, 0.5));
  });

  it("grows steeply but finitely past the last point", () => {
    const atPeak = loadedLatency(spr, 267.4, 1);
    const onePercentOver = loadedLatency(spr, 267.4 * 1.01, 1);
    const doublePeak = loadedLatency(spr, 2 * 267.4, 1);
    expect(atPeak).toBeCloseTo(223.2 - 0.1, 6);
    expect(onePercentOver).toBeGreaterThan(2.5 * atPeak);
    expect(Number.isFinite(doublePeak)).toBe(true);
    expect(doublePeak).toBeGreaterThan(onePercentOver);
  });

  it("is non-decreasing in bandwidth at every read share", () => {
    for (const rs of [0, 0.3, 0.5, 2 / 3, 0.9, 1]) {
      let prev = 0;
      for (let bw = 0; bw <= 300; bw += 2.5) {
        const l = loadedLatency(spr, bw, rs);
        expect(l).toBeGreaterThanOrEqual(prev);
        prev = l;
      }
    }
  });

  it("without curves follows the rules of thumb: flat to 40%, >= 2x idle at the peak", () => {
    const peak = peakBandwidth(plain, 1);
    expect(peak).toBe(100);
    expect(loadedLatency(plain, 0.4 * peak, 1)).toBeLessThan(1.1 * 100);
    expect(loadedLatency(plain, 0.8 * peak, 1)).toBeLessThan(1.5 * 100);
    expect(loadedLatency(plain, peak, 1)).toBeGreaterThanOrEqual(2 * 100);
    expect(DEFAULT_LATENCY_SHAPE[0]).toEqual([0, 1]);
  });

  it("peak without curves is the harmonic blend of read and write bandwidth", () => {
    expect(peakBandwidth(plain, 0)).toBeCloseTo(50, 9);
    expect(peakBandwidth(plain, 0.5)).toBeCloseTo(mixedBandwidth(100, 50, 0.5), 9);
    expect(mixedBandwidth(100, 50, 0.5)).toBeCloseTo(66.667, 3);
  });

  it("caps the curves at the stated sustained bandwidth, keeping their shape", () => {
    const capped = { ...spr, readBandwidthGBps: 200, writeBandwidthGBps: 200 };
    expect(peakBandwidth(capped, 1)).toBe(200);
    expect(loadedLatency(capped, 0.9 * 200, 1)).toBeCloseTo(loadedLatency(spr, 0.9 * 267.4, 1), 6);
  });

  it("rejects bad input with a UsageError naming the value and the fix", () => {
    expect(() => loadedLatency(spr, 10, 1.5)).toThrow(UsageError);
    expect(() => loadedLatency(spr, 10, 1.5)).toThrow(/readShare.*1\.5.*0\.\.1/);
    expect(() => loadedLatency(spr, -1, 1)).toThrow(/bandwidthGBps\): got -1/);
    expect(() => peakBandwidth({ id: 3, socket: 0, cpus: [1], memory: null }, 1)).toThrow(/memoryless/);
    expect(() => loadedLatency(undefined as never, 1, 1)).toThrow(/loadedLatency\(node\): got undefined/);
  });
});
