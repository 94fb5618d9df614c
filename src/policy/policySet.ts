/**
 * `policy()`: the immutable builder of a scenario's policy set (format "tiersim.policy/1"):
 * the kernel version, sysctl and sysfs writes, weighted-interleave weights, task policies
 * (set_mempolicy, or a numactl line) and VMA policies (mbind on one region). It is plain data;
 * the simulator applies it through the machine layer in this order: boot the kernel, sysctls,
 * weights, sysfs writes (in call order), then each process's task policy and CPU binding when
 * it starts, and its VMA policies right after its regions are mapped.
 *
 * Everything checkable without a workload throws a UsageError at once; names of processes and
 * regions are checked against a workload by {@link validatePolicyAgainstWorkload}. Rules that
 * depend on the kernel version (MPOL_F_NUMA_BALANCING with PREFERRED_MANY before v6.10, auto
 * weights before v6.16) are left to the simulated syscalls, which fail with the errno Linux gives.
 */
import { UsageError, type Issue } from "../core/errors.js";
import { modeNumber, type ModeFlagInput, type ModeInput } from "./modes.js";
import { toNodemask, type NodemaskInput } from "./nodemask.js";
import { numactl as parseNumactl } from "./numactl.js";
import { parseKernelVersion } from "./features.js";
import { MAX_INTERLEAVE_WEIGHT } from "./weights.js";
import { MBIND_FLAGS, MPOL_MAX, MPOL_MODE_FLAGS, MPOL_MODES, type MbindFlagName, type ModeFlagName, type ModeName, type Nodemask } from "./types.js";

/**
 * The format tag of a serialised policy set.
 *
 * @example
 * policy().build().format // "tiersim.policy/1"
 */
export const POLICY_FORMAT = "tiersim.policy/1";

/**
 * A memory policy as the scenario stores it: the arguments of set_mempolicy or mbind.
 *
 * @example
 * policy().taskPolicy("db", "bind", [0]).build().tasks[0].policy // { mode: "MPOL_BIND", flags: [], nodes: [0] }
 */
export interface PolicyArgs {
  readonly mode: ModeName;
  readonly flags: readonly ModeFlagName[];
  readonly nodes: Nodemask;
}

/**
 * The task policy and CPU binding of one process.
 *
 * @example
 * policy().numactl("db", "-N 0 -m 0").build().tasks[0] // { process: "db", policy: {...}, cpuNodes: [0], physCpus: null, numactl: "-N 0 -m 0" }
 */
export interface TaskPolicySpec {
  readonly process: string;
  /** The set_mempolicy arguments, or null when a numactl line sets only a CPU binding. */
  readonly policy: PolicyArgs | null;
  /** Run only on these nodes' CPUs (numactl --cpunodebind), or null. */
  readonly cpuNodes: Nodemask | null;
  /** Run only on these CPUs (numactl --physcpubind), or null. */
  readonly physCpus: readonly number[] | null;
  /** The numactl command line this came from, as written, or null for `taskPolicy()`. */
  readonly numactl: string | null;
}

/**
 * An mbind on one region of one process.
 *
 * @example
 * policy().mbind("db", "heap", "MPOL_BIND", [0], ["MPOL_MF_MOVE"]).build().vmas[0].mbindFlags // ["MPOL_MF_MOVE"]
 */
export interface VmaPolicySpec extends PolicyArgs {
  readonly process: string;
  readonly region: string;
  /** mbind flags (MPOL_MF_STRICT, MPOL_MF_MOVE, MPOL_MF_MOVE_ALL). */
  readonly mbindFlags: readonly MbindFlagName[];
}

/**
 * System-wide weighted-interleave weights: derived from bandwidth, or written per node.
 *
 * @example
 * policy().weights({ 0: 9, 1: 1 }).build().weights // { mode: "manual", weights: { "0": 9, "1": 1 } }
 */
export type WeightsSpec = { readonly mode: "auto" } | { readonly mode: "manual"; readonly weights: Readonly<Record<string, number>> };

/**
 * A write to a sysctl (`kernel.numa_balancing`) or a sysfs file.
 *
 * @example
 * policy().sysctl("kernel.numa_balancing", 2).build().sysctls[0] // { name: "kernel.numa_balancing", value: 2 }
 */
