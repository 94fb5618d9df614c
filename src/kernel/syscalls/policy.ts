/**
 * set_mempolicy (§2.2), get_mempolicy (§2.4) and set_mempolicy_home_node (§2.5), with the
 * kernel's argument checks and errno results.
 */
import { SyscallError } from "../../core/errors.js";
import { PAGE_SIZE } from "../../core/units.js";
import { checkPrivateNodes } from "../../policy/privateNodes.js";
import { GET_MEMPOLICY_FLAGS, MPOL_MODES, MPOL_MODE_FLAGS } from "../../policy/types.js";
import type { ModeFlagName, ModeName, Policy } from "../../policy/types.js";
import { faultVma } from "../fault.js";
import { copyNodemask, createPolicy, flagWord, MAX_NUMNODES, modeWord, sanitizeMode } from "../mpol.js";
import type { ModeArg, NodesArg } from "../mpol.js";
import { peekTaskInterleaveNode } from "../placement.js";
import type { Process } from "../process.js";
import { atLeast } from "../version.js";
import type { Vma } from "../vma.js";

/**
 * set_mempolicy: validates (§2.1) and replaces the calling thread's policy; (W)INTERLEAVE
 * resets il_prev/il_weight (§2.2). Existing pages do not move.
 *
 * @example
 * sysSetMempolicy(p, "MPOL_BIND", [0], undefined);
 */
export function sysSetMempolicy(p: Process, mode: ModeArg, nodes: NodesArg, maxnode: number | undefined): void {
  const sc = "set_mempolicy";
  const mf = sanitizeMode(sc, modeWord(sc, mode), p.kernel.version);
  const user = copyNodemask(sc, nodes, maxnode);
  checkPrivateNodes(sc, user, p.kernel.topo, "task-policy");
  const pol = createPolicy(sc, mf, user, p.memsAllowed, p.kernel.topo.memoryNodes);
  p.policy = pol;
  if (pol && (pol.mode === "MPOL_INTERLEAVE" || pol.mode === "MPOL_WEIGHTED_INTERLEAVE")) {
    p.ilPrev = MAX_NUMNODES - 1;
    p.ilWeight = 0;
  }
}

/** get_mempolicy arguments besides the output pointers. */
export interface GetMempolicyOptions {
  /** The address for MPOL_F_ADDR (default 0). */
  readonly addr?: number;
  /** MPOL_F_NODE, MPOL_F_ADDR, MPOL_F_MEMS_ALLOWED by name, "A|B", or the int. */
  readonly flags?: number | string | readonly string[];
  /** maxnode of the nmask buffer; default nr_node_ids. */
  readonly maxnode?: number;
  /** False when the caller passes nmask = NULL. Default true. */
  readonly nmask?: boolean;
}

/** What get_mempolicy writes to *mode and *nmask. */
export interface GetMempolicyResult {
  /** The int written to *mode: mode | mode flags, or the node id with MPOL_F_NODE. */
  readonly mode: number;
  /** The policy mode by name (MPOL_DEFAULT when none); null when `mode` holds a node id. */
  readonly modeName: ModeName | null;
  /** The user-visible mode flags of the policy. */
  readonly modeFlags: readonly ModeFlagName[];
  /** The node mask written to *nmask. */
  readonly nodes: readonly number[];
  /** With MPOL_F_NODE: the node id. */
  readonly node?: number;
}

/**
 * The policy that governs `addr` in a VMA: the shared policy of a shmem inode, else the VMA policy.
 *
 * @example
 * vmaPolicyAt(vma, vpn) // the shmem shared policy or the VMA policy
 */
export function vmaPolicyAt(v: Vma, vpn: number): Policy | null {
  if (v.isShmem) return v.file!.sharedPolicyAt(v.filePgoff + vpn - v.start);
  return v.policy;
}

/**
 * get_mempolicy with every flag combination of §2.4.
 *
 * @example
 * sysGetMempolicy(p, { addr: a, flags: ["MPOL_F_NODE", "MPOL_F_ADDR"] }).node // 0
 */
