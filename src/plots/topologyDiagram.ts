/**
 * The machine at a glance: memory tiers as rows (fastest at the top, as in
 * /sys/devices/virtual/memory_tiering), sockets as dashed frames, nodes as boxes, CXL links and
 * socket interconnects as labelled lines. Drawn with plotly shapes so it renders to PNG and
 * stays interactive (hover a node for its numbers) in a notebook.
 */
import type { ColumnTable } from "arquero";
import type { Annotation, Data, Shape } from "plotly.js-dist-min";
import { UsageError } from "../core/errors.js";
import { formatSize } from "../core/units.js";
import { requireColumns, rowsOf } from "./columns.js";
import { Figure } from "./figure.js";
import { FONT_FAMILY, kindColor } from "./palette.js";
import { layoutTopology, SIZES, wrapText, type LayoutBox, type LayoutRow, type TopologyLayout } from "./topologyLayout.js";

interface NodeRow {
  node: number;
  kind: string | null;
  socket: number;
  cpus: number;
  capacity_bytes: number;
  tier: number | null;
  toptier: boolean;
  adistance?: number | null;
  read_bandwidth_gbps?: number | null;
  idle_latency_ns?: number | null;
}

interface LinkRow {
  link?: string;
  kind: string;
  from_socket: number;
  to_socket: number | null;
  to_node: number | null;
  read_bandwidth_gbps: number;
  write_bandwidth_gbps: number;
  latency_ns: number;
}

const NODE_COLUMNS = ["node", "kind", "socket", "cpus", "capacity_bytes", "tier", "toptier"] as const;
const LINK_COLUMNS = ["kind", "from_socket", "to_socket", "to_node", "read_bandwidth_gbps", "write_bandwidth_gbps", "latency_ns"] as const;
const LINK_COLOR = { cxl: "#c2571a", interconnect: "#555555" } as const;
const GREY = "#6b6b6b";

/** Options of {@link topologyDiagram}. */
export interface TopologyDiagramOptions {
  /** Title; default "Memory tiers and topology". */
  readonly title?: string;
  /** A smaller line under the title, e.g. the topology's description. */
  readonly subtitle?: string;
}

/**
 * Draws memory tiers, sockets, nodes and links from `nodesTable(kt)` and `linksTable(spec)`.
 *
 * @example
 * const kt = deriveKernelTopology(presets.twoSocketCxl());
 * plots.topologyDiagram(nodesTable(kt), linksTable(kt), { title: "twoSocketCxl" }).show();
 */
