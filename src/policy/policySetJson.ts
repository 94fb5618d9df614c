/**
 * Policy-set files: JSON out, and JSON in replayed through the `policy()` builder so a file
 * obeys exactly the builder's rules, with every bad entry reported at once.
 */
import { ScenarioError, UsageError, type Issue } from "../core/errors.js";
import type { ModeFlagInput, ModeInput } from "./modes.js";
import type { NodemaskInput } from "./nodemask.js";
import { policy, POLICY_FORMAT, type PolicySetBuilder, type PolicySetSpec } from "./policySet.js";
import type { MbindFlagName } from "./types.js";

const KEYS: readonly string[] = ["format", "kernel", "weights", "tasks", "vmas", "sysctls", "sysfs"];

/**
 * Serialises a policy set to JSON (2-space indented); `policyFromJSON` reads it back equal.
 *
 * @example
 * policyToJSON(policy().weights({ 0: 9, 1: 1 }).build()) // '{\n  "format": "tiersim.policy/1", ...'
 */
export function policyToJSON(spec: PolicySetSpec): string {
  return JSON.stringify(spec, null, 2);
}

/**
 * Reads a policy set from JSON text or parsed data. Every entry is replayed through the
 * builder, so a file obeys exactly the builder's rules; every bad entry is reported at once as
 * a ScenarioError with its path (`tasks[1].policy`). A task with a numactl line is rebuilt
 * from that line, which must agree with the stored policy.
 *
 * @example
 * const pol = policyFromJSON(fs.readFileSync("weighted.policy.json", "utf8"));
 */
export function policyFromJSON(json: string | unknown): PolicySetSpec {
  const issues: Issue[] = [];
  const report = (path: (string | number)[], message: string, code = "invalid_value"): void => {
    issues.push({ code, path, message });
  };
  let data: unknown = json;
  if (typeof json === "string") {
    try {
      data = JSON.parse(json);
    } catch (e) {
      report([], `the text is not JSON (${e instanceof Error ? e.message : String(e)}). Fix: check the file's syntax.`, "invalid_json");
      throw new ScenarioError(issues, "policy set");
    }
  }
  if (!isRecord(data)) {
    report([], "got a non-object; a policy set is an object. Fix: pass the result of policy().build() or a parsed policy file.", "invalid_type");
    throw new ScenarioError(issues, "policy set");
  }
  const known = KEYS;
  for (const key of Object.keys(data)) {
    if (!known.includes(key)) report([key], `got "${key}"; it is not a key of a policy set (${known.join(", ")}). Fix: remove it or fix its spelling.`, "unrecognized_key");
  }
  if (data.format !== POLICY_FORMAT) {
    report(["format"], `got ${JSON.stringify(data.format)}; a policy set's format must be "${POLICY_FORMAT}". Fix: write format: "${POLICY_FORMAT}".`, "invalid_format");
  }
  let b = policy();
  const replay = (path: (string | number)[], step: () => PolicySetBuilder): boolean => {
    try {
      b = step();
      return true;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      report(path, e.message);
      return false;
    }
  };
  const list = (key: string): Record<string, unknown>[] => {
    const v = data[key] ?? [];
    if (!Array.isArray(v)) {
      report([key], `got ${JSON.stringify(v)}; ${key} must be an array. Fix: write ${key}: [].`, "invalid_type");
      return [];
    }
    return v.map((x, i) => (isRecord(x) ? x : (report([key, i], `got ${JSON.stringify(x)}; each entry is an object. Fix: see policyToJSON's output.`, "invalid_type"), {})));
  };
  const kernel = data.kernel ?? null;
  if (kernel !== null) replay(["kernel"], () => b.kernel(kernel as string));
  const weights = (data.weights ?? null) as Record<string, unknown> | null;
  if (weights !== null) {
    if (isRecord(weights) && weights.mode === "auto") replay(["weights"], () => b.autoWeights());
    else if (isRecord(weights) && weights.mode === "manual") replay(["weights", "weights"], () => b.weights(weights.weights as Record<number, number>));
    else report(["weights"], `got ${JSON.stringify(weights)}; weights are { mode: "auto" } or { mode: "manual", weights: {...} }. Fix: use one of those forms.`);
  }
  list("tasks").forEach((t, i) => {
    if (typeof t.numactl === "string") {
      if (!replay(["tasks", i, "numactl"], () => b.numactl(t.process as string, t.numactl as string))) return;
      const rebuilt = b.build().tasks.at(-1)!;
      for (const key of ["policy", "cpuNodes", "physCpus"] as const) {
        if (key in t && JSON.stringify(t[key]) !== JSON.stringify(rebuilt[key])) {
          report(["tasks", i, key], `got ${JSON.stringify(t[key])}; the numactl line "${t.numactl}" gives ${JSON.stringify(rebuilt[key])}. Fix: drop ${key} or make it match the line.`, "numactl_mismatch");
        }
      }
      return;
    }
    const p = t.policy;
    if (!isRecord(p)) {
      report(["tasks", i, "policy"], `got ${JSON.stringify(p)}; a task without a numactl line needs a policy { mode, flags, nodes }. Fix: add one or a numactl line.`);
      return;
    }
    if ((t.cpuNodes ?? null) !== null || (t.physCpus ?? null) !== null) {
      report(["tasks", i], "got a CPU binding without a numactl line; only numactl binds CPUs here. Fix: bind with workload().process(...).on() or give the numactl line.");
    }
    replay(["tasks", i, "policy"], () => b.taskPolicy(t.process as string, p.mode as ModeInput, p.nodes as NodemaskInput, (p.flags ?? []) as ModeFlagInput[]));
  });
  list("vmas").forEach((v, i) => {
    const flags = [...((v.flags ?? []) as ModeFlagInput[]), ...((v.mbindFlags ?? []) as MbindFlagName[])];
    replay(["vmas", i], () => b.mbind(v.process as string, v.region as string, v.mode as ModeInput, v.nodes as NodemaskInput, flags));
  });
  list("sysctls").forEach((s, i) => replay(["sysctls", i], () => b.sysctl(s.name as string, s.value as number | string)));
  list("sysfs").forEach((s, i) => replay(["sysfs", i], () => b.sysfs(s.name as string, s.value as number | string)));
  if (issues.length > 0) throw new ScenarioError(issues, "policy set");
  return b.build();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