export function sysGetMempolicy(p: Process, opts: GetMempolicyOptions): GetMempolicyResult {
  const sc = "get_mempolicy";
  const flags = flagWord(sc, opts.flags, GET_MEMPOLICY_FLAGS);
  const { MPOL_F_NODE: NODE, MPOL_F_ADDR: ADDR, MPOL_F_MEMS_ALLOWED: MEMS } = GET_MEMPOLICY_FLAGS;
  const nrNodeIds = Math.max(...p.kernel.topo.nodeIds) + 1;
  if (flags & ~(NODE | ADDR | MEMS)) throw new SyscallError(sc, "EINVAL", `unknown flag bits 0x${(flags & ~7).toString(16)} (§2.4)`);
  const wantMask = opts.nmask ?? true;
  const maxnode = opts.maxnode ?? nrNodeIds;
  if (wantMask && maxnode < nrNodeIds) {
    throw new SyscallError(sc, "EINVAL", `maxnode ${maxnode} is too small for nr_node_ids ${nrNodeIds} (§2.4)`);
  }
  // copy_nodes_to_user: a buffer more than a page beyond the kernel's nodemask is EINVAL.
  if (wantMask && Math.ceil((maxnode - 1) / 64) * 8 > Math.max(4096, Math.ceil(nrNodeIds / 64) * 8)) {
    throw new SyscallError(sc, "EINVAL", `maxnode ${maxnode} asks for a nodemask more than a page beyond the kernel's (§2.4)`);
  }
  const mask = (nodes: readonly number[]): readonly number[] => (wantMask ? nodes : []);
  if (flags & MEMS) {
    if (flags & (NODE | ADDR)) throw new SyscallError(sc, "EINVAL", "MPOL_F_MEMS_ALLOWED cannot be combined with MPOL_F_NODE or MPOL_F_ADDR (§2.4)");
    // Private nodes (§6.1) are never listed: tiersim keeps them out of cpuset mems, so the
    // "all nodes" that libnuma derives from this mask stays valid for set_mempolicy.
    return { mode: 0, modeName: "MPOL_DEFAULT", modeFlags: [], nodes: mask(p.memsAllowed) };
  }
  const addr = opts.addr ?? 0;
  let pol: Policy | null;
  let vma: Vma | undefined;
  if (flags & ADDR) {
    vma = p.mm.find(Math.floor(addr / PAGE_SIZE));
    if (!vma) throw new SyscallError(sc, "EFAULT", `no mapping at 0x${addr.toString(16)} (§2.4)`);
    pol = vmaPolicyAt(vma, Math.floor(addr / PAGE_SIZE));
  } else {
    if (addr !== 0) throw new SyscallError(sc, "EINVAL", "addr is given without MPOL_F_ADDR (§2.4)");
    pol = p.policy;
  }
  const modeName: ModeName = pol ? pol.mode : "MPOL_DEFAULT";
  const modeFlags = pol ? pol.flags : [];
  const nodes = !pol || pol.mode === "MPOL_LOCAL" ? [] : pol.userNodemask ?? pol.nodes;
  if (flags & NODE) {
    let node: number;
    if (flags & ADDR) {
      // lookup_node: the page is faulted in as a read if absent (§2.4: may allocate).
      const vpn = Math.floor(addr / PAGE_SIZE);
      if (p.nodeOf(addr) < 0) faultVma(p.kernel, p, vma!, vpn, vpn + 1, false);
      node = p.nodeOf(addr);
    } else if (pol && (pol.mode === "MPOL_INTERLEAVE" || pol.mode === "MPOL_WEIGHTED_INTERLEAVE")) {
      node = peekTaskInterleaveNode(pol, p);
    } else {
      throw new SyscallError(sc, "EINVAL", "MPOL_F_NODE without MPOL_F_ADDR needs an interleave task policy (§2.4)");
    }
    return { mode: node, modeName: null, modeFlags, nodes: mask(nodes), node };
  }
  const word = MPOL_MODES[modeName] | modeFlags.reduce((w, f) => w | MPOL_MODE_FLAGS[f], 0);
  return { mode: word, modeName, modeFlags, nodes: mask(nodes) };
}

/**
 * set_mempolicy_home_node (§2.5): flags != 0, a bad node, unaligned start are EINVAL; len 0 is
 * a no-op; a VMA with a non BIND/PREFERRED_MANY policy is EOPNOTSUPP; no VMA updated is ENOENT.
 *
 * @example
 * sysSetMempolicyHomeNode(p, a, 1 << 20, 1, 0);
 */
export function sysSetMempolicyHomeNode(p: Process, addr: number, len: number, home: number, flags: number): void {
  const sc = "set_mempolicy_home_node";
  if (!atLeast(p.kernel.version, "v5.17")) throw new SyscallError(sc, "ENOSYS", `set_mempolicy_home_node exists from v5.17 (this is ${p.kernel.version})`);
  if (flags !== 0) throw new SyscallError(sc, "EINVAL", "flags must be 0 (§2.5)");
  if (addr % PAGE_SIZE !== 0) throw new SyscallError(sc, "EINVAL", `start 0x${addr.toString(16)} is not page aligned (§2.5)`);
  if (home < 0 || home >= MAX_NUMNODES || !p.kernel.topo.nodeIds.includes(home)) {
    throw new SyscallError(sc, "EINVAL", `home_node ${home} is not an online node (§2.5)`);
  }
  const pages = Math.ceil(len / PAGE_SIZE);
  if (pages === 0) return;
  const s = addr / PAGE_SIZE;
  const e = s + pages;
  p.mm.splitAround(s, e);
  let updated = 0;
  for (const v of p.mm.overlapping(s, e)) {
    const pol = v.policy;
    if (!pol) continue;
    if (pol.mode !== "MPOL_BIND" && pol.mode !== "MPOL_PREFERRED_MANY") {
      p.mm.mergeAround(s, e);
      throw new SyscallError(sc, "EOPNOTSUPP", `the VMA at 0x${(v.start * PAGE_SIZE).toString(16)} has ${pol.mode}; a home node applies to MPOL_BIND and MPOL_PREFERRED_MANY only (§2.5)`);
    }
    v.policy = { ...pol, homeNode: home };
    p.kernel.carryWeights(pol, v.policy);
    updated++;
  }
  p.mm.mergeAround(s, e);
  if (updated === 0) throw new SyscallError(sc, "ENOENT", "no VMA in the range has a policy to set a home node on (§2.5)");
}
