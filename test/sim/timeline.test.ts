import { describe, expect, it } from "vitest";
import { ScenarioError, formatPath } from "../../src/core/errors.js";
import { simulate } from "../../src/sim/simulate.js";
import { resolveScenario } from "../../src/sim/validateScenario.js";
import { evolves } from "../../src/sim/timeline.js";
import { policy } from "../../src/policy/policySet.js";
import { presets } from "../../src/topology/presets.js";
import { withMemoryCapacity } from "../../src/topology/resize.js";
import { workload } from "../../src/workload/index.js";
import { workloadFromJSON, workloadToJSON } from "../../src/workload/json.js";
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

  it("count kswapd wakeups per node: PREFERRED_MANY wakes DRAM's kswapd, the default policy spills without waking it", () => {
    // Node 0 = 4 GiB = 1048576 pages, low watermark 2493 (§1.9 with wsf 10). The hog (default
    // policy, CPU 0) takes node 0 down to exactly low and puts the rest of its 4 GiB on node 2
    // in the fast path: no node failed, no kswapd woken (§1.8 steps 1-2). At 1 s the app's
    // 64 MiB first touch: the default policy walks the same zonelist 0 2 1 3 and again finds
    // node 2 above low, so still no wakeup; PREFERRED_MANY{0} pass 1 tries node 0 alone, fails
    // low and wakes node 0's kswapd once (§1.8 PREFERRED_MANY row). Demotion to node 2 finds
    // node 2 above low, so its kswapd stays asleep; nothing allocates afterwards.
    const small = withMemoryCapacity(presets.twoSocketCxl(), { 0: "4GiB", 1: "4GiB", 2: "8GiB", 3: "8GiB" });
    const wl = workload()
      .process("hog", (p) => p.threads(1).on({ node: 0 }).coldHog({ size: "4GiB" }))
      .process("app", (p) => p.threads(1).on({ node: 0 }).uniform({ size: "64MiB", at: "1s" }))
      .build();
    const wakeups = (pol: ReturnType<typeof policy>) => {
      const run = simulate({ topology: small, workload: wl, policy: pol.sysfs("/sys/kernel/mm/numa/demotion_enabled", "true").build(), duration: "2s", seed: 1, epoch: "500ms" });
      return (run.nodes.objects() as { time_s: number; node: number; kswapd_wakeups: number }[]).filter((r) => r.time_s === 0.5 || r.time_s === 2).map((r) => [r.time_s, r.node, r.kswapd_wakeups]);
    };
    expect(wakeups(policy())).toEqual([0.5, 2].flatMap((t) => [0, 1, 2, 3].map((n) => [t, n, 0])));
    expect(wakeups(policy().taskPolicy("app", "MPOL_PREFERRED_MANY", [0]))).toEqual([
      [0.5, 0, 0], [0.5, 1, 0], [0.5, 2, 0], [0.5, 3, 0],
      [2, 0, 1], [2, 1, 0], [2, 2, 0], [2, 3, 0],
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

describe("evolving runs, seed 000 in miniature", () => {
  // sprCxl with 1 GiB of DRAM: a 900 MiB cold hog fills it first, then a 512 MiB shmem cache
  // (a fifth of its pages take 90% of the accesses) is born mostly on CXL. Tiering mode with
  // demotion: only the shmem fix lets NUMA balancing scan the cache and bring it back. On a
  // node this small the default watermark_scale_factor leaves kswapd only ~260 pages of room
  // between high and promo per run (§1.9, §5.4), far below one 256 MB scan pass, so promotion
  // would crawl; 10% (1000), as tiering setups tune it, gives it room.
  const small = withMemoryCapacity(presets.sprCxl(), { 0: "1GiB" });
  const cache = workload()
    .process("hog", (p) => p.on({ node: 0 }).coldHog({ size: "900MiB" }))
    .process("cache", (p) => p.threads(8).on({ node: 0 }).kvCache({ size: "512MiB", kind: "shmem", hotFraction: 0.2, hotShare: 0.9, at: "1s" }))
    .build();
  const tiering = policy().sysctl("kernel.numa_balancing", 2).sysctl("vm.watermark_scale_factor", 1000).sysfs("/sys/kernel/mm/numa/demotion_enabled", "true").build();
  const run = (fix: boolean) => simulate({ topology: small, workload: cache, policy: tiering, duration: "40s", seed: 1, epoch: "1s", behaviours: { shmemNumabFix: fix } });
  const hotOnDram = (r: ReturnType<typeof run>, t: number): number => {
    const rows = (r.occupancy.objects() as { time_s: number; process: string; hot: boolean; toptier: boolean; pages: number }[]).filter((d) => d.time_s === t && d.process === "cache" && d.hot);
    return rows.filter((x) => x.toptier).reduce((a, x) => a + x.pages, 0) / rows.reduce((a, x) => a + x.pages, 0);
  };
  const summaryRow = (r: ReturnType<typeof run>): Record<string, number> => (r.summary.objects() as Record<string, number>[]).find((x) => (x.task as unknown) === "cache")!;
  const last = (r: ReturnType<typeof run>, c: string): number => (r.vmstat.objects() as { counter: string; time_s: number; value: number }[]).find((d) => d.counter === c && d.time_s === 40)!.value;

  it("warns when kswapd's promotion room is tiny against a scan pass, not once it is tuned", () => {
    // 1 GiB node 0 at the default watermark_scale_factor (10): promo - high = 262 pages, under
    // 65536 / 16 = 4096 (one 256 MB pass); at 1000 it is 26214 pages.
    const untuned = policy().sysctl("kernel.numa_balancing", 2).sysfs("/sys/kernel/mm/numa/demotion_enabled", "true").build();
    const w = simulate({ topology: small, workload: cache, policy: untuned, duration: "2s", seed: 1 }).warnings;
    expect(w.map((x) => x.code)).toEqual(["promotion_room_small"]);
    expect(w[0]!.message).toMatch(/node 0: kswapd frees only \d+ pages .* raise vm.watermark_scale_factor/);
    expect(run(false).warnings).toEqual([]);
  });

  it("mainline never scans the default-policy shmem cache: nothing promoted, no NUMA-balancing cost", () => {
    const r = run(false);
    expect(hotOnDram(r, 40)).toBe(hotOnDram(r, 2));
    expect(hotOnDram(r, 40)).toBeLessThan(0.5);
    expect(last(r, "numa_pte_updates")).toBe(0);
    expect(last(r, "pgpromote_success")).toBe(0);
    const row = summaryRow(r) as { autonuma_cost_pct: number; system_time_s: number };
    expect(row.autonuma_cost_pct).toBe(0);
    expect(row.system_time_s).toBe(0);
  });

  it("with the fix the hot set converges to DRAM, paid for in system time", () => {
    const r = run(true);
    expect(hotOnDram(r, 2)).toBeLessThan(0.1);
    expect(hotOnDram(r, 40)).toBeGreaterThan(0.95);
    expect(last(r, "pgpromote_success")).toBeGreaterThan(0);
    expect(last(r, "pgpromote_success")).toBeLessThanOrEqual(last(r, "pgpromote_candidate"));
    // Room for promotions came from demoting the hog's pages, whose accesses are none.
    expect(last(r, "pgdemote_kswapd")).toBeGreaterThan(0);
    // Per node (§5.6): promotions count on the destination (DRAM, node 0), demotions on the
    // source (node 0 too); the CXL node has neither.
    const perNode = (node: number, c: string): number => (r.nodeVmstat.objects() as { time_s: number; node: number; counter: string; value: number }[]).find((d) => d.time_s === 40 && d.node === node && d.counter === c)?.value ?? 0;
    expect(perNode(0, "pgpromote_success")).toBe(last(r, "pgpromote_success"));
    expect(perNode(0, "pgdemote_kswapd")).toBe(last(r, "pgdemote_kswapd"));
    expect([perNode(1, "pgpromote_success"), perNode(1, "pgdemote_kswapd")]).toEqual([0, 0]);
    const row = summaryRow(r) as { autonuma_cost_pct: number; system_time_s: number; throughput_accesses_per_s: number };
    expect(row.autonuma_cost_pct).toBeGreaterThan(0);
    expect(row.system_time_s).toBeGreaterThan(0);
    const before = summaryRow(run(false)) as { throughput_accesses_per_s: number };
    expect(row.throughput_accesses_per_s).toBeGreaterThan(before.throughput_accesses_per_s);
  });
});

describe("first touch over time (firstTouch({ rate }))", () => {
  // twoSocketCxl with 4 GiB DRAM per socket: a 4 GiB cold hog fills node 0 to its low
  // watermark, then at 1 s an app with PREFERRED_MANY{0} touches 1 GiB (262144 pages).
  const small = withMemoryCapacity(presets.twoSocketCxl(), { 0: "4GiB", 1: "4GiB", 2: "8GiB", 3: "8GiB" });
  const scenario = (rate: string | null) => ({
    topology: small,
    workload: workload()
      .process("hog", (p) => p.threads(1).on({ node: 0 }).coldHog({ size: "4GiB" }))
      .process("app", (p) => {
        const q = p.threads(4).on({ node: 0 }).uniform({ size: "1GiB", at: "1s" });
        return rate ? q.firstTouch({ rate }) : q;
      })
      .build(),
    policy: policy().taskPolicy("app", "MPOL_PREFERRED_MANY", [0]).sysfs("/sys/kernel/mm/numa/demotion_enabled", "true").build(),
    duration: "4s",
    seed: 1,
    epoch: "250ms",
  });
  const appPages = (run: ReturnType<typeof simulate>, t: number): Record<number, number> => {
    const out: Record<number, number> = {};
    for (const d of run.occupancy.objects() as { time_s: number; process: string; node: number; pages: number }[]) if (d.process === "app" && d.time_s === t) out[d.node] = (out[d.node] ?? 0) + d.pages;
    return out;
  };
  const total = (x: Record<number, number>): number => Object.values(x).reduce((a, b) => a + b, 0);

  it("faults the region in at the rate: chunks of 1 ms of touching, one event each", () => {
    // 2 GB/s: a chunk is floor(2e9 x 1e-3 / 4096) = 488 pages, one every 488 x 4096 / 2e9 s =
    // 0.999424 ms from 1 s. By 1.25 s: chunks at 1 + j x 0.999424 ms for j = 0..250 -> 251
    // chunks = 122488 pages. The whole GiB takes ceil(262144 / 488) = 538 chunks, ~0.537 s.
    const run = simulate(scenario("2GB/s"));
    expect(total(appPages(run, 1.25))).toBe(251 * 488);
    expect(total(appPages(run, 2))).toBe(262144);
    expect(run.warnings).toEqual([]);
  });

  it("lets kswapd demote while the heap fills: PREFERRED_MANY then lands far more on DRAM (seed 001)", () => {
    const instant = appPages(simulate(scenario(null)), 4);
    const paced = appPages(simulate(scenario("2GB/s")), 4);
    expect(total(instant)).toBe(262144);
    expect(total(paced)).toBe(262144);
    // At once, only the pages between the low and min watermarks fit before the spill (§1.8);
    // paced, kswapd's demotion of the hog keeps making room on node 0 as the app allocates.
    expect(instant[0]!).toBeLessThan(2000);
    expect(paced[0]!).toBeGreaterThan(50 * instant[0]!);
  });

  it("warns that a static run touches at once, and validates the rate", () => {
    const s = scenario("2GB/s");
    const still = simulate({ ...s, policy: policy().taskPolicy("app", "MPOL_PREFERRED_MANY", [0]).build() });
    expect(still.warnings.map((w) => w.code)).toEqual(["first_touch_rate_static"]);
    expect(() => workload().process("x", (p) => p.firstTouch({ rate: "0GB/s" }))).toThrow(/above 0/);
    expect(() => workload().process("x", (p) => p.firstTouch({ rate: "fast" }))).toThrow(/fast/);
    const back = workloadFromJSON(workloadToJSON(s.workload));
    expect(back.processes[1]!.firstTouchBytesPerSec).toBe(2e9);
  });
});
