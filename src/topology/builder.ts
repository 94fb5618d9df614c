/**
 * `topology()`: an immutable fluent builder for a TopologySpec (Kysely style: every method
 * returns a new builder, so a base machine can be branched into variants without aliasing).
 * Each call checks its own arguments at once; build() then validates the whole machine.
 */
import { ScenarioError, UsageError } from "../core/errors.js";
import type { Bandwidth, Duration, Size } from "../core/units.js";
import { parseBandwidth } from "../core/units.js";
import {
  checkIndex,
  checkNodeId,
  parseLink,
  parseMemory,
  requireObject,
  splitMemory,
  type LinkOptions,
  type MemoryOptions,
} from "./builder-options.js";
import { checkPrivate } from "./private.js";
import type { LinkSpec, NodeSpec, TopologySpec } from "./types.js";
import { validateTopology } from "./validate.js";

export type { CurveOptions, LinkOptions, MemoryOptions } from "./builder-options.js";

/** CPUs of a node: a count (ids continue after the highest id used so far) or explicit ids. */
export type CpuOptions = number | readonly number[];

/**
 * A socket: CPUs and usually local DRAM, optionally split by sub-NUMA clustering.
 *
 * @example
 * { cpus: 80, memory: { capacity: "256GiB", readBandwidth: "208.5GB/s", idleLatency: "110.9ns" }, snc: 2 }
 */
export interface SocketOptions {
  readonly cpus: CpuOptions;
  /** The socket's local memory, or null/absent for a memoryless CPU node. */
  readonly memory?: MemoryOptions | null;
  /** Sub-NUMA clustering: 1 (off), 2 or 4 nodes with consecutive ids, CPUs and memory split evenly. */
  readonly snc?: 1 | 2 | 4;
  /** First node id; default one past the highest id declared so far. */
  readonly node?: number;
  readonly source?: string;
}

/**
 * Any node: typically a CPU-less memory node (HBM in flat mode, PMEM) or a memoryless CPU node.
 *
 * @example
 * { socket: 0, memory: { kind: "hbm", capacity: "64GiB", readBandwidth: "637.6GB/s", idleLatency: "129ns" } }
 */
export interface NodeOptions {
  /** The socket whose package holds the node. */
  readonly socket: number;
  /** Default none (CPU-less). */
  readonly cpus?: CpuOptions;
  readonly memory?: MemoryOptions | null;
  readonly source?: string;
}

/**
 * A CXL memory expander: a CPU-less node of kind "cxl" behind a link to a host socket.
 *
 * @example
 * { socket: 0, memory: { capacity: "128GiB", readBandwidth: "24.5GB/s", idleLatency: "140ns" },
 *   link: { readBandwidth: "26.55GB/s", writeBandwidth: "24.01GB/s", latency: "33ns" } }
 */
export interface CxlOptions {
  /** The host socket (must be declared first). */
  readonly socket: number;
  /** The expander's node id; default one past the highest id declared so far. */
  readonly node?: number;
  /** The device; its kind is always "cxl" and its zone defaults to movable. */
  readonly memory: Omit<MemoryOptions, "kind">;
  /** Link capacity per direction (read = device to host, write = host to device) and added latency. */
  readonly link: LinkOptions;
  readonly source?: string;
}

/**
 * A private memory node (N_MEMORY_PRIVATE, RFC v4, seed 002): CPU-less memory owned by one
 * driver, attached like a CXL expander. With `link` it is a CXL device behind that link (kind
 * "cxl"); without, a CPU-less node of the socket (kind defaults to "cxl", the RFC's devices).
 *
 * @example
 * { socket: 0, owner: "cram", ops: ["MIGRATION", "DEMOTION"],
 *   memory: { capacity: "64GiB", readBandwidth: "24GB/s", idleLatency: "250ns" },
 *   link: { readBandwidth: "26GB/s", latency: "33ns" } }
 */
