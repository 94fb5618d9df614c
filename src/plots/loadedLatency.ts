/**
 * Loaded-latency curves: how a memory device's latency climbs as its bandwidth approaches
 * saturation, one line per node and read share (Mess-benchmark style).
 */
import type { ColumnTable } from "arquero";
import type { Data } from "plotly.js-dist-min";
import { Figure } from "./figure.js";
import { requireColumns, rowsOf } from "./columns.js";
import { FONT_FAMILY, SERIES_COLORS } from "./palette.js";

interface CurveRow {
  node: number;
  kind: string | null;
  read_share: number;
  bandwidth_gbps: number;
  latency_ns: number;
}

const COLUMNS = ["node", "kind", "read_share", "bandwidth_gbps", "latency_ns"] as const;
// Colour tells nodes apart, dash tells read shares apart, so both survive a greyscale print.
const DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"] as const;

/** Options of {@link loadedLatency}. */
export interface LoadedLatencyOptions {
  /** Figure title; default "Loaded latency". */
  readonly title?: string;
}

/**
 * Latency (ns) against bandwidth (GB/s), one trace per node and read share, named like
 * "node 0 dram, 100% reads". Nodes whose curves are identical share a trace ("nodes 0, 1 dram,
 * 100% reads"). Takes the table from `latencyCurvesTable`.
 *
 * @example
 * plots.loadedLatency(latencyCurvesTable(presets.sprCxl())).show();
 */
export function loadedLatency(table: ColumnTable, options: LoadedLatencyOptions = {}): Figure {
  requireColumns(table, COLUMNS, "loadedLatency(table)", "latencyCurvesTable(spec)");
  const rows = rowsOf<CurveRow>(table);
  const curves = new Map<number, Map<number, CurveRow[]>>();
  for (const r of rows) {
    const byShare = curves.get(r.node) ?? new Map<number, CurveRow[]>();
    curves.set(r.node, byShare);
    byShare.set(r.read_share, [...(byShare.get(r.read_share) ?? []), r]);
  }
  for (const byShare of curves.values()) for (const pts of byShare.values()) pts.sort((a, b) => a.bandwidth_gbps - b.bandwidth_gbps);
  // Nodes with identical curves (two sockets of one machine) would draw exactly on top of each
  // other and hide the first node; they share one trace per read share instead.
  const groups = new Map<string, number[]>();
  for (const node of [...curves.keys()].sort((a, b) => a - b)) {
    const byShare = curves.get(node)!;
    const signature = JSON.stringify([...byShare].sort((a, b) => b[0] - a[0]).map(([share, pts]) => [pts[0]!.kind, share, pts.map((p) => [p.bandwidth_gbps, p.latency_ns])]));
    groups.set(signature, [...(groups.get(signature) ?? []), node]);
  }
  const data: Data[] = [];
  [...groups.values()].forEach((nodes, i) => {
    const byShare = curves.get(nodes[0]!)!;
    const shares = [...byShare.keys()].sort((a, b) => b - a);
    const label = `${nodes.length === 1 ? "node" : "nodes"} ${nodes.join(", ")}`;
    shares.forEach((share, j) => {
      const points = byShare.get(share)!;
      const kind = points[0]!.kind;
      const name = `${label}${kind ? ` ${kind}` : ""}, ${formatShare(share)} reads`;
      data.push({
        type: "scatter",
        mode: "lines+markers",
        name,
        legendgroup: label,
        x: points.map((p) => p.bandwidth_gbps),
        y: points.map((p) => p.latency_ns),
        line: { color: SERIES_COLORS[i % SERIES_COLORS.length], dash: DASHES[j % DASHES.length], width: 2 },
        marker: { size: 5 },
        hovertemplate: `${name}<br>%{x:.1f} GB/s, %{y:.0f} ns<extra></extra>`,
      } as Data);
    });
  });
  return new Figure(data, {
    title: { text: options.title ?? "Loaded latency" },
    font: { family: FONT_FAMILY, size: 13 },
    width: 1000,
    height: 520,
    margin: { l: 80, r: 20, t: 60, b: 60 },
    xaxis: { title: { text: "bandwidth (GB/s)" }, rangemode: "tozero", zeroline: false },
    yaxis: { title: { text: "latency (ns)" }, rangemode: "tozero", zeroline: false },
    // Outside the plot: steep slow-memory curves fill the top-left corner where a legend would sit.
    legend: { orientation: "v", x: 1.02, y: 1, xanchor: "left", yanchor: "top", tracegroupgap: 8 },
    annotations:
      data.length === 0
        ? [{ text: "no measured loaded-latency curves in this topology", showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5 }]
        : [],
  });
}

function formatShare(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}
