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
 * "node 0 dram, 100% reads". Takes the table from `latencyCurvesTable`.
 *
 * @example
 * plots.loadedLatency(latencyCurvesTable(presets.sprCxl())).show();
 */
export function loadedLatency(table: ColumnTable, options: LoadedLatencyOptions = {}): Figure {
  requireColumns(table, COLUMNS, "loadedLatency(table)", "latencyCurvesTable(spec)");
  const rows = rowsOf<CurveRow>(table);
  const nodes = [...new Set(rows.map((r) => r.node))].sort((a, b) => a - b);
  const groups = new Map<string, CurveRow[]>();
  for (const r of rows) {
    const key = `${r.node}|${r.read_share}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const ordered = [...groups.values()].sort((a, b) => a[0]!.node - b[0]!.node || b[0]!.read_share - a[0]!.read_share);
  const data: Data[] = ordered.map((points) => {
    const { node, kind, read_share } = points[0]!;
    const shares = [...new Set(rows.filter((r) => r.node === node).map((r) => r.read_share))].sort((a, b) => b - a);
    points.sort((a, b) => a.bandwidth_gbps - b.bandwidth_gbps);
    const name = `node ${node}${kind ? ` ${kind}` : ""}, ${formatShare(read_share)} reads`;
    return {
      type: "scatter",
      mode: "lines+markers",
      name,
      legendgroup: `node ${node}`,
      x: points.map((p) => p.bandwidth_gbps),
      y: points.map((p) => p.latency_ns),
      line: {
        color: SERIES_COLORS[nodes.indexOf(node) % SERIES_COLORS.length],
        dash: DASHES[shares.indexOf(read_share) % DASHES.length],
        width: 2,
      },
      marker: { size: 5 },
      hovertemplate: `${name}<br>%{x:.1f} GB/s, %{y:.0f} ns<extra></extra>`,
    } as Data;
  });
  return new Figure(data, {
    title: { text: options.title ?? "Loaded latency" },
    font: { family: FONT_FAMILY, size: 13 },
    width: 900,
    height: 520,
    margin: { l: 80, r: 30, t: 60, b: 60 },
    xaxis: { title: { text: "bandwidth (GB/s)" }, rangemode: "tozero", zeroline: false },
    yaxis: { title: { text: "latency (ns)" }, rangemode: "tozero", zeroline: false },
    legend: { orientation: "v", x: 0.02, y: 0.98, xanchor: "left", yanchor: "top", bgcolor: "rgba(255,255,255,0.8)" },
    annotations:
      data.length === 0
        ? [{ text: "no measured loaded-latency curves in this topology", showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5 }]
        : [],
  });
}

function formatShare(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}
