import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CliUsageError } from "../../src/cli/command.js";
import { figuresCommand, GALLERY_FILES, writeGallery } from "../../src/cli/figures.js";

const out = mkdtempSync(join(tmpdir(), "tiersim-figures-test-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("tiersim figures", () => {
  it("writes PNG, HTML and CSV per preset plus an index, and leaves no browser behind", async () => {
    const files = await writeGallery(out, ["sprCxl"]);
    expect(files).toEqual([...GALLERY_FILES.map((f) => join(out, "sprCxl", f)), join(out, "index.html")]);
    expect(readFileSync(join(out, "sprCxl", "nodes.csv"), "utf8").split("\n")[0]).toBe(
      "node,kind,socket,cpus,capacity_bytes,tier,adistance,toptier,zone,read_bandwidth_gbps,write_bandwidth_gbps,idle_latency_ns",
    );
    expect(readFileSync(join(out, "sprCxl", "links.csv"), "utf8")).toContain("cxl0.1,cxl,0,,1,");
    const png = readFileSync(join(out, "sprCxl", "topology.png"));
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(png.length).toBeGreaterThan(30_000);
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain('<img src="sprCxl/topology.png"');
    expect(process.getActiveResourcesInfo()).not.toContain("ProcessWrap");
  });

  it("rejects an unknown preset naming the valid ones", async () => {
    await expect(figuresCommand.run(["--preset", "nope"])).rejects.toThrow(CliUsageError);
    await expect(figuresCommand.run(["--preset", "nope"])).rejects.toThrow(/unknown preset "nope"; use one of: sprCxl, twoSocketCxl/);
    await expect(figuresCommand.run(["--bogus"])).rejects.toThrow(CliUsageError);
  });
});
