import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { WeightedInterleaveWeights, reduceInterleaveWeights } from "../../src/policy/weights.js";
import { expectErrno } from "./helpers.js";

const bw = (entries: [number, number][]): Map<number, number> => new Map(entries);

describe("reduceInterleaveWeights (§1.6, calibration.md §3)", () => {
  it("two 200 GB/s DRAM nodes and a 64 GB/s CXL node give 13:13:4", () => {
    expect(reduceInterleaveWeights(bw([[0, 200000], [1, 200000], [2, 64000]]), [0, 1, 2])).toEqual(bw([[0, 13], [1, 13], [2, 4]]));
  });
  it("the STREAM machine's 208.5 and 24.5 GB/s give 28:3", () => {
    expect(reduceInterleaveWeights(bw([[1, 208500], [2, 24500]]), [1, 2])).toEqual(bw([[1, 28], [2, 3]]));
  });
  it("a node without bandwidth data gets weight 1; alone, a node gets 32 then GCD 1", () => {
    expect(reduceInterleaveWeights(bw([[0, 200000]]), [0, 1])).toEqual(bw([[0, 32], [1, 1]]));
    expect(reduceInterleaveWeights(bw([[0, 100]]), [0])).toEqual(bw([[0, 1]]));
  });
  it("a share of 1/32 or less gets 1; equal shares reduce by the GCD", () => {
    expect(reduceInterleaveWeights(bw([[0, 3100], [1, 100]]), [0, 1])).toEqual(bw([[0, 31], [1, 1]]));
    expect(reduceInterleaveWeights(bw([[0, 500], [1, 500]]), [0, 1])).toEqual(bw([[0, 1], [1, 1]]));
    expect(reduceInterleaveWeights(bw([[0, 300], [1, 100]]), [0, 1])).toEqual(bw([[0, 3], [1, 1]]));
  });
  it("ignores nodes outside N_MEMORY", () => {
    // Without node 5: S = 400, weights floor(9600/400) = 24 and floor(3200/400) = 8, GCD 8.
    expect(reduceInterleaveWeights(bw([[0, 300], [1, 100], [5, 10000]]), [0, 1])).toEqual(bw([[0, 3], [1, 1]]));
  });
});

describe("WeightedInterleaveWeights: the sysfs files", () => {
  it("starts in auto mode with every weight 1", () => {
    const w = new WeightedInterleaveWeights([0, 1]);
    expect(w.mode).toBe("auto");
    expect([w.weight(0), w.weight(1), w.weight(7)]).toEqual([1, 1, 1]);
    expect(w.bandwidth()).toBeNull();
  });
  it("writing a node weight switches to manual and keeps the other weights", () => {
    const w = new WeightedInterleaveWeights([0, 1, 2]);
    w.reportBandwidth(0, 200000, 210000);
    w.reportBandwidth(1, 200000, 200000);
    w.reportBandwidth(2, 64000, 70000);
    expect(w.weights()).toEqual(bw([[0, 13], [1, 13], [2, 4]]));
    w.writeNode(2, "5\n");
    expect(w.mode).toBe("manual");
    expect(w.weights()).toEqual(bw([[0, 13], [1, 13], [2, 5]]));
  });
  it("node weights are 1..255 as kstrtou8 reads them; 0, empty, junk and 256 are EINVAL", () => {
    const w = new WeightedInterleaveWeights([0]);
    for (const bad of ["0", "", "\n", "256", "-1", "abc", "1.5", "3 "]) {
      const e = expectErrno(() => w.writeNode(0, bad), "EINVAL");
      expect(e.syscall).toBe("write");
    }
    expect(w.mode).toBe("auto");
    w.writeNode(0, "0x10");
    expect(w.weight(0)).toBe(16);
    w.writeNode(0, "010");
    expect(w.weight(0)).toBe(8);
    w.writeNode(0, 255);
    expect(w.weight(0)).toBe(255);
  });
  it("auto=true without any bandwidth report is ENODEV, even on a fresh system that reads auto", () => {
    const w = new WeightedInterleaveWeights([0, 1]);
    expectErrno(() => w.writeAuto("1"), "ENODEV");
    w.writeNode(0, "9");
    expect(expectErrno(() => w.writeAuto("true"), "ENODEV").explanation).toContain("bandwidth");
    expect(w.mode).toBe("manual");
  });
  it("auto=true recomputes from stored bandwidth, reported even while manual", () => {
    const w = new WeightedInterleaveWeights([1, 2]);
    w.writeNode(1, "9");
    w.reportBandwidth(1, 208500, 300000);
    w.reportBandwidth(2, 24500, 30000);
    expect([w.weight(1), w.weight(2)]).toEqual([9, 1]);
    w.writeAuto("Y");
    expect(w.mode).toBe("auto");
    expect([w.weight(1), w.weight(2)]).toEqual([28, 3]);
  });
  it("auto=false keeps current weights; writing the current mode is a no-op", () => {
    const w = new WeightedInterleaveWeights([0, 1]);
    w.reportBandwidth(0, 300, 300);
    w.reportBandwidth(1, 100, 100);
    w.writeAuto("on");
    w.writeAuto("n");
    expect(w.mode).toBe("manual");
    expect(w.weights()).toEqual(bw([[0, 3], [1, 1]]));
    w.reportBandwidth(1, 300, 300); // manual: weights stay
    expect(w.weight(1)).toBe(1);
    w.writeAuto("0");
    expect(w.mode).toBe("manual");
  });
  it("auto values follow kstrtobool; anything else is EINVAL", () => {
    const w = new WeightedInterleaveWeights([0]);
    for (const bad of ["", "maybe", "o", "ox"]) expectErrno(() => w.writeAuto(bad), "EINVAL");
    w.writeAuto("off");
    expect(w.mode).toBe("manual");
  });
  it("reportAccessCoordinates converts GB/s to MB/s and takes min(read, write)", () => {
    const w = new WeightedInterleaveWeights([1, 2]);
    w.reportAccessCoordinates(1, { readBandwidthGBps: 208.5, writeBandwidthGBps: 300, readLatencyNs: 100, writeLatencyNs: 100 });
    w.reportAccessCoordinates(2, { readBandwidthGBps: 30, writeBandwidthGBps: 24.5, readLatencyNs: 300, writeLatencyNs: 300 });
    expect(w.bandwidth()).toEqual(bw([[1, 208500], [2, 24500]]));
    expect([w.weight(1), w.weight(2)]).toEqual([28, 3]);
    expect(() => w.reportBandwidth(1, -1, 5)).toThrow(UsageError);
  });
  it("before v6.16 there is no auto file and bandwidth never sets weights", () => {
    const w = new WeightedInterleaveWeights([0, 1], { autoTuning: false });
    w.reportBandwidth(0, 300, 300);
    w.reportBandwidth(1, 100, 100);
    expect([w.mode, w.weight(0), w.weight(1)]).toEqual(["manual", 1, 1]);
    expectErrno(() => w.writeAuto("1"), "ENOENT");
    w.writeNode(0, "3");
    expect(w.weight(0)).toBe(3);
  });
});
