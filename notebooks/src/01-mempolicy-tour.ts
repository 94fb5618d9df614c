// %% [markdown]
// # 01 · A tour of the memory-policy system calls
//
// A database team moves its servers to a two-socket machine with a CXL expander behind each
// socket and asks the kernel for `MPOL_BIND` on nodes 1 and 2, expecting node 1 first because
// `set_mempolicy(2)` says BIND "allocates from the lowest numeric node". Every page lands on
// node 2. The man page is wrong, and has been since 2.6.26: BIND walks the *allocating CPU's*
// fallback list, and from socket 0 the CXL expander is closer than the other socket.
//
// Surprises of that kind are what this notebook is about. It boots the simulated kernel on
// `presets.twoSocketCxl()` and makes the calls a C program would make (`set_mempolicy`,
// `mbind`, `get_mempolicy`, `migrate_pages`, `move_pages`, the cpuset and sysfs files), with the
// same arguments and the same errno, then reads the answer back from `/proc/<pid>/numa_maps`.
// In order:
//
// 1. every policy mode, and what changes when DRAM is nearly full;
// 2. interleaving by offset, and the exact 5:1 split the weighted-interleave cover letter measured;
// 3. the errno table: what each bad call returns and which rule it broke;
// 4. cpuset rebinding with and without `MPOL_F_STATIC_NODES` / `MPOL_F_RELATIVE_NODES`;
// 5. weighted-interleave weights, written by hand and derived from HMAT (`auto`).
//
// The rules are in kernel-model.md; each section names the ones it exercises. Nothing here runs
// reclaim or NUMA balancing: pages stay where the first touch put them, unless a call moves them.

// %%
import * as aq from "arquero";
import * as tslab from "tslab";
import { boot, presets, NumactlError, SyscallError, VERSION } from "../dist/index.js";
import type { Kernel, Process, TopologySpec } from "../dist/index.js";
console.log(`tiersim ${VERSION}`);

const PAGE = 4096;
const NODES = [0, 1, 2, 3];

/** The numa_maps line of the VMA that starts at `addr`. */
function mapsLine(p: Process, addr: number): string {
  const line = p.numaMaps().split("\n").find((l) => l.startsWith(`${addr.toString(16)} `));
  if (line === undefined) throw new Error(`no numa_maps line at 0x${addr.toString(16)}`);
  return line;
}

/** Pages per node (N0..N3) of the VMA at `addr`, read from numa_maps. */
function perNode(p: Process, addr: number): Record<string, number> {
  const line = mapsLine(p, addr);
  const out: Record<string, number> = {};
  for (const n of NODES) out[`N${n}`] = Number(new RegExp(` N${n}=(\\d+)`).exec(line)?.[1] ?? 0);
  return out;
}

/** Shows an arquero table built from plain rows. */
function show(rows: object[]): void {
  tslab.display.html(aq.from(rows).toHTML());
}

// %% [markdown]
// ## The machine
//
// Nodes 0 and 1 are Sapphire Rapids sockets with 256 GiB of DDR5 each; nodes 2 and 3 are
// CPU-less 128 GiB CXL expanders, node 2 behind socket 0 and node 3 behind socket 1. The
// fallback order (zonelist) of each node decides where a page goes when the policy leaves a
// choice (§3.2): node 0 falls back to *its* expander (distance 13) before the other socket (16).

// %%
const k = boot(presets.twoSocketCxl(), { kernel: "v6.16" });
console.log(k.numactlHardware().replace(/(cpus:( \d+){4})( \d+)+/g, "$1 ..."));
for (const n of NODES) console.log(`zonelist of node ${n}: ${k.topo.zonelist(n).join(" ")}`);

// %% [markdown]
// ## 1. Every mode, first touch from CPU 0
//
// One process on CPU 0 (node 0) maps seven 64 MiB regions (16384 pages each), gives each one a
// VMA policy with `mbind`, and writes every page. The table is the `N0..N3` part of each
// region's numa_maps line.

// %%
const modes: { mode: string; nodes: number[] }[] = [
  { mode: "MPOL_DEFAULT", nodes: [] },
  { mode: "MPOL_LOCAL", nodes: [] },
  { mode: "MPOL_PREFERRED", nodes: [2] },
  { mode: "MPOL_PREFERRED_MANY", nodes: [1, 3] },
  { mode: "MPOL_BIND", nodes: [1, 2] },
  { mode: "MPOL_INTERLEAVE", nodes: [0, 1, 2, 3] },
  { mode: "MPOL_WEIGHTED_INTERLEAVE", nodes: [0, 1, 2, 3] },
];
const tourist = k.spawn({ cpu: 0 });
const regions: number[] = [];
const modeRows = modes.map(({ mode, nodes }) => {
  const a = tourist.mmap("64MiB");
  tourist.mbind(a, "64MiB", mode, nodes);
  tourist.touch(a, "64MiB", { write: true });
  regions.push(a);
  return { mode, nodes: nodes.join(",") || "–", ...perNode(tourist, a) };
});
show(modeRows);
for (const a of regions) console.log(mapsLine(tourist, a));

