/**
 * Kernels or policies side by side on one workload: the compact figure a reviewer pastes in a
 * patch thread. Four panels, each answering one question about a run:
 * - throughput (sum over tasks of the summary's throughput, each task's time-weighted mean
 *   while it ran): did it help, by how much?
 * - hot pages on the fast tier at the end: did placement converge (the mechanism)?
 * - pages promoted and demoted (pgpromote_success; pgdemote_kswapd + pgdemote_direct): is the
 *   promotion/demotion loop running at all, or thrashing (the migration traffic paid)?
 * - kernel CPU time (sum of the summary's system_time_s): what scanning and faults cost.
 * Latency and bandwidth are left out: they follow from placement and throughput, and
 * counterTimeline/convergence show the "when".
 */
import type { ColumnTable } from "arquero";
import type { Data, Layout } from "plotly.js-dist-min";
import { Figure } from "./figure.js";
import { rowsOf } from "./columns.js";
import { samplesByCounter, VMSTAT_COLUMNS } from "./counterTimeline.js";
import { finalHotShare, HOT_SHARE_COLUMNS } from "./hotShare.js";
import { FONT_FAMILY, kindColor, SERIES_COLORS } from "./palette.js";
import { axisNames, panelCaption, panelDomains } from "./panels.js";
import { labelledRuns, titleOption, type RunsInput } from "./runs.js";

/**
 * What {@link compareRuns} reads from each run; a SimulationResult fits.
 *
 * @example
 * plots.compareRuns({ before: { summary, occupancy, vmstat }, after: run2 })
 */
export interface CompareSource {
  readonly summary: ColumnTable;
  readonly occupancy: ColumnTable;
  readonly vmstat: ColumnTable;
}

/**
 * Options of {@link compareRuns}.
 *
 * @example
 * { title: "shmem NUMA balancing fix, cachelib on sprCxl" }
 */
export interface CompareRunsOptions {
  /** Figure title; default "Runs compared". */
  readonly title?: string;
}

/**
 * One metric of one run as the figure shows it.
 *
 * @example
 * { label: "with fix", throughput: 2.1e9, hotShare: 0.93, promoted: 51200, demoted: 48000, systemTimeS: 0.41 }
 */
export interface RunMetrics {
  readonly label: string;
  readonly throughput: number;
  readonly hotShare: number | null;
  readonly promoted: number;
  readonly demoted: number;
  readonly systemTimeS: number;
}

/**
 * The numbers {@link compareRuns} draws, one entry per run, for a table in the same thread.
 * A counter absent from a run's vmstat counts 0 (the kernel lists every counter, so only a
 * table without zero rows lacks one).
 *
 * @example
 * compareMetrics({ before, after })[1].promoted // pages promoted in "after"
 */
export function compareMetrics(runs: RunsInput<CompareSource>): RunMetrics[] {
  const list = labelledRuns(runs, { summary: ["task", "throughput_accesses_per_s", "system_time_s"], occupancy: HOT_SHARE_COLUMNS, vmstat: VMSTAT_COLUMNS }, "compareRuns(runs)");
  return list.map(({ label, run }) => {
    const counters = samplesByCounter(run.vmstat);
    const final = (c: string): number => counters.get(c)?.at(-1)?.v ?? 0;
    const tasks = rowsOf<{ throughput_accesses_per_s: number; system_time_s: number | null }>(run.summary);
    return {
      label: label ?? "run",
      throughput: sum(tasks.map((t) => t.throughput_accesses_per_s)),
      hotShare: finalHotShare(run.occupancy),
      promoted: final("pgpromote_success"),
      demoted: final("pgdemote_kswapd") + final("pgdemote_direct"),
      systemTimeS: sum(tasks.map((t) => t.system_time_s ?? 0)),
    };
  });
}

/**
 * Four panels of horizontal bars sharing the run labels (so long labels such as "v6.16 + fix"
 * are written once): throughput (with the change against the first run), final hot-page share
 * on the fast tier, pages promoted/demoted, kernel CPU time. Takes `{ label: run }`.
 *
 * @example
 * plots.compareRuns({ "v6.16": before, "v6.16 + shmem fix": after }).show();
 */
