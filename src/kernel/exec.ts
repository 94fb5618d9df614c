/**
 * Running command lines on the simulated kernel: `numactl ... ./app` sets the task policy and
 * CPU binding numactl would (via the policy layer's parser), then the command runs as a new
 * process; `numactl --hardware` prints the machine as numactl does.
 */
import { SyscallError } from "../core/errors.js";
import { numactl } from "../policy/numactl.js";
import type { NumactlCommand } from "../policy/numactl.js";
import type { Kernel } from "./kernel.js";
import type { Process } from "./process.js";

/** Options of {@link execCommand}. */
export interface ExecOptions {
  /** The CPU to start on when numactl does not bind CPUs (default: the first CPU). */
  readonly cpu?: number;
  /** cpuset to run in (default "/"). */
  readonly cpuset?: string;
  /** CAP_SYS_NICE of the new process (default true). */
  readonly capSysNice?: boolean;
}

/** A process started from a command line, with what numactl decided. */
export interface ExecResult {
  readonly process: Process;
  /** The parsed numactl command, or null when the line does not start with numactl. */
  readonly numactl: NumactlCommand | null;
  /** CPUs the process may run on (sched affinity). */
  readonly cpusAllowed: readonly number[];
}

/**
 * Starts `commandLine` as a process. A leading `numactl` applies its policy with
 * set_mempolicy (so an empty --membind fails with EINVAL as on Linux) and its CPU binding.
 *
 * @example
 * execCommand(k, "numactl --interleave=0,1 ./stream").process.getMempolicy().modeName // "MPOL_INTERLEAVE"
 */
export function execCommand(k: Kernel, commandLine: string | readonly string[], opts: ExecOptions = {}): ExecResult {
  const argv = typeof commandLine === "string" ? commandLine.trim().split(/\s+/) : [...commandLine];
  const allCpus = [...k.topo.cpuNode.keys()].sort((a, b) => a - b);
  const mems = k.cpusets.get(opts.cpuset ?? "/").mems;
  let cmd: NumactlCommand | null = null;
  let cpus = allCpus;
  if (argv[0] === "numactl") {
    cmd = numactl(argv, { nodes: k.topo.nodeIds, memsAllowed: mems, cpus: allCpus, kernelVersion: k.version });
    if (cmd.physCpus) cpus = cmd.physCpus.filter((c) => allCpus.includes(c));
    else if (cmd.cpuNodes) cpus = allCpus.filter((c) => cmd!.cpuNodes!.includes(k.topo.cpuNode.get(c)!));
    if (cpus.length === 0) throw new SyscallError("sched_setaffinity", "EINVAL", "numactl's CPU binding leaves no CPU of this machine");
  }
  const cpu = opts.cpu !== undefined && cpus.includes(opts.cpu) ? opts.cpu : cpus[0]!;
  const p = k.spawn({ cpu, cpuset: opts.cpuset, capSysNice: opts.capSysNice });
  if (cmd?.policy) p.setMempolicy([cmd.policy.mode, ...cmd.policy.flags], [...cmd.policy.nodes]);
  return { process: p, numactl: cmd, cpusAllowed: cpus };
}

/**
 * The text of `numactl --hardware`: nodes, their CPUs, size and free memory in MB, and the
 * SLIT distance table.
 *
 * @example
 * numactlHardware(k).split("\n")[0] // "available: 4 nodes (0-3)"
 */
export function numactlHardware(k: Kernel): string {
  const ids = k.topo.nodeIds;
  const lines: string[] = [];
  const range = ids.length > 0 && ids[ids.length - 1]! - ids[0]! === ids.length - 1 ? `${ids[0]}-${ids[ids.length - 1]}` : ids.join(",");
  lines.push(`available: ${ids.length} nodes (${range})`);
  const mb = (pages: number): number => Math.floor((pages * 4096) / 2 ** 20);
  for (const n of ids) {
    const cpus = [...k.topo.cpuNode.entries()].filter(([, node]) => node === n).map(([c]) => c).sort((a, b) => a - b);
    const hasMem = k.topo.managedPages(n) > 0; // N_MEMORY and private nodes (§6.1) show their size
    lines.push(`node ${n} cpus:${cpus.map((c) => ` ${c}`).join("")}`);
    lines.push(`node ${n} size: ${hasMem ? mb(k.topo.managedPages(n)) : 0} MB`);
    lines.push(`node ${n} free: ${hasMem ? mb(k.buddy.free[n]!) : 0} MB`);
  }
  lines.push("node distances:");
  lines.push(`node ${ids.map((n) => String(n).padStart(3)).join(" ")} `);
  for (const a of ids) lines.push(`  ${a}: ${ids.map((b) => String(k.topo.distance(a, b)).padStart(3)).join(" ")} `);
  return lines.join("\n");
}
