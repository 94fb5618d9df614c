/**
 * /proc/<pid>/numa_maps: per VMA, the start address, the policy string (mpol_to_str of the
 * VMA or shared policy at the VMA start, else of the task policy), the file, then page
 * statistics of the mapped pages: anon=, dirty=, mapped= (when not all anon), mapmax= (when
 * > 1), N<node>=, kernelpagesize_kB=. A VMA with no mapped page prints only address, policy
 * and file.
 */
import { PG_ANON, PG_DIRTY } from "./frames.js";
import { policyString } from "./mpol.js";
import type { Process } from "./process.js";
import { vmaPolicyAt } from "./syscalls/policy.js";

/**
 * The numa_maps text of a task, one line per VMA in address order.
 *
 * @example
 * numaMapsText(p) // "7effc0000000 default anon=16 dirty=16 N0=16 kernelpagesize_kB=4\n"
 */
export function numaMapsText(p: Process): string {
  const fr = p.kernel.frames;
  const lines: string[] = [];
  for (const v of p.mm.vmas) {
    let line = `${(v.start * 4096).toString(16)} ${policyString(vmaPolicyAt(v, v.start) ?? p.policy)}`;
    if (v.file) line += ` file=${v.file.name}`;
    let pages = 0;
    let anon = 0;
    let dirty = 0;
    let mapmax = 0;
    const perNode = new Map<number, number>();
    for (let x = v.start; x < v.end; x++) {
      const f = p.frameAt(v, x);
      if (f < 0) continue;
      pages++;
      if (fr.flags[f]! & PG_ANON) anon++;
      if (fr.flags[f]! & PG_DIRTY) dirty++;
      mapmax = Math.max(mapmax, fr.mapcount[f]!);
      const n = fr.node[f]!;
      perNode.set(n, (perNode.get(n) ?? 0) + 1);
    }
    if (pages > 0) {
      if (anon) line += ` anon=${anon}`;
      if (dirty) line += ` dirty=${dirty}`;
      if (pages !== anon) line += ` mapped=${pages}`;
      if (mapmax > 1) line += ` mapmax=${mapmax}`;
      for (const n of [...perNode.keys()].sort((a, b) => a - b)) line += ` N${n}=${perNode.get(n)}`;
      line += " kernelpagesize_kB=4";
    }
    lines.push(line);
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}
