import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { plots } from "../../src/plots/index.js";
import { closeRenderer, rendererLaunchCount } from "../../src/plots/render.js";
import { latencyCurvesTable, linksTable, nodesTable } from "../../src/results/topologyTables.js";
import { kt, spec } from "../results/fixtures.js";

const out = mkdtempSync(join(tmpdir(), "tiersim-render-test-"));
afterAll(async () => {
  await closeRenderer();
  rmSync(out, { recursive: true, force: true });
});

function pngSize(file: string): { width: number; height: number; bytes: number } {
  const b = readFileSync(file);
  expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(b.subarray(12, 16).toString("ascii")).toBe("IHDR");
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), bytes: b.length };
}

describe("headless rendering", () => {
  it("names the install command when chromium is missing", async () => {
    process.env.TIERSIM_CHROMIUM = "/nonexistent/chromium";
    try {
      const p = plots.loadedLatency(latencyCurvesTable(spec)).savePNG(join(out, "never.png"));
      await expect(p).rejects.toThrow(UsageError);
      await expect(plots.loadedLatency(latencyCurvesTable(spec)).savePNG(join(out, "never.png"))).rejects.toThrow(
        "install it with `apt-get install -y --no-install-recommends chromium` (or `npm run figures`, which installs it)",
      );
    } finally {
      delete process.env.TIERSIM_CHROMIUM;
    }
    expect(rendererLaunchCount()).toBe(0);
  });

  it("renders real PNGs and an SVG through one browser", async () => {
    const latency = join(out, "latency.png");
    const topo = join(out, "sub", "topology.png");
    await plots.loadedLatency(latencyCurvesTable(spec)).savePNG(latency, { width: 800, height: 450 });
    const diagram = plots.topologyDiagram(nodesTable(kt), linksTable(spec));
    await diagram.savePNG(topo, { scale: 2 });
    await plots.loadedLatency(latencyCurvesTable(spec)).saveSVG(join(out, "latency.svg"));

    const a = pngSize(latency);
    expect([a.width, a.height]).toEqual([800, 450]);
    expect(a.bytes).toBeGreaterThan(15_000);
    const b = pngSize(topo);
    expect([b.width, b.height]).toEqual([2 * (diagram.layout.width as number), 2 * (diagram.layout.height as number)]);
    expect(b.bytes).toBeGreaterThan(30_000);

    const svg = readFileSync(join(out, "latency.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("bandwidth (GB/s)");
    expect(svg).toContain("node 2 cxl, 100% reads");
    expect(statSync(join(out, "latency.svg")).size).toBeGreaterThan(5_000);

    expect(rendererLaunchCount()).toBe(1);
  });

  it("renders concurrent calls one after another on the same page", async () => {
    const fig = plots.loadedLatency(latencyCurvesTable(spec));
    await Promise.all([fig.savePNG(join(out, "c1.png")), fig.savePNG(join(out, "c2.png"))]);
    expect(pngSize(join(out, "c1.png")).width).toBe(1000);
    expect(readFileSync(join(out, "c1.png")).equals(readFileSync(join(out, "c2.png")))).toBe(true);
    expect(rendererLaunchCount()).toBe(1);
  });

  it("leaves nothing running after closeRenderer()", async () => {
    await plots.loadedLatency(latencyCurvesTable(spec)).saveSVG(join(out, "again.svg"));
    expect(process.getActiveResourcesInfo()).toContain("ProcessWrap"); // the browser, keeping Node alive
    await closeRenderer();
    expect(process.getActiveResourcesInfo()).not.toContain("ProcessWrap");
    await closeRenderer(); // idempotent
  });

  it("rejects a bad image size with a UsageError", async () => {
    await expect(plots.loadedLatency(latencyCurvesTable(spec)).savePNG(join(out, "x.png"), { width: -5 })).rejects.toThrow(
      /image width: got -5; must be a positive number/,
    );
  });
});
