/**
 * The kernel side of policy arguments: mode and flag words, nodemask copy-in with maxnode
 * semantics, policy construction and cpuset binding (kernel-model.md §2.1), rebinding (§2.6)
 * and the policy string of numa_maps (mpol_to_str).
 */
import { SyscallError } from "../core/errors.js";
import { MPOL_MAX, MPOL_MODES, MPOL_MODE_FLAGS } from "../policy/types.js";
import type { ModeFlagName, ModeName, Nodemask, Policy } from "../policy/types.js";
import { mpolNew } from "../policy/create.js";
import { mpolRebind } from "../policy/rebind.js";
import { atLeast } from "./version.js";

/** MAX_NUMNODES of the modelled kernel build (CONFIG_NODES_SHIFT=10). */
export const MAX_NUMNODES = 1024;
/** maxnode - 1 may not exceed PAGE_SIZE * 8 bits (§2.1). */
const MAX_MASK_BITS = 4096 * 8;

/** A mode argument: ABI number (flags OR-ed in), a name, "MPOL_BIND|MPOL_F_STATIC_NODES", or [name, ...flags]. */
export type ModeArg = number | string | readonly string[];
/** A nodemask argument: node ids, a bitmask (bit n = node n), or null (NULL pointer). */
export type NodesArg = readonly number[] | number | bigint | null | undefined;

const MODE_NAMES = Object.keys(MPOL_MODES) as ModeName[];
const ALL_MODE_FLAGS = MPOL_MODE_FLAGS.MPOL_F_STATIC_NODES | MPOL_MODE_FLAGS.MPOL_F_RELATIVE_NODES | MPOL_MODE_FLAGS.MPOL_F_NUMA_BALANCING;

/**
 * Turns a symbolic or numeric flag word into its integer value, using `table` for names.
 *
 * @example
 * flagWord("mbind", ["MPOL_MF_MOVE"], MBIND_FLAGS) // 2
 */
export function flagWord(syscall: string, arg: number | string | readonly string[] | undefined, table: Record<string, number>): number {
  if (arg === undefined) return 0;
  if (typeof arg === "number") return arg;
  const names = typeof arg === "string" ? arg.split("|").map((s) => s.trim()).filter(Boolean) : arg;
  let w = 0;
  for (const name of names) {
    const v = table[name];
    if (v === undefined) throw new SyscallError(syscall, "EINVAL", `unknown flag ${JSON.stringify(name)}; known: ${Object.keys(table).join(", ")}`);
    w |= v;
  }
  return w;
}

/**
 * Encodes a mode argument as the int a C program passes: mode | mode flags.
 *
 * @example
 * modeWord("set_mempolicy", "MPOL_BIND|MPOL_F_STATIC_NODES") // 2 | 0x8000
 */
export function modeWord(syscall: string, arg: ModeArg): number {
  if (typeof arg === "number") return arg;
  const parts = typeof arg === "string" ? arg.split("|").map((s) => s.trim()) : [...arg];
  let w = 0;
  for (const p of parts) {
    if (p in MPOL_MODES) w |= MPOL_MODES[p as ModeName];
    else if (p in MPOL_MODE_FLAGS) w |= MPOL_MODE_FLAGS[p as ModeFlagName];
    else throw new SyscallError(syscall, "EINVAL", `unknown mode or mode flag ${JSON.stringify(p)}; modes are ${MODE_NAMES.join(", ")}`);
  }
  return w;
}

/** The decoded mode word (§2.1 first steps). */
export interface ModeAndFlags {
  readonly mode: number;
  readonly flags: number;
}

/**
 * Splits and validates the mode word (§2.1 steps 1-3): mode >= MPOL_MAX, STATIC with RELATIVE,
 * NUMA_BALANCING outside BIND / PREFERRED_MANY (PREFERRED_MANY since v6.10) are EINVAL.
 *
 * @example
 * sanitizeMode("set_mempolicy", 2 | 0x2000, "v6.16") // { mode: 2, flags: 0x2000 }
 */
export function sanitizeMode(syscall: string, word: number, version: string): ModeAndFlags {
  const flags = word & ALL_MODE_FLAGS;
  const mode = word & ~ALL_MODE_FLAGS;
  const max = atLeast(version, "v6.9") ? MPOL_MAX : atLeast(version, "v5.15") ? 6 : 5;
  if (mode < 0 || mode >= max) {
    throw new SyscallError(syscall, "EINVAL", `mode ${mode} is not below MPOL_MAX (${max}) on ${version} (kernel-model.md §2.1)`);
  }
  if (flags & MPOL_MODE_FLAGS.MPOL_F_STATIC_NODES && flags & MPOL_MODE_FLAGS.MPOL_F_RELATIVE_NODES) {
    throw new SyscallError(syscall, "EINVAL", "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are mutually exclusive (§2.1)");
  }
  if (flags & MPOL_MODE_FLAGS.MPOL_F_NUMA_BALANCING) {
    const ok = mode === MPOL_MODES.MPOL_BIND || (mode === MPOL_MODES.MPOL_PREFERRED_MANY && atLeast(version, "v6.10"));
    if (!ok) {
      throw new SyscallError(syscall, "EINVAL", `MPOL_F_NUMA_BALANCING is only accepted with MPOL_BIND${atLeast(version, "v6.10") ? " or MPOL_PREFERRED_MANY" : ` (PREFERRED_MANY from v6.10; this is ${version})`}, not with ${MODE_NAMES[mode]} (§2.1)`);
    }
  }
  return { mode, flags };
}