// %% [markdown]
// What each row shows (§1.4 node choice, §1.5 interleave arithmetic):
//
// * **DEFAULT** stores no policy at all; the fault falls back to the system default, "preferred
//   local node" (§1.3 scope 4), so all 16384 pages are on node 0.
// * **LOCAL** asks for the same placement explicitly; numa_maps prints `local`, not `default`.
// * **PREFERRED {2}** starts the walk at node 2 itself: node 2 has room, so every page is there.
// * **PREFERRED_MANY {1,3}** starts at the *local* node and walks node 0's zonelist `0 2 1 3`
//   filtered to the mask: node 1 comes before node 3, so all pages are on node 1.
// * **BIND {1,2}** does the same walk with a hard mask: `0 2 1 3` filtered to `{1,2}` is `2 1`,
//   so all pages are on node 2, not on node 1, the "lowest numeric node" of the man page
//   (§2.7 lists that as a stale sentence).
// * **INTERLEAVE {0-3}** picks node `nodes[ilx mod 4]` with `ilx` the page's virtual page number,
//   so 16384 pages split exactly 4096 per node.
// * **WEIGHTED_INTERLEAVE {0-3}** uses the boot-time `auto` weights, 14:14:1:1 on this machine
//   (section 5 shows where they come from). A 30-page period puts 14 pages on each socket and
//   one on each expander; 16384 = 546 periods + 4 pages, and the 4 leftover pages fall where
//   the region's first page sits in the period. The next cell redoes that arithmetic by hand.

// %%
/** §1.5 static weighted interleave: the node of interleave index `ilx`. */
function weightedNode(ilx: number, nodes: number[], weight: (n: number) => number): number {
  const total = nodes.reduce((s, n) => s + weight(n), 0);
  let t = ilx % total;
  for (const n of nodes) {
    if (t < weight(n)) return n;
    t -= weight(n);
  }
  throw new Error("unreachable");
}
/** Pages per node of `pages` consecutive pages starting at virtual page `vpn0`. */
function weightedSplit(vpn0: number, pages: number, nodes: number[], weight: (n: number) => number): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(NODES.map((n) => [`N${n}`, 0]));
  for (let i = 0; i < pages; i++) out[`N${weightedNode(vpn0 + i, nodes, weight)}`]!++;
  return out;
}
const bootWeights = (n: number): number => Number(k.sysfs.read(`/sys/kernel/mm/mempolicy/weighted_interleave/node${n}`));
const wiStart = regions[6]! / PAGE;
const byHand = weightedSplit(wiStart, 16384, NODES, bootWeights);
const simulated = perNode(tourist, regions[6]!);
console.log(`first page of the region: vpn 0x${wiStart.toString(16)}, ilx mod 30 = ${wiStart % 30}`);
console.log(`by the rules: ${JSON.stringify(byHand)}`);
console.log(`simulated:    ${JSON.stringify(simulated)}`);
if (JSON.stringify(byHand) !== JSON.stringify(simulated)) throw new Error("weighted interleave split differs from §1.5");

// %% [markdown]
// ### When DRAM is nearly full
//
// The same kernel rules give a different answer once node 0 is short of memory. A "hog" process
// first fills node 0 until only 4096 pages are left above its **low** watermark (78680 pages
// here, §1.9); then a 64 MiB region (16384 pages) is touched from CPU 0 under four policies. Each
// case starts from the same state: the previous case's process exits and gives its pages back.
// `kswapd woken` is the buddy allocator's log of kswapd wakeups (`k.buddy.wakeLog`).

// %%
const fullCases: { mode: string; nodes: number[] }[] = [
  { mode: "MPOL_DEFAULT", nodes: [] },
  { mode: "MPOL_PREFERRED", nodes: [0] },
  { mode: "MPOL_INTERLEAVE", nodes: [0, 2] },
  { mode: "MPOL_PREFERRED_MANY", nodes: [0] }, // last: it wakes node 0's kswapd, and nothing here puts it back to sleep
];
/** Runs the cases on a kernel whose node 0 has 4096 pages left above low; the kernel (256 GiB of frames) is dropped afterwards. */
function nearlyFull(): object[] {
  const full = boot(presets.twoSocketCxl(), { kernel: "v6.16" });
  const wm = full.buddy.watermarks(0);
  const hog = full.spawn({ cpu: 0 });
  const hogPages = full.topo.managedPages(0) - wm.low - 4096;
  hog.touch(hog.mmap(hogPages * PAGE), hogPages * PAGE);
  console.log(`node 0: ${full.buddy.free[0]} pages free, low watermark ${wm.low}, min ${wm.min}`);
  return fullCases.map(({ mode, nodes }) => {
    const woken = full.buddy.wakeLog.length;
    const foreign0 = full.numastat()[0]!.numa_foreign;
    const p = full.spawn({ cpu: 0 });
    const a = p.mmap("64MiB");
    p.mbind(a, "64MiB", mode, nodes);
    p.touch(a, "64MiB", { write: true });
    const row = {
      mode,
      nodes: nodes.join(",") || "–",
      ...perNode(p, a),
      "kswapd woken": full.buddy.wakeLog.slice(woken).join(",") || "none",
      "node 0 free after": full.buddy.free[0]!,
      "numa_foreign on 0": full.numastat()[0]!.numa_foreign - foreign0,
    };
    p.exit();
    return row;
  });
}
show(nearlyFull());

