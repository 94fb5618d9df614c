import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CliUsageError } from "../../src/cli/command.js";
import { runCommand } from "../../src/cli/run.js";
import { workload } from "../../src/workload/workloadBuilder.js";

afterEach(() => vi.restoreAllMocks());

describe("tiersim run", () => {
  it("runs a scenario file naming a preset and writes every table and result.json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tiersim-run-"));
    const wl = workload().process("s", (p) => p.threads(4).on({ node: 0 }).uniform({ size: "64MiB" })).build();
    const file = join(dir, "scenario.json");
    writeFileSync(file, JSON.stringify({ topology: "sprCxl", workload: wl, duration: "1s", seed: 3 }));
    const out: string[] = [];
    vi.spyOn(console, "log").mockImplementation((s) => void out.push(String(s)));
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await runCommand.run([file, "--out", join(dir, "out"), "--quiet", "--seed", "5"])).toBe(0);
    expect(out.join("\n").split("\n")[0]).toMatch(/^\s*task\s+threads\s+node/);
    const result = JSON.parse(readFileSync(join(dir, "out", "result.json"), "utf8")) as { seed: number; scenario: { topology: { name: string } } };
    expect(result.seed).toBe(5);
    expect(result.scenario.topology.name).toBe("sprCxl");
    expect(readFileSync(join(dir, "out", "occupancy.csv"), "utf8").split("\n")[0]).toBe("time_s,node,tier,toptier,kind,process,region,hot,pages,bytes");
  });

  it("rejects bad arguments with the usage", async () => {
    await expect(runCommand.run([])).rejects.toThrow(CliUsageError);
    await expect(runCommand.run(["/nonexistent.json"])).rejects.toThrow(/cannot read \/nonexistent.json as JSON/);
    const dir = mkdtempSync(join(tmpdir(), "tiersim-run-"));
    writeFileSync(join(dir, "s.json"), "{}");
    await expect(runCommand.run([join(dir, "s.json"), "--seed", "x"])).rejects.toThrow(/--seed takes an integer/);
  });
});

describe("tiersim run, the example scenario", () => {
  it("runs datasets/scenarios/shmem-numa-balancing.json (a preset with 16 GiB of DRAM) for a short while", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tiersim-run-"));
    vi.spyOn(console, "log").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await runCommand.run(["datasets/scenarios/shmem-numa-balancing.json", "--out", dir, "--quiet", "--duration", "3s"])).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8")) as { scenario: { duration: string; topology: { nodes: { memory: { capacityBytes: number } | null }[] } }; tables: { vmstat: { counter: string; value: number; time_s: number }[] } };
    expect(result.scenario.duration).toBe("3s");
    expect(result.scenario.topology.nodes[0]!.memory!.capacityBytes).toBe(16 * 2 ** 30);
    // The fix is on: the shmem cache is scanned from its first pass (1 s after its start).
    const pte = result.tables.vmstat.filter((r) => r.counter === "numa_pte_updates").at(-1)!;
    expect(pte.time_s).toBe(3);
    expect(pte.value).toBeGreaterThan(0);
  });

  it("rejects an unknown preset or extra keys in the { preset } form", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tiersim-run-"));
    const f = join(dir, "s.json");
    writeFileSync(f, JSON.stringify({ topology: { preset: "nope" }, workload: {}, duration: "1s", seed: 1 }));
    await expect(runCommand.run([f])).rejects.toThrow(/topology.preset: got "nope"/);
    writeFileSync(f, JSON.stringify({ topology: { preset: "sprCxl", nodes: [] }, workload: {}, duration: "1s", seed: 1 }));
    await expect(runCommand.run([f])).rejects.toThrow(/takes no other keys, got nodes/);
  });
});
