/**
 * Per-node promotion state of memory-tiering mode (kernel-model.md §5.4): the hot-threshold
 * adjustment over scan_period_max windows and the per-second candidate rate limit, kept per
 * fast node as pglist_data's nbp_* fields.
 */

/** NUMA_MIGRATION_ADJUST_STEPS (§4.1). */
export const NUMA_MIGRATION_ADJUST_STEPS = 16;

/** The nbp_* fields of one node. */
export interface NodePromotion {
  /** nbp_threshold, ms; 0 = use hot_threshold_ms. */
  thresholdMs: number;
  /** nbp_th_start, ms. */
  thStartMs: number;
  /** nbp_th_nr_cand: pgpromote_candidate at the start of the threshold window. */
  thNrCand: number;
  /** nbp_rl_start, ms (-Infinity: no window yet, so the first candidate opens one). */
  rlStartMs: number;
  /** nbp_rl_nr_cand: pgpromote_candidate at the start of the rate-limit window. */
  rlNrCand: number;
}

/**
 * A node's promotion state at boot, or after the tiering bit is switched on (§5.4 last line).
 *
 * @example
 * freshPromotion(0, 0) // { thresholdMs: 0, thStartMs: 0, thNrCand: 0, rlStartMs: -Infinity, rlNrCand: 0 }
 */
export function freshPromotion(nowMs: number, candidates: number): NodePromotion {
  return { thresholdMs: 0, thStartMs: nowMs, thNrCand: candidates, rlStartMs: -Infinity, rlNrCand: 0 };
}

/**
 * numa_promotion_adjust_threshold (§5.4 step 2): once more than `windowMs` (scan_period_max)
 * passed since the window began, compare the window's candidates with the rate limit's
 * expectation and move the threshold one unit (hot_threshold * 2 / 16 = 125 ms at defaults)
 * within [unit, 2 * hot_threshold].
 *
 * @example
 * const pg = freshPromotion(0, 0);
 * adjustThreshold(pg, 60001, 0, { rateLimitPages: 256, hotThresholdMs: 1000, windowMs: 60000 });
 * pg.thresholdMs // 1125: no candidates at all -> looser
 */
export function adjustThreshold(pg: NodePromotion, nowMs: number, candidates: number, o: { rateLimitPages: number; hotThresholdMs: number; windowMs: number }): void {
  if (!(nowMs - pg.thStartMs > o.windowMs)) return;
  const refCand = (o.rateLimitPages * o.windowMs) / 1000;
  const diff = candidates - pg.thNrCand;
  const unit = Math.floor((o.hotThresholdMs * 2) / NUMA_MIGRATION_ADJUST_STEPS);
  let th = pg.thresholdMs || o.hotThresholdMs;
  if (diff > (refCand * 11) / 10) th = Math.max(th - unit, unit);
  else if (diff < (refCand * 9) / 10) th = Math.min(th + unit, o.hotThresholdMs * 2);
  pg.thNrCand = candidates;
  pg.thresholdMs = th;
  pg.thStartMs = nowMs;
}

/**
 * numa_promotion_rate_limited (§5.4 step 4), given the candidate count after this folio was
 * added: a new 1 s window starts when more than 1000 ms passed; the folio is limited when the
 * window's candidates reach the limit.
 *
 * @example
 * const pg = freshPromotion(0, 0);
 * rateLimited(pg, 5, 1, 2) // false: opens the window at candidate 1
 * rateLimited(pg, 6, 3, 2) // true: 3 - 1 >= 2
 */
export function rateLimited(pg: NodePromotion, nowMs: number, candidates: number, rateLimitPages: number): boolean {
  if (nowMs > pg.rlStartMs + 1000) {
    pg.rlStartMs = nowMs;
    pg.rlNrCand = candidates;
  }
  return candidates - pg.rlNrCand >= rateLimitPages;
}