// %% [markdown]
// This is the effect behind the `MPOL_PREFERRED_MANY` + NUMA-balancing patch (LWN, seed 001;
// kernel-model.md §1.8):
//
// * **DEFAULT** takes the 4096 pages node 0 has above its low watermark and then moves on along
//   node 0's zonelist: the other 12288 pages go straight to the CXL expander, node 2. No kswapd
//   is woken: the fast path only fails, and wakes kswapd, when *every* node of the zonelist is
//   below low. So a nearly full DRAM node hands new, probably hot, pages to the slow tier
//   before any reclaim or demotion has started. `numa_foreign` on node 0 counts the 12288 pages
//   that wanted node 0 and got another node.
// * **PREFERRED {0}** is the same walk from the same node, with the same result.
// * **INTERLEAVE {0,2}** targets node 0 for half the pages; node 0 can give 4096 of its 8192,
//   the rest fall back from node 0 to node 2 (an interleave target is only a start node).
// * **PREFERRED_MANY {0}** runs pass 1 on node 0 alone: the low watermark fails after 4096 pages,
//   so node 0's kswapd is woken and pass 1 retries against the **min** watermark, which still
//   has room: all 16384 pages stay on DRAM, node 0 ends 12288 pages below low (but above min),
//   and kswapd is now awake to reclaim on node 0, demoting cold pages to node 2 when
//   `/sys/kernel/mm/numa/demotion_enabled` is set (§5.3). `MPOL_BIND {0}` behaves the same here
//   (its only pass is PREFERRED_MANY's pass 1); it differs when the min watermark fails too:
//   BIND reclaims on its own nodes and then OOM-kills, PREFERRED_MANY spills (pass 2).

// %% [markdown]
// ## 2. Interleaving goes by offset, not by who touches
//
// Static interleave computes a page's node from its *interleave index* (§1.3): for a private
// anonymous mapping that is the virtual page number, for shared memory (shmem, SysV shm) it is
// the inode number plus the page's offset in the object. So two processes that map the same
// SysV segment at different addresses, from CPUs on different sockets, place every page the
// same way; two processes with *private* mappings at addresses one page apart place them the
// opposite way.

// %%
const seg = k.shmget("64MiB");
const alice = k.spawn({ cpu: 0 }); // socket 0
const bob = k.spawn({ cpu: 80 }); // socket 1
const segA = alice.shmat(seg);
const segB = bob.mmap("64MiB", { file: seg, shared: true, addr: segA + PAGE }); // shmat one page higher
alice.mbind(segA, "64MiB", "MPOL_INTERLEAVE", [0, 1]); // a shared policy on the inode (§1.3 scope 1)
alice.touch(segA, "32MiB"); // pages 0-8191 faulted by alice
bob.touch(segB + (32 << 20), "32MiB"); // pages 8192-16383 faulted by bob
alice.touch(segA, "64MiB"); // map every page in both page tables: soft faults, nothing moves
bob.touch(segB, "64MiB");
const first8 = (p: Process, base: number): string => p.movePages(0, Array.from({ length: 8 }, (_, i) => base + i * PAGE), null).join(" ");
const privA = alice.mmap("64MiB");
const privB = bob.mmap("64MiB", { addr: privA + PAGE });
for (const [p, a] of [[alice, privA], [bob, privB]] as [Process, number][]) {
  p.mbind(a, "64MiB", "MPOL_INTERLEAVE", [0, 1]);
  p.touch(a, "64MiB");
}
show([
  { mapping: "SysV shm, seen by alice", address: segA.toString(16), "nodes of pages 0-7": first8(alice, segA), ...perNode(alice, segA) },
  { mapping: "SysV shm, seen by bob", address: segB.toString(16), "nodes of pages 0-7": first8(bob, segB), ...perNode(bob, segB) },
  { mapping: "private anon, alice", address: privA.toString(16), "nodes of pages 0-7": first8(alice, privA), ...perNode(alice, privA) },
  { mapping: "private anon, bob", address: privB.toString(16), "nodes of pages 0-7": first8(bob, privB), ...perNode(bob, privB) },
]);
console.log(`segment inode ${seg.ino}: page i goes to node [0,1][(${seg.ino} + i) mod 2]`);
console.log(`bob sees alice's shared policy: ${JSON.stringify(bob.getMempolicy({ addr: segB, flags: ["MPOL_F_ADDR"] }))}`);

// %% [markdown]
// The two views of the segment agree page by page, whichever process faulted the page and at
// whatever address: the index is `inode + offset`, and the inode number biases where the
// pattern starts so that different files do not all begin on the same node. The private
// mappings are one page apart in the address space, so their patterns are shifted by one.
// The policy alice installed lives on the inode, so bob's `get_mempolicy(MPOL_F_ADDR)` reports it.
//
// ### The 5:1 split over 65537 pages
//
// The weighted-interleave cover letter (calibration.md §2) ran `numactl` with weights 1:1, 5:1
// and 1:5 and read the anonymous VMA's page counts from numa_maps. The mapping is 65537 pages,
// one more than 256 MiB. In released numactl `-w` takes the node list as its own argument, so
// the command is `numactl --weighted-interleave=0,1` (or `-w 0,1`); written `-w --interleave=0,1`
// numactl reads `--interleave=0,1` as the node list and fails, and so does the simulated one.
// A fresh kernel, so the weights written here do not leak into the rest of the tour.

