// %% [markdown]
// # 06 · Private memory nodes and a compressed-RAM tier
//
// In February 2026 Gregory Price posted "Private Memory Nodes (w/ Compressed RAM)", RFC v4 in
// 27 patches and an LSF/MM/BPF topic. It is not merged. It adds a node state,
// **N_MEMORY_PRIVATE**, for memory that the buddy allocator manages (real struct pages, LRUs,
// watermarks) but that ordinary allocations never see. The driver that owns such a node picks
// which mm services the node gets through `NP_OPS_*` flags: `MIGRATION`, `MEMPOLICY`,
// `DEMOTION`, `PROTECT_WRITE`, `RECLAIM`, `NUMA_BALANCING`, and more. The first user is
// **CRAM**, a compressed-RAM service. Cold folios are demoted into a compressed CXL device,
// mapped read-only there, and promoted back to DRAM on the first write (kernel-model.md §6.1).
//
// Seed 002 is a reply from Balbir Singh (NVIDIA, 4 June 2026) deep in the thread. He and Gregory
// Price go over the allocator fallback lists, the `__GFP_PRIVATE` flag and how much mempolicy
// support a private node should have. This notebook runs both on the simulated kernel:
//
// 1. the thread's four-node illustration, printed as the kernel logs its zonelists;
// 2. which nodes each allocation-flag combination can reach, under the RFC's `__GFP_PRIVATE`
//    design and under the alternative the thread discusses;
// 3. the mempolicy rules the thread calls "baked in": `set_mempolicy` versus `mbind` naming a
//    private node;
// 4. CRAM: how much a device holds, cold data demoted into it while a key-value cache keeps
//    DRAM, write faults that bring pages back, and backpressure when the device fills up.
//
// Every claim below is checked by the cell after it, which throws if the simulation disagrees.

// %%
import { mkdirSync, writeFileSync } from "node:fs";
import * as aq from "arquero";
import * as tslab from "tslab";
import {
  boot,
  cramMachine,
  privateNodesExample,
  privateReachability,
  deriveKernelTopology,
  zonelistsText,
  demotionTargetsText,
  topologyFromJSON,
  topologyToJSON,
  workload,
  policy,
  simulate,
  plots,
  Figure,
  closeRenderer,
  SyscallError,
  OomKilledError,
  GFP_COMBINATIONS,
  PRIVATE_NODE_DESIGNS,
  BEHAVIOUR_STATUS,
  VERSION,
} from "../dist/index.js";
import type { Kernel, Process, SimulationResult, TopologySpec, PrivateNodeDesign } from "../dist/index.js";
console.log(`tiersim ${VERSION}`);
console.log(`privateNodeDesign: ${BEHAVIOUR_STATUS.privateNodeDesign}`);

const PAGE = 4096;
const MiB = 2 ** 20;

/** Throws unless `ok`: every claim in the markdown goes through here. */
function check(ok: boolean, claim: string): void {
  if (!ok) throw new Error(`claim does not hold: ${claim}`);
  console.log(`ok: ${claim}`);
}

/** Shows plain rows as an HTML table. */
function show(rows: object[]): void {
  tslab.display.html(aq.from(rows).toHTML());
}

/** Pages per node of the mapping at `addr`, from the process's numa_maps (N<node>=<pages>). */
function pagesPerNode(p: Process, addr: number): Record<number, number> {
  const line = p.numaMaps().split("\n").find((l) => l.startsWith(addr.toString(16) + " "));
  const out: Record<number, number> = {};
  for (const m of (line ?? "").matchAll(/ N(\d+)=(\d+)/g)) out[Number(m[1])] = Number(m[2]);
  return out;
}

/** The errno a call fails with, or "success". */
function errnoOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof SyscallError) return e.errno;
    throw e;
  }
  return "success";
}

/** Every figure shown, by file name, for the export cell at the end. */
const figures: Record<string, Figure> = {};
function showFig(name: string, fig: Figure): void {
  figures[name] = fig;
  fig.show();
}

// %% [markdown]
// ## 1. Four nodes, four fallback lists
//
// On 3 June Gregory Price explained how the page allocator's fallback lists and nodemasks
// interact on a machine with two normal nodes, A and B, and two private nodes, C and D:
//
// > Fallbacks A: A B<br>
// > Fallbacks B: B A<br>
// > Fallbacks C: C A B (Private)<br>
// > Fallbacks D: D B A (Private)
//
// `privateNodesExample()` builds that machine. A and B (nodes 0 and 1) are sockets with DRAM.
// C and D (nodes 2 and 3) are CXL devices onlined as private nodes, C behind socket 0 and D
// behind socket 1. C's driver opts into `MIGRATION | MEMPOLICY` (like the RFC's `cxl_mempolicy`
// sample driver, patch 26). D's opts into `MIGRATION | DEMOTION`. The rules (§6.1 with §3.2):
// a private node is left out of every other node's fallback list, and its own list is itself
// followed by the N_MEMORY nodes in distance order. Below is `build_zonelists()`'s boot log of
// the simulated kernel, then the same lists with the thread's letters.

// %%
const seedMachine = privateNodesExample();
const kt = deriveKernelTopology(seedMachine);
const letter = (n: number): string => "ABCD"[n]!;
const letters = (nodes: readonly number[]): string => (nodes.length ? nodes.map(letter).join(" ") : "(fails)");
console.log(zonelistsText(kt));
for (const n of kt.nodeIds) console.log(`node ${n} = ${letter(n)}: ${kt.privateNodes.includes(n) ? `private, ops ${kt.spec.nodes[n]!.memory!.private!.ops.join("|")}` : "N_MEMORY"}`);
const fallbacks = kt.nodeIds.map((n) => `Fallbacks ${letter(n)}: ${letters(kt.zonelist(n))}${kt.privateNodes.includes(n) ? " (Private)" : ""}`);
console.log(`\n${fallbacks.join("\n")}`);

