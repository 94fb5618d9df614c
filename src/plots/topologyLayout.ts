/**
 * Geometry of the topology diagram, in pixels from the top-left corner: one row per memory tier
 * (fastest at the top), one column band per socket, node boxes placed in their (tier, socket)
 * cell. Kept apart from the plotly code so the placement rules can be read and tested alone.
 */

/** What the layout needs to know about a node. */
export interface LayoutNode {
  readonly node: number;
  readonly socket: number;
  /** Row key: the tier id, or null for a node without a tier. */
  readonly tier: number | null;
  /** Whether the node has memory (a tierless node with memory is offline). */
  readonly hasMemory: boolean;
}

/** One row of the diagram. */
export interface LayoutRow {
  /** Tier id, "cpu" for memoryless nodes, "offline" for memory without a tier. */
  readonly key: number | "cpu" | "offline";
  readonly top: number;
  readonly bottom: number;
  /** Vertical centre of the boxes in this row. */
  readonly center: number;
}

/** One socket's column band. */
export interface LayoutSocket {
  readonly socket: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** A node's box. */
export interface LayoutBox {
  readonly node: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** The whole placement. */
export interface TopologyLayout {
  readonly width: number;
  readonly height: number;
  readonly rows: readonly LayoutRow[];
  readonly sockets: readonly LayoutSocket[];
  readonly boxes: ReadonlyMap<number, LayoutBox>;
  /** y of the socket header labels and of interconnects between adjacent sockets. */
  readonly headerY: number;
  /** Top of the header strip; labels of direct interconnects sit here, above the socket frames. */
  readonly headerTop: number;
  /** y of the first interconnect lane (lanes go upward from here), for links between distant sockets. */
  readonly laneY: number;
}

/** Sizes in pixels; exported so the builder and the tests agree on them. */
export const SIZES = {
  /** Title strip without subtitle; each subtitle line adds `subtitleLine`. */
  title: 52,
  subtitleLine: 18,
  lane: 26,
  /** Socket frame top to the first row: the socket name lives here. */
  header: 40,
  /** Above the frames, for labels of interconnects between adjacent sockets. */
  labelStrip: 24,
  rowHeight: 150,
  /** Room above a box in its row: where link labels go. */
  aboveBox: 46,
  boxWidth: 210,
  boxHeight: 80,
  boxGap: 50,
  socketPad: 22,
  socketGap: 90,
  left: 215,
  right: 30,
  footer: 54,
  minWidth: 760,
} as const;

/**
 * Places rows, socket bands and boxes. `lanes` is how many interconnect lanes to reserve above
 * the socket headers, `subtitleLines` how many lines of subtitle go under the title, and
 * `labelStrip` whether interconnects between adjacent sockets need a label strip above the frames.
 *
 * @example
 * layoutTopology([{ node: 0, socket: 0, tier: 4, hasMemory: true }], 0).boxes.get(0) // { node: 0, left: ..., ... }
 */
export function layoutTopology(nodes: readonly LayoutNode[], lanes: number, subtitleLines = 0, labelStrip = true): TopologyLayout {
  const S = SIZES;
  const rowKey = (n: LayoutNode): LayoutRow["key"] => (n.tier !== null ? n.tier : n.hasMemory ? "offline" : "cpu");
  const order = (k: LayoutRow["key"]): number => (k === "cpu" ? -Infinity : k === "offline" ? Infinity : k);
  const keys = [...new Set(nodes.map(rowKey))].sort((a, b) => order(a) - order(b));
  const socketIds = [...new Set(nodes.map((n) => n.socket))].sort((a, b) => a - b);

  const cell = (key: LayoutRow["key"], socket: number): LayoutNode[] =>
    nodes.filter((n) => rowKey(n) === key && n.socket === socket).sort((a, b) => a.node - b.node);
  const slots = (socket: number): number => Math.max(...keys.map((k) => cell(k, socket).length));
  const bandWidth = (socket: number): number => slots(socket) * S.boxWidth + (slots(socket) - 1) * S.boxGap + 2 * S.socketPad;

  const contentWidth = socketIds.reduce((w, s, i) => w + bandWidth(s) + (i > 0 ? S.socketGap : 0), 0);
  const width = Math.max(S.minWidth, S.left + contentWidth + S.right);
  const laneY = S.title + subtitleLines * S.subtitleLine + lanes * S.lane;
  const headerTop = laneY + (lanes > 0 ? 8 : 0);
  const frameTop = headerTop + (labelStrip ? S.labelStrip : 0);
  const rowsTop = frameTop + S.header;
  const rows: LayoutRow[] = keys.map((key, i) => {
    const top = rowsTop + i * S.rowHeight;
    return { key, top, bottom: top + S.rowHeight, center: top + S.aboveBox + S.boxHeight / 2 };
  });
  const rowsBottom = rowsTop + keys.length * S.rowHeight;
  const height = rowsBottom + S.footer;

  const sockets: LayoutSocket[] = [];
  const boxes = new Map<number, LayoutBox>();
  // Centre the bands in the space right of the row labels when the minimum width leaves slack.
  let x = S.left + (width - S.right - S.left - contentWidth) / 2;
  for (const socket of socketIds) {
    const w = bandWidth(socket);
    sockets.push({ socket, left: x, right: x + w, top: frameTop, bottom: rowsBottom - 8 });
    const center = x + w / 2;
    for (const row of rows) {
      const members = cell(row.key, socket);
      const total = members.length * S.boxWidth + (members.length - 1) * S.boxGap;
      members.forEach((n, i) => {
        const left = center - total / 2 + i * (S.boxWidth + S.boxGap);
        const top = row.center - S.boxHeight / 2;
        boxes.set(n.node, { node: n.node, left, right: left + S.boxWidth, top, bottom: top + S.boxHeight });
      });
    }
    x += w + S.socketGap;
  }
  return { width, height, rows, sockets, boxes, headerY: frameTop + 20, headerTop, laneY };
}

/**
 * Splits text into lines of at most `maxChars` characters at spaces: plotly does not wrap, and a
 * topology description is often wider than the figure.
 *
 * @example
 * wrapText("one two three", 7) // ["one two", "three"]
 */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
