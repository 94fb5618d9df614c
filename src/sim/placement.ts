/**
 * First touch and where pages ended up. Touching goes through the machine layer's fault path
 * (policy resolution, node choice, buddy allocator); reading placement back is one pass over
 * the page-table slots, writing one Int16Array of nodes per region: nothing per page beyond
 * typed arrays.
 */
import type { Warnings } from "../core/warnings.js";
import { PG_ANON } from "../kernel/frames.js";
import { ZERO_PAGE } from "../kernel/objects.js";
import { OomKilledError } from "../kernel/signals.js";
import { PAGE_SIZE } from "../core/units.js";
import type { MachineProcess, MappedRegion } from "./machine.js";
import type { Kernel } from "../kernel/kernel.js";

/**
 * Node value of a page slot that holds no page.
 *
 * @example
 * regionPageNodes(k, proc, region).indexOf(ABSENT) // -1 once every page is present
 */
export const ABSENT = -1;

/**
 * The node of every page of a region, ABSENT where none is present.
 *
 * @example
 * regionPageNodes(k, proc, region) // Int16Array(786432) [0, 0, ..., 1, ...]
 */
export function regionPageNodes(k: Kernel, proc: MachineProcess, region: MappedRegion): Int16Array {
  const out = new Int16Array(region.pages).fill(ABSENT);
  const start = region.addr / PAGE_SIZE;
  const end = start + region.pages;
  const frameNode = k.frames.node;
  const zeroNode = k.topo.memoryNodes[0]!;
  for (const v of proc.process.mm.overlapping(start, end)) {
    const a = Math.max(start, v.start);
    const b = Math.min(end, v.end);
    // Separate tight loops per mapping kind: one typed-array read per page, no branches on the kind.
    if (v.anon) copyNodes(out, a - start, v.anon.pages, v.anonOff + a - v.start, b - a, frameNode, zeroNode);
    if (v.file) copyMappedNodes(out, a - start, v.file.pages, v.filePgoff + a - v.start, v.mapped!, a - v.start, b - a, frameNode);
  }
  return out;
}

function copyNodes(out: Int16Array, at: number, frames: Int32Array, from: number, n: number, frameNode: Int16Array, zeroNode: number): void {
  for (let i = 0; i < n; i++) {
    const f = frames[from + i]!;
    out[at + i] = f > 0 ? frameNode[f]! : f === ZERO_PAGE ? zeroNode : ABSENT;
  }
}

/** Shared-object pages fill only the slots that have no anonymous (COW) page already. */
function copyMappedNodes(out: Int16Array, at: number, frames: Int32Array, from: number, mapped: Uint8Array, mappedFrom: number, n: number, frameNode: Int16Array): void {
  for (let i = 0; i < n; i++) {
    if (out[at + i] !== ABSENT || mapped[mappedFrom + i] === 0) continue;
    const f = frames[from + i]!;
    if (f > 0) out[at + i] = frameNode[f]!;
  }
}

/**
 * Pages per node of a region (index = node id), straight from the page-table slots: the pass
 * that uniform patterns (STREAM, scans) need, without materialising the node of every page.
 *
 * @example
 * regionNodeCounts(k, proc, region)[1] // 78643
 */
export function regionNodeCounts(k: Kernel, proc: MachineProcess, region: MappedRegion): Float64Array {
  const counts = new Float64Array(MAX_NODES);
  const start = region.addr / PAGE_SIZE;
  const end = start + region.pages;
  const frameNode = k.frames.node;
  for (const v of proc.process.mm.overlapping(start, end)) {
    const a = Math.max(start, v.start);
    const b = Math.min(end, v.end);
    if (v.file) {
      // Shared objects and COW: resolve page by page, rarely on the hot path of a sweep.
      const nodes = new Int16Array(b - a).fill(ABSENT);
      if (v.anon) copyNodes(nodes, 0, v.anon.pages, v.anonOff + a - v.start, b - a, frameNode, k.topo.memoryNodes[0]!);
      copyMappedNodes(nodes, 0, v.file.pages, v.filePgoff + a - v.start, v.mapped!, a - v.start, b - a, frameNode);
      addCounts(counts, nodes);
    } else if (v.anon) countAnon(counts, v.anon.pages, v.anonOff + a - v.start, b - a, frameNode, k.topo.memoryNodes[0]!);
  }
  return counts;
}

