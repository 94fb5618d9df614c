// The STREAM weight sweep both sweep test files use: sprCxl, triad over three 3 GiB arrays,
// 64 threads, numactl --weighted-interleave=0,1, and the 50 weight ratios 1:1 .. 50:1.
import { policy } from "../../src/policy/policySet.js";
import { presets } from "../../src/topology/presets.js";
import { workload } from "../../src/workload/index.js";
import type { Scenario } from "../../src/results/scenario.js";

const wl = workload()
  .process("stream", (p) => p.threads(64).on({ node: 0 }).stream({ kernel: "triad", arraySize: "3GiB" }))
  .build();

export const base: Scenario = { topology: presets.sprCxl(), workload: wl, policy: policy().numactl("stream", "--weighted-interleave=0,1").build(), duration: "10s", seed: 1 };
export const grid = { weights: Array.from({ length: 50 }, (_, i) => ({ 0: i + 1, 1: 1 })) };
