/**
 * Whole-topology validation, zod style: every issue is collected with its path before anything
 * is thrown, so a user fixing a JSON file sees all problems in one run. The shape is zod's job
 * (validate-shape.ts); the rules Linux imposes on a machine (SLIT, node ids, links) are here.
 */
import { UsageError, type Issue } from "../core/errors.js";
import { parseBandwidth, parseDuration, parseSize } from "../core/units.js";
import { MAX_NODE_ID } from "./builder-options.js";
import { checkPrivate } from "./private.js";
import type { LatencyCurveSpec, LinkSpec, MemorySpec, NodeSpec, TopologySpec } from "./types.js";
import { envelopeSchema, linkSchema, nodeSchema, parseShape, type RawLink, type RawNode } from "./validate-shape.js";

type Path = readonly (string | number)[];

/** The result of checking a topology: every issue, and the normalised spec when there are none. */
export interface TopologyCheck {
  readonly issues: readonly Issue[];
  /** The spec with unit strings converted to canonical numbers; null if any issue was found. */
  readonly spec: TopologySpec | null;
}

/** SLIT's LOCAL_DISTANCE and the largest u8 value that is not "unreachable" (255). */
const LOCAL_DISTANCE = 10;
const MAX_DISTANCE = 254;

class Collector {
  readonly issues: Issue[] = [];
  add(code: string, path: Path, message: string): void {
    this.issues.push({ code, path, message });
  }
}

function quantity(
  c: Collector,
  value: number | string,
  path: Path,
  parse: (v: number | string, what: string) => number,
  unit: string,
  example: string,
): number {
  let n: number;
  try {
    // Numbers are already canonical; only strings need their unit parsed (and a negative
    // number is a range problem, not a unit problem).
    n = typeof value === "number" ? value : parse(value, String(path[path.length - 1]));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    c.add("invalid_unit", path, `${JSON.stringify(value)} ${e.rule}. Fix: write a number of ${unit} or e.g. ${example}.`);
    return NaN;
  }
  if (!(n > 0)) c.add("not_positive", path, `${JSON.stringify(value)} must be greater than zero. Fix: give the measured ${unit}, e.g. ${example}.`);
  return n;
}

function checkCurves(c: Collector, curves: readonly LatencyCurveSpec[], path: Path): void {
  const shares = new Map<number, number>();
  curves.forEach((curve, i) => {
    const at = [...path, i];
    if (!(curve.readShare >= 0 && curve.readShare <= 1)) {
      c.add("invalid_read_share", [...at, "readShare"], `read share ${curve.readShare} is outside 0..1; it is the fraction of traffic that is reads. Fix: write e.g. 1 (all reads) or 0.5.`);
    } else if (shares.has(curve.readShare)) {
      c.add("duplicate_curve", [...at, "readShare"], `curves[${shares.get(curve.readShare)}] already has read share ${curve.readShare}; one curve per read share. Fix: drop or merge the duplicate.`);
    } else shares.set(curve.readShare, i);
    if (curve.points.length < 2) {
      c.add("too_few_points", [...at, "points"], `a curve has ${curve.points.length} point(s) but needs at least two (idle and saturation). Fix: add the [bandwidth, latency] points from idle to saturation.`);
    }
    curve.points.forEach(([bw, lat], j) => {
      if (bw < 0) c.add("invalid_point", [...at, "points", j, 0], `bandwidth ${bw} GB/s is negative. Fix: start the curve at 0 GB/s (idle).`);
      if (!(lat > 0)) c.add("invalid_point", [...at, "points", j, 1], `latency ${lat} ns must be greater than zero. Fix: give the measured latency in ns.`);
      const prev = curve.points[j - 1];
      if (prev !== undefined && !(bw > prev[0])) {
        c.add("curve_not_ascending", [...at, "points", j, 0], `bandwidth ${bw} GB/s does not rise above the previous point's ${prev[0]} GB/s; points must be strictly ascending in bandwidth. Fix: list the points from idle to saturation.`);
      }
    });
  });
}

