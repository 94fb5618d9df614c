/**
 * Private Memory Nodes (Gregory Price, RFC v4, Feb 2026, unmerged; seed 002; kernel-model.md
 * §6.1): the NP_OPS_* capabilities an owning driver opts its N_MEMORY_PRIVATE node into, the
 * dependency rules between them, and lookups on a derived topology.
 *
 * The rules are one table (PRIVATE_OP_RULES) so that a later RFC revision changes data, not
 * code. What each rule rests on:
 * - MEMPOLICY requires MIGRATION: verified in RFC v4 patch 13/27 (node_private_set_ops returns
 *   -EINVAL for MEMPOLICY without MIGRATION, "since mbind can drive migrations").
 * - COMPACTION requires MIGRATION: verified in RFC v4 patch 19/27 (node_private_set_ops returns
 *   -EINVAL for COMPACTION without MIGRATION).
 * - NUMA_BALANCING requires MIGRATION, MEMPOLICY excludes PROTECT_WRITE: from a third-party
 *   summary of the series (kernel-model.md §6.1, §8 item 9), not checked against the patches.
 *   NUMA balancing acts by migrating pages, so a node that refuses migration cannot offer it;
 *   a mempolicy target that refuses write upgrades would fault on every user store.
 * - OOM_ELIGIBLE requires RECLAIM and DEMOTION: RFC v4 patch 17/27 defines NP_OPS_OOM_ELIGIBLE
 *   as the mask NP_OPS_RECLAIM | NP_OPS_DEMOTION and node_oom_eligible() wants both bits
 *   (verified; the same mask is in the context of patches 19 and 20). The cover letter's prose
 *   says MIGRATION|DEMOTION (§8 item 9). tiersim keeps OOM_ELIGIBLE a flag of its own that the
 *   driver lists, accepted only with both bits the code names.
 *
 * What each capability does in tiersim (all §6.1; the effect lives where the comment says):
 * - MIGRATION: move_pages / migrate_pages may target the node (policy/privateNodes.ts).
 * - MEMPOLICY: mbind may name the node; its faults carry __GFP_PRIVATE (kernel/alloc.ts).
 * - DEMOTION: the node is a demotion target (topology/demotion.ts; CRAM takes the batch).
 * - PROTECT_WRITE: folios are mapped read-only; writes fault to the owner (kernel/private/cram.ts).
 * - RECLAIM: direct reclaim and the owner's `k.reclaim.reclaimNode` scan the node's LRUs;
 *   without it reclaim never scans them (kernel/reclaim/reclaim.ts). No kswapd either way.
 * - OOM_ELIGIBLE: the node's pages count in OOM badness (kernel/private/oom.ts).
 * - NUMA_BALANCING: the node's pages are scanned for hinting faults (kernel/numab/mark.ts).
 * - COMPACTION: validated only. tiersim models no compaction anywhere (a THP allocation takes
 *   a free 2 MiB unit from the free count or falls back to base pages; nothing is ever
 *   fragmented or compacted), so the flag changes nothing else.
 * - LONGTERM_PIN: FOLL_LONGTERM pins stay on the node; without it the folios are migrated to
 *   normal memory first, or the pin fails with ENOMEM (kernel/private/longterm.ts).
 */
import { checkCompression } from "./compression.js";
import type { KernelTopology, PrivateMemorySpec, PrivateNodeOp } from "./types.js";

/**
 * The NP_OPS_* capabilities in their canonical order (the order of RFC v4 patches 12-20).
 * @example NP_OPS[0] // "MIGRATION"
 */
export const NP_OPS: readonly PrivateNodeOp[] = [
  "MIGRATION",
  "MEMPOLICY",
  "DEMOTION",
  "PROTECT_WRITE",
  "RECLAIM",
  "OOM_ELIGIBLE",
  "NUMA_BALANCING",
  "COMPACTION",
  "LONGTERM_PIN",
];

/** One dependency rule between capabilities. */
export interface PrivateOpRule {
  /** The capability the rule is about. */
  readonly op: PrivateNodeOp;
  /** "requires": every `other` must be present too; "excludes": none of `other` may be. */
  readonly kind: "requires" | "excludes";
  readonly other: readonly PrivateNodeOp[];
  /** Why, in a sentence (it goes into the error message). */
  readonly why: string;
  /** Where the rule comes from and whether it was verified. */
  readonly source: string;
}

