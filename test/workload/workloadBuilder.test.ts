import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { workload } from "../../src/workload/workloadBuilder.js";

describe("workload() builder", () => {
  it("builds the DESIGN.md snippet as written", () => {
    const wl = workload()
      .process("stream", (p) => p.threads(64).on({ node: 0 }).stream({ kernel: "triad", arraySize: "3GiB" }))
      .build();
    expect(wl.format).toBe("tiersim.workload/1");
    const p = wl.processes[0]!;
    expect(p).toMatchObject({ name: "stream", threads: 64, binding: { node: 0 }, perf: { mlp: 15, computeNs: 0, nonTemporalStores: true } });
    expect(p.regions).toEqual(
      ["a", "b", "c"].map((name) => ({ name, kind: "anon", sizeBytes: 3 * 2 ** 30, file: null, thp: false })),
    );
    expect(p.phases).toEqual([
      {
        startNs: 0,
        accesses: [
          { region: "a", share: 1 / 3, readShare: 0, pattern: { type: "stream", kernel: "triad", array: "a" } },
          { region: "b", share: 1 / 3, readShare: 1, pattern: { type: "stream", kernel: "triad", array: "b" } },
          { region: "c", share: 1 / 3, readShare: 1, pattern: { type: "stream", kernel: "triad", array: "c" } },
        ],
      },
    ]);
  });

  it("is immutable: deriving a builder leaves the original unchanged", () => {
    const base = workload().process("a", (p) => p.uniform({ size: "1MiB" }));
    const derived = base.process("b", (p) => p.uniform({ size: "2MiB" }));
    expect(base.build().processes.map((p) => p.name)).toEqual(["a"]);
    expect(derived.build().processes.map((p) => p.name)).toEqual(["a", "b"]);

    let kept: unknown;
    workload().process("x", (p) => {
      const t4 = p.threads(4).uniform({ size: "1MiB" });
      const t8 = t4.threads(8).on({ node: 1 }).perf({ mlp: 3 }).region("extra", { size: "4KiB" });
      kept = { t4: t4.toSpec(), t8: t8.toSpec() };
      return t4;
    });
    const { t4, t8 } = kept as { t4: { threads: number; binding: unknown; regions: unknown[]; perf: unknown }; t8: { threads: number; regions: unknown[] } };
    expect(t4.threads).toBe(4);
    expect(t4.binding).toBeNull();
    expect(t4.regions).toHaveLength(1);
    expect(t4.perf).toEqual({ mlp: 1, computeNs: 30, nonTemporalStores: false });
    expect(t8.threads).toBe(8);
    expect(t8.regions).toHaveLength(2);
  });

  it("returns frozen plain data", () => {
    const wl = workload().process("a", (p) => p.uniform({ size: "1MiB" })).build();
    expect(Object.isFrozen(wl.processes[0]!.regions[0])).toBe(true);
    expect(JSON.parse(JSON.stringify(wl))).toEqual(wl);
  });

  it("shortcuts use their default region names, kinds and patterns", () => {
    const wl = workload()
      .process("p", (p) =>
        p
          .kvCache({ size: "8GiB", file: "/dev/shm/cache", share: 0.5 })
          .zipf({ size: "1GiB", exponent: 1.1, share: 0.25 })
          .fileScan({ file: "/data/x", size: "1GiB", share: 0.25 })
          .coldHog({ size: "16GiB" }),
      )
      .build();
    const p = wl.processes[0]!;
    expect(p.regions.map((r) => [r.name, r.kind, r.file])).toEqual([
      ["cache", "shmem", "/dev/shm/cache"],
      ["heap", "anon", null],
      ["scan", "file", "/data/x"],
      ["hog", "anon", null],
    ]);
    expect(p.phases).toHaveLength(1);
    expect(p.phases[0]!.accesses.map((a) => [a.region, a.share, a.readShare, a.pattern])).toEqual([
      ["cache", 0.5, 0.9, { type: "kvCache", hotFraction: 0.2, hotShare: 0.8, scatter: true }],
      ["heap", 0.25, 0.5, { type: "zipf", exponent: 1.1, scatter: true }],
      ["scan", 0.25, 1, { type: "fileScan" }],
      ["hog", 0, 0, { type: "coldHog" }],
    ]);
    // The first pattern with an opinion sets perf.
    expect(p.perf).toEqual({ mlp: 2, computeNs: 250, nonTemporalStores: false });
  });

  it("other shortcuts: mlc, pointerChase, gaussian, uniform", () => {
    const wl = workload()
      .process("m", (p) => p.mlc({ size: "1GiB", mix: "2:1" }))
      .process("c", (p) => p.pointerChase({ size: "1GiB" }))
      .process("g", (p) => p.gaussian({ size: "1GiB", stddev: 0.05, kind: "shmem" }))
      .process("u", (p) => p.uniform({ size: "1GiB", readShare: 1, thp: true, region: "data" }))
      .build();
    const [m, c, g, u] = wl.processes;
    expect(m!.phases[0]!.accesses[0]).toEqual({ region: "buffer", share: 1, readShare: 2 / 3, pattern: { type: "mlc", mix: "2:1" } });
    expect(c!.perf).toEqual({ mlp: 1, computeNs: 0, nonTemporalStores: false });
    expect(c!.regions[0]!.name).toBe("chain");
    expect(g!.phases[0]!.accesses[0]!.pattern).toEqual({ type: "gaussian", mean: 0.5, stddev: 0.05 });
    expect(g!.regions[0]!.kind).toBe("shmem");
    expect(u!.regions[0]).toEqual({ name: "data", kind: "anon", sizeBytes: 2 ** 30, file: null, thp: true });
    expect(u!.phases[0]!.accesses[0]!.readShare).toBe(1);
  });

  it("an explicit perf() wins over pattern suggestions, before or after them", () => {
    const before = workload().process("a", (p) => p.perf({ mlp: 6, computeNs: "15ns" }).pointerChase({ size: "1MiB" })).build();
    const after = workload().process("a", (p) => p.pointerChase({ size: "1MiB" }).perf({ mlp: 6 })).build();
    expect(before.processes[0]!.perf).toEqual({ mlp: 6, computeNs: 15, nonTemporalStores: false });
    expect(after.processes[0]!.perf).toEqual({ mlp: 6, computeNs: 0, nonTemporalStores: false });
    // perf() keeps what the STREAM pattern suggested for the fields it does not set.
    const stream = workload().process("s", (p) => p.stream({ arraySize: "1MiB" }).perf({ mlp: 8 })).build();
    expect(stream.processes[0]!.perf).toEqual({ mlp: 8, computeNs: 0, nonTemporalStores: true });
  });

  it("regions and phases by hand: phases sorted by start, same start merged", () => {
    const wl = workload()
      .process("db", (p) =>
        p
          .threads(8)
          .on({ cpus: [0, 1, 2, 3] })
          .region("heap", { size: "8GiB", thp: true })
          .region("log", { size: "1GiB", kind: "file", file: "/var/log/db" })
          .phase("30s", [{ region: "heap", pattern: { type: "zipf", exponent: 1.2 } }])
          .phase(0, [{ region: "heap", share: 0.9, pattern: "uniform" }])
          .phase("0s", [{ region: "log", share: 0.1, pattern: "fileScan" }]),
      )
      .build();
    const p = wl.processes[0]!;
    expect(p.binding).toEqual({ cpus: [0, 1, 2, 3] });
    expect(p.phases.map((ph) => [ph.startNs, ph.accesses.map((a) => a.region)])).toEqual([
      [0, ["heap", "log"]],
      [30e9, ["heap"]],
    ]);
    expect(p.phases[1]!.accesses[0]!.pattern).toEqual({ type: "zipf", exponent: 1.2, scatter: true });
  });

  it("two processes share a shmem object by file name", () => {
    const wl = workload()
      .process("cache", (p) => p.kvCache({ size: "4GiB", file: "/dev/shm/kv" }))
      .process("warmer", (p) => p.uniform({ size: "4GiB", kind: "shmem", file: "/dev/shm/kv", region: "cache" }))
      .build();
    expect(wl.processes.map((p) => p.regions[0]!.file)).toEqual(["/dev/shm/kv", "/dev/shm/kv"]);
  });
});

