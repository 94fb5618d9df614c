// %% [markdown]
// # 03 · A shmem cache that never comes back from CXL
//
// In June 2026 Johannes Weiner posted "mm: mempolicy: fix automatic numa balancing for shmem"
// (seed 000). Neha Gholkar had reported that cachelib-based caches on tiered machines would not
// converge: their working set lives in shared memory (tmpfs, or `MAP_SHARED|MAP_ANONYMOUS`), and
// NUMA balancing never looks at it. The reason is a scan-eligibility check. Since commit
// fc3147245d19, `task_numa_work()` skips every VMA whose policy lacks `MPOL_F_MOF`. For shmem that
// check reads only the file's *shared* policy, and when there is none (the common case) it
// answers "no". So it treats "the user never set a policy" the same as "the user pinned this
// memory with `mbind()`" (kernel-model.md §4.3). The fix falls back to the task policy, and the
// default policy carries MOF.
//
// Gregory Price's reply adds a second problem:
//
// > Demotions don't care about mempolicy, so opting shmem out of NUMA balancing and mbind'ing on
// > a tiered system is just full sadness.
//
// This notebook runs both on the simulated kernel, with two kernels side by side:
//
// 1. the machine (one Sapphire Rapids socket with 16 GiB of DRAM plus a CXL expander) and the
//    workload (a key-value cache on shmem, with other memory already using most of DRAM);
// 2. mainline against the fix (behaviour `shmemNumabFix`): where the cache's hot pages sit over
//    time, throughput, the vmstat counters, and the hot and cold memory per node;
// 3. the control: the same cache on anonymous memory, which is scanned on both kernels;
// 4. "Demotions don't care about mempolicy": a cache bound with `MPOL_BIND{DRAM}` is still
//    demoted to CXL and never comes back. First exact page counts on a tiny machine, then over
//    time, with the what-if `demotionHonoursMempolicy`;
// 5. a summary table.
//
// The rules are in kernel-model.md §4 (NUMA balancing), §5.3 (demotion), §5.4 (promotion) and
// §5.5 (how the two interact with mempolicy). Every claim below is checked by the cell after it,
// which throws if the simulation disagrees.

// %%
import { writeFileSync, mkdirSync } from "node:fs";
import * as aq from "arquero";
import * as tslab from "tslab";
import {
  presets,
  withMemoryCapacity,
  workload,
  policy,
  simulate,
  textProgress,
  boot,
  plots,
  Figure,
  closeRenderer,
  numactlHardware,
  memoryTiersSysfs,
  demotionTargetsText,
  deriveKernelTopology,
  BEHAVIOUR_STATUS,
  VERSION,
} from "../dist/index.js";
import type { SimulationResult, KernelBehaviours, PolicySetSpec, Process, Kernel } from "../dist/index.js";
console.log(`tiersim ${VERSION}`);

const PAGE = 4096;
const GiB = 2 ** 30;

/** Throws unless `ok`: every claim in the markdown goes through here. */
function check(ok: boolean, claim: string): void {
  if (!ok) throw new Error(`claim does not hold: ${claim}`);
  console.log(`ok: ${claim}`);
}

interface OccRow {
  time_s: number;
  node: number;
  toptier: boolean;
  kind: string;
  process: string;
  region: string;
  hot: boolean | null;
  pages: number;
}

/** The sample times of a run's occupancy table. */
function times(run: SimulationResult): number[] {
  return [...new Set(Array.from(run.occupancy.array("time_s") as ArrayLike<number>))].sort((a, b) => a - b);
}

/** The last sample time at or before `t`. */
function sampleAt(run: SimulationResult, t: number): number {
  const ts = times(run).filter((x) => x <= t + 1e-9);
  if (ts.length === 0) throw new Error(`no sample at or before ${t} s`);
  return ts[ts.length - 1]!;
}

/** Pages of `process` at sample time `t` (default: the end), optionally only hot / only on one side. */
function pagesOf(run: SimulationResult, process: string, opts: { t?: number; toptier?: boolean; hot?: boolean } = {}): number {
  const t = sampleAt(run, opts.t ?? run.durationS);
  let n = 0;
  for (const r of run.occupancy.objects() as OccRow[]) {
    if (r.time_s !== t || r.process !== process) continue;
    if (opts.toptier !== undefined && r.toptier !== opts.toptier) continue;
    if (opts.hot !== undefined && (r.hot === true) !== opts.hot) continue;
    n += r.pages;
  }
  return n;
}

/** Share of `process`'s hot pages on the fast tier at sample time `t` (default: the end). */
function hotShare(run: SimulationResult, process: string, t?: number): number {
  const all = pagesOf(run, process, { t, hot: true });
  return all === 0 ? NaN : pagesOf(run, process, { t, hot: true, toptier: true }) / all;
}

/** A cumulative /proc/vmstat counter at sample time `t` (default: the end). */
function counter(run: SimulationResult, name: string, t?: number): number {
  const at = t ?? run.durationS;
  let best = -1;
  let value = 0;
  for (const r of run.vmstat.objects() as { time_s: number; counter: string; value: number }[]) {
    if (r.counter === name && r.time_s <= at + 1e-9 && r.time_s >= best) {
      best = r.time_s;
      value = r.value;
    }
  }
  return value;
}

interface TaskRow {
  time_s: number;
  task: string;
  throughput_accesses_per_s: number;
  system_time_s: number | null;
  scan_period_ms: number | null;
}

function taskRows(run: SimulationResult, task: string): TaskRow[] {
  return (run.tasks.objects() as TaskRow[]).filter((r) => r.task === task).sort((a, b) => a.time_s - b.time_s);
}