function normaliseMemory(c: Collector, m: NonNullable<RawNode["memory"]>, path: Path): MemorySpec {
  const capacityBytes = quantity(c, m.capacityBytes, [...path, "capacityBytes"], parseSize, "bytes", '"64GiB"');
  if (Number.isFinite(capacityBytes) && !Number.isInteger(capacityBytes)) {
    c.add("not_integer", [...path, "capacityBytes"], `capacity ${capacityBytes} is not a whole number of bytes. Fix: give whole bytes or a size such as "64GiB".`);
  }
  checkCurves(c, m.curves, [...path, "curves"]);
  const spec: MemorySpec = {
    kind: m.kind,
    capacityBytes,
    zone: m.zone,
    readBandwidthGBps: quantity(c, m.readBandwidthGBps, [...path, "readBandwidthGBps"], parseBandwidth, "GB/s", '"36GB/s"'),
    writeBandwidthGBps: quantity(c, m.writeBandwidthGBps, [...path, "writeBandwidthGBps"], parseBandwidth, "GB/s", '"36GB/s"'),
    idleLatencyNs: quantity(c, m.idleLatencyNs, [...path, "idleLatencyNs"], parseDuration, "ns", '"110ns"'),
    curves: m.curves.map((cv) => (cv.source === undefined ? { readShare: cv.readShare, points: cv.points } : { ...cv })),
    hmat: m.hmat,
    online: m.online,
  };
  const withSource = m.source === undefined ? spec : { ...spec, source: m.source };
  if (m.private === undefined || m.private === null) return withSource;
  // §6.1: owner, NP_OPS_* names and their dependency rules, each problem at its own path.
  const checked = checkPrivate(m.private);
  for (const p of checked.problems) c.add(p.code, [...path, "private", ...p.path], p.message);
  return checked.spec === null ? withSource : { ...withSource, private: checked.spec };
}

function checkNodes(c: Collector, raw: readonly (RawNode | undefined)[]): (NodeSpec | undefined)[] {
  const ids = new Map<number, number>();
  const cpuOwner = new Map<number, number>();
  return raw.map((n, i) => {
    if (n === undefined) return undefined;
    const at: Path = ["nodes", i];
    if (!Number.isInteger(n.id) || n.id < 0 || n.id > MAX_NODE_ID) {
      c.add("invalid_node_id", [...at, "id"], `node id ${n.id} is outside 0..${MAX_NODE_ID} (MAX_NUMNODES = 1024). Fix: use a small non-negative integer.`);
    } else if (ids.has(n.id)) {
      c.add("duplicate_node", [...at, "id"], `node id ${n.id} is already used by nodes[${ids.get(n.id)}]; node ids are unique. Fix: renumber one of them.`);
    } else ids.set(n.id, i);
    if (!Number.isInteger(n.socket) || n.socket < 0) {
      c.add("invalid_socket", [...at, "socket"], `socket ${n.socket} is not a non-negative integer. Fix: write e.g. 0.`);
    }
    n.cpus.forEach((cpu, j) => {
      if (!Number.isInteger(cpu) || cpu < 0) {
        c.add("invalid_cpu", [...at, "cpus", j], `CPU id ${cpu} is not a non-negative integer. Fix: write e.g. 0.`);
      } else if (cpuOwner.has(cpu)) {
        c.add("duplicate_cpu", [...at, "cpus", j], `CPU ${cpu} is already on nodes[${cpuOwner.get(cpu)}]; a CPU belongs to exactly one node. Fix: list each CPU id once.`);
      } else cpuOwner.set(cpu, i);
    });
    if (n.memory?.kind === "cxl" && n.cpus.length > 0) {
      c.add("cxl_with_cpus", [...at, "cpus"], `node ${n.id} is a CXL expander but lists ${n.cpus.length} CPU(s); expanders are CPU-less. Fix: move the CPUs to the host socket's node.`);
    }
    const memory = n.memory === null ? null : normaliseMemory(c, n.memory, [...at, "memory"]);
    const node: NodeSpec = { id: n.id, socket: n.socket, cpus: [...n.cpus], memory };
    return n.source === undefined ? node : { ...node, source: n.source };
  });
}

/** What links need to know of a node; read loosely so a node with a shape error still counts as present. */
interface NodeRef {
  readonly id: number;
  readonly socket: number;
  readonly hasCpus: boolean;
  readonly kind: string | null;
}

