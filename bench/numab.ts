/**
 * NUMA-balancing cost: a 16 GiB task on a 2-node DRAM+CXL machine in tiering mode for 60 s of
 * simulated time, pages with random access rates. Prints wall time, events and events/s.
 * Run: npx tsx bench/numab.ts
 */
import { boot } from "../src/kernel/boot.js";
import { topology } from "../src/topology/builder.js";

const spec = topology("bench")
  .socket(0, { cpus: 8, memory: { capacity: "8GiB", readBandwidth: 100, idleLatency: 100 } })
  .cxl({ socket: 0, memory: { capacity: "16GiB", readBandwidth: 25, idleLatency: 250 }, link: { readBandwidth: 26, latency: 40 } })
  .build();
const k = boot(spec, { numaBalancing: 2 });
const p = k.spawn({ cpu: 0 });
const a = p.mmap("16GiB");
let t0 = performance.now();
p.touch(a, "16GiB");
const v = p.mm.vmas[0]!;
const n = v.pages;
const ids = new Int32Array(n);
const shares = new Float64Array(n);
const rng = k.random.fork("bench");
let sum = 0;
for (let i = 0; i < n; i++) {
  ids[i] = v.frame(i);
  shares[i] = rng.exponential(1);
  sum += shares[i]!;
}
for (let i = 0; i < n; i++) shares[i]! /= sum;
k.access.setMany(ids, shares, { pid: p.pid, sequential: false, writeShare: 0.3 });
k.access.setTaskRate(p.pid, 2e6); // 2e6 accesses/s over 4M pages: a page every ~2 s on average
const setup = performance.now() - t0;
t0 = performance.now();
const events = k.advance(process.env.DUR ?? "60s");
const wall = (performance.now() - t0) / 1000;
const vs = k.vmstat();
console.log(JSON.stringify({ setupMs: Math.round(setup), wallS: +wall.toFixed(2), events, eventsPerS: Math.round(events / wall), numa_pte_updates: vs.numa_pte_updates, numa_hint_faults: vs.numa_hint_faults, pgpromote_candidate: vs.pgpromote_candidate, pgpromote_success: vs.pgpromote_success, kswapdWakeups: k.buddy.kswapdWakeups[0], scanPeriodMs: k.numab.taskState(p.pid).scanPeriodMs, cxlPages: k.frames.countOf(2, 1) }));
