/**
 * The compressed-RAM settings of a private node (CRAM, RFC v4 patch 23/27 "mm/cram: add
 * compressed ram memory management subsystem", kernel-model.md §6.1): the default compression
 * ratio of the data, the device media size and the point where backpressure starts.
 *
 * The node's `capacity` is the address space the driver onlined (the struct pages the buddy
 * allocator manages, the nominal size); the media behind it holds each stored folio at 1/ratio
 * of a page, so how many pages fit depends on the data. A 64 MiB device holds 64 MiB / (4 KiB
 * / 2) = 32768 pages of 2:1 data and 49152 pages of 3:1 data, provided the onlined address
 * space has that many pages.
 *
 * Rules (tiersim's, from §6.1 "they are mapped read-only; a write fault promotes the folio"):
 * compression requires PROTECT_WRITE (a compressed page cannot take stores in place). It does
 * not require DEMOTION: a driver may register the node before opting in, it then receives
 * nothing (demotion into a private node only with DEMOTION).
 */
import { parseSize } from "../core/units.js";
import type { CompressionSpec, PrivateNodeOp } from "./types.js";

/**
 * Defaults of the compression settings (illustrative, not calibrated: ~2:1 is the figure
 * usually quoted for general-purpose memory compressors such as zswap with lzo/zstd).
 *
 * @example
 * COMPRESSION_DEFAULTS.ratio // 2
 */
export const COMPRESSION_DEFAULTS: { readonly ratio: number; readonly boostAt: number } = Object.freeze({ ratio: 2, boostAt: 0.9 });

/** The largest compression ratio accepted (a page compressed below 64 bytes is not credible). */
export const MAX_COMPRESSION_RATIO = 64;

/** One problem in a compression object, relative to it. */
export interface CompressionProblem {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly rule: string;
  readonly fix: string;
}

const KEYS = ["ratio", "boostAt", "deviceCapacityBytes", "deviceCapacity"];

/**
 * Checks and normalises `compression` of a private node given its NP_OPS. Accepts
 * `deviceCapacityBytes` (bytes or a size string) or its builder spelling `deviceCapacity`.
 *
 * @example
 * checkCompression({ ratio: 3, deviceCapacity: "64MiB" }, ["PROTECT_WRITE"]).spec
 * // { ratio: 3, boostAt: 0.9, deviceCapacityBytes: 67108864 }
 */
export function checkCompression(value: unknown, ops: readonly PrivateNodeOp[]): { spec: CompressionSpec | null; problems: CompressionProblem[] } {
  const problems: CompressionProblem[] = [];
  const add = (code: string, path: (string | number)[], v: unknown, rule: string, fix: string): void => {
    problems.push({ code, path, value: v, rule, fix });
  };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    add("invalid_type", [], value, `compression ${JSON.stringify(value)} is not an object`, 'write e.g. compression: { ratio: 2, boostAt: 0.9, deviceCapacity: "16GiB" }');
    return { spec: null, problems };
  }
  const v = value as Record<string, unknown>;
  const ratio = v.ratio ?? COMPRESSION_DEFAULTS.ratio;
  if (typeof ratio !== "number" || !Number.isFinite(ratio) || ratio < 1 || ratio > MAX_COMPRESSION_RATIO) {
    add("invalid_value", ["ratio"], v.ratio, `ratio ${JSON.stringify(v.ratio)} is not a compression ratio between 1 and ${MAX_COMPRESSION_RATIO} (logical bytes per byte of media)`, "write e.g. ratio: 2 for 2:1");
  }
  const boostAt = v.boostAt ?? COMPRESSION_DEFAULTS.boostAt;
  if (typeof boostAt !== "number" || !Number.isFinite(boostAt) || boostAt <= 0 || boostAt > 1) {
    add("invalid_value", ["boostAt"], v.boostAt, `boostAt ${JSON.stringify(v.boostAt)} is not a fraction of the device in (0, 1] (where backpressure starts)`, "write e.g. boostAt: 0.9");
  }
  let device: number | undefined;
  const key = v.deviceCapacityBytes !== undefined ? "deviceCapacityBytes" : "deviceCapacity";
  if (v.deviceCapacityBytes !== undefined && v.deviceCapacity !== undefined) {
    add("duplicate_key", ["deviceCapacity"], v.deviceCapacity, "deviceCapacity and deviceCapacityBytes say the same thing", "keep one of them");
  }
  const rawDevice = v[key];
  if (rawDevice !== undefined && rawDevice !== null) {
    try {
      device = parseSize(rawDevice as number | string, "deviceCapacity");
    } catch {
      device = NaN;
    }
    if (!Number.isInteger(device) || device < 4096) {
      add("invalid_value", [key], rawDevice, `device capacity ${JSON.stringify(rawDevice)} is not a whole number of bytes of at least one page`, 'write e.g. deviceCapacity: "16GiB"');
    }
  }
  for (const k of Object.keys(v)) {
    if (!KEYS.includes(k)) add("unrecognized_keys", [k], v[k], `"${k}" is not a compression setting (${KEYS.slice(0, 3).join(", ")})`, "remove it or correct its spelling");
  }
  if (!ops.includes("PROTECT_WRITE")) {
    add("compression_requires", [], value, "compressed RAM requires PROTECT_WRITE (its folios are mapped read-only and a write fault promotes them, kernel-model.md §6.1)", "add PROTECT_WRITE to ops");
  }
  if (problems.length > 0) return { spec: null, problems };
  const spec: CompressionSpec = { ratio: ratio as number, boostAt: boostAt as number };
  return { spec: device === undefined ? spec : { ...spec, deviceCapacityBytes: device }, problems };
}

/**
 * The device media of a compressed node, bytes: deviceCapacityBytes, else capacity / ratio
 * rounded down to whole pages.
 *
 * @example
 * deviceBytes({ ratio: 2, boostAt: 0.9 }, 2 ** 30) // 536870912
 */
export function deviceBytes(c: CompressionSpec, capacityBytes: number): number {
  return c.deviceCapacityBytes ?? Math.floor(capacityBytes / c.ratio / 4096) * 4096;
}
