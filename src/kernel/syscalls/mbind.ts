/**
 * mbind(addr, len, mode, nodemask, maxnode, flags) (kernel-model.md §2.3): argument checks,
 * the range walk (holes, STRICT, MOVE/MOVE_ALL), VMA split/merge or the shmem shared-policy
 * tree, and migration of misplaced pages to where the new policy would put them.
 */
import { SyscallError } from "../../core/errors.js";
import { PAGE_SIZE } from "../../core/units.js";
import { checkPrivateNodes } from "../../policy/privateNodes.js";
import { MBIND_FLAGS } from "../../policy/types.js";
import { mempolicyNodes } from "../../topology/private.js";
import type { Policy } from "../../policy/types.js";
import type { Kernel } from "../kernel.js";
import { MigrationBatch } from "../migrate.js";
import { copyNodemask, createPolicy, flagWord, MAX_NUMNODES, modeWord, sanitizeMode } from "../mpol.js";
import type { ModeArg, NodesArg } from "../mpol.js";
import { interleaveTable, isInterleave, planFor } from "../placement.js";
import type { Process } from "../process.js";
import type { Vma } from "../vma.js";

/** Flags by name ("MPOL_MF_MOVE"), "A|B", an array of names, or the int. */
export type FlagsArg = number | string | readonly string[];

const { MPOL_MF_STRICT: STRICT, MPOL_MF_MOVE: MOVE, MPOL_MF_MOVE_ALL: MOVE_ALL } = MBIND_FLAGS;

/** Variants of mbind that reuse its walk: process_mbind and mbind2 (unmerged RFCs). */
export interface MbindExtras {
  /** The syscall name in errors (default "mbind"). */
  readonly syscall?: string;
  /** The caller's CAP_SYS_NICE when it is not the target task (process_mbind). */
  readonly capSysNice?: boolean;
  /** Called with the new policy before it is installed (mbind2 attaches task-local weights). */
  readonly onPolicy?: (pol: Policy) => void;
}

/**
 * The interleave index of the page at `vpn` (§1.3): anon vpn; shmem inode + file index;
 * other file mappings the file index.
 *
 * @example
 * ilxOf(vma, vpn) // vpn for anonymous memory
 */
export function ilxOf(v: Vma, vpn: number): number {
  if (v.kind === "anon") return vpn;
  const idx = v.filePgoff + vpn - v.start;
  return v.isShmem ? v.file!.ino + idx : idx;
}

/**
 * Moves every page of [s, e) whose node is not in `inUser` to its target under `pol`
 * (interleave: by index; otherwise the first node of the policy's filtered zonelist with a page
 * above min). Returns the pages that failed to move.
 *
 * @example
 * migrateMisplaced(k, p, s, e, bindPolicy, inUser, false) // 0
 */
export function migrateMisplaced(k: Kernel, p: Process, s: number, e: number, pol: Policy | null, inUser: Uint8Array, moveAll: boolean): number {
  const fr = k.frames;
  const free = k.buddy.free;
  const batch = new MigrationBatch(k);
  const table = isInterleave(pol) ? interleaveTable(pol!, (n) => k.weightOf(n, pol)) : null;
  const plan = table ? null : planFor(pol, p);
  // RFC v4 patch 13 adds __GFP_PRIVATE to the mempolicy migration sites (§6.1).
  const gfpPrivate = !!pol && pol.nodes.some((n) => k.topo.privateNodes.includes(n));
  const list = plan ? k.buddy.zonelistFor({ start: plan.start, mask: plan.mask, mems: p.mems, order: 0, cpuNode: p.cpuNode, gfpPrivate }) : [];
  for (const v of p.mm.overlapping(s, e)) {
    for (let x = Math.max(s, v.start); x < Math.min(e, v.end); x++) {
      const f = v.frame(x - v.start);
      if (f <= 0) continue;
      const node = fr.node[f]!;
      if (inUser[node]) continue;
      if (!moveAll && fr.mapcount[f]! > 1) continue;
      let target = list[0] ?? node;
      if (table) target = table[ilxOf(v, x) % table.length]!;
      else for (const n of list) if (free[n]! - 1 >= k.buddy.watermarks(n).min) {
        target = n;
        break;
      }
      batch.move(f, target);
    }
  }
  batch.finish();
  return batch.failures;
}

/**
 * mbind. Checks follow kernel_mbind/do_mbind: mode word and nodemask first (§2.1), then
 * flags (EINVAL), MOVE_ALL without CAP_SYS_NICE (EPERM), alignment (EINVAL), empty range
 * (success), policy construction (EINVAL), holes (EFAULT), STRICT without MOVE (EIO, policy
 * not installed), then install, migrate, and EIO for STRICT when pages failed to move.
 *
 * @example
 * sysMbind(p, a, 1 << 20, "MPOL_BIND", [0], ["MPOL_MF_MOVE"], undefined);
 */
