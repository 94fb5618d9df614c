/**
 * The weighted-interleave weight table behind
 * /sys/kernel/mm/mempolicy/weighted_interleave/{nodeN,auto} (kernel-model.md §1.6).
 */
import { SyscallError } from "../core/errors.js";
import type { KernelTopology } from "../topology/types.js";
import { atLeast } from "./version.js";

/**
 * Weighted-interleave state: auto mode and the per-node table.
 *
 * @example
 * const w = new InterleaveWeights(topo, "v6.16");
 * w.write(0, "3"); w.weight(0); // 3, and auto is now false
 */
export class InterleaveWeights {
  #topo: KernelTopology;
  readonly #hasAuto: boolean;
  /** Auto mode (v6.16+): weights follow bandwidth. */
  auto: boolean;
  readonly #table: Map<number, number> = new Map();

  constructor(topo: KernelTopology, version: string) {
    this.#topo = topo;
    this.#hasAuto = atLeast(version, "v6.16");
    this.auto = this.#hasAuto;
    if (this.auto) this.#recompute();
  }

  /**
   * Memory hotplug: a new node reports its bandwidth; in auto mode all weights are recomputed
   * (§1.6: every update recomputes and overwrites).
   *
   * @example
   * weights.retopo(newTopo);
   */
  retopo(topo: KernelTopology): void {
    this.#topo = topo;
    if (this.auto) this.#recompute();
  }

  /** bw[n] = min(read, write) GB/s when firmware reports it (HMAT/CDAT), else 0 (§1.6). */
  #bandwidth(node: number): number {
    const m = this.#topo.spec.nodes.find((x) => x.id === node)?.memory;
    if (!m || !m.hmat) return 0;
    return Math.min(m.readBandwidthGBps, m.writeBandwidthGBps);
  }

  /** Whether any node reported bandwidth (auto needs it, else ENODEV). */
  get hasBandwidth(): boolean {
    return this.#topo.memoryNodes.some((n) => this.#bandwidth(n) > 0);
  }

  #recompute(): void {
    // §1.6 auto weight derivation, weightiness 32, reduced by the gcd.
    const nodes = this.#topo.memoryNodes;
    const bw = nodes.map((n) => this.#bandwidth(n));
    const s = bw.reduce((a, b) => a + b, 0);
    if (s === 0) return;
    const w = bw.map((b) => (b > 0 && s < 32 * b ? Math.floor((32 * b) / s) : 1));
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    const g = w.reduce(gcd);
    nodes.forEach((n, i) => this.#table.set(n, w[i]! / g));
  }

  /**
   * The weight of a node used for new allocations (1 when no table entry).
   *
   * @example
   * weights.weight(2) // 1
   */
  weight(node: number): number {
    return this.#table.get(node) || 1;
  }

  /**
   * A write to nodeN: an integer 1..255, else EINVAL; switches to manual mode (§1.6).
   *
   * @example
   * weights.write(0, 5);
   */
  write(node: number, value: string | number): void {
    const s = String(value).trim();
    const v = /^\d+$/.test(s) ? Number(s) : NaN;
    if (!(v >= 1 && v <= 255)) {
      throw new SyscallError("write", "EINVAL", `weighted_interleave/node${node} accepts an integer 1..255, got ${JSON.stringify(value)} (§1.6)`);
    }
    this.#table.set(node, v);
    this.auto = false;
  }

  /**
   * A write to `auto`: true values switch to auto and recompute (ENODEV without bandwidth
   * data), false values keep the current weights in manual mode; other strings EINVAL (§1.6).
   *
   * @example
   * weights.writeAuto("true");
   */
  writeAuto(value: string | number | boolean): void {
    if (!this.#hasAuto) throw new SyscallError("open", "ENOENT", "weighted_interleave/auto exists from v6.16 (§1.6)");
    const s = String(value).trim().toLowerCase();
    const yes = ["1", "y", "yes", "true", "on"].includes(s);
    const no = ["0", "n", "no", "false", "off"].includes(s);
    if (!yes && !no) throw new SyscallError("write", "EINVAL", `weighted_interleave/auto takes a boolean, got ${JSON.stringify(value)} (§1.6)`);
    if (no) {
      this.auto = false;
      return;
    }
    if (this.auto) return;
    if (!this.hasBandwidth) throw new SyscallError("write", "ENODEV", "no node has reported bandwidth (HMAT/CDAT), so auto weights cannot be computed (§1.6)");
    this.auto = true;
    this.#recompute();
  }
}
