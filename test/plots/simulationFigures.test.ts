/**
 * The figures of a simulation: built from real simulate()/sweep-shaped tables, checked for the
 * traces, labels and units a reader relies on.
 */
import * as aq from "arquero";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { Figure } from "../../src/plots/figure.js";
import { plots } from "../../src/plots/index.js";
import { policy } from "../../src/policy/policySet.js";
import { operatingCurvesTable } from "../../src/results/operatingCurves.js";
import { simulate } from "../../src/sim/simulate.js";
import { presets } from "../../src/topology/presets.js";
import { workload } from "../../src/workload/index.js";

type Trace = Record<string, unknown> & { name: string; x: number[]; y: number[]; text?: string[] };

const machine = presets.sprCxl();
const wl = workload().process("stream", (p) => p.threads(64).on({ node: 0 }).stream({ arraySize: "256MiB" })).build();
const run = simulate({ topology: machine, workload: wl, policy: policy().weights({ 0: 9, 1: 1 }).numactl("stream", "--weighted-interleave=0,1").build(), duration: "2s", seed: 1 });

describe("plots.bandwidthVsWeight", () => {
  const sweepLike = aq.table({ weights: ["1:1", "9:1", "4:1"], traffic_share_node0: [0.5, 0.9, 0.8], bandwidth_gbps: [49, 219, 123] });
  const fig = plots.bandwidthVsWeight(sweepLike, {
    marks: [{ label: "DRAM only", fastShare: 1, bandwidthGBps: 205 }, { label: "auto 28:3", weights: [28, 3], bandwidthGBps: 219 }],
    measured: [{ label: "9:1", weights: [9, 1], bandwidthGBps: 217.7 }],
  });
  const traces = fig.data as unknown as Trace[];

  it("draws the sweep sorted by the fast node's share, the marks and the measured points", () => {
    expect(fig).toBeInstanceOf(Figure);
    expect(traces.map((t) => t.name)).toEqual(["simulated, weight sweep", "simulated, reference policies", "measured"]);
    expect(traces[0]!.x).toEqual([0.5, 0.8, 0.9]);
    expect(traces[0]!.y).toEqual([49, 123, 219]);
    expect(traces[1]!.x).toEqual([1, 28 / 31]);
    expect(traces[1]!.text).toEqual(["DRAM only", "auto 28:3"]);
    expect(traces[2]!.x).toEqual([0.9]);
  });

  it("labels the axis with weight ratios and puts units on bandwidth", () => {
    const x = fig.layout.xaxis as { ticktext: string[]; tickvals: number[]; title: { text: string } };
    expect(x.ticktext).toContain("9:1");
    expect(x.tickvals[x.ticktext.indexOf("9:1")]).toBeCloseTo(0.9);
    expect(x.title.text).toMatch(/node 0 : node 1/);
    expect(fig.layout.yaxis?.title).toEqual({ text: "bandwidth (GB/s)" });
  });

  it("rejects a table without the share column, and points without a position", () => {
    expect(() => plots.bandwidthVsWeight(run.tasks)).toThrow(/traffic_share_node0/);
    expect(() => plots.bandwidthVsWeight(sweepLike, { marks: [{ label: "?", bandwidthGBps: 1 }] })).toThrow(UsageError);
  });
});

describe("plots.operatingPoints", () => {
  const curves = operatingCurvesTable(machine, run.nodes);
  const fig = plots.operatingPoints(curves, run.nodes);
  const traces = fig.data as unknown as Trace[];

  it("draws each node's model curve at its run's read share, with its operating point on it", () => {
    expect(traces.map((t) => t.name)).toEqual(["node 0 dram: model curve", "node 0 dram: operating point", "node 1 cxl: model curve", "node 1 cxl: operating point"]);
    expect(curves.array("read_share")[0]).toBeCloseTo(2 / 3, 6);
    for (const [curve, point] of [[traces[0]!, traces[1]!], [traces[2]!, traces[3]!]] as const) {
      // The operating point lies on its curve within a few percent (mean vs read-probe latency).
      const x = point.x[0]!;
      const i = curve.x.findIndex((v) => v >= x);
      const y = curve.y[i - 1]! + ((curve.y[i]! - curve.y[i - 1]!) * (x - curve.x[i - 1]!)) / (curve.x[i]! - curve.x[i - 1]!);
      expect(Math.abs(point.y[0]! - y) / y).toBeLessThan(0.05);
    }
    expect(traces[3]!.text![0]).toMatch(/GB\/s, \d+% of peak/);
  });

  it("gives each node its own panel", () => {
    expect(traces[2]!.xaxis).toBe("x2");
    expect((fig.layout as Record<string, unknown>).xaxis2).toBeDefined();
    expect(() => operatingCurvesTable(machine, run.summary)).toThrow(UsageError);
  });
});

describe("plots.trafficSplit", () => {
  it("stacks each task's traffic over nodes by its shares", () => {
    const fig = plots.trafficSplit(run.summary);
    const traces = fig.data as unknown as (Trace & { y: string[] })[];
    expect(traces.map((t) => t.name)).toEqual(["node 0", "node 1"]);
    const total = run.summary.get("traffic_gbps", 0) as number;
    expect(traces[0]!.x[0]! + traces[1]!.x[0]!).toBeCloseTo(total, 9);
    expect(traces[1]!.x[0]! / total).toBeCloseTo(0.1, 3);
    expect(traces[0]!.y).toEqual(["stream"]);
    expect(fig.layout.barmode).toBe("stack");
  });

  it("groups by another label column, and names what is missing", () => {
    const t = aq.table({ config: ["a", "b"], traffic_gbps: [10, 20], traffic_share_node0: [1, 0.5], traffic_share_node1: [0, 0.5] });
    expect((plots.trafficSplit(t, { by: "config" }).data[1] as unknown as Trace).x).toEqual([0, 10]);
    expect(() => plots.trafficSplit(t)).toThrow(/task/);
  });
});

describe("plots.tierOccupancy", () => {
  it("stacks bytes per node over time from a run, labelled with kind and tier", () => {
    const fig = plots.tierOccupancy(run);
    const traces = fig.data as unknown as (Trace & { stackgroup: string })[];
    expect(traces.map((t) => t.name)).toEqual(["node 0 dram (memory_tier4)", "node 1 cxl (memory_tier48)"]);
    const last = traces.map((t) => t.y.at(-1)!);
    expect(last[0]! + last[1]!).toBeCloseTo(0.75, 6); // 3 x 256 MiB in GiB
    expect(last[1]! / (last[0]! + last[1]!)).toBeCloseTo(0.1, 3);
    expect(traces.every((t) => t.stackgroup === "bytes")).toBe(true);
    expect(fig.layout.yaxis?.title).toEqual({ text: "memory (GiB)" });
  });

  it("stacks by region on request and refuses things that are not runs", () => {
    const fig = plots.tierOccupancy(run, { by: "region" });
    expect((fig.data as unknown as Trace[]).map((t) => t.name)).toEqual(["stream/a", "stream/b", "stream/c"]);
    expect(() => plots.tierOccupancy(run.summary as never)).toThrow(UsageError);
  });

  it("is what the DESIGN.md snippet's plots.tierOccupancy(run).show() shows (show needs a notebook kernel)", () => {
    expect(() => plots.tierOccupancy(run).show()).toThrow(/notebook/);
  });
});
