/**
 * PR_NUMA_BALANCING (Gang Li, 2021-2022, UNMERGED; kernel-model.md §6.4): per-mm disable or
 * enable of NUMA balancing, only with the `perProcessNumab` behaviour.
 */
import { SyscallError } from "../../core/errors.js";
import type { Process } from "../process.js";
import type { NumabOverride } from "./state.js";

/** prctl options tiersim knows. */
export type PrctlOption = "PR_SET_NUMA_BALANCING" | "PR_GET_NUMA_BALANCING";

/** PR_SET_NUMA_BALANCING_{DISABLE, ENABLE, DEFAULT} as in the proposal. */
const VALUES: readonly NumabOverride[] = ["disabled", "enabled", "default"];

/**
 * prctl(option, arg): SET takes 0 (disable), 1 (enable: NORMAL mode even when the sysctl is 0)
 * or 2 (default: follow the sysctl) and returns 0; GET returns the current value.
 *
 * @example
 * sysPrctl(p, "PR_SET_NUMA_BALANCING", 0) // 0, with behaviours { perProcessNumab: true }
 */
export function sysPrctl(p: Process, option: PrctlOption, arg = 0): number {
  const k = p.kernel;
  if (option !== "PR_SET_NUMA_BALANCING" && option !== "PR_GET_NUMA_BALANCING") {
    throw new SyscallError("prctl", "EINVAL", `unknown option ${JSON.stringify(option)}; tiersim models PR_SET_NUMA_BALANCING and PR_GET_NUMA_BALANCING`);
  }
  if (!k.behaviours.perProcessNumab) {
    throw new SyscallError(
      "prctl",
      "EINVAL",
      `${option} is an unmerged proposal (Gang Li, 2021-2022, kernel-model.md §6.4), so this kernel rejects it; boot with behaviours: { perProcessNumab: true } to model it`,
    );
  }
  const ms = k.numab.mmState(p.mm);
  if (option === "PR_GET_NUMA_BALANCING") return VALUES.indexOf(ms.override);
  const v = VALUES[arg];
  if (!Number.isInteger(arg) || v === undefined) throw new SyscallError("prctl", "EINVAL", `PR_SET_NUMA_BALANCING takes 0 (disable), 1 (enable) or 2 (default), got ${arg}`);
  ms.override = v;
  return 0;
}
