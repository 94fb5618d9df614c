/**
 * System calls proposed but not merged, available only with their kernel behaviour
 * (behaviours.ts): process_mbind (§6.3) and set_mempolicy2 / mbind2 with task-local weights
 * (§6.2). Without the behaviour they fail with ENOSYS, as an unknown syscall number would.
 */
import { SyscallError } from "../../core/errors.js";
import { PAGE_SIZE } from "../../core/units.js";
import type { Policy } from "../../policy/types.js";
import type { ModeArg, NodesArg } from "../mpol.js";
import type { Process } from "../process.js";
import { sysMbind } from "./mbind.js";
import type { FlagsArg } from "./mbind.js";
import { sysSetMempolicy } from "./policy.js";

function enabled(p: Process, behaviour: "processMbind" | "taskLocalWeights", sc: string): void {
  if (!p.kernel.behaviours[behaviour]) {
    throw new SyscallError(sc, "ENOSYS", `${sc} is an unmerged proposal; boot with { behaviours: { ${behaviour}: true } } to model it`);
  }
}

/**
 * process_mbind: mbind on the address space of `pid` (0 = self), with the caller's privilege:
 * another process needs CAP_SYS_NICE (ptrace-attach rights in the RFC) else EPERM; ESRCH for
 * no such process. The policy is built against the target's cpuset.
 *
 * @example
 * sysProcessMbind(agent, target.pid, a, 1 << 20, "MPOL_BIND", [2], ["MPOL_MF_MOVE"]);
 */
export function sysProcessMbind(p: Process, pid: number, addr: number, len: number, mode: ModeArg, nodes: NodesArg, flags?: FlagsArg): void {
  const sc = "process_mbind";
  enabled(p, "processMbind", sc);
  const t = pid === 0 ? p : p.kernel.process(pid);
  if (!t) throw new SyscallError(sc, "ESRCH", `no process with pid ${pid}`);
  if (t.tgid !== p.tgid && !p.capSysNice) throw new SyscallError(sc, "EPERM", "changing another process's memory policy needs ptrace-attach rights (CAP_SYS_NICE here)");
  sysMbind(t, addr, len, mode, nodes, flags, undefined, { syscall: sc, capSysNice: p.capSysNice });
}

/** The mpol_args of set_mempolicy2 / mbind2 (RFC). */
export interface MpolArgs {
  readonly mode: ModeArg;
  readonly nodes?: NodesArg;
  readonly maxnode?: number;
  /** set_mempolicy2: the home node (MPOL_MF_HOME_NODE in mbind2). */
  readonly homeNode?: number;
  /** Task-local weights by node (u8, 0 = use the global weight). */
  readonly ilWeights?: Readonly<Record<number, number>>;
}

function weightsOf(sc: string, args: MpolArgs): Map<number, number> | null {
  if (!args.ilWeights) return null;
  const m = new Map<number, number>();
  for (const [node, w] of Object.entries(args.ilWeights)) {
    if (!Number.isInteger(w) || w < 0 || w > 255) throw new SyscallError(sc, "EINVAL", `il_weights[${node}] = ${w} is not a u8 weight`);
    m.set(Number(node), w);
  }
  return m;
}

/**
 * set_mempolicy2: set_mempolicy plus home node and task-local weights.
 *
 * @example
 * sysSetMempolicy2(p, { mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: [0, 2], ilWeights: { 0: 3, 2: 1 } });
 */
export function sysSetMempolicy2(p: Process, args: MpolArgs): void {
  const sc = "set_mempolicy2";
  enabled(p, "taskLocalWeights", sc);
  const weights = weightsOf(sc, args);
  sysSetMempolicy(p, args.mode, args.nodes, args.maxnode);
  if (p.policy && args.homeNode !== undefined) {
    if (p.policy.mode !== "MPOL_BIND" && p.policy.mode !== "MPOL_PREFERRED_MANY") throw new SyscallError(sc, "EINVAL", "a home node needs MPOL_BIND or MPOL_PREFERRED_MANY");
    p.policy = { ...p.policy, homeNode: args.homeNode };
  }
  if (p.policy && weights) p.kernel.policyWeights.set(p.policy, weights);
}

/**
 * mbind2: mbind with mpol_args (task-local weights travel with the VMA policy).
 *
 * @example
 * sysMbind2(p, a, 1 << 20, { mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: [0, 1], ilWeights: { 0: 5, 1: 1 } });
 */
export function sysMbind2(p: Process, addr: number, len: number, args: MpolArgs, flags?: FlagsArg): void {
  const sc = "mbind2";
  enabled(p, "taskLocalWeights", sc);
  if (addr % PAGE_SIZE !== 0) throw new SyscallError(sc, "EINVAL", "addr is not page aligned");
  const weights = weightsOf(sc, args);
  const attach = (pol: Policy): void => {
    if (weights) p.kernel.policyWeights.set(pol, weights);
  };
  sysMbind(p, addr, len, args.mode, args.nodes, flags, args.maxnode, { syscall: sc, onPolicy: attach });
  if (args.homeNode !== undefined) p.setMempolicyHomeNode(addr, len, args.homeNode);
}