export interface SettingSpec {
  readonly name: string;
  readonly value: number | string;
}

/**
 * The whole policy set as plain, JSON-serialisable data.
 *
 * @example
 * const pol: PolicySetSpec = policy().autoWeights().build();
 */
export interface PolicySetSpec {
  readonly format: typeof POLICY_FORMAT;
  /** Kernel version such as "v6.16", or null for the baseline kernel. */
  readonly kernel: string | null;
  readonly weights: WeightsSpec | null;
  readonly tasks: readonly TaskPolicySpec[];
  readonly vmas: readonly VmaPolicySpec[];
  /** Sysctl writes in order; `name` uses dots (`vm.zone_reclaim_mode`). */
  readonly sysctls: readonly SettingSpec[];
  /** Sysfs writes in order; `name` is the full path under /sys. */
  readonly sysfs: readonly SettingSpec[];
}

/**
 * The names a policy set refers to: any workload spec fits.
 *
 * @example
 * validatePolicyAgainstWorkload(pol, { processes: [{ name: "db", regions: [{ name: "heap" }] }] })
 */
export interface WorkloadNames {
  readonly processes: readonly { readonly name: string; readonly regions: readonly { readonly name: string }[] }[];
}

const EMPTY: PolicySetSpec = { format: POLICY_FORMAT, kernel: null, weights: null, tasks: [], vmas: [], sysctls: [], sysfs: [] };

const MODE_NAMES = Object.keys(MPOL_MODES) as ModeName[];
const NEEDS_NODES: readonly ModeName[] = ["MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED_MANY"];

/**
 * Builds a policy set. Each method returns a new builder; the original is unchanged.
 *
 * @example
 * const pol = policy().weights({ 0: 9, 1: 1 }).numactl("stream", "--weighted-interleave=0,1").build();
 */
export class PolicySetBuilder {
  readonly #spec: PolicySetSpec;

  /** Use `policy()` rather than this constructor. */
  constructor(spec: PolicySetSpec = EMPTY) {
    this.#spec = spec;
  }