// %%
const SEED_FALLBACKS = ["Fallbacks A: A B", "Fallbacks B: B A", "Fallbacks C: C A B (Private)", "Fallbacks D: D B A (Private)"];
check(JSON.stringify(fallbacks) === JSON.stringify(SEED_FALLBACKS), "the simulated kernel's fallback lists are exactly the seed's four lines");
check(JSON.stringify(kt.memoryNodes) === "[0,1]" && JSON.stringify(kt.privateNodes) === "[2,3]", "A, B are N_MEMORY; C, D are N_MEMORY_PRIVATE (not N_MEMORY)");
check(JSON.stringify(kt.nodeIds.map((n) => kt.noFallbackZonelist(n))) === "[[0],[1],[2],[3]]", "each node's NOFALLBACK list (__GFP_THISNODE) is the node alone");
console.log(demotionTargetsText(kt));
check(JSON.stringify([kt.demotionTargets(0), kt.demotionTargets(1)]) === "[[3],[3]]", "A and B demote to D, the only private node with NP_OPS_DEMOTION; C is in no memory tier");

// %% [markdown]
// ## 2. Who can reach a private node
//
// Balbir Singh asked whether regular memory (N_MEMORY) belongs in a private node's fallback
// list at all. Gregory Price's answer: without `__GFP_PRIVATE`, probably not. The A B tail of C's
// list is a holdover from the `__GFP_PRIVATE` branch, so that an allocation whose
// `preferred_nid` happens to be a private node (a hint, not a hard control) still lands
// *somewhere*. In the RFC, `__GFP_PRIVATE` gates private nodes: without the flag, they are
// unreachable from every walk. `GFP_PRIVATE = __GFP_PRIVATE | __GFP_THISNODE` pins an allocation
// to one private node, with no fallback. The community had argued for the alternative: no new
// flag, private nodes kept out of the other nodes' fallback lists, and the existing users of
// nodemasks fixed. Price is trying to measure whether anything in normal runtime reaches a
// private node through `possible`/`online` nodemasks alone.
//
// `privateReachability(kt, design)` walks the zonelist of every start node for the four flag
// combinations (no nodemask) under both designs of the kernel behaviour `privateNodeDesign`:
// `"gfp-private"` (RFC v4 as posted) and `"fallback-only"` (no `__GFP_PRIVATE`: a private node is
// reachable only through its own lists, which keep the seed's A B tail).

// %%
const reach = new Map<string, string>();
for (const d of PRIVATE_NODE_DESIGNS) for (const r of privateReachability(kt, d)) reach.set(`${d}/${r.flags}/${r.start}`, letters(r.nodes));
const reachRows = GFP_COMBINATIONS.flatMap((flags) =>
  kt.nodeIds.map((start) => ({ gfp: flags, preferred_nid: letter(start), ...Object.fromEntries(PRIVATE_NODE_DESIGNS.map((d) => [d, reach.get(`${d}/${flags}/${start}`)!])) })),
);
show(reachRows);

// %% [markdown]
// Read the table by start node:
//
// * **From A or B nothing differs.** No flag makes C or D reachable from a normal node, because
//   neither design puts them in A's or B's list. A plain allocation can only land on a private
//   node if it *starts* there.
// * **Starting at C with no flag**, the RFC walks C's list with C filtered out (A B): the
//   allocation lands "somewhere", which is what the A B tail is for. Without the flag
//   (`fallback-only`), the same request lands on C. A stray `preferred_nid` is enough to put
//   ordinary kernel memory on a private device.
// * **`__GFP_THISNODE` at C** fails under the RFC and succeeds on C without the flag. That is the
//   per-node loop over `online` nodes (`for_each_online_node` + `__GFP_THISNODE`) that Price is
//   trying to catch: under `fallback-only` every such loop allocates on the private node.
// * The two `__GFP_PRIVATE` rows are the same in both designs. `fallback-only` ignores the flag,
//   and the RFC's gated lists then match the ungated ones.

// %%
// Expected rows, by hand from the rules above: "gfp-private" = the lists with private nodes
// removed unless __GFP_PRIVATE; "fallback-only" = the lists as they are (the flag is ignored).
const lists = { A: "A B", B: "B A", C: "C A B", D: "D B A" } as const;
const expected: Record<PrivateNodeDesign, Record<string, string[]>> = {
  "gfp-private": {
    none: ["A B", "B A", "A B", "B A"],
    __GFP_THISNODE: ["A", "B", "(fails)", "(fails)"],
    __GFP_PRIVATE: [lists.A, lists.B, lists.C, lists.D],
    GFP_PRIVATE: ["A", "B", "C", "D"],
  },
  "fallback-only": {
    none: [lists.A, lists.B, lists.C, lists.D],
    __GFP_THISNODE: ["A", "B", "C", "D"],
    __GFP_PRIVATE: [lists.A, lists.B, lists.C, lists.D],
    GFP_PRIVATE: ["A", "B", "C", "D"],
  },
};
for (const d of PRIVATE_NODE_DESIGNS) {
  const got = Object.fromEntries(GFP_COMBINATIONS.map((f) => [f, kt.nodeIds.map((s) => reach.get(`${d}/${f}/${s}`))]));
  check(JSON.stringify(got) === JSON.stringify(expected[d]), `${d}: all 16 rows are the ones derived by hand`);
}
const fromNormal = [...reach.entries()].filter(([key]) => /\/[01]$/.test(key)).map(([, v]) => v);
check(fromNormal.every((v) => !/[CD]/.test(v)), "no flag combination reaches C or D from A or B, in either design");
check(reach.get("gfp-private/none/2") === "A B" && reach.get("fallback-only/none/2") === "C A B", "preferred_nid = C without flags: A B under the RFC, C first without __GFP_PRIVATE");
check(reach.get("gfp-private/__GFP_THISNODE/2") === "(fails)" && reach.get("fallback-only/__GFP_THISNODE/2") === "C", "__GFP_THISNODE at C: fails under the RFC, lands on C without __GFP_PRIVATE");

// %% [markdown]
// tiersim's `fallback-only` keeps the A B tail of C's list, so it shows "remove the flag, keep
// the lists". Price's answer suggests that a real design without `__GFP_PRIVATE` would probably
// drop the tail too. C's list would then be C alone, and each `none` row starting at a private
// node would read like its `__GFP_THISNODE` row. The thread leaves that open, and so does the
// simulator: the lists are the seed's.
//
// ## 3. The mempolicy rules
//
// Price explained what "baked in" would mean for mempolicy:
//
// > set_mempolicy(..., private_node) -> -EINVAL<br>
// > mbind(..., private_node) -> Success
//
// A task policy governs every allocation the task makes, and interleave or weighted interleave
// make little sense for most private nodes. A VMA policy targets one range that the caller
// chose. `mbind` also needs the node's driver to have opted into `NP_OPS_MEMPOLICY` (patch 13
// checks every private node of the mask). RFC v4's patch 13 as posted also let `set_mempolicy`
// name a `MEMPOLICY` node. tiersim follows the later thread, which is why C, which has
// `MEMPOLICY`, is refused below. The calls use a smaller copy of the seed machine (64 MiB per
// socket, 32 MiB per device), so filling DRAM takes little time.