export function topologyDiagram(nodes: ColumnTable, links: ColumnTable, options: TopologyDiagramOptions = {}): Figure {
  requireColumns(nodes, NODE_COLUMNS, "topologyDiagram(nodes)", "nodesTable(kt)");
  requireColumns(links, LINK_COLUMNS, "topologyDiagram(nodes, links)", "linksTable(spec)");
  const nodeRows = rowsOf<NodeRow>(nodes);
  if (nodeRows.length === 0) {
    throw new UsageError({ what: "topologyDiagram(nodes)", value: "0 rows", rule: "needs at least one node", fix: "pass nodesTable(kt) of a topology with nodes" });
  }
  const linkRows = rowsOf<LinkRow>(links);
  const socketOrder = [...new Set(nodeRows.map((n) => n.socket))].sort((a, b) => a - b);
  const interconnects = linkRows.filter((l) => l.kind !== "cxl");
  const laned = laneAssignment(interconnects, socketOrder);
  const placed = nodeRows.map((n) => ({ node: n.node, socket: n.socket, tier: n.tier, hasMemory: n.kind !== null }));
  const lanes = Math.max(0, ...laned.map((l) => l.lane + 1));
  // ~7 px per character at 12 px DejaVu Sans; the width does not depend on the subtitle.
  const strip = laned.some((l) => l.lane < 0);
  const subtitle = options.subtitle ? wrapText(options.subtitle, Math.floor((layoutTopology(placed, lanes).width - 32) / 7)) : [];
  const layout = layoutTopology(placed, lanes, subtitle.length, strip);
  const Y = (top: number): number => layout.height - top;
  const shapes: Partial<Shape>[] = [];
  const annotations: Partial<Annotation>[] = [];
  const text = (x: number, top: number, t: string, extra: Partial<Annotation> = {}): void => {
    annotations.push({ x, y: Y(top), text: t, showarrow: false, xref: "x", yref: "y", font: { size: 12 }, ...extra });
  };

  subtitle.forEach((line, i) => text(16, SIZES.title - 6 + i * SIZES.subtitleLine, line, { xanchor: "left", font: { size: 12, color: GREY } }));
  for (const row of layout.rows) drawRow(row, nodeRows, layout, shapes, text, Y);
  for (const s of layout.sockets) {
    shapes.push({ type: "path", path: roundedRect(s.left, Y(s.bottom), s.right, Y(s.top), 10), line: { color: "#9a9a9a", width: 1.2, dash: "dash" }, fillcolor: "rgba(120,120,120,0.04)", layer: "below" });
    text((s.left + s.right) / 2, layout.headerY, `<b>socket ${s.socket}</b>`, { font: { size: 13 } });
  }
  drawInterconnects(laned, layout, shapes, text, Y);
  drawCxlLinks(linkRows.filter((l) => l.kind === "cxl"), nodeRows, layout, shapes, text, Y);
  for (const n of nodeRows) drawNode(n, layout.boxes.get(n.node)!, shapes, text, Y);
  const note = "Rows are memory tiers, fastest at the top; dashed frames are sockets.<br>Lines are CXL links and socket interconnects, labelled with bandwidth and the latency they add.";
  text(16, layout.height - SIZES.footer / 2, note, {
    align: "left",
    xanchor: "left",
    font: { size: 11, color: GREY },
  });

  const hover: Data = {
    type: "scatter",
    mode: "markers",
    name: "nodes",
    showlegend: false,
    x: nodeRows.map((n) => center(layout.boxes.get(n.node)!).x),
    y: nodeRows.map((n) => Y(center(layout.boxes.get(n.node)!).y)),
    marker: { size: 40, opacity: 0 },
    hovertext: nodeRows.map(hoverText),
    hoverinfo: "text",
  };
  return new Figure([hover], {
    title: {
      text: options.title ?? "Memory tiers and topology",
      x: 16 / layout.width,
      xanchor: "left",
      y: 1 - 14 / layout.height,
      yanchor: "top",
    },
    font: { family: FONT_FAMILY, size: 12, color: "#222222" },
    width: layout.width,
    height: layout.height,
    margin: { l: 0, r: 0, t: 0, b: 0 },
    xaxis: { range: [0, layout.width], visible: false, fixedrange: true },
    yaxis: { range: [0, layout.height], visible: false, fixedrange: true },
    plot_bgcolor: "#ffffff",
    paper_bgcolor: "#ffffff",
    showlegend: false,
    hovermode: "closest",
    shapes,
    annotations,
  });
}

type Text = (x: number, top: number, t: string, extra?: Partial<Annotation>) => void;

function drawRow(row: LayoutRow, nodes: readonly NodeRow[], layout: TopologyLayout, shapes: Partial<Shape>[], text: Text, Y: (t: number) => number): void {
  const members = nodes.filter((n) => (row.key === "cpu" ? n.tier === null && n.kind === null : row.key === "offline" ? n.tier === null && n.kind !== null : n.tier === row.key));
  if (row !== layout.rows[0]) {
    shapes.push({ type: "line", x0: 10, x1: layout.width - 10, y0: Y(row.top), y1: Y(row.top), line: { color: "#d0d0d0", width: 1, dash: "dot" }, layer: "below" });
  }
  let label: string;
  let detail: string;
  if (row.key === "cpu") {
    label = "<b>no memory</b>";
    detail = "CPU-only nodes";
  } else if (row.key === "offline") {
    label = "<b>no tier</b>";
    detail = "memory offline";
  } else {
    label = `<b>memory_tier${row.key}${members.some((n) => n.toptier) ? " (toptier)" : ""}</b>`;
    const ad = [...new Set(members.map((n) => n.adistance).filter((a): a is number => typeof a === "number"))].sort((a, b) => a - b);
    detail = ad.length === 0 ? "" : ad.length === 1 ? `adistance ${ad[0]}` : `adistance ${ad[0]}–${ad[ad.length - 1]}`;
  }
  text(16, row.center - 9, label, { xanchor: "left", font: { size: 13 } });
  if (detail) text(16, row.center + 10, detail, { xanchor: "left", font: { size: 11, color: GREY } });
}

