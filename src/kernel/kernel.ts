/**
 * The simulated kernel: booted on a topology, it owns the frames, the buddy allocator, the
 * processes, inodes, sysctl/sysfs/cpuset state and the counters (DESIGN.md "Two layers").
 */
import { UsageError } from "../core/errors.js";
import { sizeToPages } from "../core/units.js";
import type { Size } from "../core/units.js";
import type { Nodemask, Policy } from "../policy/types.js";
import { deriveKernelTopology } from "../topology/derive.js";
import type { KernelTopology, TopologyKnobs, TopologySpec } from "../topology/types.js";
import { onlineMemory } from "./hotplug.js";
import { Buddy } from "./allocator.js";
import { resolveBehaviours } from "./behaviours.js";
import type { KernelBehaviours, ResolvedBehaviours } from "./behaviours.js";
import { AccessModel } from "./access.js";
import { CostLedger } from "./costs.js";
import { Clock } from "../engine/clock.js";
import { Random } from "../core/random.js";
import { parseDuration } from "../core/units.js";
import type { Duration } from "../core/units.js";
import { vfreePages, vmallocPages } from "./bulk.js";
import type { MemContext } from "./alloc.js";
import { Cpusets } from "./cpuset.js";
import { execCommand, numactlHardware } from "./exec.js";
import type { ExecOptions, ExecResult } from "./exec.js";
import type { FaultContext } from "./fault.js";
import { FrameTable } from "./frames.js";
import { MemObject } from "./objects.js";
import type { TaskPlacement } from "./placement.js";
import { Process } from "./process.js";
import { meminfo, numastat, vmstat } from "./observe.js";
import type { NodeMeminfo, NodeNumastat } from "./observe.js";
import { readProc } from "./procfs.js";
import { OomKilledError } from "./signals.js";
import { NodeStats } from "./stats.js";
import { Sysctl } from "./sysctl.js";
import { Sysfs } from "./sysfs.js";
import { registerSysfs } from "./sysfsfiles.js";
import type { WeightedInterleaveWeights } from "../policy/weights.js";
import { bootWeights } from "./iwboot.js";
import { Reclaim } from "./reclaim/reclaim.js";
import { NumaBalancing } from "./numab/numab.js";
import { Cram } from "./private/cram.js";
import { oomBadnessPages } from "./private/oom.js";

/** One OOM kill, as the kernel log would report it. */
export interface OomKill {
  readonly pid: number;
  readonly constrained: boolean;
  /** Pages freed by the kill. */
  readonly freedPages: number;
}

/** Options of {@link Process} creation. */
export interface SpawnOptions {
  /** The CPU the task runs on (its node is the "local node"). Default: the first CPU. */
  readonly cpu?: number;
  /** CAP_SYS_NICE (MPOL_MF_MOVE_ALL, migrate_pages/move_pages of others). Default true (root). */
  readonly capSysNice?: boolean;
  /** cpuset path to join; default the root cpuset "/". */
  readonly cpuset?: string;
}

/**
 * A booted kernel. Create with {@link boot}.
 *
 * @example
 * const k = boot(presets.twoSocketCxl(), { kernel: "v6.16" });
 * const p = k.spawn({ cpu: 0 });
 */
export class Kernel implements MemContext, FaultContext {
  /** The derived topology; replaced on memory hotplug. */
  topo: KernelTopology;
  /** The kernel version whose behaviour is modelled, e.g. "v6.16". */
  readonly version: string;
  readonly frames: FrameTable = new FrameTable();
  readonly stats: NodeStats;
  readonly buddy: Buddy;
  /** Weighted-interleave weights behind /sys/kernel/mm/mempolicy/weighted_interleave (§1.6). */
  readonly weights: WeightedInterleaveWeights;
  readonly sysctl: Sysctl;
  readonly sysfs: Sysfs = new Sysfs();
  readonly cpusets: Cpusets;
  /** /sys/kernel/mm/transparent_hugepage state (kernel default: enabled=madvise, defrag=madvise). */
  readonly thp: FaultContext["thp"] = { enabled: "madvise", defrag: "madvise" };
  /** OOM kills so far. */
  readonly oomKills: OomKill[] = [];
  readonly #procs: Map<number, Process> = new Map();
  #nextPid = 100;
  #nextIno = 1;
  readonly #files: Map<string, MemObject> = new Map();