export function compareRuns(runs: RunsInput<CompareSource>, options: CompareRunsOptions = {}): Figure {
  const title = titleOption(options.title, "Runs compared", "compareRuns options.title");
  const m = compareMetrics(runs);
  const labels = m.map((r) => r.label);
  const base = m[0]!.throughput;
  const domains = panelDomains(4, 0.05);
  // Units go in the captions, not in x-axis titles, which would collide with the legend below.
  // tickformat: the x axis's; top: its range end when fixed (else room right of the longest bar).
  const panels: { caption: string; bars: { name: string; color: string; values: (number | null)[]; text: string[] }[]; tickformat: string; top?: number }[] = [
    {
      caption: "throughput (accesses/s)",
      tickformat: "~s",
      bars: [{ name: "throughput", color: SERIES_COLORS[0]!, values: m.map((r) => r.throughput), text: m.map((r, i) => `${si(r.throughput)}${i === 0 || base === 0 ? "" : ` (${signedPercent(r.throughput / base - 1)})`}`) }],
    },
    {
      caption: "hot pages on the fast tier at the end",
      tickformat: ".0%",
      top: 1.35,
      bars: [{ name: "hot share", color: kindColor("hbm").line, values: m.map((r) => r.hotShare), text: m.map((r) => (r.hotShare === null ? "no hot pages" : `${(r.hotShare * 100).toFixed(1)}%`)) }],
    },
    {
      caption: "pages migrated",
      tickformat: "~s",
      bars: [
        { name: "promoted (pgpromote_success)", color: kindColor("dram").line, values: m.map((r) => r.promoted), text: m.map((r) => si(r.promoted)) },
        { name: "demoted (pgdemote_kswapd + _direct)", color: kindColor("cxl").line, values: m.map((r) => r.demoted), text: m.map((r) => si(r.demoted)) },
      ],
    },
    {
      caption: "kernel CPU time (s)",
      tickformat: "",
      bars: [{ name: "system time", color: SERIES_COLORS[6]!, values: m.map((r) => r.systemTimeS), text: m.map((r) => `${r.systemTimeS.toPrecision(3)} s`) }],
    },
  ];
  const data: Data[] = [];
  const layout: Record<string, unknown> = {};
  const captions: Record<string, unknown>[] = [];
  panels.forEach((p, i) => {
    const x = axisNames("x", i);
    const max = Math.max(0, ...p.bars.flatMap((b) => b.values.map((v) => v ?? 0)));
    // Room right of the longest bar for its value label, which sits outside the bar.
    const top = p.top ?? (max > 0 ? max * 1.6 : 1);
    layout[x.key] = { domain: domains[i], anchor: "y", range: [0, top], tickformat: p.tickformat, zeroline: false, nticks: 4 };
    captions.push(panelCaption(p.caption, domains[i]!, [0, 1]));
    for (const b of p.bars) {
      data.push({
        type: "bar",
        orientation: "h",
        name: b.name,
        xaxis: x.ref,
        yaxis: "y",
        y: labels,
        x: b.values,
        text: b.text,
        textposition: "outside",
        cliponaxis: false,
        marker: { color: b.color },
        showlegend: p.bars.length > 1,
        hovertemplate: `%{y}: %{text}<extra>${b.name}</extra>`,
      } as Data);
    }
  });
  return new Figure(data, {
    title: { text: title },
    font: { family: FONT_FAMILY, size: 13 },
    barmode: "group",
    width: 1100,
    height: Math.max(320, 200 + 60 * labels.length),
    margin: { l: 20, r: 30, t: 90, b: 70 },
    ...layout,
    yaxis: { autorange: "reversed", automargin: true, ticksuffix: "  " },
    showlegend: true,
    legend: { orientation: "h", x: 0.5, y: -0.12, xanchor: "center", yanchor: "top" },
    annotations: captions,
  } as Partial<Layout>);
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

/** 3 significant digits with an SI suffix: 1234567 -> "1.23M". */
function si(v: number): string {
  const a = Math.abs(v);
  for (const [s, f] of [["G", 1e9], ["M", 1e6], ["k", 1e3]] as const) if (a >= f) return `${(v / f).toPrecision(3)}${s}`;
  return Number.isInteger(v) ? String(v) : v.toPrecision(3);
}

function signedPercent(x: number): string {
  return `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
}
