/**
 * change_prot_numa over one chunk of a VMA (kernel-model.md §4.4): which present pages are made
 * PROT_NONE, the counters, the tiering scan time, and the hinting fault each marked page will
 * take (scheduled from the access model, DESIGN.md decision 2). A 2 MiB THP folio (PG_THP) is
 * one PMD: marked once, counted 512 in numa_pte_updates and 1 in numa_huge_pte_updates.
 */
import { hasPrivateOp } from "../../topology/private.js";
import type { KernelTopology } from "../../topology/types.js";
import { PG_DIRTY, PG_FILE, PG_THP } from "../frames.js";
import type { Process } from "../process.js";
import type { Vma } from "../vma.js";
import type { NumabColumns } from "./columns.js";
import { NUMAB_NORMAL, NUMAB_TIERING } from "./knobs.js";
import type { NumaBalancing } from "./numab.js";

/** What one chunk did. */
export interface ChunkResult {
  /** Base pages whose PTE (or PMD, 512 each) was made PROT_NONE. */
  ptes: number;
  /** PTE/PMD writes, the unit the CPU cost is charged in. */
  writes: number;
}

/**
 * Marks [s, e) (vpns) of `v` for task `p` under `mode` (kernel.numa_balancing bits).
 *
 * @example
 * markChunk(k.numab, p, vma, vma.start, vma.start + 512, 1, numabColumns(k.frames)) // { ptes: 512, writes: 512 }
 */
export function markChunk(nb: NumaBalancing, p: Process, v: Vma, s: number, e: number, mode: number, c: NumabColumns): ChunkResult {
  const k = nb.kernel;
  const fr = k.frames;
  const node = fr.node;
  const flags = fr.flags;
  const mapcount = fr.mapcount;
  const topo = k.topo;
  const now = k.clock.nowNs;
  const nowMs = now / 1e6;
  // VM_SHARED mappings are never COW; private ones are (§4.4).
  const cow = v.kind === "anon" || v.kind === "file-private";
  const skipPinnedAll = k.behaviours.pinnedScanSkip === "all";
  // "already on the task's node when the VMA is private and the mm is single-threaded" (§4.4).
  const localNode = cow && p.mm.users === 1 ? p.cpuNode : -1;
  const normal = (mode & NUMAB_NORMAL) !== 0;
  const tiering = (mode & NUMAB_TIERING) !== 0;
  const noScan = unscannedNodes(topo);
  const toptier = toptierNodes(topo);
  const out: ChunkResult = { ptes: 0, writes: 0 };
  let huge = 0;
  for (let x = s; x < e; x++) {
    const f = v.frame(x - v.start);
    if (f <= 0) continue; // not present, or the zero page
    const thp = (flags[f]! & PG_THP) !== 0;
    let nr = 1;
    if (thp) {
      // A THP folio is entered at its PMD-aligned head (chunks end on 2 MiB boundaries).
      if (x % 512 !== 0 || x + 512 > v.end) continue;
      nr = 512;
    }
    const last = x + nr - 1;
    if (c.token[f] !== 0) {
      x = last;
      continue; // already PROT_NONE: not re-counted
    }
    const n = node[f]!;
    const pinned = thp ? anyPinned(v, x, c.pins) : c.pins[f]! > 0;
    // Before the unconditional skip, only change_pte_range tested pins (in COW mappings);
    // change_huge_pmd had no pin test at all, so a pinned PMD-mapped THP was marked anywhere
    // (§4.4; the PMD path took the common folio checks in the same Oct 2025 series).
    const skip =
      (cow && mapcount[f]! > 1) ||
      (pinned && (skipPinnedAll || (cow && !thp))) ||
      ((flags[f]! & (PG_FILE | PG_DIRTY)) === (PG_FILE | PG_DIRTY) && v.kind === "file-shared") ||
      n === localNode ||
      noScan[n] === 1 ||
      (!normal && toptier[n] === 1);
    if (skip) {
      x = last;
      continue;
    }
    const token = nb.nextToken();
    c.token[f] = token;
    c.markVpn[f] = x;
    c.markPid[f] = p.pid;
    if (tiering && toptier[n] !== 1) {
      // The folio's last_cpupid holds the scan time in tiering mode (§4.1, §5.4 step 3).
      c.scanTimeMs[f] = nowMs;
      c.lastCpu[f] = -1;
    }
    // A pinned folio can never migrate: this MMU invalidation is wasted (seed 004).
    if (pinned) nb.pinnedInvalidations += nr;
    out.ptes += nr;
    out.writes += 1;
    if (thp) huge++;
    const delay = thp ? folioDelay(nb, v, x) : k.access.nextAccessDelayNs(f, now, nb.draw(f, now));
    if (delay !== Infinity) k.clock.after(delay, nb.faultKind, f, token);
    x = last;
  }
  if (out.ptes > 0) {
    k.stats.add("numa_pte_updates", p.cpuNode, out.ptes);
    if (huge) k.stats.add("numa_huge_pte_updates", p.cpuNode, huge);
  }
  return out;
}

function anyPinned(v: Vma, x: number, pins: Uint16Array): boolean {
  for (let i = 0; i < 512; i++) if (pins[v.frame(x - v.start + i)]! > 0) return true;
  return false;
}

/** The first access to any base page of a THP folio: the minimum of their next accesses. */
function folioDelay(nb: NumaBalancing, v: Vma, x: number): number {
  const k = nb.kernel;
  let d = Infinity;
  for (let i = 0; i < 512; i++) d = Math.min(d, k.access.nextAccessDelayNs(v.frame(x - v.start + i), k.clock.nowNs, nb.draw(v.frame(x - v.start + i), k.clock.nowNs)));
  return d;
}

const UNSCANNED: WeakMap<KernelTopology, Uint8Array> = new WeakMap();

/**
 * Per node id: 1 for private nodes without NP_OPS_NUMA_BALANCING, whose folios
 * change_prot_numa leaves alone (RFC v4 patch 18, kernel-model.md §6.1): never made PROT_NONE,
 * so never hinting-faulted, counted or promoted from. Cached per derived topology.
 */
function unscannedNodes(topo: KernelTopology): Uint8Array {
  let m = UNSCANNED.get(topo);
  if (!m) {
    m = new Uint8Array(Math.max(0, ...topo.nodeIds) + 1);
    for (const n of topo.privateNodes) if (!hasPrivateOp(topo, n, "NUMA_BALANCING")) m[n] = 1;
    UNSCANNED.set(topo, m);
  }
  return m;
}

const TOPTIER: WeakMap<KernelTopology, Uint8Array> = new WeakMap();

/**
 * Per node id: 1 where topo.isToptier(node) holds, so markChunk tests a byte per page instead
 * of calling it. A derived topology never changes (hotplug derives a new one), so its answers
 * are cached per topology like unscannedNodes. Only nodes in topo.nodeIds are filled: a
 * frame's node is always one of them.
 */
function toptierNodes(topo: KernelTopology): Uint8Array {
  let m = TOPTIER.get(topo);
  if (!m) {
    m = new Uint8Array(Math.max(0, ...topo.nodeIds) + 1);
    for (const n of topo.nodeIds) if (topo.isToptier(n)) m[n] = 1;
    TOPTIER.set(topo, m);
  }
  return m;
}
