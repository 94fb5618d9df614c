/**
 * What a C program would see as a signal or a kill rather than an errno.
 */
import { TiersimError } from "../core/errors.js";

/**
 * A touch of an address with no mapping: the program would get SIGSEGV.
 *
 * @example
 * try { p.touch(0x1000, 4096) } catch (e) { e instanceof SegfaultError } // true
 */
export class SegfaultError extends TiersimError {
  readonly address: number;
  constructor(address: number, why: string) {
    super(`SIGSEGV at 0x${address.toString(16)}: ${why}`);
    this.address = address;
  }
}

/**
 * The OOM killer chose the allocating process (kernel-model.md §1.8 step 3): the call that
 * faulted never returns. `constrained` says whether it was a mempolicy-constrained OOM (BIND).
 *
 * @example
 * try { p.touch(a, "1TiB") } catch (e) { if (e instanceof OomKilledError) e.constrained }
 */
export class OomKilledError extends TiersimError {
  readonly pid: number;
  readonly constrained: boolean;
  constructor(pid: number, constrained: boolean, detail: string) {
    super(`Out of memory${constrained ? " (mempolicy constrained)" : ""}: killed process ${pid}; ${detail}`);
    this.pid = pid;
    this.constrained = constrained;
  }
}