// %%
const kw = boot(presets.twoSocketCxl(), { kernel: "v6.16" });
const WI = "/sys/kernel/mm/mempolicy/weighted_interleave";
const measured: { weights: [number, number]; N0: number; N1: number }[] = [
  { weights: [1, 1], N0: 32768, N1: 32769 },
  { weights: [5, 1], N0: 54614, N1: 10923 },
  { weights: [1, 5], N0: 10923, N1: 54614 },
];
const eatmemAddr = 0x100005000; // vpn 0x100005: vpn mod 6 = 3, vpn odd
const splitRows = measured.map((m) => {
  kw.sysfs.write(`${WI}/node0`, m.weights[0]);
  kw.sysfs.write(`${WI}/node1`, m.weights[1]);
  const { process: eatmem } = kw.exec("numactl --weighted-interleave=0,1 ./eatmem", { cpu: 0 });
  const a = eatmem.mmap(65537 * PAGE, { addr: eatmemAddr });
  eatmem.touch(a, 65537 * PAGE, { write: true });
  const got = perNode(eatmem, a);
  eatmem.exit();
  return { weights: `${m.weights[0]}:${m.weights[1]}`, "measured N0": m.N0, "measured N1": m.N1, "simulated N0": got.N0, "simulated N1": got.N1 };
});
show(splitRows);
try {
  kw.exec("numactl -w --interleave=0,1 ./eatmem");
} catch (e) {
  if (!(e instanceof NumactlError)) throw e;
  console.log(`numactl -w --interleave=0,1 ./eatmem: exit ${e.exitCode}\n${e.stdout}${e.stderr.trim()}`);
}

// %% [markdown]
// Every row matches the measurement exactly, and the arithmetic of §1.5 says why. With weights
// 5:1 the period is 6 pages; 65537 = 10922 × 6 + 5, so 10922 × 5 = 54610 pages go to node 0 and
// 10922 to node 1, and the 5 leftover pages take five consecutive indexes of a period. The only
// node-1 slot of the period is index 5; five consecutive indexes include it unless they start
// at 0, so the leftover adds 4 pages to node 0 and 1 to node 1: 54614 / 10923. The 1:1 and 1:5
// rows pin the start down further (an odd index, and not 1): the task policy interleaves by
// the page's address, and this mapping starts at virtual page `0x100005` (index 3 of 6), one of
// the two starts that reproduce all three rows. (The heap column of the same table, 54828 /
// 10965, includes eatmem's small mallocs and is not reproduced here.)

// %% [markdown]
// ## 3. The errno table
//
// Each row below is a real call on the simulated kernel, caught as a `SyscallError`: `errno`
// and `number` are what a C program would see in `errno`; `explanation` is the rule that failed,
// which the kernel never tells you (§2.1–§2.5, §1.6 for sysfs). The cell checks each errno
// against the expected one and fails if any differs.

// %%
const ke = boot(presets.twoSocketCxl(), { kernel: "v6.16" });
const me = ke.spawn({ cpu: 0 });
const buf = me.mmap("1MiB");
me.touch(buf, "1MiB"); // 256 pages on node 0
const ilv = me.mmap("1MiB");
me.mbind(ilv, "1MiB", "MPOL_INTERLEAVE", [0, 1]);
ke.cpusets.create("/socket0", { mems: [0, 2] });
const jailed = ke.spawn({ cpu: 0, cpuset: "/socket0" });
const jbuf = jailed.mmap("1MiB");
jailed.touch(jbuf, "1MiB");
const weak = ke.spawn({ cpu: 0, capSysNice: false }); // unprivileged, and not allowed to ptrace `me`
const wbuf = weak.mmap("1MiB");
const v68 = boot(presets.twoSocketCxl(), { kernel: "v6.8" }).spawn({ cpu: 0 });
const v69 = boot(presets.twoSocketCxl(), { kernel: "v6.9" });
const v515 = boot(presets.twoSocketCxl(), { kernel: "v5.15" }).spawn({ cpu: 0 });
v515.mbind(v515.mmap("1MiB"), "1MiB", "MPOL_BIND", [0]);
const spec = presets.twoSocketCxl();
const noHmatSpec: TopologySpec = { ...spec, nodes: spec.nodes.map((n) => (n.memory ? { ...n, memory: { ...n.memory, hmat: false } } : n)) };
const noHmat = boot(noHmatSpec, { kernel: "v6.16" });
noHmat.sysfs.write(`${WI}/auto`, "0");

