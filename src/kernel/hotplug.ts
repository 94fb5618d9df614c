/**
 * Memory hotplug (online) and the seed-003 what-if of redistributing interleaved memory over
 * the new node (behaviours.ts `redistributeOnNodeAdd`).
 */
import { SyscallError } from "../core/errors.js";
import type { Policy } from "../policy/types.js";
import { setMemoryOnline } from "../topology/builder.js";
import type { Kernel } from "./kernel.js";
import { reportNodeBandwidth } from "./iwboot.js";
import { migrateFrame } from "./migrate.js";
import { interleaveTable, isInterleave } from "./placement.js";
import { registerWeightFile } from "./sysfsfiles.js";
import { ilxOf } from "./syscalls/mbind.js";

/**
 * Onlines the memory of `node` (echo online > .../memoryN/state).
 *
 * @example
 * onlineMemory(k, 2);
 */
export function onlineMemory(k: Kernel, node: number): void {
  const spec = k.topo.spec.nodes.find((n) => n.id === node);
  if (!spec?.memory) throw new SyscallError("write", "EINVAL", `node ${node} has no memory to online`);
  if (k.topo.memoryNodes.includes(node)) throw new SyscallError("write", "EINVAL", `node ${node} is already online`);
  const oldNodes = [...k.topo.memoryNodes];
  const topo = k.derive(setMemoryOnline(k.topo.spec, node, true));
  k.topo = topo;
  k.buddy.retopo(topo);
  k.weights.setMemoryNodes(topo.memoryNodes);
  reportNodeBandwidth(k.weights, topo, node); // CDAT/HMAT of the new node; auto mode recomputes
  registerWeightFile(k, node);
  // The root cpuset follows N_MEMORY; its tasks are rebound (positional: existing masks stay).
  k.cpusets.setMems("/", [...topo.memoryNodes]);
  if (k.behaviours.redistributeOnNodeAdd) redistribute(k, oldNodes);
}

function widened(k: Kernel, pol: Policy | null, oldNodes: readonly number[]): Policy | null {
  if (!pol || !isInterleave(pol)) return null;
  if (pol.nodes.length !== oldNodes.length || !pol.nodes.every((n, i) => n === oldNodes[i])) return null;
  const out: Policy = { ...pol, nodes: [...k.topo.memoryNodes], cpusetMems: pol.cpusetMems ? [...k.topo.memoryNodes] : null };
  k.carryWeights(pol, out);
  return out;
}

function redistribute(k: Kernel, oldNodes: readonly number[]): void {
  const added = k.topo.memoryNodes.filter((n) => !oldNodes.includes(n));
  const seen = new Set<object>();
  for (const p of k.processes()) {
    const tp = widened(k, p.policy, oldNodes);
    if (tp) p.policy = tp;
    if (seen.has(p.mm)) continue;
    seen.add(p.mm);
    for (const v of p.mm.vmas) {
      if (v.isShmem) {
        for (const r of v.file!.policyRuns(v.filePgoff, v.filePgoff + v.pages)) {
          const w = widened(k, r.policy, oldNodes);
          if (w) v.file!.setSharedPolicy(r.start, r.end, w);
        }
      } else {
        const w = widened(k, v.policy, oldNodes);
        if (w) v.policy = w;
      }
      // Move each indexed page to where a fresh fault under the widened policy would put it.
      if (v.kind === "file-shared") continue; // page cache has no interleave index
      const tables = new Map<Policy, Int16Array>();
      for (let x = v.start; x < v.end; x++) {
        const pol = (v.isShmem ? v.file!.sharedPolicyAt(v.filePgoff + x - v.start) : v.policy) ?? p.policy;
        if (!pol || !isInterleave(pol) || !pol.nodes.some((n) => added.includes(n))) continue;
        const f = p.frameAt(v, x);
        if (f <= 0) continue;
        let table = tables.get(pol);
        if (!table) tables.set(pol, (table = interleaveTable(pol, (n) => k.weightOf(n, pol))));
        migrateFrame(k, f, table[ilxOf(v, x) % table.length]!);
      }
    }
  }
}
