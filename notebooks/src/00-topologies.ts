// %% [markdown]
// # 00 · The machines tiersim knows
//
// Before asking what a policy does, look at the machine the kernel sees. This notebook boots the
// kernel's view of each built-in machine (`presets`) and prints it the way Linux and numactl
// print it: `numactl --hardware`, the memory tiers in
// `/sys/devices/virtual/memory_tiering/`, the demotion targets and the zonelists logged at boot.
// Then it plots each memory device's loaded-latency curve, the input of the performance model.
//
// Every number behind a preset carries its source in `datasets/` (see `datasets/README.md`).
// Rules: kernel-model.md §3 (distances, zonelists), §5.1–5.2 (abstract distance, tiers,
// demotion targets), §1.9 (watermarks).

// %%
import * as tslab from "tslab";
/** Prints sysfs files as `path: contents`, the way `grep . /sys/...` shows them. */
function printSysfs(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) console.log(`${path}: ${text.trim()}`);
}
import {
  presets,
  presetNames,
  topology,
  setMemoryOnline,
  deriveKernelTopology,
  numactlHardware,
  memoryTiersSysfs,
  demotionTargetsText,
  zonelistsText,
  nodesTable,
  linksTable,
  latencyCurvesTable,
  topologyToJSON,
  plots,
  formatSize,
  VERSION,
} from "../dist/index.js";
console.log(`tiersim ${VERSION}; presets: ${presetNames().join(", ")}`);

// %% [markdown]
// ## One socket and one CXL expander: `sprCxl`
//
// Node 0 is a Sapphire Rapids socket with DDR5, node 1 a CPU-less CXL memory expander behind a
// PCIe 5.0 x8 link. This is the machine of the weighted-interleave STREAM run (calibration.md §1).
// The distance is not given by the dataset: it is derived from relative latency, as firmware
// would write the SLIT.

// %%
const spr = deriveKernelTopology(presets.sprCxl());
console.log(numactlHardware(spr));

// %% [markdown]
// The CXL node has no CPUs and is much slower, so its abstract distance (from HMAT performance,
// `mt_perf_to_adistance`) puts it in a lower memory tier than DRAM's `memory_tier4`. Node 0 is
// the top tier; node 1 is its demotion target.

// %%
printSysfs(memoryTiersSysfs(spr));
console.log(demotionTargetsText(spr));
tslab.display.html(nodesTable(spr).toHTML());

// %%
plots.topologyDiagram(nodesTable(spr), linksTable(spr)).show();

// %% [markdown]
// ## Two sockets, one CXL expander per socket: `twoSocketCxl`
//
// The fallback order of each node is what the page allocator walks when a node is below its
// watermark (§3.2): the local node first, then the rest by distance, CPU-less nodes preferred at
// equal distance, ties spread across local nodes by `node_load`. Node 0 falls back to its own
// CXL expander (node 2) before the remote socket.

// %%
const two = deriveKernelTopology(presets.twoSocketCxl());
console.log(numactlHardware(two));
console.log(zonelistsText(two));
console.log(demotionTargetsText(two));

// %%
plots.topologyDiagram(nodesTable(two), linksTable(two)).show();

// %% [markdown]
// Watermarks per node, in pages (§1.9): `min_free_kbytes` is computed from the non-movable
// memory only, so the CXL expanders (onlined `ZONE_MOVABLE`) get the small movable-zone minimum.

// %%
for (const n of two.memoryNodes) {
  const w = two.watermarks(n);
  console.log(`node ${n}: managed ${formatSize(two.managedPages(n) * 4096)}  min ${w.min}  low ${w.low}  high ${w.high}  promo ${w.promo}`);
}
console.log(`min_free_kbytes = ${two.minFreeKbytes}`);

// %% [markdown]
// ## HBM above DRAM: `xeonMaxFlat`
//
// In flat mode the HBM of a Xeon Max is a CPU-less node. It is faster than DDR5, so it gets a
// *smaller* abstract distance and a tier above DRAM; being above the lowest tier with CPUs, it is
// still "top tier" (`node_is_toptier`), and it demotes into DRAM.

// %%
const max = deriveKernelTopology(presets.xeonMaxFlat());
console.log(numactlHardware(max));
printSysfs(memoryTiersSysfs(max));
console.log(demotionTargetsText(max));

// %% [markdown]
// ## Memory hotplug
//
// Taking the CXL expander's memory offline removes node 1 from N_MEMORY: the tiers, demotion
// targets and zonelists are recomputed, exactly as the kernel does on a memory hotplug event.

// %%
const offline = deriveKernelTopology(setMemoryOnline(presets.sprCxl(), 1, false));
printSysfs(memoryTiersSysfs(offline));
console.log(zonelistsText(offline));

// %% [markdown]
// ## Loaded latency
//
// Latency rises with bandwidth and rises faster when more of the traffic is writes. These are
// the measured curves each preset carries (Mess benchmark, calibration.md §4); the performance
// model interpolates between them.

// %%
plots.loadedLatency(latencyCurvesTable(presets.sprCxl())).show();

// %%
plots.loadedLatency(latencyCurvesTable(presets.xeonMaxFlat())).show();

// %% [markdown]
// ## Your own machine
//
// The builder takes units as strings. A socket split by sub-NUMA clustering into two nodes, with
// a CXL expander: the JSON below is what a scenario file stores, and `topologyFromJSON` validates
// it whole, reporting every issue with its path.

// %%
const mine = topology("snc2-cxl")
  .socket(0, { cpus: 64, snc: 2, memory: { kind: "dram", capacity: "256GiB", readBandwidth: "250GB/s", idleLatency: "110ns" } })
  .cxl({ socket: 0, node: 2, memory: { capacity: "256GiB", readBandwidth: "30GB/s", idleLatency: "250ns" }, link: { readBandwidth: "30GB/s", writeBandwidth: "25GB/s", latency: "40ns" } })
  .build();
const mineKt = deriveKernelTopology(mine);
console.log(numactlHardware(mineKt));
console.log(zonelistsText(mineKt));
console.log(topologyToJSON(mine).slice(0, 400) + "\n...");