const badCalls: { call: string; expect: string; run: () => unknown }[] = [
  { call: "set_mempolicy(7, {0})", expect: "EINVAL", run: () => me.setMempolicy(7, [0]) },
  { call: "set_mempolicy(MPOL_WEIGHTED_INTERLEAVE, {0,2}) on v6.8", expect: "EINVAL", run: () => v68.setMempolicy("MPOL_WEIGHTED_INTERLEAVE", [0, 2]) },
  { call: "set_mempolicy(MPOL_BIND|MPOL_F_STATIC_NODES|MPOL_F_RELATIVE_NODES, {0})", expect: "EINVAL", run: () => me.setMempolicy("MPOL_BIND|MPOL_F_STATIC_NODES|MPOL_F_RELATIVE_NODES", [0]) },
  { call: "set_mempolicy(MPOL_INTERLEAVE|MPOL_F_NUMA_BALANCING, {0,1})", expect: "EINVAL", run: () => me.setMempolicy("MPOL_INTERLEAVE|MPOL_F_NUMA_BALANCING", [0, 1]) },
  { call: "set_mempolicy(MPOL_PREFERRED_MANY|MPOL_F_NUMA_BALANCING, {0}) on v6.9", expect: "EINVAL", run: () => v69.spawn({ cpu: 0 }).setMempolicy("MPOL_PREFERRED_MANY|MPOL_F_NUMA_BALANCING", [0]) },
  { call: "set_mempolicy(MPOL_DEFAULT, {0})", expect: "EINVAL", run: () => me.setMempolicy("MPOL_DEFAULT", [0]) },
  { call: "set_mempolicy(MPOL_LOCAL, {1})", expect: "EINVAL", run: () => me.setMempolicy("MPOL_LOCAL", [1]) },
  { call: "set_mempolicy(MPOL_PREFERRED|MPOL_F_STATIC_NODES, {})", expect: "EINVAL", run: () => me.setMempolicy("MPOL_PREFERRED|MPOL_F_STATIC_NODES", []) },
  { call: "set_mempolicy(MPOL_BIND, {})", expect: "EINVAL", run: () => me.setMempolicy("MPOL_BIND", []) },
  { call: "set_mempolicy(MPOL_BIND, {5})", expect: "EINVAL", run: () => me.setMempolicy("MPOL_BIND", [5]) },
  { call: "set_mempolicy(MPOL_BIND, {1}) in a cpuset with mems 0,2", expect: "EINVAL", run: () => jailed.setMempolicy("MPOL_BIND", [1]) },
  { call: "set_mempolicy(MPOL_BIND, {0}, maxnode=32770)", expect: "EINVAL", run: () => me.setMempolicy("MPOL_BIND", [0], { maxnode: 32770 }) },
  { call: "mbind(buf+1, 4096, MPOL_BIND, {0}, 0)", expect: "EINVAL", run: () => me.mbind(buf + 1, PAGE, "MPOL_BIND", [0]) },
  { call: "mbind(buf, 4096, MPOL_BIND, {0}, MPOL_MF_LAZY)", expect: "EINVAL", run: () => me.mbind(buf, PAGE, "MPOL_BIND", [0], ["MPOL_MF_LAZY"]) },
  { call: "mbind(buf, 2MiB, MPOL_BIND, {0}, 0), 1 MiB mapped", expect: "EFAULT", run: () => me.mbind(buf, "2MiB", "MPOL_BIND", [0]) },
  { call: "mbind(buf, 1MiB, MPOL_BIND, {2}, MPOL_MF_STRICT), pages on node 0", expect: "EIO", run: () => me.mbind(buf, "1MiB", "MPOL_BIND", [2], ["MPOL_MF_STRICT"]) },
  { call: "mbind(wbuf, 1MiB, MPOL_BIND, {2}, MPOL_MF_MOVE_ALL) unprivileged", expect: "EPERM", run: () => weak.mbind(wbuf, "1MiB", "MPOL_BIND", [2], ["MPOL_MF_MOVE_ALL"]) },
  { call: "get_mempolicy(&mode, NULL, 0, 0, 8)", expect: "EINVAL", run: () => me.getMempolicy({ flags: 8, nmask: false }) },
  { call: "get_mempolicy(&mode, nmask, 2, 0, 0)", expect: "EINVAL", run: () => me.getMempolicy({ maxnode: 2 }) },
  { call: "get_mempolicy(..., 0, MPOL_F_MEMS_ALLOWED|MPOL_F_NODE)", expect: "EINVAL", run: () => me.getMempolicy({ flags: ["MPOL_F_MEMS_ALLOWED", "MPOL_F_NODE"] }) },
  { call: "get_mempolicy(..., buf, 0)", expect: "EINVAL", run: () => me.getMempolicy({ addr: buf }) },
  { call: "get_mempolicy(..., 0x1000, MPOL_F_ADDR)", expect: "EFAULT", run: () => me.getMempolicy({ addr: 0x1000, flags: ["MPOL_F_ADDR"] }) },
  { call: "get_mempolicy(..., 0, MPOL_F_NODE), no interleave task policy", expect: "EINVAL", run: () => me.getMempolicy({ flags: ["MPOL_F_NODE"] }) },
  { call: "set_mempolicy_home_node(buf, 1MiB, 1, 1)", expect: "EINVAL", run: () => me.setMempolicyHomeNode(buf, "1MiB", 1, 1) },
  { call: "set_mempolicy_home_node(buf, 1MiB, 1, 0), no VMA policy", expect: "ENOENT", run: () => me.setMempolicyHomeNode(buf, "1MiB", 1, 0) },
  { call: "set_mempolicy_home_node(ilv, 1MiB, 1, 0), interleave VMA", expect: "EOPNOTSUPP", run: () => me.setMempolicyHomeNode(ilv, "1MiB", 1, 0) },
  { call: "set_mempolicy_home_node(...) on v5.15", expect: "ENOSYS", run: () => v515.setMempolicyHomeNode(v515.mm.vmas[0]!.start * PAGE, "1MiB", 1, 0) },
  { call: "migrate_pages(99999, ..., {0}, {1})", expect: "ESRCH", run: () => me.migratePages(99999, [0], [1]) },
  { call: "migrate_pages(0, ..., {0}, {1}) in a cpuset with mems 0,2", expect: "EINVAL", run: () => jailed.migratePages(0, [0], [1]) },
  { call: `migrate_pages(${me.pid}, ..., {0}, {2}) from another user`, expect: "EPERM", run: () => weak.migratePages(me.pid, [0], [2]) },
  { call: `move_pages(${me.pid}, 1, {buf}, {2}, ..., 0) from another user`, expect: "EPERM", run: () => weak.movePages(me.pid, [buf], [2]) },
  { call: "move_pages(0, 1, {wbuf}, {2}, ..., MPOL_MF_MOVE_ALL) unprivileged", expect: "EPERM", run: () => weak.movePages(0, [wbuf], [2], ["MPOL_MF_MOVE_ALL"]) },
  { call: "move_pages(0, 1, {buf}, {1}, ..., 8)", expect: "EINVAL", run: () => me.movePages(0, [buf], [1], 8) },
  { call: "move_pages(0, 1, {buf}, {5}, ..., 0)", expect: "ENODEV", run: () => me.movePages(0, [buf], [5]) },
  { call: "move_pages(0, 1, {jbuf}, {1}, ..., 0) in a cpuset with mems 0,2", expect: "EACCES", run: () => jailed.movePages(0, [jbuf], [1]) },
  { call: 'write(".../weighted_interleave/node1", "0")', expect: "EINVAL", run: () => ke.sysfs.write(`${WI}/node1`, 0) },
  { call: 'write(".../weighted_interleave/auto", "maybe")', expect: "EINVAL", run: () => ke.sysfs.write(`${WI}/auto`, "maybe") },
  { call: 'write(".../weighted_interleave/auto", "1"), no HMAT', expect: "ENODEV", run: () => noHmat.sysfs.write(`${WI}/auto`, "1") },
  { call: 'open(".../weighted_interleave/auto") on v6.9', expect: "ENOENT", run: () => v69.sysfs.read(`${WI}/auto`) },
];
const errnoRows = badCalls.map(({ call, expect, run }) => {
  try {
    run();
    return { call, errno: "(no error)", number: 0, explanation: "", expected: expect };
  } catch (e) {
    if (!(e instanceof SyscallError)) throw e;
    return { call, errno: e.errno, number: e.code, explanation: e.explanation, expected: expect };
  }
});
tslab.display.html(aq.from(errnoRows).select("call", "errno", "number", "explanation").toHTML());
const wrong = errnoRows.filter((r) => r.errno !== r.expected);
if (wrong.length > 0) throw new Error(`unexpected errno: ${JSON.stringify(wrong)}`);
console.log(`${errnoRows.length} calls, every errno as expected`);

