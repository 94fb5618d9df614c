/**
 * Memory-policy ABI and the policy object (kernel-model.md §1.1, §1.2). Numbers are
 * include/uapi/linux/mempolicy.h; names are the kernel's.
 */

/** Policy modes with their ABI numbers (§1.1). */
export const MPOL_MODES = {
  MPOL_DEFAULT: 0,
  MPOL_PREFERRED: 1,
  MPOL_BIND: 2,
  MPOL_INTERLEAVE: 3,
  MPOL_LOCAL: 4,
  MPOL_PREFERRED_MANY: 5,
  MPOL_WEIGHTED_INTERLEAVE: 6,
} as const;

/** A policy mode name, e.g. `"MPOL_BIND"`. */
export type ModeName = keyof typeof MPOL_MODES;

/** MPOL_MAX: modes >= this are EINVAL (§2.1). */
export const MPOL_MAX = 7;

/** Mode flags OR-ed into the mode argument (§1.1). */
export const MPOL_MODE_FLAGS = {
  MPOL_F_STATIC_NODES: 1 << 15,
  MPOL_F_RELATIVE_NODES: 1 << 14,
  MPOL_F_NUMA_BALANCING: 1 << 13,
} as const;

/** A user-visible mode flag name. */
export type ModeFlagName = keyof typeof MPOL_MODE_FLAGS;

/** get_mempolicy flags (§1.1). */
export const GET_MEMPOLICY_FLAGS = {
  MPOL_F_NODE: 1 << 0,
  MPOL_F_ADDR: 1 << 1,
  MPOL_F_MEMS_ALLOWED: 1 << 2,
} as const;

/** A get_mempolicy flag name. */
export type GetMempolicyFlagName = keyof typeof GET_MEMPOLICY_FLAGS;

/** mbind / move_pages flags (§1.1). MPOL_MF_LAZY is defined but rejected by mbind. */
export const MBIND_FLAGS = {
  MPOL_MF_STRICT: 1 << 0,
  MPOL_MF_MOVE: 1 << 1,
  MPOL_MF_MOVE_ALL: 1 << 2,
  MPOL_MF_LAZY: 1 << 3,
} as const;

/** An mbind flag name. */
export type MbindFlagName = keyof typeof MBIND_FLAGS;

/**
 * A node mask as tiersim keeps it: node ids ascending, no duplicates. Syscall wrappers also
 * accept bitmasks (number or bigint, bit n = node n) and convert them.
 */
export type Nodemask = readonly number[];

/**
 * A stored memory policy (§1.2). MPOL_DEFAULT is never stored: "no policy" is `null` at
 * whichever scope (VMA, shared range, task).
 */
export interface Policy {
  readonly mode: Exclude<ModeName, "MPOL_DEFAULT">;
  /** User-visible flags the policy was created with. */
  readonly flags: readonly ModeFlagName[];
  /** Migrate-on-fault: the VMA is NUMA-balancing eligible (MPOL_F_MOF). */
  readonly mof: boolean;
  /** Migrate toward the accessing CPU's node on a protnone fault (MPOL_F_MORON). */
  readonly moron: boolean;
  /** Effective nodes (PREFERRED keeps exactly one; LOCAL keeps none). */
  readonly nodes: Nodemask;
  /** The mask the user passed, kept only with STATIC or RELATIVE. */
  readonly userNodemask: Nodemask | null;
  /** cpuset mems_allowed when the policy was created or last rebound (no STATIC/RELATIVE). */
  readonly cpusetMems: Nodemask | null;
  /** set_mempolicy_home_node(): allocation start node for BIND/PREFERRED_MANY, or null. */
  readonly homeNode: number | null;
}
