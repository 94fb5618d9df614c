/**
 * Topology files: a TopologySpec as JSON, read back through the same whole-spec validation as
 * the builder so that a hand-edited file reports every problem with its path at once.
 */
import { ScenarioError } from "../core/errors.js";
import type { TopologySpec } from "./types.js";
import { checkTopology } from "./validate.js";

/** Arrays of plain numbers (CPU lists, curve points, SLIT rows) read best on one line. */
const NUMBER_ARRAY = /\[\s*-?\d[\d.eE+-]*(?:\s*,\s*-?\d[\d.eE+-]*)*\s*\]/g;

/**
 * Serialises a topology spec to pretty-printed JSON (number arrays kept on one line).
 *
 * @example
 * fs.writeFileSync("machine.json", topologyToJSON(presets.sprCxl()));
 */
export function topologyToJSON(spec: TopologySpec): string {
  const text = JSON.stringify(spec, null, 2);
  return `${text.replace(NUMBER_ARRAY, (m) => `[${m.slice(1, -1).split(",").map((x) => x.trim()).join(", ")}]`)}\n`;
}

/**
 * Reads a topology from JSON text or an already-parsed object, validating it whole. Sizes,
 * bandwidths and latencies may be unit strings ("64GiB", "36GB/s", "110ns"); the result holds
 * canonical numbers. Throws ScenarioError listing every issue with its path.
 *
 * @example
 * const spec = topologyFromJSON(fs.readFileSync("machine.json", "utf8"));
 */
export function topologyFromJSON(input: string | object): TopologySpec {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new ScenarioError(
        [{ code: "invalid_json", path: [], message: `the text is not JSON (${(e as Error).message}). Fix: check quotes, commas and brackets, or pass an object.` }],
        "topology",
      );
    }
  }
  const { issues, spec } = checkTopology(value);
  if (spec === null) throw new ScenarioError(issues, "topology");
  return spec;
}
