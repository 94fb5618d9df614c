/**
 * Checks a PerformanceInput and flattens it into typed arrays for the solver.
 *
 * The solver sees *resources*: every memory node, and both directions of every link. Each has a
 * latency value (a node's loaded latency, a link direction's queueing delay) that rises with the
 * bytes it carries. A task's mean access latency is compute + fixed route latency + the sum over
 * resources of weight x latency; its load on a resource is throughput x bytes per access. Both
 * weights and bytes are stored sparsely per resource so that solving one resource touches only
 * the tasks that use it.
 */
import { UsageError } from "../core/errors.js";
import type { NodeSpec, TopologySpec } from "../topology/types.js";
import { DEFAULT_MLP } from "./calibration.js";
import { checkReadShare, prepareLatency, type PreparedLatency } from "./curves.js";
import { linkPath, prepareLinkQueue } from "./links.js";
import { CACHE_LINE_BYTES, type PerfTask, type PerformanceInput } from "./model.js";

/** How far traffic fractions may stray from summing to 1 (float noise from weight ratios). */
const FRACTION_SLACK = 1e-6;

/**
 * The flattened problem; arrays indexed by task or resource, entries grouped by resource.
 *
 * @example
 * const p = buildProblem(input); p.entryTask.subarray(p.entryStart[0], p.entryStart[1]) // tasks using node 0
 */
export interface Problem {
  readonly spec: TopologySpec;
  readonly names: readonly string[];
  readonly cpuNodes: readonly number[];
  readonly threads: Float64Array;
  /** threads x MLP: misses in flight per task. */
  readonly inFlight: Float64Array;
  /** compute + fixed route latency per access, ns. */
  readonly baseNs: Float64Array;
  /** Compute time per access, ns (part of baseNs; reported apart from memory latency). */
  readonly computeNs: Float64Array;
  /** Lines read / written per access (write-allocate included). */
  readonly readLines: Float64Array;
  readonly writeLines: Float64Array;
  /** Memory node ids, one resource each, first in the resource order. */
  readonly memoryNodes: readonly NodeSpec[];
  /** Resource latency models: node curves, then link directions (2 per link). */
  readonly models: readonly PreparedLatency[];
  /** Latency at zero load: idle for nodes, 0 for link queues. */
  readonly rest: Float64Array;
  readonly entryStart: Int32Array;
  readonly entryTask: Int32Array;
  /** Weight of the resource's latency in the task's mean access latency. */
  readonly entryWeight: Float64Array;
  /** GB moved per access: read-direction (or read) bytes and, for nodes, written bytes. */
  readonly entryRead: Float64Array;
  readonly entryWrite: Float64Array;
}

function fail(what: string, value: unknown, rule: string, fix: string): never {
  throw new UsageError({ what, value, rule, fix });
}

function checkNumber(value: unknown, what: string, min: number, rule: string, fix: string, strictlyAbove = false): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || (strictlyAbove && value === min)) fail(what, value, rule, fix);
  return value;
}

function checkTask(spec: TopologySpec, t: PerfTask, at: string, byId: ReadonlyMap<number, NodeSpec>): void {
  if (t === null || typeof t !== "object") fail(at, t, "a task must be an object", "write e.g. { node: 0, threads: 8, readShare: 1, traffic: { 0: 1 } }");
  const cpu = byId.get(t.node);
  if (cpu === undefined) fail(`${at}.node`, t.node, `there is no node ${String(t.node)} in topology "${spec.name}"`, `use a CPU node id: ${[...byId.values()].filter((n) => n.cpus.length > 0).map((n) => n.id).join(", ")}`);
  if (cpu.cpus.length === 0) fail(`${at}.node`, t.node, `node ${t.node} has no CPUs, so no thread can run on it`, "run the task on a node with CPUs");
  if (typeof t.threads !== "number" || !Number.isInteger(t.threads) || t.threads < 0) fail(`${at}.threads`, t.threads, "the thread count must be a whole number >= 0", "write e.g. threads: 64");
  if (t.mlp !== undefined) checkNumber(t.mlp, `${at}.mlp`, 0, "misses in flight per thread must be a number > 0", "write e.g. mlp: 1 for a pointer chase, 15 for streaming", true);
  if (t.computeNsPerAccess !== undefined) checkNumber(t.computeNsPerAccess, `${at}.computeNsPerAccess`, 0, "compute time per access must be a number of ns >= 0", "write e.g. computeNsPerAccess: 5");
  checkReadShare(t.readShare, `${at}.readShare`);
  if (t.traffic === null || typeof t.traffic !== "object") fail(`${at}.traffic`, t.traffic, "traffic maps memory node ids to fractions of accesses", "write e.g. traffic: { 0: 0.9, 1: 0.1 }");
  let sum = 0;
  for (const [key, f] of Object.entries(t.traffic) as [string, number][]) {
    const id = Number(key);
    const node = byId.get(id);
    if (node === undefined || node.memory === null) {
      fail(`${at}.traffic[${key}]`, key, `node ${key} is not a memory node of topology "${spec.name}"`, `use memory node ids: ${[...byId.values()].filter((n) => n.memory !== null).map((n) => n.id).join(", ")}`);
    }
    sum += checkNumber(f, `${at}.traffic[${key}]`, 0, "a traffic fraction must be a number >= 0", "write fractions of accesses, e.g. 0.9 and 0.1");
  }
  if (!(Math.abs(sum - 1) <= FRACTION_SLACK)) {
    fail(`${at}.traffic`, t.traffic, `the fractions of accesses must sum to 1 (they sum to ${sum})`, "divide each fraction by their sum, or add the missing node");
  }
}

/**
 * Checks an input and builds the solver's problem.
 *
 * @example
 * const problem = buildProblem({ topology, tasks: [{ node: 0, threads: 8, readShare: 1, traffic: { 0: 1 } }] });
 */
