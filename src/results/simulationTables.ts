/**
 * The result tables of a run, built from its {@link RunRecord}: tidy (one observation per
 * row), unit-suffixed columns. Over-time tables are sampled every epoch and at every phase
 * change, so their size grows with duration / epoch, never with the number of accesses.
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { PAGE_SIZE } from "../core/units.js";
import type { NodePerformance, PerformanceSolution, TaskPerformance } from "../perf/model.js";
import type { OccupancyEntry, RunRecord, Segment, Snapshot } from "./runRecord.js";
import { summaryColumns, summaryRows } from "./summaryRows.js";

const NS_PER_S = 1e9;

/**
 * The sample times of the over-time tables, in ns: every epoch from 0, every segment start and
 * the end of the run, without duplicates.
 *
 * @example
 * sampleTimes(1e9, 5e8, [{ startNs: 0 }, { startNs: 3e8 }]) // [0, 3e8, 5e8, 1e9]
 */
export function sampleTimes(durationNs: number, epochNs: number, segments: readonly { readonly startNs: number }[]): number[] {
  const times = new Set<number>();
  const steps = Math.floor(durationNs / epochNs + 1e-9);
  for (let k = 0; k <= steps; k++) times.add(Math.min(durationNs, k * epochNs));
  for (const s of segments) if (s.startNs <= durationNs) times.add(s.startNs);
  times.add(durationNs);
  return [...times].sort((a, b) => a - b);
}

/**
 * Walks samples in time order with the segment and snapshot in force at each: one pass over
 * both lists, so building a table costs samples + segments + snapshots, not their product.
 */
function forEachSample(record: RunRecord, visit: (t: number, seg: Segment | undefined, snap: Snapshot | undefined) => void): void {
  let si = -1;
  let pi = -1;
  const segs = record.segments;
  const snaps = record.snapshots;
  for (const t of sampleTimes(record.durationNs, record.epochNs, segs)) {
    while (si + 1 < segs.length && segs[si + 1]!.startNs <= t) si++;
    while (pi + 1 < snaps.length && snaps[pi + 1]!.timeNs <= t) pi++;
    visit(t, si >= 0 ? segs[si] : undefined, pi >= 0 ? snaps[pi] : undefined);
  }
}

function taskPerf(solution: PerformanceSolution | null, task: string): TaskPerformance | undefined {
  return solution?.tasks.find((t) => t.name === task);
}

/**
 * Per task and sample: throughput, bandwidth and latency. A started task that issues no traffic
 * (holding memory only) has zero throughput; a task before its start has no rows.
 *
 * @example
 * tasksTable(record).columnNames() // ["time_s", "task", "phase", "node", "threads", "throughput_accesses_per_s", ...]
 */
export function tasksTable(record: RunRecord): ColumnTable {
  const cols = emptyColumns(["time_s", "task", "phase", "node", "threads", "throughput_accesses_per_s", "bandwidth_gbps", "traffic_gbps", "read_gbps", "write_gbps", "latency_ns", "system_time_s", "scan_period_ms"]);
  forEachSample(record, (t, seg, snap) => {
    if (seg === undefined) return;
    for (const task of record.tasks) {
      const phase = seg.phases[task.task];
      if (phase === undefined) continue;
      const p = taskPerf(seg.solution, task.task);
      push(cols, {
        time_s: t / NS_PER_S,
        task: task.task,
        phase,
        node: snap?.tasks?.[task.task]?.node ?? task.node,
        threads: task.threads,
        throughput_accesses_per_s: p?.accessesPerSec ?? 0,
        bandwidth_gbps: p?.bandwidthGBps ?? 0,
        traffic_gbps: p?.trafficGBps ?? 0,
        read_gbps: p?.readGBps ?? 0,
        write_gbps: p?.writeGBps ?? 0,
        latency_ns: p ? p.latencyNs : null,
        system_time_s: (snap?.tasks?.[task.task]?.systemNs ?? 0) / NS_PER_S,
        scan_period_ms: snap?.tasks?.[task.task]?.scanPeriodMs ?? null,
      });
    }
  });
  return aq.table(cols);
}

/**
 * Per memory node and sample: read and write bandwidth, loaded latency, utilisation; in
 * evolving runs also free pages, the promotion threshold, kswapd wakeups so far and, on
 * compressed-RAM nodes, stored vs compressed pages.
 *
 * @example
 * nodesOverTimeTable(record).filter((d) => d.node === 1)
 */
export function nodesOverTimeTable(record: RunRecord): ColumnTable {
  const cols = emptyColumns(["time_s", "node", "kind", "tier", "read_bandwidth_gbps", "write_bandwidth_gbps", "bandwidth_gbps", "read_share", "latency_ns", "utilisation", "free_pages", "promo_threshold_ms", "kswapd_wakeups", "cram_stored_pages", "cram_compressed_pages", "cram_device_pages"]);
  let lastSeg: Segment | undefined;
  let solved = new Map<number, NodePerformance>();
  forEachSample(record, (t, seg, snap) => {
    if (seg !== lastSeg) {
      solved = new Map();
      // The first entry for a node wins, as a find() over the list would.
      for (const x of seg?.solution?.nodes ?? []) if (!solved.has(x.node)) solved.set(x.node, x);
      lastSeg = seg;
    }
    for (const n of record.memoryNodes) {
      const p = solved.get(n.node);
      const sn = snap?.nodes?.[n.node];
      push(cols, {
        time_s: t / NS_PER_S,
        node: n.node,
        kind: n.kind,
        tier: n.tier,
        read_bandwidth_gbps: p?.readGBps ?? 0,
        write_bandwidth_gbps: p?.writeGBps ?? 0,
        bandwidth_gbps: p?.bandwidthGBps ?? 0,
        read_share: p?.readShare ?? 1,
        latency_ns: p?.latencyNs ?? null,
        utilisation: p?.utilisation ?? 0,
        free_pages: sn?.freePages ?? null,
        promo_threshold_ms: sn?.promoThresholdMs ?? null,
        kswapd_wakeups: sn?.kswapdWakeups ?? null,
        // CRAM nodes (§6.1): logical pages stored vs device media in use (compressed), pages.
        cram_stored_pages: sn?.cram?.storedPages ?? null,
        cram_compressed_pages: sn?.cram?.usedPages ?? null,
        cram_device_pages: sn?.cram?.devicePages ?? null,
      });
    }
  });
  return aq.table(cols);
}

