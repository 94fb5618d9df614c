/**
 * Whole-scenario validation: every part is checked, and then the parts against each other
 * (policy names against the workload, BIND footprints against node capacities, CPU bindings
 * against the machine), and every issue is reported at once with its path, zod-style.
 */
import { ScenarioError, UsageError, type Issue } from "../core/errors.js";
import { parseDuration } from "../core/units.js";
import { checkPolicyFit } from "../policy/policyFit.js";
import { policy, validatePolicyAgainstWorkload, type PolicySetSpec } from "../policy/policySet.js";
import { policyFromJSON } from "../policy/policySetJson.js";
import type { Scenario } from "../results/scenario.js";
import { checkTopology } from "../topology/validate.js";
import type { TopologySpec } from "../topology/types.js";
import { validateWorkload } from "../workload/validateWorkload.js";
import type { WorkloadSpec } from "../workload/types.js";
import { DEFAULT_KERNEL, versionNumber } from "../kernel/version.js";
import { checkBehaviours } from "./checkBehaviours.js";
import type { KernelBehaviours } from "../kernel/behaviours.js";

const KEYS = ["topology", "workload", "policy", "duration", "seed", "kernel", "epoch", "behaviours"];

/**
 * A scenario after validation: parts normalised, times in ns, the kernel version decided.
 *
 * @example
 * resolveScenario(scenario).durationNs // 1e10 for "10s"
 */
export interface ResolvedScenario {
  readonly scenario: Scenario;
  readonly topology: TopologySpec;
  readonly workload: WorkloadSpec;
  readonly policy: PolicySetSpec;
  readonly durationNs: number;
  /** Requested sampling interval (before any coarsening to MAX_SAMPLES). */
  readonly epochNs: number;
  readonly seed: number;
  readonly kernel: string;
  /** The behaviours the scenario selects (the kernel version supplies the rest). */
  readonly behaviours: KernelBehaviours;
}

type Path = (string | number)[];

function prefixed(prefix: string, issues: readonly Issue[]): Issue[] {
  return issues.map((i) => ({ ...i, path: [prefix, ...i.path] }));
}

function issue(path: Path, code: string, message: string): Issue {
  return { code, path, message };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function durationOf(value: unknown, path: Path, what: string, issues: Issue[]): number | null {
  try {
    const ns = parseDuration(value as string | number, what);
    if (ns > 0) return ns;
    issues.push(issue(path, "invalid_value", `got ${JSON.stringify(value)}; ${what} must be longer than 0. Fix: write e.g. "10s".`));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    issues.push(issue(path, "invalid_value", e.message));
  }
  return null;
}

/**
 * Checks a scenario whole and resolves it, or throws a ScenarioError listing every issue with
 * its path (`workload.processes[0].threads`, `policy.vmas[1].region`, ...).
 *
 * @example
 * const r = resolveScenario({ topology: presets.sprCxl(), workload: wl, duration: "10s", seed: 1 });
 */
export function resolveScenario(input: unknown): ResolvedScenario {
  const issues: Issue[] = [];
  if (!isRecord(input)) {
    throw new ScenarioError([issue([], "invalid_type", `got ${JSON.stringify(input)}; a scenario is an object { topology, workload, policy, duration, seed }. Fix: pass such an object.`)]);
  }
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key)) issues.push(issue([key], "unrecognized_key", `got "${key}"; a scenario has the keys ${KEYS.join(", ")}. Fix: remove it or fix its spelling.`));
  }
  const topo = checkTopology(input.topology);
  issues.push(...prefixed("topology", topo.issues));
  const wl = validateWorkload(input.workload);
  issues.push(...prefixed("workload", wl.issues));
  let pol: PolicySetSpec | null = null;
  if (input.policy === undefined || input.policy === null) pol = policy().build();
  else {
    try {
      pol = policyFromJSON(input.policy);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      issues.push(...prefixed("policy", e.issues));
    }
  }
  const durationNs = durationOf(input.duration, ["duration"], "the scenario's duration", issues);
  const epochNs = input.epoch === undefined || input.epoch === null ? (durationNs ?? 0) / 100 : durationOf(input.epoch, ["epoch"], "the sampling epoch", issues);
  const seed = input.seed;
  if (!Number.isSafeInteger(seed)) issues.push(issue(["seed"], "invalid_value", `got ${JSON.stringify(seed)}; the seed must be a safe integer. Fix: write seed: 1.`));
  const kernel = resolveKernel(input.kernel, pol, issues);
  const behaviours = checkBehaviours(input.behaviours, ["behaviours"], issues);
  if (topo.spec && wl.spec && pol) crossCheck(topo.spec, wl.spec, pol, issues);
  if (issues.length > 0) throw new ScenarioError(issues);
  return {
    scenario: input as unknown as Scenario,
    topology: topo.spec!,
    workload: wl.spec!,
    policy: pol!,
    durationNs: durationNs!,
    epochNs: epochNs!,
    seed: seed as number,
    kernel,
    behaviours,
  };
}

