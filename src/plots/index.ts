/**
 * The figure builders as one namespace, so a notebook imports `plots` once and discovers the
 * catalogue by completion (`plots.` + Tab).
 */
import { loadedLatency } from "./loadedLatency.js";
import { topologyDiagram } from "./topologyDiagram.js";
import { bandwidthVsWeight } from "./bandwidthVsWeight.js";
import { operatingPoints } from "./operatingPoints.js";
import { trafficSplit } from "./trafficSplit.js";
import { tierOccupancy } from "./tierOccupancy.js";
import { convergence } from "./convergence.js";
import { counterTimeline } from "./counterTimeline.js";
import { compareRuns } from "./compareRuns.js";
import { scanActivity } from "./scanActivity.js";

/** Every figure builder; each is a pure function from tables to a {@link Figure}. */
export interface Plots {
  /** Latency against bandwidth per node and read share, from `latencyCurvesTable`. */
  readonly loadedLatency: typeof loadedLatency;
  /** Tiers, sockets, nodes and links, from `nodesTable` and `linksTable`. */
  readonly topologyDiagram: typeof topologyDiagram;
  /** Bandwidth against the fast node's share of pages, from a weight `sweep()`. */
  readonly bandwidthVsWeight: typeof bandwidthVsWeight;
  /** Each node's operating point on its loaded-latency curve, from `operatingCurvesTable` and `run.nodes`. */
  readonly operatingPoints: typeof operatingPoints;
  /** Per-node traffic of each task, from `run.summary`. */
  readonly trafficSplit: typeof trafficSplit;
  /** Bytes per node/tier over time as stacked areas, from a `simulate()` result. */
  readonly tierOccupancy: typeof tierOccupancy;
  /** Share of each process's hot pages on the fast tier over time, runs overlaid, from `run.occupancy`. */
  readonly convergence: typeof convergence;
  /** /proc/vmstat counters over time (cumulative or per second), one panel per counter, from `run.vmstat`. */
  readonly counterTimeline: typeof counterTimeline;
  /** Runs side by side: throughput, hot pages on the fast tier, pages promoted/demoted, kernel CPU time. */
  readonly compareRuns: typeof compareRuns;
  /** Scan period per task and promotion threshold per node over time, from `run.tasks` and `run.nodes`. */
  readonly scanActivity: typeof scanActivity;
}

/**
 * The figure builders.
 *
 * @example
 * plots.topologyDiagram(nodesTable(presets.sprCxl()), linksTable(presets.sprCxl())).show();
 * await plots.loadedLatency(latencyCurvesTable(spec)).savePNG("latency.png");
 */
export const plots: Plots = Object.freeze({
  loadedLatency,
  topologyDiagram,
  bandwidthVsWeight,
  operatingPoints,
  trafficSplit,
  tierOccupancy,
  convergence,
  counterTimeline,
  compareRuns,
  scanActivity,
});

export { Figure } from "./figure.js";
export type { FigureJSON } from "./figure.js";
export { closeRenderer } from "./render.js";
export type { ImageOptions } from "./render.js";
export type { LoadedLatencyOptions } from "./loadedLatency.js";
export type { TopologyDiagramOptions } from "./topologyDiagram.js";
export type { BandwidthVsWeightOptions, WeightPoint } from "./bandwidthVsWeight.js";
export type { OperatingPointsOptions } from "./operatingPoints.js";
export type { TrafficSplitOptions } from "./trafficSplit.js";
export type { TierOccupancyOptions, TierOccupancyBy, OccupancySource } from "./tierOccupancy.js";
export type { ConvergenceOptions, ConvergenceSource } from "./convergence.js";
export type { CounterTimelineOptions, CounterSource } from "./counterTimeline.js";
export type { CompareRunsOptions, CompareSource, RunMetrics } from "./compareRuns.js";
export type { ScanActivityOptions, ScanActivitySource } from "./scanActivity.js";
export type { RunsInput } from "./runs.js";
