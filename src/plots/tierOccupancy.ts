/**
 * Where a run's memory sits over time: bytes per node (and tier) as stacked areas.
 */
import type { ColumnTable } from "arquero";
import type { Data } from "plotly.js-dist-min";
import { UsageError } from "../core/errors.js";
import { Figure } from "./figure.js";
import { requireColumns, rowsOf } from "./columns.js";
import { FONT_FAMILY, kindColor, SERIES_COLORS } from "./palette.js";

/**
 * The parts of a run the figure reads: a SimulationResult fits.
 *
 * @example
 * plots.tierOccupancy({ occupancy: run.occupancy, nodes: run.nodes })
 */
export interface OccupancySource {
  readonly occupancy: ColumnTable;
  /** Per-node table with node and kind (memory kind), for labels and colours. */
  readonly nodes?: ColumnTable;
}

/**
 * Options of {@link tierOccupancy}.
 *
 * @example
 * { by: "region", title: "Where each array lives" }
 */
export interface TierOccupancyOptions {
  /** Stack by node (default), or by region ("process/region") or by region kind (anon, shmem, file). */
  readonly by?: "node" | "region" | "kind";
  readonly title?: string;
}

interface OccRow {
  time_s: number;
  node: number;
  tier: number | null;
  kind: string;
  process: string;
  region: string;
  bytes: number;
}

/**
 * Stacked area of bytes over time, one layer per node (labelled with its memory kind and tier),
 * per region or per region kind. Takes a `simulate()` result (or `{ occupancy }`).
 *
 * @example
 * plots.tierOccupancy(run).show();
 */
export function tierOccupancy(run: OccupancySource, options: TierOccupancyOptions = {}): Figure {
  if (run === null || typeof run !== "object" || !("occupancy" in run)) {
    throw new UsageError({ what: "tierOccupancy(run)", value: run, rule: "takes a simulate() result (or { occupancy })", fix: "pass the run: plots.tierOccupancy(run)" });
  }
  requireColumns(run.occupancy, ["time_s", "node", "tier", "kind", "process", "region", "bytes"], "tierOccupancy(run.occupancy)", "simulate(...).occupancy");
  const by = options.by ?? "node";
  const memKind = new Map<number, string>();
  if (run.nodes && run.nodes.columnNames().includes("kind")) for (const r of rowsOf<{ node: number; kind: string }>(run.nodes)) memKind.set(r.node, r.kind);
  const rows = rowsOf<OccRow>(run.occupancy);
  const times = [...new Set(rows.map((r) => r.time_s))].sort((a, b) => a - b);
  const layers = new Map<string, { label: string; color: string; bytes: Map<number, number>; order: number }>();
  for (const r of rows) {
    const key = by === "node" ? `n${r.node}` : by === "kind" ? r.kind : `${r.process}/${r.region}`;
    let layer = layers.get(key);
    if (!layer) {
      const kind = memKind.get(r.node) ?? null;
      const label = by === "node" ? `node ${r.node}${kind ? ` ${kind}` : ""}${r.tier === null ? "" : ` (memory_tier${r.tier})`}` : key;
      const color = by === "node" && kind ? kindColor(kind).line : SERIES_COLORS[layers.size % SERIES_COLORS.length]!;
      layer = { label, color, bytes: new Map(), order: by === "node" ? r.node : layers.size };
      layers.set(key, layer);
    }
    layer.bytes.set(r.time_s, (layer.bytes.get(r.time_s) ?? 0) + r.bytes);
  }
  const gib = 2 ** 30;
  const data: Data[] = [...layers.values()]
    .sort((a, b) => a.order - b.order)
    .map(
      (l) =>
        ({
          type: "scatter",
          mode: "lines",
          stackgroup: "bytes",
          name: l.label,
          x: times,
          y: times.map((t) => (l.bytes.get(t) ?? 0) / gib),
          // Placement changes at instants (allocation at a phase start): steps, not ramps.
          line: { color: l.color, width: 1, shape: "hv" },
          hovertemplate: `${l.label}<br>%{x:.2f} s: %{y:.2f} GiB<extra></extra>`,
        }) as Data,
    );
  return new Figure(data, {
    title: { text: options.title ?? "Memory by tier over time" },
    font: { family: FONT_FAMILY, size: 13 },
    width: 1000,
    height: 460,
    margin: { l: 80, r: 20, t: 60, b: 60 },
    xaxis: { title: { text: "time (s)" }, zeroline: false },
    yaxis: { title: { text: "memory (GiB)" }, rangemode: "tozero", zeroline: false },
    // Shown even for one layer: the reader must see which node the area is.
    showlegend: true,
    // Listed top layer first, as the areas stack.
    legend: { orientation: "v", x: 1.02, y: 1, xanchor: "left", yanchor: "top", traceorder: "reversed" },
    annotations: rows.length === 0 ? [{ text: "no pages allocated", showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5 }] : [],
  });
}
