/**
 * NUMA groups (kernel-model.md §4.10), their fault counts and active nodes, the group branches
 * of should_numa_migrate_memory (§4.7) and the group scaling of task_scan_start/max (§4.2).
 * Expected values derived by hand in the comments.
 */
import { describe, expect, it } from "vitest";
import { boot } from "../../../src/kernel/boot.js";
import type { Kernel } from "../../../src/kernel/kernel.js";
import { groupAllowsMigration, groupFaultsByKind, groupFaultsCpu, groupFaultsMem } from "../../../src/kernel/numab/group.js";
import type { NumaGroup } from "../../../src/kernel/numab/group.js";
import { NUMAB_DEBUGFS } from "../../../src/kernel/numab/knobs.js";
import { taskScanMaxOf, taskScanStart } from "../../../src/kernel/numab/placement.js";
import { scanPass } from "../../../src/kernel/numab/scan.js";
import { taskNumaFault } from "../../../src/kernel/numab/taskstats.js";
import type { HintFaultInfo } from "../../../src/kernel/numab/taskstats.js";
import type { Process } from "../../../src/kernel/process.js";
import { tinyTopology } from "../helpers.js";

const PAGE = 4096;

type Fault = Partial<HintFaultInfo> & Pick<HintFaultInfo, "memNode" | "pages">;

/** task_numa_fault as do_numa_page would call it (written-to anonymous page by default). */
function fault(k: Kernel, p: Process, f: Fault): void {
  taskNumaFault(k.numab, p, k.numab.task(p), { lastPid: 0, lastCpu: -1, cpupidValid: true, local: false, migrated: false, migrateFailed: false, noGroup: false, shared: false, ...f });
}

function group(k: Kernel, p: Process): NumaGroup {
  return k.numab.task(p).group!;
}

/** Two sockets (node 0 CPUs 0-1, node 1 CPUs 2-3) plus CXL node 2; tasks idle, no mappings. */
function threads() {
  const k = boot(tinyTopology(), { numaBalancing: 1 });
  const p = k.spawn({ cpu: 0 });
  const t = p.thread({ cpu: 2 });
  k.advance("10ms"); // now > numa_migrate_retry (0)
  return { k, p, t, ms: k.numab.mmState(p.mm) };
}

