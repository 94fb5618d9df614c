/**
 * One checking path for two error styles: a builder turns the first problem into a UsageError
 * thrown at once, while `build()` and `workloadFromJSON` collect every problem as an Issue
 * with its path (zod's model) and throw them together.
 */
import { UsageError, type Issue } from "../core/errors.js";
import { MAX_COMPRESSION_RATIO } from "../topology/compression.js";

/**
 * A broken rule, before it is worded as an Issue or a UsageError.
 *
 * @example
 * const p: Problem = { path: ["threads"], code: "invalid_value", value: -1, rule: "must be positive", fix: "use 4" };
 */
export interface Problem {
  readonly path: readonly (string | number)[];
  readonly code: string;
  readonly value: unknown;
  readonly rule: string;
  readonly fix: string;
}

/**
 * Collects problems; `issues()` words them for ScenarioError.
 *
 * @example
 * const ck = new Checker(); ck.number(["threads"], -1, { min: 1 }, "must be positive", "use 4"); ck.issues()[0].path // ["threads"]
 */
export class Checker {
  readonly problems: Problem[] = [];

  /**
   * Records one broken rule at `path`.
   *
   * @example
   * ck.add(["regions", 0, "sizeBytes"], "invalid_value", 0, "a region needs a positive size", 'write "64MiB"')
   */
  add(path: readonly (string | number)[], code: string, value: unknown, rule: string, fix: string): void {
    this.problems.push({ path, code, value, rule, fix });
  }

  /**
   * Checks a finite number within bounds; returns whether it passed.
   *
   * @example
   * ck.number(["share"], 1.5, { min: 0, max: 1 }, "a share is in 0..1", "use 0.5") // false, one problem recorded
   */
  number(
    path: readonly (string | number)[],
    value: unknown,
    bounds: NumberBounds,
    rule: string,
    fix: string,
  ): value is number {
    if (!isInBounds(value, bounds)) {
      this.add(path, typeof value === "number" ? "invalid_value" : "invalid_type", value, rule, fix);
      return false;
    }
    return true;
  }

  /**
   * Checks a non-empty string; returns whether it passed.
   *
   * @example
   * ck.name(["name"], "", "a process name", 'write "db"') // false
   */
  name(path: readonly (string | number)[], value: unknown, what: string, fix: string): value is string {
    if (typeof value !== "string" || value.trim() === "") {
      this.add(path, "invalid_type", value, `${what} must be a non-empty string`, fix);
      return false;
    }
    return true;
  }

  /**
   * Checks that a value is a plain object; returns whether it passed.
   *
   * @example
   * ck.object([], null, "a workload", "pass an object") // false
   */
  object(path: readonly (string | number)[], value: unknown, what: string, fix: string): value is Record<string, unknown> {
    if (!isRecord(value)) {
      this.add(path, "invalid_type", value, `${what} must be an object`, fix);
      return false;
    }
    return true;
  }

  /**
   * Reports keys the format does not know, which are usually typos.
   *
   * @example
   * ck.knownKeys(["pattern"], { type: "zipf", exponant: 1 }, ["type", "exponent"]) // flags pattern.exponant
   */
  knownKeys(path: readonly (string | number)[], value: Record<string, unknown>, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.add([...path, key], "unrecognized_key", key, `is not a known key here (known: ${known.join(", ")})`, "remove it or fix its spelling");
      }
    }
  }

  /**
   * Every problem so far, worded as zod-style issues.
   *
   * @example
   * ck.issues() // [{ code, path, message: "got -1; ... Fix: ..." }]
   */
  issues(): Issue[] {
    return this.problems.map(toIssue);
  }
}

/**
 * Bounds of a numeric check; open ends exclude the limit.
 *
 * @example
 * const share: NumberBounds = { min: 0, max: 1 };
 */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
  readonly integer?: boolean;
}

/**
 * Whether `value` is a finite number within `bounds`.
 *
 * @example
 * isInBounds(0, { min: 0, minOpen: true }) // false
 */
export function isInBounds(value: unknown, bounds: NumberBounds): value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (bounds.integer && !Number.isInteger(value)) return false;
  if (bounds.min !== undefined && (bounds.minOpen ? value <= bounds.min : value < bounds.min)) return false;
  if (bounds.max !== undefined && (bounds.maxOpen ? value >= bounds.max : value > bounds.max)) return false;
  return true;
}

/**
 * Whether a value is a plain (non-array, non-null) object.
 *
 * @example
 * isRecord([]) // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Words a problem as a zod-style Issue.
 *
 * @example
 * toIssue({ path: ["threads"], code: "invalid_value", value: -1, rule: "must be positive", fix: "use 4" }).message // "got -1; must be positive. Fix: use 4."
 */
export function toIssue(p: Problem): Issue {
  return { code: p.code, path: p.path, message: `got ${describe(p.value)}; ${p.rule}. Fix: ${p.fix}.` };
}

/**
 * Checks a region's compression ratio (1..MAX_COMPRESSION_RATIO); returns whether it passed.
 *
 * @example
 * checkCompressRatio(ck, ["regions", 0, "compressRatio"], 100) // false, one problem recorded
 */
export function checkCompressRatio(ck: Checker, path: readonly (string | number)[], value: unknown): value is number {
  return ck.number(path, value, { min: 1, max: MAX_COMPRESSION_RATIO }, `a compression ratio is between 1 and ${MAX_COMPRESSION_RATIO} (logical bytes per compressed byte)`, "write e.g. compressRatio: 2");
}

/**
 * Throws the first problem as a UsageError naming `what` (a builder call).
 *
 * @example
 * throwFirst(ck, 'process("db").threads()') // throws UsageError if ck has a problem
 */
export function throwFirst(checker: Checker, what: string): void {
  const p = checker.problems[0];
  if (p) throw new UsageError({ what, value: p.value, rule: p.rule, fix: p.fix });
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return String(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}