export interface PrivateNodeOptions {
  /** The host socket (must be declared first). */
  readonly socket: number;
  /** The node id; default one past the highest id declared so far. */
  readonly node?: number;
  /** The owning driver, e.g. "cram" or "cxl_mempolicy". */
  readonly owner: string;
  /** NP_OPS_* capabilities, with or without the prefix, e.g. ["MIGRATION", "MEMPOLICY"]; [] for none. */
  readonly ops: readonly string[];
  /** The device; zone defaults to movable for kind "cxl". */
  readonly memory: MemoryOptions;
  /** The CXL link to the host socket; absent for memory without a modelled link. */
  readonly link?: LinkOptions;
  /**
   * Compressed RAM (CRAM, §6.1; needs PROTECT_WRITE): default data ratio, fraction of the
   * device where backpressure starts, device media size (default capacity / ratio).
   * @example compression: { ratio: 2, boostAt: 0.9, deviceCapacity: "16GiB" }
   */
  readonly compression?: { readonly ratio?: number; readonly boostAt?: number; readonly deviceCapacity?: Size };
  readonly source?: string;
}

/**
 * A socket interconnect (UPI, xGMI, NVLink-C2C): the same capacity in each direction.
 *
 * @example
 * { bandwidth: "128GB/s", latency: "70ns" }
 */
export interface InterconnectOptions {
  /** Capacity per direction. */
  readonly bandwidth: Bandwidth;
  /** Latency added to every access that crosses sockets. */
  readonly latency: Duration;
  /** Link id; default `interconnect<a>.<b>`. */
  readonly id?: string;
  readonly source?: string;
}

/** The fluent topology builder; every method returns a new builder. */
export interface TopologyBuilder {
  /**
   * Sets the free-text description.
   * @example topology("lab").describe("1 socket + CZ120")
   */
  describe(text: string): TopologyBuilder;
  /**
   * Adds a socket with CPUs and local memory; with `snc` it becomes 2 or 4 nodes.
   * @example topology().socket(0, { cpus: 80, memory: { capacity: "256GiB", readBandwidth: "208.5GB/s", idleLatency: "110.9ns" } })
   */
  socket(id: number, options: SocketOptions): TopologyBuilder;
  /**
   * Adds one node by id (CPU-less memory, memoryless CPUs, or anything a socket() cannot say).
   * @example b.node(1, { socket: 0, memory: { kind: "hbm", capacity: "64GiB", readBandwidth: "637.6GB/s", idleLatency: "129ns" } })
   */
  node(id: number, options: NodeOptions): TopologyBuilder;
  /**
   * Attaches a CXL expander to a declared socket.
   * @example b.cxl({ socket: 0, memory: { capacity: "128GiB", readBandwidth: "24.5GB/s", idleLatency: "140ns" }, link: { readBandwidth: "26.55GB/s", latency: "33ns" } })
   */
  cxl(options: CxlOptions): TopologyBuilder;
  /**
   * Adds a private memory node (N_MEMORY_PRIVATE, kernel-model.md §6.1): kept out of N_MEMORY
   * and of other nodes' fallback lists, reachable as its NP_OPS_* capabilities allow.
   * @example b.privateNode({ socket: 0, owner: "cxl_mempolicy", ops: ["MIGRATION", "MEMPOLICY"], memory: { capacity: "64GiB", readBandwidth: "24GB/s", idleLatency: "250ns" } })
   */
  privateNode(options: PrivateNodeOptions): TopologyBuilder;
  /**
   * Connects two declared sockets.
   * @example b.interconnect(0, 1, { bandwidth: "128GB/s", latency: "70ns" })
   */
  interconnect(a: number, b: number, options: InterconnectOptions): TopologyBuilder;
  /**
   * Sets the SLIT matrix (rows and columns in ascending node-id order), or null to derive it.
   * @example b.distances([[10, 20], [20, 10]])
   */
  distances(matrix: readonly (readonly number[])[] | null): TopologyBuilder;
  /**
   * Validates the whole machine and returns its spec; throws ScenarioError with every issue.
   * @example topology("one").socket(0, { cpus: 4, memory: { capacity: "8GiB", readBandwidth: 20, idleLatency: 90 } }).build().nodes.length // 1
   */
  build(): TopologySpec;
}

interface Props {
  readonly name: string;
  readonly description: string;
  readonly nodes: readonly NodeSpec[];
  readonly links: readonly LinkSpec[];
  readonly distances: readonly (readonly number[])[] | null;
}