/** Time-weighted mean throughput of `task` over the intervals in which it serves requests. */
function meanThroughput(run: SimulationResult, task: string): number {
  const rows = taskRows(run, task);
  let area = 0;
  let span = 0;
  rows.forEach((r, i) => {
    const dt = (i + 1 < rows.length ? rows[i + 1]!.time_s : run.durationS) - r.time_s;
    if (r.throughput_accesses_per_s > 0) {
      area += r.throughput_accesses_per_s * dt;
      span += dt;
    }
  });
  return span > 0 ? area / span : 0;
}

/** Throughput of `task` at the last sample. */
function finalThroughput(run: SimulationResult, task: string): number {
  return taskRows(run, task).at(-1)!.throughput_accesses_per_s;
}

/** Kernel CPU time of all tasks at the end of the run (scans, hinting faults, migrations). */
function systemTime(run: SimulationResult): number {
  const last = new Map<string, number>();
  for (const r of run.tasks.objects() as TaskRow[]) last.set(r.task, r.system_time_s ?? 0);
  return [...last.values()].reduce((a, b) => a + b, 0);
}

/** One line per run: the throughput of `task` over time. */
function throughputFigure(runs: Record<string, SimulationResult>, task: string, title: string): Figure {
  // The plots' own series colours and layout, so the lines match the convergence figure's.
  const colours = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759"];
  const data = Object.entries(runs).map(([label, run], i) => {
    const rows = taskRows(run, task);
    return {
      type: "scatter",
      mode: "lines",
      name: label,
      x: [...rows.map((r) => r.time_s), run.durationS],
      y: [...rows.map((r) => r.throughput_accesses_per_s / 1e6), rows.at(-1)!.throughput_accesses_per_s / 1e6],
      line: { color: colours[i % colours.length], width: 2.5, shape: "hv" },
      hovertemplate: `${label}<br>%{x:.1f} s: %{y:.1f} M accesses/s<extra></extra>`,
    };
  });
  return new Figure(data as never, {
    title: { text: title },
    font: { family: "DejaVu Sans, Open Sans, Arial, sans-serif", size: 13 },
    width: 1000,
    height: 420,
    margin: { l: 90, r: 20, t: 70, b: 60 },
    xaxis: { title: { text: "time (s)" }, zeroline: false },
    yaxis: { title: { text: `${task} throughput (M accesses/s)` }, rangemode: "tozero", zeroline: false },
    showlegend: true,
    legend: { orientation: "v", x: 1.02, y: 1, xanchor: "left", yanchor: "top" },
  } as never);
}

/** Every figure shown, by file name, for the export cell at the end. */
const figures: Record<string, Figure> = {};
function showFig(name: string, fig: Figure): void {
  figures[name] = fig;
  fig.show();
}

// %% [markdown]
// ## 1. The machine and the workload
//
// `presets.sprCxl()` has one socket: node 0 has the CPUs and DDR5, and node 1 is a CPU-less CXL
// expander. `withMemoryCapacity` cuts DRAM to 16 GiB so the workload does not fit. The CXL node
// gets its own, slower memory tier, and it is node 0's only demotion target (§5.1, §5.2).

// %%
const machine = withMemoryCapacity(presets.sprCxl(), { 0: "16GiB" });
const kt = deriveKernelTopology(machine);
console.log(numactlHardware(kt));
for (const [path, text] of Object.entries(memoryTiersSysfs(kt))) console.log(`${path}: ${text.trim()}`);
console.log(demotionTargetsText(kt));
const probe = boot(machine, { kernel: "v6.16" });
const wm0 = probe.buddy.watermarks(0);
const managed0 = probe.topo.managedPages(0);
console.log(`node 0: ${managed0} managed pages, watermarks (pages) min ${wm0.min} low ${wm0.low} high ${wm0.high} promo ${wm0.promo}`);
check(kt.isToptier(0) && !kt.isToptier(1), "node 0 (DRAM) is top tier, node 1 (CXL) is not");
check(JSON.stringify(kt.demotionTargets(0)) === "[1]" && kt.demotionTargets(1).length === 0, "node 0 demotes to node 1 only; node 1 demotes nowhere");

// %% [markdown]
// The workload has two processes:
//
// * `hog`: 14 GiB of anonymous memory, touched at boot and never used again. It stands in for
//   whatever already fills DRAM on a busy host: idle tenants, or a warm heap nobody reads.
// * `kv`: the cache. It has 32 threads on node 0 and an 8 GiB region of **shmem** (`MAP_SHARED|
//   MAP_ANONYMOUS`; the scenario layer maps a `kind: "shmem"` region that way). Reading starts
//   at 1 s. A fifth of the pages are hot and get 90% of the accesses, scattered over the region
//   the way a slab allocator scatters popular items.
//
// Both kernels run with `kernel.numa_balancing = 2` (tiering mode: only pages on slow-tier nodes
// are made PROT_NONE, §4.1, §4.4) and `demotion_enabled = true`. No process sets a memory policy.

// %%
const cache = { size: "8GiB", hotFraction: 0.2, hotShare: 0.9, at: "1s" } as const;
const cacheWorkload = (kind: "shmem" | "anon") =>
  workload()
    .process("hog", (p) => p.on({ node: 0 }).coldHog({ size: "14GiB" }))
    .process("kv", (p) => p.threads(32).on({ node: 0 }).kvCache({ ...cache, kind: kind }))
    .build();
const tiering = policy().sysctl("kernel.numa_balancing", 2).sysfs("/sys/kernel/mm/numa/demotion_enabled", "true");
const shmemWl = cacheWorkload("shmem");
tslab.display.html(
  aq
    .from(shmemWl.processes.flatMap((p) => p.regions.map((r) => ({ process: p.name, threads: p.threads, region: r.name, kind: r.kind, size_gib: r.sizeBytes / GiB, first_access_s: p.phases[0]!.startNs / 1e9 }))))
    .toHTML(),
);
console.log(`shmemNumabFix: ${BEHAVIOUR_STATUS.shmemNumabFix}`);

