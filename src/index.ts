/**
 * tiersim's public surface: named re-exports only. Each folder owns one section; keep the
 * sections in the import order of DESIGN.md.
 */

// --- core ---
export { TiersimError, UsageError, ScenarioError, SyscallError, ERRNO, formatPath } from "./core/errors.js";
export type { UsageProblem, Issue, ErrnoName } from "./core/errors.js";
export {
  parseSize,
  parseBandwidth,
  parseDuration,
  sizeToPages,
  formatSize,
  formatBandwidth,
  formatDuration,
  PAGE_SIZE,
  HPAGE_PMD_SIZE,
} from "./core/units.js";
export type { Size, Bandwidth, Duration } from "./core/units.js";
export { Random, hashUniform } from "./core/random.js";
export { Warnings } from "./core/warnings.js";
export type { Warning } from "./core/warnings.js";

// --- topology ---
export type {
  MemoryKind,
  ZoneType,
  LatencyCurveSpec,
  MemorySpec,
  PrivateMemorySpec,
  CompressionSpec,
  PrivateNodeOp,
  NodeSpec,
  LinkSpec,
  TopologySpec,
  AccessCoordinates,
  Watermarks,
  MemoryTier,
  TopologyKnobs,
  KernelTopology,
} from "./topology/types.js";
export { topology, setMemoryOnline } from "./topology/builder.js";
export { withMemoryCapacity } from "./topology/resize.js";
export type {
  TopologyBuilder,
  SocketOptions,
  NodeOptions,
  CxlOptions,
  PrivateNodeOptions,
  InterconnectOptions,
  CpuOptions,
  MemoryOptions,
  CurveOptions,
  LinkOptions,
} from "./topology/builder.js";
export { validateTopology } from "./topology/validate.js";
export { topologyToJSON, topologyFromJSON } from "./topology/json.js";
export { presets, presetNames } from "./topology/presets.js";
export type { Presets } from "./topology/presets.js";
export { deriveKernelTopology, DEFAULT_TOPOLOGY_KNOBS } from "./topology/derive.js";
export { nextDemotionNode } from "./topology/demotion.js";
export { MEMTIER_ADISTANCE_DRAM, MEMTIER_DEFAULT_DAX_ADISTANCE, mtPerfToAdistance } from "./topology/tiers.js";
export type { KernelCoordinates } from "./topology/tiers.js";
export { formatNodelist, numactlHardware, memoryTiersSysfs, demotionTargetsText, zonelistsText } from "./topology/views.js";
export { NP_OPS, PRIVATE_OP_RULES, checkPrivate, privateSpecOf, hasPrivateOp, mempolicyNodes } from "./topology/private.js";
export type { PrivateOpRule, PrivateProblem, PrivateCheck } from "./topology/private.js";
export { privateReachability, walkedZonelist, PRIVATE_NODE_DESIGNS, GFP_COMBINATIONS } from "./topology/privateZonelist.js";
export type { PrivateNodeDesign, ZonelistWalk, GfpCombination, ReachabilityRow } from "./topology/privateZonelist.js";
export { privateNodesExample, PRIVATE_EXAMPLE_DISTANCES } from "./topology/privateExample.js";
export type { PrivateNodesExampleOptions } from "./topology/privateExample.js";
export { cramMachine, CRAM_DECOMPRESS_NS } from "./topology/cramExample.js";
export type { CramMachineOptions } from "./topology/cramExample.js";
export { checkCompression, deviceBytes, COMPRESSION_DEFAULTS, MAX_COMPRESSION_RATIO } from "./topology/compression.js";
export type { CompressionProblem } from "./topology/compression.js";
export { Cram } from "./kernel/private/cram.js";
export type { CramNodeState } from "./kernel/private/cram.js";

