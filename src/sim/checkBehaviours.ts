/**
 * Validation of a scenario's `behaviours` entry: every key a known behaviour, every value of
 * the right kind, all issues reported with their paths.
 */
import type { Issue } from "../core/errors.js";
import { BEHAVIOUR_STATUS, type KernelBehaviours } from "../kernel/behaviours.js";
import { PRIVATE_NODE_DESIGNS } from "../topology/privateZonelist.js";

/** The values each non-boolean behaviour takes. */
const CHOICES: Readonly<Record<string, readonly string[]>> = {
  preferredManyRule: ["merged", "first-posted"],
  vmaScanFilter: ["none", "pid", "pid+forced"],
  pinnedScanSkip: ["all", "cow"],
  privateNodeDesign: PRIVATE_NODE_DESIGNS,
};

/**
 * Checks `value` as a behaviours object; returns the valid part (issues go to `issues`).
 *
 * @example
 * checkBehaviours({ shmemNumabFix: true }, ["behaviours"], issues) // { shmemNumabFix: true }
 */
export function checkBehaviours(value: unknown, path: readonly (string | number)[], issues: Issue[]): KernelBehaviours {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    issues.push({ code: "invalid_type", path: [...path], message: `got ${JSON.stringify(value)}; behaviours is an object such as { shmemNumabFix: true }. Fix: pass such an object or leave it out.` });
    return {};
  }
  const known = Object.keys(BEHAVIOUR_STATUS);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!known.includes(key)) {
      issues.push({ code: "unrecognized_key", path: [...path, key], message: `got "${key}"; the known behaviours are ${known.join(", ")}. Fix: use one of them or fix its spelling.` });
      continue;
    }
    const choices = CHOICES[key];
    const ok = choices ? typeof v === "string" && choices.includes(v) : typeof v === "boolean";
    if (!ok) {
      const want = choices ? `one of ${choices.map((c) => JSON.stringify(c)).join(", ")}` : "true or false";
      issues.push({ code: "invalid_value", path: [...path, key], message: `got ${JSON.stringify(v)}; ${key} takes ${want}. Fix: write ${key}: ${choices ? JSON.stringify(choices[0]) : "true"}.` });
      continue;
    }
    out[key] = v;
  }
  return out as KernelBehaviours;
}