// %%
const small = (opsC?: readonly string[]) => privateNodesExample({ dram: "64MiB", device: "32MiB", ...(opsC ? { opsC } : {}) });
const calls: { call: string; C_ops: string; errno: string; expected: string }[] = [];
function tryCall(call: string, opsC: readonly string[] | undefined, expected: string, f: (p: Process) => unknown): void {
  const k = boot(small(opsC), { kernel: "v6.16" });
  const p = k.spawn({ cpu: 0 });
  calls.push({ call, C_ops: (opsC ?? ["MIGRATION", "MEMPOLICY"]).join("|"), errno: errnoOf(() => f(p)), expected });
}
const range = (p: Process) => p.mmap(64 * PAGE);
tryCall("set_mempolicy(MPOL_BIND, {C})", undefined, "EINVAL", (p) => p.setMempolicy("MPOL_BIND", [2]));
tryCall("set_mempolicy(MPOL_PREFERRED, {C})", undefined, "EINVAL", (p) => p.setMempolicy("MPOL_PREFERRED", [2]));
tryCall("set_mempolicy(MPOL_INTERLEAVE, {A, C})", undefined, "EINVAL", (p) => p.setMempolicy("MPOL_INTERLEAVE", [0, 2]));
tryCall("set_mempolicy(MPOL_BIND, {A, B})", undefined, "success", (p) => p.setMempolicy("MPOL_BIND", [0, 1]));
tryCall("mbind(MPOL_BIND, {C})", undefined, "success", (p) => p.mbind(range(p), 64 * PAGE, "MPOL_BIND", [2]));
tryCall("mbind(MPOL_BIND, {C})", ["MIGRATION"], "EINVAL", (p) => p.mbind(range(p), 64 * PAGE, "MPOL_BIND", [2]));
tryCall("mbind(MPOL_BIND, {D})", undefined, "EINVAL", (p) => p.mbind(range(p), 64 * PAGE, "MPOL_BIND", [3]));
tryCall("mbind(MPOL_BIND, {C, D})", undefined, "EINVAL", (p) => p.mbind(range(p), 64 * PAGE, "MPOL_BIND", [2, 3]));
show(calls);
for (const c of calls) check(c.errno === c.expected, `${c.call} with C = ${c.C_ops}: ${c.expected}`);
const why = (() => {
  const p = boot(small(), { kernel: "v6.16" }).spawn({ cpu: 0 });
  try {
    p.setMempolicy("MPOL_BIND", [2]);
  } catch (e) {
    return (e as Error).message;
  }
  return "";
})();
console.log(why);

// %% [markdown]
// Now the allocations. A task on socket A mbinds 1000 pages to `{C}` and writes them. Every
// fault lands on C. The nodemask names only C, which is in neither A's nor B's list, so the walk
// starts at C. The kernel allocates with `__GFP_PRIVATE` because the VMA policy names a
// `MEMPOLICY` node. C's free count drops by exactly 1000 and the pages count as `numa_hit` on
// C.
//
// A plain `malloc` never gets there. A second task touches more memory than DRAM has, with the
// default policy. The fast path fills A down to its low watermark, then B. The slow path takes
// both down to min (the first touch is instantaneous here, so kswapd has no time to run). So
// exactly (A − min) + (B − min) pages fit, and the next page is OOM-killed, with C and D still
// completely free. This holds under both designs, because a task on A starts its walk at A.

// %%
const kb = boot(small(), { kernel: "v6.16" });
const pb = kb.spawn({ cpu: 0 });
const bound = pb.mmap(1000 * PAGE);
pb.mbind(bound, 1000 * PAGE, "MPOL_BIND", [2]);
const freeC = kb.buddy.free[2]!;
pb.touch(bound, 1000 * PAGE, { write: true });
console.log(pb.numaMaps());
check(JSON.stringify(pagesPerNode(pb, bound)) === JSON.stringify({ 2: 1000 }), "mbind(BIND{C}) + 1000 writes: numa_maps shows N2=1000 and nothing else");
check(freeC - kb.buddy.free[2]! === 1000 && kb.stats.get("numa_hit", 2) === 1000, "C's free pages drop by exactly 1000, all numa_hit on C");

const plain: { design: string; fits: number; on_A: number; on_B: number; on_C: number; on_D: number; next_page: string; free_C: number; free_D: number }[] = [];
for (const design of PRIVATE_NODE_DESIGNS) {
  const k = boot(small(), { kernel: "v6.16", behaviours: { privateNodeDesign: design } });
  const p = k.spawn({ cpu: 0 });
  const fits = [0, 1].reduce((s, n) => s + k.topo.managedPages(n) - k.buddy.watermarks(n).min, 0);
  const heap = p.mmap(fits * PAGE);
  p.touch(heap, fits * PAGE, { write: true });
  const counts = pagesPerNode(p, heap);
  const extra = p.mmap(PAGE);
  let next = "success";
  try {
    p.touch(extra, PAGE);
  } catch (e) {
    if (!(e instanceof OomKilledError)) throw e;
    next = "OOM-killed";
  }
  plain.push({ design, fits, on_A: counts[0] ?? 0, on_B: counts[1] ?? 0, on_C: counts[2] ?? 0, on_D: counts[3] ?? 0, next_page: next, free_C: k.buddy.free[2]!, free_D: k.buddy.free[3]! });
}
show(plain);
const mins = [0, 1].map((n) => kb.buddy.watermarks(n).min);
for (const r of plain) {
  check(r.on_A === 16384 - mins[0]! && r.on_B === 16384 - mins[1]!, `${r.design}: the heap fills A and B down to min (${r.on_A} + ${r.on_B} pages = 2 × (16384 − ${mins[0]}))`);
  check(r.on_C === 0 && r.on_D === 0 && r.free_C === 8192 && r.free_D === 8192, `${r.design}: no page lands on C or D; both keep all 8192 pages free`);
  check(r.next_page === "OOM-killed", `${r.design}: one page more is OOM-killed rather than placed on a private node`);
}

