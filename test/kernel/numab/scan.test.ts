/**
 * NUMA-balancing scanning (kernel-model.md §4.1-§4.4): knobs, scan windows, eligibility, per-VMA
 * filters. Every expected value is worked out by hand from the rules in the comments.
 */
import { describe, expect, it } from "vitest";
import { SyscallError } from "../../../src/core/errors.js";
import { boot } from "../../../src/kernel/boot.js";
import type { KernelBehaviours } from "../../../src/kernel/behaviours.js";
import { DEFAULT_KERNEL_COSTS } from "../../../src/kernel/costs.js";
import { NUMAB_DEBUGFS, NUMAB_DEFAULTS } from "../../../src/kernel/numab/knobs.js";
import { nrScanWindows, taskScanMax, taskScanMin } from "../../../src/kernel/numab/scanperiod.js";
import { tinyTopology } from "../helpers.js";

const MiB = 1 << 20;

function kernel(opts: { pages?: number[]; numaBalancing?: number; behaviours?: KernelBehaviours; kernel?: string } = {}) {
  return boot(tinyTopology({ pages: opts.pages ?? [300000, 300000, 300000] }), { kernel: opts.kernel ?? "v6.16", numaBalancing: opts.numaBalancing ?? 1, behaviours: opts.behaviours });
}

/** A process whose `size` of anon memory sits on node 0 while it runs on node 1 (so nothing is "local"). */
function remoteTask(k: ReturnType<typeof kernel>, size: number, mmapOpts = {}) {
  const p = k.spawn({ cpu: 0 });
  const a = p.mmap(size, mmapOpts);
  p.touch(a, size);
  p.cpu = 2; // node 1
  return { p, a };
}

const pte = (k: ReturnType<typeof kernel>): number => k.vmstat().numa_pte_updates!;

describe("NUMA-balancing knobs (§4.1)", () => {
  it("registers the debugfs files with the defaults and validates writes", () => {
    const k = kernel();
    expect(k.sysfs.list(NUMAB_DEBUGFS + "/")).toEqual(
      ["hot_threshold_ms", "scan_delay_ms", "scan_period_max_ms", "scan_period_min_ms", "scan_size_mb"].map((n) => `${NUMAB_DEBUGFS}/${n}`),
    );
    expect(k.sysfs.read(`${NUMAB_DEBUGFS}/scan_size_mb`)).toBe("256");
    expect(k.sysfs.read(`${NUMAB_DEBUGFS}/scan_period_max_ms`)).toBe("60000");
    k.sysfs.write(`${NUMAB_DEBUGFS}/scan_delay_ms`, 500);
    expect(k.numab.knobs.values.scan_delay_ms).toBe(500);
    expect(() => k.sysfs.write(`${NUMAB_DEBUGFS}/scan_size_mb`, 0)).toThrow(SyscallError);
    expect(() => k.sysfs.write(`${NUMAB_DEBUGFS}/hot_threshold_ms`, -1)).toThrow(/unsigned integer/);
    expect(() => k.sysfs.write(`${NUMAB_DEBUGFS}/scan_delay_ms`, "fast")).toThrow(/EINVAL|unsigned/);
  });

  it("kernel.numa_balancing accepts 0..4 only", () => {
    const k = kernel();
    expect(() => k.sysctl.write("kernel.numa_balancing", 5)).toThrow(SyscallError);
    k.sysctl.write("kernel.numa_balancing", 3);
  });

  it("switching the tiering bit on resets every node's threshold state (§5.4)", () => {
    const k = kernel();
    const pg = k.numab.promotion(0);
    pg.thresholdMs = 375;
    k.advance("5s");
    k.stats.add("pgpromote_candidate", 0, 7);
    k.sysctl.write("kernel.numa_balancing", 3);
    expect(pg).toMatchObject({ thresholdMs: 0, thNrCand: 7, thStartMs: 5000 });
    pg.thresholdMs = 250;
    k.sysctl.write("kernel.numa_balancing", 2); // tiering bit stays on: no reset
    expect(pg.thresholdMs).toBe(250);
  });
});