export function sysMbind(
  p: Process,
  addr: number,
  len: number,
  mode: ModeArg,
  nodes: NodesArg,
  flagsArg: FlagsArg | undefined,
  maxnode: number | undefined,
  opts: MbindExtras = {},
): void {
  const sc = opts.syscall ?? "mbind";
  const k = p.kernel;
  const mf = sanitizeMode(sc, modeWord(sc, mode), k.version);
  const user = copyNodemask(sc, nodes, maxnode);
  let flags = flagWord(sc, flagsArg, MBIND_FLAGS);
  if (flags & ~(STRICT | MOVE | MOVE_ALL)) throw new SyscallError(sc, "EINVAL", `flags 0x${flags.toString(16)} outside STRICT|MOVE|MOVE_ALL (MPOL_MF_LAZY is not accepted) (§2.3)`);
  if (flags & MOVE_ALL && !(opts.capSysNice ?? p.capSysNice)) throw new SyscallError(sc, "EPERM", "MPOL_MF_MOVE_ALL needs CAP_SYS_NICE (§2.3)");
  if (addr % PAGE_SIZE !== 0) throw new SyscallError(sc, "EINVAL", `addr 0x${addr.toString(16)} is not page aligned (§2.3)`);
  if (mf.mode === 0) flags &= ~STRICT;
  const pages = Math.ceil(len / PAGE_SIZE);
  const s = addr / PAGE_SIZE;
  const e = s + pages;
  if (e > 2 ** 52) throw new SyscallError(sc, "EINVAL", "addr + len overflows (§2.3)");
  if (pages === 0) return;
  // §6.1: private nodes only with NP_OPS_MEMPOLICY; such nodes then count as nodes with memory
  // and as allowed (cpuset control of private nodes is not modelled).
  checkPrivateNodes(sc, user, k.topo, "vma-policy");
  const policyNodes = mempolicyNodes(k.topo);
  const mems = k.topo.privateNodes.length === 0 ? p.memsAllowed : [...p.memsAllowed, ...policyNodes.filter((n) => k.topo.privateNodes.includes(n))];
  const pol = createPolicy(sc, mf, user, mems, policyNodes);
  if (pol && opts.onPolicy) opts.onPolicy(pol);
  // Range walk (queue_pages_range): holes are EFAULT except for MPOL_DEFAULT (§2.3 step 7).
  const vmas = p.mm.overlapping(s, e);
  if (vmas.length === 0) throw new SyscallError(sc, "EFAULT", `no mapping in [0x${addr.toString(16)}, +${len}) (§2.3)`);
  // The walk goes VMA by VMA in address order: a hole before a VMA is EFAULT, a misplaced
  // page inside it under STRICT without MOVE is EIO, whichever comes first. "Misplaced" = node
  // not in the user nodemask (MPOL_MF_INVERT walk).
  const hole = (at: number): SyscallError => new SyscallError(sc, "EFAULT", `unmapped hole at 0x${(at * PAGE_SIZE).toString(16)} (§2.3)`);
  const fr = k.frames;
  const moving = (flags & (MOVE | MOVE_ALL)) !== 0;
  const inUser = new Uint8Array(MAX_NUMNODES);
  for (const n of user) inUser[n] = 1;
  let at = s;
  for (const v of vmas) {
    if (mf.mode !== 0 && v.start > at) throw hole(at);
    at = v.end;
    if (moving || !(flags & STRICT)) continue;
    for (let x = Math.max(s, v.start); x < Math.min(e, v.end); x++) {
      const f = v.frame(x - v.start);
      if (f > 0 && !inUser[fr.node[f]!]) {
        throw new SyscallError(sc, "EIO", `page at 0x${(x * PAGE_SIZE).toString(16)} is on node ${fr.node[f]}, outside the new policy's nodes, and MPOL_MF_STRICT was given without MOVE; the policy was not installed (§2.3)`);
      }
    }
  }
  if (mf.mode !== 0 && at < e) throw hole(at);
  // Install on every VMA of the range, splitting and merging (§2.3 step 8).
  p.mm.splitAround(s, e);
  for (const v of p.mm.overlapping(s, e)) {
    v.policy = pol;
    if (v.isShmem) v.file!.setSharedPolicy(v.filePgoff, v.filePgoff + v.pages, pol);
  }
  p.mm.mergeAround(s, e);
  // Migrate misplaced pages to where a fresh fault under the new policy would put them (§2.3
  // step 9); shared folios are skipped silently without MOVE_ALL (step 7).
  const failed = moving ? migrateMisplaced(k, p, s, e, pol, inUser, (flags & MOVE_ALL) !== 0) : 0;
  if (failed > 0 && flags & STRICT) throw new SyscallError(sc, "EIO", `${failed} misplaced pages could not be moved; the policy is installed (§2.3 step 10)`);
}
