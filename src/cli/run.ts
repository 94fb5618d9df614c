/**
 * `tiersim run scenario.json`: runs a scenario file (as `simulate()` takes it, or as
 * `SimulationResult.toJSON().scenario` wrote it) with a progress bar on stderr, prints the
 * summary and writes every result table as CSV plus result.json to the output folder.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import cliProgress from "cli-progress";
import { RESULT_TABLES } from "../results/simulationResult.js";
import { simulate } from "../sim/simulate.js";
import { presetNames } from "../topology/presets.js";
import { withMemoryCapacity } from "../topology/resize.js";
import { CliUsageError, parseCliArgs, presetByName, type Command } from "./command.js";

const HELP = `usage: tiersim run <scenario.json> [--out DIR] [--seed N] [--duration D] [--quiet]

Runs a scenario file: { topology, workload, policy, duration, seed, kernel?, epoch?,
behaviours? }. "topology" may be a preset name (${presetNames().join(", ")}) or
{ "preset": NAME, "memoryCapacity": { "0": "16GiB" } } for a preset with less memory. Prints
the summary table; writes ${RESULT_TABLES.map((t) => `${t}.csv`).join(", ")} and result.json.
Example: tiersim run datasets/scenarios/shmem-numa-balancing.json

options:
  --out DIR       where to write (default out/run)
  --seed N        override the scenario's seed
  --duration D    override the scenario's duration, e.g. 10s
  --quiet         no progress bar
  -h, --help      show this help`;

/** `tiersim run`. */
export const runCommand: Command = {
  name: "run",
  summary: "run a scenario JSON file; tables as CSV, result.json, summary on stdout",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const parsed = parseCliArgs({ args, options: { out: { type: "string" }, seed: { type: "string" }, duration: { type: "string" }, quiet: { type: "boolean" }, help: { type: "boolean", short: "h" } }, allowPositionals: true });
    if (parsed.values.help) {
      console.log(HELP);
      return 0;
    }
    if (parsed.positionals.length !== 1) throw new CliUsageError(`expected one scenario file, got ${parsed.positionals.length}`);
    const file = parsed.positionals[0]!;
    let scenario: Record<string, unknown>;
    try {
      scenario = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch (e) {
      throw new CliUsageError(`cannot read ${file} as JSON: ${(e as Error).message}`);
    }
    scenario.topology = presetTopology(scenario.topology);
    if (parsed.values.duration !== undefined) scenario.duration = parsed.values.duration;
    if (parsed.values.seed !== undefined) {
      const seed = Number(parsed.values.seed);
      if (!Number.isSafeInteger(seed)) throw new CliUsageError(`--seed takes an integer, got "${parsed.values.seed}"`);
      scenario.seed = seed;
    }
    const bar = parsed.values.quiet ? null : new cliProgress.SingleBar({ format: "simulating [{bar}] {percentage}% | {value}/{total} s | {events} kernel events", stream: process.stderr }, cliProgress.Presets.legacy);
    let started = false;
    const run = simulate(scenario as never, {
      onProgress: (p) => {
        if (!bar) return;
        if (!started) {
          bar.start(p.totalS, 0, { events: 0 });
          started = true;
        }
        bar.update(Number(p.simulatedS.toFixed(2)), { events: p.kernelEvents });
      },
    });
    bar?.stop();
    const out = parsed.values.out ?? join("out", "run");
    mkdirSync(out, { recursive: true });
    for (const t of RESULT_TABLES) writeFileSync(join(out, `${t}.csv`), run.toCSV(t));
    writeFileSync(join(out, "result.json"), JSON.stringify(run.toJSON()));
    console.log(alignedText(run.summary.objects() as Record<string, unknown>[]));
    for (const w of run.warnings) console.error(`warning: ${w.code}: ${w.message}`);
    console.error(`wrote ${RESULT_TABLES.length} tables and result.json to ${out}`);
    return 0;
  },
};

/** Rows as aligned text columns (numbers to 4 significant digits), the way a terminal reads them. */
function alignedText(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return "(no rows)";
  const names = Object.keys(rows[0]!);
  const cell = (v: unknown): string => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v === null || v === undefined ? "" : String(v));
  const cells = rows.map((r) => names.map((n) => cell(r[n])));
  const widths = names.map((n, i) => Math.max(n.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((x, i) => x.padStart(widths[i]!)).join("  ");
  return [line(names), ...cells.map(line)].join("\n");
}

/** A preset name, or { preset, memoryCapacity }, as the machine it names; anything else as is. */
function presetTopology(t: unknown): unknown {
  const named = presetByName(t);
  if (named) return named;
  if (typeof t !== "object" || t === null || !("preset" in t)) return t;
  const { preset, memoryCapacity, ...rest } = t as { preset: unknown; memoryCapacity?: Record<number, string | number> };
  const spec = presetByName(preset, (known) => `topology.preset: got ${JSON.stringify(preset)}; use one of ${known}`);
  if (Object.keys(rest).length > 0) throw new CliUsageError(`topology: { preset, memoryCapacity } takes no other keys, got ${Object.keys(rest).join(", ")}`);
  return memoryCapacity === undefined ? spec : withMemoryCapacity(spec, memoryCapacity);
}
