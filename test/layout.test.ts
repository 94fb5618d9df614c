/**
 * DESIGN.md "Layout": imports point one way, each folder importing only from those listed
 * before it (core; topology; policy, workload, engine; kernel, perf; results; sim; plots; cli),
 * engine only from core, plots only from results and core, nothing from cli.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");
const LEVEL: Record<string, number> = { core: 0, topology: 1, policy: 2, workload: 2, engine: 2, kernel: 3, perf: 3, results: 4, sim: 5, plots: 6, cli: 7 };

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Every import of one src folder from another, as "from -> to". */
function crossImports(): { from: string; to: string; file: string }[] {
  const out: { from: string; to: string; file: string }[] = [];
  for (const f of files(SRC)) {
    const rel = relative(SRC, f);
    const from = rel.split("/")[0]!;
    for (const m of readFileSync(f, "utf8").matchAll(/from "(\.[^"]+)"/g)) {
      const to = normalize(join(dirname(rel), m[1]!)).split("/")[0]!;
      if (to !== from && to in LEVEL && from in LEVEL) out.push({ from, to, file: rel });
    }
  }
  return out;
}

describe("source layout", () => {
  it("imports point one way (DESIGN.md layering)", () => {
    const wrong = crossImports().filter(({ from, to }) => {
      if (from === "engine") return to !== "core";
      if (from === "plots") return to !== "results" && to !== "core";
      return LEVEL[to]! >= LEVEL[from]!;
    });
    expect(wrong.map((w) => `${w.file} imports ${w.to}/`)).toEqual([]);
  });

  it("knows every top-level folder of src/", () => {
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    expect(folders.filter((n) => !(n in LEVEL))).toEqual([]);
    // The check above is not vacuous: the layers do import each other.
    expect(crossImports().length).toBeGreaterThan(100);
  });
});