class TopologyBuilderImpl implements TopologyBuilder {
  readonly #props: Props;

  constructor(props: Props) {
    this.#props = Object.freeze(props);
  }

  #with(patch: Partial<Props>): TopologyBuilder {
    return new TopologyBuilderImpl({ ...this.#props, ...patch });
  }

  describe(text: string): TopologyBuilder {
    if (typeof text !== "string") {
      throw new UsageError({ what: "describe(text)", value: text, rule: "a description is a string", fix: 'write e.g. "1 socket + 1 CXL expander"' });
    }
    return this.#with({ description: text });
  }

  socket(id: number, options: SocketOptions): TopologyBuilder {
    const what = `socket(${id})`;
    checkIndex(id, what, "socket");
    requireObject(options, what, '{ cpus: 80, memory: { capacity: "256GiB", readBandwidth: "208.5GB/s", idleLatency: "110.9ns" } }');
    if (this.#props.nodes.some((n) => n.socket === id && n.cpus.length > 0)) {
      throw new UsageError({ what, value: id, rule: "a socket may be declared once", fix: "use another socket id, or add CPU-less nodes with .node()" });
    }
    const snc = options.snc ?? 1;
    if (snc !== 1 && snc !== 2 && snc !== 4) {
      throw new UsageError({ what: `${what}.snc`, value: snc, rule: "sub-NUMA clustering splits a socket into 2 or 4 nodes", fix: "write snc: 2 or snc: 4 (or 1 for off)" });
    }
    const cpus = this.#cpus(options.cpus, `${what}.cpus`);
    if (cpus.length === 0 || cpus.length % snc !== 0) {
      throw new UsageError({
        what: `${what}.cpus`,
        value: options.cpus,
        rule: `a socket has CPUs, and sub-NUMA clustering divides them evenly (${snc} node${snc === 1 ? "" : "s"})`,
        fix: `give a positive CPU count divisible by ${snc}`,
      });
    }
    const memory = options.memory == null ? null : splitMemory(parseMemory(options.memory, `${what}.memory`), snc, `${what}.memory`);
    const first = options.node === undefined ? this.#nextNodeId() : checkNodeId(options.node, `${what}.node`);
    const per = cpus.length / snc;
    const added: NodeSpec[] = [];
    for (let k = 0; k < snc; k++) {
      const node: NodeSpec = { id: this.#freshNodeId(first + k, `${what}.node`), socket: id, cpus: cpus.slice(k * per, (k + 1) * per), memory };
      added.push(options.source === undefined ? node : { ...node, source: options.source });
    }
    return this.#with({ nodes: [...this.#props.nodes, ...added] });
  }

  node(id: number, options: NodeOptions): TopologyBuilder {
    const what = `node(${id})`;
    this.#freshNodeId(id, what);
    requireObject(options, what, '{ socket: 0, memory: { kind: "hbm", capacity: "64GiB", readBandwidth: "637.6GB/s", idleLatency: "129ns" } }');
    const socket = checkIndex(options.socket, `${what}.socket`, "socket");
    const cpus = options.cpus === undefined ? [] : this.#cpus(options.cpus, `${what}.cpus`);
    const memory = options.memory == null ? null : parseMemory(options.memory, `${what}.memory`);
    const node: NodeSpec = { id, socket, cpus, memory };
    return this.#with({ nodes: [...this.#props.nodes, options.source === undefined ? node : { ...node, source: options.source }] });
  }

  cxl(options: CxlOptions): TopologyBuilder {
    const what = "cxl()";
    requireObject(options, what, '{ socket: 0, memory: {...}, link: { readBandwidth: "26.55GB/s", latency: "33ns" } }');
    const socket = this.#declaredSocket(options.socket, `${what}.socket`);
    const id = options.node === undefined ? this.#nextNodeId() : this.#freshNodeId(options.node, `${what}.node`);
    const memory = parseMemory(options.memory as MemoryOptions, `${what}.memory`, "cxl");
    const link = parseLink("cxl", socket, id, options.link, `${what}.link`, `cxl${socket}.${id}`);
    this.#freshLinkId(link.id, `${what}.link.id`);
    const node: NodeSpec = { id, socket, cpus: [], memory };
    return this.#with({
      nodes: [...this.#props.nodes, options.source === undefined ? node : { ...node, source: options.source }],
      links: [...this.#props.links, link],
    });
  }

  privateNode(options: PrivateNodeOptions): TopologyBuilder {
    const what = "privateNode()";
    requireObject(options, what, '{ socket: 0, owner: "cram", ops: ["MIGRATION", "DEMOTION"], memory: {...} }');
    const socket = this.#declaredSocket(options.socket, `${what}.socket`);
    const id = options.node === undefined ? this.#nextNodeId() : this.#freshNodeId(options.node, `${what}.node`);
    const checked = checkPrivate(options.compression === undefined ? { owner: options.owner, ops: options.ops } : { owner: options.owner, ops: options.ops, compression: options.compression });
    const problem = checked.problems[0];
    if (problem !== undefined) {
      const at = problem.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
      throw new UsageError({ what: `${what}${at}`, value: problem.value, rule: problem.rule, fix: problem.fix });
    }
    const forced = options.link !== undefined ? "cxl" : undefined;
    const parsed = parseMemory({ kind: "cxl", ...options.memory }, `${what}.memory`, forced);
    const memory = { ...parsed, private: checked.spec! };
    const node: NodeSpec = { id, socket, cpus: [], memory };
    const links = [...this.#props.links];
    if (options.link !== undefined) {
      const link = parseLink("cxl", socket, id, options.link, `${what}.link`, `cxl${socket}.${id}`);
      this.#freshLinkId(link.id, `${what}.link.id`);
      links.push(link);
    }
    return this.#with({ nodes: [...this.#props.nodes, options.source === undefined ? node : { ...node, source: options.source }], links });
  }

  interconnect(a: number, b: number, options: InterconnectOptions): TopologyBuilder {
    const what = `interconnect(${a}, ${b})`;
    requireObject(options, what, '{ bandwidth: "128GB/s", latency: "70ns" }');
    this.#declaredSocket(a, what);
    this.#declaredSocket(b, what);
    if (a === b) {
      throw new UsageError({ what, value: b, rule: "an interconnect joins two different sockets", fix: "give two socket ids, e.g. interconnect(0, 1, ...)" });
    }
    parseBandwidth(options.bandwidth, `${what}.bandwidth`);
    const link = parseLink(
      "interconnect",
      a,
      b,
      { readBandwidth: options.bandwidth, writeBandwidth: options.bandwidth, latency: options.latency, id: options.id, source: options.source },
      what,
      `interconnect${a}.${b}`,
    );
    this.#freshLinkId(link.id, `${what}.id`);
    return this.#with({ links: [...this.#props.links, link] });
  }

  distances(matrix: readonly (readonly number[])[] | null): TopologyBuilder {
    if (matrix !== null && (!Array.isArray(matrix) || !matrix.every((row) => Array.isArray(row)))) {
      throw new UsageError({ what: "distances(matrix)", value: matrix, rule: "the SLIT is a square array of arrays of numbers, or null", fix: "write e.g. [[10, 20], [20, 10]] or null to derive it" });
    }
    return this.#with({ distances: matrix === null ? null : matrix.map((row) => [...row]) });
  }

  build(): TopologySpec {
    const p = this.#props;
    const spec: TopologySpec = {
      format: "tiersim.topology/1",
      name: p.name,
      description: p.description,
      nodes: [...p.nodes].sort((x, y) => x.id - y.id),
      links: p.links,
      distances: p.distances,
    };
    const issues = validateTopology(spec);
    if (issues.length > 0) throw new ScenarioError(issues, "topology");
    return spec;
  }

  #nextNodeId(): number {
    return this.#props.nodes.reduce((m, n) => Math.max(m, n.id + 1), 0);
  }

  #freshNodeId(id: number, what: string): number {
    checkNodeId(id, what);
    if (this.#props.nodes.some((n) => n.id === id)) {
      throw new UsageError({ what, value: id, rule: `node ${id} is already declared`, fix: `use a free node id such as ${this.#nextNodeId()}` });
    }
    return id;
  }

  #freshLinkId(id: string, what: string): void {
    if (this.#props.links.some((l) => l.id === id)) {
      throw new UsageError({ what, value: id, rule: `link "${id}" is already declared`, fix: "give this link another id" });
    }
  }

