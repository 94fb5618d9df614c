/**
 * perf/: the bandwidth and loaded-latency model and its closed-loop solver (DESIGN.md decision 4).
 * Imports only core/ and topology/.
 */
export { solvePerformance } from "./solve.js";
export { loadedLatency, peakBandwidth, mixedBandwidth, DEFAULT_LATENCY_SHAPE, SATURATION_STEEPNESS } from "./curves.js";
export { loadedLatencyCurve, routePeakBandwidth } from "./openloop.js";
export type { LoadedLatencyPoint, LoadedLatencyCurveOptions } from "./openloop.js";
export { linkPath, linkCapacity, LINK_QUEUE_FLOOR_NS } from "./links.js";
export type { LinkPath, LinkCrossing } from "./links.js";
export { DEFAULT_MLP, DEFAULT_MLP_BY_PATTERN, STREAM_TRIAD } from "./calibration.js";
export { CACHE_LINE_BYTES } from "./model.js";
export type { PerfTask, PerformanceInput, PerformanceSolution, TaskPerformance, NodePerformance, LinkPerformance } from "./model.js";