function countAnon(counts: Float64Array, frames: Int32Array, from: number, n: number, frameNode: Int16Array, zeroNode: number): void {
  // Count runs in locals and flush when the node changes: incrementing counts[node] page by page
  // chains every page through one memory slot, which costs several times the loop itself.
  let node = ABSENT;
  let run = 0;
  for (let i = 0; i < n; i++) {
    const f = frames[from + i]!;
    const x = f > 0 ? frameNode[f]! : f === ZERO_PAGE ? zeroNode : ABSENT;
    if (x === node) run++;
    else {
      if (node >= 0) counts[node] += run;
      node = x;
      run = 1;
    }
  }
  if (node >= 0) counts[node] += run;
}

function addCounts(counts: Float64Array, nodes: Int16Array): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n >= 0) counts[n]++;
  }
}

/**
 * Pages per node of a page-node array (index = node id).
 *
 * @example
 * nodeCounts(new Int16Array([0, 0, 1]))[1] // 1
 */
export function nodeCounts(nodes: Int16Array): Float64Array {
  const counts = new Float64Array(MAX_NODES);
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n >= 0) counts[n]++;
  }
  return counts;
}

/**
 * Node ids index the count arrays; Linux's MAX_NUMNODES on x86-64 defconfigs is 1024.
 *
 * @example
 * new Float64Array(MAX_NODES) // pages per node id
 */
export const MAX_NODES = 1024;

function anonPerNode(k: Kernel): Float64Array {
  const out = new Float64Array(MAX_NODES);
  for (const n of k.topo.memoryNodes) out[n] = k.frames.countOf(PG_ANON, n);
  return out;
}

function anonDelta(k: Kernel, before: Float64Array): Float64Array {
  const after = anonPerNode(k);
  for (const n of k.topo.memoryNodes) after[n] = after[n]! - before[n]!;
  return after;
}

/**
 * Faults a region in (writes for anon and shmem, as programs initialise their data; reads for
 * files, which fill the page cache) and records its page nodes. An OOM kill of the process is
 * a warning and leaves it dead; the run goes on.
 *
 * @example
 * touchRegion(k, proc, proc.regions[0], ["workload", "processes", 0], warnings);
 */
export function touchRegion(k: Kernel, proc: MachineProcess, region: MappedRegion, path: readonly (string | number)[], warnings: Warnings): void {
  if (!proc.alive || region.touched) return;
  const anonBefore = anonPerNode(k);
  const oomsBefore = k.oomKills.length;
  try {
    proc.process.touch(region.addr, region.pages * PAGE_SIZE, { write: region.spec.kind !== "file" });
  } catch (e) {
    if (!(e instanceof OomKilledError)) throw e;
    proc.alive = false;
    warnings.add("oom_kill", path, `process "${proc.spec.name}" was OOM-killed while touching region "${region.spec.name}": ${e.message}`);
  }
  region.touched = true;
  // Page nodes only when a non-uniform pattern asks for them (traffic.ts); counts always.
  region.nodes = null;
  // A private anonymous region's first touch allocates exactly its own pages, so the kernel's
  // per-node anon counters moved by its placement: O(nodes) instead of a pass over its pages.
  // Shared objects (possibly faulted by another process already) and OOM kills need the pass.
  const clean = region.spec.kind === "anon" && proc.alive && k.oomKills.length === oomsBefore;
  region.counts = clean ? anonDelta(k, anonBefore) : regionNodeCounts(k, proc, region);
}
