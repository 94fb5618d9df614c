/**
 * Work scales with kernel work, not with a per-page object graph (DESIGN.md decision 1): a
 * 64 GiB anonymous first touch on a 2-node machine takes well under a second.
 */
import { describe, expect, it } from "vitest";
import { boot } from "../../src/kernel/boot.js";
import { topology } from "../../src/topology/builder.js";
import { countsAt } from "./helpers.js";

function twoNode80G() {
  return topology("2x80G")
    .socket(0, { cpus: 4, memory: { capacity: "80GiB", readBandwidth: 100, idleLatency: 100 } })
    .socket(1, { cpus: 4, memory: { capacity: "80GiB", readBandwidth: 100, idleLatency: 100 } })
    .interconnect(0, 1, { bandwidth: "64GB/s", latency: "70ns" })
    .build();
}

describe("scale", () => {
  it("64 GiB anonymous first touch in well under a second", () => {
    const k = boot(twoNode80G(), { kernel: "v6.16" });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap("64GiB");
    const t0 = performance.now();
    p.touch(a, "64GiB", { write: true });
    const ms = performance.now() - t0;
    console.log(`64 GiB first touch (default policy): ${ms.toFixed(1)} ms`);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 16 * 1024 * 1024 });
    expect(ms).toBeLessThan(1000);
  });

  it("64 GiB interleaved first touch in well under a second", () => {
    const k = boot(twoNode80G(), { kernel: "v6.16" });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap("64GiB");
    p.mbind(a, "64GiB", "MPOL_INTERLEAVE", [0, 1]);
    const t0 = performance.now();
    p.touch(a, "64GiB", { write: true });
    const ms = performance.now() - t0;
    console.log(`64 GiB first touch (interleave 0,1): ${ms.toFixed(1)} ms`);
    expect(countsAt(p.numaMaps(), a)).toEqual({ 0: 8 * 1024 * 1024, 1: 8 * 1024 * 1024 });
    expect(ms).toBeLessThan(1000);
  });
});
