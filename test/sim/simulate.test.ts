import { describe, expect, it } from "vitest";
import { ScenarioError, formatPath } from "../../src/core/errors.js";
import { simulate } from "../../src/sim/simulate.js";
import { boot } from "../../src/kernel/boot.js";
import { policy } from "../../src/policy/policySet.js";
import { presets } from "../../src/topology/presets.js";
import { workload } from "../../src/workload/index.js";
import { RESULT_TABLES, RESULT_VERSION } from "../../src/results/simulationResult.js";
import { readFileSync } from "node:fs";

const machine = presets.sprCxl();
const wl = workload()
  .process("stream", (p) => p.threads(64).on({ node: 0 }).stream({ kernel: "triad", arraySize: "3GiB" }))
  .build();
const pol = policy().weights({ 0: 9, 1: 1 }).numactl("stream", "--weighted-interleave=0,1").build();

function issuesOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues.map((i) => formatPath(i.path));
    throw e;
  }
  throw new Error("expected a ScenarioError");
}

describe("simulate()", () => {
  it("runs the DESIGN.md snippet's scenario lines as written", () => {
    const run = simulate({ topology: machine, workload: wl, policy: pol, duration: "10s", seed: 1 });
    expect(run.summary.numRows()).toBe(1);
    expect(run.summary.columnNames()).toEqual(expect.arrayContaining(["task", "throughput_accesses_per_s", "bandwidth_gbps", "latency_ns", "traffic_share_node0", "traffic_share_node1"]));
    expect(run.tasks.columnNames().slice(0, 2)).toEqual(["time_s", "task"]);
    // Sampled every duration/100 from 0 to 10 s inclusive.
    expect(run.tasks.numRows()).toBe(101);
    expect(run.tasks.array("time_s").at(-1)).toBe(10);
    expect(run.seed).toBe(1);
    expect(run.version).toBe(RESULT_VERSION);
    expect(run.scenario.policy).toBe(pol);
  });

  it("records the result's version as package.json's", () => {
    expect(RESULT_VERSION).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });

  it("tables: nodes per memory node and sample, occupancy in bytes summing to the footprint", () => {
    const run = simulate({ topology: machine, workload: wl, policy: pol, duration: "1s", seed: 1, epoch: "250ms" });
    expect(run.nodes.numRows()).toBe(5 * 2);
    const atEnd = run.occupancy.filter((d: { time_s: number }) => d.time_s === 1).array("bytes") as number[];
    expect(atEnd.reduce((a, b) => a + b, 0)).toBe(3 * 3 * 2 ** 30);
    const cxl = run.nodes.filter((d: { node: number }) => d.node === 1).object(0) as Record<string, number>;
    expect(cxl.utilisation).toBeGreaterThan(0.5);
    expect(cxl.read_bandwidth_gbps / (cxl.read_bandwidth_gbps + cxl.write_bandwidth_gbps)).toBeCloseTo(2 / 3, 6);
    const counters = run.vmstat.filter((d: { counter: string }) => d.counter === "numa_interleave").array("value") as number[];
    expect(counters.at(-1)).toBeGreaterThan(0);
    expect(run.warnings).toEqual([]);
  });

  it("occupancy matches numa_maps of the same steps done by hand on the machine layer", () => {
    const run = simulate({ topology: machine, workload: wl, policy: pol, duration: "1s", seed: 1 });
    const k = boot(machine, { kernel: "v6.16" });
    k.sysfs.write("/sys/kernel/mm/mempolicy/weighted_interleave/node0", 9);
    k.sysfs.write("/sys/kernel/mm/mempolicy/weighted_interleave/node1", 1);
    const p = k.exec("numactl --weighted-interleave=0,1 ./stream").process;
    const addrs = ["a", "b", "c"].map(() => p.mmap("3GiB"));
    for (const a of addrs) p.touch(a, "3GiB", { write: true });
    const fromMaps = p
      .numaMaps()
      .trim()
      .split("\n")
      .map((line) => [Number(/N0=(\d+)/.exec(line)![1]), Number(/N1=(\d+)/.exec(line)![1])]);
    const end = run.occupancy.filter((d: { time_s: number }) => d.time_s === 1).objects() as { region: string; node: number; pages: number }[];
    const fromRun = ["a", "b", "c"].map((r) => [0, 1].map((n) => end.find((e) => e.region === r && e.node === n)!.pages));
    expect(fromRun).toEqual(fromMaps);
  });

  it("is deterministic: the same scenario and seed give identical tables (CSV and Arrow)", () => {
    const random = workload().process("kv", (p) => p.threads(8).on({ node: 0 }).zipf({ size: "256MiB", exponent: 1.1 })).build();
    const scenario = { topology: machine, workload: random, policy: policy().numactl("kv", "--interleave=0,1").build(), duration: "2s", seed: 7 };
    const a = simulate(scenario);
    const b = simulate(scenario);
    for (const t of RESULT_TABLES) {
      expect(a.toCSV(t)).toBe(b.toCSV(t));
      expect(Buffer.from(a.toArrow(t)).equals(Buffer.from(b.toArrow(t)))).toBe(true);
    }
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("a scenario saved as JSON and loaded again reproduces the run exactly", () => {
    const scenario = { topology: machine, workload: wl, policy: pol, duration: "10s", seed: 1 };
    const reloaded = JSON.parse(JSON.stringify(scenario));
    const a = simulate(scenario);
    const b = simulate(reloaded);
    for (const t of RESULT_TABLES) expect(b.toCSV(t)).toBe(a.toCSV(t));
    expect(JSON.parse(JSON.stringify(b)).scenario).toEqual(reloaded);
  });

  it("phases cut the run: a region first used later is allocated then, and throughput follows the phase", () => {
    const phased = workload()
      .process("app", (p) =>
        p
          .threads(16)
          .on({ node: 0 })
          .region("hot", { size: "512MiB" })
          .region("late", { size: "256MiB" })
          .phase(0, [{ region: "hot", pattern: "uniform" }])
          // From 4 s the process only holds memory: "late" is touched once, then nothing runs.
          .phase("4s", [{ region: "late", share: 0, pattern: "coldHog" }]),
      )
      .build();
    const run = simulate({ topology: machine, workload: phased, duration: "10s", seed: 1, epoch: "1s" });
    const late = run.occupancy.filter((d: { region: string }) => d.region === "late");
    expect(late.filter((d: { time_s: number }) => d.time_s === 3).array("pages")).toEqual([0]);
    expect(late.filter((d: { time_s: number }) => d.time_s === 4).array("pages")).toEqual([65536]);
    const thr = run.tasks.array("throughput_accesses_per_s") as number[];
    const phase = run.tasks.array("phase") as number[];
    expect(phase[0]).toBe(0);
    expect(phase.at(-1)).toBe(1);
    expect(thr[0]!).toBeGreaterThan(1e8);
    expect(thr.at(-1)).toBe(0);
    expect(run.tasks.array("latency_ns").at(-1)).toBe(null);
    // The summary averages over the whole run: 4 of 10 seconds at the first phase's rate.
    expect(run.summary.get("throughput_accesses_per_s", 0)).toBeCloseTo(thr[0]! * 0.4, 0);
    expect(run.vmstat.array("time_s")).toContain(4);
  });

  it("shmem regions naming one file are one object: counted once, shared by both processes", () => {
    const shared = workload()
      .process("writer", (p) => p.on({ node: 0 }).region("seg", { size: "64MiB", kind: "shmem", file: "/dev/shm/x" }).phase(0, [{ region: "seg", pattern: "uniform" }]))
      .process("reader", (p) => p.on({ node: 0 }).region("seg", { size: "64MiB", kind: "shmem", file: "/dev/shm/x" }).phase(0, [{ region: "seg", pattern: "uniform" }]))
      .build();
    const run = simulate({ topology: machine, workload: shared, duration: "1s", seed: 1 });
    const end = run.occupancy.filter((d: { time_s: number }) => d.time_s === 1);
    expect(end.array("process")).toEqual(["writer"]);
    expect(end.array("bytes")).toEqual([64 * 2 ** 20]);
    expect(run.summary.numRows()).toBe(2);
  });

  it("rejects invalid scenarios whole, with a path per issue", () => {
    const bad = JSON.parse(JSON.stringify(wl));
    bad.processes[0].threads = -4;
    bad.processes[0].phases[0].accesses[1].readShare = 1.5;
    const badPolicy = policy().numactl("strem", "--membind=0").mbind("stream", "heap", "MPOL_BIND", [0]).build();
    const paths = issuesOf(() => simulate({ topology: machine, workload: bad, policy: badPolicy, duration: "-1s", seed: 1.5 }));
    expect(paths).toEqual(
      expect.arrayContaining(["workload.processes[0].threads", "workload.processes[0].phases[0].accesses[1].readShare", "duration", "seed"]),
    );
    const names = issuesOf(() => simulate({ topology: machine, workload: wl, policy: badPolicy, duration: "1s", seed: 1 }));
    expect(names).toEqual(["policy.tasks[0].process", "policy.vmas[0].region"]);
  });

  it("rejects a footprint that cannot fit under its BIND mask, and nodes the machine lacks", () => {
    const big = workload().process("stream", (p) => p.on({ node: 0 }).stream({ arraySize: "100GiB" })).build();
    const paths = issuesOf(() => simulate({ topology: machine, workload: big, policy: policy().numactl("stream", "--membind=1").build(), duration: "1s", seed: 1 }));
    expect(paths).toEqual(["policy.tasks[0].policy.nodes"]);
    const unknown = issuesOf(() => simulate({ topology: machine, workload: wl, policy: policy().taskPolicy("stream", "MPOL_BIND", [3]).build(), duration: "1s", seed: 1 }));
    expect(unknown).toContain("policy.tasks[0].policy.nodes");
    const cpuless = workload().process("s", (p) => p.on({ node: 1 }).uniform({ size: "1MiB" })).build();
    expect(issuesOf(() => simulate({ topology: machine, workload: cpuless, duration: "1s", seed: 1 }))).toEqual(["workload.processes[0].binding.node"]);
  });

  it("turns a syscall the chosen kernel refuses into an issue at the policy entry", () => {
    const paths = issuesOf(() => simulate({ topology: machine, workload: wl, policy: policy().kernel("v6.8").weights({ 0: 9, 1: 1 }).numactl("stream", "--weighted-interleave=0,1").build(), duration: "1s", seed: 1 }));
    expect(paths.some((p) => p.startsWith("policy.tasks[0]"))).toBe(true);
    expect(issuesOf(() => simulate({ topology: machine, workload: wl, policy: policy().kernel("v6.9").build(), kernel: "v6.16", duration: "1s", seed: 1 }))).toEqual(["kernel"]);
  });

  it("warns instead of failing on legal but suspicious input", () => {
    const many = workload().process("s", (p) => p.threads(4).on({ cpus: [0] }).uniform({ size: "1MiB" })).build();
    const run = simulate({ topology: machine, workload: many, duration: "1s", seed: 1, epoch: "1ns" });
    expect(run.warnings.map((w) => w.code).sort()).toEqual(["epoch_coarsened", "oversubscribed"]);
    expect(run.tasks.numRows()).toBe(10_001);
    const idle = workload().process("s", (p) => p.region("spare", { size: "1MiB" }).uniform({ size: "1MiB" })).build();
    const quiet = simulate({ topology: machine, workload: idle, duration: "1s", seed: 1 });
    expect(quiet.warnings.map((w) => [w.code, formatPath(w.path)])).toEqual([["region_never_used", "workload.processes[0].regions[0]"]]);
    expect(quiet.occupancy.array("region")).not.toContain("spare");
  });
});