// %% [markdown]
// A few rows deserve a second look:
//
// * **EIO from mbind** is the only errno that depends on memory contents: with `MPOL_MF_STRICT`
//   and no `MOVE` flag, one present page outside the new mask fails the call, and the policy is
//   *not* installed (§2.3 step 7). Add `MPOL_MF_MOVE` and the same call moves the pages instead.
// * **set_mempolicy(MPOL_BIND, {1}) in a cpuset** fails although node 1 exists and has memory:
//   the mask is intersected with the cpuset's mems first, and `{1} ∩ {0,2}` is empty (§2.1).
// * **Versions**: the same call is valid on one kernel and EINVAL on another. Mode 6 is beyond
//   `MPOL_MAX` before v6.9, `MPOL_F_NUMA_BALANCING` with PREFERRED_MANY before v6.10 (both
//   EINVAL), `set_mempolicy_home_node` does not exist before v5.17 (ENOSYS), the `auto` file not
//   before v6.16 (ENOENT).
// * **EOPNOTSUPP vs ENOENT** from `set_mempolicy_home_node`: a VMA whose policy is not BIND or
//   PREFERRED_MANY is an error, a range with no VMA policy at all is "nothing to do" (§2.5).
// * **move_pages to a node outside the cpuset** is EACCES for the whole call, while a page that is
//   shared or not present only gets a negative per-page status (§2.5).
// * **"from another user"**: the simulated kernel has no user ids. A process spawned with
//   `capSysNice: false` stands for one that has neither CAP_SYS_NICE nor ptrace rights over the
//   target; on Linux a process of the *same* user passes the ptrace check, and then
//   `migrate_pages` is EPERM only if the new nodes leave the target's cpuset.

// %% [markdown]
// ## 4. Cpuset rebinding
//
// A job runs in a cpuset with mems `{0,2}` (socket 0 and its expander). The admin moves it to
// socket 1: mems `{1,3}`, and later widens it to every node, `{0-3}`. What happens to each
// task policy depends on the mode and on the mode flags (§2.6 table):
//
// * no flag: **positional remap**, the i-th node of the old mems becomes the i-th node of the new;
// * `MPOL_F_STATIC_NODES`: the user's mask intersected with the new mems, all new mems if empty;
// * `MPOL_F_RELATIVE_NODES`: the user's mask is a list of *ordinals* into the mems;
// * PREFERRED and PREFERRED_MANY: not remapped at all (the admin guide's "the preferred node is
//   remapped" is stale, §2.7).
//
// `get_mempolicy` columns are what the task reads back; `in force` is the nodemask the kernel
// allocates with (`p.policy.nodes`). They differ for STATIC and RELATIVE, where get_mempolicy
// returns the mask the user passed.