// %% [markdown]
// ## 4. CRAM: a compressed tier that only demotion can fill
//
// CRAM (patch 23, `mm/cram.c`) owns private nodes backed by compressing CXL devices. Folios
// arrive only through demotion: reclaim hands the batch to the owner's `migrate_to` callback.
// They are mapped read-only (`PROTECT_WRITE`), and a write fault promotes the folio back to DRAM.
// When the media fills up, the driver raises `watermark_boost` on the node and demotion slows.
// tiersim models that backpressure as a gate: a folio is refused once the media in use would
// pass `boostAt` (90%) of the device. `cramMachine()` is sprCxl's socket (node 0, DRAM) plus one
// CRAM node (node 1) behind sprCxl's CXL link, with 120 ns of decompression added to its
// latencies. The CRAM numbers are illustrative, not calibrated.
//
// ### 4a. How much a device holds
//
// The node's `capacity` is the address space the driver onlined: the struct pages the buddy
// allocator manages. The device media behind it holds a folio in 1/ratio of a page. A 256 MiB
// device therefore holds 256 MiB / (4 KiB / 2) = 131072 pages of 2:1 data and 196608 pages of
// 3:1 data. Backpressure starts at 90% of that: 117964 and 176947 folios
// (`floor(0.9 × 65536 × ratio)`). The onlined address space is a second limit. With 512 MiB
// onlined, 3:1 data is capped at 131072 − min.

// %%
const capRows: object[] = [];
for (const onlined of ["2GiB", "512MiB"]) {
  const k = boot(cramMachine({ dram: "1GiB", capacity: onlined, device: "256MiB" }), { kernel: "v6.16" });
  const s = k.cram.state(1);
  const nominal = k.topo.managedPages(1) - k.buddy.watermarks(1).min;
  for (const ratio of [2, 3]) {
    const raw = (256 * MiB) / (PAGE / ratio);
    const byHand = Math.min(Math.floor(0.9 * s.devicePages * ratio), nominal);
    capRows.push({ onlined, device: "256MiB", ratio: `${ratio}:1`, media_pages: s.devicePages, pages_the_media_holds: raw, below_boost_by_hand: byHand, capacityPages: k.cram.capacityPages(1, ratio) });
    check(k.cram.capacityPages(1, ratio) === byHand, `${onlined} onlined, ${ratio}:1 data: k.cram.capacityPages = min(floor(0.9 × ${s.devicePages} × ${ratio}), ${nominal}) = ${byHand}`);
  }
}
show(capRows);
check((capRows[0] as { pages_the_media_holds: number }).pages_the_media_holds === 131072 && (capRows[1] as { pages_the_media_holds: number }).pages_the_media_holds === 196608, "a 256 MiB device holds 131072 pages of 2:1 data and 196608 of 3:1");
check((capRows[3] as { capacityPages: number }).capacityPages === 131072 - 128, "with 512 MiB onlined the address space caps 3:1 data at 131072 − min (128) = 130944 folios");

// %% [markdown]
// ### 4b. Cold data into CRAM, a cache on DRAM
//
// The machine has 1 GiB of DRAM and a CRAM node with 256 MiB of media (2 GiB onlined). The
// workload has two processes:
//
// * `archive`: 512 MiB of data that compresses 3:1 (`compressRatio: 3`). One slow thread reads
//   and writes it uniformly at about 10,000 accesses a second (half of them stores), so each
//   page is touched about once every 13 seconds: genuinely cold.
// * `kv`: a 768 MiB anonymous key-value cache with 8 threads, starting at 1 s. A fifth of it
//   takes 90% of the accesses, and even its cold part is read every few tens of milliseconds.
//
// Only demotion is on (`demotion_enabled = true`), no NUMA balancing. Two limits of the
// simulator shaped this setup. First touch is instantaneous, so reclaim cannot run during it,
// and a region larger than free DRAM with nothing older to reclaim would be OOM-killed; here
// the archive is the older, colder data. And a busy cache has no cold pages at sub-second
// timescales, so the data that goes to CRAM has to be genuinely cold.

// %%
const cramWorkload = (readShare: number) =>
  workload()
    .process("archive", (p) => p.threads(1).on({ node: 0 }).perf({ mlp: 1, computeNs: "100us" }).uniform({ size: "512MiB", readShare, compressRatio: 3 }))
    .process("kv", (p) => p.threads(8).on({ node: 0 }).kvCache({ size: "768MiB", kind: "anon", hotFraction: 0.2, hotShare: 0.9, at: "1s" }))
    .build();
const demotion = policy().sysfs("/sys/kernel/mm/numa/demotion_enabled", "true");
const cramTopo = cramMachine({ dram: "1GiB", capacity: "2GiB", device: "256MiB" });
const DURATION = 30;
const main = simulate({ topology: cramTopo, workload: cramWorkload(0.5), policy: demotion.build(), duration: `${DURATION}s`, seed: 1 });
check(main.warnings.length === 0, "the run has no warnings (nobody is OOM-killed)");

interface OccRow { time_s: number; node: number; process: string; pages: number }
interface NodeRow { time_s: number; node: number; free_pages: number; kswapd_wakeups: number; cram_stored_pages: number | null; cram_compressed_pages: number | null; cram_device_pages: number | null }
interface TaskRow { time_s: number; task: string; throughput_accesses_per_s: number }

