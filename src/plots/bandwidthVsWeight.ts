/**
 * The LWN weighted-interleave figure: bandwidth against how pages are split between a fast node
 * (DRAM) and a slow one (CXL), from a `sweep()` over weights, with the reference policies marked
 * and measured points beside the simulated ones.
 */
import type { ColumnTable } from "arquero";
import type { Data, Layout } from "plotly.js-dist-min";
import { UsageError } from "../core/errors.js";
import { Figure } from "./figure.js";
import { requireColumns, rowsOf } from "./columns.js";
import { FONT_FAMILY, kindColor } from "./palette.js";

/**
 * A marked or measured point: where its pages were (`fastShare`, the fraction on the fast node,
 * or `weights` [fast, slow]) and its bandwidth.
 *
 * @example
 * { label: "9:1 task-wide", weights: [9, 1], bandwidthGBps: 217.7 }
 */
export interface WeightPoint {
  readonly label: string;
  readonly bandwidthGBps: number;
  /** Fraction of pages (and accesses) on the fast node, 0..1. */
  readonly fastShare?: number;
  /** Weights [fast, slow]; used when fastShare is absent. */
  readonly weights?: readonly [number, number];
}

/**
 * Options of {@link bandwidthVsWeight}.
 *
 * @example
 * { fast: 0, slow: 1, measured: [{ label: "9:1 task-wide", weights: [9, 1], bandwidthGBps: 217.7 }] }
 */
export interface BandwidthVsWeightOptions {
  /** The fast node (default 0) and the slow node (default 1). */
  readonly fast?: number;
  readonly slow?: number;
  /** Simulated reference policies to mark (DRAM only, CXL only, 1:1, auto weights...). */
  readonly marks?: readonly WeightPoint[];
  /** Measured results, drawn as open symbols. */
  readonly measured?: readonly WeightPoint[];
  /** Bandwidth column to plot; default "bandwidth_gbps" (STREAM-style counting). */
  readonly column?: string;
  readonly title?: string;
}

function shareOf(p: WeightPoint, what: string): number {
  const s = p.fastShare ?? (p.weights ? p.weights[0] / (p.weights[0] + p.weights[1]) : undefined);
  if (s === undefined || !(s >= 0 && s <= 1)) {
    throw new UsageError({ what, value: p, rule: "a point needs fastShare in 0..1 or weights [fast, slow]", fix: 'write { label: "9:1", weights: [9, 1], bandwidthGBps: 217.7 }' });
  }
  return s;
}

/** Tick positions for familiar ratios on the fast-share axis. */
const TICKS: readonly [number, string][] = [
  [0, "slow<br>only"],
  [0.5, "1:1"],
  [2 / 3, "2:1"],
  [0.75, "3:1"],
  [0.8, "4:1"],
  [0.9, "9:1"],
  [1, "fast<br>only"],
];

/**
 * Bandwidth (GB/s) against the share of pages on the fast node, one line through the sweep's
 * points, labelled reference marks and measured points. Takes the table of
 * `sweep({ grid: { weights } })` (columns `traffic_share_node<fast>` and `bandwidth_gbps`).
 *
 * @example
 * plots.bandwidthVsWeight(table, { marks: [{ label: "auto 28:3", weights: [28, 3], bandwidthGBps: 219.5 }] }).show();
 */
export function bandwidthVsWeight(table: ColumnTable, options: BandwidthVsWeightOptions = {}): Figure {
  const fast = options.fast ?? 0;
  const slow = options.slow ?? 1;
  const column = options.column ?? "bandwidth_gbps";
  const shareCol = `traffic_share_node${fast}`;
  requireColumns(table, [shareCol, column], "bandwidthVsWeight(table)", "the table of sweep({ base, grid: { weights: [...] } })");
  const rows = rowsOf<Record<string, number | string>>(table)
    .map((r) => ({ x: r[shareCol] as number, y: r[column] as number, weights: (r.weights as string | undefined) ?? "" }))
    .sort((a, b) => a.x - b.x);
  const fastColor = kindColor("dram").line;
  const data: Data[] = [
    {
      type: "scatter",
      mode: "lines+markers",
      name: "simulated, weight sweep",
      x: rows.map((r) => r.x),
      y: rows.map((r) => r.y),
      text: rows.map((r) => r.weights),
      line: { color: fastColor, width: 2 },
      marker: { size: 5, color: fastColor },
      hovertemplate: "weights %{text}<br>%{x:.3f} of pages on the fast node<br>%{y:.1f} GB/s<extra></extra>",
    } as Data,
  ];
  const marks = options.marks ?? [];
  if (marks.length > 0) {
    data.push({
      type: "scatter",
      mode: "text+markers",
      name: "simulated, reference policies",
      x: marks.map((m, i) => shareOf(m, `bandwidthVsWeight options.marks[${i}]`)),
      y: marks.map((m) => m.bandwidthGBps),
      text: marks.map((m) => m.label),
      // Labels point inward at the ends of the axis so they are not clipped.
      textposition: marks.map((m, i) => {
        const x = shareOf(m, `marks[${i}]`);
        return x > 0.95 ? "bottom left" : x < 0.05 ? "top right" : "top center";
      }),
      marker: { size: 11, color: "#222222", symbol: "diamond" },
      hovertemplate: "%{text}<br>%{y:.1f} GB/s<extra></extra>",
    } as Data);
  }
  const measured = options.measured ?? [];
  if (measured.length > 0) {
    data.push({
      type: "scatter",
      mode: "markers",
      name: "measured",
      x: measured.map((m, i) => shareOf(m, `bandwidthVsWeight options.measured[${i}]`)),
      y: measured.map((m) => m.bandwidthGBps),
      text: measured.map((m) => m.label),
      // Open circles around the simulated diamonds: both stay visible where they coincide.
      marker: { size: 16, color: kindColor("cxl").line, symbol: "circle-open", line: { width: 2.5 } },
      hovertemplate: "measured: %{text}<br>%{y:.1f} GB/s<extra></extra>",
    } as Data);
  }
  const layout: Partial<Layout> = {
    title: { text: options.title ?? "Bandwidth vs weighted-interleave weights" },
    font: { family: FONT_FAMILY, size: 13 },
    width: 1000,
    height: 540,
    margin: { l: 80, r: 20, t: 60, b: 90 },
    xaxis: {
      title: { text: `share of pages on node ${fast} (weights node ${fast} : node ${slow})` },
      range: [-0.03, 1.05],
      tickvals: TICKS.map((t) => t[0]),
      ticktext: TICKS.map((t) => t[1]),
      zeroline: false,
    },
    yaxis: { title: { text: "bandwidth (GB/s)" }, rangemode: "tozero", zeroline: false },
    legend: { orientation: "h", x: 0, y: -0.2, xanchor: "left", yanchor: "top" },
  };
  return new Figure(data, layout);
}
