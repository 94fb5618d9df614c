/**
 * Which memory-policy ABI a kernel version offers (kernel-model.md §1.1, §2.1, §8 item 1).
 * A mode or flag newer than the kernel is simply unknown to it: the bits stay in the mode
 * number and the mode >= MPOL_MAX check rejects them with EINVAL.
 */
import { UsageError } from "../core/errors.js";

/** The mempolicy features of one kernel. */
export interface MempolicyFeatures {
  /** The kernel's MPOL_MAX: 4 before v3.8, 5 before v5.15, 6 before v6.9, then 7. */
  readonly mpolMax: number;
  /** MPOL_F_NUMA_BALANCING is a known flag (v5.12+). */
  readonly numaBalancingFlag: boolean;
  /** MPOL_F_NUMA_BALANCING is also accepted with MPOL_PREFERRED_MANY (v6.10+, inferred). */
  readonly numaBalancingPreferredMany: boolean;
  /** /sys/kernel/mm/mempolicy/weighted_interleave/auto exists (v6.16+, inferred). */
  readonly weightedInterleaveAuto: boolean;
}

/** The baseline kernel's features (kernel-model.md §0: mainline v6.16-v7.0). */
export const LATEST_MEMPOLICY_FEATURES: MempolicyFeatures = Object.freeze({
  mpolMax: 7,
  numaBalancingFlag: true,
  numaBalancingPreferredMany: true,
  weightedInterleaveAuto: true,
});

/**
 * Parses "v6.16", "6.16" or "6.16.3" into [major, minor].
 *
 * @example
 * parseKernelVersion("v6.10"); // [6, 10]
 */
export function parseKernelVersion(version: string): readonly [number, number] {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:-[\w.+-]*)?$/.exec(version.trim());
  if (!m) {
    throw new UsageError({
      what: "kernel version",
      value: version,
      rule: "must look like v<major>.<minor>",
      fix: 'write e.g. "v6.16"',
    });
  }
  return [Number(m[1]), Number(m[2])];
}

/**
 * The mempolicy features of a kernel version; undefined means the baseline kernel.
 *
 * @example
 * mempolicyFeatures("v6.9").numaBalancingPreferredMany; // false
 * mempolicyFeatures("v6.9").mpolMax;                    // 7
 */
export function mempolicyFeatures(version?: string): MempolicyFeatures {
  if (version === undefined) return LATEST_MEMPOLICY_FEATURES;
  const [major, minor] = parseKernelVersion(version);
  const atLeast = (a: number, b: number): boolean => major > a || (major === a && minor >= b);
  return {
    mpolMax: atLeast(6, 9) ? 7 : atLeast(5, 15) ? 6 : atLeast(3, 8) ? 5 : 4,
    numaBalancingFlag: atLeast(5, 12),
    numaBalancingPreferredMany: atLeast(6, 10),
    weightedInterleaveAuto: atLeast(6, 16),
  };
}