/**
 * The capability dependency rules tiersim enforces (see the file comment for their sources).
 * @example PRIVATE_OP_RULES.find((r) => r.op === "MEMPOLICY" && r.kind === "requires")?.other // ["MIGRATION"]
 */
export const PRIVATE_OP_RULES: readonly PrivateOpRule[] = [
  { op: "MEMPOLICY", kind: "requires", other: ["MIGRATION"], why: "mbind(MPOL_MF_MOVE) drives migrations onto the node", source: "RFC v4 patch 13/27 node_private_set_ops (verified)" },
  { op: "NUMA_BALANCING", kind: "requires", other: ["MIGRATION"], why: "NUMA balancing acts by migrating pages", source: "third-party summary (kernel-model.md §6.1, unverified)" },
  { op: "COMPACTION", kind: "requires", other: ["MIGRATION"], why: "compaction migrates pages to assemble free blocks", source: "RFC v4 patch 19/27 node_private_set_ops (verified); tiersim models no compaction, so the flag has no other effect" },
  { op: "MEMPOLICY", kind: "excludes", other: ["PROTECT_WRITE"], why: "user memory placed by a mempolicy must be writable, and PROTECT_WRITE forbids PTE write upgrades", source: "third-party summary (kernel-model.md §6.1, unverified)" },
  { op: "OOM_ELIGIBLE", kind: "requires", other: ["RECLAIM", "DEMOTION"], why: "the RFC code defines NP_OPS_OOM_ELIGIBLE as NP_OPS_RECLAIM | NP_OPS_DEMOTION: killing a task relieves pressure only if reclaim runs on the node and pages can be demoted there", source: "RFC v4 patch 17/27 node_oom_eligible (verified; the cover letter says MIGRATION|DEMOTION, kernel-model.md §8 item 9)" },
];

/** One problem found in a private-node description: the path below it, the value, rule and fix. */
export interface PrivateProblem {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly rule: string;
  readonly fix: string;
  /** `rule. Fix: fix.` as whole-spec validation reports it. */
  readonly message: string;
}

function problem(code: string, path: readonly (string | number)[], value: unknown, rule: string, fix: string): PrivateProblem {
  return { code, path, value, rule, fix, message: `${rule}. Fix: ${fix}.` };
}

/** The result of checking a `private` object. */
export interface PrivateCheck {
  /** The normalised spec (ops canonical, no NP_OPS_ prefix), or null if a problem was found. */
  readonly spec: PrivateMemorySpec | null;
  readonly problems: readonly PrivateProblem[];
}

const PREFIX = "NP_OPS_";

/**
 * Checks a private-node description: a non-empty owner, known NP_OPS_* names (with or without
 * the prefix, each once), every PRIVATE_OP_RULES rule and the optional compressed-RAM settings
 * (compression.ts). Paths are relative to the object.
 *
 * @example
 * checkPrivate({ owner: "cram", ops: ["NP_OPS_DEMOTION"] }).spec // { owner: "cram", ops: ["DEMOTION"] }
 * checkPrivate({ owner: "x", ops: ["MEMPOLICY"] }).problems[0].code // "private_op_requires"
 * checkPrivate({ owner: "cram", ops: ["DEMOTION", "PROTECT_WRITE"], compression: { ratio: 3 } }).spec?.compression
 * // { ratio: 3, boostAt: 0.9 }
 */
