/**
 * The over-time and comparison figures, from hand-made tables (runFixtures.ts): every expected
 * value below is worked out from the rows written there.
 */
import * as aq from "arquero";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { plots } from "../../src/plots/index.js";
import { compareMetrics } from "../../src/plots/compareRuns.js";
import { counterUnit } from "../../src/plots/counterTimeline.js";
import { darken, kindColor, shade } from "../../src/plots/palette.js";
import { nodes, occAfter, occBefore, occupancy, summary, tasks, vmstat } from "./runFixtures.js";

type Trace = Record<string, unknown> & { name: string; x: number[]; y: (number | null)[]; line: { color: string; dash: string; shape?: string } };
const traces = (f: { data: unknown[] }) => f.data as Trace[];

const before = { occupancy: occupancy(occBefore) };
const after = { occupancy: occupancy(occAfter) };

describe("plots.convergence", () => {
  it("draws each process's share of hot pages on toptier nodes, cold pages ignored", () => {
    const fig = plots.convergence(before);
    const [cachelib, stream] = traces(fig);
    expect(traces(fig).map((t) => t.name)).toEqual(["cachelib", "stream"]);
    expect(cachelib!.x).toEqual([0, 1, 2]);
    // 400 of 400, 300 of 400, 100 of 400 hot pages on node 0; the cold 200 on node 1 never count.
    expect(cachelib!.y).toEqual([1, 0.75, 0.25]);
    expect(cachelib!.customdata).toEqual([[400, 400], [300, 400], [100, 400]]);
    // stream has no hot pages at t = 0: a gap, not 0%.
    expect(stream!.y).toEqual([null, 1, 1]);
    expect(cachelib!.line.color).not.toBe(stream!.line.color);
    expect(fig.layout.yaxis).toMatchObject({ tickformat: ".0%", range: [0, 1.04], title: { text: "hot pages on the fast tier (%)" } });
    expect(fig.layout.xaxis?.title).toEqual({ text: "time (s)" });
  });

  it("overlays runs: names carry the label, colour is the run, dash the process", () => {
    const fig = plots.convergence({ before, "with fix": after });
    const t = traces(fig);
    expect(t.map((x) => x.name)).toEqual(["before: cachelib", "before: stream", "with fix: cachelib", "with fix: stream"]);
    expect(t[2]!.y).toEqual([1, 0.75, 0.95]); // 380 of 400 back on DRAM at t = 2
    expect(t[0]!.line.color).toBe(t[1]!.line.color);
    expect(t[0]!.line.color).not.toBe(t[2]!.line.color);
    expect([t[0]!.line.dash, t[1]!.line.dash]).toEqual(["solid", "dash"]);
    // The later run is drawn on top, thinner: where runs coincide the earlier one still shows.
    expect((t[0]!.line as unknown as { width: number }).width).toBeGreaterThan((t[2]!.line as unknown as { width: number }).width);
    expect(fig.layout.legend).toMatchObject({ x: 1.02, xanchor: "left" }); // outside the plot area
  });

  it("filters by process, region (name or process/region) and kind", () => {
    expect(traces(plots.convergence({ before, after }, { processes: ["stream"] })).map((t) => t.name)).toEqual(["before: stream", "after: stream"]);
    expect(traces(plots.convergence(before, { regions: ["cache"] })).map((t) => t.name)).toEqual(["cachelib"]);
    expect(traces(plots.convergence(before, { regions: ["stream/a"] })).map((t) => t.name)).toEqual(["stream"]);
    expect(traces(plots.convergence(before, { kinds: ["shmem"] })).map((t) => t.name)).toEqual(["cachelib"]);
    const none = plots.convergence({ occupancy: occupancy(occBefore.filter((r) => !r[5])) });
    expect(none.data).toEqual([]);
    expect((none.layout.annotations as { text: string }[])[0]!.text).toMatch(/no hot pages/);
  });

  it("rejects unknown names, bad option types and tables without the hot columns", () => {
    expect(() => plots.convergence(before, { processes: ["memcached"] })).toThrow(/memcached, which no run has. Fix: use some of: cachelib, stream/);
    expect(() => plots.convergence(before, { processes: "cachelib" as never })).toThrow(/must be a non-empty array of names/);
    expect(() => plots.convergence(before, { regions: [] })).toThrow(UsageError);
    expect(() => plots.convergence(before, { kinds: ["heap"] })).toThrow(/heap/);
    expect(() => plots.convergence(before, { title: 3 as never })).toThrow(/options.title: got 3; must be a string/);
    const old = { occupancy: occupancy(occBefore).select("time_s", "node", "kind", "process", "region", "pages", "bytes") };
    expect(() => plots.convergence(old)).toThrow(/needs the columns toptier, hot/);
    expect(() => plots.convergence({})).toThrow(/needs at least one run/);
    expect(() => plots.convergence({ a: {} } as never)).toThrow(/convergence\(runs\)\["a"\]\.occupancy: .* is missing/);
    expect(() => plots.convergence(null as never)).toThrow(UsageError);
  });
});