// %% [markdown]
// ## 2. Mainline against the fix
//
// It is the same scenario and the same seed in both runs. Only the kernel behaviour differs.

// %%
const scenario = (wl: typeof shmemWl, behaviours: KernelBehaviours) => ({ topology: machine, workload: wl, policy: tiering.build(), duration: "60s", seed: 1, behaviours: behaviours });
const shmemMain = simulate(scenario(shmemWl, {}), { onProgress: textProgress() });
const shmemFix = simulate(scenario(shmemWl, { shmemNumabFix: true }), { onProgress: textProgress() });
const shmemRuns = { "mainline (v6.16)": shmemMain, "v6.16 + shmem fix": shmemFix };

// %% [markdown]
// **Mainline.** The hog leaves 2 GiB of DRAM. The cache's first touches fill node 0
// down to its low watermark. After that, the default policy's fallback list takes node 1, and
// node 1 is above *its* low watermark, so the allocation succeeds without waking kswapd on node 0
// (§1.8: kswapd wakes only after every node in the zonelist has failed). Exactly
// `managed − hog − low` cache pages land on DRAM and the rest are born on CXL. The hot pages are
// scattered, so about a quarter of them are on DRAM. Then nothing happens. The shmem VMA has no
// shared policy, `vma_policy_mof()` says no, and the scanner never marks one of its PTEs. No
// hinting fault, no promotion, no demotion: the counters stay at zero and the hot share stays
// flat to the page for the whole minute.
//
// **With the fix**, the same VMA inherits MOF from the default policy. Its CXL pages are scanned,
// hot ones fault within the 1 s hot threshold and are promoted (§5.4). Each promotion that finds
// node 0 without headroom wakes kswapd, which demotes the coldest pages to make room: every
// page it demotes is the hog's. The hot set passes 90% on DRAM within half a minute and ends
// above 99.9%, and throughput ends about a third higher. About one page is demoted for every
// page promoted.

// %%
const hogPages = (14 * GiB) / PAGE;
const cachePages = (8 * GiB) / PAGE;
const onDram = managed0 - hogPages - wm0.low;
check(pagesOf(shmemMain, "kv", { toptier: true }) === onDram, `mainline: cache pages on DRAM = managed − hog − low = ${managed0} − ${hogPages} − ${wm0.low} = ${onDram}`);
check(pagesOf(shmemMain, "kv", { toptier: false }) === cachePages - onDram, `mainline: the other ${cachePages - onDram} cache pages are born on CXL`);
const mainShare = hotShare(shmemMain, "kv");
check(Math.abs(mainShare - onDram / cachePages) < 0.01, `mainline: ${(100 * mainShare).toFixed(1)}% of the hot set is on DRAM, about a quarter (the DRAM share of the whole cache, ${(100 * onDram / cachePages).toFixed(1)}%)`);
check(times(shmemMain).filter((t) => t >= 1).every((t) => hotShare(shmemMain, "kv", t) === mainShare), "mainline: the hot share never changes after the cache starts");
for (const c of ["numa_pte_updates", "numa_hint_faults", "pgpromote_success", "pgscan_kswapd", "pgdemote_kswapd", "pgdemote_direct"]) check(counter(shmemMain, c) === 0, `mainline: ${c} = 0`);
check(systemTime(shmemMain) === 0, "mainline: the cache spends no kernel time on NUMA balancing");

const fixShare = hotShare(shmemFix, "kv");
const t90 = times(shmemFix).find((t) => hotShare(shmemFix, "kv", t) >= 0.9)!;
check(t90 !== undefined && t90 < 30, `fix: the hot set passes 90% on DRAM at ${t90.toFixed(1)} s, within half a minute`);
check(fixShare > 0.999, `fix: ${(100 * fixShare).toFixed(2)}% of the hot set is on DRAM at the end`);
const gain = finalThroughput(shmemFix, "kv") / finalThroughput(shmemMain, "kv");
check(gain > 1.25 && gain < 1.45, `fix: final throughput ${(finalThroughput(shmemFix, "kv") / 1e6).toFixed(1)} M/s vs ${(finalThroughput(shmemMain, "kv") / 1e6).toFixed(1)} M/s, +${(100 * (gain - 1)).toFixed(0)}% (about a third)`);
const promoted = counter(shmemFix, "pgpromote_success");
const demoted = counter(shmemFix, "pgdemote_kswapd");
check(promoted > 0 && Math.abs(demoted / promoted - 1) < 0.02, `fix: ${demoted} pages demoted for ${promoted} promoted (one for one within 2%)`);
const hogDemoted = pagesOf(shmemFix, "hog", { toptier: false });
check(hogDemoted === demoted, `fix: all ${demoted} demoted pages are the hog's (${hogDemoted} hog pages on CXL at the end)`);

// %%
showFig("convergence-shmem", plots.convergence(shmemRuns, { processes: ["kv"], title: "shmem cache: hot pages on DRAM, mainline vs fix" }));
showFig("throughput-shmem", throughputFigure(shmemRuns, "kv", "shmem cache throughput over time"));

// %% [markdown]
// What a reviewer would paste in the thread: throughput, where the hot set ended, how much
// migration it took, and what it cost in kernel CPU time. Mainline pays nothing because it does
// nothing. The fix spends about 10 CPU-seconds over the run (out of 32 threads × 59 s) on scans,
// faults and promotions.

// %%
showFig("compare-shmem", plots.compareRuns(shmemRuns, { title: "shmem cache on sprCxl (16 GiB DRAM): mainline vs shmem fix" }));
const fixSys = systemTime(shmemFix);
check(fixSys > 8 && fixSys < 12, `fix: ${fixSys.toFixed(2)} s of kernel CPU time, about 10 s`);