  #declaredSocket(socket: unknown, what: string): number {
    const id = checkIndex(socket, what, "socket");
    if (!this.#props.nodes.some((n) => n.socket === id && n.cpus.length > 0)) {
      throw new UsageError({ what, value: socket, rule: `socket ${id} is not declared (a socket is a node with CPUs)`, fix: `declare .socket(${id}, ...) before linking to it` });
    }
    return id;
  }

  #cpus(cpus: CpuOptions, what: string): number[] {
    const used = new Set(this.#props.nodes.flatMap((n) => n.cpus));
    if (typeof cpus === "number") {
      if (!Number.isInteger(cpus) || cpus < 0) {
        throw new UsageError({ what, value: cpus, rule: "a CPU count is a non-negative integer", fix: "write e.g. cpus: 80 or cpus: [0, 1, 2, 3]" });
      }
      const start = used.size === 0 ? 0 : Math.max(...used) + 1;
      return Array.from({ length: cpus }, (_, i) => start + i);
    }
    if (!Array.isArray(cpus)) {
      throw new UsageError({ what, value: cpus, rule: "CPUs are a count or a list of CPU ids", fix: "write e.g. cpus: 80 or cpus: [0, 1, 2, 3]" });
    }
    const seen = new Set<number>();
    cpus.forEach((c, i) => {
      checkIndex(c, `${what}[${i}]`, "CPU");
      if (used.has(c) || seen.has(c)) {
        throw new UsageError({ what: `${what}[${i}]`, value: c, rule: `CPU ${c} already belongs to a node (a CPU is on exactly one node)`, fix: "give each CPU id once" });
      }
      seen.add(c);
    });
    return [...cpus];
  }
}