  /** The behaviours in force: the version's defaults with the boot overrides (behaviours.ts). */
  readonly behaviours: ResolvedBehaviours;
  /** Simulated time and the kernel's event queue (scans, hinting faults, kswapd runs). */
  readonly clock: Clock = new Clock();
  /** How often each frame is touched (access.ts): what scanning and reclaim learn from. */
  readonly access: AccessModel;
  /** CPU time and migration bytes charged for kernel work (costs.ts). */
  readonly costs: CostLedger = new CostLedger();
  /** The kernel's seeded random stream (hinting-fault times, referenced bits, demotion node picks). */
  readonly random: Random;
  /** Automatic NUMA balancing and tiering promotion (kernel-model.md §4, §5.4). */
  readonly numab: NumaBalancing;

  /** kswapd, direct reclaim and demotion (reclaim/reclaim.ts); owns the buddy's reclaim hooks. */
  readonly reclaim: Reclaim;

  /** The compressed-RAM service of private nodes with `compression` (private/cram.ts, §6.1). */
  readonly cram: Cram;

  /** How a spec becomes a KernelTopology (memory hotplug and watermark sysctls re-derive it). */
  readonly derive: (spec: TopologySpec, knobs?: TopologyKnobs) => KernelTopology;

  constructor(
    topo: KernelTopology,
    version: string,
    numaBalancing: number,
    behaviours: KernelBehaviours = {},
    derive?: (spec: TopologySpec, knobs?: TopologyKnobs) => KernelTopology,
    seed = 1,
  ) {
    this.topo = topo;
    this.derive = derive ?? ((spec, knobs) => deriveKernelTopology(spec, knobs ?? this.topo.knobs));
    this.version = version;
    this.behaviours = resolveBehaviours(version, behaviours);
    this.access = new AccessModel(this.frames);
    this.random = new Random(seed);
    this.stats = new NodeStats(topo.nodeIds);
    this.buddy = new Buddy(topo, this.stats);
    this.buddy.privateDesign = this.behaviours.privateNodeDesign;
    this.weights = bootWeights(topo, version);
    this.sysctl = new Sysctl({ numaBalancing, minFreeKbytes: topo.minFreeKbytes, watermarkScaleFactor: topo.knobs.watermarkScaleFactor });
    this.cpusets = new Cpusets(this);
    registerSysfs(this);
    this.reclaim = new Reclaim(this);
    this.cram = new Cram(this);
    // setup_per_zone_wmarks: writing these sysctls recomputes every node's watermarks (§1.9).
    const retune = (): void => {
      const knobs = { minFreeKbytes: this.sysctl.read("vm.min_free_kbytes"), watermarkScaleFactor: this.sysctl.read("vm.watermark_scale_factor") };
      this.topo = this.derive(this.topo.spec, knobs);
      this.buddy.retopo(this.topo);
    };
    this.sysctl.watch("vm.min_free_kbytes", retune);
    this.sysctl.watch("vm.watermark_scale_factor", retune);
    this.numab = new NumaBalancing(this);
  }

  /**
   * Runs the kernel's own activity (NUMA-balancing scans, hinting faults, kswapd) for `duration`
   * of simulated time. Returns the number of kernel events handled.
   *
   * @example
   * k.sysctl.write("kernel.numa_balancing", 2);
   * k.advance("60s");
   * k.vmstat().pgpromote_success
   */
  advance(duration: Duration): number {
    return this.clock.runUntil(this.clock.nowNs + parseDuration(duration, "advance"));
  }

  /**
   * Task-local interleave weights attached to policies (set_mempolicy2/mbind2 RFC, unmerged;
   * only with the `taskLocalWeights` behaviour). A 0 or missing entry uses the global weight.
   */
  readonly policyWeights: WeakMap<Policy, ReadonlyMap<number, number>> = new WeakMap();