describe("plots.counterTimeline", () => {
  // numa_hint_faults 0, 100, 300, 300 and pgpromote_success 0, 0, 50, 250 at t = 0, 1, 2, 4 s.
  const a = {
    vmstat: vmstat([
      [0, "numa_hint_faults", 0], [0, "pgpromote_success", 0],
      [1, "numa_hint_faults", 100], [1, "pgpromote_success", 0],
      [2, "numa_hint_faults", 300], [2, "pgpromote_success", 50],
      [4, "numa_hint_faults", 300], [4, "pgpromote_success", 250],
    ]),
  };
  const b = { vmstat: vmstat([[0, "numa_hint_faults", 0], [2, "numa_hint_faults", 1000]]) };

  it("draws cumulative values as sampled, one panel per counter top to bottom, sharing x", () => {
    const fig = plots.counterTimeline(a, ["numa_hint_faults", "pgpromote_success"]);
    const t = traces(fig);
    expect(t.map((x) => x.name)).toEqual(["numa_hint_faults", "pgpromote_success"]);
    expect(t[0]!.x).toEqual([0, 1, 2, 4]);
    expect(t[0]!.y).toEqual([0, 100, 300, 300]);
    expect(t.map((x) => [x.xaxis, x.yaxis])).toEqual([["x", "y"], ["x", "y2"]]);
    const layout = fig.layout as Record<string, { domain?: number[]; title?: { text: string }; anchor?: string }>;
    expect(layout.yaxis!.domain![0]).toBeGreaterThan(layout.yaxis2!.domain![1]!); // first counter on top
    expect(layout.xaxis!.anchor).toBe("y2"); // time ticks under the bottom panel only
    expect([layout.yaxis!.title!.text, layout.yaxis2!.title!.text]).toEqual(["faults", "pages"]);
    expect(fig.layout.showlegend).toBe(false); // one run: the panel captions name the counters
  });

  it("draws rates as the first difference over time_s, held over each interval", () => {
    const t = traces(plots.counterTimeline(a, ["numa_hint_faults", "pgpromote_success"], { rate: true }));
    // faults: 100/1 s, 200/1 s, 0/2 s; promotions: 0/1, 50/1, 200/2. The first rate repeats at t = 0.
    expect(t[0]!.x).toEqual([0, 1, 2, 4]);
    expect(t[0]!.y).toEqual([100, 100, 200, 0]);
    expect(t[1]!.y).toEqual([0, 0, 50, 100]);
    expect(t[0]!.line.shape).toBe("vh");
  });

  it("overlays runs with one legend entry per run, and skips a counter a run lacks", () => {
    const fig = plots.counterTimeline({ base: a, patched: b }, ["numa_hint_faults", "pgpromote_success"], { rate: true });
    const t = traces(fig);
    expect(t.map((x) => `${x.name}@${x.yaxis}`)).toEqual(["base@y", "patched@y", "base@y2"]);
    expect(t.map((x) => x.showlegend)).toEqual([true, true, false]);
    expect(t[1]!.y).toEqual([500, 500]);
    expect(t[0]!.line.color).toBe(t[2]!.line.color);
    expect(fig.layout.showlegend).toBe(true);
  });

  it("rejects counters no run has, empty lists and a non-boolean rate", () => {
    expect(() => plots.counterTimeline(a, ["pgdemote_kswapd"])).toThrow(/pgdemote_kswapd, which no run has. Fix: use some of: numa_hint_faults, pgpromote_success/);
    expect(() => plots.counterTimeline(a, [])).toThrow(UsageError);
    expect(() => plots.counterTimeline(a, "numa_hint_faults", { rate: "yes" as never })).toThrow(/rate: got "yes"; must be true or false/);
    expect(() => plots.counterTimeline({ vmstat: aq.table({ time_s: [0] }) }, ["x"])).toThrow(/needs the columns counter, value/);
  });

  it("names what each counter counts", () => {
    expect(["numa_pte_updates", "numa_hint_faults_local", "pgdemote_direct", "numa_pages_migrated", "nr_free_pages"].map(counterUnit)).toEqual(["PTEs", "faults", "pages", "pages", "events"]);
    expect(["cram_stored", "cram_refused", "cram_promotions", "cram_write_faults"].map(counterUnit)).toEqual(["pages", "pages", "pages", "faults"]);
  });
});

