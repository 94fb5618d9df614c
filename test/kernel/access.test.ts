import { describe, expect, it } from "vitest";
import { boot } from "../../src/kernel/boot.js";
import { presets } from "../../src/topology/presets.js";
import { Random } from "../../src/core/random.js";
import { resolveBehaviours } from "../../src/kernel/behaviours.js";
import { CostLedger } from "../../src/kernel/costs.js";

describe("AccessModel", () => {
  it("derives a frame's rate from its share and its task's rate", () => {
    const k = boot(presets.sprCxl());
    const f = k.frames.alloc(0, 2);
    k.access.set(f, { pid: 7, share: 0.25, sweep: null, writeShare: 0.5 });
    expect(k.access.rate(f)).toBe(0);
    k.access.setTaskRate(7, 4000);
    expect(k.access.rate(f)).toBe(1000);
    expect(k.access.accessor(f)).toBe(7);
    expect(k.access.writeShare(f)).toBeCloseTo(0.5, 2);
    expect(k.access.referencedProbability(f, 1e6)).toBeCloseTo(1 - Math.exp(-1), 12);
    k.access.clear(f);
    expect(k.access.rate(f)).toBe(0);
    expect(k.access.nextAccessDelayNs(f, 0, 0.5)).toBe(Infinity);
  });

  it("puts a sequential page's next access at the next pass of the sweep", () => {
    const k = boot(presets.sprCxl());
    const f = k.frames.alloc(0, 2);
    // 1000 accesses/s: the sweep passes every 1 ms; this page sits a quarter of the way in.
    k.access.set(f, { pid: 1, share: 1, sweep: 0.25, writeShare: 0 });
    k.access.setTaskRate(1, 1000);
    // The uniform draw does not matter for a sweep.
    expect(k.access.nextAccessDelayNs(f, 0, 0.9)).toBeCloseTo(0.25e6, 0);
    expect(k.access.nextAccessDelayNs(f, 0.5e6, 0.1)).toBeCloseTo(0.75e6, 0);
    expect(k.access.nextAccessDelayNs(f, 0.25e6, 0.5)).toBeCloseTo(1e6, 0);
  });

  it("draws random accesses with the page's mean interval", () => {
    const k = boot(presets.sprCxl());
    const f = k.frames.alloc(0, 2);
    k.access.set(f, { pid: 1, share: 1, sweep: null, writeShare: 0 });
    k.access.setTaskRate(1, 100);
    // Exponential with mean 1/rate = 10 ms: the median draw 0.5 waits ln 2 x 10 ms.
    expect(k.access.nextAccessDelayNs(f, 0, 0.5)).toBeCloseTo(Math.LN2 * 1e7, 3);
    const rng = new Random(5);
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += k.access.nextAccessDelayNs(f, 0, rng.float());
    expect(sum / 20000 / 1e7).toBeGreaterThan(0.97);
    expect(sum / 20000 / 1e7).toBeLessThan(1.03);
  });
});

describe("resolveBehaviours", () => {
  it("picks the per-VMA scan filter and pinned-page rule by version", () => {
    expect(resolveBehaviours("v6.3").vmaScanFilter).toBe("none");
    expect(resolveBehaviours("v6.4").vmaScanFilter).toBe("pid");
    expect(resolveBehaviours("v6.7").vmaScanFilter).toBe("pid+forced");
    expect(resolveBehaviours("v6.16").shmemNumabFix).toBe(false);
    // change_pte_range of v6.15 and the Jul 2025 prot_numa_skip() still test folio_maybe_dma_pinned
    // only in COW mappings; the unconditional skip reached the mm tree in Oct 2025 (v6.19).
    expect(resolveBehaviours("v6.16").pinnedScanSkip).toBe("cow");
    expect(resolveBehaviours("v6.18").pinnedScanSkip).toBe("cow");
    expect(resolveBehaviours("v6.19").pinnedScanSkip).toBe("all");
    expect(resolveBehaviours("v6.16", { shmemNumabFix: true, vmaScanFilter: "none" })).toMatchObject({ shmemNumabFix: true, vmaScanFilter: "none" });
  });
});

describe("CostLedger", () => {
  it("charges tasks and kswapd by the unit costs and records migration bytes", () => {
    const c = new CostLedger();
    c.chargeTask(5, "hint_fault", 2);
    c.chargeTask(5, "pte_update", 10);
    c.chargeKswapd(0, "migrate", 3);
    c.migrated(2, 0, 2);
    expect(c.systemNs(5)).toBe(2 * 1500 + 10 * 30);
    expect(c.taskBreakdown(5).hint_fault).toBe(3000);
    expect(c.kswapdNs(0)).toBe(12000);
    expect(c.migrations()).toEqual([[2, 0, 8192]]);
  });
});