export function buildProblem(input: PerformanceInput): Problem {
  if (input === null || typeof input !== "object") fail("input", input, "must be { topology, tasks }", "pass { topology: presets.sprCxl(), tasks: [...] }");
  const spec = input.topology;
  if (spec === null || typeof spec !== "object" || !Array.isArray(spec.nodes) || !Array.isArray(spec.links)) {
    fail("input.topology", spec, "must be a TopologySpec with nodes and links", "pass a built topology, e.g. presets.sprCxl()");
  }
  if (!Array.isArray(input.tasks)) fail("input.tasks", input.tasks, "must be an array of tasks", "pass tasks: [] or a list of { node, threads, readShare, traffic }");
  if (input.tolerance !== undefined) checkNumber(input.tolerance, "input.tolerance", 0, "the tolerance is a relative change and must be a number > 0", "omit it for the default 1e-8", true);
  if (input.maxSweeps !== undefined && !(Number.isInteger(input.maxSweeps) && input.maxSweeps >= 1)) {
    fail("input.maxSweeps", input.maxSweeps, "the sweep cap must be a whole number >= 1", "omit it for the default 500");
  }
  const byId = new Map(spec.nodes.map((n) => [n.id, n] as const));
  input.tasks.forEach((t, i) => checkTask(spec, t, `tasks[${i}]`, byId));

  const memoryNodes = [...spec.nodes].filter((n) => n.memory !== null).sort((a, b) => a.id - b.id);
  const nodeIndex = new Map(memoryNodes.map((n, i) => [n.id, i] as const));
  const nm = memoryNodes.length;
  const models: PreparedLatency[] = memoryNodes.map((n) => prepareLatency(n.memory!));
  spec.links.forEach((l) => models.push(prepareLinkQueue(l, 0), prepareLinkQueue(l, 1)));
  const rest = new Float64Array(models.length);
  memoryNodes.forEach((n, i) => (rest[i] = n.memory!.idleLatencyNs));

  const T = input.tasks.length;
  const threads = Float64Array.from(input.tasks, (t) => t.threads);
  const inFlight = new Float64Array(T);
  const baseNs = new Float64Array(T);
  const computeNs = Float64Array.from(input.tasks, (t) => t.computeNsPerAccess ?? 0);
  const readLines = new Float64Array(T);
  const writeLines = new Float64Array(T);
  // Dense resource x task tables first (small: tens of resources, tens of tasks), compressed
  // to per-resource entry lists below; cheaper than maps of tuples in a per-epoch call.
  const R = models.length;
  const weight = new Float64Array(R * T);
  const readGB = new Float64Array(R * T);
  const writeGB = new Float64Array(R * T);
  const add = (r: number, task: number, w: number, rd: number, wr: number): void => {
    const at = r * T + task;
    weight[at] += w;
    readGB[at] += rd;
    writeGB[at] += wr;
  };
  input.tasks.forEach((t, i) => {
    const nt = t.nonTemporalStores === true;
    const rs = t.readShare;
    inFlight[i] = t.threads * (t.mlp ?? DEFAULT_MLP);
    readLines[i] = rs + (nt ? 0 : 1 - rs);
    writeLines[i] = 1 - rs;
    // A load waits for its read; a store waits for its write-allocate read, or with
    // non-temporal stores for the write to drain. Stores also wait on the write direction with
    // write-allocate: write-backs that cannot drain stall the fills (back-pressure), and without
    // that a write-saturated link would never slow anyone down.
    const waitRead = nt ? rs : 1;
    const waitWrite = 1 - rs;
    const rdGB = (readLines[i]! * CACHE_LINE_BYTES) / 1e9;
    const wrGB = (writeLines[i]! * CACHE_LINE_BYTES) / 1e9;
    let base = computeNs[i]!;
    for (const [key, f] of Object.entries(t.traffic) as [string, number][]) {
      if (f === 0) continue;
      const mem = Number(key);
      const path = linkPath(spec, t.node, mem);
      base += f * path.fixedLatencyNs;
      add(nodeIndex.get(mem)!, i, f, f * rdGB, f * wrGB);
      for (const c of path.crossings) {
        add(nm + 2 * c.link + c.readDirection, i, f * waitRead, f * rdGB, 0);
        add(nm + 2 * c.link + (1 - c.readDirection), i, f * waitWrite, f * wrGB, 0);
      }
    }
    baseNs[i] = base;
  });

  let entries = 0;
  for (let at = 0; at < R * T; at++) if (weight[at]! > 0 || readGB[at]! > 0 || writeGB[at]! > 0) entries++;
  const entryStart = new Int32Array(R + 1);
  const entryTask = new Int32Array(entries);
  const entryWeight = new Float64Array(entries);
  const entryRead = new Float64Array(entries);
  const entryWrite = new Float64Array(entries);
  let k = 0;
  for (let r = 0; r < R; r++) {
    entryStart[r] = k;
    for (let i = 0; i < T; i++) {
      const at = r * T + i;
      if (!(weight[at]! > 0 || readGB[at]! > 0 || writeGB[at]! > 0)) continue;
      entryTask[k] = i;
      entryWeight[k] = weight[at]!;
      entryRead[k] = readGB[at]!;
      entryWrite[k] = writeGB[at]!;
      k++;
    }
  }
  entryStart[R] = k;
  const names = input.tasks.map((t, i) => t.name ?? `task${i}`);
  const cpuNodes = input.tasks.map((t) => t.node);
  return { spec, names, cpuNodes, threads, inFlight, baseNs, computeNs, readLines, writeLines, memoryNodes, models, rest, entryStart, entryTask, entryWeight, entryRead, entryWrite };
}
