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
    // seq_file_path escapes "\n\t= " as octal: a space prints as \040.
    if (v.file) line += ` file=${v.file.name.replace(/[ \t\n=]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`)}`;
    let pages = 0;
    let anon = 0;
    let dirty = 0;
    let mapmax = 0;
    const counts = new Float64Array(1024); // MAX_NUMNODES
    const { flags, mapcount, node } = fr;
    const ap = v.anon ? v.anon.pages : null;
    const fp = v.file ? v.file.pages : null;
    const mapped = v.mapped;
    for (let i = 0; i < v.pages; i++) {
      let f = ap ? ap[v.anonOff + i]! : 0;
      if (f === 0 && fp && mapped![i]) f = fp[v.filePgoff + i]!;
      if (f <= 0) continue;
      pages++;
      const fl = flags[f]!;
      if (fl & PG_ANON) anon++;
      if (fl & PG_DIRTY) dirty++;
      if (mapcount[f]! > mapmax) mapmax = mapcount[f]!;
      counts[node[f]!]!++;
    }
    const perNode = new Map<number, number>();
    counts.forEach((c, n) => c && perNode.set(n, c));
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
