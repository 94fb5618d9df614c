import { afterEach, describe, expect, it, vi } from "vitest";
import { CliUsageError } from "../../src/cli/command.js";
import { hardwareCommand } from "../../src/cli/hardware.js";

afterEach(() => vi.restoreAllMocks());

describe("tiersim hardware", () => {
  it("prints numactl --hardware for a preset", async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s) => out.push(String(s)) > 0);
    expect(await hardwareCommand.run(["sprCxl"])).toBe(0);
    const text = out.join("");
    expect(text.split("\n")[0]).toBe("available: 2 nodes (0-1)");
    expect(text).toContain("node 1 cpus:\n");
    expect(text).toContain("node distances:");
  });

  it("rejects a missing or unknown machine naming the presets", async () => {
    await expect(hardwareCommand.run([])).rejects.toThrow(CliUsageError);
    await expect(hardwareCommand.run(["nope"])).rejects.toThrow(/"nope" is neither a preset \(sprCxl, twoSocketCxl/);
  });
});
