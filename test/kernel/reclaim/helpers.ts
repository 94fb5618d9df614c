/**
 * Small machines for reclaim tests: presets.twoSocketCxl() (nodes 0,1 = DRAM sockets, nodes
 * 2,3 = one CXL expander per socket) with its tiers and demotion targets as derived, but
 * `pages` managed pages per node and hand-set watermarks, so every count can be derived by hand.
 */
import { expect } from "vitest";
import { boot } from "../../../src/kernel/boot.js";
import type { Kernel } from "../../../src/kernel/kernel.js";
import type { Process } from "../../../src/kernel/process.js";
import { deriveKernelTopology } from "../../../src/topology/derive.js";
import { presets } from "../../../src/topology/presets.js";
import type { KernelTopology, Watermarks } from "../../../src/topology/types.js";
import type { KernelBehaviours } from "../../../src/kernel/behaviours.js";

export const P = 4096;

/** Default watermarks of the small machine. */
export const WM: Watermarks = { min: 10, low: 20, high: 30, promo: 40 };

/** twoSocketCxl with `pages` pages and watermarks `wm` on every node. */
export function smallCxl(opts: { pages?: number; wm?: Watermarks; behaviours?: KernelBehaviours; numaBalancing?: number } = {}): Kernel {
  const base = deriveKernelTopology(presets.twoSocketCxl());
  const pages = opts.pages ?? 1000;
  const wm = opts.wm ?? WM;
  const topo = new Proxy(base, {
    get(target, prop, receiver) {
      if (prop === "managedPages") return () => pages;
      if (prop === "watermarks") return () => wm;
      return Reflect.get(target, prop, receiver);
    },
  }) as KernelTopology;
  return boot(topo, { kernel: "v6.16", behaviours: opts.behaviours ?? {}, numaBalancing: opts.numaBalancing ?? 0 });
}

/** Maps and write-touches `pages` anonymous pages under MPOL_BIND{nodes}; returns the address. */
export function bound(p: Process, pages: number, nodes: readonly number[]): number {
  const a = p.mmap(pages * P);
  p.mbind(a, pages * P, "MPOL_BIND", nodes);
  p.touch(a, pages * P, { write: true });
  return a;
}

/** Frame ids of the pages [addr, addr + pages) of a process. */
export function framesOf(p: Process, addr: number, pages: number): Int32Array {
  const out = new Int32Array(pages);
  for (let i = 0; i < pages; i++) {
    const vpn = addr / P + i;
    out[i] = p.frameAt(p.mm.find(vpn)!, vpn);
  }
  return out;
}

/** Pages per node among frames (0 for absent pages). */
export function nodesOf(k: Kernel, frames: Int32Array): Record<number, number> {
  const out: Record<number, number> = {};
  for (const f of frames) if (f > 0) out[k.frames.node[f]!] = (out[k.frames.node[f]!] ?? 0) + 1;
  return out;
}

/** No page lost or duplicated: allocated frames per node + free == managed, nothing above capacity. */
export function checkInvariants(k: Kernel): void {
  const per = new Float64Array(k.buddy.free.length);
  for (let f = 1; f < k.frames.highWater; f++) if (k.frames.flags[f]) per[k.frames.node[f]!]!++;
  for (const n of k.topo.memoryNodes) {
    expect(per[n]! + k.buddy.free[n]!, `node ${n}: frames + free`).toBe(k.topo.managedPages(n));
    expect(k.buddy.free[n]!, `node ${n} free`).toBeGreaterThanOrEqual(0);
  }
}
