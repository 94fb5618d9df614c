/**
 * migrate_pages(2) and move_pages(2) (kernel-model.md §2.5).
 */
import { ERRNO, SyscallError } from "../../core/errors.js";
import { PAGE_SIZE } from "../../core/units.js";
import { checkPrivateNodes } from "../../policy/privateNodes.js";
import { MBIND_FLAGS } from "../../policy/types.js";
import { doMigratePages, migrateFrame } from "../migrate.js";
import { copyNodemask, flagWord, MAX_NUMNODES } from "../mpol.js";
import type { NodesArg } from "../mpol.js";
import type { Process } from "../process.js";
import type { FlagsArg } from "./mbind.js";

function target(p: Process, sc: string, pid: number): Process {
  const t = pid === 0 ? p : p.kernel.process(pid);
  if (!t) throw new SyscallError(sc, "ESRCH", `no process with pid ${pid} (§2.5)`);
  return t;
}

/**
 * migrate_pages: moves the target's pages from `old` to `new` nodes with the positional map;
 * returns the number of pages not moved. ESRCH, EPERM (new outside the target's cpuset without
 * CAP_SYS_NICE), EINVAL (new ∩ caller's cpuset mems empty) as in §2.5.
 *
 * @example
 * sysMigratePages(p, 0, [0], [2], undefined) // 0
 */
export function sysMigratePages(p: Process, pid: number, oldArg: NodesArg, newArg: NodesArg, maxnode: number | undefined): number {
  const sc = "migrate_pages";
  const from = copyNodemask(sc, oldArg, maxnode);
  const to = copyNodemask(sc, newArg, maxnode);
  const t = target(p, sc, pid);
  if (t.tgid !== p.tgid && !p.capSysNice) throw new SyscallError(sc, "EPERM", "moving another process's pages needs CAP_SYS_NICE or the same credentials (§2.5)");
  const topo = p.kernel.topo;
  checkPrivateNodes(sc, to, topo, "migration-target");
  // Private targets (NP_OPS_MIGRATION, §6.1) are outside cpuset mems in tiersim, so they pass both checks.
  const isPrivate = (n: number): boolean => topo.privateNodes.includes(n);
  const tmems = t.memsAllowed;
  if (!to.every((n) => tmems.includes(n) || isPrivate(n)) && !p.capSysNice) {
    throw new SyscallError(sc, "EPERM", `new nodes ${to.join(",")} are not all in the target's cpuset mems ${tmems.join(",")} and the caller lacks CAP_SYS_NICE (§2.5)`);
  }
  const allowedTo = to.filter((n) => isPrivate(n) || (p.memsAllowed.includes(n) && topo.memoryNodes.includes(n)));
  if (allowedTo.length === 0) throw new SyscallError(sc, "EINVAL", `new nodes ${to.join(",")} do not intersect the caller's cpuset mems with memory (§2.5)`);
  return doMigratePages(p.kernel, t.mm, from, allowedTo, p.capSysNice);
}

/**
 * move_pages: with `nodes` null, reports the node of each page; else moves each page and
 * returns its status: the node it is on, or a negative errno (-ENOENT not present, -EFAULT no
 * mapping, -EACCES shared without MOVE_ALL, -ENOMEM no room). Whole-call errors: EINVAL
 * (flags), EPERM (MOVE_ALL without CAP_SYS_NICE), ESRCH, ENODEV (node without memory), EACCES
 * (node outside the target's cpuset) (§2.5).
 *
 * @example
 * sysMovePages(p, 0, [a], [2], undefined) // [2]
 */
export function sysMovePages(p: Process, pid: number, pages: readonly number[], nodes: readonly number[] | null, flagsArg: FlagsArg | undefined): number[] {
  const sc = "move_pages";
  const flags = flagWord(sc, flagsArg, MBIND_FLAGS);
  const { MPOL_MF_MOVE: MOVE, MPOL_MF_MOVE_ALL: MOVE_ALL } = MBIND_FLAGS;
  if (flags & ~(MOVE | MOVE_ALL)) throw new SyscallError(sc, "EINVAL", "flags other than MPOL_MF_MOVE / MPOL_MF_MOVE_ALL (§2.5)");
  if (flags & MOVE_ALL && !p.capSysNice) throw new SyscallError(sc, "EPERM", "MPOL_MF_MOVE_ALL needs CAP_SYS_NICE (§2.5)");
  const t = target(p, sc, pid);
  if (t.tgid !== p.tgid && !p.capSysNice) throw new SyscallError(sc, "EPERM", "moving another process's pages needs ptrace read rights (CAP_SYS_NICE here) (§2.5)");
  if (nodes && nodes.length !== pages.length) throw new SyscallError(sc, "EFAULT", "the nodes array is shorter than pages");
  const k = p.kernel;
  const status: number[] = [];
  for (let i = 0; i < pages.length; i++) {
    const addr = pages[i]!;
    const vpn = Math.floor(addr / PAGE_SIZE);
    const v = t.mm.find(vpn);
    if (nodes) {
      const n = nodes[i]!;
      checkPrivateNodes(sc, [n], k.topo, "migration-target", "ENODEV");
      const priv = k.topo.privateNodes.includes(n);
      if (n < 0 || n >= MAX_NUMNODES || !(priv || k.topo.memoryNodes.includes(n))) throw new SyscallError(sc, "ENODEV", `node ${n} has no memory (§2.5)`);
      if (!priv && !t.memsAllowed.includes(n)) throw new SyscallError(sc, "EACCES", `node ${n} is outside the target's cpuset mems (§2.5)`);
    }
    if (!v) {
      status.push(-ERRNO.EFAULT);
      continue;
    }
    const f = t.frameAt(v, vpn);
    if (f <= 0) {
      status.push(-ERRNO.ENOENT);
      continue;
    }
    if (!nodes) {
      status.push(k.frames.node[f]!);
      continue;
    }
    if (!(flags & MOVE_ALL) && k.frames.mapcount[f]! > 1) {
      status.push(-ERRNO.EACCES);
      continue;
    }
    status.push(migrateFrame(k, f, nodes[i]!) ? nodes[i]! : -ERRNO.ENOMEM);
  }
  return status;
}
