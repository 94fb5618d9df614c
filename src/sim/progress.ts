/**
 * Progress of a long run: `simulate(scenario, { onProgress })` calls back as simulated time
 * advances; `textProgress()` is a ready-made callback that redraws one line in a notebook
 * (Jupyter honours carriage returns in a cell's output) or a terminal.
 */

/** What a progress callback is told. */
export interface ProgressInfo {
  /** Simulated seconds done. */
  readonly simulatedS: number;
  /** Simulated seconds in the run. */
  readonly totalS: number;
  /** simulatedS / totalS, 0..1. */
  readonly fraction: number;
  /** Wall-clock seconds since the run started. */
  readonly wallS: number;
  /** Kernel events handled so far (scans, hinting faults, kswapd runs). */
  readonly kernelEvents: number;
}

/**
 * Options of `simulate()`.
 *
 * @example
 * simulate(scenario, { onProgress: textProgress() })
 */
export interface SimulateOptions {
  /** Called at most every `progressEveryMs` of wall time, and once at the end. */
  readonly onProgress?: (p: ProgressInfo) => void;
  /** Minimum wall time between progress calls, ms (default 200). */
  readonly progressEveryMs?: number;
}

/**
 * A progress callback drawing `[#####.....] 50% 5.0/10 s simulated, 1.2 s wall` on one line.
 *
 * @example
 * const run = simulate(scenario, { onProgress: textProgress() });
 */
export function textProgress(write: (s: string) => void = (s) => process.stdout.write(s)): (p: ProgressInfo) => void {
  return (p) => {
    const width = 30;
    const done = Math.round(p.fraction * width);
    const line = `[${"#".repeat(done)}${".".repeat(width - done)}] ${Math.round(p.fraction * 100)}% ${p.simulatedS.toFixed(1)}/${p.totalS} s simulated, ${p.wallS.toFixed(1)} s wall, ${p.kernelEvents} kernel events`;
    write(`\r${line}${p.fraction >= 1 ? "\n" : ""}`);
  };
}

/**
 * Throttles progress reports by wall time; `report(nowNs, done)` from the run loop.
 *
 * @example
 * const tick = progressReporter(opts, 10e9); tick(5e9, 123, false);
 */
export function progressReporter(opts: SimulateOptions, totalNs: number): (simulatedNs: number, kernelEvents: number, done: boolean) => void {
  const cb = opts.onProgress;
  if (!cb) return () => {};
  const every = opts.progressEveryMs ?? 200;
  const started = Date.now();
  let last = -Infinity;
  return (simulatedNs, kernelEvents, done) => {
    const now = Date.now();
    if (!done && now - last < every) return;
    last = now;
    cb({ simulatedS: simulatedNs / 1e9, totalS: totalNs / 1e9, fraction: totalNs > 0 ? Math.min(1, simulatedNs / totalNs) : 1, wallS: (now - started) / 1000, kernelEvents });
  };
}
