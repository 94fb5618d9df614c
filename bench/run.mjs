// `npm run bench`: the engine benchmark (kept out of `npm test`). A 64 GiB, 4-node tiered
// scenario over 10 simulated minutes: two 32 GiB Zipf key-value heaps, one per socket, on
// twoSocketCxl with 16 GiB of DRAM per socket, NUMA balancing in tiering mode and demotion on.
// Reports wall time, simulated seconds per wall second, kernel events per second and peak RSS.
// Usage: npm run bench [-- --duration 10min]
import { parseArgs } from "node:util";
import { presets, workload, policy, simulate, withMemoryCapacity } from "../dist/index.js";

const { values } = parseArgs({ options: { duration: { type: "string", default: "10min" }, seed: { type: "string", default: "1" } } });

const machine = withMemoryCapacity(presets.twoSocketCxl(), { 0: "16GiB", 1: "16GiB" });
const heap = (node) => (p) =>
  p
    .threads(16)
    .on({ node })
    .region("heap", { size: "32GiB" })
    .phase(0, [{ region: "heap", pattern: { type: "zipf", exponent: 0.99, scatter: true }, readShare: 0.9 }]);
const wl = workload().process("kv0", heap(0)).process("kv1", heap(1)).build();
const pol = policy().sysctl("kernel.numa_balancing", 2).sysfs("/sys/kernel/mm/numa/demotion_enabled", "true").build();

let peakRss = 0;
let events = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const started = performance.now();
const run = simulate(
  { topology: machine, workload: wl, policy: pol, duration: values.duration, seed: Number(values.seed), epoch: "1s" },
  {
    onProgress: (p) => {
      events = p.kernelEvents;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      process.stderr.write(`\r${(p.fraction * 100).toFixed(0)}% ${p.simulatedS.toFixed(0)} s simulated, ${p.wallS.toFixed(1)} s wall`);
    },
  },
);
const wallS = (performance.now() - started) / 1000;
clearInterval(sampler);
process.stderr.write("\n");
const simulatedS = run.durationS;
const last = (c) => {
  const rows = run.vmstat.filter(`d => d.counter === '${c}'`).array("value");
  return rows.length ? rows[rows.length - 1] : 0;
};
const report = {
  scenario: "64 GiB on twoSocketCxl (16 GiB DRAM per socket), numa_balancing=2, demotion on",
  simulated_s: simulatedS,
  wall_s: Number(wallS.toFixed(2)),
  simulated_per_wall: Number((simulatedS / wallS).toFixed(1)),
  kernel_events: events,
  kernel_events_per_wall_s: Math.round(events / wallS),
  peak_rss_mib: Math.round(peakRss / 2 ** 20),
  numa_pte_updates: last("numa_pte_updates"),
  numa_hint_faults: last("numa_hint_faults"),
  pgpromote_success: last("pgpromote_success"),
  pgdemote_kswapd: last("pgdemote_kswapd"),
};
console.log(JSON.stringify(report, null, 2));
