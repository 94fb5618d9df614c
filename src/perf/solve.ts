/**
 * The closed-loop fixed point (DESIGN.md decision 4).
 *
 * Little's law per thread: accesses/s = MLP / (compute + mean latency). Each resource (memory
 * node, link direction) has a latency that rises with the load the tasks put on it, and the
 * tasks' throughput falls as latencies rise. The unknowns are the resource latencies. For one
 * resource with the others held fixed, "latency = curve(load(latency))" has exactly one root
 * (the right side falls as the left rises), so it is bracketed and solved with the Illinois
 * method; Gauss-Seidel sweeps over the resources repeat that until no latency moves. Plain
 * damped iteration would oscillate on the near-vertical saturated end of a curve; bracketing
 * cannot. Where saturated nodes shared by many tasks make the sweeps creep, an Aitken step every
 * third sweep jumps ahead. Everything is deterministic: fixed resource order, no randomness.
 */
import { peakOf, latencyOf } from "./curves.js";
import { linkCapacity, linkQueueLatency } from "./links.js";
import type { LinkPerformance, NodePerformance, PerformanceInput, PerformanceSolution, TaskPerformance } from "./model.js";
import { CACHE_LINE_BYTES } from "./model.js";
import { buildProblem, type Problem } from "./problem.js";

const SATURATED_UTILISATION = 0.98;

/** Working state: resource latencies and each task's current mean access latency. */
interface State {
  readonly latency: Float64Array;
  readonly taskNs: Float64Array;
  /** Per-entry latency of the task without this resource's term (scratch). */
  readonly otherNs: Float64Array;
}

/** The resource's latency if its own latency were `l` and all others stayed put. */
function response(p: Problem, s: State, r: number, l: number): number {
  let read = 0;
  let write = 0;
  for (let k = p.entryStart[r]!, end = p.entryStart[r + 1]!; k < end; k++) {
    const x = p.inFlight[p.entryTask[k]!]! / (s.otherNs[k]! + p.entryWeight[k]! * l) * 1e9;
    read += x * p.entryRead[k]!;
    write += x * p.entryWrite[k]!;
  }
  const model = p.models[r]!;
  if (r < p.memoryNodes.length) {
    const total = read + write;
    return latencyOf(model, total, total > 0 ? read / total : 1);
  }
  return linkQueueLatency(model, read);
}

/** Positive when `l` is above the latency its own load would produce; increasing in `l`. */
function gap(p: Problem, s: State, r: number, l: number): number {
  return l - response(p, s, r, l);
}

/** Solves one resource's latency with the others fixed; returns the new value. */
function solveResource(p: Problem, s: State, r: number, tol: number): number {
  const start = p.entryStart[r]!;
  const end = p.entryStart[r + 1]!;
  const current = s.latency[r]!;
  for (let k = start; k < end; k++) s.otherNs[k] = s.taskNs[p.entryTask[k]!]! - p.entryWeight[k]! * current;
  // Bracket from the current value: the response falls as l rises, so [l, response(l)] or
  // [response(l), l] holds the root.
  let a: number;
  let b: number;
  let fa: number;
  let fb: number;
  const f0 = gap(p, s, r, current);
  if (f0 === 0) return current;
  if (f0 < 0) {
    a = current;
    fa = f0;
    b = current - f0;
    fb = gap(p, s, r, b);
  } else {
    b = current;
    fb = f0;
    a = Math.max(p.rest[r]!, current - f0);
    fa = gap(p, s, r, a);
  }
  if (fa >= 0) return a;
  if (fb <= 0) return b;
  let side = 0;
  for (let it = 0; it < 200; it++) {
    const width = b - a;
    if (width <= tol * (Math.abs(b) + 1)) break;
    // Illinois false position; a bisection step whenever it would not shrink the bracket.
    let c = (a * fb - b * fa) / (fb - fa);
    if (!(c > a && c < b)) c = 0.5 * (a + b);
    const fc = gap(p, s, r, c);
    if (fc === 0) return c;
    if (fc < 0) {
      a = c;
      fa = fc;
      if (side === -1) fb *= 0.5;
      side = -1;
    } else {
      b = c;
      fb = fc;
      if (side === 1) fa *= 0.5;
      side = 1;
    }
  }
  return (a * fb - b * fa) / (fb - fa);
}

function applyResource(p: Problem, s: State, r: number, value: number): void {
  const delta = value - s.latency[r]!;
  s.latency[r] = value;
  for (let k = p.entryStart[r]!, end = p.entryStart[r + 1]!; k < end; k++) {
    s.taskNs[p.entryTask[k]!]! += p.entryWeight[k]! * delta;
  }
}

/**
 * Solves the closed-loop model: per-task throughput and latency, per-node read/write bandwidth,
 * utilisation and loaded latency, per-link load. Throws a UsageError naming the task field on
 * bad input (negative threads, read share outside 0..1, fractions not summing to 1, unknown node).
 *
 * @example
 * const s = solvePerformance({
 *   topology: presets.sprCxl(),
 *   tasks: [{ name: "stream", node: 0, threads: 64, readShare: 2 / 3, nonTemporalStores: true, traffic: { 0: 0.9, 1: 0.1 } }],
 * });
 * s.tasks[0].bandwidthGBps; // ~220 (STREAM triad 9:1 on sprCxl)
 */
