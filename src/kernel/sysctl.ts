/**
 * sysctl knobs (/proc/sys) the simulated kernel reads, with the kernel's ranges
 * (kernel-model.md §4.1, §1.8, §1.9).
 */
import { SyscallError } from "../core/errors.js";

interface Knob {
  value: number;
  readonly min: number;
  readonly max: number;
  readonly why: string;
}

/**
 * The sysctl table: `write("kernel.numa_balancing", 2)`, `read(...)`.
 *
 * @example
 * k.sysctl.write("kernel.numa_balancing", 2);
 * k.sysctl.read("kernel.numa_balancing"); // 2
 */
export class Sysctl {
  readonly #knobs: Map<string, Knob>;
  /** Callbacks run after a successful write (the kernel reacts to some knobs). */
  readonly #watchers: Map<string, ((v: number) => void)[]> = new Map();

  constructor(defaults: { numaBalancing: number; minFreeKbytes: number; watermarkScaleFactor: number }) {
    this.#knobs = new Map<string, Knob>([
      ["kernel.numa_balancing", { value: defaults.numaBalancing, min: 0, max: 4, why: "0 off, 1 NORMAL, 2 MEMORY_TIERING, 3 both (§4.1)" }],
      ["kernel.numa_balancing_promote_rate_limit_MBps", { value: 65536, min: 0, max: 2 ** 31 - 1, why: "tiering promotion rate limit (§4.1)" }],
      ["vm.zone_reclaim_mode", { value: 0, min: 0, max: 7, why: "node_reclaim bits (§1.8)" }],
      ["vm.min_free_kbytes", { value: defaults.minFreeKbytes, min: 0, max: 2 ** 31 - 1, why: "watermark base (§1.9)" }],
      ["vm.watermark_scale_factor", { value: defaults.watermarkScaleFactor, min: 1, max: 3000, why: "watermark gap in 1/10000 (§1.9)" }],
    ]);
  }

  /**
   * Every knob name, sorted.
   *
   * @example
   * k.sysctl.names() // ["kernel.numa_balancing", ...]
   */
  names(): string[] {
    return [...this.#knobs.keys()].sort();
  }

  #knob(name: string): Knob {
    const key = name.replace(/^\/proc\/sys\//, "").replaceAll("/", ".");
    const k = this.#knobs.get(key);
    if (!k) throw new SyscallError("open", "ENOENT", `no sysctl ${JSON.stringify(name)}; known: ${this.names().join(", ")}`);
    return k;
  }

  /**
   * Reads a knob (name with dots, or its /proc/sys path).
   *
   * @example
   * k.sysctl.read("vm.zone_reclaim_mode") // 0
   */
  read(name: string): number {
    return this.#knob(name).value;
  }

  /**
   * Writes a knob; a value outside the kernel's range is EINVAL (proc_dointvec_minmax).
   *
   * @example
   * k.sysctl.write("kernel.numa_balancing", 3);
   */
  write(name: string, value: number | string): void {
    const k = this.#knob(name);
    const v = typeof value === "number" ? value : Number(String(value).trim());
    if (!Number.isInteger(v) || v < k.min || v > k.max) {
      throw new SyscallError("write", "EINVAL", `${name} accepts integers ${k.min}..${k.max} (${k.why}), got ${JSON.stringify(value)}`);
    }
    k.value = v;
    for (const w of this.#watchers.get(name) ?? []) w(v);
  }

  /**
   * Registers a callback for writes to a knob (used by kernel subsystems).
   *
   * @example
   * k.sysctl.watch("kernel.numa_balancing", (v) => console.log(v));
   */
  watch(name: string, fn: (v: number) => void): void {
    this.#knob(name);
    this.#watchers.set(name, [...(this.#watchers.get(name) ?? []), fn]);
  }
}
