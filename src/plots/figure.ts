/**
 * A plotly figure as plain data plus the ways to look at it. Builders return one; rendering is
 * kept here and in render.ts so builders stay pure functions of tables.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { Data, Layout } from "plotly.js-dist-min";
import { UsageError } from "../core/errors.js";
import { bundleScript, plotDiv } from "./html.js";
import { renderImage, type ImageOptions } from "./render.js";

/** The JSON form of a figure: what plotly's `newPlot(div, data, layout)` takes. */
export interface FigureJSON {
  readonly data: Data[];
  readonly layout: Partial<Layout>;
}

// Per kernel session: the bundle goes out with the first figure only; later outputs reuse the
// window.Plotly it defines, which keeps each executed cell ~1 KB instead of 4.8 MB.
let bundleShown = false;
let figureCount = 0;

/**
 * A plotly figure: `data` traces and `layout`, with `show()` for tslab notebooks, `toHTML()`
 * for a standalone offline page and `savePNG()`/`saveSVG()` through headless Chromium.
 *
 * @example
 * const fig = plots.loadedLatency(latencyCurvesTable(presets.sprCxl()));
 * fig.show();                         // in a tslab notebook
 * await fig.savePNG("latency.png");   // anywhere; then await closeRenderer()
 */
export class Figure implements FigureJSON {
  readonly data: Data[];
  readonly layout: Partial<Layout>;

  constructor(data: Data[], layout: Partial<Layout> = {}) {
    if (!Array.isArray(data) || layout === null || typeof layout !== "object") {
      throw new UsageError({
        what: "new Figure(data, layout)",
        value: { data, layout },
        rule: "takes an array of plotly traces and a layout object",
        fix: 'write new Figure([{ type: "scatter", x: [1, 2], y: [3, 4] }], { title: { text: "..." } })',
      });
    }
    this.data = data;
    this.layout = layout;
  }

  /**
   * Displays the figure in a tslab notebook as offline, interactive HTML.
   *
   * @example
   * plots.topologyDiagram(nodesTable(kt), linksTable(kt)).show();
   */
  show(): void {
    const display = tslabDisplay();
    const html = plotDiv(this, nextId());
    if (bundleShown) {
      send(display, html);
      return;
    }
    send(display, `${bundleScript()}\n${html}`);
    bundleShown = true; // only after the output went out, so a failed first show() retries with the bundle
  }

  /**
   * A standalone HTML document with plotly inlined: opens offline, in any browser.
   *
   * @example
   * writeFileSync("latency.html", fig.toHTML());
   */
  toHTML(): string {
    const title = escapeHtml(titleOf(this.layout) ?? "tiersim figure");
    return (
      `<!doctype html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>\n` +
      `<body style="margin:0;font-family:sans-serif">\n${bundleScript()}\n${plotDiv(this, nextId())}\n</body></html>\n`
    );
  }

  /**
   * Renders the figure to a PNG file (parent folders are created).
   *
   * @example
   * await fig.savePNG("out/latency.png", { width: 1000, height: 600, scale: 2 });
   */
  async savePNG(path: string, options?: ImageOptions): Promise<void> {
    const png = await renderImage(this, "png", options);
    writeOut(path, png);
  }

  /**
   * Renders the figure to an SVG file (parent folders are created).
   *
   * @example
   * await fig.saveSVG("out/latency.svg");
   */
  async saveSVG(path: string, options?: ImageOptions): Promise<void> {
    const svg = await renderImage(this, "svg", options);
    writeOut(path, svg);
  }

  /**
   * The plain `{ data, layout }` object, e.g. for `JSON.stringify` or another plotly front end.
   *
   * @example
   * JSON.stringify(fig) // uses toJSON()
   */
  toJSON(): FigureJSON {
    return { data: this.data, layout: this.layout };
  }
}

interface HtmlDisplay {
  html(s: string): void;
}

function tslabDisplay(): HtmlDisplay {
  try {
    return (createRequire(import.meta.url)("tslab") as { display: HtmlDisplay }).display;
  } catch {
    throw notInKernel("tslab is not installed");
  }
}

// tslab's display throws "Not ready" when no kernel is connected (plain node, tests, the CLI).
function send(display: HtmlDisplay, html: string): void {
  try {
    display.html(html);
  } catch (e) {
    if (e instanceof Error && /not ready/i.test(e.message)) throw notInKernel("outside a notebook kernel");
    throw e;
  }
}

function notInKernel(value: string): UsageError {
  return new UsageError({
    what: "Figure.show()",
    value,
    rule: "only works in a tslab notebook kernel",
    fix: "call fig.toHTML() and write it to a file, or await fig.savePNG(path) / fig.saveSVG(path)",
  });
}

function writeOut(path: string, content: Buffer | string): void {
  if (typeof path !== "string" || path === "") {
    throw new UsageError({ what: "figure file path", value: path, rule: "must be a non-empty string", fix: 'write e.g. "out/figure.png"' });
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

function nextId(): string {
  figureCount++;
  return `tiersim-fig-${process.pid}-${Date.now().toString(36)}-${figureCount}`;
}

function titleOf(layout: Partial<Layout>): string | undefined {
  const t = layout.title as unknown;
  if (typeof t === "string") return t;
  if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") return (t as { text: string }).text;
  return undefined;
}

function escapeHtml(s: string): string {
  const text = s.replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, "");
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
