/**
 * MLC-like bandwidth traffic (Intel Memory Latency Checker's bandwidth matrix): each thread
 * sweeps its buffer with a fixed read:write mix. Parameters: `mix` (default "reads"): "reads"
 * (read share 1), "3:1" (0.75), "2:1" (2/3), "1:1" (0.5). Uniform weights, sequential.
 * Suggested perf: 10 misses in flight, no compute: MLC's traffic threads do nothing else.
 */
import type { Checker } from "../check.js";
import type { MlcMix, MlcPattern, PatternDefinition } from "./types.js";
import { uniformWeights } from "./weights.js";

const READ_SHARES: Readonly<Record<MlcMix, number>> = { reads: 1, "3:1": 3 / 4, "2:1": 2 / 3, "1:1": 1 / 2 };

/**
 * The mixes MLC's bandwidth matrix offers.
 *
 * @example
 * MLC_MIXES.map((mix) => defaultReadShare({ type: "mlc", mix })) // [1, 0.75, 0.667, 0.5]
 */
export const MLC_MIXES: readonly MlcMix[] = ["reads", "3:1", "2:1", "1:1"];

/**
 * The MLC-like bandwidth pattern.
 *
 * @example
 * mlcPattern.readShare({ type: "mlc", mix: "1:1" }) // 0.5
 */
export const mlcPattern: PatternDefinition<MlcPattern> = {
  type: "mlc",
  keys: ["mix"],
  normalize(input): MlcPattern {
    return { type: "mlc", mix: (input.mix ?? "reads") as MlcMix };
  },
  check(p, path, checker: Checker): void {
    if (!MLC_MIXES.includes(p.mix)) {
      checker.add([...path, "mix"], "invalid_value", p.mix, 'an MLC mix is "reads", "3:1", "2:1" or "1:1"', 'write mix: "3:1"');
    }
  },
  readShare(p): number {
    return READ_SHARES[p.mix] ?? 1;
  },
  sequential(): boolean {
    return true;
  },
  perf: { mlp: 10, computeNs: 0 },
  weights(_p, pages): Float64Array {
    return uniformWeights(pages);
  },
};