function drawNode(n: NodeRow, box: LayoutBox, shapes: Partial<Shape>[], text: Text, Y: (t: number) => number): void {
  const c = kindColor(n.kind);
  shapes.push({ type: "path", path: roundedRect(box.left, Y(box.bottom), box.right, Y(box.top), 8), line: { color: c.line, width: 1.8 }, fillcolor: c.fill, layer: "above" });
  const cpus = n.cpus === 0 ? "no CPUs" : `${n.cpus} CPU${n.cpus === 1 ? "" : "s"}`;
  const lines = [`<b>node ${n.node}</b> · ${n.kind ? n.kind.toUpperCase() : "no memory"}`];
  lines.push(n.kind ? `${spacedSize(n.capacity_bytes)} · ${cpus}` : cpus);
  if (typeof n.idle_latency_ns === "number" && typeof n.read_bandwidth_gbps === "number") {
    lines.push(`${num(n.idle_latency_ns)} ns idle · ${num(n.read_bandwidth_gbps)} GB/s rd`);
  }
  text((box.left + box.right) / 2, (box.top + box.bottom) / 2, lines.join("<br>"), { font: { size: 12 } });
}

function drawCxlLinks(links: readonly LinkRow[], nodes: readonly NodeRow[], layout: TopologyLayout, shapes: Partial<Shape>[], text: Text, Y: (t: number) => number): void {
  const labelsAt = new Map<number, number>();
  for (const l of links) {
    const target = l.to_node === null ? undefined : layout.boxes.get(l.to_node);
    const socket = layout.sockets.find((s) => s.socket === l.from_socket);
    if (!target || !socket) {
      throw new UsageError({
        what: `topologyDiagram links: CXL link ${l.link ?? ""} from socket ${l.from_socket} to node ${l.to_node}`,
        value: l,
        rule: "must join a socket and a node that are in the nodes table",
        fix: "pass nodesTable(kt) and linksTable(spec) of the same topology",
      });
    }
    const hostNode = nodes.filter((n) => n.socket === l.from_socket && n.cpus > 0 && n.node !== l.to_node).sort((a, b) => a.node - b.node)[0];
    const host = hostNode ? layout.boxes.get(hostNode.node)! : null;
    const from = host ? center(host) : { x: (socket.left + socket.right) / 2, y: layout.headerY + 12 };
    const to = center(target);
    let [x0, y0, x1, y1] = [from.x, from.y, to.x, to.y];
    if (host && host.top === target.top) {
      [x0, x1] = host.left < target.left ? [host.right, target.left] : [host.left, target.right];
    } else if (!host || host.top < target.top) {
      [y0, y1] = [host ? host.bottom : from.y, target.top];
    } else {
      [y0, y1] = [host.top, target.bottom];
    }
    const others = [...layout.boxes.values()].filter((b) => b !== host && b !== target);
    if (others.some((b) => crosses(x0, y0, x1, y1, b))) {
      // A straight line would run under another node and read as a chain through it: take the
      // free channel inside the socket frame's left edge instead.
      const ch = socket.left + SIZES.socketPad / 2;
      const turn = target.top - 34;
      const path = `M ${x0},${Y(y0)} L ${x0},${Y(y0 + 14)} L ${ch},${Y(y0 + 14)} L ${ch},${Y(turn)} L ${x1},${Y(turn)} L ${x1},${Y(y1)}`;
      shapes.push({ type: "path", path, line: { color: LINK_COLOR.cxl, width: 2.5 }, layer: "below" });
    } else {
      shapes.push({ type: "line", x0, y0: Y(y0), x1, y1: Y(y1), line: { color: LINK_COLOR.cxl, width: 2.5 }, layer: "below" });
    }
    const stacked = labelsAt.get(l.to_node!) ?? 0;
    labelsAt.set(l.to_node!, stacked + 1);
    text(to.x, target.top - 14 - stacked * 17, linkLabel("CXL", l), { font: { size: 11, color: LINK_COLOR.cxl }, bgcolor: "#ffffff", borderpad: 1 });
  }
}

interface LanedLink {
  readonly link: LinkRow;
  /** -1: drawn directly between adjacent socket headers; otherwise the lane above them. */
  readonly lane: number;
}

function laneAssignment(links: readonly LinkRow[], sockets: readonly number[]): LanedLink[] {
  const direct = new Set<string>();
  let lanes = 0;
  return links.map((link) => {
    const a = sockets.indexOf(link.from_socket);
    const b = link.to_socket === null ? -1 : sockets.indexOf(link.to_socket);
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
    if (a >= 0 && b >= 0 && Math.abs(a - b) === 1 && !direct.has(key)) {
      direct.add(key);
      return { link, lane: -1 };
    }
    return { link, lane: lanes++ };
  });
}

