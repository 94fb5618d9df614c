/**
 * deriveKernelTopology: what Linux computes from the machine at boot (and again on memory
 * hotplug: call it with the new spec). Each rule lives in its own file; this one wires them in the
 * kernel's order: distances (SLIT, §3.1), zonelists (§3.2, which leave node_load behind),
 * watermarks (§1.9), access coordinates and abstract distances (§5.1), tiers and demotion
 * targets (§5.2). Private nodes (§6.1) are kept out of N_MEMORY, get their own zonelists and
 * watermarks, and join tiers and demotion only with NP_OPS_DEMOTION.
 */
import { UsageError } from "../core/errors.js";
import { accessCoordinates, bestAccessCoordinates } from "./access.js";
import { establishDemotionTargets, rememberBestNodeContext } from "./demotion.js";
import { slitDistances } from "./distances.js";
import { abstractDistances, isDriverManaged, memoryTiers, nodeIsToptier, topTierAdistance } from "./tiers.js";
import type { AccessCoordinates, KernelTopology, MemoryTier, NodeSpec, TopologyKnobs, TopologySpec, Watermarks } from "./types.js";
import { kernelWatermarks } from "./watermarks.js";
import { buildZonelists, type BestNodeContext } from "./zonelists.js";

/** The kernel's defaults: min_free_kbytes computed, watermark_scale_factor 10. */
export const DEFAULT_TOPOLOGY_KNOBS: TopologyKnobs = { minFreeKbytes: null, watermarkScaleFactor: 10 };

const NO_WATERMARKS: Watermarks = { min: 0, low: 0, high: 0, promo: 0 };

/**
 * Derives the kernel's view of a machine.
 *
 * @example
 * const kt = deriveKernelTopology(spec);
 * kt.zonelist(0);          // [0, 2, 1, 3]
 * kt.tiers;                // [{ id: 4, start: 512, nodes: [0, 1] }, { id: 22, start: 2816, nodes: [2, 3] }]
 * kt.demotionTargets(0);   // [2]
 * kt.watermarks(0);        // { min, low, high, promo } in pages
 */
export function deriveKernelTopology(spec: TopologySpec, knobs?: Partial<TopologyKnobs>): KernelTopology {
  const k = checkedKnobs(knobs);
  const nodes = checkedNodes(spec);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const nodeIds = nodes.map((n) => n.id);
  const index = new Map(nodeIds.map((id, i) => [id, i]));
  const matrix = slitDistances(spec);

  const node = (id: number, what: string): NodeSpec => {
    const n = byId.get(id);
    if (n === undefined) {
      throw new UsageError({ what, value: id, rule: `must be a node id of this machine (${nodeIds.join(", ")})`, fix: "use one of kt.nodeIds" });
    }
    return n;
  };
  const distance = (from: number, to: number): number => {
    node(from, "distance(from)");
    node(to, "distance(to)");
    return matrix[index.get(from)!]![index.get(to)!]!;
  };

  const online = nodes.filter((n) => n.memory !== null && n.memory.online && managed(n) > 0);
  // §6.1: private memory is N_MEMORY_PRIVATE instead of N_MEMORY (the two are exclusive).
  const memoryNodes = online.filter((n) => !n.memory!.private).map((n) => n.id);
  const privateNodes = online.filter((n) => n.memory!.private).map((n) => n.id);
  const buddyNodes = online.map((n) => n.id);
  // §6.1, §5.2: only private nodes with NP_OPS_DEMOTION join the tiers and the demotion candidates.
  const tierNodes = online.filter((n) => !n.memory!.private || n.memory!.private.ops.includes("DEMOTION")).map((n) => n.id);
  const cpuNodes = nodes.filter((n) => n.cpus.length > 0).map((n) => n.id);
  if (memoryNodes.length === 0) {
    throw new UsageError({
      what: "topology.nodes[].memory",
      value: nodeIds,
      rule: "Linux needs at least one node with online memory (N_MEMORY) to boot",
      fix: "give a node memory with online: true",
    });
  }
  const hasCpus = (id: number): boolean => (byId.get(id)?.cpus.length ?? 0) > 0;
  const cpuNode = new Map<number, number>();
  for (const n of nodes) for (const cpu of n.cpus) cpuNode.set(cpu, n.id);

  // §3.2: zonelists first, as mm init does; node_load stays for find_next_best_node's later users.
  const zonelists = buildZonelists(nodeIds, { memoryNodes, privateNodes, hasCpus, distance });
  const ctx: BestNodeContext = { memoryNodes: tierNodes, hasCpus, distance, nodeLoad: zonelists.nodeLoad };

  // §1.9: private nodes are ordinary buddy zones, so they get watermarks too.
  const wm = kernelWatermarks(
    buddyNodes.map((id) => {
      const n = byId.get(id)!;
      return { node: id, zone: n.memory!.zone, managedPages: managed(n), hotplugged: isDriverManaged(n.memory!.kind) };
    }),
    k,
  );

  // §5.1, §5.2
  const adist = abstractDistances(
    tierNodes.map((id) => {
      const n = byId.get(id)!;
      return { node: id, kind: n.memory!.kind, hasCpus: hasCpus(id), coordinates: bestAccessCoordinates(spec, n) };
    }),
  );
  const tiers: readonly MemoryTier[] = memoryTiers(adist.adistance);
  const tierOfNode = new Map<number, MemoryTier>();
  for (const t of tiers) for (const n of t.nodes) tierOfNode.set(n, t);
  const topTier = topTierAdistance(tiers, hasCpus);
  const demotion = establishDemotionTargets(tiers, ctx);

  const kt: KernelTopology = {
    spec,
    knobs: k,
    nodeIds,
    memoryNodes,
    privateNodes,
    cpuNodes,
    cpuNode,
    distance,
    access(initiator: number, target: number): AccessCoordinates | null {
      return accessCoordinates(spec, node(initiator, "access(initiator)"), node(target, "access(target)"));
    },
    adistance(id: number): number {
      node(id, "adistance(node)");
      const value = adist.adistance.get(id);
      if (value === undefined) {
        throw new UsageError({ what: "adistance(node)", value: id, rule: "only nodes with online memory (private ones only with NP_OPS_DEMOTION) have an abstract distance", fix: "check kt.memoryNodes, or use kt.tierOf(node), which is null here" });
      }
      return value;
    },
    tiers,
    tierOf(id: number): number | null {
      node(id, "tierOf(node)");
      return tierOfNode.get(id)?.id ?? null;
    },
    isToptier(id: number): boolean {
      node(id, "isToptier(node)");
      return nodeIsToptier(tierOfNode.get(id)?.start ?? null, topTier);
    },
    demotionTargets(id: number): readonly number[] {
      node(id, "demotionTargets(node)");
      return demotion.preferred.get(id) ?? [];
    },
    lowerTierNodes(id: number): readonly number[] {
      node(id, "lowerTierNodes(node)");
      return demotion.lowerTier.get(id) ?? [];
    },
    zonelist(id: number): readonly number[] {
      node(id, "zonelist(node)");
      return zonelists.fallback.get(id) ?? [];
    },
    noFallbackZonelist(id: number): readonly number[] {
      node(id, "noFallbackZonelist(node)");
      return buddyNodes.includes(id) ? [id] : [];
    },
    managedPages(id: number): number {
      const n = node(id, "managedPages(node)");
      return buddyNodes.includes(id) ? managed(n) : 0;
    },
    watermarks(id: number): Watermarks {
      node(id, "watermarks(node)");
      return wm.watermarks.get(id) ?? NO_WATERMARKS;
    },
    minFreeKbytes: wm.minFreeKbytes,
  };
  rememberBestNodeContext(kt, ctx);
  return kt;
}

