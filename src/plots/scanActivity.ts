/**
 * How hard NUMA balancing is working: each task's scan period (kernel-model.md §4.11, adapted
 * between scan_period_min 1000 ms and scan_period_max 60000 ms) and each fast node's promotion
 * hot threshold (§5.4), over time. A task whose period climbs to the maximum has stopped
 * learning; a threshold that falls means promotion candidates exceed the rate limit.
 */
import type { ColumnTable } from "arquero";
import type { Data, Layout } from "plotly.js-dist-min";
import { Figure } from "./figure.js";
import { requireColumns, rowsOf } from "./columns.js";
import { kindColor, SERIES_COLORS } from "./palette.js";
import { axisNames, panelCaption, panelDomains, timeLayout } from "./panels.js";
import { titleOption } from "./runs.js";
import { UsageError } from "../core/errors.js";

/**
 * What {@link scanActivity} reads: `tasks` with scan_period_ms and `nodes` with
 * promo_threshold_ms. A SimulationResult fits.
 *
 * @example
 * plots.scanActivity({ tasks: run.tasks, nodes: run.nodes })
 */
export interface ScanActivitySource {
  readonly tasks: ColumnTable;
  readonly nodes: ColumnTable;
}

/**
 * Options of {@link scanActivity}.
 *
 * @example
 * { title: "Scan period and promotion threshold, seed 004" }
 */
export interface ScanActivityOptions {
  /** Figure title; default "NUMA balancing scan period and promotion threshold". */
  readonly title?: string;
}

/**
 * Two panels sharing the time axis: scan period per task (top) and promotion threshold per node
 * (bottom; nodes whose threshold is always null, i.e. not toptier or tiering off, are left out).
 * Both are drawn as steps: the kernel changes them at instants (end of a scan, end of a
 * threshold window). A panel with nothing to draw says why.
 *
 * @example
 * plots.scanActivity(run).show();
 */
export function scanActivity(run: ScanActivitySource, options: ScanActivityOptions = {}): Figure {
  if (run === null || typeof run !== "object" || !("tasks" in run) || !("nodes" in run)) {
    throw new UsageError({ what: "scanActivity(run)", value: run, rule: "takes a simulate() result (or { tasks, nodes })", fix: "pass the run: plots.scanActivity(run)" });
  }
  requireColumns(run.tasks, ["time_s", "task", "scan_period_ms"], "scanActivity(run.tasks)", "simulate(...).tasks");
  requireColumns(run.nodes, ["time_s", "node", "promo_threshold_ms"], "scanActivity(run.nodes)", "simulate(...).nodes");
  const title = titleOption(options.title, "NUMA balancing scan period and promotion threshold", "scanActivity options.title");
  const tasks = groupSeries(rowsOf<{ time_s: number; task: string; scan_period_ms: number | null }>(run.tasks), (r) => r.task, (r) => r.scan_period_ms);
  const nodeKind = new Map<string, string | null>();
  const nodeRows = rowsOf<{ time_s: number; node: number; kind?: string; promo_threshold_ms: number | null }>(run.nodes);
  for (const r of nodeRows) nodeKind.set(`node ${r.node}`, r.kind ?? null);
  const nodes = groupSeries(nodeRows, (r) => `node ${r.node}`, (r) => r.promo_threshold_ms);

  const [bottom, top] = panelDomains(2, 0.14);
  const data: Data[] = [];
  const panels = [
    { series: tasks, axis: axisNames("y", 0), domain: top!, unit: "scan period (ms)", caption: "scan period per task", group: "tasks", empty: "NUMA balancing off: no task has a scan period" },
    { series: nodes, axis: axisNames("y", 1), domain: bottom!, unit: "hot threshold (ms)", caption: "promotion threshold per node", group: "nodes", empty: "no promotion threshold: tiering mode off or no toptier node" },
  ];
  const layout: Record<string, unknown> = {};
  const annotations: Record<string, unknown>[] = [];
  panels.forEach((p, pi) => {
    layout[p.axis.key] = { domain: p.domain, title: { text: p.unit }, rangemode: "tozero", zeroline: false, anchor: "x", tickformat: ",.0f" };
    annotations.push(panelCaption(p.caption, [0, 1], p.domain));
    if (p.series.size === 0) {
      annotations.push({ text: p.empty, showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: (p.domain[0] + p.domain[1]) / 2 });
    }
    [...p.series].forEach(([name, s], i) => {
      const kind = pi === 1 ? nodeKind.get(name) ?? null : null;
      const label = kind ? `${name} ${kind}` : name;
      data.push({
        type: "scatter",
        mode: "lines",
        name: label,
        // One legend holds both panels: group titles say which panel a line belongs to.
        legendgroup: p.group,
        legendgrouptitle: { text: p.group },
        xaxis: "x",
        yaxis: p.axis.ref,
        x: s.x,
        y: s.y,
        connectgaps: false,
        line: { color: kind ? kindColor(kind).line : SERIES_COLORS[i % SERIES_COLORS.length], width: 2, shape: "hv" },
        hovertemplate: `${label}<br>%{x:.2f} s: %{y:.0f} ms<extra></extra>`,
      } as Data);
    });
  });
  return new Figure(data, {
    ...timeLayout(title, 560, "y2"),
    ...layout,
    annotations,
  } as Partial<Layout>);
}

/** Time series per key, in time order; keys whose value is null at every sample are dropped. */
function groupSeries<R extends { time_s: number }>(rows: readonly R[], key: (r: R) => string, value: (r: R) => number | null): Map<string, { x: number[]; y: (number | null)[] }> {
  const out = new Map<string, { x: number[]; y: (number | null)[] }>();
  const sorted = [...rows].sort((a, b) => a.time_s - b.time_s);
  for (const r of sorted) {
    let s = out.get(key(r));
    if (!s) out.set(key(r), (s = { x: [], y: [] }));
    s.x.push(r.time_s);
    s.y.push(value(r) ?? null);
  }
  for (const [k, s] of out) if (s.y.every((v) => v === null)) out.delete(k);
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true })));
}
