/**
 * The static run behind `simulate()`: placement is decided at first touch and does not evolve (NUMA
 * balancing off, no demotion; otherwise timeline.ts runs the scenario). The workload's phases cut the run into segments; at each segment start the
 * regions first used then are touched through the machine layer, each process's traffic split
 * is read from its pages, and the closed-loop performance model is solved once for the segment.
 * Cost: pages touched + phases, never accesses x time.
 */
import { ScenarioError, type Issue } from "../core/errors.js";
import { Warnings } from "../core/warnings.js";
import { solvePerformance } from "../perf/solve.js";
import type { PerfTask } from "../perf/model.js";
import type { OccupancyEntry, RunRecord, Segment, Snapshot } from "../results/runRecord.js";
import { setUpMachine, type Machine } from "./machine.js";
import { nodeVmstat } from "./kernelProbe.js";
import { describeRun, phaseAt, reapOomVictims, taskInfos, touchPhaseRegions } from "./runShape.js";
import { evolves, runTimeline } from "./timeline.js";
import { progressReporter, type SimulateOptions } from "./progress.js";
import { perfTaskOf, phaseTraffic } from "./traffic.js";
import type { ResolvedScenario } from "./validateScenario.js";

/**
 * Runs an already resolved scenario into the record the result tables are built from.
 *
 * @example
 * new SimulationResult(runScenario(resolveScenario(scenario)))
 */
export function runScenario(r: ResolvedScenario, options: SimulateOptions = {}): RunRecord {
  if (evolves(r)) return runTimeline(r, options);
  const warnings = new Warnings();
  const issues: Issue[] = [];
  const m = setUpMachine(r, warnings, issues);
  if (issues.length > 0) throw new ScenarioError(issues);
  const shape = describeRun(r, m.kernel.topo, warnings);
  r.workload.processes.forEach((p, i) => {
    if (p.firstTouchBytesPerSec !== undefined) {
      warnings.add("first_touch_rate_static", ["workload", "processes", i, "firstTouchBytesPerSec"], `process "${p.name}" has a first-touch rate, but nothing reclaims or moves pages in a static run, so its regions are touched at once; turn on demotion or NUMA balancing for the rate to matter`);
    }
  });
  const times = shape.phaseStarts;
  const segments: Segment[] = [];
  const snapshots: Snapshot[] = [];
  times.forEach((t, si) => {
    const touched = touchPhaseRegions(m, t, warnings);
    if (touched) reapOomVictims(m, warnings);
    if (touched || t === 0) snapshots.push({ timeNs: t, occupancy: occupancy(m), vmstat: m.kernel.vmstat(), nodeVmstat: nodeVmstat(m.kernel) });
    segments.push(solveSegment(r, m, t, si + 1 < times.length ? times[si + 1]! : r.durationNs, warnings));
  });
  // Nothing allocates after the last phase start in a static run: the end looks like it.
  const last = snapshots[snapshots.length - 1]!;
  snapshots.push({ ...last, timeNs: r.durationNs });
  const tasks = taskInfos(m);
  progressReporter(options, r.durationNs)(r.durationNs, 0, true);
  return { ...shape.record, tasks, segments, snapshots, warnings: warnings.list() };
}

function solveSegment(r: ResolvedScenario, m: Machine, startNs: number, endNs: number, warnings: Warnings): Segment {
  const phases: Record<string, number> = {};
  const traffic: Record<string, Record<number, number>> = {};
  const perfTasks: PerfTask[] = [];
  for (const proc of m.processes) {
    const idx = phaseAt(proc, startNs);
    if (idx < 0) continue;
    phases[proc.spec.name] = idx;
    if (!proc.alive) continue;
    const split = phaseTraffic(m.kernel, proc, proc.spec.phases[idx]!, r.seed);
    if (Object.keys(split.fractions).length === 0) continue;
    traffic[proc.spec.name] = split.fractions;
    perfTasks.push(perfTaskOf(proc, proc.cpuNode, split));
  }
  const solution = perfTasks.length > 0 ? solvePerformance({ topology: r.topology, tasks: perfTasks }) : null;
  if (solution && !solution.converged) {
    warnings.add("perf_not_converged", [], `the performance model did not converge for the segment at ${startNs / 1e9} s (residual ${solution.residual.toExponential(1)}); its numbers are approximate`);
  }
  return { startNs, endNs, phases, traffic, solution };
}

/** Pages per (region, node); a shared object is counted once, under its first mapping. */
function occupancy(m: Machine): OccupancyEntry[] {
  const out: OccupancyEntry[] = [];
  const seen = new Set<string>();
  for (const proc of m.processes) {
    for (const region of proc.regions) {
      if (region.counts === null) continue;
      if (region.sharedKey !== null) {
        if (seen.has(region.sharedKey)) continue;
        seen.add(region.sharedKey);
      }
      region.counts!.forEach((pages, node) => {
        if (pages > 0) out.push({ process: proc.spec.name, region: region.spec.name, kind: region.spec.kind, node, pages });
      });
    }
  }
  return out;
}