describe("scan windows (§4.2)", () => {
  it("works task_scan_min/max out from RSS", () => {
    // 1 GiB = 262144 pages = 4 windows of 65536: min = max(1000/(2560/256) = 100, 1000/4 = 250),
    // max = max(250, 60000/4 = 15000). 10 GiB = 40 windows: min = max(100, 25) = 100, max = 1500.
    expect(nrScanWindows(262144, NUMAB_DEFAULTS)).toBe(4);
    expect(taskScanMin(262144, NUMAB_DEFAULTS)).toBe(250);
    expect(taskScanMax(262144, NUMAB_DEFAULTS)).toBe(15000);
    expect(taskScanMin(2621440, NUMAB_DEFAULTS)).toBe(100);
    expect(taskScanMax(2621440, NUMAB_DEFAULTS)).toBe(1500);
    // RSS 0 counts as one window: 1000 ms .. 60000 ms.
    expect([taskScanMin(0, NUMAB_DEFAULTS), taskScanMax(0, NUMAB_DEFAULTS)]).toEqual([1000, 60000]);
  });

  it("scans a 1 GiB task 65536 pages per pass, first after scan_delay, then every task_scan_min plus the 3% cap", () => {
    const k = kernel();
    const { p } = remoteTask(k, 1024 * MiB);
    k.access.setTaskRate(p.pid, 1); // running; its pages have no accessor, so none faults
    // First pass at scan_delay = 1000 ms (§4.2 "On fork"), none before.
    k.advance("999ms");
    expect(pte(k)).toBe(0);
    k.advance("1ms");
    expect(pte(k)).toBe(65536);
    expect(k.numab.taskState(p.pid).scanPeriodMs).toBe(250); // task_scan_start = task_scan_min
    // A pass writes 65536 PTEs at 30 ns = 1.96608 ms; node_stamp += 32x that = 62.91456 ms, so
    // pass 2 comes at 1000 + 250 + 62.91456 = 1312.91456 ms.
    k.advance("312ms");
    expect(pte(k)).toBe(65536);
    k.advance("1ms");
    expect(pte(k)).toBe(131072);
    // Passes 3 and 4 at 1625.83 and 1938.74 ms cover the rest of the VMA.
    k.advance("687ms"); // t = 2000 ms
    expect(pte(k)).toBe(262144);
    expect(k.numab.taskState(p.pid).scanSeq).toBe(0); // the offset stopped exactly at the VMA end
    // Pass 5 (2251.66 ms) wraps: seq 1, finds every PTE already PROT_NONE (not re-counted),
    // reaches the list end and wraps again: seq 2.
    k.advance("300ms");
    expect(pte(k)).toBe(262144);
    expect(k.numab.taskState(p.pid).scanSeq).toBe(2);
    expect(k.costs.taskBreakdown(p.pid).pte_update).toBe(262144 * DEFAULT_KERNEL_COSTS.pteUpdateNs);
  });

  it("an idle task (no access rate) never scans", () => {
    const k = kernel();
    remoteTask(k, 16 * MiB);
    k.advance("30s");
    expect(pte(k)).toBe(0);
  });

  it("numa_balancing=0 never scans", () => {
    const k = kernel({ numaBalancing: 0 });
    const { p } = remoteTask(k, 16 * MiB);
    k.access.setTaskRate(p.pid, 1);
    k.advance("10s");
    expect(pte(k)).toBe(0);
  });
});

describe("VMA eligibility (§4.3)", () => {
  it("default-policy shmem is never scanned without shmemNumabFix and scanned with it", () => {
    for (const fix of [false, true]) {
      const k = kernel({ behaviours: { shmemNumabFix: fix } });
      const { p } = remoteTask(k, 4 * MiB, { shared: true });
      k.access.setTaskRate(p.pid, 1);
      k.advance("1s");
      // 4 MiB = 1024 pages, all on node 0, task on node 1, VM_SHARED (no local skip).
      expect(pte(k)).toBe(fix ? 1024 : 0);
      expect(k.numab.skips.UNSUITABLE).toBe(fix ? 0 : 1);
    }
  });

  it("an explicit INTERLEAVE VMA and a BIND VMA without MPOL_F_NUMA_BALANCING are never scanned; BIND with it is", () => {
    const cases: [string, number][] = [
      ["MPOL_INTERLEAVE", 0],
      ["MPOL_BIND", 0],
      ["MPOL_BIND|MPOL_F_NUMA_BALANCING", 1024],
    ];
    for (const [mode, expected] of cases) {
      const k = kernel();
      const p = k.spawn({ cpu: 0 });
      const a = p.mmap(4 * MiB);
      p.mbind(a, 4 * MiB, mode, mode === "MPOL_INTERLEAVE" ? [0, 2] : [0]);
      p.touch(a, 4 * MiB);
      p.cpu = 2;
      k.access.setTaskRate(p.pid, 1);
      k.advance("1s");
      expect([mode, pte(k)]).toEqual([mode, expected]);
    }
  });

  it("private pages on the node of a single-threaded task are skipped, not with a second thread", () => {
    for (const threads of [1, 2]) {
      const k = kernel();
      const p = k.spawn({ cpu: 0 });
      const a = p.mmap(4 * MiB);
      p.touch(a, 4 * MiB);
      if (threads === 2) p.thread({ cpu: 1 });
      k.access.setTaskRate(p.pid, 1);
      k.advance("1s");
      expect(pte(k)).toBe(threads === 1 ? 0 : 1024);
    }
  });

  it("tiering-only mode marks no toptier page", () => {
    const k = boot(tinyTopology({ shape: "dram+cxl", pages: [1000, 1000] }), { numaBalancing: 2 });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap(1100 * 4096);
    p.touch(a, 1100 * 4096); // node 0 gives 980 (down to low = 20), node 1 the other 120
    p.thread({ cpu: 1 }); // no single-thread local skip: only the tier rule can skip
    k.access.setTaskRate(p.pid, 1);
    k.advance("1s");
    expect(pte(k)).toBe(120);
  });
});