// %%
const kc = boot(presets.twoSocketCxl(), { kernel: "v6.16" });
kc.cpusets.create("/job", { mems: [0, 2] });
const jobPolicies: { label: string; mode: string; nodes: number[] }[] = [
  { label: "BIND {2}", mode: "MPOL_BIND", nodes: [2] },
  { label: "BIND|STATIC {2}", mode: "MPOL_BIND|MPOL_F_STATIC_NODES", nodes: [2] },
  { label: "BIND|RELATIVE {1}", mode: "MPOL_BIND|MPOL_F_RELATIVE_NODES", nodes: [1] },
  { label: "INTERLEAVE {0,2}", mode: "MPOL_INTERLEAVE", nodes: [0, 2] },
  { label: "PREFERRED {2}", mode: "MPOL_PREFERRED", nodes: [2] },
];
const jobTasks = jobPolicies.map((j) => {
  const t = kc.spawn({ cpu: 0, cpuset: "/job" });
  t.setMempolicy(j.mode, j.nodes);
  return t;
});
const seen = (t: Process): { get: string; force: string } => ({ get: t.getMempolicy().nodes.join(",") || "–", force: (t.policy?.nodes ?? []).join(",") });
/** Where a fresh 4 MiB region of the task lands now. */
const landsOn = (t: Process): string => {
  const a = t.mmap("4MiB");
  t.touch(a, "4MiB");
  return Object.entries(perNode(t, a)).filter(([, v]) => v > 0).map(([n, v]) => `${n}=${v}`).join(" ");
};
const stage0 = jobTasks.map(seen);
kc.cpusets.setMems("/job", [1, 3]);
const stage1 = jobTasks.map(seen);
const lands1 = jobTasks.map(landsOn);
kc.cpusets.setMems("/job", [0, 1, 2, 3]);
const stage2 = jobTasks.map(seen);
show(
  jobPolicies.map((j, i) => ({
    policy: j.label,
    "get_mempolicy @0,2": stage0[i]!.get,
    "in force @0,2": stage0[i]!.force,
    "get_mempolicy @1,3": stage1[i]!.get,
    "in force @1,3": stage1[i]!.force,
    "4 MiB lands @1,3": lands1[i]!,
    "get_mempolicy @0-3": stage2[i]!.get,
    "in force @0-3": stage2[i]!.force,
  })),
);

// %% [markdown]
// Row by row, from the rules:
//
// * **BIND {2}**: node 2 is the 2nd node of `{0,2}`, so it becomes the 2nd node of `{1,3}`, node
//   3; then node 3 is the 2nd of `{1,3}` and becomes the 2nd of `{0,1,2,3}`: node **1**. Two moves
//   and the policy ends on a node nobody named. The remap follows positions, not identities.
// * **BIND|STATIC {2}**: `{2} ∩ {1,3}` is empty, so all new mems `{1,3}` are used; the 4 MiB go to
//   node 1, the first of them in node 0's zonelist. Widened to `{0-3}`, node 2 is allowed again
//   and the policy is back to `{2}`. get_mempolicy reports `{2}` throughout.
// * **BIND|RELATIVE {1}**: "the second node of whatever the cpuset has": node 2, then node 3,
//   then node 1.
// * **INTERLEAVE {0,2}**: positional, `{0,2}` → `{1,3}` → `{0,1}`; the 4 MiB (1024 pages) split
//   512/512.
// * **PREFERRED {2}**: never remapped. In `{1,3}` node 2 is not allowed, so the allocation walks
//   node 2's zonelist `2 0 1 3` skipping disallowed nodes: node 1.
//
// ### memory_migrate
//
// Rebinding changes where *new* pages go. With `cpuset.memory_migrate` set, the pages already
// allocated move too, with the same positional map old mems → new mems (§2.6). Two identical
// jobs, interleaved over `{0,2}`, are moved to `{1,3}`; only the second cpuset migrates.

// %%
kc.cpusets.create("/stay", { mems: [0, 2] });
kc.cpusets.create("/follow", { mems: [0, 2], memoryMigrate: true });
const migRows = ["/stay", "/follow"].map((path) => {
  const t = kc.spawn({ cpu: 0, cpuset: path });
  const a = t.mmap("64MiB");
  t.mbind(a, "64MiB", "MPOL_INTERLEAVE", [0, 2]);
  t.touch(a, "64MiB");
  const before = perNode(t, a);
  const migrated = kc.vmstat().pgmigrate_success;
  kc.cpusets.setMems(path, [1, 3]);
  return {
    cpuset: path,
    memory_migrate: kc.cpusets.get(path).memoryMigrate,
    before: JSON.stringify(before),
    after: JSON.stringify(perNode(t, a)),
    pgmigrate_success: kc.vmstat().pgmigrate_success - migrated,
    "VMA policy after": mapsLine(t, a).split(" ")[1]!,
  };
});
show(migRows);

// %% [markdown]
// Both jobs' VMA policies were rebound to `interleave:1,3`, but only `/follow` moved its 16384
// pages: node 0's pages to node 1 and node 2's to node 3. The `/stay` job keeps all its pages on
// nodes its cpuset no longer allows; nothing in the kernel moves them until something migrates
// them (`migrate_pages`, `mbind(MPOL_MF_MOVE)`, NUMA balancing).

// %% [markdown]
// ## 5. Weighted-interleave weights: `auto` and by hand
//
// The weights live in `/sys/kernel/mm/mempolicy/weighted_interleave/nodeN`, one file per memory
// node, and since v6.16 an `auto` file (§1.6). At boot, firmware (HMAT) reports each node's
// bandwidth from its nearest CPU node; the kernel keeps `bw = min(read, write)` and, in auto
// mode, scales each node's share of the total to 32 and divides by the GCD. The cell reads the
// sysfs files and redoes the reduction by hand from the reported bandwidths.

