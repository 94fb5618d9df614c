/**
 * Swap space (swapon): a number of 4 KiB slots. Reclaim may swap anonymous pages out only while
 * a slot is free (kernel-model.md §5.3: without swap, anon pages are reclaimable only by
 * demotion). No swap is configured at boot, as on a machine without a swap device.
 */
import { UsageError } from "../../core/errors.js";
import { sizeToPages } from "../../core/units.js";
import type { Size } from "../../core/units.js";

/**
 * Swap slots in use and in total.
 *
 * @example
 * const swap = new SwapSpace();
 * swap.add("1GiB");
 * swap.free // 262144
 */
export class SwapSpace {
  /** Slots configured. */
  total = 0;
  /**
   * Slot references in use. A swap entry copied by fork counts once per copy (the kernel counts
   * the slot once, with a reference count in swap_map): SwapUsed may read high after fork.
   */
  used = 0;

  /** Free slots. */
  get free(): number {
    return Math.max(0, this.total - this.used);
  }

  /**
   * Adds swap space (swapon of a device of `size`).
   *
   * @example
   * swap.add("4GiB");
   */
  add(size: Size): void {
    const pages = sizeToPages(size, "swapon size");
    if (pages <= 0) throw new UsageError({ what: "swapon size", value: size, rule: "must be at least one page (4 KiB)", fix: 'pass e.g. "1GiB"' });
    this.total += pages;
  }

  /**
   * Takes one slot for a page being swapped out; false when swap is full.
   *
   * @example
   * swap.take() // true
   */
  take(): boolean {
    if (this.used >= this.total) return false;
    this.used++;
    return true;
  }

  /**
   * Frees `n` slot references (swap-in, munmap or exit of swapped pages).
   *
   * @example
   * swap.release(1);
   */
  release(n: number): void {
    this.used = Math.max(0, this.used - n);
  }

  /**
   * Adds `n` references to existing slots (fork copies swap entries).
   *
   * @example
   * swap.dup(3);
   */
  dup(n: number): void {
    this.used += n;
  }
}
