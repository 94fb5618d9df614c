import { describe, expect, it } from "vitest";
import { streamArrayUse, streamTraffic } from "../../src/workload/patterns/stream.js";
import { workload } from "../../src/workload/workloadBuilder.js";

describe("STREAM traffic", () => {
  it("triad: 24 B counted (16 read, 8 written), 32 B on the memory bus with write-allocate", () => {
    expect(streamTraffic("triad")).toEqual({
      countedBytes: 24,
      readBytes: 16,
      writeBytes: 8,
      writeAllocateBytes: 8,
      memoryBytes: 32,
      countedReadShare: 2 / 3,
      memoryReadShare: 3 / 4,
    });
  });

  it("copy and scale count 16 B, add 24 B; non-temporal stores drop the write-allocate read", () => {
    expect(streamTraffic("copy").countedBytes).toBe(16);
    expect(streamTraffic("scale").memoryBytes).toBe(24);
    expect(streamTraffic("add").countedBytes).toBe(24);
    expect(streamTraffic("copy").countedReadShare).toBe(0.5);
    expect(streamTraffic("triad", true)).toMatchObject({ writeAllocateBytes: 0, memoryBytes: 24, memoryReadShare: 2 / 3 });
  });

  it("one triad pass over calibration.md §1's arrays (400M elements) moves 9.6 GB as STREAM counts it", () => {
    const elements = 400e6;
    expect(streamTraffic("triad").countedBytes * elements).toBe(9.6e9);
    expect(streamTraffic("triad").memoryBytes * elements).toBe(12.8e9);
  });

  it("array use per kernel", () => {
    expect(streamArrayUse("triad", "a")).toEqual({ share: 1 / 3, readShare: 0 });
    expect(streamArrayUse("triad", "b")).toEqual({ share: 1 / 3, readShare: 1 });
    expect(streamArrayUse("copy", "a")).toEqual({ share: 0.5, readShare: 1 });
    expect(streamArrayUse("copy", "c")).toEqual({ share: 0.5, readShare: 0 });
    expect(streamArrayUse("copy", "b")).toEqual({ share: 0, readShare: 1 });
    expect(streamArrayUse("scale", "a").share).toBe(0);
    expect(streamArrayUse("add", "c")).toEqual({ share: 1 / 3, readShare: 0 });
  });

  it("the stream() shortcut makes three anon arrays and the kernel's access split", () => {
    const wl = workload().process("s", (p) => p.stream({ kernel: "copy", arraySize: "1GiB" })).build();
    const p = wl.processes[0]!;
    expect(p.regions.map((r) => [r.name, r.kind, r.sizeBytes])).toEqual([
      ["a", "anon", 2 ** 30],
      ["b", "anon", 2 ** 30],
      ["c", "anon", 2 ** 30],
    ]);
    expect(p.phases[0]!.accesses.map((a) => [a.region, a.share, a.readShare])).toEqual([
      ["a", 0.5, 1],
      ["b", 0, 1],
      ["c", 0.5, 0],
    ]);
  });
});
