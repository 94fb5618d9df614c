import { describe, expect, it } from "vitest";
import { formatPath, ScenarioError } from "../../src/core/errors.js";
import { workloadFromJSON } from "../../src/workload/json.js";
import { validateWorkload } from "../../src/workload/validateWorkload.js";
import { workload } from "../../src/workload/workloadBuilder.js";

/** A valid workload as plain JSON; each case breaks one thing. */
function good(): any {
  return {
    format: "tiersim.workload/1",
    processes: [
      {
        name: "db",
        threads: 4,
        binding: { node: 0 },
        perf: { mlp: 10, computeNs: 0 },
        regions: [
          { name: "heap", kind: "anon", sizeBytes: 4096, file: null, thp: false },
          { name: "cache", kind: "shmem", sizeBytes: 8192, file: "/dev/shm/c", thp: false },
        ],
        phases: [
          {
            startNs: 0,
            accesses: [
              { region: "heap", share: 0.5, readShare: 0.5, pattern: { type: "uniform" } },
              { region: "cache", share: 0.5, readShare: 0.9, pattern: { type: "kvCache", hotFraction: 0.2, hotShare: 0.8, scatter: true } },
            ],
          },
          { startNs: 1e9, accesses: [{ region: "heap", share: 1, readShare: 1, pattern: { type: "zipf", exponent: 1, scatter: true } }] },
        ],
      },
    ],
  };
}

function paths(input: unknown): string[] {
  return validateWorkload(input).issues.map((i) => formatPath(i.path));
}

describe("validateWorkload", () => {
  it("accepts the valid base case", () => {
    expect(validateWorkload(good()).issues).toEqual([]);
  });

  it.each<[string, (w: any) => void, string[]]>([
    ["negative threads", (w) => (w.processes[0].threads = -1), ["processes[0].threads"]],
    ["zero threads", (w) => (w.processes[0].threads = 0), ["processes[0].threads"]],
    ["fractional threads", (w) => (w.processes[0].threads = 1.5), ["processes[0].threads"]],
    ["threads as a string", (w) => (w.processes[0].threads = "4"), ["processes[0].threads"]],
    ["read share above 1", (w) => (w.processes[0].phases[0].accesses[0].readShare = 1.2), ["processes[0].phases[0].accesses[0].readShare"]],
    ["read share below 0", (w) => (w.processes[0].phases[1].accesses[0].readShare = -0.1), ["processes[0].phases[1].accesses[0].readShare"]],
    ["shares not summing to 1", (w) => (w.processes[0].phases[0].accesses[0].share = 0.3), ["processes[0].phases[0].accesses"]],
    ["share above 1", (w) => (w.processes[0].phases[1].accesses[0].share = 1.5), ["processes[0].phases[1].accesses[0].share"]],
    ["unknown region in a phase", (w) => (w.processes[0].phases[1].accesses[0].region = "hepa"), ["processes[0].phases[1].accesses[0].region"]],
    ["duplicate process names", (w) => w.processes.push(structuredClone(w.processes[0])), ["processes[1].name"]],
    ["duplicate region names", (w) => (w.processes[0].regions[1].name = "heap"), ["processes[0].regions[1].name", "processes[0].phases[0].accesses[1].region"]],
    ["zero-size region", (w) => (w.processes[0].regions[0].sizeBytes = 0), ["processes[0].regions[0].sizeBytes"]],
    ["negative region size", (w) => (w.processes[0].regions[0].sizeBytes = -4096), ["processes[0].regions[0].sizeBytes"]],
    ["phases out of order", (w) => (w.processes[0].phases[1].startNs = 0), ["processes[0].phases[1].startNs"]],
    ["negative phase start", (w) => (w.processes[0].phases[0].startNs = -1), ["processes[0].phases[0].startNs"]],
    ["zipf exponent 0", (w) => (w.processes[0].phases[1].accesses[0].pattern.exponent = 0), ["processes[0].phases[1].accesses[0].pattern.exponent"]],
    ["zipf exponent negative", (w) => (w.processes[0].phases[1].accesses[0].pattern.exponent = -1), ["processes[0].phases[1].accesses[0].pattern.exponent"]],
    ["hot fraction 0", (w) => (w.processes[0].phases[0].accesses[1].pattern.hotFraction = 0), ["processes[0].phases[0].accesses[1].pattern.hotFraction"]],
    ["hot fraction above 1", (w) => (w.processes[0].phases[0].accesses[1].pattern.hotFraction = 1.01), ["processes[0].phases[0].accesses[1].pattern.hotFraction"]],
    ["hot share above 1", (w) => (w.processes[0].phases[0].accesses[1].pattern.hotShare = 2), ["processes[0].phases[0].accesses[1].pattern.hotShare"]],
    ["unknown pattern type", (w) => (w.processes[0].phases[1].accesses[0].pattern = { type: "random" }), ["processes[0].phases[1].accesses[0].pattern.type"]],
    ["misspelt pattern key", (w) => (w.processes[0].phases[1].accesses[0].pattern.exponant = 2), ["processes[0].phases[1].accesses[0].pattern.exponant"]],
    ["gaussian mean outside 0..1", (w) => (w.processes[0].phases[1].accesses[0].pattern = { type: "gaussian", mean: 2 }), ["processes[0].phases[1].accesses[0].pattern.mean"]],
    ["bad stream kernel", (w) => (w.processes[0].phases[1].accesses[0].pattern = { type: "stream", kernel: "sum" }), ["processes[0].phases[1].accesses[0].pattern.kernel"]],
    ["coldHog with a share", (w) => (w.processes[0].phases[1].accesses[0].pattern = { type: "coldHog" }), ["processes[0].phases[1].accesses[0].share"]],
    ["same region twice in a phase", (w) => (w.processes[0].phases[0].accesses[1].region = "heap"), ["processes[0].phases[0].accesses[1].region"]],
    ["no phases", (w) => (w.processes[0].phases = []), ["processes[0].phases"]],
    ["no processes", (w) => (w.processes = []), ["processes"]],
    ["wrong format", (w) => (w.format = "tiersim.workload/0"), ["format"]],
    ["unknown region kind", (w) => (w.processes[0].regions[0].kind = "hugetlb"), ["processes[0].regions[0].kind"]],
    ["file region without a file", (w) => Object.assign(w.processes[0].regions[0], { kind: "file" }), ["processes[0].regions[0].file"]],
    ["anon region with a file", (w) => (w.processes[0].regions[0].file = "/x"), ["processes[0].regions[0].file"]],
    ["one file, two kinds", (w) => w.processes[0].regions.push({ name: "f", kind: "file", sizeBytes: 4096, file: "/dev/shm/c", thp: false }), ["processes[0].regions[2].kind"]],
    ["thp not a boolean", (w) => (w.processes[0].regions[0].thp = "yes"), ["processes[0].regions[0].thp"]],
    ["binding with both node and cpus", (w) => (w.processes[0].binding = { node: 0, cpus: [1] }), ["processes[0].binding"]],
    ["negative binding node", (w) => (w.processes[0].binding = { node: -2 }), ["processes[0].binding.node"]],
    ["duplicate CPUs", (w) => (w.processes[0].binding = { cpus: [1, 2, 1] }), ["processes[0].binding.cpus[2]"]],
    ["mlp 0", (w) => (w.processes[0].perf.mlp = 0), ["processes[0].perf.mlp"]],
    ["negative compute time", (w) => (w.processes[0].perf.computeNs = -5), ["processes[0].perf.computeNs"]],
    ["non-boolean nonTemporalStores", (w) => (w.processes[0].perf.nonTemporalStores = "yes"), ["processes[0].perf.nonTemporalStores"]],
    ["unknown process key", (w) => (w.processes[0].thread = 4), ["processes[0].thread"]],
    ["empty process name", (w) => (w.processes[0].name = ""), ["processes[0].name"]],
  ])("%s", (_name, breakIt, expected) => {
    const w = good();
    breakIt(w);
    expect(paths(w)).toEqual(expected);
  });

  it("reports every issue at once", () => {
    const w = good();
    w.processes[0].threads = -1;
    w.processes[0].regions[0].sizeBytes = 0;
    w.processes[0].phases[0].accesses[0].readShare = 7;
    w.processes[0].phases[1].accesses[0].pattern.exponent = 0;
    expect(paths(w)).toEqual([
      "processes[0].threads",
      "processes[0].regions[0].sizeBytes",
      "processes[0].phases[0].accesses[0].readShare",
      "processes[0].phases[1].accesses[0].pattern.exponent",
    ]);
  });

  it("issues name the value, the rule and the fix", () => {
    const w = good();
    w.processes[0].threads = -1;
    expect(validateWorkload(w).issues).toEqual([
      { code: "invalid_value", path: ["processes", 0, "threads"], message: "got -1; threads must be a positive integer. Fix: use e.g. threads: 64." },
    ]);
  });

  it("an all-zero phase is an idle phase, not a share error", () => {
    const w = good();
    w.processes[0].phases[1].accesses[0] = { region: "heap", share: 0, pattern: "coldHog" };
    expect(paths(w)).toEqual([]);
  });

  it("shares summing to 1 within rounding are accepted", () => {
    const w = good();
    w.processes[0].regions.push({ name: "x", kind: "anon", sizeBytes: 4096 });
    w.processes[0].phases[1].accesses = ["heap", "cache", "x"].map((region) => ({ region, share: 1 / 3, pattern: "uniform" }));
    expect(paths(w)).toEqual([]);
  });
});

