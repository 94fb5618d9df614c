/**
 * simulate() on a machine with a compressed-RAM tier (cramMachine, kernel-model.md §6.1): the
 * private node shows in occupancy and run.nodes (stored vs compressed pages), demoted cold data
 * is stored at its region's compressRatio, stores to it fault and promote it back, and the
 * region option survives JSON.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/sim/simulate.js";
import { cramMachine } from "../../src/topology/cramExample.js";
import { policy } from "../../src/policy/policySet.js";
import { workload } from "../../src/workload/index.js";
import { workloadFromJSON, workloadToJSON } from "../../src/workload/json.js";

// DRAM 1 GiB; "archive" (512 MiB, 3:1 data, one slow thread: ~1e4 accesses/s, half stores)
// fills it first, then the kv cache (768 MiB) arrives at 1 s and direct reclaim demotes the
// archive's rarely referenced pages to the CRAM node (media 256 MiB, boost at 90%).
const wl = workload()
  .process("archive", (p) => p.threads(1).on({ node: 0 }).perf({ mlp: 1, computeNs: "100us" }).uniform({ size: "512MiB", readShare: 0.5, compressRatio: 3 }))
  .process("kv", (p) => p.threads(8).on({ node: 0 }).kvCache({ size: "768MiB", kind: "anon", hotFraction: 0.2, hotShare: 0.9, at: "1s" }))
  .build();
const scenario = {
  topology: cramMachine({ dram: "1GiB", capacity: "2GiB", device: "256MiB" }),
  workload: wl,
  policy: policy().sysfs("/sys/kernel/mm/numa/demotion_enabled", "true").build(),
  duration: "10s",
  seed: 1,
};

type Row = Record<string, number | null>;

describe("simulate() with a CRAM node", () => {
  const run = simulate(scenario);
  const rows = (t: { objects(): object[] }): Row[] => t.objects() as Row[];
  const last = (name: string): number => (rows(run.vmstat) as unknown as { counter: string; value: number }[]).filter((o) => o.counter === name).at(-1)!.value;

  it("stores demoted pages on node 1 at 1/3 page of media each and shows them in occupancy", () => {
    expect(run.warnings).toEqual([]);
    const n1 = rows(run.nodes).filter((o) => o.node === 1);
    const end = n1.at(-1)!;
    expect(end.cram_device_pages).toBe(65536);
    expect(end.cram_stored_pages).toBeGreaterThan(0);
    // Every stored archive page is 3:1 data: media = stored / 3.
    expect(end.cram_compressed_pages as number).toBeCloseTo((end.cram_stored_pages as number) / 3, 6);
    expect(end.free_pages).toBe(524288 - (end.cram_stored_pages as number));
    const occ = rows(run.occupancy).filter((o) => o.node === 1 && o.time_s === 10);
    expect(occ.reduce((s, o) => s + (o.pages as number), 0)).toBe(end.cram_stored_pages);
    expect(rows(run.nodes).filter((o) => o.node === 0).every((o) => o.cram_stored_pages === null)).toBe(true);
  });

  it("stores fault and promote (cram_write_faults == cram_promotions > 0), kswapd demotes again", () => {
    expect(last("cram_write_faults")).toBeGreaterThan(0);
    expect(last("cram_promotions")).toBe(last("cram_write_faults"));
    expect(last("cram_stored") - last("cram_promotions")).toBe(rows(run.nodes).filter((o) => o.node === 1).at(-1)!.cram_stored_pages);
    expect(last("pgdemote_kswapd")).toBeGreaterThan(0);
    expect(last("cram_refused")).toBe(0);
  });

  it("is deterministic and the region's compressRatio round-trips through JSON", () => {
    expect(rows(simulate(scenario).vmstat)).toEqual(rows(run.vmstat));
    const back = workloadFromJSON(workloadToJSON(wl));
    expect(back.processes[0]!.regions[0]!.compressRatio).toBe(3);
    expect(back).toEqual(wl);
    expect(() => workload().process("x", (p) => p.uniform({ size: "1MiB", compressRatio: 0.5 }))).toThrow(/compressRatio.*between 1 and 64/);
  });
});
