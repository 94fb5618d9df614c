/**
 * Decoding the `mode` argument of set_mempolicy/mbind: a mode with mode flags OR-ed in, given
 * by ABI number, by name, or as a name with a flag list (kernel-model.md §1.1, §2.1
 * sanitize_mpol_flags).
 */
import { SyscallError, UsageError } from "../core/errors.js";
import { mempolicyFeatures, type MempolicyFeatures } from "./features.js";
import { MPOL_MODE_FLAGS, MPOL_MODES, type ModeFlagName, type ModeName } from "./types.js";

/**
 * A mode as callers write it: the ABI number (flags may be OR-ed in), "MPOL_BIND", a short
 * name ("bind", "weighted-interleave", "preferred-many"), or a string of names joined by "|"
 * ("MPOL_BIND|MPOL_F_NUMA_BALANCING").
 */
export type ModeInput = number | string;

/** A mode flag as callers write it: its name, a short name ("static", "relative", "balancing"), or its bit. */
export type ModeFlagInput = ModeFlagName | string | number;

/** The outcome of sanitize_mpol_flags: the mode, its user-visible flags, and the internal MOF/MORON. */
export interface DecodedMode {
  readonly mode: ModeName;
  readonly flags: readonly ModeFlagName[];
  /** MPOL_F_NUMA_BALANCING was given: the policy migrates on fault (MPOL_F_MOF). */
  readonly mof: boolean;
  /** ... toward the accessing CPU's node (MPOL_F_MORON). */
  readonly moron: boolean;
}

/** Options of {@link decodeMode}. */
export interface DecodeModeOptions {
  /** The syscall named in errors; default "set_mempolicy". */
  readonly syscall?: string;
  /** Kernel version ("v6.9"); default the baseline kernel. */
  readonly kernelVersion?: string;
  /** Or the features directly (wins over kernelVersion). */
  readonly features?: MempolicyFeatures;
}

const SHORT_MODES: Record<string, ModeName> = {
  default: "MPOL_DEFAULT",
  preferred: "MPOL_PREFERRED",
  prefer: "MPOL_PREFERRED",
  bind: "MPOL_BIND",
  membind: "MPOL_BIND",
  interleave: "MPOL_INTERLEAVE",
  local: "MPOL_LOCAL",
  localalloc: "MPOL_LOCAL",
  "preferred-many": "MPOL_PREFERRED_MANY",
  "weighted-interleave": "MPOL_WEIGHTED_INTERLEAVE",
};

const SHORT_FLAGS: Record<string, ModeFlagName> = {
  static: "MPOL_F_STATIC_NODES",
  "static-nodes": "MPOL_F_STATIC_NODES",
  relative: "MPOL_F_RELATIVE_NODES",
  "relative-nodes": "MPOL_F_RELATIVE_NODES",
  balancing: "MPOL_F_NUMA_BALANCING",
  "numa-balancing": "MPOL_F_NUMA_BALANCING",
};

const MODE_BY_NUMBER = Object.fromEntries(Object.entries(MPOL_MODES).map(([k, v]) => [v, k])) as Record<number, ModeName>;
const ALL_FLAG_BITS = Object.values(MPOL_MODE_FLAGS).reduce((a, b) => a | b, 0);

/**
 * The ABI number of a mode argument: the mode with its flag bits OR-ed in. Names that are not
 * modes or flags throw a UsageError (a C program cannot pass a misspelt name).
 *
 * @example
 * modeNumber("MPOL_BIND|MPOL_F_NUMA_BALANCING");      // 0x2002
 * modeNumber("bind", ["static"]);                      // 0x8002
 * modeNumber(3);                                       // 3
 */
export function modeNumber(mode: ModeInput, flags: readonly ModeFlagInput[] = []): number {
  let value: number;
  if (typeof mode === "number") {
    if (!Number.isInteger(mode)) {
      throw new UsageError({ what: "mode", value: mode, rule: "a mode number is an int", fix: "pass e.g. 2 for MPOL_BIND" });
    }
    value = mode | 0;
  } else {
    const parts = mode.split("|").map((p) => p.trim()).filter((p) => p !== "");
    if (parts.length === 0) {
      throw new UsageError({ what: "mode", value: mode, rule: "names no mode", fix: 'write e.g. "MPOL_BIND"' });
    }
    value = 0;
    let sawMode = false;
    for (const part of parts) {
      const modeName = lookupMode(part);
      if (modeName !== undefined) {
        if (sawMode) {
          throw new UsageError({ what: "mode", value: mode, rule: "names two modes", fix: "name one mode plus flags" });
        }
        sawMode = true;
        value |= MPOL_MODES[modeName];
      } else {
        value |= flagBit(part, mode);
      }
    }
  }
  for (const f of flags) value |= typeof f === "number" ? f : flagBit(f, f);
  return value;
}

