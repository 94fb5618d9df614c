/**
 * Workload files: JSON in, validated whole; JSON out, stable and readable.
 */
import { ScenarioError } from "../core/errors.js";
import { deepFreeze } from "./freeze.js";
import type { WorkloadSpec } from "./types.js";
import { validateWorkload } from "./validateWorkload.js";

/**
 * Serialises a workload to JSON (2-space indented); `workloadFromJSON` reads it back equal.
 *
 * @example
 * workloadToJSON(wl) // '{\n  "format": "tiersim.workload/1",\n  "processes": [ ... ] }'
 */
export function workloadToJSON(spec: WorkloadSpec): string {
  return JSON.stringify(spec, null, 2);
}

/**
 * Reads a workload from JSON text or already-parsed data, validates it whole and fills
 * defaults (pattern parameters, read shares, thp, file, binding, perf). Throws a ScenarioError
 * listing every issue with its path.
 *
 * @example
 * const wl = workloadFromJSON(fs.readFileSync("stream.workload.json", "utf8"));
 */
export function workloadFromJSON(json: string | unknown): WorkloadSpec {
  let data: unknown = json;
  if (typeof json === "string") {
    try {
      data = JSON.parse(json);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new ScenarioError([{ code: "invalid_json", path: [], message: `the text is not JSON (${reason}). Fix: check the file's syntax.` }], "workload");
    }
  }
  const { spec, issues } = validateWorkload(data);
  if (spec === null) throw new ScenarioError(issues, "workload");
  return deepFreeze(spec);
}