describe("PTE marking (§4.4)", () => {
  it("counts a THP PMD as 512 PTE updates and one huge update", () => {
    const k = kernel();
    k.sysfs.write("/sys/kernel/mm/transparent_hugepage/enabled", "always");
    const { p } = remoteTask(k, 4 * MiB);
    k.access.setTaskRate(p.pid, 1);
    k.advance("1s");
    expect(k.vmstat()).toMatchObject({ numa_pte_updates: 1024, numa_huge_pte_updates: 2 });
  });

  it("pinned pages: skipped with pinnedScanSkip 'all', marked for nothing with 'cow' on a shared mapping", () => {
    for (const rule of ["all", "cow"] as const) {
      const k = kernel({ behaviours: { pinnedScanSkip: rule, shmemNumabFix: true } });
      const { p, a } = remoteTask(k, 4 * MiB, { shared: true });
      expect(p.pinPages(a, 1 * MiB)).toBe(256);
      k.access.setTaskRate(p.pid, 1);
      k.advance("1s");
      // 1024 pages, 256 pinned: "all" skips them; "cow" skips pinned only in COW mappings,
      // and a VM_SHARED mapping is not one, so all 1024 are marked and 256 are wasted.
      expect(pte(k)).toBe(rule === "all" ? 768 : 1024);
      expect(k.numab.pinnedInvalidations).toBe(rule === "all" ? 0 : 256);
    }
  });

  it("pinned pages in a private (COW) mapping are skipped under both rules", () => {
    for (const rule of ["all", "cow"] as const) {
      const k = kernel({ behaviours: { pinnedScanSkip: rule } });
      const { p, a } = remoteTask(k, 4 * MiB);
      p.pinPages(a, 1 * MiB);
      k.access.setTaskRate(p.pid, 1);
      k.advance("1s");
      expect([rule, pte(k), k.numab.pinnedInvalidations]).toEqual([rule, 768, 0]);
    }
  });

  it("a pinned THP in a private mapping: marked under 'cow' (no pin test on the PMD path), skipped under 'all'", () => {
    for (const rule of ["cow", "all"] as const) {
      const k = kernel({ behaviours: { pinnedScanSkip: rule } });
      k.sysfs.write("/sys/kernel/mm/transparent_hugepage/enabled", "always");
      const { p, a } = remoteTask(k, 4 * MiB);
      expect(p.pinPages(a, 2 * MiB)).toBe(512);
      k.access.setTaskRate(p.pid, 1);
      k.advance("1s");
      // Two PMD-mapped THPs, the first pinned. 'cow': change_huge_pmd has no pin test, both
      // PMDs are marked (1024 PTE updates, 2 huge) and the pinned one's 512 are wasted.
      // 'all': the pinned PMD is skipped, the other one marked (512, 1 huge, nothing wasted).
      const vs = k.vmstat();
      expect([rule, vs.numa_pte_updates, vs.numa_huge_pte_updates, k.numab.pinnedInvalidations]).toEqual(rule === "cow" ? [rule, 1024, 2, 512] : [rule, 512, 1, 0]);
    }
  });
});

describe("PR_NUMA_BALANCING (§6.4, unmerged)", () => {
  it("is EINVAL without the perProcessNumab behaviour", () => {
    const k = kernel();
    const p = k.spawn({ cpu: 0 });
    expect(() => p.prctl("PR_SET_NUMA_BALANCING", 0)).toThrow(/unmerged proposal/);
  });

  it("disable stops scanning; enable forces NORMAL with the sysctl at 0", () => {
    const k = kernel({ behaviours: { perProcessNumab: true } });
    const { p } = remoteTask(k, 4 * MiB);
    k.access.setTaskRate(p.pid, 1);
    expect(p.prctl("PR_SET_NUMA_BALANCING", 0)).toBe(0);
    expect(p.prctl("PR_GET_NUMA_BALANCING")).toBe(0);
    k.advance("5s");
    expect(pte(k)).toBe(0);
    k.sysctl.write("kernel.numa_balancing", 0);
    p.prctl("PR_SET_NUMA_BALANCING", 1);
    k.advance("5s");
    expect(pte(k)).toBe(1024);
    expect(() => p.prctl("PR_SET_NUMA_BALANCING", 3)).toThrow(SyscallError);
  });
});
