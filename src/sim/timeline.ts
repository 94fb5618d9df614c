/**
 * The evolving run behind `simulate()` when the kernel moves pages over time (NUMA balancing
 * on, or demotion enabled): the kernel's events (scans, hinting faults, kswapd) run between
 * epoch boundaries on the kernel clock; at each boundary the workload's phase changes are
 * applied, the traffic split is read from the frames' accounting groups in O(regions x nodes),
 * the performance model is re-solved only when that split moved (or a phase changed), and the
 * task access rates fed back to the kernel are the solved ones less the CPU the kernel's work
 * took from the task (DESIGN.md decisions 3-5). Cost: kernel work + epochs x (regions x nodes),
 * never accesses x time.
 */
import { ScenarioError, type Issue } from "../core/errors.js";
import { Warnings } from "../core/warnings.js";
import { solvePerformance } from "../perf/solve.js";
import type { PerformanceSolution, TaskPerformance } from "../perf/model.js";
import { perfTaskOf, splitTraffic, type PhaseTraffic } from "./traffic.js";
import type { OccupancyEntry, RunRecord, Segment, Snapshot } from "../results/runRecord.js";
import { setUpMachine, type Machine, type MachineProcess, type MappedRegion } from "./machine.js";
import { assignRegionAccess, type RegionGroups } from "./regionAccess.js";
import { FirstTouchFiller } from "./firstTouch.js";
import { sysfsBool } from "../kernel/sysfsfiles.js";
import { nodeKernelState, nodeVmstat, runNodes, taskKernelState } from "./kernelProbe.js";
import { describeRun, phaseAt, reapOomVictims, taskInfos, touchPhaseRegions } from "./runShape.js";
import type { ResolvedScenario } from "./validateScenario.js";
import { progressReporter, type SimulateOptions } from "./progress.js";

/**
 * A traffic split this much (largest per-node change of any task's access fractions) or more
 * since the last solve triggers a re-solve of the performance model at an epoch boundary.
 *
 * @example
 * RESOLVE_THRESHOLD // 0.002: a 0.2% shift of a task's accesses between nodes
 */
export const RESOLVE_THRESHOLD = 0.002;

/** Kernel work may take at most this share of a task's CPU time in the model. */
const MAX_CPU_LOSS = 0.99;

/**
 * Whether a scenario asks the kernel to move pages over time: a non-zero kernel.numa_balancing
 * or demotion_enabled in its policy set.
 *
 * @example
 * evolves(resolveScenario(s)) // true when policy().sysctl("kernel.numa_balancing", 2)
 */
export function evolves(r: ResolvedScenario): boolean {
  const nb = r.policy.sysctls.some((s) => s.name === "kernel.numa_balancing" && Number(s.value) !== 0);
  const demotion = r.policy.sysfs.some((s) => s.name === "/sys/kernel/mm/numa/demotion_enabled" && sysfsBool(s.value) === true);
  return nb || demotion;
}

interface ProcState {
  readonly proc: MachineProcess;
  phase: number;
  fractions: Record<number, number>;
  readShare: number;
  lastSystemNs: number;
  /** The node the perf model last ran the task on (NUMA balancing may move the task). */
  node: number;
}

/**
 * Runs an evolving scenario into the record the result tables are built from.
 *
 * @example
 * new SimulationResult(runTimeline(resolveScenario(scenario)))
 */