function lookupMode(name: string): ModeName | undefined {
  if (name in MPOL_MODES) return name as ModeName;
  const short = name.toLowerCase().replace(/_/g, "-");
  return SHORT_MODES[short] ?? SHORT_MODES[short.replace(/^mpol-/, "")];
}

function flagBit(name: string, whole: string): number {
  if (name in MPOL_MODE_FLAGS) return MPOL_MODE_FLAGS[name as ModeFlagName];
  const short = name.toLowerCase().replace(/_/g, "-").replace(/^mpol-f-/, "");
  const flag = SHORT_FLAGS[short];
  if (flag === undefined) {
    throw new UsageError({
      what: "mode",
      value: whole,
      rule: `"${name}" is neither a mode (${Object.keys(MPOL_MODES).join(", ")}) nor a mode flag (${Object.keys(MPOL_MODE_FLAGS).join(", ")})`,
      fix: 'write e.g. "MPOL_BIND" or "MPOL_INTERLEAVE|MPOL_F_STATIC_NODES"',
    });
  }
  return MPOL_MODE_FLAGS[flag];
}

/**
 * sanitize_mpol_flags (§2.1): split flags from the mode and reject what the kernel rejects:
 * mode >= MPOL_MAX, STATIC with RELATIVE, NUMA_BALANCING with a mode other than BIND (or
 * PREFERRED_MANY from v6.10). Each rejection is a SyscallError EINVAL naming the rule.
 *
 * @example
 * decodeMode("MPOL_BIND", ["MPOL_F_NUMA_BALANCING"]);           // { mode: "MPOL_BIND", flags: [...], mof: true, moron: true }
 * decodeMode(7);                                                // throws EINVAL (mode >= MPOL_MAX)
 * decodeMode("MPOL_PREFERRED_MANY|MPOL_F_NUMA_BALANCING", [], { kernelVersion: "v6.9" }); // throws EINVAL
 */
export function decodeMode(mode: ModeInput, flags: readonly ModeFlagInput[] = [], options: DecodeModeOptions = {}): DecodedMode {
  const syscall = options.syscall ?? "set_mempolicy";
  const features = options.features ?? mempolicyFeatures(options.kernelVersion);
  const raw = modeNumber(mode, flags);
  // Flags a kernel does not know are not masked off: they stay in the mode number.
  const known = features.numaBalancingFlag ? ALL_FLAG_BITS : ALL_FLAG_BITS & ~MPOL_MODE_FLAGS.MPOL_F_NUMA_BALANCING;
  const flagBits = raw & known;
  const modeBits = (raw & ~flagBits) >>> 0; // the kernel compares (unsigned int)mode
  if (modeBits >= features.mpolMax) {
    const name = MODE_BY_NUMBER[modeBits];
    throw new SyscallError(
      syscall,
      "EINVAL",
      `mode ${modeBits}${name ? ` (${name})` : ""} after removing the mode flags is >= MPOL_MAX (${features.mpolMax} on this kernel)` +
        `${(raw & ~known & ALL_FLAG_BITS) !== 0 ? "; MPOL_F_NUMA_BALANCING is unknown before v5.12, so its bit counts as mode bits" : ""}` +
        ` (mm/mempolicy.c sanitize_mpol_flags, kernel-model.md §2.1)`,
    );
  }
  const modeName = MODE_BY_NUMBER[modeBits]!;
  const flagNames = (Object.keys(MPOL_MODE_FLAGS) as ModeFlagName[]).filter((f) => (flagBits & MPOL_MODE_FLAGS[f]) !== 0);
  if (flagNames.includes("MPOL_F_STATIC_NODES") && flagNames.includes("MPOL_F_RELATIVE_NODES")) {
    throw new SyscallError(
      syscall,
      "EINVAL",
      "MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are mutually exclusive (mm/mempolicy.c sanitize_mpol_flags, kernel-model.md §2.1)",
    );
  }
  const balancing = flagNames.includes("MPOL_F_NUMA_BALANCING");
  if (balancing) {
    const ok = modeName === "MPOL_BIND" || (modeName === "MPOL_PREFERRED_MANY" && features.numaBalancingPreferredMany);
    if (!ok) {
      const allowed = features.numaBalancingPreferredMany ? "MPOL_BIND or MPOL_PREFERRED_MANY" : "MPOL_BIND (PREFERRED_MANY only from v6.10)";
      throw new SyscallError(
        syscall,
        "EINVAL",
        `MPOL_F_NUMA_BALANCING is accepted only with ${allowed}, not ${modeName} (mm/mempolicy.c sanitize_mpol_flags, kernel-model.md §2.1)`,
      );
    }
  }
  return { mode: modeName, flags: flagNames, mof: balancing, moron: balancing };
}
