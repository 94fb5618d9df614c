/**
 * The sysfs files the kernel registers at boot: weighted-interleave weights (§1.6), THP
 * enabled/defrag, demotion_enabled, per-node numastat and meminfo.
 */
import { SyscallError } from "../core/errors.js";
import type { Kernel } from "./kernel.js";
import { mempolicyNodes } from "../topology/private.js";
import { nodelist } from "./mpol.js";
import { meminfo, numastat } from "./observe.js";
import { atLeast } from "./version.js";

/**
 * A sysfs boolean as kstrtobool reads it (1/y/yes/on/true, 0/n/no/off/false); null otherwise.
 *
 * @example
 * sysfsBool(" Y\n") // true
 */
export function sysfsBool(value: string | number): boolean | null {
  const s = String(value).trim().toLowerCase();
  if (["1", "y", "true", "yes", "on"].includes(s)) return true;
  if (["0", "n", "false", "no", "off"].includes(s)) return false;
  return null;
}

const WI = "/sys/kernel/mm/mempolicy/weighted_interleave";
const THP = "/sys/kernel/mm/transparent_hugepage";

function choice<T extends string>(path: string, options: readonly T[], get: () => T, set: (v: T) => void): { read: () => string; write: (v: string) => void } {
  return {
    read: () => options.map((o) => (o === get() ? `[${o}]` : o)).join(" "),
    write: (v: string) => {
      const t = v.trim() as T;
      if (!options.includes(t)) throw new SyscallError("write", "EINVAL", `${path} accepts ${options.join(", ")}, got ${JSON.stringify(v)}`);
      set(t);
    },
  };
}

/**
 * Registers weighted_interleave/nodeN (at boot, and when a node gets memory, §1.6).
 *
 * @example
 * registerWeightFile(k, 3);
 */
export function registerWeightFile(k: Kernel, n: number): void {
  k.sysfs.register(`${WI}/node${n}`, { read: () => String(k.weights.weight(n)), write: (v) => k.weights.writeNode(n, v) });
}

/**
 * Registers the kernel's sysfs files.
 *
 * @example
 * registerSysfs(k);
 */
export function registerSysfs(k: Kernel): void {
  const fs = k.sysfs;
  for (const n of k.topo.memoryNodes) registerWeightFile(k, n);
  if (atLeast(k.version, "v6.16")) {
    fs.register(`${WI}/auto`, { read: () => String(k.weights.mode === "auto"), write: (v) => k.weights.writeAuto(v) });
  }
  fs.register(`${THP}/enabled`, choice(`${THP}/enabled`, ["always", "madvise", "never"] as const, () => k.thp.enabled, (v) => (k.thp.enabled = v)));
  fs.register(
    `${THP}/defrag`,
    choice(`${THP}/defrag`, ["always", "defer", "defer+madvise", "madvise", "never"] as const, () => k.thp.defrag, (v) => (k.thp.defrag = v)),
  );
  let demotion = false;
  fs.register("/sys/kernel/mm/numa/demotion_enabled", {
    read: () => String(demotion),
    write: (v) => {
      const b = sysfsBool(v);
      if (b === null) throw new SyscallError("write", "EINVAL", `demotion_enabled takes a boolean, got ${JSON.stringify(v)}`);
      demotion = b;
    },
  });
  const nodeLists: Record<string, () => readonly number[]> = {
    possible: () => k.topo.nodeIds,
    online: () => k.topo.nodeIds,
    // RFC v4 patch 13: has_memory = N_MEMORY + private nodes with NP_OPS_MEMPOLICY, so numactl
    // can target them unchanged; has_memory_private (N_MEMORY_PRIVATE) is tiersim's assumption.
    has_memory: () => mempolicyNodes(k.topo),
    has_memory_private: () => k.topo.privateNodes,
    has_normal_memory: () => k.topo.memoryNodes.filter((n) => k.topo.spec.nodes.find((x) => x.id === n)?.memory?.zone === "normal"),
    has_cpu: () => k.topo.cpuNodes,
  };
  for (const [name, get] of Object.entries(nodeLists)) fs.register(`/sys/devices/system/node/${name}`, { read: () => nodelist(get()) });
  for (const n of k.topo.nodeIds) {
    const base = `/sys/devices/system/node/node${n}`;
    fs.register(`${base}/numastat`, {
      read: () =>
        Object.entries(numastat(k)[n]!)
          .map(([key, v]) => `${key} ${v}`)
          .join("\n"),
    });
    fs.register(`${base}/meminfo`, {
      read: () =>
        Object.entries(meminfo(k)[n]!)
          .map(([key, v]) => `Node ${n} ${`${key}:`.padEnd(16)}${String(v).padStart(8)} kB`)
          .join("\n"),
    });
  }
}