/** The sample times of a run. */
const times = (run: SimulationResult): number[] => [...new Set((run.occupancy.objects() as OccRow[]).map((r) => r.time_s))].sort((a, b) => a - b);
/** The last sample at or before t. */
const sampleAt = (run: SimulationResult, t: number): number => times(run).filter((x) => x <= t + 1e-9).at(-1)!;
/** Pages of `process` on `node` at the sample at or before t. */
function pagesOn(run: SimulationResult, process: string, node: number, t: number): number {
  const at = sampleAt(run, t);
  return (run.occupancy.objects() as OccRow[]).filter((r) => r.time_s === at && r.process === process && r.node === node).reduce((s, r) => s + r.pages, 0);
}
/** A cumulative vmstat counter at the sample at or before t (default: the end). */
function counter(run: SimulationResult, name: string, t: number = run.durationS): number {
  const rows = (run.vmstat.objects() as { time_s: number; counter: string; value: number }[]).filter((r) => r.counter === name && r.time_s <= t + 1e-9);
  return rows.length ? rows.at(-1)!.value : 0;
}
/** Node rows of one node, in time order. */
const nodeRows = (run: SimulationResult, node: number): NodeRow[] => (run.nodes.objects() as NodeRow[]).filter((r) => r.node === node).sort((a, b) => a.time_s - b.time_s);

/** Pages per process and node at a few instants, as a table. */
function placementTable(run: SimulationResult, at: readonly number[], nodes: readonly number[]): object[] {
  return at.flatMap((t) =>
    ["archive", "kv"].map((proc) => ({ time_s: sampleAt(run, t), process: proc, ...Object.fromEntries(nodes.map((n) => [`node${n}_MiB`, (pagesOn(run, proc, n, t) * PAGE) / MiB])) })),
  );
}
show(placementTable(main, [0.8, 1.2, 10, DURATION], [0, 1]));

// %% [markdown]
// At 1 s the cache's first touch needs 196608 pages, and DRAM has 131072 free. The allocation's
// slow path enters direct reclaim. Reclaim finds the archive's pages unreferenced and demotes
// them in batches of 32 (SWAP_CLUSTER_MAX) through CRAM's `migrate_to` until the allocation fits
// above DRAM's min watermark: exactly `ceil((196608 − (131072 − min)) / 32) × 32` pages of
// `pgdemote_direct`. kswapd, woken on the way, then tops DRAM up to its high watermark (its
// exact count is checked in 4c, where no write fault blurs it). Every
// demoted page is the archive's. The cache keeps all 768 MiB on DRAM at every sample, and the
// CRAM node holds a third of a media page per stored folio.

// %%
const probe = boot(cramTopo, { kernel: "v6.16" });
const wm0 = probe.buddy.watermarks(0);
const archivePages = (512 * MiB) / PAGE;
const kvPages = (768 * MiB) / PAGE;
const direct = Math.ceil((kvPages - (probe.topo.managedPages(0) - archivePages - wm0.min)) / 32) * 32;
check(counter(main, "pgdemote_direct") === direct, `pgdemote_direct = ceil((${kvPages} − (${probe.topo.managedPages(0)} − ${archivePages} − ${wm0.min})) / 32) × 32 = ${direct}, all at 1 s`);
check(counter(main, "pgdemote_direct", 1.2) === direct, "the direct demotion is over by the 1.2 s sample");
const freeAfterBurst = probe.topo.managedPages(0) - archivePages - kvPages + direct;
const topUp = Math.ceil((wm0.high - freeAfterBurst) / 32) * 32;
check(times(main).every((t) => pagesOn(main, "kv", 1, t) === 0) && times(main).filter((t) => t >= 1.2).every((t) => pagesOn(main, "kv", 0, t) === kvPages), "the cache never has a page on the CRAM node and keeps all 196608 pages on DRAM from 1.2 s on");
const cramRows = nodeRows(main, 1);
check(cramRows.every((r) => r.cram_stored_pages === times(main).filter((t) => t === r.time_s).map((t) => pagesOn(main, "archive", 1, t))[0]), "at every sample the CRAM node's stored pages are all archive pages");
check(cramRows.every((r) => Math.abs(r.cram_compressed_pages! - r.cram_stored_pages! / 3) < 1e-6), "compressed pages = stored / 3 at every sample (the archive's 3:1 data)");
check(counter(main, "cram_refused") === 0 && counter(main, "cram_promote_fail") === 0, "cram_refused = 0 and cram_promote_fail = 0: the device never pushes back");

// %% [markdown]
// After the burst, nothing is quiet. Half of the archive's accesses are stores, and every store
// to a page on the CRAM node is a write fault that promotes the folio back to DRAM
// (`cram_write_faults`, `cram_promotions`). Each promoted page takes a DRAM page. That wakes
// kswapd, which demotes the coldest DRAM page it finds, another archive page, back into CRAM
// (`pgdemote_kswapd`, `cram_stored`). In steady state the four counters run at the same rate,
// and the CRAM node holds a constant number of folios. The rate is what the access model
// predicts: the archive's store rate times the share of the archive that sits on CRAM.

// %%
// From the 1.2 s sample on: the burst's 66560 pages in 0.3 s would flatten every other rate.
const afterBurstVmstat = main.vmstat.filter(aq.escape((r: { time_s: number }) => r.time_s >= 1.2));
showFig("counters-cram", plots.counterTimeline({ vmstat: afterBurstVmstat }, ["cram_stored", "pgdemote_kswapd", "cram_write_faults", "cram_promotions"], { rate: true, title: "CRAM after the burst: kswapd demotes in, write faults promote out (per second)" }));

// %%
const T0 = 5;
const T1 = DURATION;
const span = sampleAt(main, T1) - sampleAt(main, T0);
const rate = (name: string): number => (counter(main, name, T1) - counter(main, name, T0)) / span;
const inSteady = cramRows.filter((r) => r.time_s >= T0);
const meanStored = inSteady.reduce((s, r) => s + r.cram_stored_pages!, 0) / inSteady.length;
const archiveTput = (main.tasks.objects() as TaskRow[]).filter((r) => r.task === "archive" && r.time_s >= T0);
const storesPerS = (0.5 * archiveTput.reduce((s, r) => s + r.throughput_accesses_per_s, 0)) / archiveTput.length;
const predicted = (storesPerS * meanStored) / archivePages;
console.log(`from ${T0} s to ${T1} s: write faults ${rate("cram_write_faults").toFixed(0)}/s, promotions ${rate("cram_promotions").toFixed(0)}/s, pgdemote_kswapd ${rate("pgdemote_kswapd").toFixed(0)}/s, cram_stored ${rate("cram_stored").toFixed(0)}/s; predicted ${predicted.toFixed(0)}/s`);
check(counter(main, "cram_write_faults") === counter(main, "cram_promotions") && counter(main, "cram_write_faults") > 0, `every one of the ${counter(main, "cram_write_faults")} write faults promoted its folio`);
check(Math.abs(rate("cram_write_faults") / predicted - 1) < 0.05, `write-fault rate ${rate("cram_write_faults").toFixed(0)}/s = store rate ${storesPerS.toFixed(0)}/s × ${meanStored.toFixed(0)}/${archivePages} of the archive on CRAM (${predicted.toFixed(0)}/s) within 5%`);
check(Math.abs(rate("pgdemote_kswapd") / rate("cram_promotions") - 1) < 0.05 && Math.abs(rate("cram_stored") / rate("cram_promotions") - 1) < 0.05, "kswapd demotes into CRAM as fast as write faults promote out of it (within 5%)");
check(inSteady.every((r) => Math.abs(r.cram_stored_pages! / meanStored - 1) < 0.01), `from ${T0} s on the CRAM node holds ${meanStored.toFixed(0)} folios ± 1%`);
check(Math.abs(meanStored - (direct + counter(main, "pgdemote_kswapd", 1.2))) / meanStored < 0.01, "…which is what the burst at 1 s put there");