export function runTimeline(r: ResolvedScenario, options: SimulateOptions = {}): RunRecord {
  const warnings = new Warnings();
  const issues: Issue[] = [];
  const m = setUpMachine(r, warnings, issues);
  if (issues.length > 0) throw new ScenarioError(issues);
  const k = m.kernel;
  const shape = describeRun(r, m.kernel.topo, warnings);
  warnSmallPromotionRoom(k, warnings);
  const groups = regionGroups(m);
  const filler = new FirstTouchFiller(m, groups, r.seed, warnings);
  const states: ProcState[] = m.processes.map((proc) => ({ proc, phase: -1, fractions: {}, readShare: 1, lastSystemNs: 0, node: proc.process.cpuNode }));
  const segments: Segment[] = [];
  const snapshots: Snapshot[] = [];
  let solution: PerformanceSolution | null = null;
  const times = shape.boundaries;
  const progress = progressReporter(options, r.durationNs);
  let events = 0;

  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const next = i + 1 < times.length ? times[i + 1]! : r.durationNs;
    events += k.clock.runUntil(t);
    progress(t, events, false);
    const phaseChanged = applyPhaseChanges(r, m, states, groups, t, warnings, filler);
    snapshots.push(snapshot(m, groups, t));
    if (t >= r.durationNs) break;
    let moved = phaseChanged || solution === null;
    for (const s of states) {
      const split = trafficOf(m, s, groups);
      if (!moved && maxChange(split.fractions, s.fractions) >= RESOLVE_THRESHOLD) moved = true;
      s.fractions = split.fractions;
      s.readShare = split.readShare;
      if (s.proc.process.cpuNode !== s.node) {
        s.node = s.proc.process.cpuNode;
        moved = true;
      }
    }
    if (moved) {
      const tasks = states.filter((s) => s.phase >= 0 && s.proc.alive && Object.keys(s.fractions).length > 0).map((x) => perfTaskOf(x.proc, x.node, { fractions: x.fractions, readShare: x.readShare }));
      solution = tasks.length > 0 ? solvePerformance({ topology: r.topology, tasks }) : null;
      if (solution && !solution.converged) {
        warnings.add("perf_not_converged", [], `the performance model did not converge at ${t / 1e9} s (residual ${solution.residual.toExponential(1)}); its numbers are approximate`);
      }
    }
    const adjusted = chargeKernelWork(m, states, solution, i > 0 ? t - times[i - 1]! : 0);
    segments.push({
      startNs: t,
      endNs: next,
      phases: Object.fromEntries(states.filter((s) => s.phase >= 0).map((s) => [s.proc.spec.name, s.phase])),
      traffic: Object.fromEntries(states.filter((s) => Object.keys(s.fractions).length > 0).map((s) => [s.proc.spec.name, s.fractions])),
      solution: adjusted,
    });
  }
  const last = snapshots[snapshots.length - 1]!;
  if (last.timeNs < r.durationNs) {
    events += k.clock.runUntil(r.durationNs);
    snapshots.push(snapshot(m, groups, r.durationNs));
  }
  progress(r.durationNs, events, true);
  return { ...shape.record, tasks: taskInfos(m), segments, snapshots, warnings: warnings.list() };
}

/**
 * In tiering mode kswapd makes room for promotions only up to the promo watermark (§5.4 item
 * 5): promo - high pages per wakeup. When that is a small fraction of one scan pass (scan_size),
 * most hot pages a pass finds are refused for headroom and promotion crawls — legal, and what
 * the kernel does, but rarely what a study of a small machine means to show.
 */
function warnSmallPromotionRoom(k: Machine["kernel"], warnings: Warnings): void {
  if ((k.sysctl.read("kernel.numa_balancing") & 2) === 0) return;
  const passPages = (k.numab.knobs.values.scan_size_mb * 2 ** 20) / 4096;
  for (const n of k.topo.cpuNodes) {
    if (!k.topo.memoryNodes.includes(n) || k.topo.lowerTierNodes(n).length === 0) continue;
    const wm = k.buddy.watermarks(n);
    const room = wm.promo - wm.high;
    if (room * 16 < passPages) {
      warnings.add("promotion_room_small", ["policy", "sysctls"], `node ${n}: kswapd frees only ${room} pages (promo - high watermark) per wakeup in tiering mode, under 1/16 of a ${passPages}-page scan pass, so most promotions will be refused for headroom; raise vm.watermark_scale_factor (e.g. policy().sysctl("vm.watermark_scale_factor", 1000)) if the machine is small on purpose`);
    }
  }
}

/** One hot/cold group pair per region; mappings of one shared object share theirs. */
function regionGroups(m: Machine): Map<MappedRegion, RegionGroups> {
  const out = new Map<MappedRegion, RegionGroups>();
  const shared = new Map<string, RegionGroups>();
  for (const proc of m.processes) {
    for (const region of proc.regions) {
      let g = region.sharedKey !== null ? shared.get(region.sharedKey) : undefined;
      if (!g) {
        g = { hot: m.kernel.frames.newGroup(), cold: m.kernel.frames.newGroup() };
        if (region.sharedKey !== null) shared.set(region.sharedKey, g);
      }
      out.set(region, g);
    }
  }
  return out;
}

/** First touch and access assignment for every process whose phase starts at `t`. */
function applyPhaseChanges(r: ResolvedScenario, m: Machine, states: ProcState[], groups: Map<MappedRegion, RegionGroups>, t: number, warnings: Warnings, filler: FirstTouchFiller): boolean {
  const defer = (proc: MachineProcess, i: number, regions: MappedRegion[]): boolean => {
    if (proc.spec.firstTouchBytesPerSec === undefined) return false;
    filler.start(proc, i, regions);
    return true;
  };
  if (!touchPhaseRegions(m, t, warnings, defer)) {
    if (!states.some((s) => phaseAt(s.proc, t) !== s.phase)) return false;
  } else reapOomVictims(m, warnings);
  let changed = false;
  for (const s of states) {
    const idx = phaseAt(s.proc, t);
    if (idx === s.phase) continue;
    s.phase = idx;
    changed = true;
    if (idx < 0 || !s.proc.alive) continue;
    const phase = s.proc.spec.phases[idx]!;
    for (const region of s.proc.regions) {
      if (!region.touched) continue;
      const access = phase.accesses.find((a) => a.region === region.spec.name) ?? null;
      assignRegionAccess(m.kernel, s.proc, region, groups.get(region)!, access, r.seed);
    }
  }
  return changed;
}

