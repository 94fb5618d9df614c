/**
 * boot(): a kernel on a topology (DESIGN.md machine layer).
 */
import { deriveKernelTopology } from "../topology/derive.js";
import type { KernelTopology, TopologyKnobs, TopologySpec } from "../topology/types.js";
import type { KernelBehaviours } from "./behaviours.js";
import { Kernel } from "./kernel.js";
import { DEFAULT_KERNEL, versionNumber } from "./version.js";

/** Options of {@link boot}. */
export interface BootOptions {
  /** The kernel whose behaviour is modelled, e.g. "v6.16" (default). */
  readonly kernel?: string;
  /** kernel.numa_balancing at boot (default 1 on machines with more than one memory node, §4.1). */
  readonly numaBalancing?: number;
  /** Behaviours to enable or override; the rest take the kernel version's defaults (behaviours.ts). */
  readonly behaviours?: KernelBehaviours;
  /** Seed of the kernel's random stream (default 1): same seed, same run. */
  readonly seed?: number;
  /** Derives the kernel topology from a spec (default: deriveKernelTopology). */
  readonly derive?: (spec: TopologySpec, knobs?: TopologyKnobs) => KernelTopology;
}

function isKernelTopology(t: TopologySpec | KernelTopology): t is KernelTopology {
  return typeof (t as KernelTopology).zonelist === "function";
}

/**
 * Boots a simulated kernel on a machine.
 *
 * @example
 * const k = boot(presets.twoSocketCxl(), { kernel: "v6.16" });
 * const p = k.spawn({ cpu: 0 });
 */
export function boot(topology: TopologySpec | KernelTopology, opts: BootOptions = {}): Kernel {
  const version = opts.kernel ?? DEFAULT_KERNEL;
  versionNumber(version);
  let topo: KernelTopology;
  if (isKernelTopology(topology)) topo = topology;
  else topo = opts.derive ? opts.derive(topology) : deriveKernelTopology(topology);
  const numaBalancing = opts.numaBalancing ?? (topo.memoryNodes.length > 1 ? 1 : 0);
  return new Kernel(topo, version, numaBalancing, opts.behaviours ?? {}, opts.derive, opts.seed ?? 1);
}
