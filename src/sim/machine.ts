/**
 * The machine layer set up the way a scenario describes it: boot, sysctls, weights, sysfs,
 * then per process spawn on its CPUs, the task policy, mmap of every region (shared objects by
 * name), madvise for THP and the VMA policies. Allocation (first touch) is separate, because it
 * happens when a region's first phase starts.
 */
import { SyscallError, TiersimError, type Issue } from "../core/errors.js";
import type { Warnings } from "../core/warnings.js";
import { boot } from "../kernel/boot.js";
import type { Kernel } from "../kernel/kernel.js";
import { MemObject } from "../kernel/objects.js";
import type { Process } from "../kernel/process.js";
import { PAGE_SIZE, sizeToPages } from "../core/units.js";
import type { ProcessSpec, RegionSpec } from "../workload/types.js";
import type { ResolvedScenario } from "./validateScenario.js";

/**
 * One mapped region of a process.
 *
 * @example
 * machine.processes[0].regions[0] // { spec, addr, pages, sharedKey: null, touched: false, nodes: null }
 */
export interface MappedRegion {
  readonly spec: RegionSpec;
  readonly addr: number;
  readonly pages: number;
  /** "kind:file" for a named shared object, so its pages are counted once; null otherwise. */
  readonly sharedKey: string | null;
  touched: boolean;
  /** Node of every page, computed after the first touch when a non-uniform pattern needs it. */
  nodes: Int16Array | null;
  /** Pages per node (index = node id), filled with `nodes`. */
  counts: Float64Array | null;
}

/**
 * One process of the workload on the simulated kernel.
 *
 * @example
 * machine.processes[0].cpuNode // 0
 */
export interface MachineProcess {
  readonly spec: ProcessSpec;
  readonly process: Process;
  /** The node its threads started on (NUMA balancing may move it: see process.cpuNode). */
  readonly cpuNode: number;
  readonly regions: MappedRegion[];
  /** False once the OOM killer took it. */
  alive: boolean;
}

/**
 * The booted kernel and the workload's processes on it.
 *
 * @example
 * const m = setUpMachine(resolved, warnings);
 */
export interface Machine {
  readonly kernel: Kernel;
  readonly processes: MachineProcess[];
}

function cpusOfNodes(r: ResolvedScenario, nodes: readonly number[]): number[] {
  return r.topology.nodes.filter((n) => nodes.includes(n.id)).flatMap((n) => n.cpus).sort((a, b) => a - b);
}

/** The CPUs a process may run on: its workload binding, narrowed by a numactl CPU binding. */
function allowedCpus(r: ResolvedScenario, p: ProcessSpec, index: number, warnings: Warnings): number[] {
  const all = r.topology.nodes.flatMap((n) => n.cpus).sort((a, b) => a - b);
  const own = p.binding === null ? all : "node" in p.binding ? cpusOfNodes(r, [p.binding.node]) : [...p.binding.cpus];
  const task = r.policy.tasks.find((t) => t.process === p.name);
  const numactl = task?.physCpus ? [...task.physCpus] : task?.cpuNodes ? cpusOfNodes(r, task.cpuNodes) : null;
  if (numactl === null) return own;
  const both = own.filter((c) => numactl.includes(c));
  if (both.length > 0) return both;
  // numactl runs the program with its affinity; a binding the program then asks for is refused.
  warnings.add("binding_conflict", ["workload", "processes", index, "binding"], `process "${p.name}": its CPU binding and numactl's leave no CPU in common; its threads run where numactl put them`);
  return numactl.sort((a, b) => a - b);
}

function syscallIssue(e: unknown, path: Issue["path"]): Issue {
  if (e instanceof SyscallError || e instanceof TiersimError) {
    return { code: e instanceof SyscallError ? `syscall_${e.errno}` : "kernel_refused", path, message: `the simulated kernel refused it: ${e.message}. Fix: change this entry or pick a kernel that supports it.` };
  }
  throw e;
}

/**
 * Boots the kernel and applies the policy set; spawns and maps every process. Syscall failures
 * (a mode the kernel version lacks, a sysfs write it refuses) become issues with the policy
 * entry's path, all collected before the caller throws.
 *
 * @example
 * const issues: Issue[] = [];
 * const m = setUpMachine(resolved, new Warnings(), issues);
 */
