import { describe, expect, it } from "vitest";
import { workloadFromJSON, workloadToJSON } from "../../src/workload/json.js";
import { workload } from "../../src/workload/workloadBuilder.js";

describe("workload JSON", () => {
  const wl = workload()
    .process("stream", (p) => p.threads(64).on({ node: 0 }).stream({ kernel: "triad", arraySize: "3GiB" }))
    .process("cache", (p) =>
      p
        .threads(16)
        .on({ cpus: [8, 9] })
        .kvCache({ size: "32GiB", file: "/dev/shm/cachelib", hotFraction: 0.1, hotShare: 0.9, thp: true })
        .coldHog({ size: "64GiB", at: "5s" })
        .zipf({ size: "1GiB", at: "10s", exponent: 1.3, scatter: false }),
    )
    .build();

  it("round-trips: fromJSON(toJSON(w)) equals w, and toJSON is stable", () => {
    const text = workloadToJSON(wl);
    const back = workloadFromJSON(text);
    expect(back).toEqual(wl);
    expect(workloadToJSON(back)).toBe(text);
  });

  it("accepts parsed data too, and returns frozen data", () => {
    const back = workloadFromJSON(JSON.parse(workloadToJSON(wl)));
    expect(back).toEqual(wl);
    expect(Object.isFrozen(back.processes[1]!.phases)).toBe(true);
  });

  it("fills defaults of a hand-written file", () => {
    const back = workloadFromJSON({
      format: "tiersim.workload/1",
      processes: [
        {
          name: "bench",
          threads: 2,
          regions: [{ name: "heap", sizeBytes: 1 << 30 }],
          phases: [{ startNs: 0, accesses: [{ region: "heap", share: 1, pattern: "zipf" }] }],
        },
      ],
    });
    expect(back.processes[0]).toEqual({
      name: "bench",
      threads: 2,
      binding: null,
      perf: { mlp: 10, computeNs: 0, nonTemporalStores: false },
      regions: [{ name: "heap", kind: "anon", sizeBytes: 1 << 30, file: null, thp: false }],
      phases: [{ startNs: 0, accesses: [{ region: "heap", share: 1, readShare: 0.5, pattern: { type: "zipf", exponent: 0.99, scatter: true } }] }],
    });
  });

  it("keeps the phase times in nanoseconds", () => {
    expect(wl.processes[1]!.phases.map((p) => p.startNs)).toEqual([0, 5e9, 10e9]);
  });
});
