/**
 * The plain, JSON-serialisable description of a machine (TopologySpec) and the kernel state
 * Linux derives from it at boot (KernelTopology). Canonical units: bytes, GB/s, ns.
 */

/** What a node's memory is made of. Whether it is private (seed 002) is MemorySpec.private. */
export type MemoryKind = "dram" | "cxl" | "hbm" | "pmem";

/**
 * The zone a node's memory is onlined into. CXL and dax/kmem memory is usually onlined
 * movable (`daxctl` default); socket DRAM is ZONE_NORMAL. Matters for BIND's policy_zone rule
 * (kernel-model.md §1.3) and for the movable-zone watermark cap (§1.9).
 */
export type ZoneType = "normal" | "movable";

/**
 * One measured loaded-latency curve of a memory device: latency as bandwidth rises, at one
 * read share of the traffic (Mess benchmark style, calibration.md §4).
 */
export interface LatencyCurveSpec {
  /** Fraction of the traffic that is reads, 0..1 (1 = all reads). */
  readonly readShare: number;
  /** `[bandwidth GB/s, latency ns]` pairs in ascending bandwidth, from idle to saturation. */
  readonly points: readonly (readonly [number, number])[];
  /** Where the numbers come from. */
  readonly source?: string;
}

/** The memory of a node. A node without memory (memoryless CPU node) has `memory: null`. */
export interface MemorySpec {
  readonly kind: MemoryKind;
  /** Bytes of memory present (managed pages are derived from it). */
  readonly capacityBytes: number;
  readonly zone: ZoneType;
  /** Sustained read bandwidth of the device, GB/s, seen from its local initiator. */
  readonly readBandwidthGBps: number;
  /** Sustained write bandwidth of the device, GB/s. */
  readonly writeBandwidthGBps: number;
  /** Unloaded read latency from the node's local initiator, ns (device plus any link). */
  readonly idleLatencyNs: number;
  /** Loaded-latency curves, one per read share; may be empty (the model then uses a default shape). */
  readonly curves: readonly LatencyCurveSpec[];
  /**
   * Whether firmware (HMAT, or CDAT for CXL) reports this node's performance. Without it the
   * kernel cannot compute an abstract distance (dax/kmem default 2880 applies to non-DRAM
   * kinds) and weighted-interleave auto weights treat the node as bandwidth-less (weight 1).
   */
  readonly hmat: boolean;
  /** False while the memory is offline (hotplug); an offline node is not in N_MEMORY. */
  readonly online: boolean;
  /** Free text: where the memory's numbers come from (datasets cite every number here). */
  readonly source?: string;
  /**
   * Private Memory Nodes (RFC v4, seed 002, kernel-model.md §6.1): the memory is onlined as
   * N_MEMORY_PRIVATE for one owning driver instead of N_MEMORY. Absent (or null in JSON) for
   * ordinary memory; specs from the builder and from JSON omit the key for ordinary memory.
   */
  readonly private?: PrivateMemorySpec;
}

/**
 * One NP_OPS_* capability an owning driver opts its private node into (RFC v4 patches 12-20),
 * written without the NP_OPS_ prefix. src/topology/private.ts holds the dependency rules and
 * says where each capability takes effect; COMPACTION is validated but has no effect, since
 * tiersim models no compaction.
 */
export type PrivateNodeOp =
  | "MIGRATION"
  | "MEMPOLICY"
  | "DEMOTION"
  | "PROTECT_WRITE"
  | "RECLAIM"
  | "NUMA_BALANCING"
  | "COMPACTION"
  | "LONGTERM_PIN"
  | "OOM_ELIGIBLE";

/**
 * The N_MEMORY_PRIVATE registration of a node's memory (add_private_memory_driver_managed plus
 * node_private_ops.flags), plus the settings of the service that owns it (compressed RAM).
 */
export interface PrivateMemorySpec {
  /** The owning driver or service, e.g. "cram" or "cxl_mempolicy" (one owner per node). */
  readonly owner: string;
  /** The NP_OPS_* capabilities, without prefix, in the canonical order of NP_OPS (private.ts). */
  readonly ops: readonly PrivateNodeOp[];
  /**
   * Compressed RAM (the CRAM service of RFC v4 patch 23, kernel-model.md §6.1): the node's
   * capacity is the address space the driver onlined (struct pages the buddy allocator
   * manages); what really limits it is the device media, consumed by each stored folio at
   * 1/ratio of a page. Absent for memory that is not compressed. See compression.ts.
   */
  readonly compression?: CompressionSpec;
}

/**
 * The compressed-RAM settings of a private node (normalised: every key present except
 * deviceCapacityBytes, whose absence means capacityBytes / ratio).
 *
 * @example
 * { ratio: 2, boostAt: 0.9, deviceCapacityBytes: 67108864 }
 */
export interface CompressionSpec {
  /** Default compression ratio of the data stored (logical bytes / media bytes), >= 1. */
  readonly ratio: number;
  /**
   * Fraction of the device media in use above which the owner throttles demotion
   * (backpressure through watermark_boost), in (0, 1]. Default 0.9.
   */
  readonly boostAt: number;
  /**
   * Bytes of device media. Absent: the node capacity divided by `ratio` (the driver sized the
   * address space it onlined for the expected ratio).
   */
  readonly deviceCapacityBytes?: number;
}