// %% [markdown]
// The counters as rates. On mainline every panel is flat at zero. With the fix, the scanner
// marks the CXL-resident pages (`numa_pte_updates`), nearly all of them fault
// (`numa_hint_faults`), the hot ones are promoted, and kswapd demotes at the same pace. The
// rates fall as the slow tier runs out of hot pages to find.

// %%
const counters = ["numa_pte_updates", "numa_hint_faults", "pgpromote_success", "pgdemote_kswapd"];
showFig("counters-shmem", plots.counterTimeline(shmemRuns, counters, { rate: true, title: "shmem cache: NUMA balancing and demotion, per second" }));
check(counter(shmemFix, "numa_hint_faults") >= 0.99 * counter(shmemFix, "numa_pte_updates"), `fix: ${counter(shmemFix, "numa_hint_faults")} hinting faults for ${counter(shmemFix, "numa_pte_updates")} PTE updates`);
const early = counter(shmemFix, "numa_pte_updates", 20);
const late = counter(shmemFix, "numa_pte_updates") - counter(shmemFix, "numa_pte_updates", 40);
check(late < 0.01 * early, `fix: ${late} PTE updates in the last 20 s against ${early} in the first 20 s`);

// %% [markdown]
// Where the memory is, split into hot and cold pages per node. On mainline the picture does not
// move after 1 s. With the fix, the hot CXL layer drains into hot DRAM, and so does the cache's
// cold part. A cold cache page still gets about 8 accesses a second, so after a scan it faults
// well within the 1 s hot threshold, and to the kernel it is hot (§5.4 item 3). The hog's pages,
// which nobody reads, take their place on CXL.

// %%
showFig("occupancy-shmem-mainline", plots.tierOccupancy(shmemMain, { by: "hot", title: "mainline: hot and cold memory per node" }));
showFig("occupancy-shmem-fix", plots.tierOccupancy(shmemFix, { by: "hot", title: "with the shmem fix: hot and cold memory per node" }));
showFig("occupancy-shmem-fix-kind", plots.tierOccupancy(shmemFix, { by: "node+kind", title: "with the shmem fix: the cache (shmem) and the hog (anon) trade places" }));
check(pagesOf(shmemFix, "kv", { hot: true, toptier: false }) < 0.001 * pagesOf(shmemFix, "kv", { hot: true }), "fix: fewer than 0.1% of the hot pages are left on CXL");
const coldRate = ((1 - cache.hotShare) * finalThroughput(shmemMain, "kv")) / pagesOf(shmemMain, "kv", { hot: false });
check(coldRate > 5 && coldRate < 12, `a cold cache page gets ${coldRate.toFixed(1)} accesses/s (about 8): a mean fault latency of ${(1000 / coldRate).toFixed(0)} ms after a scan`);
check(pagesOf(shmemFix, "kv", { toptier: false }) < 0.001 * cachePages, `fix: ${pagesOf(shmemFix, "kv", { toptier: false })} cache pages, hot or cold, are left on CXL`);
check(pagesOf(shmemFix, "hog", { toptier: false }) === demoted, "fix: the hog's pages took their place");

// %% [markdown]
// ## 3. The control: the same cache on anonymous memory
//
// Only shmem is affected. An anonymous private mapping has no `get_policy` operation, so
// `vma_policy_mof()` falls back to the task's policy and the default policy carries MOF (§4.3).
// The same cache on `kind: "anon"` is scanned and converges on both kernels, and the two runs are
// identical: the fix does not touch anonymous memory. The fixed shmem run is also identical to
// the anon runs in every NUMA-balancing, reclaim and migration counter. With the fix, shmem
// behaves like anonymous memory, page for page. In the figure, three of the four lines lie on
// top of each other: later runs are drawn thinner, so the rising line shows the anon runs as
// its outer bands and the fixed shmem run as the thin line inside them.

// %%
const anonWl = cacheWorkload("anon");
const anonMain = simulate(scenario(anonWl, {}), { onProgress: textProgress() });
const anonFix = simulate(scenario(anonWl, { shmemNumabFix: true }), { onProgress: textProgress() });
showFig(
  "convergence-control",
  plots.convergence({ "anon, mainline": anonMain, "anon + fix": anonFix, "shmem, mainline": shmemMain, "shmem + fix": shmemFix }, { processes: ["kv"], title: "anonymous vs shmem cache: hot pages on DRAM" }),
);

// %%
check(JSON.stringify(anonMain.vmstat.objects()) === JSON.stringify(anonFix.vmstat.objects()), "anon: mainline and fix give the same vmstat table, sample for sample");
check(JSON.stringify(anonMain.occupancy.objects()) === JSON.stringify(anonFix.occupancy.objects()), "anon: mainline and fix give the same occupancy table");
check(hotShare(anonMain, "kv") > 0.999, `anon, mainline: ${(100 * hotShare(anonMain, "kv")).toFixed(2)}% of the hot set on DRAM at the end`);
// nr_anon_pages / nr_shmem / nr_file_pages count the kind of memory, which differs by construction.
const byKind = new Set(["nr_anon_pages", "nr_shmem", "nr_file_pages"]);
const finalCounters = (run: SimulationResult) => (run.vmstat.objects() as { time_s: number; counter: string; value: number }[]).filter((r) => r.time_s === run.durationS && !byKind.has(r.counter));
check(JSON.stringify(finalCounters(shmemFix)) === JSON.stringify(finalCounters(anonMain)), "shmem + fix: every other counter equals the anon run's at the end");
check(times(shmemFix).every((t) => hotShare(shmemFix, "kv", t) === hotShare(anonMain, "kv", t) || (isNaN(hotShare(shmemFix, "kv", t)) && isNaN(hotShare(anonMain, "kv", t)))), "shmem + fix: the same hot share as anon at every sample");