// %% [markdown]
// `run.nodes` has the CRAM node's state at every sample: folios stored (logical pages),
// compressed pages (media in use) and the device's media. The archive's folios take a third of
// a page each, so about 67,000 logical pages use about 22,000 pages of media, well below the
// boost point at 90% of the device's 65536.

// %%
/**
 * The CRAM node over time, two panels: folios stored (logical pages) against the folio count at
 * which backpressure starts for the data's ratio, and media in use against the boost point.
 */
function cramFigure(runs: Record<string, SimulationResult>, ratio: number, title: string): Figure {
  const colours = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759"];
  const data: object[] = [];
  Object.entries(runs).forEach(([label, run], i) => {
    const rows = nodeRows(run, 1);
    const x = rows.map((r) => r.time_s);
    const c = colours[i % colours.length];
    const device = rows[0]!.cram_device_pages!;
    const boost = 0.9 * device;
    const span = [x[0], x.at(-1)];
    data.push({ type: "scatter", mode: "lines", name: `${label}: folios stored`, legendgroup: label, x, y: rows.map((r) => r.cram_stored_pages), line: { color: c, width: 2.5, shape: "hv" }, yaxis: "y2" });
    data.push({ type: "scatter", mode: "lines", name: `${label}: backpressure at floor(0.9 × ${device} × ${ratio}) folios`, legendgroup: label, x: span, y: [Math.floor(boost * ratio), Math.floor(boost * ratio)], line: { color: c, width: 1.2, dash: "dot" }, yaxis: "y2" });
    data.push({ type: "scatter", mode: "lines", name: `${label}: media pages in use`, legendgroup: label, x, y: rows.map((r) => r.cram_compressed_pages), line: { color: c, width: 2.5, shape: "hv" }, yaxis: "y" });
    data.push({ type: "scatter", mode: "lines", name: `${label}: boost point (90% of ${device} media pages)`, legendgroup: label, x: span, y: [boost, boost], line: { color: c, width: 1.2, dash: "dot" }, yaxis: "y" });
  });
  return new Figure(data as never, {
    title: { text: title },
    font: { family: "DejaVu Sans, Open Sans, Arial, sans-serif", size: 13 },
    width: 1100,
    height: 620,
    margin: { l: 90, r: 20, t: 70, b: 60 },
    xaxis: { title: { text: "time (s)" }, zeroline: false, anchor: "y" },
    yaxis: { domain: [0, 0.44], title: { text: "media pages" }, rangemode: "tozero", zeroline: false, tickformat: "~s" },
    yaxis2: { domain: [0.56, 1], title: { text: "folios (4 KiB logical)" }, rangemode: "tozero", zeroline: false, tickformat: "~s", anchor: "x" },
    annotations: [
      { text: "<b>folios stored on node 1</b>", xref: "paper", yref: "paper", x: 0.5, y: 1.02, showarrow: false, xanchor: "center", yanchor: "bottom" },
      { text: "<b>device media in use on node 1</b>", xref: "paper", yref: "paper", x: 0.5, y: 0.46, showarrow: false, xanchor: "center", yanchor: "bottom" },
    ],
    showlegend: true,
    legend: { orientation: "v", x: 1.02, y: 1, xanchor: "left", yanchor: "top", font: { size: 11 } },
  } as never);
}
showFig("cram-stored-vs-compressed", cramFigure({ "256 MiB": main }, 3, "CRAM node, 256 MiB of media: 3:1 folios stored and media used"));
const endRow = cramRows.at(-1)!;
check(endRow.cram_device_pages === 65536 && endRow.cram_compressed_pages! < 0.9 * 65536 / 2, `at the end: ${endRow.cram_stored_pages} folios in ${endRow.cram_compressed_pages!.toFixed(0)} media pages, under half the boost point (${0.9 * 65536} pages)`);

// %% [markdown]
// ### 4c. Backpressure: where refused folios go
//
// With a small enough device, CRAM refuses part of a demotion batch. The refused folios go back
// to `demote_folio_list`, which tries the other nodes of the allowed lower-tier mask, then
// normal reclaim (swap, or keep the page). `cramMachine()` has no other lower-tier node, and
// `simulate()` has no swap, so on it a 64 MiB device leaves the refused folios stuck on DRAM and
// the cache's first touch is OOM-killed (checked below). To see where the folios go, the next
// machine adds a plain, uncompressed CXL expander as node 2. It has the CRAM node's speed (a
// 260 ns expander, for example behind a switch), so it sits in the same memory tier, but at a
// larger SLIT distance. Node 0's preferred demotion target stays the CRAM node, and node 2 is
// the fallback. The cache is bound to DRAM (`numactl --membind=0`), so its first touch reclaims
// instead of spilling onto node 2. And the archive is read-only here, so no write fault moves
// pages, and every page on node 2 arrived by refusal.