function resolveKernel(value: unknown, pol: PolicySetSpec | null, issues: Issue[]): string {
  if (value !== undefined && value !== null) {
    try {
      if (typeof value !== "string") throw new UsageError({ what: "kernel", value, rule: "a kernel version is a string", fix: 'write kernel: "v6.16"' });
      versionNumber(value);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      issues.push(issue(["kernel"], "invalid_value", e.message));
      return DEFAULT_KERNEL;
    }
    const v = value.startsWith("v") ? value : `v${value}`;
    if (pol?.kernel && pol.kernel !== v) {
      issues.push(issue(["kernel"], "kernel_conflict", `got "${v}" but the policy set selects "${pol.kernel}"; one run boots one kernel. Fix: drop one of them or make them equal.`));
    }
    return v;
  }
  return pol?.kernel ?? DEFAULT_KERNEL;
}

function crossCheck(topo: TopologySpec, wl: WorkloadSpec, pol: PolicySetSpec, issues: Issue[]): void {
  issues.push(...validatePolicyAgainstWorkload(pol, wl));
  const capacities: Record<number, number> = {};
  for (const n of topo.nodes) capacities[n.id] = n.memory?.capacityBytes ?? 0;
  issues.push(...checkPolicyFit(pol, wl, capacities));
  const memoryNodes = topo.nodes.filter((n) => n.memory !== null).map((n) => n.id);
  if (pol.weights?.mode === "manual") {
    for (const node of Object.keys(pol.weights.weights)) {
      if (!memoryNodes.includes(Number(node))) {
        issues.push(issue(["policy", "weights", "weights", node], "unknown_node", `got node ${node}; weighted-interleave weights exist for memory nodes only (${memoryNodes.join(", ")} here). Fix: key the weights by those nodes.`));
      }
    }
  }
  const cpuNodes = topo.nodes.filter((n) => n.cpus.length > 0).map((n) => n.id);
  const allCpus = new Set(topo.nodes.flatMap((n) => n.cpus));
  wl.processes.forEach((p, i) => {
    const b = p.binding;
    if (b === null) return;
    if ("node" in b && !cpuNodes.includes(b.node)) {
      issues.push(issue(["workload", "processes", i, "binding", "node"], "unknown_cpu_node", `got node ${b.node}; threads run on a node with CPUs, and "${topo.name}" has CPUs on node ${cpuNodes.join(", ")}. Fix: bind to one of those nodes.`));
    }
    if ("cpus" in b) {
      b.cpus.forEach((c, j) => {
        if (!allCpus.has(c)) issues.push(issue(["workload", "processes", i, "binding", "cpus", j], "unknown_cpu", `got CPU ${c}; "${topo.name}" has no such CPU. Fix: use CPUs of the machine (numactl --hardware lists them).`));
      });
    }
  });
  pol.tasks.forEach((t, i) => {
    const bad = (t.cpuNodes ?? []).filter((n) => !cpuNodes.includes(n));
    if (bad.length > 0) {
      issues.push(issue(["policy", "tasks", i, "cpuNodes"], "unknown_cpu_node", `got node ${bad.join(", ")}; --cpunodebind names nodes with CPUs (${cpuNodes.join(", ")} here). Fix: bind to those nodes.`));
    }
    const badCpus = (t.physCpus ?? []).filter((c) => !allCpus.has(c));
    if (badCpus.length > 0) {
      issues.push(issue(["policy", "tasks", i, "physCpus"], "unknown_cpu", `got CPU ${badCpus.join(", ")}; the machine has no such CPU. Fix: use CPUs numactl --hardware lists.`));
    }
  });
}