// %% [markdown]
// ## 4. "Demotions don't care about mempolicy"
//
// Suppose the cache's owner sees the drift and pins the cache with `mbind(MPOL_BIND, {0})`, the
// Oracle approach that fc3147245d19 was written for. Two rules make that fail on a tiered
// machine:
//
// * **Demotion ignores mempolicy** (§5.3). Reclaim moves a BIND{0} page to CXL like any other
//   cold page. The kernel's `demote_folio_list` says so in a comment.
// * **An explicit BIND without `MPOL_F_NUMA_BALANCING` is never scanned** (§4.3). BIND carries
//   MOF only with that flag. The Weiner fix keeps this exclusion on purpose ("don't scan stuff the
//   user explicitly pinned"). A demoted page never gets a hinting fault, so it is never promoted.
//
// ### 4a. Exact page counts on a tiny machine
//
// Here the machine layer runs the same calls a C program would make, on sprCxl cut to 64 MiB of
// DRAM (16384 pages) and 256 MiB of CXL. One process maps shmem, mbinds it BIND{0} and
// write-touches `N = managed − low + 5` pages. The derivation from the rules:
//
// * Allocation (§1.8, §1.9): the fast path takes pages while free > low, leaving free = low. The
//   5 pages left fail the low check on node 0. BIND allows no other node, so kswapd(0) is woken
//   and the retry at the min watermark takes them: free = low − 5.
// * kswapd (§5.3) runs in rounds of SWAP_CLUSTER_MAX = 32 until free ≥ the promo watermark
//   (tiering mode, §5.4 item 5). Demotion is on and node 1 is node 0's target, so it demotes
//   `32 × ceil((promo − (low − 5)) / 32)` pages of the bound cache to node 1.
// * The pages are then read for 10 s at 10 M accesses/s in tiering mode. The BIND VMA has no MOF,
//   so `numa_pte_updates` stays at 0 and the demoted pages stay on node 1. This is the same with
//   the shmem fix, which leaves explicit policies alone.
// * With the what-if `demotionHonoursMempolicy`, a BIND{0} page has no allowed demotion target.
//   No page moves, and kswapd gives up after MAX_RECLAIM_RETRIES = 16 failed runs.

// %%
const tiny = withMemoryCapacity(presets.sprCxl(), { 0: "64MiB", 1: "256MiB" });
interface TinyResult {
  kernel: string;
  N: number;
  free_after_touch: number;
  expected_demoted: number;
  pgdemote_kswapd: number;
  numa_maps: string;
  pte_updates_10s: number;
  on_cxl_after_10s: number;
  kswapd_failures: number;
  pgpromote_10s: number;
  pgdemote_10s: number;
}
function tinyRun(label: string, behaviours: KernelBehaviours, mode: string = "MPOL_BIND"): TinyResult {
  const k: Kernel = boot(tiny, { kernel: "v6.16", numaBalancing: 2, behaviours: behaviours });
  k.sysfs.write("/sys/kernel/mm/numa/demotion_enabled", "true");
  const wm = k.buddy.watermarks(0);
  const N = k.topo.managedPages(0) - wm.low + 5;
  const p: Process = k.spawn({ cpu: 0 });
  const a = p.mmap(N * PAGE, { shared: true });
  p.mbind(a, N * PAGE, mode, [0]);
  p.touch(a, N * PAGE, { write: true });
  const freeAfterTouch = k.buddy.free[0]!;
  k.advance("1s");
  const demotedPages = k.vmstat().pgdemote_kswapd ?? 0;
  const maps = p.numaMaps().trim();
  const vma = p.mm.find(a / PAGE)!;
  const frames = new Int32Array(N);
  for (let i = 0; i < N; i++) frames[i] = p.frameAt(vma, a / PAGE + i);
  k.access.setMany(frames, new Float64Array(N).fill(1 / N), { pid: p.pid, sequential: false, writeShare: 0.1 });
  k.access.setTaskRate(p.pid, 1e7);
  k.advance("10s");
  let onCxl = 0;
  for (let i = 0; i < N; i++) if (k.frames.node[p.frameAt(vma, a / PAGE + i)] === 1) onCxl++;
  return {
    kernel: label,
    N: N,
    free_after_touch: freeAfterTouch,
    expected_demoted: behaviours.demotionHonoursMempolicy ? 0 : 32 * Math.ceil((wm.promo - (wm.low - 5)) / 32),
    pgdemote_kswapd: demotedPages,
    numa_maps: maps.replace(/^\S+ /, ""),
    pte_updates_10s: k.vmstat().numa_pte_updates ?? 0,
    on_cxl_after_10s: onCxl,
    kswapd_failures: k.reclaim.kswapdFailures[0]!,
    pgpromote_10s: k.vmstat().pgpromote_success ?? 0,
    pgdemote_10s: k.vmstat().pgdemote_kswapd ?? 0,
  };
}
const tinyWm = boot(tiny, { kernel: "v6.16" }).buddy.watermarks(0);
console.log(`tiny node 0 watermarks: min ${tinyWm.min} low ${tinyWm.low} high ${tinyWm.high} promo ${tinyWm.promo}`);
const tinyRows = [tinyRun("mainline", {}), tinyRun("mainline + shmem fix", { shmemNumabFix: true }), tinyRun("what-if: demotionHonoursMempolicy", { demotionHonoursMempolicy: true })];
tslab.display.html(aq.from(tinyRows).toHTML());

