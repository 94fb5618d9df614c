/**
 * Long-term pins (pin_user_pages with FOLL_LONGTERM, e.g. SEV guest memory, seed 004): a
 * per-frame pin count that makes folio_maybe_dma_pinned true, so the folio cannot migrate
 * (kernel-model.md §4.4, §4.8).
 */
import { SyscallError } from "../../core/errors.js";
import { PAGE_SIZE, parseSize } from "../../core/units.js";
import type { Size } from "../../core/units.js";
import type { Process } from "../process.js";
import { migrateLongtermUnpinnable } from "../private/longterm.js";

function pinRange(p: Process, addr: number, size: Size, what: string): { s: number; e: number } {
  if (addr % PAGE_SIZE !== 0) throw new SyscallError(what, "EINVAL", `address 0x${addr.toString(16)} is not page aligned`);
  const s = addr / PAGE_SIZE;
  const e = s + Math.ceil(parseSize(size, `${what} size`) / PAGE_SIZE);
  let at = s;
  for (const v of p.mm.overlapping(s, e)) {
    if (v.start > at) break;
    at = v.end;
  }
  if (at < e) throw new SyscallError(what, "EFAULT", `[0x${addr.toString(16)}, +${size}) is not fully mapped: pin_user_pages needs every page mapped`);
  return { s, e };
}

/**
 * Pins [addr, addr+size) long-term: faults the pages in (as GUP does, for write), migrates
 * folios on private nodes without NP_OPS_LONGTERM_PIN to normal memory first (or fails with
 * ENOMEM, private/longterm.ts, §6.1) and raises each frame's pin count. Returns the pages pinned.
 *
 * @example
 * pinPages(p, a, "2MiB") // 512
 */
export function pinPages(p: Process, addr: number, size: Size): number {
  const { s, e } = pinRange(p, addr, size, "pin_user_pages");
  p.touch(addr, (e - s) * PAGE_SIZE, { write: true });
  migrateLongtermUnpinnable(p, s, e);
  const pins = p.kernel.numab.columns().pins;
  let n = 0;
  for (const v of p.mm.overlapping(s, e)) {
    for (let x = Math.max(s, v.start); x < Math.min(e, v.end); x++) {
      const f = v.frame(x - v.start);
      if (f <= 0) continue;
      if (pins[f] === 0xffff) throw new SyscallError("pin_user_pages", "ENOMEM", `page at 0x${(x * PAGE_SIZE).toString(16)} already has 65535 pins`);
      pins[f]!++;
      n++;
    }
  }
  return n;
}

/**
 * Drops one pin from each page of [addr, addr+size) (unpin_user_pages).
 *
 * @example
 * unpinPages(p, a, "2MiB");
 */
export function unpinPages(p: Process, addr: number, size: Size): void {
  const { s, e } = pinRange(p, addr, size, "unpin_user_pages");
  const pins = p.kernel.numab.columns().pins;
  for (const v of p.mm.overlapping(s, e)) {
    for (let x = Math.max(s, v.start); x < Math.min(e, v.end); x++) {
      const f = v.frame(x - v.start);
      if (f > 0 && pins[f]! > 0) pins[f]!--;
    }
  }
}