describe("NUMA groups (§4.10)", () => {
  it("two threads sharing pages form one group with exact fault counts", () => {
    const { k, p, t, ms } = threads();
    ms.scanSeq = 1;
    // 1. P private (cpupid unset -> priv). Placement seq 0 -> 1 with empty buffers: no preferred
    //    node, idle branch doubles the period 1000 -> 2000 ms. MEMBUF[0][priv] 10, local 10.
    fault(k, p, { memNode: 0, pages: 10, local: true });
    // 2. T (node 1) on a page P last touched on CPU 0: shared. T gets a group of its own (serial
    //    1); P, on CPU 0 with the pid, has no group: no join. T: MEMBUF[0][sh] 4, CPUBUF[1][sh] 4.
    fault(k, t, { lastPid: p.pid, lastCpu: 0, memNode: 0, pages: 4 });
    expect(k.numab.taskState(t.pid)).toMatchObject({ groupId: t.pid, groupSize: 1 });
    expect(k.numab.taskState(p.pid)).toMatchObject({ groupId: null, groupSize: 0 });
    // 3. P on a page T last touched on CPU 2: P gets its group (serial 2); T's is as large and
    //    older (lower "address"): P does not join. P: MEMBUF[0][sh] 6, CPUBUF[0][sh] 6, local 6.
    fault(k, p, { lastPid: t.pid, lastCpu: 2, memNode: 0, pages: 6, local: true });
    expect(k.numab.taskState(p.pid)).toMatchObject({ groupId: p.pid, groupSize: 1 });
    // 4. T again on P's page: equal sizes, T's group is the older one, same mm -> T joins P's
    //    group, moving its decayed counts (all 0: its buffers are not folded yet).
    //    T: MEMBUF[0][sh] 6, CPUBUF[1][sh] 6, remote 6.
    fault(k, t, { lastPid: p.pid, lastCpu: 0, memNode: 0, pages: 2 });
    expect(k.numab.taskState(t.pid)).toMatchObject({ groupId: p.pid, groupSize: 2 });
    expect(k.numab.taskState(p.pid)).toMatchObject({ groupId: p.pid, groupSize: 2 });
    expect(group(k, t)).toBe(group(k, p));
    const g = group(k, p);
    expect(Array.from(g.faults)).toEqual(new Array(12).fill(0));
    // 5. New sequence. P private fault: placement folds P's buffers, the group gains the same
    //    differences: MEM[0] sh 6 / priv 10, CPU[0] sh 6 / priv 10 -> preferred node 0; active
    //    nodes: CPU faults 16 on node 0, 0 on node 1 -> 1. task_scan_max was taken before the
    //    fold: group counts 0 -> 60000 * 2 * 1 / 1 = 120000. Period: local 16 remote 0, shared 6
    //    private 10: ps = 6 < 7, lr = 10 >= 7 -> +3 slots of 200 -> 2600 ms.
    ms.scanSeq = 2;
    fault(k, p, { lastPid: p.pid, lastCpu: 0, memNode: 0, pages: 8, local: true });
    expect([groupFaultsMem(g, 0), groupFaultsCpu(g, 0), groupFaultsCpu(g, 1)]).toEqual([16, 16, 0]);
    expect(groupFaultsByKind(g)).toEqual({ shared: 6, private: 10 });
    expect(g.activeNodes).toBe(1);
    expect(k.numab.taskState(p.pid)).toMatchObject({ preferredNid: 0, scanPeriodMs: 2600 });
    // 6. T shared fault: T's fold adds MEM[0][sh] 6 (-> 12) and CPU[1][sh] 6 to the group.
    //    Group MEM node 0 = 22 -> preferred 0. Active: CPU 16 and 6, max 16: 48 > 16, 18 > 16 -> 2.
    //    Period: remote 6, shared 6, private 0: lr = ps = 0 -> -7 slots: 2000 - 1400 = 600 ->
    //    clamped to task_scan_min 1000. T is on node 1: CPU 0 is P's, CPU 1 spare -> T moves there
    //    (to its preferred node: the period is kept).
    fault(k, t, { lastPid: p.pid, lastCpu: 0, memNode: 0, pages: 1 });
    expect([groupFaultsMem(g, 0), groupFaultsCpu(g, 0), groupFaultsCpu(g, 1)]).toEqual([22, 16, 6]);
    expect(groupFaultsByKind(g)).toEqual({ shared: 12, private: 10 });
    expect(g.activeNodes).toBe(2);
    expect(t.cpu).toBe(1);
    expect(k.numab.taskMigrations).toBe(1);
    expect(k.numab.taskState(t.pid)).toMatchObject({ preferredNid: 0, scanPeriodMs: 1000 });
    // 7. A shared remote fault (CPU node 0, memory node 1) within the two active nodes counts as
    //    local. No placement: the retry time (now + 62.5 ms) has not passed.
    const before = k.numab.task(t).locality[1]!;
    fault(k, t, { lastPid: p.pid, lastCpu: 0, memNode: 1, pages: 3 });
    expect(k.numab.task(t).locality[1]! - before).toBe(3);
    // §4.2 scaling: task_scan_start = max(1000, 1000 * 2 * (12 + 1) / (10 + 12 + 1)) = 1130;
    // task_scan_max = max(60000, 60000 * 26 / 23 = 67826).
    expect(taskScanStart(k.numab, t, k.numab.task(t))).toBe(1130);
    expect(taskScanMaxOf(k.numab, t, k.numab.task(t))).toBe(67826);
  });

  it("private faults never form groups, nor do NO_GROUP (read-only) shared faults", () => {
    const { k, p, t, ms } = threads();
    for (let seq = 1; seq <= 3; seq++) {
      ms.scanSeq = seq;
      fault(k, p, { memNode: 0, pages: 5 }); // cpupid unset
      fault(k, p, { lastPid: p.pid, lastCpu: 0, memNode: 1, pages: 5 }); // own pid
      fault(k, t, { lastPid: p.pid, lastCpu: 0, memNode: 0, pages: 5, noGroup: true });
    }
    expect(k.numab.taskState(p.pid)).toMatchObject({ groupId: null, groupSize: 0 });
    expect(k.numab.taskState(t.pid)).toMatchObject({ groupId: null, groupSize: 0 });
  });

  it("a task of another mm joins only on a SHARED fault; otherwise the fault counts private", () => {
    const { k, p, t } = threads();
    const q = k.spawn({ cpu: 3 }); // its own mm
    const qt = k.numab.task(q);
    fault(k, q, { lastPid: t.pid, lastCpu: 2, memNode: 0, pages: 1 }); // Q's group (serial 1); T has none
    fault(k, p, { lastPid: t.pid, lastCpu: 2, memNode: 0, pages: 1 }); // P's group (serial 2)
    // Q on P's page: Q's group is as large and older, so Q may join; other mm, not SHARED ->
    // false sharing: no join, priv = 1.
    fault(k, q, { lastPid: p.pid, lastCpu: 0, memNode: 0, pages: 5 });
    expect(k.numab.taskState(q.pid)).toMatchObject({ groupId: q.pid, groupSize: 1 });
    expect([qt.memBuf[0], qt.memBuf[1]]).toEqual([1, 5]); // node 0: shared 1, private 5
    // The same with TNF_SHARED (VM_SHARED mapping mapped by both mms): Q joins, priv stays 0.
    fault(k, q, { lastPid: p.pid, lastCpu: 0, memNode: 0, pages: 2, shared: true });
    expect(k.numab.taskState(q.pid)).toMatchObject({ groupId: p.pid, groupSize: 2 });
    expect([qt.memBuf[0], qt.memBuf[1]]).toEqual([3, 5]);
    // The last cpupid names a task no longer on that CPU: no join.
    const r = k.spawn({ cpu: 1 });
    fault(k, r, { lastPid: p.pid, lastCpu: 1, memNode: 0, pages: 1, shared: true });
    expect(k.numab.taskState(r.pid)).toMatchObject({ groupId: r.pid, groupSize: 1 });
  });

  it("an exiting task takes its faults out of its group", () => {
    const { k, p, t, ms } = threads();
    fault(k, t, { lastPid: p.pid, lastCpu: 0, memNode: 0, pages: 1 }); // T: group (serial 1)
    fault(k, p, { lastPid: t.pid, lastCpu: 2, memNode: 0, pages: 1 }); // P: group (serial 2)
    fault(k, t, { lastPid: p.pid, lastCpu: 0, memNode: 0, pages: 1 }); // T joins P's
    ms.scanSeq = 1;
    // Seq 0 -> 1: T folds its two buffered pages: MEM[0][sh] 2 for T and the group. P's buffered
    // page is not folded (P takes no fault in seq 1): P's decayed counts are 0.
    fault(k, t, { lastPid: p.pid, lastCpu: 0, memNode: 0, pages: 1 });
    const g = group(k, p);
    expect([g.nrTasks, groupFaultsMem(g, 0)]).toEqual([2, 2]);
    p.exit(); // both threads of the mm
    expect([g.nrTasks, groupFaultsMem(g, 0)]).toEqual([0, 0]);
  });

  it("two threads sharing a written page join through real hinting faults", () => {
    // A page on CXL node 2, default policy; P on CPU 0, T on CPU 2 (affinity 2-3). scan_delay
    // 100 s: no scan of its own, we run the passes. Each step: the page's accessor is set, a pass
    // marks it, its fault comes ~1 ms later (§4.5).
    const k = boot(tinyTopology(), { numaBalancing: 1, behaviours: { vmaScanFilter: "none" } });
    k.sysfs.write(`${NUMAB_DEBUGFS}/scan_delay_ms`, 100000);
    const p = k.spawn({ cpu: 0 });
    const t = p.thread({ cpu: 2 });
    t.schedSetaffinity([2, 3]);
    const a = p.mmap(PAGE);
    p.mbind(a, PAGE, "MPOL_BIND", [2]);
    p.touch(a, PAGE);
    p.mbind(a, PAGE, "MPOL_DEFAULT", []);
    const v = p.mm.find(a / PAGE)!;
    const f = v.frame(0);
    k.access.setTaskRate(p.pid, 1e6);
    k.access.setTaskRate(t.pid, 1e6);
    const by = (q: Process): void => {
      k.access.set(f, { pid: q.pid, share: 1e-3, sweep: null, writeShare: 0 });
      scanPass(k.numab, p, k.numab.mmState(p.mm), 1);
      k.advance("1s");
    };
    // 1. P: cpupid unset, slow-tier page: no migration, and no statistics (invalid cpupid).
    by(p);
    // 2. T: last = P@CPU0, shared, written -> no NO_GROUP: T's own group; P has none.
    by(t);
    expect(k.numab.taskState(t.pid)).toMatchObject({ groupId: t.pid, groupSize: 1 });
    // 3. P: last = T@CPU2: P's own group; T's is as large and older: no join.
    by(p);
    expect(k.numab.taskState(p.pid)).toMatchObject({ groupId: p.pid, groupSize: 1 });
    // 4. T: last = P@CPU0: T's older group joins P's (same mm).
    by(t);
    expect(k.numab.taskState(t.pid)).toMatchObject({ groupId: p.pid, groupSize: 2 });
    expect(k.numab.taskState(p.pid)).toMatchObject({ groupId: p.pid, groupSize: 2 });
    // Every fault failed the two-stage filter (the previous one came from the other node).
    expect(k.vmstat()).toMatchObject({ numa_hint_faults: 4, numa_pages_migrated: 0 });
    expect(k.frames.node[f]).toBe(2);
    expect(t.cpu).toBe(2);
  });
});