// %%
const ka = boot(presets.twoSocketCxl(), { kernel: "v6.16" });
const readWeights = (kern: Kernel): Record<string, string> => Object.fromEntries(NODES.map((n) => [`node${n}`, kern.sysfs.read(`${WI}/node${n}`)]));
const bw = ka.weights.bandwidth()!;
const S = NODES.reduce((s, n) => s + bw.get(n)!, 0);
const raw = NODES.map((n) => (bw.get(n)! > 0 && S < 32 * bw.get(n)! ? Math.floor((32 * bw.get(n)!) / S) : 1));
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const g = raw.reduce(gcd);
show(
  NODES.map((n, i) => ({
    node: n,
    "bandwidth MB/s": bw.get(n)!,
    "32·bw/S": ((32 * bw.get(n)!) / S).toFixed(3),
    "by hand": raw[i]! / g,
    sysfs: ka.sysfs.read(`${WI}/node${n}`),
  })),
);
console.log(`auto = ${ka.sysfs.read(`${WI}/auto`)}, S = ${S} MB/s, gcd = ${g}`);

// %% [markdown]
// The sockets report 208.5 GB/s (the calibrated STREAM Triad bandwidth). An expander reports
// 24.0 GB/s: the device itself does 24.5 GB/s both ways, but seen from its socket the write
// direction of the CXL link carries only 24.01 GB/s, and the kernel keeps the minimum of read
// and write. Each expander holds 5.2% of the total bandwidth, 1.65 in units of 1/32: floor
// gives 1, next to 14 for each socket. An expander thus gets 1 page in 30 of a
// `--weighted-interleave=0-3` task, 3.3% of its pages for 5.2% of the bandwidth. `auto` weighs
// bandwidth only, and rounds down.
//
// Now an admin writes weights by hand: 3 for the sockets, 1 for the expanders. The first write
// switches `auto` to `false` (§1.6); a 64 MiB region interleaved over `{0,2}` afterwards splits
// 3:1. Switching `auto` back on recomputes the weights from the stored bandwidths at once. Weights
// only ever affect new allocations: the region touched under 3:1 keeps its pages.

// %%
const admin = ka.spawn({ cpu: 0 });
const weightRows: object[] = [{ step: "boot (v6.16)", auto: ka.sysfs.read(`${WI}/auto`), ...readWeights(ka), "64 MiB over {0,2}": "" }];
for (const [n, w] of [[0, 3], [1, 3], [2, 1], [3, 1]]) ka.sysfs.write(`${WI}/node${n}`, w!);
const manual = admin.mmap("64MiB");
admin.mbind(manual, "64MiB", "MPOL_WEIGHTED_INTERLEAVE", [0, 2]);
admin.touch(manual, "64MiB");
const manualSplit = perNode(admin, manual);
weightRows.push({ step: "echo 3/3/1/1 > nodeN", auto: ka.sysfs.read(`${WI}/auto`), ...readWeights(ka), "64 MiB over {0,2}": `N0=${manualSplit.N0} N2=${manualSplit.N2}` });
ka.sysfs.write(`${WI}/auto`, "1");
const later = admin.mmap("64MiB");
admin.mbind(later, "64MiB", "MPOL_WEIGHTED_INTERLEAVE", [0, 2]);
admin.touch(later, "64MiB");
const autoSplit = perNode(admin, later);
weightRows.push({ step: "echo 1 > auto", auto: ka.sysfs.read(`${WI}/auto`), ...readWeights(ka), "64 MiB over {0,2}": `N0=${autoSplit.N0} N2=${autoSplit.N2}` });
const oldK = boot(presets.twoSocketCxl(), { kernel: "v6.9" });
weightRows.push({ step: "boot (v6.9)", auto: "(no file)", ...readWeights(oldK), "64 MiB over {0,2}": "" });
show(weightRows);
const stillThere = perNode(admin, manual);
console.log(`3:1 region after auto was switched back on: N0=${stillThere.N0} N2=${stillThere.N2} (unchanged)`);
for (const [label, a, w0, got] of [["3:1", manual, 3, manualSplit], ["14:1", later, 14, autoSplit]] as [string, number, number, Record<string, number>][]) {
  const hand = weightedSplit(a / PAGE, 16384, [0, 2], (n) => (n === 0 ? w0 : 1));
  console.log(`by hand, ${label} from vpn 0x${(a / PAGE).toString(16)} (index ${(a / PAGE) % (w0 + 1)} of ${w0 + 1}): N0=${hand.N0} N2=${hand.N2}`);
  if (JSON.stringify(hand) !== JSON.stringify(got)) throw new Error(`${label} split differs from §1.5: ${JSON.stringify(got)}`);
}
if (JSON.stringify(stillThere) !== JSON.stringify(manualSplit)) throw new Error("weights moved existing pages");

// %% [markdown]
// * Under 3:1, 16384 pages are exactly 4096 periods of 4: 12288 on node 0, 4096 on node 2.
// * Under 14:1 over `{0,2}` only the weights of the nodes in the mask count: a 15-page period,
//   16384 = 1092 × 15 + 4, and where the 4 leftover pages fall depends on the region's first
//   virtual page, as the by-hand line shows.
// * A v6.9 kernel has weighted interleave but no `auto`: every weight reads 1 until an admin
//   writes one, so `--weighted-interleave` behaves as plain interleave out of the box.
//
// What this notebook did not show: reclaim and demotion after kswapd wakes, and NUMA balancing
// moving pages after first touch. Those are the kernel's own activity over time (`k.advance()`),
// the subject of the later notebooks.
