/**
 * Hand-made run tables in the shape simulate() returns (occupancy with toptier/hot, vmstat,
 * tasks with system_time_s and scan_period_ms, nodes with promo_threshold_ms), small enough that
 * every expected value in the tests is worked out by hand from the rows written here.
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";

const PAGE = 4096;
/** Node 0 is DRAM (toptier, tier 0), node 1 is CXL (tier 1). */
const NODE = { 0: { tier: 0, toptier: true }, 1: { tier: 1, toptier: false } } as const;

/** [time_s, node, process, region, kind, hot, pages] */
export type OccSpec = [number, 0 | 1, string, string, string, boolean, number];

export function occupancy(rows: readonly OccSpec[]): ColumnTable {
  return aq.from(
    rows.map(([time_s, node, process, region, kind, hot, pages]) => ({
      time_s,
      node,
      tier: NODE[node].tier,
      toptier: NODE[node].toptier,
      kind,
      process,
      region,
      hot,
      pages,
      bytes: pages * PAGE,
    })),
  );
}

/**
 * "before": cachelib's shmem hot set (400 pages) drifts to CXL: 400/400, 300/400, 100/400 fast.
 * "after": it comes back: 400/400, 300/400, 380/400. stream's anon hot set (50 pages) starts at
 * t = 1 and stays on DRAM. Cold rows (on either node) must not count.
 */
export const occBefore: readonly OccSpec[] = [
  [0, 0, "cachelib", "cache", "shmem", true, 400],
  [0, 1, "cachelib", "cache", "shmem", false, 200],
  [1, 0, "cachelib", "cache", "shmem", true, 300],
  [1, 1, "cachelib", "cache", "shmem", true, 100],
  [1, 1, "cachelib", "cache", "shmem", false, 200],
  [1, 0, "stream", "a", "anon", true, 50],
  [1, 0, "stream", "a", "anon", false, 70],
  [2, 0, "cachelib", "cache", "shmem", true, 100],
  [2, 1, "cachelib", "cache", "shmem", true, 300],
  [2, 1, "cachelib", "cache", "shmem", false, 200],
  [2, 0, "stream", "a", "anon", true, 50],
  [2, 0, "stream", "a", "anon", false, 70],
];
export const occAfter: readonly OccSpec[] = occBefore.map((r) =>
  r[0] === 2 && r[2] === "cachelib" && r[5] ? ([2, r[1], "cachelib", "cache", "shmem", true, r[1] === 0 ? 380 : 20] as OccSpec) : r,
);

/** [time_s, counter, value] */
export function vmstat(rows: readonly [number, string, number][]): ColumnTable {
  return aq.from(rows.map(([time_s, counter, value]) => ({ time_s, counter, value })));
}

/** [time_s, task, throughput_accesses_per_s, system_time_s, scan_period_ms] */
export function tasks(rows: readonly [number, string, number, number, number | null][]): ColumnTable {
  return aq.from(
    rows.map(([time_s, task, thr, sys, scan]) => ({
      time_s,
      task,
      phase: "run",
      node: 0,
      threads: 1,
      throughput_accesses_per_s: thr,
      bandwidth_gbps: 0,
      latency_ns: 100,
      system_time_s: sys,
      scan_period_ms: scan,
    })),
  );
}

/** [task, throughput_accesses_per_s, system_time_s]: the per-task columns compareRuns reads. */
export function summary(rows: readonly [string, number, number][]): ColumnTable {
  return aq.from(rows.map(([task, thr, sys]) => ({ task, threads: 1, node: 0, start_s: 0, throughput_accesses_per_s: thr, system_time_s: sys })));
}

