/**
 * How often each frame is touched, as the kernel's subsystems may learn it (DESIGN.md decision
 * 2 "Accesses are rates, not events"). A frame's access rate is its accessor task's rate times
 * the frame's share of that task's accesses; the task rate changes every time the performance
 * model is re-solved, the shares only when the workload's phase changes, so re-solving costs
 * O(tasks), never O(pages).
 *
 * What the kernel observes is derived from the rate, never from simulated loads:
 * - the next access after a PTE is made PROT_NONE (the hinting fault time): exponential for
 *   random access, the next pass of the sweep for sequential access;
 * - whether the referenced bit was set since reclaim last looked: 1 - exp(-rate * elapsed).
 */
import type { FrameTable } from "./frames.js";

/** Per-frame column names (FrameTable.column). */
const WEIGHT = "access.weight";
const TASK = "access.task";
const SWEEP = "access.sweep";
const WRITE = "access.write";
/** A freed frame is accessed by nobody until a new owner says otherwise. */
const CLEAR = { clearOnFree: true } as const;

/** How one frame is accessed. */
export interface FrameAccess {
  /** pid (tgid) of the task whose accesses these are; 0 = nobody touches the frame. */
  readonly pid: number;
  /** The frame's share of that task's accesses, 0..1. */
  readonly share: number;
  /** Position 0..1 in a sequential sweep over the region, or null for random access. */
  readonly sweep: number | null;
  /** Fraction of the accesses that are stores, 0..1. */
  readonly writeShare: number;
}

/**
 * The access model of one kernel.
 *
 * @example
 * k.access.set(frame, { pid: p.pid, share: 1 / 512, sweep: null, writeShare: 0.5 });
 * k.access.setTaskRate(p.pid, 1e9); // 1e9 accesses/s over all its pages
 * k.access.rate(frame); // ~1.95e6 accesses/s
 */
export class AccessModel {
  readonly #frames: FrameTable;
  readonly #taskRate: Map<number, number> = new Map();
  // The columns, refetched only when the frame table grew (growth replaces every array, and
  // `node` first): reads on the hot paths (reclaim's referenced checks, hinting-fault times)
  // then cost two typed-array loads instead of four map lookups.
  #node: Int16Array | null = null;
  #weight: Float64Array = new Float64Array(0);
  #task: Int32Array = new Int32Array(0);
  #sweep: Float32Array = new Float32Array(0);
  #write: Uint8Array = new Uint8Array(0);

  /**
   * Called after the access of a frame on a watched node (FrameTable.watched) changed, and
   * after a task's rate changed (`f` = 0, `pid` set): a private-node service re-draws the
   * events it derives from rates (CRAM write faults). Null when nobody listens.
   *
   * @example
   * k.access.onChange = (f, pid) => (f > 0 ? cram.rearm(f) : cram.taskRateChanged(pid));
   */
  onChange: ((f: number, pid: number) => void) | null = null;

  constructor(frames: FrameTable) {
    this.#frames = frames;
  }

  #changed(f: number): void {
    if (this.onChange && this.#frames.watched[this.#frames.node[f]!]) this.onChange(f, 0);
  }

  #cols(): void {
    if (this.#frames.node === this.#node) return;
    this.#weight = this.#frames.column(WEIGHT, Float64Array, CLEAR);
    this.#task = this.#frames.column(TASK, Int32Array, CLEAR);
    this.#sweep = this.#frames.column(SWEEP, Float32Array);
    this.#write = this.#frames.column(WRITE, Uint8Array);
    this.#node = this.#frames.node;
  }

  /**
   * Sets how a frame is accessed.
   *
   * @example
   * k.access.set(f, { pid: 100, share: 0.001, sweep: 0.25, writeShare: 0 });
   */
  set(f: number, a: FrameAccess): void {
    this.#cols();
    this.#weight[f] = a.share;
    this.#task[f] = a.pid;
    // Stored +1 so a zeroed column means "random access".
    this.#sweep[f] = a.sweep === null ? 0 : 1 + a.sweep;
    this.#write[f] = Math.round(a.writeShare * 255);
    this.#changed(f);
  }

