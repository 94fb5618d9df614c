/**
 * Per-node traffic of each task (or each configuration): which node serves how much.
 */
import type { ColumnTable } from "arquero";
import type { Data } from "plotly.js-dist-min";
import { UsageError } from "../core/errors.js";
import { Figure } from "./figure.js";
import { rowsOf } from "./columns.js";
import { FONT_FAMILY, SERIES_COLORS } from "./palette.js";

/**
 * Options of {@link trafficSplit}.
 *
 * @example
 * { by: "config", colors: { 0: "#1f5fa8", 1: "#c2571a" } }
 */
export interface TrafficSplitOptions {
  /** Column naming the bars; default "task" (use e.g. "config" for a table of several runs). */
  readonly by?: string;
  /** Colour per node id; default one series colour per node. */
  readonly colors?: Readonly<Record<number, string>>;
  readonly title?: string;
}

/**
 * Stacked horizontal bars: each row's memory traffic (GB/s, `traffic_gbps`) split over nodes by
 * its `traffic_share_node<N>` columns. Takes `run.summary`, or several summaries joined with a
 * label column named by `options.by`.
 *
 * @example
 * plots.trafficSplit(run.summary).show();
 */
export function trafficSplit(summary: ColumnTable, options: TrafficSplitOptions = {}): Figure {
  const by = options.by ?? "task";
  const names = typeof summary?.columnNames === "function" ? summary.columnNames() : [];
  const shares = names.filter((n) => /^traffic_share_node\d+$/.test(n));
  if (!names.includes(by) || !names.includes("traffic_gbps") || shares.length === 0) {
    throw new UsageError({ what: "trafficSplit(summary)", value: names, rule: `needs the columns ${by}, traffic_gbps and traffic_share_node<N>`, fix: "pass run.summary (or a sweep table with { by: \"point\" })" });
  }
  const rows = rowsOf<Record<string, number | string>>(summary);
  const labels = rows.map((r) => String(r[by]));
  const data: Data[] = shares.map((col, i) => {
    const node = Number(col.replace("traffic_share_node", ""));
    return {
      type: "bar",
      orientation: "h",
      name: `node ${node}`,
      y: labels,
      x: rows.map((r) => (r.traffic_gbps as number) * (r[col] as number)),
      customdata: rows.map((r) => (r[col] as number) * 100),
      marker: { color: options.colors?.[node] ?? SERIES_COLORS[i % SERIES_COLORS.length] },
      hovertemplate: `%{y}: node ${node} serves %{x:.1f} GB/s (%{customdata:.1f}%)<extra></extra>`,
    } as Data;
  });
  return new Figure(data, {
    title: { text: options.title ?? "Memory traffic per node" },
    font: { family: FONT_FAMILY, size: 13 },
    barmode: "stack",
    width: 1000,
    height: Math.max(300, 170 + 46 * labels.length),
    margin: { l: 200, r: 20, t: 60, b: 110 },
    xaxis: { title: { text: "memory traffic (GB/s, reads + writes)" }, rangemode: "tozero" },
    yaxis: { autorange: "reversed", automargin: true, ticksuffix: "  " },
    showlegend: true,
    legend: { orientation: "h", x: 0, y: -0.25, xanchor: "left", yanchor: "top", traceorder: "normal" },
  });
}