/** One NUMA node. */
export interface NodeSpec {
  /** The node id (nid), 0..1023. */
  readonly id: number;
  /** The socket whose package holds the node, or to which a CXL expander is attached. */
  readonly socket: number;
  /** CPU ids on this node; empty for CPU-less nodes (CXL expanders, HBM in some modes). */
  readonly cpus: readonly number[];
  /** The node's memory, or null for a memoryless node. */
  readonly memory: MemorySpec | null;
  /** Free text: where the node's numbers come from. */
  readonly source?: string;
}

/**
 * A link that carries memory traffic and adds latency: a CXL link from a socket's root port to
 * an expander node (read = device to host, write = host to device), or a socket interconnect
 * (UPI/xGMI) between two sockets (the same capacity in each direction).
 */
export interface LinkSpec {
  readonly id: string;
  readonly kind: "cxl" | "interconnect";
  /** For `cxl`: the socket id of the host. For `interconnect`: one socket id. */
  readonly from: number;
  /** For `cxl`: the expander's node id. For `interconnect`: the other socket id. */
  readonly to: number;
  /** GB/s toward the host (CXL: device-to-host reads) or per direction (interconnect). */
  readonly readBandwidthGBps: number;
  /** GB/s toward the device (CXL: host-to-device writes) or per direction (interconnect). */
  readonly writeBandwidthGBps: number;
  /** Latency the link adds to every access that crosses it, ns. */
  readonly latencyNs: number;
  readonly source?: string;
}

/** The serialised machine: what `topology().build()` returns and what JSON files hold. */
export interface TopologySpec {
  readonly format: "tiersim.topology/1";
  readonly name: string;
  readonly description: string;
  readonly nodes: readonly NodeSpec[];
  readonly links: readonly LinkSpec[];
  /**
   * The SLIT distance matrix, rows and columns in ascending node-id order, or null to derive
   * it as firmware would (10 local, otherwise relative latency).
   */
  readonly distances: readonly (readonly number[])[] | null;
}

/** HMAT-style access coordinates of one initiator (CPU node) to one target (memory node). */
export interface AccessCoordinates {
  readonly readLatencyNs: number;
  readonly writeLatencyNs: number;
  readonly readBandwidthGBps: number;
  readonly writeBandwidthGBps: number;
}

/** Per-zone watermarks in 4 KiB pages (kernel-model.md §1.9). */
export interface Watermarks {
  readonly min: number;
  readonly low: number;
  readonly high: number;
  /** high + tmp: kswapd's target in memory-tiering mode (§5.4). */
  readonly promo: number;
}

/** One memory tier (kernel-model.md §5.1): nodes whose abstract distance falls in one 128-wide chunk. */
export interface MemoryTier {
  /** adistance >> 7: the N of /sys/devices/virtual/memory_tiering/memory_tierN. */
  readonly id: number;
  /** First abstract distance of the chunk (id * 128). */
  readonly start: number;
  /** Member node ids, ascending. */
  readonly nodes: readonly number[];
}

/** The kernel's boot-time knobs that shape derived state. */
export interface TopologyKnobs {
  /** vm.min_free_kbytes; null = the kernel's default from lowmem size. */
  readonly minFreeKbytes: number | null;
  /** vm.watermark_scale_factor, in 1/10000 of memory; default 10. */
  readonly watermarkScaleFactor: number;
}

/**
 * What the kernel derives from the machine at boot and recomputes on memory hotplug:
 * distances, access coordinates, tiers, demotion targets, zonelists and watermarks.
 * Node arrays are indexed by node id; ids that are not nodes hold nothing meaningful.
 */
export interface KernelTopology {
  readonly spec: TopologySpec;
  readonly knobs: TopologyKnobs;
  /** Every node id, ascending. */
  readonly nodeIds: readonly number[];
  /** N_MEMORY: nodes with online memory, ascending. Private nodes are not in it (§6.1). */
  readonly memoryNodes: readonly number[];
  /** N_MEMORY_PRIVATE: nodes whose online memory is private to an owning driver, ascending (§6.1). */
  readonly privateNodes: readonly number[];
  /** N_CPU: nodes with CPUs, ascending. */
  readonly cpuNodes: readonly number[];
  /** CPU id -> node id. */
  readonly cpuNode: ReadonlyMap<number, number>;
  /** SLIT distance between two node ids. */
  distance(from: number, to: number): number;
  /** HMAT coordinates from initiator node to target node, or null when firmware reports none. */
  access(initiator: number, target: number): AccessCoordinates | null;
  /** The abstract distance of a memory node. */
  adistance(node: number): number;
  /** Tiers, fastest first. */
  readonly tiers: readonly MemoryTier[];
  /** The tier id of a memory node, or null (memoryless). */
  tierOf(node: number): number | null;
  /** node_is_toptier(). */
  isToptier(node: number): boolean;
  /** Preferred demotion targets of a node (next slower tier, nearest), possibly empty. */
  demotionTargets(node: number): readonly number[];
  /** All nodes in strictly slower tiers than the node's (the fallback demotion mask). */
  lowerTierNodes(node: number): readonly number[];
  /**
   * The FALLBACK zonelist of a node: memory nodes in allocation order (§3.2). Private nodes
   * appear only in their own list, first, followed by the N_MEMORY nodes (§6.1).
   */
  zonelist(node: number): readonly number[];
  /** The NOFALLBACK zonelist (for __GFP_THISNODE): the node itself, or empty if memoryless. */
  noFallbackZonelist(node: number): readonly number[];
  /** Managed pages of a memory node, N_MEMORY or private (present pages; tiersim reserves none). */
  managedPages(node: number): number;
  /** The node's watermarks in pages. */
  watermarks(node: number): Watermarks;
  /** The min_free_kbytes in force (given, or the kernel default). */
  readonly minFreeKbytes: number;
}
