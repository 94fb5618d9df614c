/**
 * How a stored policy looks from user space: what get_mempolicy() returns for it
 * (kernel-model.md §2.4) and the text /proc/PID/numa_maps and tmpfs mount options print
 * (mpol_to_str).
 */
import { formatNodelist } from "./nodemask.js";
import { MPOL_MODE_FLAGS, MPOL_MODES, type ModeFlagName, type ModeName, type Nodemask, type Policy } from "./types.js";

/** What get_mempolicy(&mode, nmask, ...) reports for a policy (no MPOL_F_NODE). */
export interface MempolicyReport {
  readonly mode: ModeName;
  /** The int written to *mode: the mode with its user-visible flags OR-ed in. */
  readonly modeValue: number;
  readonly flags: readonly ModeFlagName[];
  /** The mask written to *nmask. */
  readonly nodes: Nodemask;
}

/**
 * get_mempolicy's view of a policy (§2.4): MPOL_DEFAULT and an empty mask for no policy; the
 * user's mask for STATIC/RELATIVE policies, otherwise the effective nodes (empty for LOCAL);
 * internal flags (MOF, MORON) are not shown, MPOL_F_NUMA_BALANCING is.
 *
 * @example
 * mempolicyReport(null);                  // { mode: "MPOL_DEFAULT", modeValue: 0, flags: [], nodes: [] }
 * mempolicyReport(bindWithBalancing).modeValue; // 0x2002
 */
export function mempolicyReport(policy: Policy | null): MempolicyReport {
  if (policy === null) return { mode: "MPOL_DEFAULT", modeValue: 0, flags: [], nodes: [] };
  const flagBits = policy.flags.reduce((v, f) => v | MPOL_MODE_FLAGS[f], 0);
  const keepsUserMask = policy.flags.includes("MPOL_F_STATIC_NODES") || policy.flags.includes("MPOL_F_RELATIVE_NODES");
  return {
    mode: policy.mode,
    modeValue: MPOL_MODES[policy.mode] | flagBits,
    flags: [...policy.flags],
    nodes: keepsUserMask ? (policy.userNodemask ?? []) : policy.mode === "MPOL_LOCAL" ? [] : policy.nodes,
  };
}

const MODE_TEXT: Record<ModeName, string> = {
  MPOL_DEFAULT: "default",
  MPOL_PREFERRED: "prefer",
  MPOL_BIND: "bind",
  MPOL_INTERLEAVE: "interleave",
  MPOL_WEIGHTED_INTERLEAVE: "weighted interleave",
  MPOL_LOCAL: "local",
  MPOL_PREFERRED_MANY: "prefer (many)",
};

/**
 * mpol_to_str: the policy as numa_maps prints it, "<mode>[=<flags>][:<nodes>]". No policy (and
 * the system default preferred-local policy) prints "default"; flags are "static" or
 * "relative", then "balancing" joined with "|"; nodes are the effective nodes.
 *
 * @example
 * mpolToStr(null);                  // "default"
 * mpolToStr(weightedOn0and2);       // "weighted interleave:0,2"
 * mpolToStr(bindBalancing01);       // "bind=balancing:0-1"
 */
export function mpolToStr(policy: Policy | null): string {
  if (policy === null) return "default";
  let out = MODE_TEXT[policy.mode];
  const flags: string[] = [];
  if (policy.flags.includes("MPOL_F_STATIC_NODES")) flags.push("static");
  else if (policy.flags.includes("MPOL_F_RELATIVE_NODES")) flags.push("relative");
  if (policy.flags.includes("MPOL_F_NUMA_BALANCING")) flags.push("balancing");
  if (flags.length > 0) out += `=${flags.join("|")}`;
  const nodes = policy.mode === "MPOL_LOCAL" ? [] : policy.nodes;
  if (nodes.length > 0) out += `:${formatNodelist(nodes)}`;
  return out;
}
