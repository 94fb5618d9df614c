/**
 * `tiersim figures`: regenerates the figure gallery from the presets, so the PNGs in docs and
 * reviews always come from the current code: per preset a topology diagram and loaded-latency
 * curves (PNG + offline HTML) and the tables behind them (CSV), plus an index.html.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import cliProgress from "cli-progress";
import { loadedLatency } from "../plots/loadedLatency.js";
import { closeRenderer } from "../plots/render.js";
import { topologyDiagram } from "../plots/topologyDiagram.js";
import { latencyCurvesTable, linksTable, nodesTable } from "../results/topologyTables.js";
import { deriveKernelTopology } from "../topology/derive.js";
import { presetNames, presets, type Presets } from "../topology/presets.js";
import { parseCliArgs, presetName, type Command } from "./command.js";
import { WEIGHTED_INTERLEAVE_FILES, writeWeightedInterleave } from "./weightedInterleave.js";

const HELP = `usage: tiersim figures [--out DIR] [--preset NAME]...

Regenerates the figure gallery: for every preset machine, the topology/tier diagram and the
loaded-latency curves as PNG and offline HTML, and the tables behind them as CSV; then the
weighted-interleave study (calibration.md §1: STREAM on sprCxl, bandwidth vs weights, operating
points, traffic split, tier occupancy) in weighted-interleave/.

options:
  --out DIR        where to write (default out/figures); one folder per preset plus index.html
  --preset NAME    only this preset (repeatable); one of: ${presetNames().join(", ")}
  --no-studies     skip the weighted-interleave study
  -h, --help       show this help`;

/** The files written per preset, in order; also the progress bar's steps. */
export const GALLERY_FILES: readonly string[] = [
  "nodes.csv",
  "links.csv",
  "latency-curves.csv",
  "topology.html",
  "topology.png",
  "loaded-latency.html",
  "loaded-latency.png",
];

/** `tiersim figures`. */
export const figuresCommand: Command = {
  name: "figures",
  summary: "regenerate the figure gallery (topology diagram, loaded latency per preset; the weighted-interleave study) as PNG, HTML and CSV",
  help: HELP,
  async run(args: string[]): Promise<number> {
    const { values } = parse(args);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const names = (values.preset && values.preset.length > 0 ? values.preset : presetNames()).map((n) => presetName(n, (known) => `unknown preset "${n}"; use one of: ${known}`));
    const started = Date.now();
    const written = await writeGallery(values.out ?? "out/figures", names, { studies: !values["no-studies"] });
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`wrote ${written.length} files for ${names.length} preset${names.length === 1 ? "" : "s"} to ${values.out ?? "out/figures"} in ${secs}s`);
    return 0;
  },
};

function parse(args: string[]): { values: { out?: string; preset?: string[]; help?: boolean; "no-studies"?: boolean } } {
  return parseCliArgs({
    args,
    options: { out: { type: "string" }, preset: { type: "string", multiple: true }, help: { type: "boolean", short: "h" }, "no-studies": { type: "boolean" } },
    allowPositionals: false,
  });
}

/**
 * Options of {@link writeGallery}.
 *
 * @example
 * { studies: true }
 */
export interface GalleryOptions {
  /** Also write the weighted-interleave study (simulations and a sweep; default false). */
  readonly studies?: boolean;
}

/**
 * Writes every gallery file for the given presets under `outDir` and returns their paths.
 *
 * @example
 * await writeGallery("out/figures", ["sprCxl"]); // out/figures/sprCxl/topology.png, ...
 * await writeGallery("out/figures", ["sprCxl"], { studies: true }); // ... and out/figures/weighted-interleave/
 */
export async function writeGallery(outDir: string, names: readonly (keyof Presets)[], options: GalleryOptions = {}): Promise<string[]> {
  const bar = new cliProgress.SingleBar(
    {
      format: "figures [{bar}] {value}/{total} | {preset} {file}",
      stream: process.stderr,
      noTTYOutput: !process.stderr.isTTY,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const written: string[] = [];
  bar.start(names.length * GALLERY_FILES.length + (options.studies ? WEIGHTED_INTERLEAVE_FILES.length : 0), 0, { preset: "", file: "" });
  try {
    for (const name of names) {
      const spec = presets[name]();
      const kt = deriveKernelTopology(spec);
      const dir = join(outDir, name);
      mkdirSync(dir, { recursive: true });
      const nodes = nodesTable(kt);
      const links = linksTable(spec);
      const curves = latencyCurvesTable(spec);
      const topo = topologyDiagram(nodes, links, { title: `${name}: memory tiers and topology`, subtitle: spec.description });
      const latency = loadedLatency(curves, { title: `${name}: loaded latency` });
      const steps: Record<string, (path: string) => Promise<void> | void> = {
        "nodes.csv": (p) => writeFileSync(p, nodes.toCSV()),
        "links.csv": (p) => writeFileSync(p, links.toCSV()),
        "latency-curves.csv": (p) => writeFileSync(p, curves.toCSV()),
        "topology.html": (p) => writeFileSync(p, topo.toHTML()),
        "topology.png": (p) => topo.savePNG(p, { scale: 2 }),
        "loaded-latency.html": (p) => writeFileSync(p, latency.toHTML()),
        "loaded-latency.png": (p) => latency.savePNG(p, { scale: 2 }),
      };
      for (const file of GALLERY_FILES) {
        bar.update({ preset: name, file });
        const path = join(dir, file);
        await steps[file]!(path);
        written.push(path);
        bar.increment();
      }
    }
    if (options.studies) {
      const dir = join(outDir, "weighted-interleave");
      mkdirSync(dir, { recursive: true });
      const files = await writeWeightedInterleave(dir, (file) => {
        bar.update({ preset: "weighted-interleave", file });
        bar.increment();
      });
      written.push(...files);
    }
    const index = join(outDir, "index.html");
    writeFileSync(index, galleryIndex(outDir, written));
    written.push(index);
  } finally {
    bar.stop();
    await closeRenderer();
  }
  return written;
}

function galleryIndex(outDir: string, files: readonly string[]): string {
  const byPreset = new Map<string, string[]>();
  for (const f of files) {
    const rel = relative(outDir, f);
    const [preset] = rel.split(/[\\/]/);
    byPreset.set(preset!, [...(byPreset.get(preset!) ?? []), rel]);
  }
  const sections = [...byPreset].map(([preset, rels]) => {
    const pngs = rels.filter((r) => r.endsWith(".png"));
    const others = rels.filter((r) => !r.endsWith(".png"));
    return (
      `<h2>${preset}</h2>\n` +
      pngs.map((p) => `<a href="${p.replace(/\.png$/, ".html")}"><img src="${p}" style="max-width:48%;border:1px solid #ddd;margin:4px"></a>`).join("\n") +
      `\n<p>${others.map((o) => `<a href="${o}">${o.split(/[\\/]/).pop()}</a>`).join(" · ")}</p>`
    );
  });
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>tiersim figures</title></head>\n<body style="font-family:sans-serif;margin:24px">\n<h1>tiersim figures</h1>\n<p>Generated by <code>tiersim figures</code>. Click a figure for its interactive, offline HTML.</p>\n${sections.join("\n")}\n</body></html>\n`;
}
