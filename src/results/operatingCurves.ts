/**
 * The model's own loaded-latency curves at the read share each memory node ran at, so a run's
 * operating points can be drawn on the curves that produced them (the measured curves in
 * `latencyCurvesTable` are at the measured read shares, not the run's).
 */
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { UsageError } from "../core/errors.js";
import { loadedLatencyCurve } from "../perf/openloop.js";
import type { TopologySpec } from "../topology/types.js";

/**
 * One curve per memory node of `spec`: latency from the node's initiator against offered load,
 * from idle to the route's peak, at the read share of the node's row in `nodes` (a run's
 * `nodes` table; its last sample). Columns: node, kind, read_share, bandwidth_gbps, latency_ns,
 * utilisation.
 *
 * @example
 * const curves = operatingCurvesTable(presets.sprCxl(), run.nodes);
 * plots.operatingPoints(curves, run.nodes).show();
 */
export function operatingCurvesTable(spec: TopologySpec, nodes: ColumnTable, points = 60): ColumnTable {
  const have = typeof nodes?.columnNames === "function" ? nodes.columnNames() : [];
  if (!["node", "read_share", "time_s"].every((c) => have.includes(c))) {
    throw new UsageError({ what: "operatingCurvesTable(spec, nodes)", value: have, rule: "needs a run's nodes table (node, read_share, time_s)", fix: "pass run.nodes" });
  }
  const rows = nodes.objects() as { node: number; read_share: number; time_s: number }[];
  const last = Math.max(...rows.map((r) => r.time_s));
  const cols = { node: [] as number[], kind: [] as string[], read_share: [] as number[], bandwidth_gbps: [] as number[], latency_ns: [] as number[], utilisation: [] as number[] };
  for (const r of rows.filter((x) => x.time_s === last).sort((a, b) => a.node - b.node)) {
    const kind = spec.nodes.find((n) => n.id === r.node)?.memory?.kind ?? "";
    for (const p of loadedLatencyCurve(spec, r.node, r.read_share, points)) {
      cols.node.push(r.node);
      cols.kind.push(kind);
      cols.read_share.push(r.read_share);
      cols.bandwidth_gbps.push(p.bandwidthGBps);
      cols.latency_ns.push(p.latencyNs);
      cols.utilisation.push(p.utilisation);
    }
  }
  return aq.table(cols);
}
