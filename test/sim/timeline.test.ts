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

  it("count a region that is touched but never accessed (coldHog) as cold pages, as the static run does", () => {
    const wl = workload()
      .process("hog", (p) => p.on({ node: 0 }).coldHog({ size: "64MiB" }))
      .process("kv", (p) => p.threads(8).on({ node: 0 }).kvCache({ size: "256MiB", kind: "shmem", hotFraction: 0.25, hotShare: 0.9 }))
      .build();
    const dynamic = simulate({ topology: machine, workload: wl, policy: demotion, duration: "2s", seed: 1, epoch: "1s" });
    const hogRows = dynamic.occupancy.filter((d: { time_s: number; process: string }) => d.time_s === 2 && d.process === "hog").objects() as { node: number; hot: boolean; kind: string; pages: number }[];
    // 64 MiB = 16384 anonymous pages, first-touched on node 0 (DRAM has room), never accessed.
    expect(hogRows.map((r) => [r.node, r.hot, r.kind, r.pages])).toEqual([[0, false, "anon", 16384]]);
    const still = simulate({ topology: machine, workload: wl, duration: "2s", seed: 1, epoch: "1s" });
    const perProcess = (r: typeof still): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const row of r.occupancy.filter((d: { time_s: number }) => d.time_s === 2).objects() as { process: string; pages: number }[]) out[row.process] = (out[row.process] ?? 0) + row.pages;
      return out;
    };
    expect(perProcess(dynamic)).toEqual({ hog: 16384, kv: 65536 });
    expect(perProcess(still)).toEqual(perProcess(dynamic));
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