describe("plots.compareRuns", () => {
  // Time-weighted means (a sample holds until the next one):
  //   before: cachelib (100*1 + 200*2)/3 = 500/3, stream 60 -> 500/3 + 60 = 680/3
  //   after:  cachelib (100*1 + 300*2)/3 = 700/3, stream 60 -> 880/3, i.e. +29.41% over before
  // System time = sum of the final system_time_s: 0.3 + 0.2 = 0.5 and 0.4 + 0.2 = 0.6.
  // compareRuns reads these from run.summary (written here as summaryRows would give them).
  // Hot share at t = 2 over all processes: (100 + 50)/450 = 1/3 and (380 + 50)/450 = 43/45.
  const run = (thr: number, sys: number, occ: typeof occBefore, vm: [number, string, number][]) => ({
    tasks: tasks([
      [0, "cachelib", 100, 0, 1000], [1, "cachelib", thr, 0.1, 1000], [3, "cachelib", 999, sys, 1000],
      [0, "stream", 60, 0, null], [3, "stream", 60, 0.2, null],
    ]),
    summary: summary([["cachelib", (100 * 1 + thr * 2) / 3, sys], ["stream", 60, 0.2]]),
    occupancy: occupancy(occ),
    vmstat: vmstat(vm),
  });
  const runs = {
    before: run(200, 0.3, occBefore, [[0, "pgdemote_kswapd", 0], [3, "pgdemote_kswapd", 300], [3, "pgdemote_direct", 20], [3, "pgpromote_success", 0]]),
    after: run(300, 0.4, occAfter, [[3, "pgdemote_kswapd", 300], [1, "pgpromote_success", 100], [3, "pgpromote_success", 280]]),
  };

  it("computes each run's throughput, final hot share, migrations and system time", () => {
    const m = compareMetrics(runs);
    expect(m.map((r) => r.label)).toEqual(["before", "after"]);
    expect(m[0]!.throughput).toBeCloseTo(680 / 3, 9);
    expect(m[1]!.throughput).toBeCloseTo(880 / 3, 9);
    expect(m[0]!.hotShare).toBeCloseTo(1 / 3, 12);
    expect(m[1]!.hotShare).toBeCloseTo(43 / 45, 12);
    expect([m[0]!.promoted, m[0]!.demoted, m[1]!.promoted, m[1]!.demoted]).toEqual([0, 320, 280, 300]); // absent pgdemote_direct = 0
    expect(m[0]!.systemTimeS).toBeCloseTo(0.5, 12);
    expect(m[1]!.systemTimeS).toBeCloseTo(0.6, 12);
  });

  it("draws four panels of bars sharing the run labels", () => {
    const fig = plots.compareRuns(runs);
    const t = traces(fig) as unknown as (Trace & { y: string[]; text: string[] })[];
    expect(t.map((x) => x.xaxis)).toEqual(["x", "x2", "x3", "x3", "x4"]);
    expect(t.every((x) => x.yaxis === "y" && x.y.join() === "before,after")).toBe(true);
    expect(t[0]!.text).toEqual(["227", "293 (+29.4%)"]);
    expect(t[1]!.text).toEqual(["33.3%", "95.6%"]);
    expect(t[2]!.x).toEqual([0, 280]);
    expect(t[3]!.x).toEqual([320, 300]);
    expect(t.map((x) => x.showlegend)).toEqual([false, false, true, true, false]); // only promoted/demoted need a key
    expect(t[2]!.name).toMatch(/^promoted/);
    expect((fig.layout.annotations as { text: string }[]).map((a) => a.text)).toEqual(["<b>throughput (accesses/s)</b>", "<b>hot pages on the fast tier at the end</b>", "<b>pages migrated</b>", "<b>kernel CPU time (s)</b>"]);
  });

  it("names the missing column of an older result", () => {
    // compareRuns reads the summary (not tasks), so that is the table named.
    const old = { ...runs.before, summary: runs.before.summary.select("task", "throughput_accesses_per_s") };
    expect(() => plots.compareRuns({ old })).toThrow(/compareRuns\(runs\)\["old"\]\.summary: .*needs the column system_time_s/);
    expect(() => plots.compareRuns(runs, { title: {} as never })).toThrow(UsageError);
  });
});