export function solvePerformance(input: PerformanceInput): PerformanceSolution {
  const p = buildProblem(input);
  const tol = input.tolerance ?? 1e-8;
  const maxSweeps = input.maxSweeps ?? 500;
  const R = p.models.length;
  const s: State = {
    latency: Float64Array.from(p.rest),
    taskNs: new Float64Array(p.baseNs.length),
    otherNs: new Float64Array(p.entryTask.length),
  };
  recomputeTasks(p, s);
  // Latencies after the two previous sweeps, for Aitken extrapolation.
  const older = new Float64Array(R);
  const previous = new Float64Array(R);
  let accelerate = true;
  let residualAtJump = Infinity;
  let sinceJump = 0;
  let sweeps = 0;
  let residual = Infinity;
  while (sweeps < maxSweeps && residual > tol) {
    sweeps++;
    older.set(previous);
    previous.set(s.latency);
    residual = 0;
    for (let r = 0; r < R; r++) {
      if (p.entryStart[r] === p.entryStart[r + 1]) continue;
      const old = s.latency[r]!;
      const value = solveResource(p, s, r, tol * 0.1);
      applyResource(p, s, r, value);
      residual = Math.max(residual, Math.abs(value - old) / (Math.abs(old) + 1));
    }
    // Saturated nodes shared by several tasks couple tightly and Gauss-Seidel then creeps toward
    // the fixed point geometrically. Every third sweep, jump each latency to the limit of its
    // last three values; if the jumps stop paying off, go on without them.
    if (++sinceJump >= 3 && residual > tol && accelerate) {
      if (residual >= residualAtJump) accelerate = false;
      else {
        residualAtJump = residual;
        sinceJump = 0;
        extrapolate(p, s, older, previous);
      }
    }
  }
  recomputeTasks(p, s);
  return report(p, s, sweeps, residual, residual <= tol);
}

/** Each task's mean access latency from scratch (incremental updates drift by rounding). */
function recomputeTasks(p: Problem, s: State): void {
  s.taskNs.set(p.baseNs);
  for (let r = 0; r < p.models.length; r++) {
    for (let k = p.entryStart[r]!; k < p.entryStart[r + 1]!; k++) s.taskNs[p.entryTask[k]!]! += p.entryWeight[k]! * s.latency[r]!;
  }
}

/** Componentwise Aitken step where a latency moved the same way twice, by a shrinking amount. */
function extrapolate(p: Problem, s: State, x0: Float64Array, x1: Float64Array): void {
  for (let r = 0; r < p.models.length; r++) {
    const d1 = x1[r]! - x0[r]!;
    const d2 = s.latency[r]! - x1[r]!;
    if (!(d1 * d2 > 0 && Math.abs(d2) < Math.abs(d1))) continue;
    const q = d2 / d1;
    s.latency[r] = Math.max(p.rest[r]!, s.latency[r]! + (d2 * q) / (1 - q));
  }
  recomputeTasks(p, s);
}

function report(p: Problem, s: State, sweeps: number, residual: number, converged: boolean): PerformanceSolution {
  const T = p.names.length;
  const x = new Float64Array(T);
  for (let i = 0; i < T; i++) x[i] = s.taskNs[i]! > 0 ? (p.inFlight[i]! / s.taskNs[i]!) * 1e9 : 0;
  const load = (r: number): [number, number] => {
    let read = 0;
    let write = 0;
    for (let k = p.entryStart[r]!; k < p.entryStart[r + 1]!; k++) {
      read += x[p.entryTask[k]!]! * p.entryRead[k]!;
      write += x[p.entryTask[k]!]! * p.entryWrite[k]!;
    }
    return [read, write];
  };
  const tasks: TaskPerformance[] = p.names.map((name, i) => {
    const rate = x[i]!;
    const gb = (lines: number): number => (rate * lines * CACHE_LINE_BYTES) / 1e9;
    return {
      name,
      node: p.cpuNodes[i]!,
      accessesPerSec: rate,
      bandwidthGBps: gb(1),
      trafficGBps: gb(p.readLines[i]! + p.writeLines[i]!),
      readGBps: gb(p.readLines[i]!),
      writeGBps: gb(p.writeLines[i]!),
      latencyNs: s.taskNs[i]! - p.computeNs[i]!,
      perThreadAccessesPerSec: p.threads[i]! > 0 ? rate / p.threads[i]! : 0,
    };
  });
  const nodes: NodePerformance[] = p.memoryNodes.map((n, r) => {
    const [read, write] = load(r);
    const total = read + write;
    const readShare = total > 0 ? read / total : 1;
    const peak = peakOf(p.models[r]!, readShare);
    const utilisation = peak > 0 ? total / peak : 0;
    return {
      node: n.id,
      readGBps: read,
      writeGBps: write,
      bandwidthGBps: total,
      readShare,
      peakGBps: peak,
      utilisation,
      latencyNs: latencyOf(p.models[r]!, total, readShare),
      saturated: utilisation >= SATURATED_UTILISATION,
    };
  });
  const nm = p.memoryNodes.length;
  const links: LinkPerformance[] = p.spec.links.map((l, i) => {
    const [read] = load(nm + 2 * i);
    const [write] = load(nm + 2 * i + 1);
    return {
      id: l.id,
      kind: l.kind,
      readGBps: read,
      writeGBps: write,
      readUtilisation: read / linkCapacity(l, 0),
      writeUtilisation: write / linkCapacity(l, 1),
      readQueueNs: linkQueueLatency(p.models[nm + 2 * i]!, read),
      writeQueueNs: linkQueueLatency(p.models[nm + 2 * i + 1]!, write),
    };
  });
  return { tasks, nodes, links, converged, sweeps, residual };
}
