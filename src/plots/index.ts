/**
 * The figure builders as one namespace, so a notebook imports `plots` once and discovers the
 * catalogue by completion (`plots.` + Tab).
 */
import { loadedLatency } from "./loadedLatency.js";
import { topologyDiagram } from "./topologyDiagram.js";

/** Every figure builder; each is a pure function from tables to a {@link Figure}. */
export interface Plots {
  /** Latency against bandwidth per node and read share, from `latencyCurvesTable`. */
  readonly loadedLatency: typeof loadedLatency;
  /** Tiers, sockets, nodes and links, from `nodesTable` and `linksTable`. */
  readonly topologyDiagram: typeof topologyDiagram;
}

/**
 * The figure builders.
 *
 * @example
 * plots.topologyDiagram(nodesTable(presets.sprCxl()), linksTable(presets.sprCxl())).show();
 * await plots.loadedLatency(latencyCurvesTable(spec)).savePNG("latency.png");
 */
export const plots: Plots = Object.freeze({ loadedLatency, topologyDiagram });

export { Figure } from "./figure.js";
export type { FigureJSON } from "./figure.js";
export { closeRenderer } from "./render.js";
export type { ImageOptions } from "./render.js";
export type { LoadedLatencyOptions } from "./loadedLatency.js";
export type { TopologyDiagramOptions } from "./topologyDiagram.js";