export function setUpMachine(r: ResolvedScenario, warnings: Warnings, issues: Issue[]): Machine {
  // NUMA balancing starts off whatever the distro default: a scenario states the knobs its
  // result depends on (policy().sysctl("kernel.numa_balancing", ...)), which makes it evolve.
  const k = boot(r.topology, { kernel: r.kernel, numaBalancing: 0, behaviours: r.behaviours, seed: r.seed });
  const pol = r.policy;
  pol.sysctls.forEach((s, i) => {
    try {
      k.sysctl.write(s.name, s.value);
    } catch (e) {
      issues.push(syscallIssue(e, ["policy", "sysctls", i]));
    }
  });
  const wi = "/sys/kernel/mm/mempolicy/weighted_interleave";
  if (pol.weights?.mode === "auto") {
    try {
      k.sysfs.write(`${wi}/auto`, "true");
    } catch (e) {
      issues.push(syscallIssue(e, ["policy", "weights"]));
    }
  } else if (pol.weights?.mode === "manual") {
    for (const [node, w] of Object.entries(pol.weights.weights)) {
      try {
        k.sysfs.write(`${wi}/node${node}`, w);
      } catch (e) {
        issues.push(syscallIssue(e, ["policy", "weights", "weights", node]));
      }
    }
  }
  pol.sysfs.forEach((s, i) => {
    try {
      k.sysfs.write(s.name, s.value);
    } catch (e) {
      issues.push(syscallIssue(e, ["policy", "sysfs", i]));
    }
  });
  const shared = new Map<string, MemObject>();
  const processes = r.workload.processes.map((spec, i) => spawnProcess(r, k, spec, i, shared, warnings, issues));
  return { kernel: k, processes };
}

function sharedObject(k: Kernel, r: ResolvedScenario, region: RegionSpec, shared: Map<string, MemObject>): MemObject {
  const key = `${region.kind}:${region.file}`;
  let obj = shared.get(key);
  if (obj) return obj;
  // The object is as large as the largest mapping of it, so every process can map its part.
  const bytes = Math.max(...r.workload.processes.flatMap((p) => p.regions).filter((x) => x.kind === region.kind && x.file === region.file).map((x) => x.sizeBytes));
  obj = region.kind === "file" ? k.file(region.file!, bytes) : new MemObject("shmem", sizeToPages(bytes), k.nextIno(), region.file!);
  shared.set(key, obj);
  return obj;
}

function spawnProcess(r: ResolvedScenario, k: Kernel, spec: ProcessSpec, index: number, shared: Map<string, MemObject>, warnings: Warnings, issues: Issue[]): MachineProcess {
  const cpus = allowedCpus(r, spec, index, warnings);
  const p = k.spawn({ cpu: cpus[0] });
  p.schedSetaffinity(cpus); // NUMA balancing moves the task only within its allowed CPUs
  const cpuNode = k.topo.cpuNode.get(cpus[0]!)!;
  const nodesUsed = new Set(cpus.map((c) => k.topo.cpuNode.get(c)));
  if (nodesUsed.size > 1) {
    warnings.add("threads_on_one_node", ["workload", "processes", index, "binding"], `process "${spec.name}" may run on nodes ${[...nodesUsed].join(", ")}; the model runs all its threads on one node: ${cpuNode}, where it started (NUMA balancing may move the process within its CPUs)`);
  }
  if (spec.threads > cpus.length) {
    warnings.add("oversubscribed", ["workload", "processes", index, "threads"], `process "${spec.name}" has ${spec.threads} threads for ${cpus.length} CPUs; the model does not slow threads that share a CPU`);
  }
  const taskIndex = r.policy.tasks.findIndex((t) => t.process === spec.name);
  const task = r.policy.tasks[taskIndex];
  if (task?.policy) {
    try {
      p.setMempolicy([task.policy.mode, ...task.policy.flags], [...task.policy.nodes]);
    } catch (e) {
      issues.push(syscallIssue(e, ["policy", "tasks", taskIndex, task.numactl !== null ? "numactl" : "policy"]));
    }
  }
  const regions = spec.regions.map((region): MappedRegion => {
    const pages = sizeToPages(region.sizeBytes);
    const bytes = pages * PAGE_SIZE;
    let sharedKey: string | null = null;
    let addr: number;
    if (region.kind === "anon") addr = p.mmap(bytes);
    else if (region.file === null) addr = p.mmap(bytes, { shared: true });
    else {
      sharedKey = `${region.kind}:${region.file}`;
      addr = p.mmap(bytes, { shared: true, file: sharedObject(k, r, region, shared) });
    }
    if (region.thp) p.madvise(addr, bytes, "MADV_HUGEPAGE");
    return { spec: region, addr, pages, sharedKey, touched: false, nodes: null, counts: null };
  });
  r.policy.vmas.forEach((v, i) => {
    if (v.process !== spec.name) return;
    const region = regions.find((x) => x.spec.name === v.region)!;
    try {
      p.mbind(region.addr, region.pages * PAGE_SIZE, [v.mode, ...v.flags], [...v.nodes], [...v.mbindFlags]);
    } catch (e) {
      issues.push(syscallIssue(e, ["policy", "vmas", i]));
    }
  });
  return { spec, process: p, cpuNode, regions, alive: true };
}
