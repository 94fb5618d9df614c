/**
 * Bulk allocation under an interleaving task policy (alloc_pages_bulk_mempolicy,
 * kernel-model.md §1.7): how many pages each node is asked for, in call order, and how the
 * task's round-robin state moves. vmalloc and other bulk callers use this.
 */
import { interleaveNodes, weightOf, type TaskInterleave, type WeightSource } from "./interleave.js";
import { MAX_NUMNODES, nextNodeIn } from "./nodemask.js";
import type { Nodemask } from "./types.js";

/** One bulk call: [node, pages obtained]. */
export type BulkSplit = readonly (readonly [node: number, pages: number])[];

/**
 * Allocates `count` pages on `node` and returns how many it got; default: all of them.
 * Lets the caller model full nodes (the kernel then just returns fewer pages).
 */
export type BulkAllocate = (node: number, count: number) => number;

const all: BulkAllocate = (_node, count) => count;

/**
 * INTERLEAVE bulk split (§1.7): per = N / k, extra = N mod k; k calls, each advancing the task
 * round-robin, the first `extra` calls asking for one page more. Calls that ask for 0 pages
 * still advance the round-robin; they are left out of the result.
 *
 * @example
 * bulkInterleaveSplit([0, 1, 2], 10, new InterleaveState()); // [[0, 4], [1, 3], [2, 3]]
 */
export function bulkInterleaveSplit(nodes: Nodemask, count: number, state: TaskInterleave, allocate: BulkAllocate = all): BulkSplit {
  const k = nodes.length;
  if (k === 0 || count <= 0) return [];
  const per = Math.floor(count / k);
  let extra = count - per * k;
  const out: [number, number][] = [];
  for (let i = 0; i < k; i++) {
    const node = interleaveNodes(nodes, state);
    const ask = per + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    if (ask > 0) out.push([node, allocate(node, ask)]);
  }
  return out;
}

/**
 * WEIGHTED_INTERLEAVE bulk split (§1.7): first use up ilWeight on ilPrev (if still in the
 * mask); then rounds = rem / total weight and delta = rem mod total; walk the nodes after
 * ilPrev once, giving each weight*rounds plus what is left of delta; record where the next
 * allocation resumes (node and its remaining weight) in the state. Stops early once every page
 * was obtained, like the kernel.
 *
 * @example
 * const s = new InterleaveState();
 * bulkWeightedInterleaveSplit([0, 1], 13, s, (n) => (n === 0 ? 5 : 1)); // [[0, 11], [1, 2]]
 * [s.ilPrev, s.ilWeight]; // [0, 4]
 */
export function bulkWeightedInterleaveSplit(
  nodes: Nodemask,
  count: number,
  state: TaskInterleave,
  weights?: WeightSource,
  allocate: BulkAllocate = all,
): BulkSplit {
  if (count <= 0 || nodes.length === 0) return [];
  const out: [number, number][] = [];
  let rem = count;
  let total = 0;
  const prevInMask = nodes.includes(state.ilPrev);
  if (state.ilWeight > 0 && prevInMask) {
    const ask = Math.min(rem, state.ilWeight);
    const got = allocate(state.ilPrev, ask);
    out.push([state.ilPrev, got]);
    total += got;
    if (rem <= state.ilWeight) {
      state.ilWeight -= rem;
      return out;
    }
    rem -= state.ilWeight;
  }
  // Cleared first so a failed allocation below does not leave a stale run behind.
  state.ilWeight = 0;
  let prev = state.ilPrev;
  const w = (n: number): number => weightOf(weights, n);
  const weightTotal = nodes.reduce((s, n) => s + w(n), 0);
  const rounds = Math.floor(rem / weightTotal);
  let delta = rem % weightTotal;
  let resumeNode = nextNodeIn(prev, nodes);
  let resumeWeight = w(resumeNode);
  for (let i = 0; i < nodes.length; i++) {
    const node = nextNodeIn(prev, nodes);
    const weight = w(node);
    let pages = weight * rounds;
    if (delta > weight) {
      pages += weight;
      delta -= weight;
    } else if (delta > 0) {
      pages += delta;
      resumeNode = node;
      resumeWeight = weight - delta;
      delta = 0;
    }
    if (pages === 0) break;
    const got = allocate(node, pages);
    out.push([node, got]);
    total += got;
    if (total === count) break;
    prev = node;
  }
  if (resumeNode < MAX_NUMNODES) {
    state.ilPrev = resumeNode;
    state.ilWeight = resumeWeight;
  }
  return out;
}