  /**
   * Sets a contiguous set of frames at once: `frames[i]` gets `shares[i]` (random access, or a
   * sweep position i/n when `sequential`).
   *
   * @example
   * k.access.setMany(ids, weights, { pid: 100, sequential: true, writeShare: 1 / 3 });
   */
  setMany(frames: ArrayLike<number>, shares: ArrayLike<number>, opts: { pid: number; sequential: boolean; writeShare: number; first?: number; of?: number }): void {
    this.#cols();
    const w = this.#weight;
    const t = this.#task;
    const s = this.#sweep;
    const wr = this.#write;
    const ws = Math.round(opts.writeShare * 255);
    const n = frames.length;
    // A slice of a longer sweep (a region faulted in chunks): positions count from `first` of `of`.
    const first = opts.first ?? 0;
    const of = opts.of ?? n;
    for (let i = 0; i < n; i++) {
      const f = frames[i]!;
      if (f <= 0) continue;
      w[f] = shares[i]!;
      t[f] = opts.pid;
      s[f] = opts.sequential ? 1 + (first + i) / of : 0;
      wr[f] = ws;
      if (this.onChange) this.#changed(f);
    }
  }

  /**
   * Forgets how a frame is accessed (freed or no longer used).
   *
   * @example
   * k.access.clear(f);
   */
  clear(f: number): void {
    this.#cols();
    this.#weight[f] = 0;
    this.#task[f] = 0;
    this.#changed(f);
  }

  /**
   * A task's total access rate, accesses per second (from the performance model, or set by hand).
   *
   * @example
   * k.access.setTaskRate(p.pid, 2e9);
   */
  setTaskRate(pid: number, accessesPerSec: number): void {
    const was = this.#taskRate.get(pid) ?? 0;
    this.#taskRate.set(pid, accessesPerSec);
    if (this.onChange && was !== accessesPerSec) this.onChange(0, pid);
  }

  /** A task's total access rate (0 when unknown). */
  taskRate(pid: number): number {
    return this.#taskRate.get(pid) ?? 0;
  }

  /** The task whose accesses reach frame `f` (0 when none). */
  accessor(f: number): number {
    this.#cols();
    return this.#task[f] ?? 0;
  }

  /** The fraction of frame `f`'s accesses that are stores. */
  writeShare(f: number): number {
    this.#cols();
    return (this.#write[f] ?? 0) / 255;
  }

  /**
   * Accesses per second to frame `f`.
   *
   * @example
   * k.access.rate(f) // 1.2e4
   */
  rate(f: number): number {
    this.#cols();
    const pid = this.#task[f] ?? 0;
    if (pid === 0) return 0;
    return (this.#weight[f] ?? 0) * (this.#taskRate.get(pid) ?? 0);
  }

  /**
   * The delay until frame `f` is next accessed after `nowNs`: the time of the hinting fault of
   * a PTE made PROT_NONE now. Infinity when nothing accesses it. `u` is a uniform number in
   * [0, 1) that picks the wait of a randomly accessed page (a sequential one ignores it).
   *
   * @example
   * k.access.nextAccessDelayNs(f, k.clock.nowNs, hashUniform(seed, f, now)) // 8.1e5
   */
  nextAccessDelayNs(f: number, nowNs: number, u: number): number {
    const r = this.rate(f);
    if (!(r > 0)) return Infinity;
    const periodNs = 1e9 / r;
    const sweep = this.#sweep[f] ?? 0;
    if (sweep === 0) return -periodNs * Math.log(1 - u);
    // A sweep passes position p at times (p + k) * period: the next pass after now.
    const phase = (sweep - 1 - (nowNs / periodNs) % 1 + 1) % 1;
    return (phase === 0 ? 1 : phase) * periodNs;
  }

  /**
   * The probability that frame `f` was accessed (its referenced bit set) during the last
   * `elapsedNs`.
   *
   * @example
   * k.access.referencedProbability(f, 1e9) // 0.63 for a page touched once a second
   */
  referencedProbability(f: number, elapsedNs: number): number {
    const r = this.rate(f);
    if (!(r > 0) || elapsedNs <= 0) return 0;
    return 1 - Math.exp((-r * elapsedNs) / 1e9);
  }
}