// --- policy ---
export { MPOL_MODES, MPOL_MAX, MPOL_MODE_FLAGS, GET_MEMPOLICY_FLAGS, MBIND_FLAGS } from "./policy/types.js";
export type { ModeName, ModeFlagName, GetMempolicyFlagName, MbindFlagName, Nodemask, Policy } from "./policy/types.js";
export {
  MAX_NUMNODES,
  toNodemask,
  copyNodemaskFromUser,
  parseNodelist,
  nodesFold,
  nodesOnto,
  nodesRemap,
  relativeNodemask,
  nextNodeIn,
} from "./policy/nodemask.js";
export type { NodemaskInput } from "./policy/nodemask.js";
export { mempolicyFeatures, parseKernelVersion, LATEST_MEMPOLICY_FEATURES } from "./policy/features.js";
export type { MempolicyFeatures } from "./policy/features.js";
export { decodeMode, modeNumber } from "./policy/modes.js";
export type { ModeInput, ModeFlagInput, DecodedMode, DecodeModeOptions } from "./policy/modes.js";
export { mpolNew, mpolFromSyscall } from "./policy/create.js";
export type { MpolNewArgs, MpolFromSyscallArgs } from "./policy/create.js";
export { mpolRebind } from "./policy/rebind.js";
export {
  InterleaveState,
  interleaveNid,
  weightedInterleaveNid,
  interleaveNodes,
  weightedInterleaveNodes,
  nextInterleaveNode,
} from "./policy/interleave.js";
export type { WeightSource, TaskInterleave } from "./policy/interleave.js";
export { policyNodeChoice } from "./policy/choice.js";
export type { NodeChoice, NodeChoiceInput, AllocZone } from "./policy/choice.js";
export { bulkInterleaveSplit, bulkWeightedInterleaveSplit } from "./policy/bulk.js";
export type { BulkSplit, BulkAllocate } from "./policy/bulk.js";
export { WeightedInterleaveWeights, reduceInterleaveWeights, MAX_INTERLEAVE_WEIGHT, WEIGHTINESS } from "./policy/weights.js";
export type { WeightMode } from "./policy/weights.js";
export { numactl, NumactlError, splitCommandLine } from "./policy/numactl.js";
export type { NumactlOptions, NumactlPolicy, NumactlCommand } from "./policy/numactl.js";
export { parseLibnumaList } from "./policy/nodestring.js";
export type { ListParseContext, ListParseResult } from "./policy/nodestring.js";
export { mempolicyReport, mpolToStr } from "./policy/report.js";
export type { MempolicyReport } from "./policy/report.js";
export { checkPrivateNodes } from "./policy/privateNodes.js";
export type { PrivateNodeUse } from "./policy/privateNodes.js";

// --- workload ---
export { workload, WorkloadBuilder, ProcessBuilder, workloadFromJSON, workloadToJSON, validateWorkload, WORKLOAD_FORMAT } from "./workload/index.js";
export { pageWeights, isSequential, defaultReadShare, patternPerf, hotPageMask, PATTERN_TYPES, DEFAULT_PERF } from "./workload/index.js";
export { streamTraffic, streamArrayUse, STREAM_KERNELS, STREAM_ELEMENT_BYTES, kvHotPages, MLC_MIXES } from "./workload/index.js";
export type {
  WorkloadSpec,
  ProcessSpec,
  RegionSpec,
  RegionKind,
  PhaseSpec,
  AccessSpec,
  PerfSpec,
  CpuBinding,
  WorkloadValidation,
  RegionOptions,
  AccessInput,
  PerfOptions,
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
  PatternInput,
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
  StreamTraffic,
} from "./workload/index.js";
export { policy, PolicySetBuilder, validatePolicyAgainstWorkload, POLICY_FORMAT } from "./policy/policySet.js";
export type { PolicySetSpec, PolicyArgs, TaskPolicySpec, VmaPolicySpec, WeightsSpec, SettingSpec, WorkloadNames } from "./policy/policySet.js";
export { policyFromJSON, policyToJSON } from "./policy/policySetJson.js";
export { checkPolicyFit } from "./policy/policyFit.js";
export type { WorkloadFootprint } from "./policy/policyFit.js";