describe("group branches of should_numa_migrate_memory (§4.7)", () => {
  /** A group on a 2-node machine: MEM [n0 sh, n0 pr, n1 sh, n1 pr], CPU the same after. */
  function g(mem: [number, number], cpu: [number, number]): NumaGroup {
    // Split each node's count into shared + private to check both are summed.
    const faults = new Float64Array([mem[0] - 1, 1, mem[1] - 1, 1, cpu[0] - 1, 1, cpu[1] - 1, 1]);
    return { gid: 1, serial: 1, nrTasks: 2, faults, activeNodes: 2, maxFaultsCpu: 0 };
  }

  it("migrates when the destination's CPU faults exceed 3x the source's", () => {
    // cpu[dst = 1] 10 > 3 * cpu[src = 0] 3 = 9 -> true, whatever the memory faults (mem 100 / 1).
    expect(groupAllowsMigration(g([100, 1], [3, 10]), 0, 1)).toBe(true);
    // cpu[dst] 9 = 3 * 3: not greater; ratio 9 * mem[src] 1 * 3 = 27 > 3 * mem[dst] 100 * 4 = 1200? no.
    expect(groupAllowsMigration(g([1, 100], [3, 9]), 0, 1)).toBe(false);
  });

  it("otherwise applies the 3/4 hysteresis on CPU per memory fault", () => {
    // cpu dst 4, src 3 (4 <= 9); mem src 2, dst 2: 4 * 2 * 3 = 24 > 3 * 2 * 4 = 24? no (strict).
    expect(groupAllowsMigration(g([2, 2], [3, 4]), 0, 1)).toBe(false);
    // cpu dst 5: 5 * 2 * 3 = 30 > 24 -> true.
    expect(groupAllowsMigration(g([2, 2], [3, 5]), 0, 1)).toBe(true);
    // Memory already mostly on dst: mem src 2, dst 8, cpu dst 8 src 3: 8 * 2 * 3 = 48 > 3 * 8 * 4 = 96? no.
    expect(groupAllowsMigration(g([2, 8], [3, 8]), 0, 1)).toBe(false);
  });
});