function nodeRefs(raw: readonly unknown[]): NodeRef[] {
  const refs: NodeRef[] = [];
  for (const n of raw) {
    if (typeof n !== "object" || n === null) continue;
    const r = n as Record<string, unknown>;
    if (typeof r.id !== "number") continue;
    const memory = r.memory as Record<string, unknown> | null | undefined;
    refs.push({
      id: r.id,
      socket: typeof r.socket === "number" ? r.socket : -1,
      hasCpus: Array.isArray(r.cpus) && r.cpus.length > 0,
      kind: typeof memory === "object" && memory !== null && typeof memory.kind === "string" ? memory.kind : null,
    });
  }
  return refs;
}

function checkLinks(c: Collector, raw: readonly (RawLink | undefined)[], nodes: readonly NodeRef[]): (LinkSpec | undefined)[] {
  const sockets = new Set(nodes.filter((n) => n.hasCpus).map((n) => n.socket));
  const socketList = [...sockets].sort((a, b) => a - b).join(", ") || "none";
  const linkIds = new Map<string, number>();
  const knownSocket = (s: number, path: Path, role: string): void => {
    if (!sockets.has(s)) c.add("unknown_socket", path, `${role} socket ${s} has no node with CPUs (sockets: ${socketList}); a link must join existing sockets. Fix: use a declared socket id or add the socket's node.`);
  };
  return raw.map((l, i) => {
    if (l === undefined) return undefined;
    const at: Path = ["links", i];
    if (linkIds.has(l.id)) c.add("duplicate_link", [...at, "id"], `link id "${l.id}" is already used by links[${linkIds.get(l.id)}]; link ids are unique. Fix: rename one of them.`);
    else linkIds.set(l.id, i);
    knownSocket(l.from, [...at, "from"], l.kind === "cxl" ? "host" : "from");
    if (l.kind === "interconnect") {
      knownSocket(l.to, [...at, "to"], "to");
      if (l.from === l.to) c.add("self_link", [...at, "to"], `interconnect joins socket ${l.from} to itself. Fix: give two different socket ids.`);
    } else {
      const target = nodes.find((n) => n.id === l.to);
      if (target === undefined) {
        c.add("unknown_node", [...at, "to"], `cxl link targets node ${l.to}, which is not in the topology (nodes: ${nodes.map((n) => n.id).join(", ")}). Fix: point it at the expander's node id.`);
      } else if (target.kind !== "cxl") {
        c.add("cxl_target_not_cxl", [...at, "to"], `cxl link targets node ${l.to}, whose memory is ${target.kind === null ? "absent" : `kind "${target.kind}"`}; a CXL link leads to a kind "cxl" node. Fix: target the expander node or set its memory kind to "cxl".`);
      } else if (target.socket !== l.from) {
        c.add("socket_mismatch", [...at, "from"], `cxl link comes from socket ${l.from} but node ${l.to} says it is attached to socket ${target.socket}. Fix: make the link's from and the node's socket agree.`);
      }
    }
    const link: LinkSpec = {
      id: l.id,
      kind: l.kind,
      from: l.from,
      to: l.to,
      readBandwidthGBps: quantity(c, l.readBandwidthGBps, [...at, "readBandwidthGBps"], parseBandwidth, "GB/s", '"26GB/s"'),
      writeBandwidthGBps: quantity(c, l.writeBandwidthGBps, [...at, "writeBandwidthGBps"], parseBandwidth, "GB/s", '"24GB/s"'),
      latencyNs: linkLatency(c, l.latencyNs, [...at, "latencyNs"]),
    };
    return l.source === undefined ? link : { ...link, source: l.source };
  });
}

/** A link may add no latency at all, so zero is allowed here unlike device latencies. */
function linkLatency(c: Collector, value: number | string, path: Path): number {
  try {
    return parseDuration(value, "latencyNs");
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    c.add("invalid_unit", path, `${JSON.stringify(value)} ${e.rule}. Fix: write a number of ns or e.g. "33ns".`);
    return NaN;
  }
}