// --- kernel ---
export { boot } from "./kernel/boot.js";
export type { BootOptions } from "./kernel/boot.js";
export { Kernel } from "./kernel/kernel.js";
export type { SpawnOptions, OomKill } from "./kernel/kernel.js";
export { Process } from "./kernel/process.js";
export type { MmapOptions, TouchOptions } from "./kernel/process.js";
export type { AccessRangeOptions } from "./kernel/accessRange.js";
export type { GetMempolicyOptions, GetMempolicyResult } from "./kernel/syscalls/policy.js";
export type { ModeArg, NodesArg } from "./kernel/mpol.js";
export type { FlagsArg } from "./kernel/syscalls/mbind.js";
export { SegfaultError, OomKilledError } from "./kernel/signals.js";
export { MemObject } from "./kernel/objects.js";
export { Cpusets, Cpuset } from "./kernel/cpuset.js";
export type { NodeNumastat, NodeMeminfo } from "./kernel/observe.js";
export { BEHAVIOUR_STATUS, resolveBehaviours } from "./kernel/behaviours.js";
export type { KernelBehaviours, ResolvedBehaviours, PreferredManyRule, VmaScanFilter, PinnedScanSkip } from "./kernel/behaviours.js";
export { AccessModel } from "./kernel/access.js";
export type { FrameAccess } from "./kernel/access.js";
export { CostLedger, DEFAULT_KERNEL_COSTS } from "./kernel/costs.js";
export type { KernelCosts, CostKind } from "./kernel/costs.js";
export { EventQueue } from "./engine/queue.js";
export type { QueuedEvent } from "./engine/queue.js";
export { Clock } from "./engine/clock.js";
export type { EventHandler } from "./engine/clock.js";
export type { ExecOptions, ExecResult } from "./kernel/exec.js";
export type { MpolArgs } from "./kernel/syscalls/unmerged.js";

// --- perf ---
export {
  solvePerformance,
  loadedLatency,
  peakBandwidth,
  mixedBandwidth,
  loadedLatencyCurve,
  routePeakBandwidth,
  linkPath,
  linkCapacity,
  DEFAULT_LATENCY_SHAPE,
  SATURATION_STEEPNESS,
  LINK_QUEUE_FLOOR_NS,
  DEFAULT_MLP,
  DEFAULT_MLP_BY_PATTERN,
  STREAM_TRIAD,
  CACHE_LINE_BYTES,
} from "./perf/index.js";
export type {
  PerfTask,
  PerformanceInput,
  PerformanceSolution,
  TaskPerformance,
  NodePerformance,
  LinkPerformance,
  LoadedLatencyPoint,
  LoadedLatencyCurveOptions,
  LinkPath,
  LinkCrossing,
} from "./perf/index.js";

// --- results ---
export { nodesTable, linksTable, latencyCurvesTable } from "./results/topologyTables.js";
export { SimulationResult, RESULT_TABLES, RESULT_FORMAT, RESULT_VERSION } from "./results/simulationResult.js";
export type { ResultTableName, SimulationResultJSON } from "./results/simulationResult.js";
export type { Scenario } from "./results/scenario.js";
export { operatingCurvesTable } from "./results/operatingCurves.js";

// --- sim ---
export { simulate } from "./sim/simulate.js";
export { textProgress } from "./sim/progress.js";
export type { ProgressInfo, SimulateOptions } from "./sim/progress.js";
export { evolves, RESOLVE_THRESHOLD } from "./sim/timeline.js";
export { resolveScenario } from "./sim/validateScenario.js";
export { MAX_SAMPLES } from "./sim/runShape.js";
export { sweep } from "./sim/sweep.js";
export type { SweepOptions } from "./sim/sweep.js";
export { expandGrid } from "./sim/sweepGrid.js";
export type { SweepGrid, SweepPoint, SweepScenarioFn } from "./sim/sweepGrid.js";
export type { ResolvedScenario } from "./sim/validateScenario.js";

// --- plots ---
export { plots, Figure, closeRenderer } from "./plots/index.js";
export type { Plots, FigureJSON, ImageOptions, LoadedLatencyOptions, TopologyDiagramOptions } from "./plots/index.js";
export type { BandwidthVsWeightOptions, WeightPoint, OperatingPointsOptions, TrafficSplitOptions, TierOccupancyOptions, TierOccupancyBy, OccupancySource } from "./plots/index.js";
export type { ConvergenceOptions, ConvergenceSource, CounterTimelineOptions, CounterSource, CompareRunsOptions, CompareSource, RunMetrics } from "./plots/index.js";
export type { ScanActivityOptions, ScanActivitySource, RunsInput } from "./plots/index.js";

/** The tiersim version; every result records it. */
export const VERSION: string = "0.1.0";
