/**
 * How a phase's accesses reach the kernel in an evolving run: every frame of a region used by
 * the phase gets its share of the process's accesses (kernel AccessModel, DESIGN.md decision 2)
 * and joins its region's hot or cold accounting group with its weight inside the region
 * (FrameTable groups), so occupancy and traffic are read in O(nodes) per region at every epoch
 * however pages move. Cost: one pass over a region's pages per phase that uses it.
 */
import { PAGE_SIZE } from "../core/units.js";
import type { Kernel } from "../kernel/kernel.js";
import { hotPageMask } from "../workload/hotPages.js";
import { isSequential } from "../workload/patterns/registry.js";
import type { AccessSpec } from "../workload/types.js";
import type { MachineProcess, MappedRegion } from "./machine.js";
import { weightsFor } from "./traffic.js";

/** The accounting groups of one region (shared objects: one pair for all their mappings). */
export interface RegionGroups {
  readonly hot: number;
  readonly cold: number;
}

/**
 * The frame id of every page [from, to) of a region, index 0 = page `from` (<= 0 where no page
 * is present).
 *
 * @example
 * regionFrames(proc, region).length === region.pages // true
 */
export function regionFrames(proc: MachineProcess, region: MappedRegion, from = 0, to = region.pages): Int32Array {
  const out = new Int32Array(to - from);
  const start = region.addr / PAGE_SIZE;
  for (const v of proc.process.mm.overlapping(start + from, start + to)) {
    const a = Math.max(start + from, v.start);
    const b = Math.min(start + to, v.end);
    for (let vpn = a; vpn < b; vpn++) out[vpn - start - from] = v.frame(vpn - v.start);
  }
  return out;
}

/** Per weight array: its sum and, per access, its hot mask (a region faulted in chunks asks often). */
const DERIVED: WeakMap<Float64Array, { sum: number; hot: WeakMap<AccessSpec, Uint8Array> }> = new WeakMap();

function derived(w: Float64Array, access: AccessSpec): { hot: Uint8Array; sum: number } {
  let d = DERIVED.get(w);
  if (!d) {
    let sum = 0;
    for (let i = 0; i < w.length; i++) sum += w[i]!;
    d = { sum, hot: new WeakMap() };
    DERIVED.set(w, d);
  }
  let hot = d.hot.get(access);
  if (!hot) {
    hot = hotPageMask(access, w);
    d.hot.set(access, hot);
  }
  return { hot, sum: d.sum };
}

/**
 * Gives a region's frames their access shares and accounting groups for a phase. With
 * `access` null (the phase does not use the region) or a share of 0, its frames stop being
 * accessed but keep their groups, so the region still shows in occupancy, now all cold to
 * reclaim; frames in no group yet (a region touched first by such a phase) join the cold one.
 *
 * `from`/`to` limit it to the pages [from, to) of the region (a chunk just faulted in).
 *
 * @example
 * assignRegionAccess(k, proc, region, groups, phase.accesses[0], seed);
 */
export function assignRegionAccess(k: Kernel, proc: MachineProcess, region: MappedRegion, groups: RegionGroups, access: AccessSpec | null, seed: number, from = 0, to = region.pages): void {
  const frames = regionFrames(proc, region, from, to);
  // The data's compressibility as a CRAM node would store it (§6.1); a frame column.
  if (region.spec.compressRatio !== undefined && k.cram.nodes.length > 0) k.cram.setRatio(frames, region.spec.compressRatio);
  if (access === null || access.share <= 0) {
    // A region touched but never used (coldHog, or a region first touched by a phase that gives
    // it no share) has no group yet: it joins the cold group with no traffic weight, so its
    // pages still show in occupancy. Frames already grouped keep their group.
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!;
      if (f <= 0) continue;
      k.access.clear(f);
      if (k.frames.groupOf(f) === 0) k.frames.setGroup(f, groups.cold, 0);
    }
    return;
  }
  const w = weightsFor(seed, proc.spec.name, region.spec.name, region.pages, access.pattern).weights;
  const { hot, sum } = derived(w, access);
  const shares = new Float64Array(frames.length);
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    if (f <= 0) continue;
    const inRegion = sum > 0 ? w[from + i]! / sum : 0;
    shares[i] = access.share * inRegion;
    k.frames.setGroup(f, hot[from + i] ? groups.hot : groups.cold, inRegion);
  }
  k.access.setMany(frames, shares, { pid: proc.process.tgid, sequential: isSequential(access.pattern), writeShare: 1 - access.readShare, first: from, of: region.pages });
}
