/**
 * Where a run's memory sits over time: bytes per node (and tier) as stacked areas.
 */
import type { ColumnTable } from "arquero";
import type { Data } from "plotly.js-dist-min";
import { UsageError } from "../core/errors.js";
import { Figure } from "./figure.js";
import { requireColumns, rowsOf } from "./columns.js";
import { darken, FONT_FAMILY, kindColor, SERIES_COLORS, shade } from "./palette.js";

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
  /**
   * Stack by node (default), by region ("process/region"), by region kind (anon, shmem, file),
   * by node and kind ("node+kind": where the shmem sits), or by node and hot/cold ("hot": where
   * the hot set sits; needs the occupancy's `hot` column). Split layers keep their node's hue;
   * a second node of the same memory kind (socket 1's DRAM) is drawn darker than the first.
   */
  readonly by?: TierOccupancyBy;
  readonly title?: string;
}

/**
 * The layerings of {@link tierOccupancy}.
 *
 * @example
 * const by: TierOccupancyBy = "node+kind";
 */
export type TierOccupancyBy = "node" | "region" | "kind" | "node+kind" | "hot";

const BY_VALUES: readonly TierOccupancyBy[] = ["node", "region", "kind", "node+kind", "hot"];
const REGION_KINDS: readonly string[] = ["anon", "shmem", "file"];

interface OccRow {
  time_s: number;
  node: number;
  tier: number | null;
  kind: string;
  process: string;
  region: string;
  bytes: number;
  hot?: boolean | null;
}

/**
 * Stacked area of bytes over time, one layer per node (labelled with its memory kind and tier),
 * per region, per region kind, per node and kind, or per node and hot/cold. Takes a
 * `simulate()` result (or `{ occupancy }`).
 *
 * @example
 * plots.tierOccupancy(run).show();
 * plots.tierOccupancy(run, { by: "hot" }).show(); // is the hot set on DRAM or on CXL?
 */
export function tierOccupancy(run: OccupancySource, options: TierOccupancyOptions = {}): Figure {
  if (run === null || typeof run !== "object" || !("occupancy" in run)) {
    throw new UsageError({ what: "tierOccupancy(run)", value: run, rule: "takes a simulate() result (or { occupancy })", fix: "pass the run: plots.tierOccupancy(run)" });
  }
  const by = options.by ?? "node";
  if (!BY_VALUES.includes(by)) {
    throw new UsageError({ what: "tierOccupancy options.by", value: by, rule: `must be one of ${BY_VALUES.join(", ")}`, fix: 'write e.g. { by: "node+kind" }' });
  }
  const columns = ["time_s", "node", "tier", "kind", "process", "region", "bytes", ...(by === "hot" ? ["hot"] : [])];
  requireColumns(run.occupancy, columns, "tierOccupancy(run.occupancy)", "simulate(...).occupancy");
  const memKind = new Map<number, string>();
  if (run.nodes && run.nodes.columnNames().includes("kind")) for (const r of rowsOf<{ node: number; kind: string }>(run.nodes)) memKind.set(r.node, r.kind);
  // The second, third... node of one memory kind gets a darker version of the kind's colour.
  const kindRank = new Map<number, number>();
  const perKind = new Map<string, number>();
  for (const n of [...memKind.keys()].sort((a, b) => a - b)) {
    const k = memKind.get(n)!;
    kindRank.set(n, perKind.get(k) ?? 0);
    perKind.set(k, (perKind.get(k) ?? 0) + 1);
  }
  const rows = rowsOf<OccRow>(run.occupancy);
  const times = [...new Set(rows.map((r) => r.time_s))].sort((a, b) => a - b);
  const layers = new Map<string, { label: string; color: string; bytes: Map<number, number>; order: number }>();
  for (const r of rows) {
    const key = layerKey(r, by);
    let layer = layers.get(key);
    if (!layer) layers.set(key, (layer = { ...layerOf(r, by, memKind.get(r.node) ?? null, kindRank.get(r.node) ?? 0, layers.size), bytes: new Map<number, number>() }));
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

function nodeLabel(r: OccRow, kind: string | null): string {
  return `node ${r.node}${kind ? ` ${kind}` : ""}${r.tier === null ? "" : ` (memory_tier${r.tier})`}`;
}

/** The key of the layer a row belongs to (rows with one key stack as one layer). */
function layerKey(r: OccRow, by: TierOccupancyBy): string {
  switch (by) {
    case "node":
      return `n${r.node}`;
    case "node+kind":
      return `n${r.node}/${r.kind}`;
    case "hot":
      return `n${r.node}/${r.hot === true}`;
    case "kind":
      return r.kind;
    default:
      return `${r.process}/${r.region}`;
  }
}

function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length]!;
}

/**
 * A new layer's legend label, colour and stacking order, from its first row; `index` is the
 * number of layers before it. A node's colour is its memory kind's, darker for the kind's
 * second, third... node; a node of unknown kind takes a series colour: by node number where
 * the layer is shaded by region kind or hotness, by order of appearance for `by: "node"`.
 */
function layerOf(r: OccRow, by: TierOccupancyBy, memKind: string | null, kindRank: number, index: number): { label: string; color: string; order: number } {
  const nodeColor = (unknownKind: number): string => (memKind ? darken(kindColor(memKind).line, Math.min(0.6, 0.35 * kindRank)) : seriesColor(unknownKind));
  switch (by) {
    case "node":
      return { label: nodeLabel(r, memKind), color: nodeColor(index), order: r.node };
    case "node+kind": {
      const k = Math.max(0, REGION_KINDS.indexOf(r.kind));
      return { label: `${nodeLabel(r, memKind)} ${r.kind}`, color: shade(nodeColor(r.node), 0.3 * k), order: r.node * 10 + k };
    }
    case "hot": {
      const hot = r.hot === true;
      return { label: `${nodeLabel(r, memKind)} ${hot ? "hot" : "cold"}`, color: hot ? nodeColor(r.node) : shade(nodeColor(r.node), 0.55), order: r.node * 10 + (hot ? 0 : 1) };
    }
    case "kind":
      return { label: r.kind, color: seriesColor(index), order: index };
    default:
      return { label: `${r.process}/${r.region}`, color: seriesColor(index), order: index };
  }
}
