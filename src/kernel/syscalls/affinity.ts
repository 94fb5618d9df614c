/**
 * sched_setaffinity (the CPU half of task placement, kernel-model.md §4.9): the CPUs a task may
 * run on. NUMA balancing only moves a task to CPUs of this set.
 */
import { SyscallError } from "../../core/errors.js";
import type { Process } from "../process.js";

/**
 * sched_setaffinity(pid, mask): sets `p.cpusAllowed`. As in the kernel, bits for CPUs the
 * machine does not have are ignored and EINVAL is returned when no CPU of the machine remains
 * (an empty mask included); a value that cannot be a mask bit (negative, not an integer) is
 * EINVAL too. A task whose current CPU leaves the set moves to the lowest allowed CPU.
 *
 * @example
 * sysSchedSetaffinity(p, [2, 3]); // p.cpu becomes 2 if it was on 0
 * sysSchedSetaffinity(p, []); // throws SyscallError EINVAL
 */
export function sysSchedSetaffinity(p: Process, cpus: readonly number[]): void {
  const k = p.kernel;
  const all = [...k.topo.cpuNode.keys()].sort((a, b) => a - b);
  const range = `CPUs ${all[0]}..${all[all.length - 1]}`;
  if (!Array.isArray(cpus)) {
    throw new SyscallError("sched_setaffinity", "EINVAL", `the mask must be a list of CPU ids (got ${JSON.stringify(cpus)}); pass e.g. [${all.slice(0, 2).join(", ")}]`);
  }
  const bad = cpus.filter((c) => !Number.isInteger(c) || c < 0);
  if (bad.length > 0) {
    throw new SyscallError("sched_setaffinity", "EINVAL", `${bad.join(", ")} cannot be a CPU number (a mask bit is a non-negative integer); this machine has ${range}`);
  }
  const known = [...new Set(cpus.filter((c) => k.topo.cpuNode.has(c)))].sort((a, b) => a - b);
  if (known.length === 0) {
    throw new SyscallError("sched_setaffinity", "EINVAL", `the mask [${cpus.join(", ")}] holds no CPU of this machine (a task needs at least one CPU to run on); use ${range}`);
  }
  p.cpusAllowed = known.length === all.length ? null : known;
  if (!known.includes(p.cpu)) k.numab.moveTask(p, known[0]!);
}
