/**
 * libnuma's node and CPU list syntax, as numactl reads it (numa_parse_nodestring /
 * numa_parse_cpustring in numactl's libnuma.c): "0-3,5", "all", "!" to invert, "+" for
 * numbers relative to the allowed set, strtoul numbers (so "0x2" and "010" work). The
 * warnings are libnuma's own text.
 */
import { UsageError } from "../core/errors.js";
import { MAX_NUMNODES } from "./nodemask.js";

/** What a list is checked against. `allowed` null = anything goes (no machine given). */
export interface ListParseContext {
  /** "node" or "cpu": selects libnuma's wording. */
  readonly kind: "node" | "cpu";
  /** The ids the list may name (numa_all_nodes_ptr / numa_all_cpus_ptr, or the possible set with --all). */
  readonly allowed: readonly number[] | null;
  /** How many ids "!" inverts over (numa_num_configured_nodes / _cpus): bits 0..count-1. */
  readonly configured: number | null;
}

/** The parse result: the ids, or the libnuma warning (null when libnuma fails silently). */
export type ListParseResult = { readonly ok: true; readonly ids: number[] } | { readonly ok: false; readonly warning: string | null };

const IO_AFFINITY = /^(netdev|file|ip|block|pci):/;

/**
 * Parses one list the way libnuma does; never throws for bad syntax (numactl decides what to
 * print), only for syntax tiersim cannot simulate (netdev:, pci:, ...).
 *
 * @example
 * parseLibnumaList("0-3,!2", { kind: "node", allowed: [0, 1, 2, 3], configured: 4 }); // { ok: false, warning: "libnuma: Warning: unparseable node description `!2'\n\n" }
 * parseLibnumaList("!2", { kind: "node", allowed: [0, 1, 2, 3], configured: 4 });     // { ok: true, ids: [0, 1, 3] }
 * parseLibnumaList("+1", { kind: "node", allowed: [2, 5], configured: 6 });           // { ok: true, ids: [5] }
 */
export function parseLibnumaList(text: string, ctx: ListParseContext): ListParseResult {
  const allowed = ctx.allowed === null ? null : new Set(ctx.allowed);
  const isAllowed = (n: number): boolean => (allowed === null ? n >= 0 && (ctx.kind === "cpu" || n < MAX_NUMNODES) : allowed.has(n));
  // numa_warn appends a newline to formats that already end in one.
  const warn = (w: string): ListParseResult => ({ ok: false, warning: `libnuma: Warning: ${w}\n` });
  const ids = new Set<number>();
  if (text === "") return { ok: true, ids: [] };
  let s = text;
  const invert = s.startsWith("!");
  if (invert) s = s.slice(1);
  const relative = s.startsWith("+");
  if (relative) s = s.slice(1);
  const sorted = ctx.allowed === null ? null : [...ctx.allowed].sort((a, b) => a - b);
  const getNr = (str: string): { value: number; rest: string } | null => {
    const r = strtoul(str);
    if (r === null || !relative || sorted === null) return r;
    // The nr-th allowed id (0-based); one past the last means "out of range" with the bitmap size.
    const value = r.value < 0 ? -1 : r.value < sorted.length ? sorted[r.value]! : MAX_NUMNODES;
    return { value, rest: r.rest };
  };
  for (;;) {
    if (s === "all") {
      if (ctx.allowed === null) {
        throw new UsageError({ what: "numactl list", value: text, rule: `"all" means every allowed ${ctx.kind}, which were not given`, fix: "pass the machine's nodes and cpus" });
      }
      ctx.allowed.forEach((n) => ids.add(n));
      s = "";
      break;
    }
    if (ctx.kind === "node" && IO_AFFINITY.test(s)) {
      throw new UsageError({
        what: "numactl node list",
        value: text,
        rule: "device affinity (netdev:, file:, ip:, block:, pci:) needs real devices, which tiersim does not simulate",
        fix: "name the node ids",
      });
    }
    const a = getNr(s);
    if (a === null) return warn(`unparseable ${ctx.kind} description \`${s}'\n`);
    if (!isAllowed(a.value)) {
      return warn(ctx.kind === "node" ? `node argument ${a.value} is out of range\n` : `cpu argument ${s} is out of range\n`);
    }
    ids.add(a.value);
    s = a.rest;
    if (s.startsWith("-")) {
      s = s.slice(1);
      const b = getNr(s);
      if (b === null) return warn(`missing ${ctx.kind} argument ${s}\n`);
      if (!isAllowed(b.value)) {
        return warn(ctx.kind === "node" ? `node argument ${b.value} out of range\n` : `cpu argument ${s} out of range\n`);
      }
      for (let n = a.value; n <= b.value; n++) if (isAllowed(n)) ids.add(n);
      s = b.rest;
    }
    if (!s.startsWith(",")) break;
    s = s.slice(1);
  }
  // Anything left after the last item is an error libnuma does not explain.
  if (s !== "") return { ok: false, warning: null };
  if (invert) {
    if (ctx.configured === null) {
      throw new UsageError({ what: "numactl list", value: text, rule: `"!" inverts over the configured ${ctx.kind}s, which were not given`, fix: "pass the machine's nodes and cpus" });
    }
    for (let n = 0; n < ctx.configured; n++) if (ids.has(n)) ids.delete(n); else ids.add(n);
  }
  return { ok: true, ids: [...ids].sort((x, y) => x - y) };
}

// strtoul(s, &end, 0): optional blanks and sign, then 0x hex, 0 octal or decimal. A negative
// number wraps to a huge unsigned value, which libnuma prints with %d as the negative number.
function strtoul(str: string): { value: number; rest: string } | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX](?=[0-9a-fA-F])[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(str);
  if (!m) return null;
  const digits = m[2]!;
  const magnitude = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.startsWith("0") ? parseInt(digits || "0", 8) : parseInt(digits, 10);
  return { value: m[1] === "-" && magnitude !== 0 ? -magnitude : magnitude, rest: str.slice(m[0].length) };
}
