/**
 * What static and evolving runs share: the sampling grid and its warnings, the phase in force
 * at a time, first touch at phase starts and the reaping of OOM victims.
 */
import type { Warnings } from "../core/warnings.js";
import type { RunRecord, TaskInfo } from "../results/runRecord.js";
import { sampleTimes } from "../results/simulationTables.js";
import type { KernelTopology } from "../topology/types.js";
import { runNodes } from "./kernelProbe.js";
import type { Machine, MachineProcess, MappedRegion } from "./machine.js";
import { ABSENT, touchRegion } from "./placement.js";
import type { ResolvedScenario } from "./validateScenario.js";

/**
 * Over-time tables get at most this many samples; a finer epoch is coarsened with a warning.
 *
 * @example
 * simulate({ ...scenario, duration: "10s", epoch: "1us" }).warnings[0].code // "epoch_coarsened"
 */
export const MAX_SAMPLES = 10_000;

/** The parts of a run record fixed before it runs, and its time grid. */
export interface RunShape {
  readonly record: Omit<RunRecord, "tasks" | "segments" | "snapshots" | "warnings">;
  /** Phase starts (static runs). */
  readonly phaseStarts: readonly number[];
  /** Epoch boundaries and phase starts, ascending, ending with the duration (evolving runs). */
  readonly boundaries: readonly number[];
}

/**
 * The run's sampling epoch (coarsened to MAX_SAMPLES), its phase starts and epoch boundaries,
 * and the warnings about phases and regions that never take effect.
 *
 * @example
 * describeRun(resolved, machine.kernel.topo, warnings).record.epochNs // 1e8
 */
export function describeRun(r: ResolvedScenario, kt: KernelTopology, warnings: Warnings): RunShape {
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
  const phaseStarts = [...starts].sort((a, b) => a - b);
  // Private nodes (§6.1) hold pages too (CRAM receives demoted ones), so the run follows them.
  const memoryNodes = runNodes(kt).map((n) => {
    const info = { node: n, kind: r.topology.nodes.find((x) => x.id === n)!.memory!.kind, tier: kt.tierOf(n), toptier: kt.isToptier(n) };
    return kt.privateNodes.includes(n) ? { ...info, private: true } : info;
  });
  return {
    record: { scenario: r.scenario, seed: r.seed, durationNs: r.durationNs, epochNs, memoryNodes },
    phaseStarts,
    // The tables sample at exactly these times (results/simulationTables.ts).
    boundaries: sampleTimes(r.durationNs, epochNs, phaseStarts.map((startNs) => ({ startNs }))),
  };
}

/**
 * The phase index of `proc` in force at `t`, or -1 before its first phase.
 *
 * @example
 * phaseAt(proc, 0) // 0
 */
export function phaseAt(proc: MachineProcess, t: number): number {
  let idx = -1;
  proc.spec.phases.forEach((ph, i) => {
    if (ph.startNs <= t) idx = i;
  });
  return idx;
}

/**
 * First-touches every region a phase starting at `t` lists; true when anything was touched.
 * `defer(proc, index, regions)` may take a process's regions over instead (first touch over
 * time, firstTouch.ts) by returning true.
 *
 * @example
 * touchPhaseRegions(machine, 0, warnings) // true
 */
export function touchPhaseRegions(m: Machine, t: number, warnings: Warnings, defer?: (proc: MachineProcess, index: number, regions: MappedRegion[]) => boolean): boolean {
  let touched = false;
  m.processes.forEach((proc, i) => {
    const phase = proc.spec.phases.find((ph) => ph.startNs === t);
    if (!phase) return;
    const regions = phase.accesses.map((a) => proc.regions.find((x) => x.spec.name === a.region)!).filter((r) => !r.touched);
    if (regions.length === 0 || defer?.(proc, i, regions)) return;
    for (const region of regions) {
      touchRegion(m.kernel, proc, region, ["workload", "processes", i, "regions", proc.regions.indexOf(region)], warnings);
      touched = true;
    }
  });
  return touched;
}

/**
 * A process the OOM killer chose while another one faulted loses its pages too.
 *
 * @example
 * reapOomVictims(machine, warnings);
 */
export function reapOomVictims(m: Machine, warnings: Warnings): void {
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

/**
 * The record's task list: name, threads, the CPU node the process started on, first phase.
 *
 * @example
 * taskInfos(machine)[0] // { task: "stream", threads: 64, node: 0, startNs: 0 }
 */
export function taskInfos(m: Machine): TaskInfo[] {
  return m.processes.map((p) => ({ task: p.spec.name, threads: p.spec.threads, node: p.cpuNode, startNs: p.spec.phases[0]?.startNs ?? 0 }));
}
