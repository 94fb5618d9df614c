/**
 * The table of pattern definitions and the functions the engine calls on a pattern spec.
 */
import { UsageError } from "../../core/errors.js";
import type { Random } from "../../core/random.js";
import { Checker, isRecord } from "../check.js";
import { coldHogPattern } from "./coldHog.js";
import { fileScanPattern } from "./fileScan.js";
import { gaussianPattern } from "./gaussian.js";
import { kvCachePattern } from "./kvCache.js";
import { mlcPattern } from "./mlc.js";
import { pointerChasePattern } from "./pointerChase.js";
import { streamPattern } from "./stream.js";
import type { PatternDefinition, PatternSpec, PatternType, PerfDefaults } from "./types.js";
import { uniformPattern } from "./uniform.js";
import { zipfPattern } from "./zipf.js";

type AnyDefinition = PatternDefinition<PatternSpec>;

const DEFINITIONS: Readonly<Record<PatternType, AnyDefinition>> = {
  stream: streamPattern as unknown as AnyDefinition,
  mlc: mlcPattern as unknown as AnyDefinition,
  pointerChase: pointerChasePattern as unknown as AnyDefinition,
  uniform: uniformPattern as unknown as AnyDefinition,
  gaussian: gaussianPattern as unknown as AnyDefinition,
  zipf: zipfPattern as unknown as AnyDefinition,
  kvCache: kvCachePattern as unknown as AnyDefinition,
  fileScan: fileScanPattern as unknown as AnyDefinition,
  coldHog: coldHogPattern as unknown as AnyDefinition,
};

/**
 * Every pattern type, in the order the docs list them.
 *
 * @example
 * PATTERN_TYPES.includes("zipf") // true
 */
export const PATTERN_TYPES: readonly PatternType[] = Object.keys(DEFINITIONS) as PatternType[];

type Loose<P> = P extends { readonly type: infer T } ? { readonly type: T } & Partial<Omit<P, "type">> : never;

/**
 * A pattern as a user may write it: a bare type name, or an object whose omitted parameters
 * take their defaults.
 */
export type PatternInput = PatternType | Loose<PatternSpec>;

function definitionOf(type: unknown): AnyDefinition | undefined {
  return typeof type === "string" && Object.hasOwn(DEFINITIONS, type) ? DEFINITIONS[type as PatternType] : undefined;
}

/**
 * Checks a pattern given as a type name or an object and fills in its defaults. Problems go
 * to `checker` under `path`; the result is null when the type itself is unknown.
 *
 * @example
 * checkPattern({ type: "zipf" }, ["pattern"], new Checker()) // { type: "zipf", exponent: 0.99, scatter: true }
 */
export function checkPattern(input: unknown, path: readonly (string | number)[], checker: Checker): PatternSpec | null {
  const raw: unknown = typeof input === "string" ? { type: input } : input;
  if (!isRecord(raw)) {
    checker.add(path, "invalid_type", input, "a pattern is a type name or an object with a `type`", 'write "uniform" or { type: "zipf", exponent: 1.1 }');
    return null;
  }
  const def = definitionOf(raw.type);
  if (!def) {
    checker.add([...path, "type"], "unknown_pattern", raw.type, `a pattern type is one of ${PATTERN_TYPES.join(", ")}`, "pick one of those names");
    return null;
  }
  checker.knownKeys(path, raw, ["type", ...def.keys]);
  const pattern = def.normalize(raw);
  def.check(pattern, path, checker);
  return pattern;
}

/**
 * The relative access weight of every page of a region, summing to 1. Deterministic for the
 * given random stream; pass a stream forked per process and region so regions do not share
 * their hot pages.
 *
 * @example
 * pageWeights({ type: "zipf", exponent: 1, scatter: true }, 4, new Random(1).fork("db/heap")) // Float64Array(4), sums to 1
 */
export function pageWeights(pattern: PatternSpec, pages: number, random: Random): Float64Array {
  if (!Number.isSafeInteger(pages) || pages <= 0) {
    throw new UsageError({ what: "pageWeights pages", value: pages, rule: "must be a positive integer number of pages", fix: "pass sizeToPages(region.sizeBytes)" });
  }
  const def = definitionOf(pattern.type);
  if (!def) {
    throw new UsageError({ what: "pageWeights pattern.type", value: pattern.type, rule: `must be one of ${PATTERN_TYPES.join(", ")}`, fix: "validate the workload first" });
  }
  return def.weights(pattern, pages, random);
}

/**
 * Whether a pattern sweeps its region in address order (hinting faults then come at the next
 * pass) rather than at random (exponential waits).
 *
 * @example
 * isSequential({ type: "stream", kernel: "triad", array: "a" }) // true
 */
export function isSequential(pattern: PatternSpec): boolean {
  return definitionOf(pattern.type)?.sequential(pattern) ?? false;
}

/**
 * The read share a pattern implies when an access does not give one.
 *
 * @example
 * defaultReadShare({ type: "mlc", mix: "3:1" }) // 0.75
 */
export function defaultReadShare(pattern: PatternSpec): number {
  return definitionOf(pattern.type)?.readShare(pattern) ?? 1;
}

/**
 * The per-thread performance parameters a pattern suggests, or null when it has no opinion.
 *
 * @example
 * patternPerf({ type: "pointerChase" }) // { mlp: 1, computeNs: 0 }
 */
export function patternPerf(pattern: PatternSpec): PerfDefaults | null {
  return definitionOf(pattern.type)?.perf ?? null;
}
