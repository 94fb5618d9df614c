/**
 * Kernel versions a booted kernel can behave as. Where behaviour changed across versions
 * (kernel-model.md §0, §1.1 "Since", §2.1), the rule checks the version.
 */
import { UsageError } from "../core/errors.js";

/** A kernel version string such as "v6.16". */
export type KernelVersion = `v${number}.${number}`;

/** The default kernel: v6.16 (weighted-interleave auto mode, kernel-model.md §1.6). */
export const DEFAULT_KERNEL: KernelVersion = "v6.16";

/**
 * Parses "v6.16" into a comparable number (6016).
 *
 * @example
 * versionNumber("v6.9") // 6009
 */
export function versionNumber(v: string): number {
  const m = /^v?(\d+)\.(\d+)$/.exec(v);
  if (!m) {
    throw new UsageError({ what: "boot({ kernel })", value: v, rule: "must be a kernel version like v6.16", fix: 'write kernel: "v6.16"' });
  }
  return Number(m[1]) * 1000 + Number(m[2]);
}

/**
 * True when `v` is at least `since`.
 *
 * @example
 * atLeast("v6.16", "v6.10") // true
 */
export function atLeast(v: string, since: string): boolean {
  return versionNumber(v) >= versionNumber(since);
}
