/**
 * The convergence timeline: which share of each workload's hot pages sits on the fast tier over
 * time, runs overlaid. It is the figure of seed 000: without the fix a shmem working set demoted
 * to CXL is never scanned, so its line falls and stays down; with the fix it climbs back.
 */
import type { ColumnTable } from "arquero";
import type { Data, Layout } from "plotly.js-dist-min";
import { Figure } from "./figure.js";
import { hotCounts, HOT_SHARE_COLUMNS } from "./hotShare.js";
import { SERIES_COLORS, SERIES_DASHES } from "./palette.js";
import { timeLayout } from "./panels.js";
import { distinct, labelledRuns, nameList, seriesName, titleOption, type RunsInput } from "./runs.js";

/**
 * What {@link convergence} reads from a run: its occupancy table with the `toptier` and `hot`
 * columns. A SimulationResult fits.
 *
 * @example
 * plots.convergence({ occupancy: run.occupancy })
 */
export interface ConvergenceSource {
  readonly occupancy: ColumnTable;
}

/**
 * Options of {@link convergence}.
 *
 * @example
 * { processes: ["cachelib"], regions: ["cachelib/cache"], title: "seed 000: shmem hot set" }
 */
export interface ConvergenceOptions {
  /** Processes to draw (default all). */
  readonly processes?: readonly string[];
  /** Regions to count, by name ("cache") or as "process/region" (default all). */
  readonly regions?: readonly string[];
  /** Region kinds to count: "anon", "shmem", "file" (default all). */
  readonly kinds?: readonly string[];
  /** Figure title; default "Hot pages on the fast tier". */
  readonly title?: string;
}

/**
 * Share of each process's hot pages on toptier nodes (0..1, shown in %) against time, one line
 * per (run, process). Takes one run or `{ label: run }`; series are named "label: process".
 * Colour tells runs apart when there are several (dashes then tell processes apart); a single
 * run gets one colour per process. A process with no hot pages at a sample has a gap there.
 *
 * @example
 * plots.convergence({ "v6.16": before, "v6.16 + shmem fix": after }, { processes: ["cachelib"] }).show();
 */
export function convergence(runs: RunsInput<ConvergenceSource>, options: ConvergenceOptions = {}): Figure {
  const list = labelledRuns(runs, { occupancy: HOT_SHARE_COLUMNS }, "convergence(runs)");
  const tables = list.map((r) => r.run.occupancy);
  const processes = nameList(options.processes, distinct(tables, "process"), "convergence options.processes", '["cachelib"]');
  const regionNames = [...distinct(tables, "region"), ...qualifiedRegions(tables)];
  const regions = nameList(options.regions, regionNames, "convergence options.regions", '["cache"] or ["cachelib/cache"]');
  const kinds = nameList(options.kinds, ["anon", "shmem", "file"], "convergence options.kinds", '["shmem"]');
  const title = titleOption(options.title, "Hot pages on the fast tier", "convergence options.title");

  const byRunColour = list.length > 1;
  const data: Data[] = [];
  list.forEach(({ label, run }, runIndex) => {
    const { times, counts } = hotCounts(
      run.occupancy,
      (r) => r.process,
      (r) =>
        (!processes || processes.has(r.process)) &&
        (!regions || regions.has(r.region) || regions.has(`${r.process}/${r.region}`)) &&
        (!kinds || kinds.has(r.kind)),
    );
    [...counts.keys()].sort().forEach((process, procIndex) => {
      const byTime = counts.get(process)!;
      const colour = SERIES_COLORS[(byRunColour ? runIndex : procIndex) % SERIES_COLORS.length]!;
      const dash = byRunColour ? SERIES_DASHES[procIndex % SERIES_DASHES.length]! : "solid";
      const name = seriesName(label, process);
      data.push({
        type: "scatter",
        mode: "lines",
        name,
        x: times,
        y: times.map((t) => share(byTime.get(t))),
        customdata: times.map((t) => [byTime.get(t)?.fast ?? 0, byTime.get(t)?.total ?? 0]),
        connectgaps: false,
        // Later runs are drawn on top and thinner, so where runs coincide (before a fix acts)
        // the earlier run still shows as an outline instead of vanishing.
        line: { color: colour, dash, width: byRunColour ? Math.max(1.5, 4.5 - 1.5 * runIndex) : 2.5 },
        hovertemplate: `${name}<br>%{x:.2f} s: %{y:.1%} (%{customdata[0]} of %{customdata[1]} hot pages)<extra></extra>`,
      } as Data);
    });
  });

  return new Figure(data, {
    ...timeLayout(title, 460),
    // A fixed 0..100% axis: runs and figures compare at a glance, and "all hot pages are fast" is the top.
    yaxis: { title: { text: "hot pages on the fast tier (%)" }, range: [0, 1.04], tickformat: ".0%", zeroline: false },
    annotations: data.length === 0 ? [{ text: "no hot pages in the selected processes and regions", showarrow: false, xref: "paper", yref: "paper", x: 0.5, y: 0.5 }] : [],
  } as Partial<Layout>);
}

function share(c: { fast: number; total: number } | undefined): number | null {
  return c && c.total > 0 ? c.fast / c.total : null;
}

function qualifiedRegions(tables: readonly ColumnTable[]): string[] {
  const s = new Set<string>();
  for (const t of tables) {
    const p = t.array("process") as ArrayLike<string>;
    const r = t.array("region") as ArrayLike<string>;
    for (let i = 0; i < p.length; i++) s.add(`${p[i]}/${r[i]}`);
  }
  return [...s];
}
