// `npm run bench`: the engine benchmark (kept out of `npm test`). A 64 GiB, 4-node tiered
// scenario over 10 simulated minutes on twoSocketCxl with 16 GiB of DRAM per socket: per socket
// one process with 24 GiB of idle memory (touched first, so it fills DRAM) and an 8 GiB
// key-value cache (20% of its pages take 90% of the accesses) that spills to CXL; NUMA
// balancing in tiering mode promotes the cache while kswapd demotes the idle memory.
// Reports wall time, simulated seconds per wall second, kernel events per second and peak RSS.
// Usage: npm run bench [-- --duration 10min]
import { parseArgs } from "node:util";
import { presets, workload, policy, simulate, withMemoryCapacity } from "../dist/index.js";

const { values } = parseArgs({ options: { duration: { type: "string", default: "10min" }, seed: { type: "string", default: "1" } } });

const machine = withMemoryCapacity(presets.twoSocketCxl(), { 0: "16GiB", 1: "16GiB" });
const proc = (node) => (p) =>
  p
    .threads(16)
    .on({ node })
    .region("idle", { size: "24GiB" })
    .region("cache", { size: "8GiB" })
    .phase(0, [{ region: "idle", share: 0, pattern: "coldHog" }])
    .phase("1s", [{ region: "cache", pattern: { type: "kvCache", hotFraction: 0.2, hotShare: 0.9, scatter: true } }]);
const wl = workload().process("kv0", proc(0)).process("kv1", proc(1)).build();
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
function hotShare(t) {
  const rows = run.occupancy.objects().filter((r) => r.time_s === t && r.region === "cache" && r.hot);
  const all = rows.reduce((a, r) => a + r.pages, 0);
  return all ? Number((rows.filter((r) => r.toptier).reduce((a, r) => a + r.pages, 0) / all).toFixed(3)) : null;
}
const report = {
  scenario: "64 GiB on twoSocketCxl (16 GiB DRAM per socket): 2 x (24 GiB idle + 8 GiB kvCache), numa_balancing=2, demotion on",
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
  hot_cache_on_dram: hotShare(run.durationS),
};
console.log(JSON.stringify(report, null, 2));
