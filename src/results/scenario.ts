/**
 * The scenario as `simulate()` takes it and every result keeps it. The type lives in results/
 * because results carry their scenario and may not import sim/ (DESIGN.md layout); sim/ and
 * the public index re-export it.
 */
import type { Duration } from "../core/units.js";
import type { PolicySetSpec } from "../policy/policySet.js";
import type { TopologySpec } from "../topology/types.js";
import type { WorkloadSpec } from "../workload/types.js";
import type { KernelBehaviours } from "../kernel/behaviours.js";

/**
 * One simulation: a machine, a workload, a policy set and how long to run. Plain,
 * JSON-serialisable data, so a scenario file reproduces a figure exactly.
 *
 * @example
 * const scenario: Scenario = { topology: presets.sprCxl(), workload: wl, policy: pol, duration: "10s", seed: 1 };
 */
export interface Scenario {
  readonly topology: TopologySpec;
  readonly workload: WorkloadSpec;
  /** The policy set; omitted or null runs every process under the default policy. */
  readonly policy?: PolicySetSpec | null;
  /** Simulated run time, e.g. "10s", or nanoseconds as a number. */
  readonly duration: Duration;
  /** Seed of every random choice (page weights of random patterns, hot-set scatter). */
  readonly seed: number;
  /**
   * Kernel version to boot, e.g. "v6.9". Default: the policy set's `kernel`, else v6.16. Giving
   * both with different values is an error, so a scenario never silently runs another kernel.
   */
  readonly kernel?: string | null;
  /**
   * Sampling interval of the over-time tables (`tasks`, `nodes`, `occupancy`), e.g. "100ms".
   * Default: a hundredth of the duration. Rows also appear at every phase change.
   */
  readonly epoch?: Duration | null;
  /**
   * Kernel behaviours to select or override (kernel-model.md: patches before/after, RFCs,
   * what-ifs); the rest take the kernel version's defaults. One notebook can run the same
   * workload under two behaviours side by side.
   *
   * @example
   * { shmemNumabFix: true }
   */
  readonly behaviours?: KernelBehaviours | null;
}
