/**
 * Building a policy from validated syscall arguments: mpol_new plus mpol_set_nodemask
 * (kernel-model.md §2.1). The result is what set_mempolicy/mbind store, or null for
 * MPOL_DEFAULT ("no policy" at that scope, §1.2).
 */
import { SyscallError } from "../core/errors.js";
import { decodeMode, type DecodeModeOptions, type ModeFlagInput, type ModeInput } from "./modes.js";
import { copyNodemaskFromUser, formatNodelist, nodesAnd, relativeNodemask, toNodemask, type NodemaskInput } from "./nodemask.js";
import type { ModeFlagName, ModeName, Nodemask, Policy } from "./types.js";

/** Arguments of {@link mpolNew}: a decoded mode and the copied-in user mask, plus the task's context. */
export interface MpolNewArgs {
  /** The syscall named in errors; default "set_mempolicy". */
  readonly syscall?: string;
  readonly mode: ModeName;
  readonly flags: readonly ModeFlagName[];
  /** The user node mask after copy-in. */
  readonly nodes: Nodemask;
  /** The calling task's cpuset mems_allowed. */
  readonly memsAllowed: Nodemask;
  /** N_MEMORY: nodes with online memory. */
  readonly memoryNodes: Nodemask;
}

const SRC_NEW = "mm/mempolicy.c mpol_new, kernel-model.md §2.1";
const SRC_SET = "mm/mempolicy.c mpol_set_nodemask, kernel-model.md §2.1";

/**
 * mpol_new + mpol_set_nodemask (§2.1): validate the mask against the mode, compute the
 * effective nodes from the cpuset and N_MEMORY, and build the stored policy. Returns null for
 * MPOL_DEFAULT. Throws SyscallError EINVAL exactly where the kernel does. Expects a mode and
 * flags that already passed sanitize_mpol_flags ({@link decodeMode}); {@link mpolFromSyscall}
 * runs the whole sequence.
 *
 * @example
 * mpolNew({ mode: "MPOL_BIND", flags: [], nodes: [1, 2], memsAllowed: [0, 1], memoryNodes: [0, 1, 2] }).nodes; // [1]
 * mpolNew({ mode: "MPOL_PREFERRED", flags: [], nodes: [], memsAllowed: [0], memoryNodes: [0] })?.mode;         // "MPOL_LOCAL"
 * mpolNew({ mode: "MPOL_DEFAULT", flags: [], nodes: [], memsAllowed: [0], memoryNodes: [0] });                 // null
 */
export function mpolNew(args: MpolNewArgs): Policy | null {
  const syscall = args.syscall ?? "set_mempolicy";
  const { flags } = args;
  // Callers may hand over unsorted arrays; every rule below reads masks in ascending order.
  const nodes = toNodemask(args.nodes);
  const memsAllowed = toNodemask(args.memsAllowed);
  const memoryNodes = toNodemask(args.memoryNodes);
  const isStatic = flags.includes("MPOL_F_STATIC_NODES");
  const isRelative = flags.includes("MPOL_F_RELATIVE_NODES");
  const balancing = flags.includes("MPOL_F_NUMA_BALANCING");
  let mode = args.mode;
  const fail = (why: string, src = SRC_NEW): SyscallError => new SyscallError(syscall, "EINVAL", `${why} (${src})`);

  if (mode === "MPOL_DEFAULT") {
    if (nodes.length > 0) {
      throw fail(`MPOL_DEFAULT takes no nodes, got ${formatNodelist(nodes)}; pass an empty mask to remove the policy`);
    }
    return null;
  }
  if (mode === "MPOL_PREFERRED" && nodes.length === 0) {
    if (isStatic || isRelative) {
      throw fail(`MPOL_PREFERRED with an empty mask means local allocation, which cannot be ${isStatic ? "MPOL_F_STATIC_NODES" : "MPOL_F_RELATIVE_NODES"}`);
    }
    mode = "MPOL_LOCAL";
  } else if (mode === "MPOL_LOCAL") {
    if (nodes.length > 0) throw fail(`MPOL_LOCAL takes no nodes, got ${formatNodelist(nodes)}`);
    if (isStatic || isRelative) {
      throw fail(`MPOL_LOCAL cannot be ${isStatic ? "MPOL_F_STATIC_NODES" : "MPOL_F_RELATIVE_NODES"}`);
    }
  } else if (nodes.length === 0) {
    throw fail(`${mode} needs a non-empty node mask`);
  }

  const base = { flags: [...flags], mof: balancing, moron: balancing, homeNode: null };
  if (mode === "MPOL_LOCAL") {
    return { ...base, mode, nodes: [], userNodemask: null, cpusetMems: null };
  }

  // mpol_set_nodemask: only nodes the cpuset allows and that have memory can be used.
  const allowedWithMemory = nodesAnd(memsAllowed, memoryNodes);
  const effective = isRelative ? relativeNodemask(nodes, allowedWithMemory) : nodesAnd(nodes, allowedWithMemory);
  if (effective.length === 0) {
    throw fail(
      `none of the nodes ${formatNodelist(nodes)}${isRelative ? " (relative ordinals)" : ""} is online, allowed by the cpuset ` +
        `(mems_allowed ${formatNodelist(memsAllowed) || "empty"}) and has memory (N_MEMORY ${formatNodelist(memoryNodes) || "empty"})`,
      SRC_SET,
    );
  }
  const keepsUserMask = isStatic || isRelative;
  return {
    ...base,
    mode,
    // mpol_new_preferred keeps the lowest node only.
    nodes: mode === "MPOL_PREFERRED" ? [effective[0]!] : effective,
    userNodemask: keepsUserMask ? nodes : null,
    cpusetMems: keepsUserMask ? null : memsAllowed,
  };
}

/** Arguments of {@link mpolFromSyscall}: the raw set_mempolicy/mbind arguments and the task's context. */
export interface MpolFromSyscallArgs extends DecodeModeOptions {
  readonly mode: ModeInput;
  /** Extra flags OR-ed into the mode (names or bits). */
  readonly flags?: readonly ModeFlagInput[];
  /** The nmask argument; null is the NULL pointer. */
  readonly nodes: NodemaskInput | null;
  /** The maxnode argument; omitted = the whole mask is read. */
  readonly maxnode?: number;
  readonly memsAllowed: Nodemask;
  readonly memoryNodes: Nodemask;
}

/**
 * The common argument processing of set_mempolicy and mbind in the kernel's order (§2.1):
 * sanitize_mpol_flags, get_nodes, then mpol_new/mpol_set_nodemask.
 *
 * @example
 * mpolFromSyscall({ syscall: "mbind", mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: [0, 2], memsAllowed: [0, 1, 2, 3], memoryNodes: [0, 1, 2, 3] });
 * mpolFromSyscall({ mode: "MPOL_BIND", nodes: [], memsAllowed: [0], memoryNodes: [0] }); // throws EINVAL
 */
export function mpolFromSyscall(args: MpolFromSyscallArgs): Policy | null {
  const syscall = args.syscall ?? "set_mempolicy";
  const decoded = decodeMode(args.mode, args.flags ?? [], { ...args, syscall });
  const nodes = copyNodemaskFromUser(syscall, args.nodes, args.maxnode);
  return mpolNew({ syscall, mode: decoded.mode, flags: decoded.flags, nodes, memsAllowed: args.memsAllowed, memoryNodes: args.memoryNodes });
}
