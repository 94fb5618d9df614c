/**
 * The system-wide weighted-interleave weights behind
 * /sys/kernel/mm/mempolicy/weighted_interleave/{nodeN,auto} (kernel-model.md §1.6): the
 * published state (auto or manual, one u8 weight per node) and the writer-side bandwidth
 * table that auto mode derives weights from.
 */
import { SyscallError, UsageError } from "../core/errors.js";
import type { AccessCoordinates } from "../topology/types.js";
import { toNodemask } from "./nodemask.js";
import type { Nodemask } from "./types.js";

/** How weights are set: derived from bandwidth ("auto") or written by the admin ("manual"). */
export type WeightMode = "auto" | "manual";

/** Weights are u8 and never 0 (0 meant "default" before auto mode existed). */
export const MAX_INTERLEAVE_WEIGHT = 255;

/** Auto mode scales each node's bandwidth share to 1..32 before dividing by the GCD. */
export const WEIGHTINESS = 32;

const SRC = "mm/mempolicy.c, kernel-model.md §1.6";

/**
 * reduce_interleave_weights (§1.6, calibration.md §3): for each memory node,
 * w = floor(32 * bw / S) when bw > 0 and S < 32 * bw, else 1 (unknown bandwidth, or a share of
 * 1/32 or less); then every weight is divided by the GCD of all weights. Nodes outside
 * `memoryNodes` are not in the result (the kernel leaves them at 1).
 *
 * @example
 * reduceInterleaveWeights(new Map([[0, 200000], [1, 200000], [2, 64000]]), [0, 1, 2]); // Map {0 => 13, 1 => 13, 2 => 4}
 * reduceInterleaveWeights(new Map([[1, 208500], [2, 24500]]), [1, 2]);                 // Map {1 => 28, 2 => 3}
 */
