/**
 * Small multiples: the domains of panels laid side by side or one above the other, and the
 * bold caption above each, and the layout over-time figures share, so every such figure spaces
 * and labels its panels, time axis and legend alike.
 */
import { FONT_FAMILY } from "./palette.js";

/**
 * The [start, end] paper domains of `count` equal panels separated by `gap`, from 0 to 1.
 *
 * @example
 * panelDomains(2, 0.1) // [[0, 0.45], [0.55, 1]]
 */
export function panelDomains(count: number, gap: number): [number, number][] {
  const n = Math.max(1, count);
  const size = (1 - gap * (n - 1)) / n;
  return Array.from({ length: n }, (_, i) => [i * (size + gap), i * (size + gap) + size] as [number, number]);
}

/**
 * The plotly axis name of panel `i` (0-based): "x", "x2", ... as trace refs, "xaxis", "xaxis2",
 * ... as layout keys.
 *
 * @example
 * axisNames("y", 1) // { ref: "y2", key: "yaxis2" }
 */
export function axisNames(letter: "x" | "y", i: number): { ref: string; key: string } {
  const suffix = i === 0 ? "" : String(i + 1);
  return { ref: `${letter}${suffix}`, key: `${letter}axis${suffix}` };
}

/**
 * A bold caption centred above a panel whose domain is `xDomain` x `yDomain` (paper units).
 *
 * @example
 * panelCaption("numa_hint_faults", [0, 1], [0.55, 1])
 */
export function panelCaption(text: string, xDomain: readonly [number, number], yDomain: readonly [number, number]): Record<string, unknown> {
  return {
    text: `<b>${text}</b>`,
    showarrow: false,
    xref: "paper",
    yref: "paper",
    x: (xDomain[0] + xDomain[1]) / 2,
    y: yDomain[1],
    xanchor: "center",
    yanchor: "bottom",
  };
}

/**
 * The layout every over-time figure shares: title, font, 1000 px wide, a time axis (anchored to
 * the bottom panel's y axis `xAnchor` when there are panels) and the legend outside the plot on
 * the right, where many series do not cover the lines. Figures add their y axes.
 *
 * @example
 * { ...timeLayout("Hot pages on the fast tier", 460), yaxis: { title: { text: "%" } } }
 */
export function timeLayout(title: string, height: number, xAnchor?: string): Record<string, unknown> {
  return {
    title: { text: title },
    font: { family: FONT_FAMILY, size: 13 },
    width: 1000,
    height,
    margin: { l: 90, r: 20, t: 70, b: 60 },
    xaxis: { title: { text: "time (s)" }, zeroline: false, ...(xAnchor ? { anchor: xAnchor } : {}) },
    showlegend: true,
    legend: { orientation: "v", x: 1.02, y: 1, xanchor: "left", yanchor: "top", tracegroupgap: 24 },
  };
}
