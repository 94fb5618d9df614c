import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Notebooks are authored as percent-format scripts in notebooks/src/; the committed .ipynb must
// be exactly what scripts/mknb.mjs makes of them, and must carry no outputs.
const sources = readdirSync("notebooks/src").filter((f) => f.endsWith(".ts"));

describe("notebooks", () => {
  it("has at least one notebook source", () => {
    expect(sources.length).toBeGreaterThan(0);
  });

  for (const src of sources) {
    const name = src.replace(/\.ts$/, "");
    it(`${name}.ipynb is generated from notebooks/src/${src} and has no outputs`, () => {
      const committed = join("notebooks", `${name}.ipynb`);
      expect(existsSync(committed)).toBe(true);
      const fresh = join(mkdtempSync(join(tmpdir(), "nb-")), `${name}.ipynb`);
      execFileSync(process.execPath, ["scripts/mknb.mjs", join("notebooks/src", src), fresh]);
      expect(readFileSync(committed, "utf8")).toBe(readFileSync(fresh, "utf8"));
      const nb = JSON.parse(readFileSync(committed, "utf8")) as { cells: { outputs?: unknown[] }[] };
      for (const cell of nb.cells) expect(cell.outputs ?? []).toEqual([]);
    });
  }
});