export function checkPrivate(value: unknown): PrivateCheck {
  const problems: PrivateProblem[] = [];
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(problem("invalid_type", [], value, `got ${JSON.stringify(value)}; a private node is { owner, ops }`, 'write e.g. { owner: "cram", ops: ["MIGRATION", "DEMOTION"] }'));
    return { spec: null, problems };
  }
  const v = value as Record<string, unknown>;
  if (typeof v.owner !== "string" || v.owner.trim() === "") {
    problems.push(problem("private_owner", ["owner"], v.owner, `owner ${JSON.stringify(v.owner)} is not a driver name; each private node has exactly one owning driver (add_private_memory_driver_managed)`, 'write e.g. owner: "cram"'));
  }
  const ops: PrivateNodeOp[] = [];
  if (!Array.isArray(v.ops)) {
    problems.push(problem("invalid_type", ["ops"], v.ops, `ops ${JSON.stringify(v.ops)} is not a list of NP_OPS_* names`, 'write e.g. ops: ["MIGRATION", "MEMPOLICY"], or [] for none'));
  } else {
    const seen = new Map<PrivateNodeOp, number>();
    v.ops.forEach((raw, i) => {
      const name = typeof raw === "string" && raw.startsWith(PREFIX) ? raw.slice(PREFIX.length) : raw;
      if (typeof name !== "string" || !NP_OPS.includes(name as PrivateNodeOp)) {
        problems.push(problem("unknown_private_op", ["ops", i], raw, `${JSON.stringify(raw)} is not an NP_OPS_* capability of RFC v4 (known: ${NP_OPS.join(", ")})`, "use one of them, with or without the NP_OPS_ prefix"));
        return;
      }
      const op = name as PrivateNodeOp;
      if (seen.has(op)) {
        problems.push(problem("duplicate_private_op", ["ops", i], raw, `${op} is already listed at ops[${seen.get(op)}]; each capability is one flag bit`, "list it once"));
        return;
      }
      seen.set(op, i);
      ops.push(op);
    });
    for (const rule of PRIVATE_OP_RULES) {
      const at = seen.get(rule.op);
      if (at === undefined) continue;
      const bad = rule.kind === "requires" ? rule.other.filter((o) => !seen.has(o)) : rule.other.filter((o) => seen.has(o));
      if (bad.length === 0) continue;
      const fix =
        rule.kind === "requires"
          ? `add ${bad.join(" and ")} or remove ${rule.op}`
          : `remove ${bad.join(" and ")} or ${rule.op}`;
      const code = rule.kind === "requires" ? "private_op_requires" : "private_op_excludes";
      problems.push(problem(code, ["ops", at], (v.ops as unknown[])[at], `${rule.op} ${rule.kind} ${rule.other.join(" and ")} (${rule.why}; ${rule.source})`, fix));
    }
  }
  for (const key of Object.keys(v)) {
    if (key !== "owner" && key !== "ops" && key !== "compression") {
      problems.push(problem("unrecognized_keys", [key], v[key], `"${key}" is not a key of a private node (owner, ops, compression)`, "remove it or correct its spelling"));
    }
  }
  // compression.ts: the CRAM settings, each problem below "compression".
  let compression = null;
  if (v.compression !== undefined && v.compression !== null) {
    const c = checkCompression(v.compression, ops);
    for (const p of c.problems) problems.push(problem(p.code, ["compression", ...p.path], p.value, p.rule, p.fix));
    compression = c.spec;
  }
  if (problems.length > 0) return { spec: null, problems };
  const canonical = NP_OPS.filter((op) => ops.includes(op));
  const spec: PrivateMemorySpec = { owner: v.owner as string, ops: canonical };
  return { spec: compression ? { ...spec, compression } : spec, problems };
}

/**
 * The private registration of a node, or null for an N_MEMORY, memoryless or offline node.
 * @example privateSpecOf(kt, 2)?.owner // "cram"
 */
export function privateSpecOf(kt: KernelTopology, node: number): PrivateMemorySpec | null {
  if (!kt.privateNodes.includes(node)) return null;
  return kt.spec.nodes.find((n) => n.id === node)?.memory?.private ?? null;
}

/**
 * Whether a node is private and its driver opted into `op` (NP_OPS_*).
 * @example hasPrivateOp(kt, 2, "MEMPOLICY") // true
 */
export function hasPrivateOp(kt: KernelTopology, node: number, op: PrivateNodeOp): boolean {
  return privateSpecOf(kt, node)?.ops.includes(op) ?? false;
}

/**
 * Whether the buddy allocator manages memory on the node: N_MEMORY or N_MEMORY_PRIVATE.
 * Migration and meminfo use this; who may *target* a private node is decided by its NP_OPS.
 * @example hasBuddyMemory(kt, 2) // true for an online private node
 */
export function hasBuddyMemory(kt: KernelTopology, node: number): boolean {
  return kt.memoryNodes.includes(node) || kt.privateNodes.includes(node);
}

/**
 * The nodes a task-facing policy may name with mbind (§2.1 allowedWithMemory, extended by RFC v4
 * patch 13): N_MEMORY plus private nodes with MEMPOLICY, ascending.
 * @example mempolicyNodes(kt) // [0, 1, 2] when node 2 is private with MEMPOLICY
 */
export function mempolicyNodes(kt: KernelTopology): number[] {
  return [...kt.memoryNodes, ...kt.privateNodes.filter((n) => hasPrivateOp(kt, n, "MEMPOLICY"))].sort((a, b) => a - b);
}
