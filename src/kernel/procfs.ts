/**
 * /proc views as text: /proc/vmstat, /proc/<pid>/numa_maps, /proc/<pid>/status (the NUMA
 * lines), and /proc/sys/* through sysctl.
 */
import { SyscallError } from "../core/errors.js";
import type { Kernel } from "./kernel.js";
import { nodelist } from "./mpol.js";

/**
 * Reads a /proc file.
 *
 * @example
 * readProc(k, "/proc/vmstat").split("\n")[0] // "nr_free_pages 201310208"
 * readProc(k, `/proc/${p.pid}/numa_maps`)
 */
export function readProc(k: Kernel, path: string): string {
  if (path === "/proc/vmstat") {
    return Object.entries(k.vmstat())
      .map(([name, v]) => `${name} ${v}`)
      .join("\n");
  }
  if (path.startsWith("/proc/sys/")) return String(k.sysctl.read(path));
  const m = /^\/proc\/(\d+|self)\/(numa_maps|status)$/.exec(path);
  if (m) {
    const p = k.process(Number(m[1]));
    if (!p) throw new SyscallError("open", "ENOENT", `no process ${m[1]} (${path})`);
    if (m[2] === "numa_maps") return p.numaMaps();
    const cpus = [...k.topo.cpuNode.keys()].sort((a, b) => a - b);
    return [`Pid:\t${p.pid}`, `Tgid:\t${p.tgid}`, `Cpus_allowed_list:\t${nodelist(cpus)}`, `Mems_allowed_list:\t${nodelist(p.memsAllowed)}`].join("\n");
  }
  throw new SyscallError("open", "ENOENT", `no such /proc file ${path}; known: /proc/vmstat, /proc/<pid>/numa_maps, /proc/<pid>/status, /proc/sys/...`);
}
