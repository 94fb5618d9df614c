/**
 * Real PNGs of the over-time and comparison figures, through one shared browser. Set
 * TIERSIM_KEEP_PNG=dir to keep them for a look.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { plots } from "../../src/plots/index.js";
import { closeRenderer, rendererLaunchCount } from "../../src/plots/render.js";
import { storyRuns } from "./runFixtures.js";

const keep = process.env.TIERSIM_KEEP_PNG;
const out = keep ?? mkdtempSync(join(tmpdir(), "tiersim-run-figures-"));
afterAll(async () => {
  await closeRenderer();
  if (!keep) rmSync(out, { recursive: true, force: true });
});

function pngSize(file: string): { width: number; height: number; bytes: number } {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString("ascii")).toBe("PNG");
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), bytes: b.length };
}

describe("over-time figures render", () => {
  it("renders convergence, counters, comparison, scan activity and the new occupancy layerings through one browser", async () => {
    const runs = storyRuns();
    const story = runs["v6.16"]!;
    const figures = {
      convergence: plots.convergence(runs, { title: "seed 000: hot pages on DRAM, without and with the shmem fix" }),
      counters: plots.counterTimeline(runs, ["numa_hint_faults", "pgpromote_success", "pgdemote_kswapd"], { rate: true }),
      compare: plots.compareRuns(runs),
      scan: plots.scanActivity(runs["v6.16 + shmem fix"]!),
      nodeKind: plots.tierOccupancy(story, { by: "node+kind" }),
      hot: plots.tierOccupancy(story, { by: "hot" }),
    };
    for (const [name, fig] of Object.entries(figures)) {
      const file = join(out, `${name}.png`);
      await fig.savePNG(file);
      const size = pngSize(file);
      expect([size.width, size.height]).toEqual([fig.layout.width, fig.layout.height]);
      expect(size.bytes).toBeGreaterThan(20_000); // a blank plot area is ~10 KB
    }
    expect(rendererLaunchCount()).toBe(1);
  });
});