/**
 * Pages and bytes per sample, node and region (with its process, kind and the node's tier).
 * Every (region, node) pair that ever holds pages appears at every sample, with 0 before the
 * region is touched, so stacked areas line up.
 *
 * @example
 * occupancyTable(record).groupby("time_s", "node").rollup({ bytes: (d) => op.sum(d.bytes) })
 */
export function occupancyTable(record: RunRecord): ColumnTable {
  const cols = emptyColumns(["time_s", "node", "tier", "toptier", "kind", "process", "region", "hot", "pages", "bytes"]);
  const nodeInfo = new Map(record.memoryNodes.map((n) => [n.node, n]));
  const keyOf = (e: OccupancyEntry): string => `${e.process}\u0000${e.region}\u0000${e.node}\u0000${e.hot ?? ""}`;
  const keys = new Map<string, OccupancyEntry>();
  for (const s of record.snapshots) for (const e of s.occupancy) if (e.pages > 0 && !keys.has(keyOf(e))) keys.set(keyOf(e), e);
  // Each key with its node's tier and toptier, looked up once rather than per sample.
  const ordered = [...keys.entries()]
    .sort(([, a], [, b]) => a.node - b.node || cmp(a.process, b.process) || cmp(a.region, b.region) || Number(b.hot ?? true) - Number(a.hot ?? true))
    .map(([key, k]) => ({ key, k, tier: nodeInfo.get(k.node)?.tier ?? null, toptier: nodeInfo.get(k.node)?.toptier ?? true }));
  let lastSnap: Snapshot | undefined;
  let pages = new Map<string, number>();
  forEachSample(record, (t, _seg, snap) => {
    if (snap !== lastSnap) {
      pages = new Map((snap?.occupancy ?? []).map((e) => [keyOf(e), e.pages]));
      lastSnap = snap;
    }
    for (const { key, k, tier, toptier } of ordered) {
      const n = pages.get(key) ?? 0;
      push(cols, { time_s: t / NS_PER_S, node: k.node, tier, toptier, kind: k.kind, process: k.process, region: k.region, hot: k.hot ?? null, pages: n, bytes: n * PAGE_SIZE });
    }
  });
  return aq.table(cols);
}

/**
 * /proc/vmstat after every allocation burst and at the end of the run: one row per counter.
 *
 * @example
 * vmstatTable(record).filter((d) => d.counter === "numa_interleave")
 */
export function vmstatTable(record: RunRecord): ColumnTable {
  const cols = emptyColumns(["time_s", "counter", "value"]);
  for (const s of record.snapshots) {
    for (const [counter, value] of Object.entries(s.vmstat).sort(([a], [b]) => cmp(a, b))) push(cols, { time_s: s.timeNs / NS_PER_S, counter, value });
  }
  return aq.table(cols);
}

/**
 * Per node counters after every allocation burst (static runs) or epoch (evolving runs): one
 * row per (time, node, counter) for every counter that is non-zero on that node at some point
 * of the run, 0 before it first moves. The node stats of /sys/devices/system/node/nodeN/vmstat
 * and numastat (numa_hit..., pgpromote_* on the destination node, pgdemote_* on the source,
 * §5.6) are the kernel's own split; the kernel keeps numa_pte_updates, numa_hint_faults(_local),
 * numa_pages_migrated and pgmigrate_* as global events only, and tiersim attributes them to the
 * scanning or faulting task's CPU node (PTE updates, faults) or the destination (migrations).
 *
 * @example
 * nodeVmstatTable(record).filter((d) => d.counter === "pgpromote_success")
 */
export function nodeVmstatTable(record: RunRecord): ColumnTable {
  const cols = emptyColumns(["time_s", "node", "counter", "value"]);
  const keys = new Map<number, Set<string>>();
  for (const s of record.snapshots) {
    for (const [node, row] of Object.entries(s.nodeVmstat ?? {})) {
      const set = keys.get(Number(node)) ?? new Set<string>();
      for (const c of Object.keys(row)) set.add(c);
      keys.set(Number(node), set);
    }
  }
  const ordered = [...keys.entries()].sort((a, b) => a[0] - b[0]).map(([node, set]) => [node, [...set].sort(cmp)] as const);
  for (const s of record.snapshots) {
    for (const [node, counters] of ordered) {
      const row = s.nodeVmstat?.[node] ?? {};
      for (const counter of counters) push(cols, { time_s: s.timeNs / NS_PER_S, node, counter, value: row[counter] ?? 0 });
    }
  }
  return aq.table(cols);
}

/**
 * One row per task over the run: see {@link summaryRows}.
 *
 * @example
 * summaryTable(record).get("bandwidth_gbps", 0) // 219.8
 */
export function summaryTable(record: RunRecord): ColumnTable {
  const rows = summaryRows(record);
  const names = summaryColumns(record);
  return aq.table(Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n])])));
}

function emptyColumns(names: readonly string[]): Record<string, unknown[]> {
  return Object.fromEntries(names.map((n) => [n, []]));
}

function push(cols: Record<string, unknown[]>, row: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(row)) cols[k]!.push(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
