/**
 * Whether a policy set can hold its workload at all: memory bound to a node set (MPOL_BIND)
 * cannot spill elsewhere, so a footprint larger than the bound nodes is an error before any
 * simulation (the kernel would OOM-kill the task). Also catches policies naming nodes the
 * machine does not have.
 */
import type { Issue } from "../core/errors.js";
import type { PolicyArgs, PolicySetSpec } from "./policySet.js";

/** The parts of a workload the fit check reads: any workload spec fits. */
export interface WorkloadFootprint {
  readonly processes: readonly {
    readonly name: string;
    readonly regions: readonly { readonly name: string; readonly sizeBytes: number; readonly file: string | null }[];
  }[];
}

/**
 * Reports BIND masks whose regions exceed the bound nodes' capacity, and policies naming
 * nodes absent from `capacities` (bytes per node id). Each region is bound by its VMA policy,
 * else by its process's task policy; a shared file counts once. Paths start at "policy".
 *
 * @example
 * checkPolicyFit(pol, wl, { 0: 256 * 2 ** 30, 1: 64 * 2 ** 30 }) // [] when everything fits
 */
export function checkPolicyFit(policySet: PolicySetSpec, workload: WorkloadFootprint, capacities: Readonly<Record<number, number>>): Issue[] {
  const issues: Issue[] = [];
  const known = Object.keys(capacities).map(Number);
  const checkNodes = (args: PolicyArgs | null, path: (string | number)[]): void => {
    const missing = (args?.nodes ?? []).filter((n) => !known.includes(n));
    if (missing.length > 0) {
      issues.push({
        code: "unknown_node",
        path: [...path, "nodes"],
        message: `got node ${missing.join(", ")}; the machine has nodes ${known.join(", ")}. Fix: name nodes of the topology.`,
      });
    }
  };
  policySet.tasks.forEach((t, i) => checkNodes(t.policy, ["policy", "tasks", i, "policy"]));
  policySet.vmas.forEach((v, i) => checkNodes(v, ["policy", "vmas", i]));

  // Bytes bound to each mask, with the first policy entry that binds there (for the path).
  const buckets = new Map<string, { nodes: readonly number[]; bytes: number; path: (string | number)[]; files: Set<string> }>();
  for (const p of workload.processes) {
    const taskIndex = policySet.tasks.findIndex((t) => t.process === p.name);
    for (const r of p.regions) {
      const vmaIndex = policySet.vmas.findIndex((v) => v.process === p.name && v.region === r.name);
      const args = vmaIndex >= 0 ? policySet.vmas[vmaIndex]! : (policySet.tasks[taskIndex]?.policy ?? null);
      if (args === null || args.mode !== "MPOL_BIND") continue;
      const path = vmaIndex >= 0 ? ["policy", "vmas", vmaIndex, "nodes"] : ["policy", "tasks", taskIndex, "policy", "nodes"];
      const key = args.nodes.join(",");
      const bucket = buckets.get(key) ?? { nodes: args.nodes, bytes: 0, path, files: new Set<string>() };
      if (r.file !== null && bucket.files.has(r.file)) continue;
      if (r.file !== null) bucket.files.add(r.file);
      bucket.bytes += r.sizeBytes;
      buckets.set(key, bucket);
    }
  }
  for (const b of buckets.values()) {
    const capacity = b.nodes.reduce((sum, n) => sum + (capacities[n] ?? 0), 0);
    if (b.bytes > capacity) {
      issues.push({
        code: "bind_footprint",
        path: b.path,
        message:
          `got ${gib(b.bytes)} bound to node${b.nodes.length === 1 ? "" : "s"} ${b.nodes.join(",")}, which hold ${gib(capacity)}; ` +
          "MPOL_BIND memory cannot spill to other nodes, so the task would be OOM-killed. Fix: add nodes to the mask, shrink the regions, or use MPOL_PREFERRED_MANY.",
      });
    }
  }
  return issues;
}

function gib(bytes: number): string {
  return `${Math.round((bytes / 2 ** 30) * 100) / 100} GiB`;
}