// %%
/** cramMachine plus node 2: a plain CXL expander with the CRAM node's numbers, farther away (same tier). */
function withExpander(spec: TopologySpec): TopologySpec {
  const j = JSON.parse(topologyToJSON(spec));
  const cram = j.nodes[1];
  const { private: _owned, ...plainMemory } = cram.memory;
  j.name = "sprCram+expander";
  j.nodes.push({ ...cram, id: 2, memory: { ...plainMemory, capacityBytes: 4 * 2 ** 30, source: "plain CXL expander with the CRAM node's numbers (illustrative)" }, source: "CPU-less CXL expander, socket 0, no private owner" });
  j.links.push({ ...j.links[0], id: "cxl0.2", to: 2 });
  j.distances = [[10, 14, 24], [14, 10, 26], [24, 26, 10]];
  return topologyFromJSON(j);
}
const bigTopo = withExpander(cramMachine({ dram: "1GiB", capacity: "2GiB", device: "256MiB" }));
const smallTopo = withExpander(cramMachine({ dram: "1GiB", capacity: "2GiB", device: "64MiB" }));
const kt3 = deriveKernelTopology(smallTopo);
console.log(zonelistsText(kt3));
console.log(demotionTargetsText(kt3));
check(JSON.stringify(kt3.tiers.map((t) => t.nodes)) === "[[0],[1,2]]" && JSON.stringify(kt3.demotionTargets(0)) === "[1]" && JSON.stringify(kt3.lowerTierNodes(0)) === "[1,2]", "node 0 demotes to the CRAM node first; nodes 1 and 2 share the lower tier (the allowed mask)");
check(!kt3.zonelist(0).includes(1) && kt3.zonelist(0).includes(2), "node 2 is in node 0's fallback list, the private CRAM node is not");

const pinned = demotion.numactl("kv", "--membind=0").build();
const roRuns = {
  "256 MiB media": simulate({ topology: bigTopo, workload: cramWorkload(1), policy: pinned, duration: "10s", seed: 1 }),
  "64 MiB media": simulate({ topology: smallTopo, workload: cramWorkload(1), policy: pinned, duration: "10s", seed: 1 }),
};
const bpRows = Object.entries(roRuns).map(([label, run]) => ({
  device: label,
  cram_stored: counter(run, "cram_stored"),
  cram_refused: counter(run, "cram_refused"),
  pgdemote_direct: counter(run, "pgdemote_direct"),
  pgdemote_kswapd: counter(run, "pgdemote_kswapd"),
  archive_node0: pagesOn(run, "archive", 0, 10),
  archive_node1_cram: pagesOn(run, "archive", 1, 10),
  archive_node2_plain: pagesOn(run, "archive", 2, 10),
  kv_node0: pagesOn(run, "kv", 0, 10),
}));
show(bpRows);
showFig("occupancy-backpressure", plots.tierOccupancy(roRuns["64 MiB media"], { by: "node", title: "64 MiB of CRAM media: node 1 CRAM fills to its boost point, node 2 (plain CXL) takes the rest" }));
showFig("cram-backpressure", cramFigure({ "256 MiB": roRuns["256 MiB media"], "64 MiB": roRuns["64 MiB media"] }, 3, "CRAM node with 256 MiB and 64 MiB of media (read-only archive, 3:1)"));

// %% [markdown]
// With 256 MiB of media the whole demotion fits and node 2 stays empty. With 64 MiB the CRAM
// node stops at exactly `capacityPages(1, 3)` folios (floor(0.9 × 16384 × 3) = 44236), its
// media one third of a page short of the boost point. Every further folio of the batch is
// refused (`cram_refused`) and lands on node 2, page for page. The total demoted is the same in
// both runs, because reclaim had to free the same amount of DRAM. Only where the folios went
// changed. The cache keeps DRAM in both.

// %%
const [big, small64] = bpRows as { cram_stored: number; cram_refused: number; pgdemote_direct: number; pgdemote_kswapd: number; archive_node1_cram: number; archive_node2_plain: number; kv_node0: number }[];
const cap64 = boot(smallTopo, { kernel: "v6.16" }).cram.capacityPages(1, 3);
check(big!.cram_refused === 0 && big!.archive_node2_plain === 0, "256 MiB: nothing refused, nothing on node 2");
check(cap64 === 44236 && small64!.archive_node1_cram === cap64 && small64!.cram_stored === cap64, `64 MiB: the CRAM node holds exactly capacityPages(1, 3) = ${cap64} folios`);
check(small64!.cram_refused > 0 && small64!.archive_node2_plain === small64!.cram_refused, `64 MiB: all ${small64!.cram_refused} refused folios are on node 2 (plain CXL), page for page`);
check([big!, small64!].every((r) => r.pgdemote_direct === direct && r.pgdemote_kswapd === topUp), `both runs demote the same ${direct} pages directly and ${topUp} by kswapd (ceil((high ${wm0.high} − ${freeAfterBurst} free after the burst) / 32) × 32, section 4b); only the destination differs`);
check(big!.kv_node0 === kvPages && small64!.kv_node0 === kvPages, "the cache keeps all its pages on DRAM in both runs");
const s64 = nodeRows(roRuns["64 MiB media"], 1).at(-1)!;
check(0.9 * 16384 - s64.cram_compressed_pages! < 1 / 3 + 1e-6, `64 MiB: ${s64.cram_compressed_pages!.toFixed(2)} media pages in use, less than one 3:1 folio below the boost point (${0.9 * 16384})`);

// The same small device on cramMachine alone: no other lower-tier node, no swap.
const alone = simulate({ topology: cramMachine({ dram: "1GiB", capacity: "2GiB", device: "64MiB" }), workload: cramWorkload(1), policy: demotion.build(), duration: "5s", seed: 1 });
console.log(alone.warnings.map((w) => w.message).join("\n"));
check(alone.warnings.some((w) => w.code === "oom_kill" && /"kv"/.test(w.message)) && counter(alone, "cram_refused") > 0, `cramMachine alone, 64 MiB: ${counter(alone, "cram_refused")} folios refused with nowhere to go, and the cache is OOM-killed`);

// %% [markdown]
// **Write faults on this machine.** Give the archive its stores back (the workload of 4b) on the
// 64 MiB machine, and the write faults no longer return their folios to DRAM. CRAM's fault handler
// allocates the new page from the writer's node through the normal zonelist (tiersim's reading;
// §6.1 says only "a write fault promotes the folio back to DRAM"). Here that list is `0 2`.
// After the burst, kswapd tops DRAM up to its high watermark once. The promotions then use those
// pages until DRAM is at its low watermark. From then on the allocation's fast path skips node 0
// and takes node 2 without waking kswapd (§1.8), so every later "promotion" moves a folio from
// compressed CXL to plain CXL, and the CRAM node drains into the expander. Whether CRAM's fault
// path should insist on a top-tier node (`__GFP_THISNODE` or a toptier mask) is a question for
// the RFC. The simulator shows what the plain zonelist does.

