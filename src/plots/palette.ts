/** Colours shared by the figures, so a memory kind looks the same in every plot. */

/** Fill and line colour per memory kind; unknown kinds get grey. */
export const KIND_COLORS: Readonly<Record<string, { readonly line: string; readonly fill: string }>> = {
  dram: { line: "#1f5fa8", fill: "#dbe8f7" },
  hbm: { line: "#2a7f3f", fill: "#dcf0e1" },
  cxl: { line: "#c2571a", fill: "#fbe5d6" },
  pmem: { line: "#7a3e9d", fill: "#ecdff3" },
};

/**
 * The colour pair of a memory kind (grey for memoryless or unknown).
 *
 * @example
 * kindColor("cxl") // { line: "#c2571a", fill: "#fbe5d6" }
 */
export function kindColor(kind: string | null): { readonly line: string; readonly fill: string } {
  return (kind !== null && KIND_COLORS[kind]) || { line: "#666666", fill: "#eeeeee" };
}

/** Distinct line colours for series such as one per node (Tableau 10). */
export const SERIES_COLORS: readonly string[] = [
  "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
];

/** The font every figure uses; DejaVu Sans is what Debian's headless chromium has. */
export const FONT_FAMILY = "DejaVu Sans, Open Sans, Arial, sans-serif";

/**
 * A lighter version of a `#rrggbb` colour: `amount` 0 keeps it, 1 gives white. Layers that
 * split one node (by kind, hot/cold) keep the node's hue and differ in lightness.
 *
 * @example
 * shade("#1f5fa8", 0.5) // "#8fafd4"
 */
export function shade(hex: string, amount: number): string {
  return mix(hex, amount, (c, t) => c + (255 - c) * t);
}

/**
 * Line dashes that tell series of one colour apart (e.g. the processes of one run).
 *
 * @example
 * line: { color: SERIES_COLORS[run], dash: SERIES_DASHES[process] }
 */
export const SERIES_DASHES: readonly string[] = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"];

/**
 * A darker version of a `#rrggbb` colour: `amount` 0 keeps it, 1 gives black. Several nodes of
 * one memory kind (the two DRAM sockets of a two-socket machine) keep the kind's hue and differ
 * in darkness, so their layers stay apart.
 *
 * @example
 * darken("#1f5fa8", 0.5) // "#103054"
 */
export function darken(hex: string, amount: number): string {
  return mix(hex, amount, (c, t) => c * (1 - t));
}

/** Applies `channel` (0..255, amount clamped to 0..1) to each channel of a `#rrggbb` colour; other strings pass through. */
function mix(hex: string, amount: number, channel: (c: number, t: number) => number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  const t = Math.min(1, Math.max(0, amount));
  const out = (c: string) => Math.round(channel(parseInt(c, 16), t)).toString(16).padStart(2, "0");
  return `#${out(m[1]!)}${out(m[2]!)}${out(m[3]!)}`;
}
