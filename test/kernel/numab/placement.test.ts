/**
 * Task placement (kernel-model.md §4.9 numa_migrate_preferred, coarse task_numa_migrate), the
 * scan-period reset of §4.11 and sched_setaffinity. Expected values derived by hand below.
 */
import { describe, expect, it } from "vitest";
import { boot } from "../../../src/kernel/boot.js";
import type { Process } from "../../../src/kernel/process.js";
import { tinyTopology } from "../helpers.js";

const PAGE = 4096;

/**
 * Two sockets: node 0 CPUs 0-1, node 1 CPUs 2-3, node 2 CXL; 1000 pages each, watermarks
 * min 10 / low 20 / high 30. An idle filler on CPU 1 takes node 0 down to its low watermark
 * (980 pages, 20 free) so migrations to node 0 fail (20 < high 30 + 1, §4.8). P runs on CPU 0
 * with `pages` pages placed on node 1 (mbind BIND then back to the default policy). Page i is
 * touched at (phase_i + n) * 4 s. PTE updates cost 0, so scan events stay on whole seconds.
 */
function setUp(phases: readonly number[], opts: { blockers?: readonly number[]; affinity?: readonly number[] } = {}) {
  const k = boot(tinyTopology(), { numaBalancing: 1, behaviours: { vmaScanFilter: "none" } });
  k.costs.costs = { ...k.costs.costs, pteUpdateNs: 0 };
  const filler = k.spawn({ cpu: 1 });
  const fa = filler.mmap(980 * PAGE);
  filler.touch(fa, 980 * PAGE);
  const blockers = (opts.blockers ?? []).map((cpu) => k.spawn({ cpu }));
  const p = k.spawn({ cpu: 0 });
  if (opts.affinity) p.schedSetaffinity(opts.affinity);
  const n = phases.length;
  const a = p.mmap(n * PAGE);
  p.mbind(a, n * PAGE, "MPOL_BIND", [1]);
  p.touch(a, n * PAGE);
  p.mbind(a, n * PAGE, "MPOL_DEFAULT", []);
  k.access.setTaskRate(p.pid, 1000);
  const v = p.mm.find(a / PAGE)!;
  phases.forEach((ph, i) => k.access.set(v.frame(i), { pid: p.pid, share: 1 / (4 * 1000), sweep: ph, writeShare: 0 }));
  return { k, p, a, blockers };
}

function nodesOf(p: Process, a: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => p.nodeOf(a + i * PAGE));
}

/*
 * Trace of one page at phase 0.3 (touched at 1.2 s, 5.2 s):
 * 1 s    P's first scan: task_scan_start = task_scan_min (RSS 1 page: 1 window) = 1000 ms; next
 *        scan >= 2 s; the page (node 1, not P's node) is made PROT_NONE; mm scan seq 0 -> 1.
 * 1.2 s  fault: cpupid unset -> should_numa_migrate_memory true, migration to node 0 fails.
 *        Placement (seq 0 -> 1) sees empty buffers: no preferred node, idle branch: period
 *        2000 ms, next scan 3.2 s. Buffers: MEM[1][private] 1, CPU[0][private] 1, failed 1.
 * 2 s    scan event: 2 < 3.2, no pass; next event +2000 ms.
 * 4 s    pass: page marked again, seq 2; next scan 6 s.
 * 5.2 s  fault: migration fails again. Placement (seq 1 -> 2): MEM[1] = 1 -> preferred node 1;
 *        a failure -> period 4000 ms. numa_migrate_preferred: retry = 5.2 s + min(1 s, 4000/16 ms
 *        = 250 ms); P is on node 0 != 1: task_numa_migrate looks for a CPU of node 1 in
 *        cpusAllowed that no other task uses.
 */
