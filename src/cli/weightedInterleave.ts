/**
 * The weighted-interleave study of the gallery: calibration.md §1 (STREAM Triad, 64 threads,
 * 3 x 3 GiB on presets.sprCxl()) simulated for the five measured configurations and auto
 * weights, plus a 50-point weight sweep, as the figures and tables `tiersim figures` writes.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import type { Figure } from "../plots/figure.js";
import { bandwidthVsWeight } from "../plots/bandwidthVsWeight.js";
import { operatingPoints } from "../plots/operatingPoints.js";
import { tierOccupancy } from "../plots/tierOccupancy.js";
import { trafficSplit } from "../plots/trafficSplit.js";
import { policy, type PolicySetSpec } from "../policy/policySet.js";
import { operatingCurvesTable } from "../results/operatingCurves.js";
import type { SimulationResult } from "../results/simulationResult.js";
import { simulate } from "../sim/simulate.js";
import { sweep } from "../sim/sweep.js";
import { presets } from "../topology/presets.js";
import { workload } from "../workload/workloadBuilder.js";

/**
 * The files of the study, in the order they are written.
 *
 * @example
 * WEIGHTED_INTERLEAVE_FILES.filter((f) => f.endsWith(".png"))
 */
export const WEIGHTED_INTERLEAVE_FILES: readonly string[] = [
  "configs.csv",
  "sweep.csv",
  "bandwidth-vs-weight.html",
  "bandwidth-vs-weight.png",
  "operating-points-9-1.html",
  "operating-points-9-1.png",
  "traffic-split.html",
  "traffic-split.png",
  "tier-occupancy-9-1.html",
  "tier-occupancy-9-1.png",
];

/** calibration.md §1, Triad MB/s / 1000 (Gregory Price's weighted-interleave cover letter, v5). */
const CONFIGS: readonly { config: string; fastShare: number; policy: PolicySetSpec; measuredGBps: number | null }[] = [
  { config: "DRAM only", fastShare: 1, policy: policy().numactl("stream", "--membind=0").build(), measuredGBps: 208.5238 },
  { config: "CXL only", fastShare: 0, policy: policy().numactl("stream", "--membind=1").build(), measuredGBps: 24.4846 },
  { config: "interleave 1:1", fastShare: 0.5, policy: policy().numactl("stream", "--interleave=0,1").build(), measuredGBps: 48.7275 },
  { config: "weighted 9:1 task-wide", fastShare: 0.9, policy: policy().weights({ 0: 9, 1: 1 }).numactl("stream", "--weighted-interleave=0,1").build(), measuredGBps: 217.6715 },
  { config: "weighted 9:1 arrays only", fastShare: 0.9, policy: policy().weights({ 0: 9, 1: 1 }).mbind("stream", ["a", "b", "c"], "MPOL_WEIGHTED_INTERLEAVE", [0, 1]).build(), measuredGBps: 216.8848 },
  { config: "auto weights (28:3)", fastShare: 28 / 31, policy: policy().autoWeights().numactl("stream", "--weighted-interleave=0,1").build(), measuredGBps: null },
];

/**
 * Runs the study and writes its files under `dir`; returns their paths.
 *
 * @example
 * await writeWeightedInterleave("out/figures/weighted-interleave");
 */
export async function writeWeightedInterleave(dir: string, onFile: (file: string) => void = () => {}): Promise<string[]> {
  const machine = presets.sprCxl();
  const wl = workload()
    .process("stream", (p) => p.threads(64).on({ node: 0 }).stream({ kernel: "triad", arraySize: "3GiB" }))
    .build();
  const runs = new Map<string, SimulationResult>(CONFIGS.map((c) => [c.config, simulate({ topology: machine, workload: wl, policy: c.policy, duration: "10s", seed: 1 })]));
  const summaries = CONFIGS.map((c) => runs.get(c.config)!.summary.derive({ config: aq.escape(() => c.config) }));
  const configs: ColumnTable = summaries.slice(1).reduce((a, t) => a.concat(t), summaries[0]!).select("config", aq.not("config"));
  const configRows = CONFIGS.map((c) => ({ ...c, simulatedGBps: runs.get(c.config)!.summary.get("bandwidth_gbps", 0) as number }));
  const table = await sweep({
    base: { topology: machine, workload: wl, policy: policy().numactl("stream", "--weighted-interleave=0,1").build(), duration: "10s", seed: 1 },
    grid: { weights: Array.from({ length: 50 }, (_, i) => ({ 0: i + 1, 1: 1 })) },
  });
  const nine = runs.get("weighted 9:1 task-wide")!;
  const figures: Record<string, Figure> = {
    "bandwidth-vs-weight": bandwidthVsWeight(table, {
      title: "STREAM Triad on sprCxl: bandwidth vs DRAM:CXL interleave weights",
      marks: configRows.filter((c) => !c.config.includes("9:1")).map((c) => ({ label: c.config, fastShare: c.fastShare, bandwidthGBps: c.simulatedGBps })),
      measured: configRows.filter((c) => c.measuredGBps !== null).map((c) => ({ label: c.config, fastShare: c.fastShare, bandwidthGBps: c.measuredGBps! })),
    }),
    "operating-points-9-1": operatingPoints(operatingCurvesTable(machine, nine.nodes), nine.nodes, { title: "Weighted interleave 9:1: where each node runs" }),
    "traffic-split": trafficSplit(configs, { by: "config", title: "STREAM Triad: memory traffic per node under each policy" }),
    "tier-occupancy-9-1": tierOccupancy(nine, { title: "Weighted interleave 9:1: memory per node" }),
  };
  const written: string[] = [];
  for (const file of WEIGHTED_INTERLEAVE_FILES) {
    onFile(file);
    const path = join(dir, file);
    const [name, ext] = [file.replace(/\.\w+$/, ""), file.split(".").pop()];
    if (file === "configs.csv") writeFileSync(path, configs.toCSV());
    else if (file === "sweep.csv") writeFileSync(path, table.toCSV());
    else if (ext === "html") writeFileSync(path, figures[name]!.toHTML());
    else await figures[name]!.savePNG(path, { scale: 2 });
    written.push(path);
  }
  return written;
}
