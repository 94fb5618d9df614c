/**
 * `tiersim hardware <preset|file.json>`: what `numactl --hardware` would print on the machine,
 * the quickest way to check a topology file says what its author meant.
 */
import { readFileSync } from "node:fs";
import { deriveKernelTopology } from "../topology/derive.js";
import { topologyFromJSON } from "../topology/json.js";
import { presetNames } from "../topology/presets.js";
import type { TopologySpec } from "../topology/types.js";
import { numactlHardware } from "../topology/views.js";
import { CliUsageError, parseCliArgs, presetByName, type Command } from "./command.js";

const HELP = `usage: tiersim hardware <preset | topology.json>

Prints \`numactl --hardware\` for a preset machine or a topology JSON file: nodes, CPUs,
memory sizes and the SLIT distance table the simulated kernel boots with.

arguments:
  preset           one of: ${presetNames().join(", ")}
  topology.json    a file written by topologyToJSON() or by hand

options:
  -h, --help       show this help`;

/** `tiersim hardware`. */
export const hardwareCommand: Command = {
  name: "hardware",
  summary: "print `numactl --hardware` for a preset or a topology JSON file",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const parsed = parseCliArgs({ args, options: { help: { type: "boolean", short: "h" } }, allowPositionals: true });
    if (parsed.values.help) {
      console.log(HELP);
      return 0;
    }
    if (parsed.positionals.length !== 1) {
      throw new CliUsageError(`expected one preset name or JSON file, got ${parsed.positionals.length}`);
    }
    process.stdout.write(numactlHardware(deriveKernelTopology(load(parsed.positionals[0]!))));
    return 0;
  },
};

function load(what: string): TopologySpec {
  const named = presetByName(what);
  if (named) return named;
  if (what.endsWith(".json")) {
    let text: string;
    try {
      text = readFileSync(what, "utf8");
    } catch (e) {
      throw new CliUsageError(`cannot read ${what}: ${(e as Error).message}`);
    }
    return topologyFromJSON(text);
  }
  throw new CliUsageError(`"${what}" is neither a preset (${presetNames().join(", ")}) nor a .json file`);
}