describe("build() throws a ScenarioError with every issue and its path", () => {
  it("collects issues across processes", () => {
    let error: unknown;
    try {
      workload()
        .process("a", (p) => p.region("r", { size: "1MiB" }).phase(0, [{ region: "q", share: 0.5, pattern: "uniform" }]))
        .process("a", (p) => p.uniform({ size: "1MiB", share: 0.5 }).uniform({ size: "1MiB", share: 0.5 }))
        .process("idle")
        .build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const e = error as ScenarioError;
    expect(e.issues.map((i) => [i.code, formatPath(i.path)])).toEqual([
      ["unknown_region", "processes[0].phases[0].accesses[0].region"],
      ["share_sum", "processes[0].phases[0].accesses"],
      ["duplicate", "processes[1].regions[1].name"],
      ["duplicate", "processes[1].phases[0].accesses[1].region"],
      ["too_small", "processes[2].phases"],
      ["duplicate", "processes[1].name"],
    ]);
    expect(e.message).toMatch(/^invalid workload: 6 issues\n/);
    expect(e.message).toContain("→ at processes[0].phases[0].accesses[0].region");
  });

  it("a stream plus another full-share pattern does not sum to 1", () => {
    expect(() =>
      workload()
        .process("s", (p) => p.stream({ arraySize: "1MiB" }).zipf({ size: "1MiB" }))
        .build(),
    ).toThrow(/got 2; the shares of one phase must sum to 1/);
  });

  it("workloadFromJSON reports the same paths", () => {
    const w = good();
    w.processes[0].threads = 0;
    expect(() => workloadFromJSON(w)).toThrow(ScenarioError);
    try {
      workloadFromJSON(JSON.stringify(w));
    } catch (e) {
      expect((e as ScenarioError).issues.map((i) => formatPath(i.path))).toEqual(["processes[0].threads"]);
    }
    expect(() => workloadFromJSON("{not json")).toThrow(/not JSON/);
  });
});
