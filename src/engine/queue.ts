/**
 * The discrete-event queue behind simulated time (DESIGN.md decision 3). Domain-free: an event
 * is a time, a small integer kind and two integer arguments, stored in parallel typed arrays
 * (a binary heap) so millions of pending hinting faults cost no objects. Ties are broken by
 * insertion order, so a run is deterministic for a given seed.
 */
import { UsageError } from "../core/errors.js";

/** One event taken off the queue. */
export interface QueuedEvent {
  /** When it fires, ns of simulated time. */
  readonly timeNs: number;
  /** What it is: a small integer registered by the owner of the queue. */
  readonly kind: number;
  /** First argument (a frame id, a pid, a node id...). */
  readonly a: number;
  /** Second argument (a generation token, an order...). */
  readonly b: number;
}

/** A writable event record for {@link EventQueue.popInto}. */
export type MutableEvent = { -readonly [K in keyof QueuedEvent]: QueuedEvent[K] };

/**
 * A min-heap of events keyed by (time, insertion order).
 *
 * @example
 * const q = new EventQueue();
 * q.push(2e6, 1, 42, 0);
 * q.push(1e6, 2, 7, 0);
 * q.pop()?.kind; // 2 (the earlier event)
 */
export class EventQueue {
  #time = new Float64Array(1024);
  #seq = new Float64Array(1024);
  #kind = new Uint8Array(1024);
  #a = new Int32Array(1024);
  #b = new Int32Array(1024);
  #size = 0;
  #nextSeq = 0;

  /** Pending events. */
  get size(): number {
    return this.#size;
  }

  /** The time of the next event, or Infinity when the queue is empty. */
  peekTime(): number {
    return this.#size > 0 ? this.#time[0]! : Infinity;
  }

  /**
   * Adds an event. `kind` is 0..255; `a` and `b` are 32-bit integers.
   *
   * @example
   * q.push(1_000_000, KIND_SCAN, pid, 0);
   */
  push(timeNs: number, kind: number, a: number, b: number): void {
    if (!Number.isFinite(timeNs) || timeNs < 0) {
      throw new UsageError({ what: "event time", value: timeNs, rule: "must be a finite, non-negative number of ns", fix: "schedule at now + a delay" });
    }
    if (this.#size === this.#time.length) this.#grow();
    let i = this.#size++;
    const seq = this.#nextSeq++;
    // Sift up: move parents down until the slot fits.
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.#time[p]! < timeNs || (this.#time[p] === timeNs && this.#seq[p]! < seq)) break;
      this.#copy(p, i);
      i = p;
    }
    this.#set(i, timeNs, seq, kind, a, b);
  }

  /**
   * Removes and returns the earliest event, or null when empty.
   *
   * @example
   * for (let e = q.pop(); e; e = q.pop()) handle(e);
   */
  pop(): QueuedEvent | null {
    if (this.#size === 0) return null;
    const out: MutableEvent = { timeNs: 0, kind: 0, a: 0, b: 0 };
    this.popInto(out);
    return out;
  }

  /**
   * Removes the earliest event into `out` (no allocation: the dispatch loop reuses one record);
   * false when empty.
   *
   * @example
   * const e = { timeNs: 0, kind: 0, a: 0, b: 0 };
   * while (q.popInto(e)) handle(e);
   */
  popInto(out: MutableEvent): boolean {
    if (this.#size === 0) return false;
    out.timeNs = this.#time[0]!;
    out.kind = this.#kind[0]!;
    out.a = this.#a[0]!;
    out.b = this.#b[0]!;
    const last = --this.#size;
    if (last > 0) {
      const t = this.#time[last]!;
      const s = this.#seq[last]!;
      const k = this.#kind[last]!;
      const a = this.#a[last]!;
      const b = this.#b[last]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        const c = r < last && this.#less(r, l) ? r : l;
        if (t < this.#time[c]! || (t === this.#time[c] && s < this.#seq[c]!)) break;
        this.#copy(c, i);
        i = c;
      }
      this.#set(i, t, s, k, a, b);
    }
    return true;
  }

  /**
   * Drops every pending event.
   *
   * @example
   * q.clear();
   */
  clear(): void {
    this.#size = 0;
  }

  #less(i: number, j: number): boolean {
    return this.#time[i]! < this.#time[j]! || (this.#time[i] === this.#time[j] && this.#seq[i]! < this.#seq[j]!);
  }

  #copy(from: number, to: number): void {
    this.#time[to] = this.#time[from]!;
    this.#seq[to] = this.#seq[from]!;
    this.#kind[to] = this.#kind[from]!;
    this.#a[to] = this.#a[from]!;
    this.#b[to] = this.#b[from]!;
  }

  #set(i: number, t: number, s: number, k: number, a: number, b: number): void {
    this.#time[i] = t;
    this.#seq[i] = s;
    this.#kind[i] = k;
    this.#a[i] = a;
    this.#b[i] = b;
  }

  #grow(): void {
    const n = this.#time.length * 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(old: T, make: new (n: number) => T): T => {
      const x = new make(n);
      x.set(old as never);
      return x;
    };
    this.#time = grow(this.#time, Float64Array);
    this.#seq = grow(this.#seq, Float64Array);
    this.#kind = grow(this.#kind, Uint8Array);
    this.#a = grow(this.#a, Int32Array);
    this.#b = grow(this.#b, Int32Array);
  }
}