function checkDistances(c: Collector, d: unknown, nodeCount: number): readonly (readonly number[])[] | null {
  if (d === null) return null;
  const fix = "Fix: give one row and one column per node in ascending node-id order, or null to derive the SLIT.";
  if (!Array.isArray(d) || !d.every((row) => Array.isArray(row) && row.every((x) => typeof x === "number"))) {
    c.add("invalid_type", ["distances"], `distances must be null or an array of arrays of numbers. ${fix}`);
    return null;
  }
  const m = d as number[][];
  if (m.length !== nodeCount) c.add("distance_size", ["distances"], `the matrix has ${m.length} rows but the topology has ${nodeCount} nodes. ${fix}`);
  for (let i = nodeCount; i < m.length; i++) c.add("unknown_node", ["distances", i], `row ${i} is a distance from a node that does not exist (only ${nodeCount} nodes). ${fix}`);
  m.forEach((row, i) => {
    if (row.length !== m.length) c.add("distance_not_square", ["distances", i], `row ${i} has ${row.length} entries but the matrix has ${m.length} rows; a SLIT is square. ${fix}`);
    if (i < nodeCount) for (let j = nodeCount; j < row.length; j++) c.add("unknown_node", ["distances", i, j], `column ${j} is a distance to a node that does not exist (only ${nodeCount} nodes). ${fix}`);
    row.forEach((v, j) => {
      const at = ["distances", i, j];
      if (!Number.isInteger(v)) c.add("invalid_distance", at, `distance ${v} is not an integer; SLIT entries are u8. Fix: round it.`);
      if (i === j) {
        if (v !== LOCAL_DISTANCE) c.add("self_distance", at, `node-to-itself distance is ${v}, but LOCAL_DISTANCE is ${LOCAL_DISTANCE}. Fix: set the diagonal to 10.`);
        return;
      }
      if (v <= LOCAL_DISTANCE || v > MAX_DISTANCE) {
        c.add("distance_range", at, `remote distance ${v} is outside 11..${MAX_DISTANCE}; remote nodes are farther than local (10) and 255 means unreachable. Fix: use e.g. 20 for one hop.`);
      }
      const back = m[j]?.[i];
      if (j > i && back !== undefined && back !== v) {
        c.add("asymmetric_distance", at, `distance ${i}->${j} is ${v} but ${j}->${i} is ${back}; tiersim requires a symmetric SLIT. Fix: make both entries equal.`);
      }
    });
  });
  return m;
}

/**
 * Checks a topology (typically parsed JSON) and normalises unit strings to canonical numbers.
 *
 * @example
 * checkTopology(JSON.parse(text)).issues.length // 0 when the file is valid
 */
export function checkTopology(input: unknown): TopologyCheck {
  const c = new Collector();
  const envelope = parseShape(envelopeSchema, input, [], c.issues);
  const obj = (typeof input === "object" && input !== null ? input : {}) as Record<string, unknown>;
  const rawNodes = Array.isArray(obj.nodes) ? obj.nodes : [];
  const rawLinks = Array.isArray(obj.links) ? obj.links : [];
  const nodes = checkNodes(c, rawNodes.map((n, i) => parseShape(nodeSchema, n, ["nodes", i], c.issues)));
  const known = nodes.filter((n): n is NodeSpec => n !== undefined);
  const links = checkLinks(c, rawLinks.map((l, i) => parseShape(linkSchema, l, ["links", i], c.issues)), nodeRefs(rawNodes));
  const distances = checkDistances(c, "distances" in obj ? obj.distances : null, rawNodes.length);
  if (c.issues.length > 0 || envelope === undefined) return { issues: c.issues, spec: null };
  const spec: TopologySpec = {
    format: envelope.format,
    name: envelope.name,
    description: envelope.description,
    nodes: [...known].sort((a, b) => a.id - b.id),
    links: links.filter((l): l is LinkSpec => l !== undefined),
    distances,
  };
  return { issues: [], spec };
}

/**
 * Validates a whole topology spec (or JSON-parsed object) and returns every issue found, each
 * with its path and a message naming the rule and the fix. An empty array means valid.
 *
 * @example
 * validateTopology({ ...spec, distances: [[10, 21], [20, 10]] })
 * // [{ code: "asymmetric_distance", path: ["distances", 0, 1], message: "distance 0->1 is 21 but 1->0 is 20; ..." }]
 */
export function validateTopology(spec: unknown): Issue[] {
  return [...checkTopology(spec).issues];
}
