/**
 * Small multiples: the domains of panels laid side by side or one above the other, and the
 * bold caption above each, so every multi-panel figure spaces and labels its panels alike.
 */

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
