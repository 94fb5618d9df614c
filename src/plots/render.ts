/**
 * Static PNG/SVG through Debian's headless Chromium, driven by playwright-core. One browser is
 * launched on the first render and reused: launching and loading the 4.8 MB plotly bundle cost
 * ~2 s, a render after that ~0.1 s. Renders are queued because they share one page.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { Data, Layout } from "plotly.js-dist-min";
import { UsageError } from "../core/errors.js";
import { plotlyBundlePath } from "./html.js";

/** Where Debian's `chromium` package puts the browser; `TIERSIM_CHROMIUM` overrides it. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Headless flags verified in stack-notes.md §4: no sandbox (root in containers), no network chatter. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** Size of a rendered image in CSS pixels; `scale` multiplies the PNG's pixel size. */
export interface ImageOptions {
  /** Width in px; default the figure's `layout.width`, else 900. */
  readonly width?: number;
  /** Height in px; default the figure's `layout.height`, else 500. */
  readonly height?: number;
  /** Device pixel ratio for PNG (2 = retina); default 1. Ignored for SVG. */
  readonly scale?: number;
}

interface Renderer {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly userDataDir: string;
}

let renderer: Promise<Renderer> | null = null;
let launches = 0;
let queue: Promise<unknown> = Promise.resolve();
let idleTimer: NodeJS.Timeout | null = null;

// A script that forgets closeRenderer() must still exit: the browser's pipes keep Node alive, so
// an idle browser is closed by an unref'd timer. A notebook kernel never exits, so it keeps the
// browser much longer and saves the relaunch between cells.
const IDLE_CLOSE_MS = isNotebookKernel() ? 10 * 60_000 : 5_000;

/**
 * Renders a plotly figure to an image with the shared headless browser.
 *
 * @example
 * const png = (await renderImage(fig, "png", { width: 800, height: 450 })) as Buffer;
 */
export async function renderImage(
  figure: { readonly data: Data[]; readonly layout: Partial<Layout> },
  format: "png" | "svg",
  options: ImageOptions = {},
): Promise<Buffer | string> {
  const width = checkSize(options.width ?? figure.layout.width ?? 900, "width");
  const height = checkSize(options.height ?? figure.layout.height ?? 500, "height");
  const scale = checkSize(options.scale ?? 1, "scale");
  const job = queue.then(async () => {
    cancelIdleClose();
    const { page } = await getRenderer();
    const url = await page.evaluate(
      async ({ fig, fmt, w, h, s }) => {
        const Plotly = (window as unknown as { Plotly: any }).Plotly;
        const gd = document.createElement("div");
        document.body.appendChild(gd);
        try {
          await Plotly.newPlot(gd, fig.data, { ...fig.layout, width: w, height: h });
          return (await Plotly.toImage(gd, { format: fmt, width: w, height: h, scale: s })) as string;
        } finally {
          Plotly.purge(gd);
          gd.remove();
        }
      },
      { fig: { data: figure.data, layout: figure.layout }, fmt: format, w: width, h: height, s: scale },
    );
    return decodeDataUrl(url, format);
  });
  queue = job.catch(() => undefined).finally(scheduleIdleClose);
  return job;
}

/**
 * Closes the shared browser and removes its temporary profile. Call it at the end of a script
 * or test that rendered images; the next render launches a new browser.
 *
 * @example
 * await fig.savePNG("out/fig.png");
 * await closeRenderer();
 */
export async function closeRenderer(): Promise<void> {
  cancelIdleClose();
  const pending = renderer;
  renderer = null;
  if (pending === null) return;
  let r: Renderer;
  try {
    r = await pending;
  } catch {
    return; // the launch failed; nothing is running
  }
  try {
    await r.context.close();
  } finally {
    rmSync(r.userDataDir, { recursive: true, force: true });
  }
}

/**
 * How many browsers this process has launched; lets tests check that renders share one.
 *
 * @example
 * rendererLaunchCount() // 1 after any number of renders without closeRenderer()
 */
export function rendererLaunchCount(): number {
  return launches;
}

function getRenderer(): Promise<Renderer> {
  if (renderer === null) {
    const launching = launch();
    renderer = launching;
    launching.catch(() => {
      if (renderer === launching) renderer = null; // the next render tries again, e.g. after chromium was installed
    });
  }
  return renderer;
}

async function launch(): Promise<Renderer> {
  const executablePath = process.env.TIERSIM_CHROMIUM || CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw new UsageError({
      what: "chromium",
      value: executablePath,
      rule: "is missing, and PNG/SVG figures are rendered with Debian's headless chromium",
      fix: "install it with `apt-get install -y --no-install-recommends chromium` (or `npm run figures`, which installs it)",
    });
  }
  const { chromium } = await import("playwright-core");
  const userDataDir = mkdtempSync(join(tmpdir(), "tiersim-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      // Chromium writes ~/.config/chromium and ~/.cache/dconf even with --user-data-dir.
      env: { ...process.env, XDG_CONFIG_HOME: join(userDataDir, "config"), XDG_CACHE_HOME: join(userDataDir, "cache") },
    });
    launches++;
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: plotlyBundlePath() });
    return { context, page, userDataDir };
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
}

function scheduleIdleClose(): void {
  cancelIdleClose();
  if (renderer === null) return;
  idleTimer = setTimeout(() => void closeRenderer().catch(() => undefined), IDLE_CLOSE_MS);
  idleTimer.unref();
}

function cancelIdleClose(): void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
}

function decodeDataUrl(url: string, format: "png" | "svg"): Buffer | string {
  const comma = url.indexOf(",");
  const header = url.slice(0, comma);
  const body = url.slice(comma + 1);
  const bytes = header.endsWith(";base64") ? Buffer.from(body, "base64") : Buffer.from(decodeURIComponent(body), "utf8");
  return format === "png" ? bytes : bytes.toString("utf8");
}

function checkSize(value: number, what: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError({
      what: `image ${what}`,
      value,
      rule: "must be a positive number",
      fix: what === "scale" ? "use 1 (or 2 for a sharper PNG)" : `give the ${what} in pixels, e.g. 900`,
    });
  }
  return value;
}

function isNotebookKernel(): boolean {
  return process.argv.some((a) => /tslab/.test(a)) && process.argv.includes("kernel");
}
