/**
 * Units at the edge, canonical numbers inside (the damo habit): sizes are bytes, bandwidth is
 * GB/s (10^9 bytes per second), latency and simulated time are nanoseconds. Every parser accepts
 * a plain number (already canonical) or a string with a unit, and throws a UsageError naming the
 * value and the accepted units otherwise.
 */
import { UsageError } from "./errors.js";

/** A size: bytes as a number, or a string such as `"64GiB"`, `"4KiB"`, `"3GB"`. */
export type Size = number | string;
/** A bandwidth: GB/s as a number, or a string such as `"250GB/s"`, `"36 GB/s"`, `"200000MB/s"`. */
export type Bandwidth = number | string;
/** A duration: nanoseconds as a number, or a string such as `"110ns"`, `"10ms"`, `"30s"`, `"10min"`. */
export type Duration = number | string;

/** 4 KiB: the base page size tiersim models (x86-64). */
export const PAGE_SIZE = 4096;
/** log2(PAGE_SIZE). */
export const PAGE_SHIFT = 12;
/** 2 MiB: the PMD-sized THP folio, 512 base pages. */
export const HPAGE_PMD_SIZE = 2 * 1024 * 1024;

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

const BANDWIDTH_UNITS: Record<string, number> = {
  "b/s": 1e-9,
  "kb/s": 1e-6,
  "mb/s": 1e-3,
  "gb/s": 1,
  "tb/s": 1e3,
  "kib/s": 1024 / 1e9,
  "mib/s": 1024 ** 2 / 1e9,
  "gib/s": 1024 ** 3 / 1e9,
  mbps: 1e-3,
  gbps: 1,
};

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  sec: 1e9,
  min: 60e9,
  h: 3600e9,
};

const QUANTITY = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-zµ/]*)\s*$/i;

function parseWithUnits(
  value: number | string,
  units: Record<string, number>,
  what: string,
  example: string,
  unitName: string,
): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new UsageError({ what, value, rule: `must be a finite number of ${unitName}`, fix: `write e.g. ${example}` });
    }
    return value;
  }
  if (typeof value !== "string") {
    throw new UsageError({ what, value, rule: `must be a number of ${unitName} or a string with a unit`, fix: `write e.g. ${example}` });
  }
  const m = QUANTITY.exec(value);
  const scale = m ? units[m[2]!.toLowerCase()] : undefined;
  if (!m || scale === undefined) {
    const accepted = Object.keys(units).join(", ");
    throw new UsageError({ what, value, rule: `is not a quantity with a known unit (${accepted})`, fix: `write e.g. ${example}` });
  }
  return Number(m[1]) * scale;
}

/**
 * Parses a size to bytes. Binary units (KiB, MiB, GiB, TiB, and the numactl-style K/M/G/T) are
 * powers of 1024; decimal units (KB, MB, GB, TB) are powers of 1000.
 *
 * @example
 * parseSize("64GiB") // 68719476736
 * parseSize("3GB")   // 3000000000
 */
export function parseSize(value: Size, what = "size"): number {
  const bytes = parseWithUnits(value, SIZE_UNITS, what, '"64GiB" or "4KiB"', "bytes");
  if (bytes < 0) throw new UsageError({ what, value, rule: "a size cannot be negative", fix: 'write a size such as "64GiB"' });
  return Math.round(bytes);
}

/**
 * Parses a size and rounds it up to whole 4 KiB pages, as mmap and mbind round lengths.
 *
 * @example
 * sizeToPages("64MiB") // 16384
 */
export function sizeToPages(value: Size, what = "size"): number {
  return Math.ceil(parseSize(value, what) / PAGE_SIZE);
}

/**
 * Parses a bandwidth to GB/s (10^9 bytes per second, the unit of the STREAM and MLC tables).
 *
 * @example
 * parseBandwidth("250GB/s")     // 250
 * parseBandwidth("200000MB/s")  // 200
 */
export function parseBandwidth(value: Bandwidth, what = "bandwidth"): number {
  const gbps = parseWithUnits(value, BANDWIDTH_UNITS, what, '"250GB/s"', "GB/s");
  if (gbps < 0) throw new UsageError({ what, value, rule: "a bandwidth cannot be negative", fix: 'write a bandwidth such as "36GB/s"' });
  return gbps;
}

/**
 * Parses a duration or latency to nanoseconds.
 *
 * @example
 * parseDuration("110ns") // 110
 * parseDuration("10s")   // 10_000_000_000
 */
export function parseDuration(value: Duration, what = "duration"): number {
  const ns = parseWithUnits(value, DURATION_UNITS, what, '"110ns", "10ms" or "30s"', "nanoseconds");
  if (ns < 0) throw new UsageError({ what, value, rule: "a duration cannot be negative", fix: 'write a duration such as "10s"' });
  return ns;
}

function trimNumber(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/**
 * Prints bytes with the largest binary unit that keeps the number >= 1.
 *
 * @example
 * formatSize(68719476736) // "64GiB"
 */
export function formatSize(bytes: number, digits = 2): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${trimNumber(v, digits)}${units[i]}`;
}

/**
 * Prints a bandwidth given in GB/s.
 *
 * @example
 * formatBandwidth(208.5238) // "208.52GB/s"
 */
export function formatBandwidth(gbps: number, digits = 2): string {
  return `${trimNumber(gbps, digits)}GB/s`;
}

/**
 * Prints a duration given in nanoseconds with the largest unit that keeps the number >= 1.
 *
 * @example
 * formatDuration(1.5e9) // "1.5s"
 */
export function formatDuration(ns: number, digits = 3): string {
  const steps: [number, string][] = [
    [3600e9, "h"],
    [60e9, "min"],
    [1e9, "s"],
    [1e6, "ms"],
    [1e3, "us"],
  ];
  for (const [scale, unit] of steps) {
    if (Math.abs(ns) >= scale) return `${trimNumber(ns / scale, digits)}${unit}`;
  }
  return `${trimNumber(ns, digits)}ns`;
}
