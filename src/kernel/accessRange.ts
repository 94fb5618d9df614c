/**
 * Declaring how a task uses a range of its memory on the machine layer (`p.access(...)`): the
 * kernel learns nothing from loads and stores (DESIGN.md decision 2), so a notebook that wants
 * NUMA balancing or reclaim to act says how often each range is touched. The rates are
 * absolute: the task's rate in the access model is held at 1 access/s and each page's share is
 * its own rate, so several calls for several ranges add up without rescaling one another.
 */
import { UsageError } from "../core/errors.js";
import { PAGE_SIZE, parseSize, type Size } from "../core/units.js";
import type { Process } from "./process.js";

/** Options of `Process.access()`. */
export interface AccessRangeOptions {
  /** Accesses per second to the whole range (spread evenly over its pages); 0 stops them. */
  readonly rate: number;
  /** A sequential sweep (hinting faults come at the next pass) rather than random (default). */
  readonly sequential?: boolean;
  /** Fraction of the accesses that are stores, 0..1 (default 0.3). */
  readonly writeShare?: number;
}

/**
 * Sets the access rate of every present page of [addr, addr + size) for task `p`; returns
 * the pages set.
 *
 * @example
 * setAccessRange(p, a, "64MiB", { rate: 1e7 }) // 16384
 */
export function setAccessRange(p: Process, addr: number, size: Size, opts: AccessRangeOptions): number {
  const what = "access(addr, size, { rate })";
  if (typeof opts !== "object" || opts === null) throw new UsageError({ what, value: opts, rule: "takes an options object", fix: "write p.access(a, \"64MiB\", { rate: 1e7 })" });
  if (!(Number.isFinite(opts.rate) && opts.rate >= 0)) throw new UsageError({ what: `${what}.rate`, value: opts.rate, rule: "a rate is a finite number of accesses per second, >= 0", fix: "write e.g. rate: 1e7" });
  const writeShare = opts.writeShare ?? 0.3;
  if (!(writeShare >= 0 && writeShare <= 1)) throw new UsageError({ what: `${what}.writeShare`, value: writeShare, rule: "a share is between 0 and 1", fix: "write e.g. writeShare: 0.3" });
  if (addr % PAGE_SIZE !== 0) throw new UsageError({ what: `${what}.addr`, value: addr, rule: "the address must be page aligned", fix: "pass an address mmap returned" });
  const pages = Math.ceil(parseSize(size, `${what}.size`) / PAGE_SIZE);
  const s = addr / PAGE_SIZE;
  const frames: number[] = [];
  for (const v of p.mm.overlapping(s, s + pages)) {
    for (let vpn = Math.max(s, v.start); vpn < Math.min(s + pages, v.end); vpn++) frames.push(p.frameAt(v, vpn));
  }
  const present = frames.filter((f) => f > 0);
  if (pages > 0 && present.length === 0) {
    throw new UsageError({ what, value: `0x${addr.toString(16)}`, rule: "no page of the range is present, so there is nothing to access", fix: "touch the range first (p.touch)" });
  }
  const k = p.kernel;
  k.access.setMany(present, new Float64Array(present.length).fill(opts.rate / pages), { pid: p.pid, sequential: opts.sequential ?? false, writeShare });
  k.access.setTaskRate(p.pid, 1);
  return present.length;
}
