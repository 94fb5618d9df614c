/**
 * Loaded-latency curves with the point each memory node ran at: how close to saturation a
 * policy drove each device, and what latency that cost.
 */
import type { ColumnTable } from "arquero";
import type { Data, Layout } from "plotly.js-dist-min";
import { Figure } from "./figure.js";
import { requireColumns, rowsOf } from "./columns.js";
import { FONT_FAMILY, kindColor } from "./palette.js";

/**
 * Options of {@link operatingPoints}.
 *
 * @example
 * { title: "9:1: where each node runs" }
 */
export interface OperatingPointsOptions {
  /** Figure title; default "Operating points on the loaded-latency curves". */
  readonly title?: string;
}

interface CurveRow {
  node: number;
  kind: string;
  read_share: number;
  bandwidth_gbps: number;
  latency_ns: number;
}

interface NodeRow {
  time_s: number;
  node: number;
  kind: string;
  bandwidth_gbps: number;
  latency_ns: number | null;
  utilisation: number;
  read_share: number;
}

/**
 * One curve per node (from `operatingCurvesTable(spec, run.nodes)`, or any table with node,
 * bandwidth_gbps and latency_ns) and a marker at each node's operating point (the last sample
 * of `run.nodes`), labelled with its bandwidth and utilisation.
 *
 * @example
 * plots.operatingPoints(operatingCurvesTable(spec, run.nodes), run.nodes).show();
 */
export function operatingPoints(curves: ColumnTable, nodes: ColumnTable, options: OperatingPointsOptions = {}): Figure {
  requireColumns(curves, ["node", "bandwidth_gbps", "latency_ns"], "operatingPoints(curves)", "operatingCurvesTable(spec, run.nodes)");
  requireColumns(nodes, ["time_s", "node", "bandwidth_gbps", "latency_ns", "utilisation"], "operatingPoints(curves, nodes)", "run.nodes");
  const curveRows = rowsOf<CurveRow>(curves);
  const nodeRows = rowsOf<NodeRow>(nodes);
  const last = Math.max(...nodeRows.map((r) => r.time_s));
  const points = nodeRows.filter((r) => r.time_s === last);
  const data: Data[] = [];
  const ids = [...new Set(curveRows.map((r) => r.node))].sort((a, b) => a - b);
  // One panel per node: a CXL device saturates at a tenth of a DRAM socket's bandwidth and would
  // be a sliver at the left of a shared axis.
  const gap = 0.06;
  const width = (1 - gap * (ids.length - 1)) / Math.max(1, ids.length);
  const axes: Record<string, unknown> = {};
  const titles: Record<string, unknown>[] = [];
  ids.forEach((_id, i) => {
    const name = i === 0 ? "xaxis" : `xaxis${i + 1}`;
    axes[name] = { domain: [i * (width + gap), i * (width + gap) + width], title: { text: "bandwidth (GB/s)" }, rangemode: "tozero", zeroline: false, anchor: "y" };
  });
  ids.forEach((id, idx) => {
    const xref = idx === 0 ? "x" : `x${idx + 1}`;
    const rows = curveRows.filter((r) => r.node === id).sort((a, b) => a.bandwidth_gbps - b.bandwidth_gbps);
    const kind = rows[0]!.kind ?? points.find((p) => p.node === id)?.kind ?? null;
    const color = kindColor(kind).line;
    const share = rows[0]!.read_share;
    const label = `node ${id}${kind ? ` ${kind}` : ""}`;
    titles.push({ text: `<b>${label}</b>${share === undefined ? "" : `, ${Math.round(share * 100)}% reads`}`, showarrow: false, xref: "paper", yref: "paper", x: idx * (width + gap) + width / 2, y: 1.0, yanchor: "bottom", xanchor: "center" });
    data.push({
      xaxis: xref,
      type: "scatter",
      mode: "lines",
      name: `${label}: model curve`,
      legendgroup: label,
      x: rows.map((r) => r.bandwidth_gbps),
      y: rows.map((r) => r.latency_ns),
      line: { color, width: 2 },
      hovertemplate: `${label}<br>%{x:.1f} GB/s, %{y:.0f} ns<extra></extra>`,
    } as Data);
    const p = points.find((x) => x.node === id);
    if (p && p.latency_ns !== null && p.bandwidth_gbps > 0) {
      // The label sits left of the marker: operating points are usually near the steep right end.
      data.push({
        xaxis: xref,
        type: "scatter",
        mode: "text+markers",
        name: `${label}: operating point`,
        legendgroup: label,
        x: [p.bandwidth_gbps],
        y: [p.latency_ns],
        text: [`${p.bandwidth_gbps.toFixed(1)} GB/s, ${Math.round(p.utilisation * 100)}% of peak`],
        textposition: "top left",
        textfont: { color },
        marker: { color, size: 13, symbol: "diamond", line: { color: "white", width: 1.5 } },
        hovertemplate: `${label} operating point<br>%{x:.1f} GB/s, %{y:.0f} ns<extra></extra>`,
      } as Data);
    }
  });
  return new Figure(data, {
    title: { text: options.title ?? "Operating points on the loaded-latency curves" },
    font: { family: FONT_FAMILY, size: 13 },
    width: 1000,
    height: 520,
    margin: { l: 80, r: 20, t: 90, b: 60 },
    ...axes,
    yaxis: { title: { text: "latency (ns)" }, rangemode: "tozero", zeroline: false },
    showlegend: false,
    annotations: titles,
  } as Partial<Layout>);
}
