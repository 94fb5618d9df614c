/**
 * mpol_misplaced (kernel-model.md §4.6): where the governing policy wants a folio that took a
 * hinting fault, including the MOF/MORON rules and the two PREFERRED_MANY rules of seed 001.
 */
import type { Policy } from "../../policy/types.js";
import type { PreferredManyRule } from "../behaviours.js";
import { interleaveTable } from "../placement.js";

/** What mpol_misplaced needs besides the policy. */
export interface MisplacedInput {
  /** The folio's node. */
  readonly cur: number;
  /** The faulting CPU's node. */
  readonly cpuNode: number;
  /** The interleave index of the page (ilxOf). */
  readonly ilx: number;
  /** The fallback zonelist of the CPU's node (§3.2). */
  readonly zonelist: readonly number[];
  readonly preferredManyRule: PreferredManyRule;
  /** Weighted-interleave weight of a node for this policy. */
  readonly weightOf: (node: number) => number;
  /** should_numa_migrate_memory (§4.7), consulted only on the MORON path. */
  readonly shouldMigrate: () => boolean;
}

/**
 * The target node for a misplaced folio, or -1 (NUMA_NO_NODE) to leave it. `pol` null is the
 * per-node default policy: PREFERRED{cpu node} with MOF|MORON.
 *
 * @example
 * mpolMisplaced(null, { cur: 2, cpuNode: 0, ilx: 0, zonelist: [0, 2], preferredManyRule: "merged", weightOf: () => 1, shouldMigrate: () => true }) // 0
 */
export function mpolMisplaced(pol: Policy | null, i: MisplacedInput): number {
  const mode = pol ? pol.mode : "MPOL_PREFERRED";
  const nodes = pol ? pol.nodes : [i.cpuNode];
  const moron = pol ? pol.moron : true;
  if (pol && !pol.mof) return -1;
  let polnid: number;
  switch (mode) {
    case "MPOL_INTERLEAVE":
    case "MPOL_WEIGHTED_INTERLEAVE": {
      const table = interleaveTable(pol!, i.weightOf);
      polnid = table[i.ilx % table.length]!;
      break;
    }
    case "MPOL_PREFERRED":
      if (nodes.includes(i.cur)) return -1;
      polnid = nodes[0]!;
      break;
    case "MPOL_LOCAL":
      polnid = i.cpuNode;
      break;
    case "MPOL_BIND":
    case "MPOL_PREFERRED_MANY": {
      if (moron) {
        if (!nodes.includes(i.cpuNode)) {
          // Seed 001: the first posting also migrated when both the CPU's node and the folio's
          // node are outside the PREFERRED_MANY mask; the merged rule never does (§4.6 table).
          const firstPosted = mode === "MPOL_PREFERRED_MANY" && i.preferredManyRule === "first-posted";
          if (!firstPosted || nodes.includes(i.cur)) return -1;
        }
        polnid = i.cpuNode;
        break;
      }
      if (nodes.includes(i.cur)) return -1;
      polnid = i.zonelist.find((n) => nodes.includes(n)) ?? -1;
      if (polnid < 0) return -1;
      break;
    }
    default:
      return -1;
  }
  if (moron) {
    polnid = i.cpuNode;
    if (!i.shouldMigrate()) return -1;
  }
  return i.cur !== polnid ? polnid : -1;
}