  #with(patch: Partial<PolicySetSpec>): PolicySetBuilder {
    return new PolicySetBuilder({ ...this.#spec, ...patch });
  }

  /**
   * Selects the kernel version the scenario boots (its behaviours and ABI).
   *
   * @example
   * policy().kernel("v6.9")
   */
  kernel(version: string): PolicySetBuilder {
    if (typeof version !== "string") {
      throw new UsageError({ what: "policy().kernel()", value: version, rule: "a kernel version is a string", fix: 'write e.g. "v6.16"' });
    }
    parseKernelVersion(version);
    const v = version.trim();
    return this.#with({ kernel: v.startsWith("v") ? v : `v${v}` });
  }

  /**
   * Writes the system-wide weighted-interleave weights (the sysfs `nodeN` files, which also
   * switches auto mode off). Weights are integers 1..255 keyed by node id.
   *
   * @example
   * policy().weights({ 0: 9, 1: 1 })
   */
  weights(weights: Readonly<Record<number, number>>): PolicySetBuilder {
    const what = "policy().weights()";
    if (typeof weights !== "object" || weights === null || Array.isArray(weights) || Object.keys(weights).length === 0) {
      throw new UsageError({ what, value: weights, rule: "weights are an object of node id to weight, with at least one node", fix: "write { 0: 9, 1: 1 }" });
    }
    const out: Record<string, number> = {};
    for (const [key, w] of Object.entries(weights)) {
      if (!/^(0|[1-9]\d*)$/.test(key)) {
        throw new UsageError({ what: `${what} node`, value: key, rule: "node ids are non-negative integers", fix: "key the weights by node id, e.g. { 0: 9, 1: 1 }" });
      }
      if (!Number.isInteger(w) || w < 1 || w > MAX_INTERLEAVE_WEIGHT) {
        throw new UsageError({
          what: `${what} weight of node ${key}`,
          value: w,
          rule: `a weight is an integer 1..${MAX_INTERLEAVE_WEIGHT} (the sysfs file is a u8 and 0 is refused)`,
          fix: "scale the ratio to small integers, e.g. 9:1",
        });
      }
      out[key] = w;
    }
    return this.#with({ weights: { mode: "manual", weights: out } });
  }

  /**
   * Lets the kernel derive the weights from each node's HMAT/CDAT bandwidth (the sysfs `auto`
   * file, Linux v6.16+), e.g. 28:3 for 208.5 and 24.5 GB/s.
   *
   * @example
   * policy().autoWeights()
   */
  autoWeights(): PolicySetBuilder {
    return this.#with({ weights: { mode: "auto" } });
  }

  /**
   * Runs a process under a numactl command line: its memory policy becomes the task policy
   * and its --cpunodebind/--physcpubind the CPU binding. The original line is kept.
   *
   * @example
   * policy().numactl("stream", "--weighted-interleave=0,1")
   * policy().numactl("db", "--cpunodebind=0 --membind=0")
   */
  numactl(process: string, commandLine: string): PolicySetBuilder {
    checkProcessName("policy().numactl()", process);
    if (typeof commandLine !== "string") {
      throw new UsageError({ what: `policy().numactl("${process}")`, value: commandLine, rule: "the numactl options are one string", fix: 'write "--interleave=0,1"' });
    }
    const cmd = parseNumactl(commandLine);
    const policy = cmd.policy === null || cmd.policy.mode === "MPOL_DEFAULT" ? cmd.policy : checkedPolicy(`policy().numactl("${process}")`, cmd.policy.mode, cmd.policy.nodes, cmd.policy.flags);
    return this.#addTask({ process, policy, cpuNodes: cmd.cpuNodes, physCpus: cmd.physCpus, numactl: commandLine });
  }

  /**
   * Sets a process's task policy, as if it called set_mempolicy() before touching memory.
   * Modes by name ("MPOL_BIND", "bind") or ABI number; flags by name.
   *
   * @example
   * policy().taskPolicy("app", "MPOL_PREFERRED_MANY", [0], ["MPOL_F_NUMA_BALANCING"])
   * policy().taskPolicy("app", 2, [0, 1])
   */
  taskPolicy(process: string, mode: ModeInput, nodes: NodemaskInput, flags: readonly ModeFlagInput[] = []): PolicySetBuilder {
    const what = `policy().taskPolicy("${process}")`;
    checkProcessName("policy().taskPolicy()", process);
    const decoded = decodeArgs(what, mode, flags);
    const policy = checkedPolicy(what, decoded.mode, toNodemask(nodes, `${what} nodes`), decoded.flags);
    return this.#addTask({ process, policy, cpuNodes: null, physCpus: null, numactl: null });
  }

  /**
   * Sets a VMA policy on one region (or several) of a process, as mbind() over the whole
   * region right after it is mapped. Flags may mix mode flags and MPOL_MF_* mbind flags.
   *
   * @example
   * // calibration.md §1: 9:1 weighted interleave on the three STREAM arrays only
   * policy().weights({ 0: 9, 1: 1 }).mbind("stream", ["a", "b", "c"], "MPOL_WEIGHTED_INTERLEAVE", [0, 1])
   */
  mbind(
    process: string,
    region: string | readonly string[],
    mode: ModeInput,
    nodes: NodemaskInput,
    flags: readonly (ModeFlagInput | MbindFlagName)[] = [],
  ): PolicySetBuilder {
    const what = `policy().mbind("${process}")`;
    checkProcessName("policy().mbind()", process);
    const regions = typeof region === "string" ? [region] : region;
    if (!Array.isArray(regions) || regions.length === 0 || regions.some((r) => typeof r !== "string" || r.trim() === "")) {
      throw new UsageError({ what: `${what} region`, value: region, rule: "names one region or a non-empty list of regions", fix: 'write "heap" or ["a", "b", "c"]' });
    }
    const mbindFlags = flags.filter((f): f is MbindFlagName => typeof f === "string" && f in MBIND_FLAGS);
    if (mbindFlags.includes("MPOL_MF_LAZY")) {
      throw new UsageError({ what: `${what} flags`, value: "MPOL_MF_LAZY", rule: "mbind accepts only MPOL_MF_STRICT, MPOL_MF_MOVE and MPOL_MF_MOVE_ALL (LAZY is EINVAL)", fix: "drop MPOL_MF_LAZY" });
    }
    const decoded = decodeArgs(what, mode, flags.filter((f) => !(typeof f === "string" && f in MBIND_FLAGS)));
    const policy = checkedPolicy(what, decoded.mode, toNodemask(nodes, `${what} nodes`), decoded.flags);
    let vmas = this.#spec.vmas;
    for (const r of regions) {
      if (vmas.some((v) => v.process === process && v.region === r)) {
        throw new UsageError({ what: `${what} region`, value: r, rule: "already has a VMA policy in this set", fix: "give each region one mbind()" });
      }
      vmas = [...vmas, { process, region: r, ...policy, mbindFlags: [...new Set(mbindFlags)] }];
    }
    return this.#with({ vmas });
  }

  /**
   * Writes a sysctl at boot, by dotted name or /proc/sys path.
   *
   * @example
   * policy().sysctl("kernel.numa_balancing", 2)
   */
  sysctl(name: string, value: number | string): PolicySetBuilder {
    const what = "policy().sysctl()";
    const dotted = typeof name === "string" ? name.trim().replace(/^\/proc\/sys\//, "").replace(/\//g, ".") : name;
    if (typeof dotted !== "string" || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/.test(dotted)) {
      throw new UsageError({ what, value: name, rule: "a sysctl is a dotted name such as kernel.numa_balancing", fix: 'write "kernel.numa_balancing" or "/proc/sys/kernel/numa_balancing"' });
    }
    checkSettingValue(`${what} "${dotted}"`, value);
    return this.#with({ sysctls: [...this.#spec.sysctls, { name: dotted, value }] });
  }

  /**
   * Writes a sysfs (or debugfs) file at boot, after the weights.
   *
   * @example
   * policy().sysfs("/sys/kernel/mm/numa/demotion_enabled", "true")
   */
  sysfs(path: string, value: number | string): PolicySetBuilder {
    const what = "policy().sysfs()";
    if (typeof path !== "string" || !/^\/sys\/\S+[^/]$/.test(path.trim())) {
      throw new UsageError({ what, value: path, rule: "a sysfs file is an absolute path under /sys", fix: 'write e.g. "/sys/kernel/mm/numa/demotion_enabled"' });
    }
    checkSettingValue(`${what} "${path}"`, value);
    return this.#with({ sysfs: [...this.#spec.sysfs, { name: path.trim(), value }] });
  }

  /**
   * The policy set as frozen plain data.
   *
   * @example
   * policy().kernel("v6.16").build().kernel // "v6.16"
   */
  build(): PolicySetSpec {
    return deepFreeze(structuredClone(this.#spec) as PolicySetSpec);
  }

  #addTask(task: TaskPolicySpec): PolicySetBuilder {
    if (this.#spec.tasks.some((t) => t.process === task.process)) {
      throw new UsageError({
        what: `policy() task policy of "${task.process}"`,
        value: task.numactl ?? task.policy?.mode,
        rule: "a process has one task policy, and this one already has one in this set",
        fix: "keep one numactl() or taskPolicy() per process",
      });
    }
    return this.#with({ tasks: [...this.#spec.tasks, task] });
  }
}

/**
 * Starts an empty policy set: baseline kernel, default sysctls, no policies.
 *
 * @example
 * policy().weights({ 0: 9, 1: 1 }).numactl("stream", "--weighted-interleave=0,1").build()
 */
export function policy(): PolicySetBuilder {
  return new PolicySetBuilder();
}

/**
 * Checks that every process and region a policy set names exists in the workload. Paths
 * start at "policy", e.g. `policy.vmas[0].region`.
 *
 * @example
 * validatePolicyAgainstWorkload(pol, wl) // [] when every name is known
 */
export function validatePolicyAgainstWorkload(policySet: PolicySetSpec, workload: WorkloadNames): Issue[] {
  const issues: Issue[] = [];
  const processes = new Map(workload.processes.map((p) => [p.name, p.regions.map((r) => r.name)]));
  const known = [...processes.keys()].join(", ") || "none";
  const unknownProcess = (path: (string | number)[], name: string): void => {
    issues.push({
      code: "unknown_process",
      path,
      message: `got "${name}"; a policy can only name a process of the workload (${known}). Fix: fix the name or add the process to the workload.`,
    });
  };
  policySet.tasks.forEach((t, i) => {
    if (!processes.has(t.process)) unknownProcess(["policy", "tasks", i, "process"], t.process);
  });
  policySet.vmas.forEach((v, i) => {
    const regions = processes.get(v.process);
    if (regions === undefined) unknownProcess(["policy", "vmas", i, "process"], v.process);
    else if (!regions.includes(v.region)) {
      issues.push({
        code: "unknown_region",
        path: ["policy", "vmas", i, "region"],
        message: `got "${v.region}"; process "${v.process}" has no such region (it has ${regions.join(", ") || "none"}). Fix: name one of its regions.`,
      });
    }
  });
  return issues;
}

function checkProcessName(what: string, process: unknown): void {
  if (typeof process !== "string" || process.trim() === "") {
    throw new UsageError({ what: `${what} process`, value: process, rule: "names a process of the workload", fix: 'write the name given to workload().process(), e.g. "stream"' });
  }
}

function decodeArgs(what: string, mode: ModeInput, flags: readonly ModeFlagInput[]): { mode: ModeName; flags: ModeFlagName[] } {
  let raw: number;
  try {
    raw = modeNumber(mode, flags);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError({ what: `${what} mode`, value: e.value, rule: e.rule, fix: e.fix });
    throw e;
  }
  const flagBits = Object.values(MPOL_MODE_FLAGS).reduce((a, b) => a | b, 0);
  const modeBits = raw & ~flagBits;
  if (modeBits < 0 || modeBits >= MPOL_MAX) {
    throw new UsageError({ what: `${what} mode`, value: mode, rule: `a mode number is 0..${MPOL_MAX - 1} (${MODE_NAMES.join(", ")})`, fix: 'write a name such as "MPOL_BIND"' });
  }
  const names = (Object.keys(MPOL_MODE_FLAGS) as ModeFlagName[]).filter((f) => (raw & MPOL_MODE_FLAGS[f]) !== 0);
  return { mode: MODE_NAMES.find((m) => MPOL_MODES[m] === modeBits)!, flags: names };
}

/** The version-independent rules of sanitize_mpol_flags and mpol_new (kernel-model.md §2.1). */
function checkedPolicy(what: string, mode: ModeName, nodes: Nodemask, flags: readonly ModeFlagName[]): PolicyArgs {
  if (NEEDS_NODES.includes(mode) && nodes.length === 0) {
    throw new UsageError({ what: `${what} nodes`, value: [], rule: `${mode} needs at least one node (the kernel returns EINVAL)`, fix: "list the nodes, e.g. [0, 1]" });
  }
  if ((mode === "MPOL_DEFAULT" || mode === "MPOL_LOCAL") && nodes.length > 0) {
    throw new UsageError({ what: `${what} nodes`, value: nodes, rule: `${mode} takes no nodes (the kernel returns EINVAL)`, fix: "pass []" });
  }
  if (flags.includes("MPOL_F_STATIC_NODES") && flags.includes("MPOL_F_RELATIVE_NODES")) {
    throw new UsageError({ what: `${what} flags`, value: flags, rule: "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other", fix: "keep one of them" });
  }
  if (flags.includes("MPOL_F_NUMA_BALANCING") && mode !== "MPOL_BIND" && mode !== "MPOL_PREFERRED_MANY") {
    throw new UsageError({ what: `${what} flags`, value: mode, rule: "MPOL_F_NUMA_BALANCING goes only with MPOL_BIND or MPOL_PREFERRED_MANY", fix: "drop the flag or change the mode" });
  }
  return { mode, flags: [...flags], nodes: [...nodes] };
}

function checkSettingValue(what: string, value: unknown): void {
  const ok = (typeof value === "number" && Number.isFinite(value)) || typeof value === "string";
  if (!ok) throw new UsageError({ what, value, rule: "a value written to a kernel file is a number or a string", fix: 'write e.g. 2 or "true"' });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
