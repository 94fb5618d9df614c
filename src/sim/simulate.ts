/**
 * `simulate()`: a scenario in, result tables out. Validation and the run itself live in
 * validateScenario.ts and runScenario.ts; this file only joins them to the tables.
 */
import type { Scenario } from "../results/scenario.js";
import { SimulationResult } from "../results/simulationResult.js";
import { runScenario } from "./runScenario.js";
import { resolveScenario } from "./validateScenario.js";
import type { SimulateOptions } from "./progress.js";

/**
 * Runs a scenario and returns its tables. The scenario is validated whole first: a
 * ScenarioError lists every issue with its path. Deterministic: the same scenario and seed
 * give the same tables bit for bit.
 *
 * @example
 * const run = simulate({ topology: presets.sprCxl(), workload: wl, policy: pol, duration: "10s", seed: 1 });
 * run.summary.print();
 * // a long evolving run with a live progress line:
 * simulate({ ...scenario, duration: "10min" }, { onProgress: textProgress() });
 */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  return new SimulationResult(runScenario(resolveScenario(scenario), options));
}

