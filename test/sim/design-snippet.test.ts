/**
 * The scenario-layer lines of the DESIGN.md snippet, as written, through the public index.
 * (`show()` needs a tslab kernel; notebooks/02 runs it for real.)
 */
import { describe, expect, it } from "vitest";
import { topology, presets, workload, policy, simulate, sweep, boot, plots, Figure, SimulationResult } from "../../src/index.js";

describe("DESIGN.md snippet, scenario layer", () => {
  it("runs as written", () => {
    // Scenario layer. sprCxl: node 0 = one Sapphire Rapids socket (CPUs + DDR5), node 1 = a CPU-less CXL expander.
    const machine = presets.sprCxl();
    const wl = workload()
      .process("stream", (p) => p.threads(64).on({ node: 0 }).stream({ kernel: "triad", arraySize: "3GiB" }))
      .build();
    const pol = policy().weights({ 0: 9, 1: 1 }).numactl("stream", "--weighted-interleave=0,1").build();
    const run = simulate({ topology: machine, workload: wl, policy: pol, duration: "10s", seed: 1 });
    run.summary; // arquero table, one row per task: task, throughput, bandwidth_gbps, latency_ns, ...
    run.tasks; // arquero table over time: time_s, task, throughput, bandwidth_gbps, latency_ns, ...
    const fig = plots.tierOccupancy(run);
    expect(() => fig.show()).toThrow(/notebook/);

    expect(run).toBeInstanceOf(SimulationResult);
    expect(run.summary.columnNames()).toEqual(expect.arrayContaining(["task", "throughput_accesses_per_s", "bandwidth_gbps", "latency_ns"]));
    expect(run.tasks.columnNames()).toEqual(expect.arrayContaining(["time_s", "task", "throughput_accesses_per_s", "bandwidth_gbps", "latency_ns"]));
    expect(fig).toBeInstanceOf(Figure);
    expect(typeof sweep).toBe("function");
    expect(typeof topology).toBe("function");
    expect(typeof boot).toBe("function");
  });
});
