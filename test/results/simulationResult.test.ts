/**
 * The result tables as a pure function of a run record: sampling, time-weighted summaries,
 * zero-filled occupancy, exports. A hand-made record keeps every number checkable by hand.
 */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import type { PerformanceSolution } from "../../src/perf/model.js";
import type { RunRecord } from "../../src/results/runRecord.js";
import { RESULT_FORMAT, SimulationResult } from "../../src/results/simulationResult.js";
import { sampleTimes } from "../../src/results/simulationTables.js";
import { summaryColumns } from "../../src/results/summaryRows.js";

function solution(accessesPerSec: number, latencyNs: number): PerformanceSolution {
  const bw = (accessesPerSec * 64) / 1e9;
  return {
    tasks: [{ name: "app", node: 0, accessesPerSec, bandwidthGBps: bw, trafficGBps: bw, readGBps: bw, writeGBps: 0, latencyNs, perThreadAccessesPerSec: accessesPerSec / 4 }],
    nodes: [
      { node: 0, readGBps: bw / 2, writeGBps: 0, bandwidthGBps: bw / 2, readShare: 1, peakGBps: 100, utilisation: bw / 200, latencyNs, saturated: false },
      { node: 1, readGBps: bw / 2, writeGBps: 0, bandwidthGBps: bw / 2, readShare: 1, peakGBps: 20, utilisation: bw / 40, latencyNs: 2 * latencyNs, saturated: false },
    ],
    links: [],
    converged: true,
    sweeps: 3,
    residual: 0,
  };
}

// 0-4 s: 1e9 accesses/s at 100 ns, half on each node; 4-10 s: idle (holding memory only).
const record: RunRecord = {
  scenario: { topology: {} as never, workload: {} as never, duration: "10s", seed: 3 },
  seed: 3,
  durationNs: 10e9,
  epochNs: 2.5e9,
  tasks: [{ task: "app", threads: 4, node: 0, startNs: 0 }],
  memoryNodes: [
    { node: 0, kind: "dram", tier: 4 },
    { node: 1, kind: "cxl", tier: 48 },
  ],
  segments: [
    { startNs: 0, endNs: 4e9, phases: { app: 0 }, traffic: { app: { 0: 0.5, 1: 0.5 } }, solution: solution(1e9, 100) },
    { startNs: 4e9, endNs: 10e9, phases: { app: 1 }, traffic: {}, solution: null },
  ],
  snapshots: [
    { timeNs: 0, occupancy: [{ process: "app", region: "heap", kind: "anon", node: 0, pages: 10 }], vmstat: { numa_hit: 10 } },
    { timeNs: 4e9, occupancy: [{ process: "app", region: "heap", kind: "anon", node: 0, pages: 10 }, { process: "app", region: "log", kind: "file", node: 1, pages: 5 }], vmstat: { numa_hit: 15 } },
  ],
  warnings: [{ code: "w", path: ["x"], message: "m" }],
};
const run = new SimulationResult(record);

describe("SimulationResult tables", () => {
  it("samples every epoch, at every phase change and at the end", () => {
    expect(sampleTimes(10e9, 2.5e9, record.segments)).toEqual([0, 2.5e9, 4e9, 5e9, 7.5e9, 10e9]);
    expect(run.tasks.array("time_s")).toEqual([0, 2.5, 4, 5, 7.5, 10]);
    expect(run.tasks.array("phase")).toEqual([0, 0, 1, 1, 1, 1]);
    expect(run.tasks.array("throughput_accesses_per_s")).toEqual([1e9, 1e9, 0, 0, 0, 0]);
    expect(run.tasks.array("latency_ns")).toEqual([100, 100, null, null, null, null]);
  });

  it("summarises over the task's run time: 4 of 10 s busy, latency over accesses only", () => {
    expect(run.summary.columnNames()).toEqual(summaryColumns(record));
    const row = run.summary.object(0) as Record<string, number>;
    expect(row.throughput_accesses_per_s).toBeCloseTo(0.4e9, 3);
    expect(row.bandwidth_gbps).toBeCloseTo(0.4 * 64, 9);
    expect(row.latency_ns).toBe(100);
    expect(row.traffic_share_node0).toBeCloseTo(0.5, 12);
    expect(row.traffic_share_node1).toBeCloseTo(0.5, 12);
  });

  it("nodes: one row per memory node and sample, idle nodes at zero", () => {
    expect(run.nodes.numRows()).toBe(12);
    const at5 = run.nodes.filter((d: { time_s: number }) => d.time_s === 5).objects() as Record<string, unknown>[];
    expect(at5.map((r) => [r.node, r.kind, r.tier, r.bandwidth_gbps, r.latency_ns])).toEqual([
      [0, "dram", 4, 0, null],
      [1, "cxl", 48, 0, null],
    ]);
  });

  it("occupancy: every (region, node) that ever held pages at every sample, zero before", () => {
    const log = run.occupancy.filter((d: { region: string }) => d.region === "log");
    expect(log.array("pages")).toEqual([0, 0, 5, 5, 5, 5]);
    expect(log.array("bytes").at(-1)).toBe(5 * 4096);
    expect(log.array("tier")[0]).toBe(48);
  });

  it("vmstat: one row per counter and snapshot", () => {
    expect(run.vmstat.objects()).toEqual([
      { time_s: 0, counter: "numa_hit", value: 10 },
      { time_s: 4, counter: "numa_hit", value: 15 },
    ]);
  });

  it("exports each table and the whole result, and names unknown tables", () => {
    expect(run.toCSV("vmstat").trim()).toBe("time_s,counter,value\n0,numa_hit,10\n4,numa_hit,15");
    expect(run.toArrow("summary")).toBeInstanceOf(Uint8Array);
    const json = run.toJSON();
    expect(json.format).toBe(RESULT_FORMAT);
    expect(json.seed).toBe(3);
    expect(json.tables.tasks).toHaveLength(6);
    expect(json.warnings).toEqual(record.warnings);
    expect(run.durationS).toBe(10);
    expect(() => run.table("bogus" as never)).toThrow(UsageError);
  });
});
