/**
 * /proc/vmstat counters over time, cumulative or as rates, for one run or several overlaid.
 *
 * One panel per counter, stacked and sharing the time axis, rather than one axis for all: the
 * counters of one run differ by orders of magnitude (numa_pte_updates counts every PTE made
 * PROT_NONE, pgpromote_success only the pages that made it up), so on a shared linear axis the
 * small ones are a flat line at zero, and a log axis cannot show the zero rates that matter
 * ("no shmem page was ever promoted"). Runs share a panel, so before/after reads vertically.
 */
import type { ColumnTable } from "arquero";
import type { Data, Layout } from "plotly.js-dist-min";
import { UsageError } from "../core/errors.js";
import { Figure } from "./figure.js";
import { rowsOf } from "./columns.js";
import { SERIES_COLORS } from "./palette.js";
import { axisNames, panelCaption, panelDomains, timeLayout } from "./panels.js";
import { distinct, labelledRuns, nameList, seriesName, titleOption, type RunsInput } from "./runs.js";

/**
 * What {@link counterTimeline} reads from a run: `vmstat` with time_s, counter, value.
 *
 * @example
 * plots.counterTimeline({ vmstat: run.vmstat }, ["numa_hint_faults"])
 */
export interface CounterSource {
  readonly vmstat: ColumnTable;
}

/**
 * Options of {@link counterTimeline}.
 *
 * @example
 * { rate: true, title: "Promotion activity" }
 */
export interface CounterTimelineOptions {
  /** Draw events per second (the first difference over time_s) instead of cumulative values. */
  readonly rate?: boolean;
  /** Figure title; default "vmstat counters" (with ", per second" for rates). */
  readonly title?: string;
}

/**
 * What a counter counts, for its axis title: PTEs, faults or pages (most counters count pages).
 *
 * @example
 * counterUnit("numa_hint_faults_local") // "faults"
 */
export function counterUnit(counter: string): string {
  if (/pte_updates/.test(counter)) return "PTEs";
  if (/fault/.test(counter)) return "faults";
  // CRAM's counters (kernel/private/cram.ts) count folios stored, refused, promoted or freed.
  if (/^(pg|numa_pages|pswp|numa_(hit|miss|foreign|interleave|local|other)|cram_)/.test(counter)) return "pages";
  return "events";
}

/**
 * One panel per counter (in the order given), one line per run. Cumulative values are drawn as
 * sampled; with `rate: true` each sample shows the mean rate over the interval that ends there,
 * as a step held over that interval (a rate between two samples is all the counters tell).
 *
 * @example
 * plots.counterTimeline({ before, after }, ["numa_hint_faults", "pgpromote_success", "pgdemote_kswapd"], { rate: true }).show();
 */
export function counterTimeline(runs: RunsInput<CounterSource>, counters: string | readonly string[], options: CounterTimelineOptions = {}): Figure {
  const list = labelledRuns(runs, { vmstat: VMSTAT_COLUMNS }, "counterTimeline(runs)");
  const wanted = typeof counters === "string" ? [counters] : counters;
  const known = distinct(list.map((r) => r.run.vmstat), "counter");
  nameList(wanted, known, "counterTimeline(runs, counters)", '["numa_hint_faults", "pgpromote_success"]');
  if (options.rate !== undefined && typeof options.rate !== "boolean") {
    throw new UsageError({ what: "counterTimeline options.rate", value: options.rate, rule: "must be true or false", fix: "write { rate: true } for events per second" });
  }
  const rate = options.rate === true;
  const title = titleOption(options.title, rate ? "vmstat counters, per second" : "vmstat counters", "counterTimeline options.title");

  const series = list.map(({ label, run }) => ({ label, byCounter: samplesByCounter(run.vmstat) }));
  // Top to bottom in the order given; panelDomains counts from the bottom.
  const domains = panelDomains(wanted.length, wanted.length > 4 ? 0.05 : 0.08).reverse();
  const data: Data[] = [];
  const layout: Record<string, unknown> = {};
  const captions: Record<string, unknown>[] = [];
  const legendShown = new Set<string>();
  wanted.forEach((counter, i) => {
    const y = axisNames("y", i);
    const unit = counterUnit(counter);
    layout[y.key] = { domain: domains[i], title: { text: rate ? `${unit}/s` : unit }, rangemode: "tozero", zeroline: false, tickformat: "~s", anchor: "x" };
    captions.push(panelCaption(rate ? `${counter} (per second)` : counter, [0, 1], domains[i]!));
    series.forEach(({ label, byCounter }, runIndex) => {
      const samples = byCounter.get(counter);
      if (!samples) return;
      const { x, y: values } = rate ? rates(samples) : { x: samples.map((s) => s.t), y: samples.map((s) => s.v) };
      const key = label ?? "";
      const name = seriesName(label, counter);
      data.push({
        type: "scatter",
        mode: "lines",
        name: label ?? counter,
        legendgroup: key,
        showlegend: label !== null && !legendShown.has(key),
        xaxis: "x",
        yaxis: y.ref,
        x,
        y: values,
        line: { color: SERIES_COLORS[runIndex % SERIES_COLORS.length], width: 2, shape: rate ? "vh" : "linear" },
        hovertemplate: `${name}<br>%{x:.2f} s: %{y:,.4~g} ${rate ? `${unit}/s` : unit}<extra></extra>`,
      } as Data);
      legendShown.add(key);
    });
  });
  const height = Math.max(320, 110 + 190 * wanted.length);
  return new Figure(data, {
    ...timeLayout(title, height, axisNames("y", wanted.length - 1).ref),
    ...layout,
    showlegend: list.length > 1 || list[0]!.label !== null,
    annotations: captions,
  } as Partial<Layout>);
}

/**
 * One counter sample: time (s) and value.
 *
 * @example
 * { t: 2.5, v: 51200 }
 */
export interface Sample {
  t: number;
  v: number;
}

/** Samples per counter in time order; two samples at one time keep the later row. */
/** The vmstat columns {@link samplesByCounter} reads. */
export const VMSTAT_COLUMNS = ["time_s", "counter", "value"] as const;

/**
 * Each counter's samples in time order; where a time repeats, the later row wins.
 *
 * @example
 * samplesByCounter(run.vmstat).get("pgpromote_success")?.at(-1)?.v // the final count
 */
export function samplesByCounter(vmstat: ColumnTable): Map<string, Sample[]> {
  const byCounter = new Map<string, Map<number, number>>();
  for (const r of rowsOf<{ time_s: number; counter: string; value: number }>(vmstat)) {
    let m = byCounter.get(r.counter);
    if (!m) byCounter.set(r.counter, (m = new Map()));
    m.set(r.time_s, r.value);
  }
  const out = new Map<string, Sample[]>();
  for (const [c, m] of byCounter) out.set(c, [...m].map(([t, v]) => ({ t, v })).sort((a, b) => a.t - b.t));
  return out;
}

/**
 * Rate over each interval (t[i-1], t[i]], drawn with shape "vh" from the interval's start: the
 * first point repeats the first rate at t[0] so the first interval is drawn too.
 */
function rates(samples: readonly Sample[]): { x: number[]; y: number[] } {
  if (samples.length < 2) return { x: [], y: [] };
  const r: number[] = [];
  for (let i = 1; i < samples.length; i++) r.push((samples[i]!.v - samples[i - 1]!.v) / (samples[i]!.t - samples[i - 1]!.t));
  return { x: samples.map((s) => s.t), y: [r[0]!, ...r] };
}
