/**
 * The HTML that carries a figure: the inlined plotly bundle (offline, no CDN) and a small script
 * that draws one figure into its own div.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Data, Layout } from "plotly.js-dist-min";

const require = createRequire(import.meta.url);

let bundle: string | null = null;

/**
 * Path of plotly's minified UMD bundle, resolved from wherever tiersim is installed.
 *
 * @example
 * plotlyBundlePath() // ".../node_modules/plotly.js-dist-min/plotly.min.js"
 */
export function plotlyBundlePath(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

/**
 * The ~4.8 MB plotly bundle as text, read once per process.
 *
 * @example
 * plotlyBundle().length // 4834409 (plotly.js-dist-min 4.1.2)
 */
export function plotlyBundle(): string {
  bundle ??= readFileSync(plotlyBundlePath(), "utf8");
  return bundle;
}

/**
 * `<script>` tag holding the whole plotly bundle.
 *
 * @example
 * const page = `<body>${bundleScript()}${plotDiv(fig, "a")}</body>`;
 */
export function bundleScript(): string {
  return `<script type="text/javascript">${plotlyBundle()}</script>`;
}

/**
 * A div plus the script that plots into it. When `window.Plotly` is missing (a notebook reopened
 * untrusted, or the cell that loaded the bundle was not re-run) the div says so instead of
 * staying blank.
 *
 * @example
 * plotDiv({ data: [{ type: "bar", y: [1, 2] }], layout: {} }, "fig-1") // '<div id="fig-1" ...><script>...'
 */
export function plotDiv(figure: { data: Data[]; layout: Partial<Layout> }, id: string): string {
  const json = safeJSON({ data: figure.data, layout: figure.layout });
  const w = figure.layout.width ? `${figure.layout.width}px` : "100%";
  const h = figure.layout.height ? `${figure.layout.height}px` : "480px";
  return (
    `<div id="${id}" style="width:${w};max-width:100%;height:${h}"></div>\n` +
    `<script type="text/javascript">(function(){var f=${json};var el=document.getElementById(${JSON.stringify(id)});` +
    `if(window.Plotly){window.Plotly.newPlot(el,f.data,f.layout,{responsive:true,displaylogo:false});}` +
    `else{el.textContent="plotly.js is not loaded in this page: re-run the notebook from the top (and trust it) to load it.";}})();</script>`
  );
}

/** JSON that cannot end a `<script>` element early, whatever strings the figure holds. */
function safeJSON(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
