import { describe, expect, it } from "vitest";
import { ScenarioError, formatPath } from "../../src/core/errors.js";
import { simulate } from "../../src/sim/simulate.js";
import { resolveScenario } from "../../src/sim/validateScenario.js";
import { evolves } from "../../src/sim/timeline.js";
import { policy } from "../../src/policy/policySet.js";
import { presets } from "../../src/topology/presets.js";
import { workload } from "../../src/workload/index.js";
import type { ProgressInfo } from "../../src/sim/progress.js";

const machine = presets.sprCxl();
const kv = workload()
  .process("kv", (p) => p.threads(8).on({ node: 0 }).kvCache({ size: "256MiB", kind: "shmem", hotFraction: 0.25, hotShare: 0.9 }))
  .build();
const demotion = policy().sysfs("/sys/kernel/mm/numa/demotion_enabled", "true").build();

describe("evolving runs", () => {
  it("are chosen by a scenario that turns on NUMA balancing or demotion, not by default", () => {
    const base = { topology: machine, workload: kv, duration: "2s", seed: 1 };
    expect(evolves(resolveScenario(base))).toBe(false);
    expect(evolves(resolveScenario({ ...base, policy: demotion }))).toBe(true);
    expect(evolves(resolveScenario({ ...base, policy: policy().sysctl("kernel.numa_balancing", 2).build() }))).toBe(true);
    expect(evolves(resolveScenario({ ...base, policy: policy().sysctl("kernel.numa_balancing", 0).build() }))).toBe(false);
  });

  it("split occupancy into hot and cold pages by the pattern's hot set, on top-tier and other nodes", () => {
    const run = simulate({ topology: machine, workload: kv, policy: demotion, duration: "2s", seed: 1, epoch: "1s" });
    const end = run.occupancy.filter((d: { time_s: number }) => d.time_s === 2).objects() as { node: number; hot: boolean; toptier: boolean; pages: number; kind: string }[];
    // 256 MiB = 65536 pages, a quarter of them hot; DRAM has room, so all of it is on node 0.
    expect(end.map((r) => [r.node, r.hot, r.toptier, r.kind, r.pages])).toEqual([
      [0, true, true, "shmem", 16384],
      [0, false, true, "shmem", 49152],
    ]);
  });

  it("count a cold hog's pages as cold occupancy although no phase accesses them", () => {
    const wl = workload()
      .process("hog", (p) => p.threads(1).on({ node: 0 }).coldHog({ size: "1GiB" }))
      .process("kv", (p) => p.threads(8).on({ node: 0 }).kvCache({ size: "256MiB", kind: "shmem", hotFraction: 0.25, hotShare: 0.9 }))
      .build();
    const run = simulate({ topology: machine, workload: wl, policy: demotion, duration: "2s", seed: 1, epoch: "1s" });
    const hog = run.occupancy.filter((d: { process: string; pages: number }) => d.process === "hog" && d.pages > 0).objects() as { time_s: number; node: number; hot: boolean; pages: number }[];
    // 1 GiB = 262144 pages written once at t = 0 (share 0: all cold); DRAM has room for it, so
    // every sample has them all on node 0, none hot.
    expect(hog.map((r) => [r.time_s, r.node, r.hot, r.pages])).toEqual([
      [0, 0, false, 262144],
      [1, 0, false, 262144],
      [2, 0, false, 262144],
    ]);
  });

  it("without kernel activity give the static run's placement and throughput", () => {
    const dynamic = simulate({ topology: machine, workload: kv, policy: demotion, duration: "2s", seed: 1, epoch: "1s" });
    const still = simulate({ topology: machine, workload: kv, duration: "2s", seed: 1, epoch: "1s" });
    expect(dynamic.summary.get("throughput_accesses_per_s", 0)).toBeCloseTo(still.summary.get("throughput_accesses_per_s", 0) as number, 6);
    const total = (r: typeof still): number => (r.occupancy.filter((d: { time_s: number }) => d.time_s === 2).array("pages") as number[]).reduce((a, b) => a + b, 0);
    expect(total(dynamic)).toBe(total(still));
  });

  it("are deterministic: same scenario and seed, same tables", () => {
    const s = { topology: machine, workload: kv, policy: policy().sysctl("kernel.numa_balancing", 3).build(), duration: "3s", seed: 4, epoch: "250ms" };
    expect(JSON.stringify(simulate(s).toJSON())).toBe(JSON.stringify(simulate(s).toJSON()));
  });

  it("report progress up to the end", () => {
    const seen: ProgressInfo[] = [];
    simulate({ topology: machine, workload: kv, policy: demotion, duration: "2s", seed: 1, epoch: "100ms" }, { onProgress: (p) => seen.push(p), progressEveryMs: 0 });
    expect(seen.at(-1)).toMatchObject({ simulatedS: 2, totalS: 2, fraction: 1 });
    expect(seen.length).toBeGreaterThan(10);
  });

  it("reject unknown behaviours and bad values with their paths", () => {
    try {
      simulate({ topology: machine, workload: kv, duration: "1s", seed: 1, behaviours: { shmemNumabFx: true, vmaScanFilter: "all", shmemNumabFix: 1 } as never });
      throw new Error("expected a ScenarioError");
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      const issues = (e as ScenarioError).issues;
      expect(issues.map((i) => formatPath(i.path))).toEqual(["behaviours.shmemNumabFx", "behaviours.vmaScanFilter", "behaviours.shmemNumabFix"]);
      expect(issues[1]!.message).toMatch(/one of "none", "pid", "pid\+forced"/);
    }
  });
});