describe("bad direct builder input throws a UsageError at once", () => {
  const attempt = (f: (p: import("../../src/workload/processBuilder.js").ProcessBuilder) => unknown): UsageError => {
    try {
      workload().process("app", (p) => {
        f(p);
        return p;
      });
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return e as UsageError;
    }
    throw new Error("did not throw");
  };

  it("threads(-1) names the value, the rule and the fix", () => {
    const e = attempt((p) => p.threads(-1));
    expect(e.message).toBe('process("app").threads(): got -1; threads must be a positive integer. Fix: pass e.g. 64.');
  });

  it.each([
    ["threads(0)", (p: any) => p.threads(0), /threads must be a positive integer/],
    ["threads(2.5)", (p: any) => p.threads(2.5), /threads must be a positive integer/],
    ["on({})", (p: any) => p.on({}), /either a node or a list of CPUs/],
    ["on({ node: -1 })", (p: any) => p.on({ node: -1 }), /non-negative integer/],
    ["on({ cpus: [] })", (p: any) => p.on({ cpus: [] }), /non-empty/],
    ["on({ cpus: [1, 1] })", (p: any) => p.on({ cpus: [1, 1] }), /once/],
    ["perf({ mlp: 0 })", (p: any) => p.perf({ mlp: 0 }), /above 0/],
    ["perf({ computeNs: -1 })", (p: any) => p.perf({ computeNs: -1 }), /cannot be negative/],
    ["perf({ nonTemporalStores: 1 })", (p: any) => p.perf({ nonTemporalStores: 1 }), /true or false/],
    ["region size 0", (p: any) => p.region("r", { size: 0 }), /positive size/],
    ["region size -1", (p: any) => p.region("r", { size: "-1GiB" }), /quantity|negative/],
    ["region name empty", (p: any) => p.region("", { size: 1 }), /non-empty string/],
    ["region kind unknown", (p: any) => p.region("r", { size: 1, kind: "hugetlb" }), /"anon", "shmem" or "file"/],
    ["file region without a file", (p: any) => p.region("r", { size: 1, kind: "file" }), /maps a named file/],
    ["anon region with a file", (p: any) => p.region("r", { size: 1, file: "/x" }), /anonymous memory has no file/],
    ["zipf exponent 0", (p: any) => p.zipf({ size: "1GiB", exponent: 0 }), /Zipf exponent must be a number above 0/],
    ["kvCache hotFraction 0", (p: any) => p.kvCache({ size: "1GiB", hotFraction: 0 }), /hot fraction must be in \(0, 1\]/],
    ["kvCache hotFraction 1.5", (p: any) => p.kvCache({ size: "1GiB", hotFraction: 1.5 }), /hot fraction/],
    ["kvCache hotShare 2", (p: any) => p.kvCache({ size: "1GiB", hotShare: 2 }), /hot share/],
    ["gaussian stddev 0", (p: any) => p.gaussian({ size: "1GiB", stddev: 0 }), /stddev/],
    ["readShare 1.5", (p: any) => p.uniform({ size: "1GiB", readShare: 1.5 }), /readShare: got 1.5; must be a number in 0..1/],
    ["share -0.1", (p: any) => p.uniform({ size: "1GiB", share: -0.1 }), /share: got -0.1/],
    ["stream kernel", (p: any) => p.stream({ kernel: "triadd", arraySize: "1GiB" }), /copy, scale, add, triad/],
    ["mlc mix", (p: any) => p.mlc({ size: "1GiB", mix: "4:1" }), /MLC mix/],
    ["unknown pattern", (p: any) => p.phase(0, [{ region: "r", pattern: "random" }]), /pattern type is one of/],
    ["phase at -1s", (p: any) => p.phase("-1s", []), /quantity|negative/],
  ])("%s", (_name, f, message) => {
    expect(attempt(f).message).toMatch(message);
  });

  it("process name and configure result", () => {
    expect(() => workload().process("")).toThrow(UsageError);
    expect(() => workload().process("x", (() => undefined) as any)).toThrow(/must return the process builder/);
  });
});