/**
 * Copies a nodemask in (get_nodes, §2.1): only the first maxnode-1 bits count; maxnode-1 above
 * PAGE_SIZE*8 or a set bit at or above MAX_NUMNODES is EINVAL.
 *
 * @example
 * copyNodemask("mbind", [0, 2], undefined) // [0, 2]
 * copyNodemask("mbind", 0b101n, 2)         // [0]: maxnode 2 reads one bit
 */
export function copyNodemask(syscall: string, nodes: NodesArg, maxnode: number | undefined): number[] {
  if (nodes === null || nodes === undefined) return [];
  let ids: number[];
  if (typeof nodes === "number" || typeof nodes === "bigint") {
    let b = BigInt(nodes);
    if (b < 0n) throw new SyscallError(syscall, "EFAULT", "a negative bitmask cannot be copied in");
    ids = [];
    for (let i = 0; b > 0n; i++, b >>= 1n) if (b & 1n) ids.push(i);
  } else {
    ids = [...new Set(nodes)].sort((a, b) => a - b);
    if (ids.some((n) => !Number.isInteger(n) || n < 0)) {
      throw new SyscallError(syscall, "EINVAL", `node ids must be non-negative integers, got ${JSON.stringify(nodes)}`);
    }
  }
  const bits = maxnode === undefined ? Math.max(0, ...ids) + 1 : maxnode - 1;
  if (bits <= 0) return [];
  if (bits > MAX_MASK_BITS) {
    throw new SyscallError(syscall, "EINVAL", `maxnode - 1 = ${bits} exceeds PAGE_SIZE*8 = ${MAX_MASK_BITS} bits (§2.1)`);
  }
  ids = ids.filter((n) => n < bits);
  const big = ids.find((n) => n >= MAX_NUMNODES);
  if (big !== undefined) {
    throw new SyscallError(syscall, "EINVAL", `node ${big} is at or above MAX_NUMNODES (${MAX_NUMNODES}) (§2.1)`);
  }
  return ids;
}

const flagNames = (flags: number): ModeFlagName[] =>
  (Object.keys(MPOL_MODE_FLAGS) as ModeFlagName[]).filter((f) => flags & MPOL_MODE_FLAGS[f]);

/**
 * Builds the policy a syscall installs (mpol_new + mpol_set_nodemask, §2.1 table), or null for
 * MPOL_DEFAULT, through the policy layer's mpolNew. `mems` is the task's cpuset mems_allowed,
 * `memoryNodes` is N_MEMORY.
 *
 * @example
 * createPolicy("set_mempolicy", { mode: 2, flags: 0 }, [0, 1], [0, 1, 2, 3], [0, 1, 2, 3]) // BIND{0,1}
 */
export function createPolicy(syscall: string, mf: ModeAndFlags, user: number[], mems: Nodemask, memoryNodes: Nodemask): Policy | null {
  return mpolNew({ syscall, mode: MODE_NAMES[mf.mode]!, flags: flagNames(mf.flags), nodes: user, memsAllowed: mems, memoryNodes });
}

/**
 * Rebinds a policy to new cpuset mems (mpol_rebind_policy, §2.6 table) through the policy
 * layer's mpolRebind: positional remap without flags, user ∩ mems with STATIC, fold/onto with
 * RELATIVE; an empty result takes all new mems; PREFERRED and PREFERRED_MANY keep their nodes.
 *
 * @example
 * rebindPolicy(bind13With0to3, [4, 5, 6, 7]).nodes // [5, 7]
 */
export function rebindPolicy(pol: Policy, newMems: Nodemask): Policy {
  return mpolRebind(pol, newMems);
}

/**
 * A nodelist in the kernel's %pbl format.
 *
 * @example
 * nodelist([0, 1, 2, 5]) // "0-2,5"
 */
export function nodelist(nodes: Nodemask): string {
  const parts: string[] = [];
  for (let i = 0; i < nodes.length; ) {
    let j = i;
    while (j + 1 < nodes.length && nodes[j + 1] === nodes[j]! + 1) j++;
    parts.push(j === i ? `${nodes[i]}` : `${nodes[i]}-${nodes[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

const MODE_STRINGS: Record<ModeName, string> = {
  MPOL_DEFAULT: "default",
  MPOL_PREFERRED: "prefer",
  MPOL_BIND: "bind",
  MPOL_INTERLEAVE: "interleave",
  MPOL_WEIGHTED_INTERLEAVE: "weighted interleave",
  MPOL_LOCAL: "local",
  MPOL_PREFERRED_MANY: "prefer (many)",
};

/**
 * The policy as mpol_to_str prints it in numa_maps: "default", "bind:0-1",
 * "interleave=static:0,2", "bind=balancing:0", "weighted interleave:0,2", "local".
 *
 * @example
 * policyString(null) // "default"
 */
export function policyString(pol: Policy | null): string {
  if (!pol) return "default";
  let s = MODE_STRINGS[pol.mode];
  const st = pol.flags.includes("MPOL_F_STATIC_NODES");
  const rel = pol.flags.includes("MPOL_F_RELATIVE_NODES");
  const bal = pol.flags.includes("MPOL_F_NUMA_BALANCING");
  if (st || rel || bal) {
    s += "=";
    if (st) s += "static";
    else if (rel) s += "relative";
    if (bal) s += (st || rel ? "|" : "") + "balancing";
  }
  if (pol.mode !== "MPOL_LOCAL" && pol.nodes.length > 0) s += `:${nodelist(pol.nodes)}`;
  return s;
}