// %%
for (const r of tinyRows) {
  check(r.free_after_touch === tinyWm.low - 5, `${r.kernel}: free after the touch = low − 5 = ${tinyWm.low - 5}`);
  check(r.pgdemote_kswapd === r.expected_demoted, `${r.kernel}: pgdemote_kswapd = ${r.expected_demoted}${r.expected_demoted ? ` = 32 × ceil((${tinyWm.promo} − ${tinyWm.low - 5}) / 32)` : ""}`);
  check(r.numa_maps.includes(`bind:0`) && r.numa_maps.includes(` N0=${r.N - r.expected_demoted}`) && (r.expected_demoted === 0 ? !/ N1=/.test(r.numa_maps) : r.numa_maps.includes(` N1=${r.expected_demoted}`)), `${r.kernel}: numa_maps shows bind:0 with N0=${r.N - r.expected_demoted}${r.expected_demoted ? ` N1=${r.expected_demoted}` : ""}`);
  check(r.pte_updates_10s === 0 && r.on_cxl_after_10s === r.expected_demoted, `${r.kernel}: after 10 s of reads, numa_pte_updates = 0 and ${r.expected_demoted} pages are still on CXL`);
}
check(tinyRows[2]!.kswapd_failures === 16, "what-if: kswapd gave up after 16 failed runs (MAX_RECLAIM_RETRIES)");

// %% [markdown]
// The same process with `MPOL_BIND | MPOL_F_NUMA_BALANCING` is the way out that the kernel does
// offer (§4.6: BIND with the flag carries MOF, and a CPU on node 0, which is in the mask, promotes
// to node 0). The demoted pages are scanned and promoted back. Since the cache fills DRAM, each
// promotion needs room that kswapd makes by demoting again, so pages keep moving both ways.

// %%
const tinyNb = tinyRun("mainline, BIND|MPOL_F_NUMA_BALANCING", {}, "MPOL_BIND|MPOL_F_NUMA_BALANCING");
tslab.display.html(aq.from([tinyNb]).toHTML());
check(tinyNb.pgdemote_kswapd === tinyNb.expected_demoted && tinyNb.pte_updates_10s > 0, `BIND|MPOL_F_NUMA_BALANCING: the same ${tinyNb.expected_demoted} pages are demoted, and then scanned (${tinyNb.pte_updates_10s} PTE updates)`);
check(tinyNb.pgpromote_10s > 0 && tinyNb.pgdemote_10s > tinyNb.pgdemote_kswapd, `BIND|MPOL_F_NUMA_BALANCING: ${tinyNb.pgpromote_10s} pages promoted back in 10 s, while kswapd demoted ${tinyNb.pgdemote_10s - tinyNb.pgdemote_kswapd} more`);

// %% [markdown]
// ### 4b. Over time: a bound cache, a quiet spell and a batch job
//
// The same story at scale needs pressure that reclaim resolves by demoting the cache's pages. On
// a tiered machine the usual source is promotion itself. The machine is sprCxl cut to 8 GiB of
// DRAM (smaller than above, so these three runs stay quick):
//
// * `kv`: a 6 GiB shmem cache, mbind'ed `MPOL_BIND{0}`. It serves requests from 0 s, goes quiet
//   at 4 s (a traffic lull), and resumes with the same hot set at 16 s.
// * `batch`: a 2.5 GiB anonymous batch job, default policy, that reads its memory uniformly from
//   4 s to 16 s. Most of it fits on DRAM, and the rest is born on CXL. NUMA balancing promotes
//   its CXL pages. Each promotion without headroom wakes kswapd, which demotes the coldest pages
//   on node 0: the idle cache's.
//
// Three kernels: mainline; mainline with the cache bound `MPOL_BIND|MPOL_F_NUMA_BALANCING`; and
// the what-if `demotionHonoursMempolicy`.

// %%
const small = withMemoryCapacity(presets.sprCxl(), { 0: "8GiB" });
const kvPattern = { type: "kvCache", hotFraction: 0.2, hotShare: 0.9 } as const;
const bindWl = workload()
  .process("kv", (p) =>
    p
      .threads(32)
      .on({ node: 0 })
      .region("cache", { size: "6GiB", kind: "shmem" })
      .perf({ mlp: 2, computeNs: 250 })
      .phase("0s", [{ region: "cache", pattern: kvPattern }])
      .phase("4s", [])
      .phase("16s", [{ region: "cache", pattern: kvPattern }]),
  )
  .process("batch", (p) => p.threads(16).on({ node: 0 }).uniform({ size: "2560MiB", region: "heap", at: "4s" }).phase("16s", []))
  .build();
const bindScenario = (pol: PolicySetSpec, behaviours: KernelBehaviours) => ({ topology: small, workload: bindWl, policy: pol, duration: "32s", seed: 1, behaviours: behaviours });
const bound = tiering.mbind("kv", "cache", "MPOL_BIND", [0]).build();
const boundNb = tiering.mbind("kv", "cache", "MPOL_BIND", [0], ["MPOL_F_NUMA_BALANCING"]).build();
const bindMain = simulate(bindScenario(bound, {}), { onProgress: textProgress() });
const bindNb = simulate(bindScenario(boundNb, {}), { onProgress: textProgress() });
const bindWhatIf = simulate(bindScenario(bound, { demotionHonoursMempolicy: true }), { onProgress: textProgress() });
const bindRuns = { "mainline, BIND{0}": bindMain, "mainline, BIND{0}|NUMA_BALANCING": bindNb, "what-if: demotion honours BIND": bindWhatIf };
showFig("convergence-bind", plots.convergence(bindRuns, { processes: ["kv"], title: "BIND{DRAM} shmem cache: hot pages on DRAM" }));
showFig("occupancy-bind-mainline", plots.tierOccupancy(bindMain, { by: "node+kind", title: "mainline: the BIND{0} cache (shmem) on node 1 after the batch job" }));
showFig("occupancy-bind-whatif", plots.tierOccupancy(bindWhatIf, { by: "node+kind", title: "what-if: demotion honours BIND, the cache stays on node 0" }));