// %%
const rw = simulate({ topology: smallTopo, workload: cramWorkload(0.5), policy: pinned, duration: `${DURATION}s`, seed: 1 });
const onNode2 = pagesOn(rw, "archive", 2, DURATION);
const promotedTo2 = onNode2 - counter(rw, "cram_refused");
const promotions = counter(rw, "cram_promotions");
show([{ cram_refused: counter(rw, "cram_refused"), cram_promotions: promotions, archive_on_node2: onNode2, promotions_that_landed_on_node2: promotedTo2, promotions_to_dram: promotions - promotedTo2, pgdemote_kswapd: counter(rw, "pgdemote_kswapd"), cram_stored_at_1_2s: nodeRows(rw, 1).find((r) => r.time_s >= 1.2)!.cram_stored_pages, cram_stored_at_end: nodeRows(rw, 1).at(-1)!.cram_stored_pages }]);
showFig("occupancy-writes", plots.tierOccupancy(rw, { by: "node", title: "64 MiB of CRAM media, archive with stores: node 1 (CRAM) drains into node 2 (plain CXL)" }));
check(counter(rw, "pgmigrate_fail") === 0, "no demotion failed: every refused folio landed on node 2");
check(promotedTo2 > 0.9 * promotions, `${promotedTo2} of ${promotions} write-fault promotions (${((100 * promotedTo2) / promotions).toFixed(0)}%) landed on node 2, not on DRAM`);
const wmSmall = boot(smallTopo, { kernel: "v6.16" }).buddy.watermarks(0);
const afterBurst = probe.topo.managedPages(0) - archivePages - kvPages + counter(rw, "pgdemote_direct");
const toDram = afterBurst + counter(rw, "pgdemote_kswapd") - wmSmall.low;
check(promotions - promotedTo2 === toDram, `exactly ${toDram} promotions reached DRAM: the ${afterBurst} pages free after the burst + ${counter(rw, "pgdemote_kswapd")} freed by kswapd − low (${wmSmall.low})`);
const dramRows = nodeRows(rw, 0).filter((r) => r.time_s >= 1.2);
check(dramRows.every((r) => r.free_pages === wmSmall.low && r.kswapd_wakeups === 1), `from 1.2 s on DRAM sits at exactly its low watermark (${wmSmall.low} free pages) and kswapd is never woken again`);
check(nodeRows(rw, 1).at(-1)!.cram_stored_pages! < 0.75 * nodeRows(rw, 1).find((r) => r.time_s >= 1.2)!.cram_stored_pages!, "the CRAM node loses more than a quarter of its folios over the run");

// %% [markdown]
// ## What to take from it
//
// * The seed's fallback lists come out of the simulated `build_zonelists()` line for line. Under
//   both designs, no allocation that starts on a normal node reaches a private one. The designs
//   differ only for allocations that *start* on a private node: with no flag (A B under the RFC,
//   C without `__GFP_PRIVATE`) and with `__GFP_THISNODE` (fails under the RFC, lands on C
//   without it). Those are the cases Price is trying to measure.
// * `set_mempolicy` naming a private node is EINVAL. `mbind` works only on `NP_OPS_MEMPOLICY`
//   nodes, and then every fault of the range lands there. A default-policy heap fills DRAM and is
//   OOM-killed rather than touch a private node.
// * CRAM capacity is in folios of a given ratio. A 256 MiB device holds 131072 pages of 2:1 data
//   and 196608 of 3:1, and backpressure starts at 90% of that.
// * Cold, compressible data demoted into CRAM stays there until written, while a busy cache
//   keeps DRAM. Write faults and kswapd then trade pages at the rate the stores predict.
// * When CRAM pushes back, the refused folios go to the next lower-tier node if there is one. On
//   a machine with none, and no swap, the result is an OOM kill. A write-fault "promotion"
//   follows the normal zonelist, so on a machine with a plain expander it mostly lands there.
//
// ## What this does not show
//
// * The designs are tiersim's reading of a thread, not code: `fallback-only` keeps the seed's
//   lists (see section 2), and the start node of a `BIND{private}` walk is an assumption
//   (privateZonelist.ts).
// * CRAM's backpressure is a hard gate at `boostAt`. The RFC raises `watermark_boost` from real
//   device utilisation, which slows demotion rather than stopping it at a line. The write-fault
//   stall of the writing task and compression CPU time are not modelled, and the device
//   numbers (120 ns decompression, ratios) are illustrative.
// * `simulate()` has no swap, so "normal reclaim" after a refusal can only keep the page.
// * File-backed and page-cache interactions (the other half of the thread) are not modelled for
//   private nodes.

// %%
const outDir = process.env.TIERSIM_FIGURES_DIR;
if (outDir) {
  const dir = `${outDir}/06-private-nodes`;
  mkdirSync(dir, { recursive: true });
  for (const [name, fig] of Object.entries(figures)) {
    await fig.savePNG(`${dir}/${name}.png`);
    writeFileSync(`${dir}/${name}.html`, fig.toHTML());
  }
  await closeRenderer();
  writeFileSync(`${dir}/reachability.csv`, aq.from(reachRows).toCSV());
  writeFileSync(`${dir}/mempolicy-calls.csv`, aq.from(calls).toCSV());
  writeFileSync(`${dir}/cram-capacity.csv`, aq.from(capRows).toCSV());
  writeFileSync(`${dir}/backpressure.csv`, aq.from(bpRows).toCSV());
  for (const [name, run] of Object.entries({ "cram-main": main, "cram-64mib-readonly": roRuns["64 MiB media"], "cram-64mib-writes": rw })) {
    writeFileSync(`${dir}/${name}-vmstat.csv`, run.vmstat.toCSV());
    writeFileSync(`${dir}/${name}-nodes.csv`, run.nodes.toCSV());
    writeFileSync(`${dir}/${name}-occupancy.csv`, run.occupancy.toCSV());
  }
  console.log(`wrote ${Object.keys(figures).length} figures and the tables to ${dir}`);
}