function drawInterconnects(links: readonly LanedLink[], layout: TopologyLayout, shapes: Partial<Shape>[], text: Text, Y: (t: number) => number): void {
  for (const { link, lane } of links) {
    const a = layout.sockets.find((s) => s.socket === link.from_socket);
    const b = layout.sockets.find((s) => s.socket === link.to_socket);
    if (!a || !b) {
      throw new UsageError({
        what: `topologyDiagram links: interconnect ${link.link ?? ""} between sockets ${link.from_socket} and ${link.to_socket}`,
        value: link,
        rule: "must join two sockets that have nodes in the nodes table",
        fix: "pass nodesTable(kt) and linksTable(spec) of the same topology",
      });
    }
    const [l, r] = a.left < b.left ? [a, b] : [b, a];
    const lc = (l.left + l.right) / 2;
    const rc = (r.left + r.right) / 2;
    const style = { color: LINK_COLOR.interconnect, width: 2.5 };
    if (lane < 0) {
      shapes.push({ type: "line", x0: lc + 48, x1: rc - 48, y0: Y(layout.headerY), y1: Y(layout.headerY), line: style, layer: "below" });
      text((lc + rc) / 2, layout.headerTop + 10, linkLabel("interconnect", link), { font: { size: 11, color: LINK_COLOR.interconnect } });
    } else {
      const y = layout.laneY - (lane + 0.5) * SIZES.lane;
      const top = l.top;
      shapes.push({ type: "path", path: `M ${lc},${Y(top)} L ${lc},${Y(y)} L ${rc},${Y(y)} L ${rc},${Y(top)}`, line: style, layer: "below" });
      text((lc + rc) / 2, y, linkLabel("interconnect", link), { font: { size: 11, color: LINK_COLOR.interconnect }, bgcolor: "#ffffff" });
    }
  }
}

function linkLabel(name: string, l: LinkRow): string {
  const bw =
    l.read_bandwidth_gbps === l.write_bandwidth_gbps
      ? `${num(l.read_bandwidth_gbps)} GB/s each way`
      : `${num(l.read_bandwidth_gbps)} GB/s rd / ${num(l.write_bandwidth_gbps)} wr`;
  return `${name} · ${bw} · +${num(l.latency_ns)} ns`;
}

function hoverText(n: NodeRow): string {
  const parts = [`node ${n.node}`, `socket ${n.socket}`, `${n.cpus} CPUs`];
  if (n.kind) parts.push(`${n.kind}, ${spacedSize(n.capacity_bytes)}`);
  if (n.tier !== null) parts.push(`memory_tier${n.tier}${n.toptier ? " (toptier)" : ""}`);
  if (typeof n.adistance === "number") parts.push(`adistance ${n.adistance}`);
  if (typeof n.read_bandwidth_gbps === "number") parts.push(`read ${num(n.read_bandwidth_gbps)} GB/s`);
  if (typeof n.idle_latency_ns === "number") parts.push(`idle latency ${num(n.idle_latency_ns)} ns`);
  return parts.join("<br>");
}

function crosses(x0: number, y0: number, x1: number, y1: number, b: LayoutBox): boolean {
  for (let i = 1; i < 64; i++) {
    const x = x0 + ((x1 - x0) * i) / 64;
    const y = y0 + ((y1 - y0) * i) / 64;
    if (x > b.left - 4 && x < b.right + 4 && y > b.top - 4 && y < b.bottom + 4) return true;
  }
  return false;
}

function center(b: LayoutBox): { x: number; y: number } {
  return { x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2 };
}

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): string {
  return (
    `M ${x0 + r},${y0} L ${x1 - r},${y0} Q ${x1},${y0} ${x1},${y0 + r} L ${x1},${y1 - r} Q ${x1},${y1} ${x1 - r},${y1} ` +
    `L ${x0 + r},${y1} Q ${x0},${y1} ${x0},${y1 - r} L ${x0},${y0 + r} Q ${x0},${y0} ${x0 + r},${y0} Z`
  );
}

function spacedSize(bytes: number): string {
  return formatSize(bytes, 1).replace(/^([-0-9.]+)/, "$1 ");
}

function num(x: number): string {
  return String(Number(x.toFixed(1)));
}