/**
 * Starts an empty machine description.
 *
 * @example
 * const spec = topology("1S+CXL")
 *   .socket(0, { cpus: 80, memory: { capacity: "256GiB", readBandwidth: "208.5GB/s", idleLatency: "110.9ns" } })
 *   .cxl({ socket: 0, memory: { capacity: "128GiB", readBandwidth: "24.5GB/s", idleLatency: "140ns" },
 *          link: { readBandwidth: "26.55GB/s", writeBandwidth: "24.01GB/s", latency: "33ns" } })
 *   .build(); // nodes 0 (CPUs + DRAM) and 1 (CXL)
 */
export function topology(name = "topology"): TopologyBuilder {
  if (typeof name !== "string" || name.trim() === "") {
    throw new UsageError({ what: "topology(name)", value: name, rule: "a topology name is a non-empty string", fix: 'write e.g. topology("lab-spr-cxl")' });
  }
  return new TopologyBuilderImpl({ name, description: "", nodes: [], links: [], distances: null });
}

/**
 * Hotplugs a node's memory on or off, returning a new spec (the input is not changed).
 *
 * @example
 * const later = setMemoryOnline(presets.twoSocketCxl(), 3, false); // node 3 starts offline
 */
export function setMemoryOnline(spec: TopologySpec, nodeId: number, online: boolean): TopologySpec {
  const what = `setMemoryOnline(spec, ${nodeId})`;
  const node = spec.nodes.find((n) => n.id === nodeId);
  if (node === undefined) {
    throw new UsageError({ what, value: nodeId, rule: `node ${nodeId} is not in the topology (nodes: ${spec.nodes.map((n) => n.id).join(", ")})`, fix: "give the id of a node with memory" });
  }
  if (node.memory === null) {
    throw new UsageError({ what, value: nodeId, rule: `node ${nodeId} is memoryless, so it has no memory to hotplug`, fix: "give the id of a node with memory" });
  }
  if (typeof online !== "boolean") {
    throw new UsageError({ what: `${what}.online`, value: online, rule: "online is a boolean", fix: "write true to online the memory, false to offline it" });
  }
  const updated: NodeSpec = { ...node, memory: { ...node.memory, online } };
  return { ...spec, nodes: spec.nodes.map((n) => (n.id === nodeId ? updated : n)) };
}
