/**
 * Simulated time and the dispatch loop: handlers registered per event kind run in time order
 * until a deadline (DESIGN.md decision 3). Knows nothing about memory.
 */
import { UsageError } from "../core/errors.js";
import { EventQueue, type MutableEvent, type QueuedEvent } from "./queue.js";

/** Handles one event; may schedule more. The event record is reused: read it, do not keep it. */
export type EventHandler = (e: QueuedEvent) => void;

/**
 * A clock with an event queue.
 *
 * @example
 * const c = new Clock();
 * const TICK = c.register("tick", (e) => c.after(1e6, TICK, e.a + 1, 0));
 * c.after(0, TICK, 0, 0);
 * c.runUntil(10e6); // 11 ticks at 0, 1, ..., 10 ms
 */
export class Clock {
  /** The current simulated time, ns. */
  nowNs = 0;
  readonly queue: EventQueue = new EventQueue();
  readonly #handlers: EventHandler[] = [];
  readonly #names: string[] = [];
  /** Events dispatched so far, per kind. */
  readonly dispatched: number[] = [];
  readonly #event: MutableEvent = { timeNs: 0, kind: 0, a: 0, b: 0 };

  /**
   * Registers a handler and returns its kind number.
   *
   * @example
   * const KSWAPD = clock.register("kswapd", (e) => runKswapd(e.a));
   */
  register(name: string, handler: EventHandler): number {
    if (this.#names.includes(name)) throw new UsageError({ what: "event kind", value: name, rule: "is registered once", fix: "reuse the kind number register() returned" });
    if (this.#handlers.length === 256) throw new UsageError({ what: "event kind", value: name, rule: "at most 256 kinds", fix: "share a kind and tell events apart by their arguments" });
    this.#handlers.push(handler);
    this.#names.push(name);
    this.dispatched.push(0);
    return this.#handlers.length - 1;
  }

  /** The name a kind was registered under. */
  kindName(kind: number): string {
    return this.#names[kind] ?? `kind${kind}`;
  }

  /**
   * Schedules an event `delayNs` from now.
   *
   * @example
   * clock.after(1e9, SCAN, pid, 0);
   */
  after(delayNs: number, kind: number, a: number, b: number): void {
    this.queue.push(this.nowNs + Math.max(0, delayNs), kind, a, b);
  }

  /**
   * Schedules an event at an absolute time (never before now).
   *
   * @example
   * clock.at(5e9, SCAN, pid, 0);
   */
  at(timeNs: number, kind: number, a: number, b: number): void {
    this.queue.push(Math.max(this.nowNs, timeNs), kind, a, b);
  }

  /**
   * Runs every event due at or before `deadlineNs` in time order, then sets the clock to the
   * deadline. Returns the number of events dispatched.
   *
   * @example
   * clock.runUntil(60e9);
   */
  runUntil(deadlineNs: number): number {
    if (deadlineNs < this.nowNs) throw new UsageError({ what: "runUntil", value: deadlineNs, rule: `cannot go back in time (now ${this.nowNs} ns)`, fix: "pass a later time" });
    let n = 0;
    // One record for every event: handlers read it and must not keep it.
    const e = this.#event;
    while (this.queue.peekTime() <= deadlineNs) {
      this.queue.popInto(e);
      this.nowNs = e.timeNs;
      this.dispatched[e.kind]!++;
      this.#handlers[e.kind]!(e);
      n++;
    }
    this.nowNs = deadlineNs;
    return n;
  }
}