// %% [markdown]
// **Mainline.** While the batch job runs, its promotions push a few hundred MiB of the bound
// cache to CXL. When the cache wakes up at 16 s, nothing brings those pages back. The cache's
// pages on CXL and `numa_pte_updates` are the same at 16 s and at 32 s, and the hot set stays
// short of 100% on DRAM.
//
// **With `MPOL_F_NUMA_BALANCING`** the demotion is the same, but once the cache runs again its
// CXL pages are scanned and promoted, and kswapd now demotes the idle batch job instead. By the
// end, fewer than a tenth of the demoted cache pages are still on CXL.
//
// **What-if.** No cache page ever leaves node 0, but the batch job pays for it. kswapd finds
// nothing it may demote: the cache is bound, and the batch pages are all referenced. No
// promotion succeeds, and the batch's CXL pages stay where they were born. That costs more than
// it seems: in tiering mode, a hinting fault on a slow-tier page that stays there is not counted
// in the task's fault statistics (`task_numa_fault` returns early, §4.9; checked in the kernel
// source). So failed promotions never slow the scanner down. The batch keeps scanning at its
// minimum period of 100 ms and takes several times the hinting faults of the mainline run for
// nothing. kswapd, woken by the failed promotions, walks more than a hundred times as many
// pages as in the mainline run and frees none.

// %%
const resume = sampleAt(bindMain, 16);
const demotedCache = pagesOf(bindMain, "kv", { t: resume, toptier: false });
check(demotedCache > 50_000 && demotedCache < 250_000, `mainline: ${demotedCache} pages (${((demotedCache * PAGE) / 2 ** 20).toFixed(0)} MiB) of the BIND{0} cache are on CXL when it resumes`);
check(pagesOf(bindMain, "kv", { toptier: false }) === demotedCache, "mainline: exactly as many are on CXL at the end: none came back");
check(counter(bindMain, "numa_pte_updates", resume) === counter(bindMain, "numa_pte_updates"), "mainline: numa_pte_updates does not move after the cache resumes (the BIND VMA is not scanned)");
check(hotShare(bindMain, "kv") < 0.97, `mainline: ${(100 * hotShare(bindMain, "kv")).toFixed(1)}% of the bound cache's hot set on DRAM at the end`);

check(pagesOf(bindNb, "kv", { t: resume, toptier: false }) === demotedCache, "BIND|NUMA_BALANCING: the same pages were demoted by 16 s");
check(pagesOf(bindNb, "kv", { toptier: false }) < 0.1 * demotedCache, `BIND|NUMA_BALANCING: ${pagesOf(bindNb, "kv", { toptier: false })} of them left on CXL at the end, fewer than a tenth`);
check(pagesOf(bindNb, "batch", { toptier: false }) > pagesOf(bindNb, "batch", { t: resume, toptier: false }), "BIND|NUMA_BALANCING: the idle batch job's pages are demoted to make room");
check(hotShare(bindNb, "kv") > hotShare(bindMain, "kv"), `BIND|NUMA_BALANCING: ${(100 * hotShare(bindNb, "kv")).toFixed(1)}% of the hot set on DRAM at the end`);

check(times(bindWhatIf).every((t) => pagesOf(bindWhatIf, "kv", { t, toptier: false }) === 0), "what-if: no cache page is on CXL at any sample");
check(counter(bindWhatIf, "pgdemote_kswapd") === 0 && counter(bindWhatIf, "pgpromote_success") === 0, "what-if: nothing is demoted and nothing is promoted");
const batchBorn = pagesOf(bindWhatIf, "batch", { t: sampleAt(bindWhatIf, 4.5), toptier: false });
check(batchBorn > 0 && batchBorn < 0.5 * pagesOf(bindWhatIf, "batch"), `the batch job: ${batchBorn} of its ${pagesOf(bindWhatIf, "batch")} pages are born on CXL`);
check(pagesOf(bindWhatIf, "batch", { toptier: false }) === batchBorn, `what-if: the batch job's ${batchBorn} CXL pages stay there`);
const batchPeriod = taskRows(bindWhatIf, "batch").find((r) => r.time_s >= 15)!.scan_period_ms;
check(batchPeriod === 100, `what-if: the batch job still scans every ${batchPeriod} ms at 15 s`);
const faultRatio = counter(bindWhatIf, "numa_hint_faults") / counter(bindMain, "numa_hint_faults");
check(faultRatio > 4, `what-if: ${counter(bindWhatIf, "numa_hint_faults")} hinting faults, ${faultRatio.toFixed(1)}× the mainline run's ${counter(bindMain, "numa_hint_faults")}`);
const scanRatio = counter(bindWhatIf, "pgscan_kswapd") / counter(bindMain, "pgscan_kswapd");
check(scanRatio > 100 && counter(bindWhatIf, "pgsteal_kswapd") === 0, `what-if: kswapd scanned ${counter(bindWhatIf, "pgscan_kswapd")} pages (${scanRatio.toFixed(0)}× mainline) and reclaimed none`);

// %% [markdown]
// The counters of the three runs. Until 16 s the two mainline runs are identical, so the
// orange line hides the blue one. After 16 s the mainline run's counters stay at zero. The
// what-if (green) scans at a steady few hundred thousand PTEs a second while the batch runs, and
// promotes and demotes nothing.

// %%
showFig("counters-bind", plots.counterTimeline(bindRuns, counters, { rate: true, title: "BIND{DRAM} cache and batch job: NUMA balancing and demotion, per second" }));
const vmRows = (run: SimulationResult, from: number, to: number) => JSON.stringify((run.vmstat.objects() as { time_s: number }[]).filter((r) => r.time_s >= from && r.time_s < to));
check(vmRows(bindMain, 0, 16) === vmRows(bindNb, 0, 16), "the two mainline runs have the same vmstat samples before 16 s");
for (const c of counters) check(counter(bindMain, c, resume) === counter(bindMain, c), `mainline: ${c} does not move after 16 s`);
const whatIfRate = (counter(bindWhatIf, "numa_pte_updates", 16) - counter(bindWhatIf, "numa_pte_updates", 5)) / (sampleAt(bindWhatIf, 16) - sampleAt(bindWhatIf, 5));
check(whatIfRate > 1e5 && whatIfRate < 1e6, `what-if: ${(whatIfRate / 1e3).toFixed(0)}k PTE updates a second from 5 s to 16 s`);

