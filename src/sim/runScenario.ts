/**
 * The static run behind `simulate()`: placement is decided at first touch and does not evolve (NUMA
 * balancing off). The workload's phases cut the run into segments; at each segment start the
 * regions first used then are touched through the machine layer, each process's traffic split
 * is read from its pages, and the closed-loop performance model is solved once for the segment.
 * Cost: pages touched + phases, never accesses x time.
 */
import { ScenarioError, type Issue } from "../core/errors.js";
import { Warnings } from "../core/warnings.js";
import { solvePerformance } from "../perf/solve.js";
import type { PerfTask } from "../perf/model.js";
import type { OccupancyEntry, RunRecord, Segment, Snapshot, TaskInfo } from "../results/runRecord.js";
import { deriveKernelTopology } from "../topology/derive.js";
import { setUpMachine, type Machine, type MachineProcess } from "./machine.js";
import { ABSENT, touchRegion } from "./placement.js";
import { phaseTraffic } from "./traffic.js";
import type { ResolvedScenario } from "./validateScenario.js";

/**
 * Over-time tables get at most this many samples; a finer epoch is coarsened with a warning.
 *
 * @example
 * simulate({ ...scenario, duration: "10s", epoch: "1us" }).warnings[0].code // "epoch_coarsened"
 */
export const MAX_SAMPLES = 10_000;

/** The phase index of `proc` in force at `t`, or -1 before its first phase. */
function phaseAt(proc: MachineProcess, t: number): number {
  let idx = -1;
  proc.spec.phases.forEach((ph, i) => {
    if (ph.startNs <= t) idx = i;
  });
  return idx;
}

/**
 * Runs an already resolved scenario into the record the result tables are built from.
 *
 * @example
 * new SimulationResult(runScenario(resolveScenario(scenario)))
 */
export function runScenario(r: ResolvedScenario): RunRecord {
  const warnings = new Warnings();
  const issues: Issue[] = [];
  const m = setUpMachine(r, warnings, issues);
  if (issues.length > 0) throw new ScenarioError(issues);
  const kt = deriveKernelTopology(r.topology);

  let epochNs = r.epochNs;
  if (r.durationNs / epochNs > MAX_SAMPLES) {
    epochNs = r.durationNs / MAX_SAMPLES;
    warnings.add("epoch_coarsened", ["epoch"], `the over-time tables keep at most ${MAX_SAMPLES} samples, so they are sampled every ${epochNs / 1e6} ms`);
  }
  const starts = new Set<number>([0]);
  r.workload.processes.forEach((p, i) =>
    p.phases.forEach((ph, j) => {
      if (ph.startNs < r.durationNs) starts.add(ph.startNs);
      else warnings.add("phase_after_end", ["workload", "processes", i, "phases", j, "startNs"], `phase ${j} of "${p.name}" starts at or after the end of the run and never runs`);
    }),
  );
  r.workload.processes.forEach((p, i) =>
    p.regions.forEach((region, j) => {
      if (!p.phases.some((ph) => ph.accesses.some((a) => a.region === region.name))) {
        warnings.add("region_never_used", ["workload", "processes", i, "regions", j], `region "${region.name}" of "${p.name}" is mapped but no phase uses it, so it is never touched and holds no memory`);
      }
    }),
  );
  const times = [...starts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  const snapshots: Snapshot[] = [];
  times.forEach((t, si) => {
    const touched = touchPhaseRegions(m, t, warnings);
    if (touched || t === 0) snapshots.push({ timeNs: t, occupancy: occupancy(m), vmstat: m.kernel.vmstat() });
    segments.push(solveSegment(r, m, t, si + 1 < times.length ? times[si + 1]! : r.durationNs, warnings));
  });
  // Nothing allocates after the last phase start in a static run: the end looks like it.
  const last = snapshots[snapshots.length - 1]!;
  snapshots.push({ timeNs: r.durationNs, occupancy: last.occupancy, vmstat: last.vmstat });

  const tasks: TaskInfo[] = m.processes.map((p) => ({ task: p.spec.name, threads: p.spec.threads, node: p.cpuNode, startNs: p.spec.phases[0]?.startNs ?? 0 }));
  const memoryNodes = kt.memoryNodes.map((n) => ({ node: n, kind: r.topology.nodes.find((x) => x.id === n)!.memory!.kind, tier: kt.tierOf(n) }));
  return { scenario: r.scenario, seed: r.seed, durationNs: r.durationNs, epochNs, tasks, memoryNodes, segments, snapshots, warnings: warnings.list() };
}

/** First-touches every region a phase starting at `t` lists; true when anything was touched. */
function touchPhaseRegions(m: Machine, t: number, warnings: Warnings): boolean {
  let touched = false;
  m.processes.forEach((proc, i) => {
    const phase = proc.spec.phases.find((ph) => ph.startNs === t);
    if (!phase) return;
    for (const a of phase.accesses) {
      const region = proc.regions.find((x) => x.spec.name === a.region)!;
      if (region.touched) continue;
      touchRegion(m.kernel, proc, region, ["workload", "processes", i, "regions", proc.regions.indexOf(region)], warnings);
      touched = true;
    }
  });
  if (touched) reapOomVictims(m, warnings);
  return touched;
}

/** A process the OOM killer chose while another one faulted loses its pages too. */
function reapOomVictims(m: Machine, warnings: Warnings): void {
  m.processes.forEach((proc, i) => {
    if (!proc.alive || m.kernel.process(proc.process.pid)) return;
    proc.alive = false;
    for (const region of proc.regions) {
      region.nodes?.fill(ABSENT);
      region.counts?.fill(0);
    }
    warnings.add("oom_kill", ["workload", "processes", i], `process "${proc.spec.name}" was OOM-killed to free memory for another process`);
  });
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
    const perf = proc.spec.perf;
    perfTasks.push({
      name: proc.spec.name,
      node: proc.cpuNode,
      threads: proc.spec.threads,
      mlp: perf.mlp,
      computeNsPerAccess: perf.computeNs,
      traffic: split.fractions,
      readShare: split.readShare,
      nonTemporalStores: perf.nonTemporalStores,
    });
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