/** The share of a process's accesses each node serves now, from its regions' group weights. */
function trafficOf(m: Machine, s: ProcState, groups: Map<MappedRegion, RegionGroups>): PhaseTraffic {
  if (s.phase < 0 || !s.proc.alive) return { fractions: {}, readShare: 1 };
  const nodes = runNodes(m.kernel.topo);
  const width = nodes.length > 0 ? nodes[nodes.length - 1]! + 1 : 0;
  const f = m.kernel.frames;
  return splitTraffic(s.proc.spec.phases[s.phase]!.accesses, (a) => {
    const g = groups.get(s.proc.regions.find((x) => x.spec.name === a.region)!)!;
    const hot = f.groupWeights(g.hot);
    const cold = f.groupWeights(g.cold);
    const sums = new Float64Array(width);
    for (const n of nodes) sums[n] = hot[n]! + cold[n]!;
    return sums;
  });
}

function maxChange(a: Record<number, number>, b: Record<number, number>): number {
  let worst = 0;
  for (const n of new Set([...Object.keys(a), ...Object.keys(b)])) worst = Math.max(worst, Math.abs((a[Number(n)] ?? 0) - (b[Number(n)] ?? 0)));
  return worst;
}

/**
 * The solution as the tasks experience it during the next epoch: each task's throughput less
 * the share of its CPU time the kernel's work (scans, hinting faults, migrations) took in the
 * epoch just ended; those rates drive the kernel's view of page accesses.
 */
function chargeKernelWork(m: Machine, states: ProcState[], solution: PerformanceSolution | null, elapsedNs: number): PerformanceSolution | null {
  const k = m.kernel;
  const tasks: TaskPerformance[] = [];
  for (const s of states) {
    const pid = s.proc.process.tgid;
    const sys = k.costs.systemNs(pid);
    const cpuNs = s.proc.spec.threads * elapsedNs;
    const loss = cpuNs > 0 ? Math.min(MAX_CPU_LOSS, (sys - s.lastSystemNs) / cpuNs) : 0;
    s.lastSystemNs = sys;
    const p = solution?.tasks.find((x) => x.name === s.proc.spec.name);
    const running = p !== undefined && s.phase >= 0 && s.proc.alive;
    k.access.setTaskRate(pid, running ? p.accessesPerSec * (1 - loss) : 0);
    if (p) tasks.push(loss > 0 ? scaleTask(p, 1 - loss) : p);
  }
  return solution ? { ...solution, tasks } : null;
}

function scaleTask(p: TaskPerformance, f: number): TaskPerformance {
  return {
    ...p,
    accessesPerSec: p.accessesPerSec * f,
    bandwidthGBps: p.bandwidthGBps * f,
    trafficGBps: p.trafficGBps * f,
    readGBps: p.readGBps * f,
    writeGBps: p.writeGBps * f,
    perThreadAccessesPerSec: p.perThreadAccessesPerSec * f,
  };
}

/** Occupancy per (region, node, hot/cold) from the groups, vmstat and kernel state at `t`. */
function snapshot(m: Machine, groups: Map<MappedRegion, RegionGroups>, t: number): Snapshot {
  const k = m.kernel;
  const occupancy: OccupancyEntry[] = [];
  const seen = new Set<RegionGroups>();
  for (const proc of m.processes) {
    for (const region of proc.regions) {
      const g = groups.get(region)!;
      if (seen.has(g)) continue;
      seen.add(g);
      for (const n of runNodes(k.topo)) {
        const hot = k.frames.groupPages(g.hot)[n]!;
        const cold = k.frames.groupPages(g.cold)[n]!;
        if (hot > 0) occupancy.push({ process: proc.spec.name, region: region.spec.name, kind: region.spec.kind, node: n, pages: hot, hot: true });
        if (cold > 0) occupancy.push({ process: proc.spec.name, region: region.spec.name, kind: region.spec.kind, node: n, pages: cold, hot: false });
      }
    }
  }
  const tasks = Object.fromEntries(m.processes.map((p) => [p.spec.name, taskKernelState(k, p.process)]));
  const nodes = Object.fromEntries(runNodes(k.topo).map((n) => [n, nodeKernelState(k, n)]));
  return { timeNs: t, occupancy, vmstat: k.vmstat(), nodeVmstat: nodeVmstat(k), tasks, nodes };
}