/** Present pages of a node's memory; tiersim reserves none, so they are all managed. */
function managed(n: NodeSpec): number {
  return n.memory === null ? 0 : Math.floor(n.memory.capacityBytes / 4096);
}

function checkedKnobs(knobs: Partial<TopologyKnobs> | undefined): TopologyKnobs {
  const k: TopologyKnobs = { ...DEFAULT_TOPOLOGY_KNOBS, ...knobs };
  if (k.minFreeKbytes !== null && !(Number.isSafeInteger(k.minFreeKbytes) && k.minFreeKbytes >= 0)) {
    throw new UsageError({ what: "knobs.minFreeKbytes", value: k.minFreeKbytes, rule: "vm.min_free_kbytes is an integer >= 0 (proc_dointvec_minmax, min 0)", fix: "write e.g. 67584, or null for the kernel default" });
  }
  if (!(Number.isInteger(k.watermarkScaleFactor) && k.watermarkScaleFactor >= 1 && k.watermarkScaleFactor <= 3000)) {
    throw new UsageError({ what: "knobs.watermarkScaleFactor", value: k.watermarkScaleFactor, rule: "vm.watermark_scale_factor is an integer in 1..3000 (units of 0.01% of memory)", fix: "write e.g. 10 (the default) or 200" });
  }
  return k;
}

function checkedNodes(spec: TopologySpec): NodeSpec[] {
  const nodes = [...spec.nodes].sort((a, b) => a.id - b.id);
  if (nodes.length === 0) {
    throw new UsageError({ what: "topology.nodes", value: [], rule: "a machine has at least one node", fix: "add a socket, e.g. topology().socket(0, {...})" });
  }
  const cpus = new Map<number, number>();
  nodes.forEach((n, i) => {
    if (i > 0 && nodes[i - 1]!.id === n.id) {
      throw new UsageError({ what: "topology.nodes", value: n.id, rule: "node ids must be unique", fix: `renumber one of the nodes with id ${n.id}` });
    }
    for (const cpu of n.cpus) {
      const other = cpus.get(cpu);
      if (other !== undefined) {
        throw new UsageError({ what: `topology.nodes (node ${n.id}).cpus`, value: cpu, rule: `CPU ${cpu} is already on node ${other}; a CPU belongs to one node`, fix: "list each CPU id once" });
      }
      cpus.set(cpu, n.id);
    }
  });
  return nodes;
}