// %% [markdown]
// ## 5. What to look at
//
// One row per run. The hot share and throughput are the cache's (`kv`). Throughput is averaged
// over the time the cache serves requests. Promoted and demoted pages come from `/proc/vmstat`
// (`pgpromote_success`; `pgdemote_kswapd + pgdemote_direct`). System time is the tasks' kernel
// CPU time for scanning, hinting faults and promotions; kswapd's own time is not in it.
//
// * The shmem fix moves the shmem cache from about a quarter of its hot set on DRAM to all of it,
//   for about 10 CPU-seconds a minute. The anonymous cache gets the same on both kernels.
// * BIND{DRAM} does not keep a cache on DRAM on mainline. Demotion moves its pages anyway, and
//   BIND without `MPOL_F_NUMA_BALANCING` keeps them from coming back. With the flag they come
//   back, at the price of scanning. The what-if keeps them in place, and the other tenant pays.

// %%
const allRuns: { scenario: string; kernel: string; run: SimulationResult }[] = [
  { scenario: "shmem cache", kernel: "mainline (v6.16)", run: shmemMain },
  { scenario: "shmem cache", kernel: "+ shmemNumabFix", run: shmemFix },
  { scenario: "anon cache (control)", kernel: "mainline (v6.16)", run: anonMain },
  { scenario: "anon cache (control)", kernel: "+ shmemNumabFix", run: anonFix },
  { scenario: "BIND{0} shmem cache + batch", kernel: "mainline (v6.16)", run: bindMain },
  { scenario: "BIND{0}|NUMA_BALANCING + batch", kernel: "mainline (v6.16)", run: bindNb },
  { scenario: "BIND{0} shmem cache + batch", kernel: "what-if: demotionHonoursMempolicy", run: bindWhatIf },
];
const summary = aq.from(
  allRuns.map(({ scenario: s, kernel, run }) => ({
    scenario: s,
    kernel: kernel,
    hot_on_dram_end: hotShare(run, "kv"),
    mean_throughput_maccess_s: meanThroughput(run, "kv") / 1e6,
    promoted_pages: counter(run, "pgpromote_success"),
    demoted_pages: counter(run, "pgdemote_kswapd") + counter(run, "pgdemote_direct"),
    system_time_s: systemTime(run),
  })),
);
tslab.display.html(
  summary.toHTML({
    format: {
      hot_on_dram_end: (v: number) => `${(100 * v).toFixed(1)}%`,
      mean_throughput_maccess_s: (v: number) => v.toFixed(1),
      system_time_s: (v: number) => v.toFixed(2),
    },
  }),
);
const rows = summary.objects() as { hot_on_dram_end: number; mean_throughput_maccess_s: number; system_time_s: number }[];
check(rows[0]!.hot_on_dram_end < 0.3 && rows[1]!.hot_on_dram_end > 0.999, "summary: shmem goes from about a quarter of the hot set on DRAM to all of it");
check(rows[1]!.mean_throughput_maccess_s > rows[0]!.mean_throughput_maccess_s, "summary: the fix raises the shmem cache's mean throughput");
check(rows[2]!.hot_on_dram_end > 0.999 && rows[3]!.hot_on_dram_end > 0.999, "summary: the anonymous cache converges on both kernels");
check(rows[1]!.system_time_s > 8 && rows[1]!.system_time_s < 12, "summary: about 10 CPU-seconds for the fix over the minute");
check(rows[4]!.hot_on_dram_end < 0.97 && rows[5]!.hot_on_dram_end > rows[4]!.hot_on_dram_end && rows[5]!.system_time_s > rows[4]!.system_time_s, "summary: with MPOL_F_NUMA_BALANCING the bound cache's pages come back, for more kernel time");
check(rows[6]!.hot_on_dram_end === 1, "summary: the what-if keeps the whole hot set on DRAM");

// %% [markdown]
// ## What this does not show
//
// * NUMA groups are not modelled (§4.10), and tasks stay on the CPUs they were given. The cache
//   here is a single process, so shared-fault grouping does not come into play.
// * kswapd's CPU time is charged to kswapd, not to the tasks, so the system-time column leaves
//   out the cost of demotion.
// * The access model is rates, not events (DESIGN.md decision 2). "Hot" is the workload's hot
//   set, and the kernel learns it only through hinting-fault latency and the referenced bit.
// * The Weiner fix is a posted patch of unknown merge status (kernel-model.md §8 item 10), and
//   `demotionHonoursMempolicy` is a what-if with no patch behind it.

// %%
const outDir = process.env.TIERSIM_FIGURES_DIR;
if (outDir) {
  const dir = `${outDir}/03-shmem-numa-balancing`;
  mkdirSync(dir, { recursive: true });
  for (const [name, fig] of Object.entries(figures)) {
    await fig.savePNG(`${dir}/${name}.png`);
    writeFileSync(`${dir}/${name}.html`, fig.toHTML());
  }
  await closeRenderer();
  writeFileSync(`${dir}/summary.csv`, summary.toCSV());
  writeFileSync(`${dir}/tiny-bind.csv`, aq.from([...tinyRows, tinyNb]).toCSV());
  for (const [name, run] of Object.entries({ "shmem-mainline": shmemMain, "shmem-fix": shmemFix, "bind-mainline": bindMain, "bind-whatif": bindWhatIf })) {
    writeFileSync(`${dir}/${name}-vmstat.csv`, run.vmstat.toCSV());
    writeFileSync(`${dir}/${name}-occupancy.csv`, run.occupancy.toCSV());
  }
  console.log(`wrote ${Object.keys(figures).length} figures and the tables to ${dir}`);
}
