/**
 * The piscina worker of `sweep()`: runs one scenario and sends back its summary rows and
 * warnings as plain data (no tables, so the worker never loads arquero).
 */
import { ScenarioError, type Issue } from "../core/errors.js";
import type { Warning } from "../core/warnings.js";
import { summaryRows } from "../results/summaryRows.js";
import { runScenario } from "./runScenario.js";
import type { ResolvedScenario } from "./validateScenario.js";

/**
 * What one sweep point produced.
 *
 * @example
 * runSweepPoint({ scenario }).rows[0].bandwidth_gbps
 */
export interface SweepPointResult {
  readonly rows: Record<string, number | string | null>[];
  readonly warnings: readonly Warning[];
  /**
   * What the simulated kernel refused (a syscall error while applying the policy set). Sent as
   * data: an error crossing the worker boundary keeps its message but loses its issues.
   */
  readonly issues?: readonly Issue[];
}

/**
 * Runs one sweep point (piscina calls the default export). It takes the scenario already
 * resolved by the caller, so workers neither validate again nor load the validators.
 *
 * @example
 * runSweepPoint({ resolved: resolveScenario(scenario) })
 */
export function runSweepPoint(task: { readonly resolved: ResolvedScenario }): SweepPointResult {
  try {
    const record = runScenario(task.resolved);
    return { rows: summaryRows(record), warnings: record.warnings };
  } catch (e) {
    if (e instanceof ScenarioError) return { rows: [], warnings: [], issues: e.issues };
    throw e;
  }
}

export default runSweepPoint;
