/**
 * The workload library's public names, re-exported by src/index.ts.
 */
export { workload, WorkloadBuilder } from "./workloadBuilder.js";
export { ProcessBuilder } from "./processBuilder.js";
export type { RegionOptions, AccessInput, PerfOptions } from "./processBuilder.js";
export type {
  ShortcutOptions,
  RegionShortcutOptions,
  SharableShortcutOptions,
  StreamOptions,
  MlcOptions,
  GaussianOptions,
  ZipfOptions,
  KvCacheOptions,
  FileScanOptions,
  ColdHogOptions,
} from "./shortcuts.js";
export { workloadFromJSON, workloadToJSON } from "./json.js";
export { validateWorkload } from "./validateWorkload.js";
export type { WorkloadValidation } from "./validateWorkload.js";
export { WORKLOAD_FORMAT } from "./types.js";
export type { WorkloadSpec, ProcessSpec, RegionSpec, RegionKind, PhaseSpec, AccessSpec, PerfSpec, CpuBinding } from "./types.js";
export { pageWeights, isSequential, defaultReadShare, patternPerf, PATTERN_TYPES } from "./patterns/registry.js";
export type { PatternInput } from "./patterns/registry.js";
export { streamTraffic, streamArrayUse, STREAM_KERNELS, STREAM_ELEMENT_BYTES } from "./patterns/stream.js";
export type { StreamTraffic } from "./patterns/stream.js";
export { kvHotPages } from "./patterns/kvCache.js";
export { MLC_MIXES } from "./patterns/mlc.js";
export { DEFAULT_PERF } from "./defaults.js";
export { hotPageMask } from "./hotPages.js";
export type {
  PatternSpec,
  PatternType,
  PerfDefaults,
  StreamKernel,
  StreamArray,
  MlcMix,
  StreamPattern,
  MlcPattern,
  PointerChasePattern,
  UniformPattern,
  GaussianPattern,
  ZipfPattern,
  KvCachePattern,
  FileScanPattern,
  ColdHogPattern,
} from "./patterns/types.js";
