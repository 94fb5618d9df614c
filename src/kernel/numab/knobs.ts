/**
 * NUMA-balancing knobs (kernel-model.md §4.1): the debugfs files under
 * /sys/kernel/debug/sched/numa_balancing/ and the mode bits of kernel.numa_balancing.
 */
import { SyscallError } from "../../core/errors.js";
import type { Sysfs } from "../sysfs.js";

/** kernel.numa_balancing bit: NUMA_BALANCING_NORMAL (§4.1). */
export const NUMAB_NORMAL = 1;
/** kernel.numa_balancing bit: NUMA_BALANCING_MEMORY_TIERING (§4.1). */
export const NUMAB_TIERING = 2;
/** The debugfs directory of the knobs. */
export const NUMAB_DEBUGFS = "/sys/kernel/debug/sched/numa_balancing";

/** The debugfs knobs, in ms or MB as their file names say. */
export interface NumabKnobValues {
  scan_delay_ms: number;
  scan_period_min_ms: number;
  scan_period_max_ms: number;
  scan_size_mb: number;
  hot_threshold_ms: number;
}

/**
 * The defaults of §4.1.
 *
 * @example
 * NUMAB_DEFAULTS.scan_size_mb // 256
 */
export const NUMAB_DEFAULTS: Readonly<NumabKnobValues> = Object.freeze({
  scan_delay_ms: 1000,
  scan_period_min_ms: 1000,
  scan_period_max_ms: 60000,
  scan_size_mb: 256,
  hot_threshold_ms: 1000,
});

/**
 * scan_size_mb in 4 KiB pages (MB -> pages: x256).
 *
 * @example
 * scanPagesOf(NUMAB_DEFAULTS) // 65536
 */
export function scanPagesOf(values: Readonly<NumabKnobValues>): number {
  return values.scan_size_mb * 256;
}

/**
 * The live knob values, registered as debugfs files. Writes are validated like a debugfs u32
 * (an unsigned 32-bit integer, else EINVAL); scan_size_mb must also be at least 1 because
 * every scan window is derived by dividing by it (the kernel would divide by zero).
 *
 * @example
 * const knobs = new NumabKnobs(k.sysfs);
 * k.sysfs.write("/sys/kernel/debug/sched/numa_balancing/scan_size_mb", 128);
 * knobs.values.scan_size_mb // 128
 */
export class NumabKnobs {
  readonly values: NumabKnobValues = { ...NUMAB_DEFAULTS };

  constructor(sysfs: Sysfs) {
    for (const name of Object.keys(NUMAB_DEFAULTS) as (keyof NumabKnobValues)[]) {
      const path = `${NUMAB_DEBUGFS}/${name}`;
      sysfs.register(path, {
        read: () => String(this.values[name]),
        write: (text) => {
          const v = Number(text.trim());
          const min = name === "scan_size_mb" ? 1 : 0;
          if (text.trim() === "" || !Number.isInteger(v) || v < min || v > 2 ** 32 - 1) {
            throw new SyscallError("write", "EINVAL", `${path} takes an unsigned integer ${min}..4294967295 (a debugfs u32${min ? "; 0 would divide the scan window by zero" : ""}), got ${JSON.stringify(text)}`);
          }
          this.values[name] = v;
        },
      });
    }
  }

  /** scan_size_mb in 4 KiB pages (§4.2 step 5: 65536 at the default 256 MB). */
  get scanPages(): number {
    return scanPagesOf(this.values);
  }
}
