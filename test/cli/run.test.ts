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
