import { describe, expect, it } from "vitest";
import { boot } from "../../src/kernel/boot.js";
import { presets } from "../../src/topology/presets.js";

describe("Process.access (machine-layer access rates)", () => {
  it("drives tiering promotion: 256 default-policy pages moved to CXL come back after the first scan", () => {
    // sprCxl, numa_balancing=2 (tiering). 1 MiB = 256 pages touched on node 0, moved to the CXL
    // node 1 with move_pages. At 1000 accesses/s per page the hinting fault comes ~1 ms after
    // the PTE is marked, far under the 1000 ms hot threshold, and DRAM is nearly empty (the
    // free-space shortcut, §5.4 item 1). The first scan runs scan_delay (1 s) after spawn and
    // marks the 256 CXL pages (toptier pages are skipped, §4.4): 256 PTE updates, 256 faults,
    // 256 promotions, all on node 0.
    const k = boot(presets.sprCxl(), { numaBalancing: 2 });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap("1MiB");
    p.touch(a, "1MiB");
    const pages = Array.from({ length: 256 }, (_, i) => a + i * 4096);
    expect(p.movePages(p.pid, pages, pages.map(() => 1)).every((s) => s === 1)).toBe(true);
    expect(p.access(a, "1MiB", { rate: 256e3 })).toBe(256);
    k.advance("3s");
    const v = k.vmstat();
    expect([v.numa_pte_updates, v.numa_hint_faults, v.pgpromote_success]).toEqual([256, 256, 256]);
    expect(pages.every((x) => p.nodeOf(x) === 0)).toBe(true);
  });

  it("rejects bad rates, shares and ranges with nothing present", () => {
    const k = boot(presets.sprCxl());
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap("1MiB");
    expect(() => p.access(a, "1MiB", { rate: 1 })).toThrow(/touch the range first/);
    p.touch(a, "1MiB");
    expect(() => p.access(a, "1MiB", { rate: -1 })).toThrow(/>= 0/);
    expect(() => p.access(a, "1MiB", { rate: 1, writeShare: 2 })).toThrow(/between 0 and 1/);
    expect(() => p.access(a + 1, "1MiB", { rate: 1 })).toThrow(/page aligned/);
  });
});