  /**
   * The weighted-interleave weight of a node for a policy: its task-local weight if any, else
   * the global sysfs weight (§1.6).
   *
   * @example
   * k.weightOf(0) // 1
   */
  weightOf(node: number, pol?: Policy | null): number {
    const local = pol ? this.policyWeights.get(pol)?.get(node) : undefined;
    return local || this.weights.weight(node);
  }

  /**
   * Carries task-local weights from a policy to its rebound or copied successor.
   *
   * @example
   * k.carryWeights(oldPol, newPol);
   */
  carryWeights(from: Policy | null, to: Policy | null): void {
    const w = from ? this.policyWeights.get(from) : undefined;
    if (w && to && to !== from) this.policyWeights.set(to, w);
  }

  /**
   * A fresh inode number (shmem interleave bias, §1.3).
   *
   * @example
   * k.nextIno() // 7
   */
  nextIno(): number {
    return this.#nextIno++;
  }

  /**
   * Starts a process on a CPU.
   *
   * @example
   * const p = k.spawn({ cpu: 0 });
   */
  spawn(opts: SpawnOptions = {}): Process {
    const cpu = opts.cpu ?? Math.min(...this.topo.cpuNode.keys());
    if (!this.topo.cpuNode.has(cpu)) {
      throw new UsageError({ what: "spawn({ cpu })", value: cpu, rule: "must be a CPU of the topology", fix: `use one of ${[...this.topo.cpuNode.keys()].slice(0, 8).join(", ")}...` });
    }
    const p = new Process(this, { pid: this.#nextPid++, cpu, capSysNice: opts.capSysNice ?? true, cpuset: this.cpusets.get(opts.cpuset ?? "/") });
    this.#procs.set(p.pid, p);
    this.numab.taskStarted(p);
    return p;
  }

  /**
   * Registers a task created by fork/clone (kernel internal).
   *
   * @example
   * k.adopt((pid) => new Process(k, { pid, cpu: 0, capSysNice: true, cpuset: k.cpusets.get("/") }))
   */
  adopt(make: (pid: number) => Process): Process {
    const p = make(this.#nextPid++);
    this.#procs.set(p.pid, p);
    this.numab.taskStarted(p);
    return p;
  }

  /**
   * The live task with this pid, if any.
   *
   * @example
   * k.process(100) // Process | undefined
   */
  process(pid: number): Process | undefined {
    const p = this.#procs.get(pid);
    return p && !p.killed ? p : undefined;
  }

  /**
   * Every live task.
   *
   * @example
   * k.processes().map((p) => p.pid)
   */
  processes(): Process[] {
    return [...this.#procs.values()].filter((p) => !p.killed);
  }

  /**
   * A regular file of `size` bytes whose pages live in the page cache once read (§1.3: page
   * cache follows the task policy of the first toucher). Same name, same file.
   *
   * @example
   * const f = k.file("/data/db", "1GiB"); p.mmap("1GiB", { file: f, shared: true });
   */
  file(name: string, size: Size): MemObject {
    let f = this.#files.get(name);
    if (!f) {
      f = new MemObject("file", sizeToPages(size), this.nextIno(), name);
      this.#files.set(name, f);
    }
    return f;
  }

  /**
   * A SysV shared memory segment (shmget): a shmem inode; attach with p.shmat(seg).
   *
   * @example
   * const seg = k.shmget("64MiB");
   */
  shmget(size: Size): MemObject {
    // IPC_PRIVATE: key 0, so the shm file is "SYSV00000000" (shown deleted once attached).
    return new MemObject("shmem", sizeToPages(size), this.nextIno(), "/SYSV00000000 (deleted)");
  }

  /**
   * /proc/vmstat: nr_free_pages, nr_anon_pages, ..., numa_hit, numa_miss, numa_foreign,
   * numa_interleave, numa_local, numa_other, pgalloc_normal, pgalloc_movable, pgmigrate_*, ...
   *
   * @example
   * k.vmstat().numa_interleave
   */
  vmstat(): Record<string, number> {
    return vmstat(this);
  }

  /**
   * numastat per node (numa_hit, numa_miss, numa_foreign, interleave_hit, local_node, other_node).
   *
   * @example
   * k.numastat()[2].numa_miss
   */
  numastat(): Record<number, NodeNumastat> {
    return numastat(this);
  }

  /**
   * Per-node meminfo in kB (MemTotal, MemFree, MemUsed, FilePages, AnonPages, Shmem, AnonHugePages).
   *
   * @example
   * k.meminfo()[0].MemFree
   */
  meminfo(): Record<number, NodeMeminfo> {
    return meminfo(this);
  }

  /**
   * Starts a command line as a new process; a leading `numactl ...` sets the task policy and
   * CPU binding numactl would (set_mempolicy errors surface as SyscallError).
   *
   * @example
   * const { process } = k.exec("numactl --weighted-interleave=0,2 ./stream");
   */
  exec(commandLine: string | readonly string[], opts: ExecOptions = {}): ExecResult {
    return execCommand(this, commandLine, opts);
  }

  /**
   * Reads a /proc file: /proc/vmstat, /proc/<pid>/numa_maps, /proc/<pid>/status, /proc/sys/*.
   *
   * @example
   * k.readProc(`/proc/${p.pid}/numa_maps`)
   */
  readProc(path: string): string {
    return readProc(this, path);
  }

  /**
   * `numactl --hardware` output for this machine.
   *
   * @example
   * console.log(k.numactlHardware());
   */
  numactlHardware(): string {
    return numactlHardware(this);
  }

  /**
   * vmalloc from a task's context: bulk allocation under its task policy (§1.7). Returns the
   * area (its `size` is the pages obtained, fewer when memory ran out).
   *
   * @example
   * const area = k.vmalloc(p, "64MiB");
   */
  vmalloc(task: Process, size: Size): MemObject {
    return vmallocPages(this, task, sizeToPages(size));
  }

  /**
   * vfree: returns a vmalloc area's pages.
   *
   * @example
   * k.vfree(area);
   */
  vfree(area: MemObject): void {
    vfreePages(this, area);
  }

  /**
   * Memory hotplug: onlines an offline memory node (zonelists, watermarks, tiers, weights and
   * sysfs files are re-derived; the root cpuset gains the node). With the what-if behaviour
   * `redistributeOnNodeAdd`, interleave policies over every node also take the new node and
   * their pages move to their new interleave targets.
   *
   * @example
   * k.onlineNode(3);
   */
  onlineNode(node: number): void {
    onlineMemory(this, node);
  }

  /**
   * The OOM killer (§1.8 step 3); see MemContext.outOfMemory.
   *
   * @example
   * k.outOfMemory(p, [2]) // kills the biggest candidate, or throws OomKilledError
   */
  outOfMemory(task: TaskPlacement, constraint: Nodemask | null): void {
    const requester = task as Process;
    const constrained = constraint !== null;
    const candidates = this.processes().filter((p) => {
      if (!constrained) return true;
      const pol = p.policy;
      return !pol || pol.mode !== "MPOL_BIND" || pol.nodes.some((n) => constraint.includes(n));
    });
    // One candidate per mm (threads share it); oom_badness ~ resident pages, without those on
    // private nodes lacking NP_OPS_OOM_ELIGIBLE (private/oom.ts, §6.1).
    const seen = new Set<object>();
    let victim: Process | null = null;
    let best = -1;
    for (const p of candidates) {
      if (seen.has(p.mm)) continue;
      seen.add(p.mm);
      const rss = oomBadnessPages(this, p);
      if (rss > best) {
        best = rss;
        victim = p;
      }
    }
    const detail = constrained ? `no free memory on nodes ${constraint.join(",")}` : "no free memory on any allowed node";
    if (!victim || best <= 0) throw new OomKilledError(requester.pid, constrained, `${detail} and nothing to kill`);
    const freed = victim.exitMm();
    this.oomKills.push({ pid: victim.pid, constrained, freedPages: freed });
    this.stats.add("oom_kill", requester.cpuNode, 1);
    if (victim.mm === requester.mm) throw new OomKilledError(victim.pid, constrained, detail);
  }
}