/** Each task's time-weighted mean throughput (a sample holds until the next) and final system time. */
function summaryOf(rows: readonly [number, string, number, number, number | null][]): ColumnTable {
  const byTask = new Map<string, [number, number, number][]>();
  for (const [t, task, thr, sys] of rows) {
    if (!byTask.has(task)) byTask.set(task, []);
    byTask.get(task)!.push([t, thr, sys]);
  }
  return summary(
    [...byTask].map(([task, s]) => {
      let area = 0;
      for (let i = 0; i + 1 < s.length; i++) area += s[i]![1] * (s[i + 1]![0] - s[i]![0]);
      const span = s.at(-1)![0] - s[0]![0];
      return [task, span > 0 ? area / span : s[0]![1], s.at(-1)![2]];
    }),
  );
}

/** [time_s, node, promo_threshold_ms] with node 0 dram, node 1 cxl. */
export function nodes(rows: readonly [number, 0 | 1, number | null][]): ColumnTable {
  return aq.from(
    rows.map(([time_s, node, promo]) => ({
      time_s,
      node,
      kind: node === 0 ? "dram" : "cxl",
      tier: NODE[node].tier,
      bandwidth_gbps: 0,
      latency_ns: 100,
      utilisation: 0,
      promo_threshold_ms: promo,
      free_pages: 0,
    })),
  );
}

/**
 * A longer, smooth seed-000-like pair of runs for the rendered PNGs (10 s, 41 samples): the
 * shmem hot set decays to CXL and stays there "before", returns "after"; counters follow.
 */
export function storyRuns(): Record<string, { occupancy: ColumnTable; vmstat: ColumnTable; tasks: ColumnTable; summary: ColumnTable; nodes: ColumnTable }> {
  const out: Record<string, { occupancy: ColumnTable; vmstat: ColumnTable; tasks: ColumnTable; summary: ColumnTable; nodes: ColumnTable }> = {};
  for (const fixed of [false, true]) {
    const occ: OccSpec[] = [];
    const vm: [number, string, number][] = [];
    const tk: [number, string, number, number, number | null][] = [];
    const nd: [number, 0 | 1, number | null][] = [];
    let promoted = 0;
    let demoted = 0;
    let faults = 0;
    for (let i = 0; i <= 40; i++) {
      const t = i * 0.25;
      const drift = 1 - Math.min(1, t / 3) * 0.7; // down to 30% by t = 3 s
      const back = fixed && t > 3 ? Math.min(0.95, 0.3 + (t - 3) * 0.2) : drift;
      const fast = Math.round(40000 * back);
      occ.push([t, 0, "cachelib", "cache", "shmem", true, fast], [t, 1, "cachelib", "cache", "shmem", true, 40000 - fast]);
      occ.push([t, 0, "cachelib", "cache", "shmem", false, 20000], [t, 1, "cachelib", "cache", "shmem", false, 60000]);
      occ.push([t, 0, "stream", "a", "anon", true, 15000 - Math.round(2000 * Math.min(1, t / 4))], [t, 1, "stream", "a", "anon", true, Math.round(2000 * Math.min(1, t / 4))]);
      demoted += t <= 3 ? 3000 : 400;
      if (fixed && t > 3) promoted += 2500;
      faults += fixed ? 9000 : 1500;
      vm.push([t, "numa_hint_faults", faults], [t, "pgpromote_success", promoted], [t, "pgdemote_kswapd", demoted]);
      tk.push([t, "cachelib", 2e9 * (0.6 + 0.4 * back), t * (fixed ? 0.05 : 0.02), Math.min(60000, 1000 * 2 ** Math.floor(t))]);
      tk.push([t, "stream", 1.2e9, t * 0.01, Math.min(60000, 1000 * 2 ** Math.floor(t / 2))]);
      nd.push([t, 0, Math.max(200, 1000 - (fixed ? 80 * t : 20 * t))], [t, 1, null]);
    }
    out[fixed ? "v6.16 + shmem fix" : "v6.16"] = { occupancy: occupancy(occ), vmstat: vmstat(vm), tasks: tasks(tk), summary: summaryOf(tk), nodes: nodes(nd) };
  }
  return out;
}