export function reduceInterleaveWeights(bandwidth: ReadonlyMap<number, number>, memoryNodes: Nodemask): Map<number, number> {
  const bw = (n: number): number => bandwidth.get(n) ?? 0;
  const sum = memoryNodes.reduce((s, n) => s + bw(n), 0);
  const weights = new Map<number, number>();
  let g = 0;
  for (const n of memoryNodes) {
    const scaled = WEIGHTINESS * bw(n);
    const w = bw(n) > 0 && sum < scaled ? Math.floor(scaled / sum) : 1;
    weights.set(n, w);
    g = gcd(g, w);
  }
  for (const [n, w] of weights) weights.set(n, w / g);
  return weights;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The published state; null until first written = auto mode with every weight 1. */
interface PublishedState {
  readonly auto: boolean;
  readonly table: ReadonlyMap<number, number>;
}

/**
 * The weighted-interleave weight state of one simulated kernel. Reads never fail; writes
 * behave like the sysfs files, throwing SyscallError("write", errno) where the kernel does.
 *
 * @example
 * const w = new WeightedInterleaveWeights([0, 1]);
 * w.weight(1);                  // 1 (no table yet)
 * w.writeNode(0, "9");          // node0 = 9, mode switches to manual
 * w.mode;                       // "manual"
 * w.writeAuto("1");             // throws ENODEV: no bandwidth was ever reported
 */
export class WeightedInterleaveWeights {
  #state: PublishedState | null = null;
  #bandwidth: Map<number, number> | null = null;
  #memoryNodes: Nodemask;
  readonly #autoTuning: boolean;

  /**
   * `memoryNodes` is N_MEMORY, the nodes auto mode weighs (and that have nodeN files).
   * `autoTuning: false` models v6.9-v6.15 (no auto file, weights only ever written by hand);
   * see mempolicyFeatures().weightedInterleaveAuto.
   */
  constructor(memoryNodes: Nodemask, options: { readonly autoTuning?: boolean } = {}) {
    this.#memoryNodes = toNodemask(memoryNodes);
    this.#autoTuning = options.autoTuning ?? true;
  }

  /** auto unless a node weight was written or auto was switched off; always manual before v6.16. */
  get mode(): WeightMode {
    if (!this.#autoTuning) return "manual";
    return this.#state === null || this.#state.auto ? "auto" : "manual";
  }

  /** The effective weight of a node: what nodeN reads and allocations use (1 without a table). */
  weight(node: number): number {
    return this.#state?.table.get(node) ?? 1;
  }

  /** The effective weights of the memory nodes, for display. */
  weights(): Map<number, number> {
    return new Map(this.#memoryNodes.map((n) => [n, this.weight(n)]));
  }

  /** The bandwidth table (min of read and write, MB/s) reported so far, or null if none ever was. */
  bandwidth(): ReadonlyMap<number, number> | null {
    return this.#bandwidth === null ? null : new Map(this.#bandwidth);
  }

  /** Memory hotplug changed N_MEMORY; weights are recomputed only on the next bandwidth report. */
  setMemoryNodes(memoryNodes: Nodemask): void {
    this.#memoryNodes = toNodemask(memoryNodes);
  }

  /**
   * Writes nodeN. Accepts what kstrtou8 (base 0) accepts: decimal, 0x hex, 0 octal, an optional
   * "+" and one trailing newline; 1..255 only. Empty, 0, out of range or junk -> EINVAL.
   * Switches the system to manual mode, keeping the other weights.
   */
  writeNode(node: number, value: string | number): void {
    const text = typeof value === "number" ? String(value) : value;
    const weight = parseU8(text);
    if (weight === null || weight === 0) {
      throw new SyscallError(
        "write",
        "EINVAL",
        `weighted_interleave/node${node}: ${JSON.stringify(text)} is not a weight; weights are integers 1..${MAX_INTERLEAVE_WEIGHT} ` +
          `(0 and empty writes are rejected) (${SRC} node_store)`,
      );
    }
    const table = this.#tableCopy();
    table.set(node, weight);
    this.#state = { auto: false, table };
  }

  /**
   * Writes auto. Accepts kstrtobool values (y/Y/1/t/T/on true; n/N/0/f/F/off false). Writing
   * the current mode is a no-op; false keeps the current weights in manual mode; true
   * recomputes weights from the bandwidth table, or fails with ENODEV if none was ever reported.
   */
  writeAuto(value: string | boolean): void {
    if (!this.#autoTuning) {
      throw new SyscallError("open", "ENOENT", `weighted_interleave/auto does not exist before v6.16 (${SRC})`);
    }
    const input = typeof value === "boolean" ? value : parseBool(value);
    if (input === null) {
      throw new SyscallError("write", "EINVAL", `weighted_interleave/auto: ${JSON.stringify(value)} is not a boolean (kstrtobool) (${SRC})`);
    }
    if (this.#state !== null && this.#state.auto === input) return;
    if (!input) {
      this.#state = { auto: false, table: this.#tableCopy() };
      return;
    }
    if (this.#bandwidth === null) {
      throw new SyscallError(
        "write",
        "ENODEV",
        `weighted_interleave/auto: no node has reported bandwidth (HMAT or CXL CDAT), so there is nothing to derive weights from (${SRC})`,
      );
    }
    this.#state = { auto: true, table: this.#reduced() };
  }

  /**
   * A node's performance was set (HMAT at boot, CDAT when a CXL region appears): record
   * min(read, write) bandwidth, in MB/s as the kernel's access_coordinate. The table is kept
   * even in manual mode; in auto mode (or before any write) every weight is recomputed.
   */
  reportBandwidth(node: number, readMBps: number, writeMBps: number): void {
    for (const v of [readMBps, writeMBps]) {
      if (!Number.isFinite(v) || v < 0) {
        throw new UsageError({ what: `bandwidth of node ${node}`, value: v, rule: "must be a non-negative number of MB/s", fix: "pass e.g. 200000" });
      }
    }
    this.#bandwidth ??= new Map();
    this.#bandwidth.set(node, Math.min(readMBps, writeMBps));
    if (!this.#autoTuning || (this.#state !== null && !this.#state.auto)) return;
    this.#state = { auto: true, table: this.#reduced() };
  }

  /** {@link reportBandwidth} from tiersim's coordinates (GB/s), rounded to whole MB/s. */
  reportAccessCoordinates(node: number, coords: AccessCoordinates): void {
    this.reportBandwidth(node, Math.round(coords.readBandwidthGBps * 1000), Math.round(coords.writeBandwidthGBps * 1000));
  }

  #tableCopy(): Map<number, number> {
    return new Map(this.#state?.table ?? []);
  }

  #reduced(): Map<number, number> {
    return reduceInterleaveWeights(this.#bandwidth ?? new Map(), this.#memoryNodes);
  }
}

function parseU8(text: string): number | null {
  const s = text.endsWith("\n") ? text.slice(0, -1) : text;
  const m = /^\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return null;
  const digits = m[1]!;
  const v = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.startsWith("0") ? parseInt(digits, 8) : parseInt(digits, 10);
  return v <= MAX_INTERLEAVE_WEIGHT ? v : null;
}

function parseBool(text: string): boolean | null {
  const [c0, c1] = [text[0], text[1]];
  if (c0 !== undefined && "yYtT1".includes(c0)) return true;
  if (c0 !== undefined && "nNfF0".includes(c0)) return false;
  if (c0 === "o" || c0 === "O") {
    if (c1 === "n" || c1 === "N") return true;
    if (c1 === "f" || c1 === "F") return false;
  }
  return null;
}
