/**
 * The summary of a run as plain rows: one per task, means over the time it ran.
 */
import type { RunRecord } from "./runRecord.js";

const NS_PER_S = 1e9;

/**
 * The summary's column names in order: task columns, then one traffic share per memory node.
 *
 * @example
 * summaryColumns(record).at(-1) // "traffic_share_node1"
 */
export function summaryColumns(record: RunRecord): string[] {
  return ["task", "threads", "node", "start_s", "throughput_accesses_per_s", "bandwidth_gbps", "traffic_gbps", "read_gbps", "write_gbps", "latency_ns", "system_time_s", "autonuma_cost_pct", ...record.memoryNodes.map((n) => `traffic_share_node${n.node}`)];
}

/**
 * One row per task over the run: time-weighted means from its start to the end (latency
 * weighted by accesses), the mmtests-style kernel cost summaries — `system_time_s`, the CPU
 * time charged to kernel work in the task's context, and `autonuma_cost_pct`, the share of the
 * task's CPU time (threads x run time) that NUMA balancing took (PTE updates, hinting faults,
 * migrations; costs.ts) — and the share of its accesses each memory node served
 * (`traffic_share_node<N>`).
 *
 * Plain objects, so a sweep's workers can send them without building tables.
 *
 * @example
 * summaryRows(record)[0].bandwidth_gbps // 219.8
 */
export function summaryRows(record: RunRecord): Record<string, number | string | null>[] {
  const shareCols = record.memoryNodes.map((n) => `traffic_share_node${n.node}`);
  const out: Record<string, number | string | null>[] = [];
  const last = record.snapshots[record.snapshots.length - 1];
  for (const task of record.tasks) {
    let span = 0;
    const sum = { thr: 0, bw: 0, traffic: 0, read: 0, write: 0, latencyWeighted: 0 };
    const share = new Map<number, number>();
    for (const seg of record.segments) {
      const start = Math.max(seg.startNs, task.startNs);
      const len = Math.min(seg.endNs, record.durationNs) - start;
      if (len <= 0 || seg.phases[task.task] === undefined) continue;
      span += len;
      const p = seg.solution?.tasks.find((t) => t.name === task.task);
      if (!p) continue;
      sum.thr += p.accessesPerSec * len;
      sum.bw += p.bandwidthGBps * len;
      sum.traffic += p.trafficGBps * len;
      sum.read += p.readGBps * len;
      sum.write += p.writeGBps * len;
      sum.latencyWeighted += p.latencyNs * p.accessesPerSec * len;
      for (const [node, f] of Object.entries(seg.traffic[task.task] ?? {})) share.set(Number(node), (share.get(Number(node)) ?? 0) + f * p.accessesPerSec * len);
    }
    const mean = (x: number): number => (span > 0 ? x / span : 0);
    const row: Record<string, number | string | null> = {
      task: task.task,
      threads: task.threads,
      node: task.node,
      start_s: task.startNs / NS_PER_S,
      throughput_accesses_per_s: mean(sum.thr),
      bandwidth_gbps: mean(sum.bw),
      traffic_gbps: mean(sum.traffic),
      read_gbps: mean(sum.read),
      write_gbps: mean(sum.write),
      latency_ns: sum.thr > 0 ? sum.latencyWeighted / sum.thr : null,
      system_time_s: (last?.tasks?.[task.task]?.systemNs ?? 0) / NS_PER_S,
      autonuma_cost_pct: span > 0 ? (100 * (last?.tasks?.[task.task]?.numaNs ?? 0)) / (task.threads * span) : 0,
    };
    record.memoryNodes.forEach((n, i) => (row[shareCols[i]!] = sum.thr > 0 ? (share.get(n.node) ?? 0) / sum.thr : 0));
    out.push(row);
  }
  return out;
}

