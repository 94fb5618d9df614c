/**
 * How many of a workload's hot pages sit on the fast tier: the quantity the convergence figure
 * draws over time and the comparison figure reports at the end of a run.
 */
import type { ColumnTable } from "arquero";
import { rowsOf } from "./columns.js";

/**
 * The occupancy columns the hot-page share is computed from.
 *
 * @example
 * requireColumns(run.occupancy, HOT_SHARE_COLUMNS, "convergence(runs)", "simulate(...).occupancy");
 */
export const HOT_SHARE_COLUMNS: readonly string[] = ["time_s", "toptier", "kind", "process", "region", "hot", "pages"];

/**
 * Hot pages of one series at one time: on toptier nodes (`fast`) and everywhere (`total`).
 *
 * @example
 * { fast: 300, total: 400 } // share 0.75
 */
export interface HotCount {
  readonly fast: number;
  readonly total: number;
}

/**
 * One occupancy row as this file reads it.
 *
 * @example
 * { time_s: 1, toptier: true, kind: "shmem", process: "cachelib", region: "cache", hot: true, pages: 300 }
 */
export interface HotRow {
  readonly time_s: number;
  readonly toptier: boolean | null;
  readonly kind: string;
  readonly process: string;
  readonly region: string;
  readonly hot: boolean | null;
  readonly pages: number;
}

/**
 * The sample times of an occupancy table and, per key (e.g. the process), the hot pages on the
 * fast tier and in total at each time. Rows `keep` rejects and cold rows are skipped; a key with
 * no hot pages at a time has no entry there (its share is undefined, not 0).
 *
 * @example
 * const { times, counts } = hotCounts(run.occupancy, (r) => r.process, () => true);
 * counts.get("cachelib")?.get(times.at(-1)!) // { fast: 300, total: 400 }
 */
export function hotCounts(
  occupancy: ColumnTable,
  key: (r: HotRow) => string,
  keep: (r: HotRow) => boolean,
): { times: number[]; counts: Map<string, Map<number, HotCount>> } {
  const rows = rowsOf<HotRow>(occupancy);
  const times = [...new Set(rows.map((r) => r.time_s))].sort((a, b) => a - b);
  const counts = new Map<string, Map<number, { fast: number; total: number }>>();
  for (const r of rows) {
    if (r.hot !== true || !keep(r) || !(r.pages > 0)) continue;
    const k = key(r);
    let byTime = counts.get(k);
    if (!byTime) counts.set(k, (byTime = new Map()));
    const c = byTime.get(r.time_s) ?? { fast: 0, total: 0 };
    c.total += r.pages;
    if (r.toptier === true) c.fast += r.pages;
    byTime.set(r.time_s, c);
  }
  return { times, counts };
}

/**
 * The share of hot pages on the fast tier at the last sample of a run, over all processes;
 * null when the run has no hot pages then.
 *
 * @example
 * finalHotShare(run.occupancy) // 0.75
 */
export function finalHotShare(occupancy: ColumnTable): number | null {
  const { times, counts } = hotCounts(occupancy, () => "all", () => true);
  const c = counts.get("all")?.get(times.at(-1)!);
  return c && c.total > 0 ? c.fast / c.total : null;
}
