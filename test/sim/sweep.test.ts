/**
 * sweep(): grid forms, ordering, worker pool and errors (the timed 50-point sweep is in
 * sweep.timing.test.ts). Runs the compiled worker (npm test builds first).
 */
import { describe, expect, it } from "vitest";
import { ScenarioError, UsageError, formatPath } from "../../src/core/errors.js";
import { sweep } from "../../src/sim/sweep.js";
import { expandGrid } from "../../src/sim/sweepGrid.js";
import { policy } from "../../src/policy/policySet.js";
import { workload } from "../../src/workload/index.js";
import { base, grid } from "./sweepFixture.js";


describe("sweep()", () => {
  it("gives the same rows in a worker pool and in this thread", async () => {
    const small = { weights: [{ 0: 1, 1: 1 }, { 0: 9, 1: 1 }, { 0: 28, 1: 3 }] };
    const pooled = await sweep({ base, grid: small, workers: 2 });
    const inline = await sweep({ base, grid: small, workers: 0 });
    expect(pooled.toCSV()).toBe(inline.toCSV());
  });

  it("crosses declarative parameters, last key fastest, one row per point and task", async () => {
    const two = workload()
      .process("a", (p) => p.threads(8).on({ node: 0 }).uniform({ size: "64MiB" }))
      .process("b", (p) => p.threads(8).on({ node: 0 }).uniform({ size: "64MiB" }))
      .build();
    const policies = { local: policy().build(), interleave: policy().numactl("a", "--interleave=0,1").build() };
    const table = await sweep({ base: { ...base, workload: two, duration: "1s" }, grid: { threads: [4, 16], policy: policies }, workers: 0 });
    expect(table.numRows()).toBe(8);
    expect(table.array("point")).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(table.array("threads")).toEqual([4, 4, 4, 4, 16, 16, 16, 16]);
    expect(table.array("policy")).toEqual(["local", "local", "interleave", "interleave", "local", "local", "interleave", "interleave"]);
    expect(table.array("task")).toEqual(["a", "b", "a", "b", "a", "b", "a", "b"]);
    expect(table.array("traffic_share_node1")[2]).toBeCloseTo(0.5, 3);
  });

  it("maps explicit points through a function grid", async () => {
    const table = await sweep({
      base,
      grid: (pt, b) => ({ ...b, duration: "1s", workload: { ...b.workload, processes: b.workload.processes.map((p) => ({ ...p, threads: pt.threads as number })) } }),
      points: [{ threads: 8 }, { threads: 32 }],
      workers: 0,
    });
    expect(table.array("threads")).toEqual([8, 32]);
    expect((table.array("bandwidth_gbps") as number[])[0]).toBeLessThan((table.array("bandwidth_gbps") as number[])[1]!);
  });

  it("validates every point before running any, with the point in the path", async () => {
    const bad = { weights: [{ 0: 9, 1: 1 }, { 0: 9, 7: 1 }] as Record<number, number>[] };
    const err = await sweep({ base: { ...base, policy: policy().taskPolicy("stream", "MPOL_BIND", [0]).build() }, grid: bad, workers: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).issues.map((i) => formatPath(i.path))).toEqual(["points[1].policy.weights.weights.7"]);
    await expect(sweep({ base, grid: { ratio: [1] } as never })).rejects.toThrow(UsageError);
    await expect(sweep({ base, grid: { weights: [] } })).rejects.toThrow(/non-empty/);
    await expect(sweep({ base, grid: (_p, b) => b })).rejects.toThrow(/points/);
    await expect(sweep({ base, grid, workers: -1 })).rejects.toThrow(/workers/);
  });

  it("reports what the kernel refused at run time with the point's path, from workers too", async () => {
    const small = { ...base, workload: workload().process("stream", (p) => p.threads(8).on({ node: 0 }).stream({ arraySize: "16MiB" })).build() };
    for (const workers of [0, 2]) {
      const err = await sweep({ base: small, grid: { kernel: ["v6.16", "v6.8"] }, workers }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ScenarioError);
      expect((err as ScenarioError).issues.map((i) => formatPath(i.path))).toEqual(["points[1].policy.tasks[0].numactl"]);
    }
  });

  it("expandGrid keeps the base scenario's other parts and records weights as cells", () => {
    const pts = expandGrid(base, { weights: [{ 0: 28, 1: 3 }] });
    expect(pts[0]!.point).toEqual({ weights: "28:3", weight_node0: 28, weight_node1: 3 });
    expect(pts[0]!.scenario.policy!.weights).toEqual({ mode: "manual", weights: { 0: 28, 1: 3 } });
    expect(pts[0]!.scenario.policy!.tasks).toEqual(base.policy!.tasks);
  });
});