describe("plots.scanActivity", () => {
  const run = {
    tasks: tasks([
      [0, "cachelib", 1, 0, 1000], [1, "cachelib", 1, 0, 2000], [2, "cachelib", 1, 0, 4000],
      [0, "idle", 1, 0, null], [2, "idle", 1, 0, null],
    ]),
    nodes: nodes([[0, 0, 1000], [0, 1, null], [1, 0, 800], [1, 1, null], [2, 0, 600], [2, 1, null]]),
  };

  it("draws scan period per task and promotion threshold per toptier node as steps", () => {
    const fig = plots.scanActivity(run);
    const t = traces(fig);
    expect(t.map((x) => `${x.name}@${x.yaxis}`)).toEqual(["cachelib@y", "node 0 dram@y2"]); // all-null series left out
    expect(t[0]!.y).toEqual([1000, 2000, 4000]);
    expect(t[1]!.x).toEqual([0, 1, 2]);
    expect(t[1]!.y).toEqual([1000, 800, 600]);
    expect(t[1]!.line.color).toBe(kindColor("dram").line);
    expect(t[0]!.line.shape).toBe("hv");
  });

  it("says why a panel is empty, and rejects tables without the columns", () => {
    const off = { tasks: tasks([[0, "cachelib", 1, 0, null]]), nodes: nodes([[0, 0, null]]) };
    const fig = plots.scanActivity(off);
    expect(fig.data).toEqual([]);
    expect((fig.layout.annotations as { text: string }[]).map((a) => a.text)).toContain("NUMA balancing off: no task has a scan period");
    expect(() => plots.scanActivity({ tasks: run.tasks, nodes: run.tasks })).toThrow(/scanActivity\(run.nodes\).*promo_threshold_ms/);
    expect(() => plots.scanActivity({} as never)).toThrow(UsageError);
  });
});

describe("plots.tierOccupancy by node+kind and hot", () => {
  const gib = (pages: number) => (pages * 4096) / 2 ** 30;
  const run = { occupancy: occupancy(occBefore), nodes: nodes([[0, 0, null], [0, 1, null]]) };

  it("stacks per node and region kind, node first, in the node's hue", () => {
    const t = traces(plots.tierOccupancy(run, { by: "node+kind" }));
    expect(t.map((x) => x.name)).toEqual(["node 0 dram (memory_tier0) anon", "node 0 dram (memory_tier0) shmem", "node 1 cxl (memory_tier1) shmem"]);
    expect(t[1]!.y).toEqual([gib(400), gib(300), gib(100)]);
    expect(t[2]!.y).toEqual([gib(200), gib(300), gib(500)]); // hot and cold alike
    expect(t[0]!.y).toEqual([0, gib(120), gib(120)]);
    expect(t[0]!.line.color).toBe(kindColor("dram").line);
    expect(t[1]!.line.color).toBe(shade(kindColor("dram").line, 0.3));
  });

  it("stacks per node and hot/cold", () => {
    const t = traces(plots.tierOccupancy(run, { by: "hot" }));
    expect(t.map((x) => x.name)).toEqual(["node 0 dram (memory_tier0) hot", "node 0 dram (memory_tier0) cold", "node 1 cxl (memory_tier1) hot", "node 1 cxl (memory_tier1) cold"]);
    expect(t[0]!.y).toEqual([gib(400), gib(350), gib(150)]);
    expect(t[2]!.y).toEqual([0, gib(100), gib(300)]);
    expect(t[3]!.line.color).toBe(shade(kindColor("cxl").line, 0.55));
  });

  it("tells two nodes of one memory kind apart: the second is darker, the hot/cold split kept", () => {
    // Two DRAM sockets (nodes 0 and 1) and one CXL node (2), 10 pages each at t = 0.
    const occ = aq.from([0, 1, 2].map((node) => ({ time_s: 0, node, tier: node === 2 ? 1 : 0, kind: "anon", process: "p", region: "r", hot: true, pages: 10, bytes: 40960 })));
    const nd = aq.from([0, 1, 2].map((node) => ({ time_s: 0, node, kind: node === 2 ? "cxl" : "dram" })));
    const byNode = traces(plots.tierOccupancy({ occupancy: occ, nodes: nd }));
    expect(byNode.map((t) => t.line.color)).toEqual([kindColor("dram").line, darken(kindColor("dram").line, 0.35), kindColor("cxl").line]);
    expect(darken("#1f5fa8", 0.5)).toBe("#103054");
    const byHot = traces(plots.tierOccupancy({ occupancy: occ, nodes: nd }, { by: "hot" }));
    expect(byHot[1]!.line.color).toBe(darken(kindColor("dram").line, 0.35));
  });

  it("rejects an unknown layering, and 'hot' without the hot column", () => {
    expect(() => plots.tierOccupancy(run, { by: "tier" as never })).toThrow(/options.by: got "tier"; must be one of node, region, kind, node\+kind, hot/);
    const noHot = { occupancy: run.occupancy.select("time_s", "node", "tier", "kind", "process", "region", "bytes") };
    expect(() => plots.tierOccupancy(noHot, { by: "hot" })).toThrow(/needs the column hot/);
    expect(traces(plots.tierOccupancy(noHot, { by: "node+kind" })).length).toBe(3);
  });
});