describe("numa_migrate_preferred (§4.9)", () => {
  it("moves a task on node 0 whose memory is on node 1 to node 1's first spare CPU", () => {
    const { k, p, a } = setUp([0.3]);
    expect(k.buddy.free[0]).toBe(20);
    k.advance("5s");
    expect(p.cpu).toBe(0); // no preferred node before the 5.2 s placement
    k.advance("0.5s");
    // CPUs 2 and 3 are free: P moves to CPU 2. Moving to the preferred node keeps the period
    // (update_scan_period, §4.11).
    expect(p.cpu).toBe(2);
    expect(k.numab.taskMigrations).toBe(1);
    expect(k.numab.taskState(p.pid)).toMatchObject({ preferredNid: 1, scanPeriodMs: 4000, faults: 2, pagesMigrated: 0 });
    expect(nodesOf(p, a, 1)).toEqual([1]);
    expect(k.vmstat()).toMatchObject({ numa_hint_faults: 2, numa_hint_faults_local: 0, numa_pages_migrated: 0 });
  });

  it("stays when cpusAllowed excludes node 1", () => {
    const { k, p } = setUp([0.3], { affinity: [0, 1] });
    k.advance("5.5s");
    // Same trace; node 1 has no CPU in {0, 1}: no move, the preferred node stays 1.
    expect(p.cpu).toBe(0);
    expect(k.numab.taskMigrations).toBe(0);
    expect(k.numab.taskState(p.pid)).toMatchObject({ preferredNid: 1, scanPeriodMs: 4000 });
  });

  it("does not move to a node with no spare CPU, and retries after min(1 s, period / 16)", () => {
    // Pages at phases 0.3, 0.35, 0.375: faults at 1.2, 1.4, 1.5 s (marked at 1 s) and 5.2, 5.4,
    // 5.5 s (marked at 4 s). The 1.4 / 1.5 s faults find the placement done for seq 1 and no
    // preferred node. At 5.2 s: MEM[1] = 3 -> preferred 1, period 4000 ms, retry at 5.45 s;
    // CPUs 2 and 3 are held by idle tasks X and Y: no move.
    const { k, p, blockers } = setUp([0.3, 0.35, 0.375], { blockers: [2, 3] });
    k.advance("5.3s");
    expect(p.cpu).toBe(0);
    expect(k.numab.taskState(p.pid)).toMatchObject({ preferredNid: 1, scanPeriodMs: 4000 });
    blockers[1]!.exit(); // CPU 3 becomes free at 5.3 s
    k.advance("0.12s"); // 5.42 s: the 5.4 s fault is before the retry time (5.4 <= 5.45): no try
    expect(p.cpu).toBe(0);
    expect(k.numab.taskMigrations).toBe(0);
    k.advance("0.18s"); // 5.6 s: the 5.5 s fault is after it: CPU 3 is spare, P moves there
    expect(p.cpu).toBe(3);
    expect(k.numab.taskMigrations).toBe(1);
    expect(k.vmstat().numa_hint_faults).toBe(6);
  });
});

describe("scan period reset on a cross-node move (§4.11 update_scan_period)", () => {
  it("keeps the period moving to the preferred node and resets it leaving the preferred node", () => {
    const { k, p } = setUp([0.3], { affinity: [0, 1] });
    k.advance("5.5s"); // preferred 1, period 4000 ms, task seq 2 (trace above)
    p.schedSetaffinity([2]); // node 0 -> 1 = preferred: no reset
    expect(p.cpu).toBe(2);
    expect(k.numab.taskState(p.pid).scanPeriodMs).toBe(4000);
    p.schedSetaffinity([0]); // node 1 (preferred) -> 0: task_scan_start = task_scan_min = 1000 ms
    expect(p.cpu).toBe(0);
    expect(k.numab.taskState(p.pid).scanPeriodMs).toBe(1000);
    expect(k.numab.taskMigrations).toBe(0); // affinity moves are not NUMA task migrations
  });

  it("leaves a task without fault statistics alone", () => {
    const k = boot(tinyTopology(), { numaBalancing: 1 });
    const p = k.spawn({ cpu: 0 });
    p.schedSetaffinity([2]);
    expect(k.numab.taskState(p.pid).scanPeriodMs).toBe(1000); // still scan_delay: no numa_faults
  });
});

describe("sched_setaffinity", () => {
  const einval = expect.objectContaining({ name: "SyscallError", syscall: "sched_setaffinity", errno: "EINVAL" });

  it("refuses an empty mask, a mask with no CPU of the machine and non-CPU values with EINVAL", () => {
    const k = boot(tinyTopology(), { numaBalancing: 1 });
    const p = k.spawn({ cpu: 0 });
    expect(() => p.schedSetaffinity([])).toThrow(einval);
    expect(() => p.schedSetaffinity([4, 9])).toThrow(einval); // CPUs are 0..3
    expect(() => p.schedSetaffinity([-1])).toThrow(einval);
    expect(() => p.schedSetaffinity([1.5])).toThrow(einval);
    expect(p.cpusAllowed).toBeNull();
    expect(p.cpu).toBe(0);
  });

  it("ignores absent CPUs, moves a task off the set to its lowest CPU, and is inherited", () => {
    const k = boot(tinyTopology(), { numaBalancing: 1 });
    const p = k.spawn({ cpu: 0 });
    p.schedSetaffinity([3, 9, 2]);
    expect(p.cpusAllowed).toEqual([2, 3]);
    expect(p.cpu).toBe(2);
    p.schedSetaffinity([3, 2]); // CPU 2 is still allowed: no move
    expect(p.cpu).toBe(2);
    expect(p.fork().cpusAllowed).toEqual([2, 3]);
    expect(p.thread().cpusAllowed).toEqual([2, 3]);
    p.schedSetaffinity([0, 1, 2, 3]);
    expect(p.cpusAllowed).toBeNull(); // every CPU
  });
});
