/**
 * Node masks: normalising what callers pass, the kernel's copy-in of a user bitmap
 * (get_nodes, kernel-model.md §2.1), nodelist text ("0-3,5"), and the bitmap operations the
 * cpuset code uses to move a policy between node sets (fold, onto, remap; §2.1, §2.6).
 * A Nodemask is always ascending and duplicate-free.
 */
import { SyscallError, UsageError } from "../core/errors.js";
import { PAGE_SIZE } from "../core/units.js";
import type { Nodemask } from "./types.js";

/** MAX_NUMNODES of the simulated kernel build (CONFIG_NODES_SHIFT=10). */
export const MAX_NUMNODES = 1024;

/** What callers may pass as a node mask: node ids, or a bitmask with bit n = node n. */
export type NodemaskInput = readonly number[] | number | bigint;

const BITS_PER_LONG = 64;

const EMPTY: Nodemask = Object.freeze([]) as Nodemask;

/**
 * Normalises node ids or a bitmask into a sorted, duplicate-free Nodemask. Does not apply any
 * kernel limit: use {@link copyNodemaskFromUser} for syscall arguments.
 *
 * @example
 * toNodemask([3, 1, 1]); // [1, 3]
 * toNodemask(0b101);     // [0, 2]
 * toNodemask(1n << 70n); // [70]
 */
export function toNodemask(input: NodemaskInput, what = "node mask"): Nodemask {
  if (typeof input === "bigint") return bitsOfBigint(input, what);
  if (typeof input === "number") {
    if (!Number.isSafeInteger(input) || input < 0) {
      throw new UsageError({
        what,
        value: input,
        rule: "a numeric bitmask must be a non-negative safe integer (bit n = node n)",
        fix: "pass an array of node ids, or a bigint for masks above bit 52",
      });
    }
    return bitsOfBigint(BigInt(input), what);
  }
  if (!Array.isArray(input)) {
    throw new UsageError({ what, value: input, rule: "must be node ids, a number or a bigint bitmask", fix: "write e.g. [0, 2]" });
  }
  for (const n of input) {
    if (!Number.isInteger(n) || n < 0) {
      throw new UsageError({ what, value: input, rule: `node ids are non-negative integers, got ${String(n)}`, fix: "write e.g. [0, 2]" });
    }
  }
  return normalise(input);
}

function bitsOfBigint(mask: bigint, what: string): Nodemask {
  if (mask < 0n) {
    throw new UsageError({ what, value: mask, rule: "a bitmask cannot be negative", fix: "pass a non-negative bigint" });
  }
  const out: number[] = [];
  for (let bit = 0; mask > 0n; bit++, mask >>= 1n) if (mask & 1n) out.push(bit);
  return out;
}

function normalise(nodes: readonly number[]): Nodemask {
  return [...new Set(nodes)].sort((a, b) => a - b);
}

/**
 * The kernel's copy-in of a user node mask (get_nodes, §2.1). `maxnode` follows the syscall
 * ABI: the kernel reads `maxnode - 1` bits (historic off-by-one); bits at or above that count
 * are ignored. When `maxnode` is omitted the mask is taken whole, as if the caller passed a
 * large enough maxnode. `null` is the NULL pointer. With maxnode-1 above MAX_NUMNODES the
 * kernel checks the extra words whole, so a set bit in the last word is EINVAL even beyond
 * maxnode-1 (x86-64 longs).
 *
 * @example
 * copyNodemaskFromUser("set_mempolicy", [0, 1], 3);   // [0, 1]
 * copyNodemaskFromUser("set_mempolicy", [0, 2], 2);   // [0]  (bit 2 beyond maxnode-1 bits is ignored)
 * copyNodemaskFromUser("mbind", [1100]);              // throws SyscallError EINVAL
 */
export function copyNodemaskFromUser(syscall: string, nmask: NodemaskInput | null, maxnode?: number): Nodemask {
  if (maxnode !== undefined && (!Number.isSafeInteger(maxnode) || maxnode < 0)) {
    throw new UsageError({ what: `${syscall} maxnode`, value: maxnode, rule: "is an unsigned long", fix: "pass a non-negative integer" });
  }
  const nodes = nmask === null ? EMPTY : toNodemask(nmask, `${syscall} nodemask`);
  if (maxnode === undefined) {
    const high = nodes.find((n) => n >= MAX_NUMNODES);
    if (high !== undefined) throw beyondMaxNumnodes(syscall, high);
    return nodes;
  }
  // maxnode is unsigned: 0 - 1 wraps to ULONG_MAX, which then fails the size check below
  // unless the pointer is NULL (the NULL test comes first in get_nodes).
  const bits = maxnode === 0 ? Number.MAX_SAFE_INTEGER : maxnode - 1;
  if (bits === 0 || nmask === null) return EMPTY;
  if (bits > PAGE_SIZE * 8) {
    throw new SyscallError(
      syscall,
      "EINVAL",
      `maxnode ${maxnode} asks the kernel to read ${maxnode === 0 ? "ULONG_MAX (maxnode 0 wraps)" : bits} bits; ` +
        `more than PAGE_SIZE*8 = ${PAGE_SIZE * 8} bits is rejected (mm/mempolicy.c get_nodes, kernel-model.md §2.1)`,
    );
  }
  if (bits <= MAX_NUMNODES) return nodes.filter((n) => n < bits);
  // Above MAX_NUMNODES get_nodes checks whole 64-bit words from the top down without masking
  // the last one to `bits`: a set bit anywhere in those words is EINVAL, even past maxnode-1.
  const wordsEnd = Math.ceil(bits / BITS_PER_LONG) * BITS_PER_LONG;
  const high = nodes.find((n) => n >= MAX_NUMNODES && n < wordsEnd);
  if (high !== undefined) throw beyondMaxNumnodes(syscall, high);
  return nodes.filter((n) => n < MAX_NUMNODES);
}

function beyondMaxNumnodes(syscall: string, node: number): SyscallError {
  return new SyscallError(
    syscall,
    "EINVAL",
    `bit ${node} is set but the kernel supports only MAX_NUMNODES = ${MAX_NUMNODES} nodes; set bits at or above ` +
      `MAX_NUMNODES are rejected (mm/mempolicy.c get_nodes, kernel-model.md §2.1)`,
  );
}

/**
 * Parses a kernel nodelist ("0-3,5", as in /sys and cpuset.mems). Whitespace around the list
 * is ignored; an empty string is the empty mask.
 *
 * @example
 * parseNodelist("0-3,5"); // [0, 1, 2, 3, 5]
 * parseNodelist("");      // []
 */
export function parseNodelist(text: string): Nodemask {
  const trimmed = text.trim();
  if (trimmed === "") return EMPTY;
  const out: number[] = [];
  for (const part of trimmed.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m && m[2] !== undefined ? Number(m[2]) : lo;
    if (!m || hi < lo || hi >= MAX_NUMNODES) {
      throw new UsageError({
        what: "nodelist",
        value: text,
        rule: `"${part}" is not a node id or an ascending range A-B below ${MAX_NUMNODES}`,
        fix: 'write comma-separated ids and ranges such as "0-3,5"',
      });
    }
    for (let n = lo; n <= hi; n++) out.push(n);
  }
  return normalise(out);
}

/**
 * Formats a mask the way the kernel prints nodelists (%*pbl): runs of two or more become "A-B".
 *
 * @example
 * formatNodelist([0, 1, 2, 3, 5]); // "0-3,5"
 * formatNodelist([1, 2]);          // "1-2"
 */
export function formatNodelist(nodes: Nodemask): string {
  const parts: string[] = [];
  for (let i = 0; i < nodes.length; ) {
    let j = i;
    while (j + 1 < nodes.length && nodes[j + 1] === nodes[j]! + 1) j++;
    parts.push(i === j ? `${nodes[i]}` : `${nodes[i]}-${nodes[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/**
 * Intersection of two masks (nodes_and).
 *
 * @example
 * nodesAnd([0, 1, 2], [1, 2, 3]); // [1, 2]
 */
export function nodesAnd(a: Nodemask, b: Nodemask): Nodemask {
  const inB = new Set(b);
  return a.filter((n) => inB.has(n));
}

/**
 * Whether two masks share a node (nodes_intersects).
 *
 * @example
 * nodesIntersect([0, 1], [1, 2]); // true
 */
export function nodesIntersect(a: Nodemask, b: Nodemask): boolean {
  const inB = new Set(b);
  return a.some((n) => inB.has(n));
}

/**
 * Whether two masks hold the same nodes (nodes_equal).
 *
 * @example
 * nodesEqual([0, 1], [0, 1]); // true
 */
export function nodesEqual(a: Nodemask, b: Nodemask): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/**
 * next_node_in: the first node of the mask above `node`, wrapping to the lowest; MAX_NUMNODES
 * for an empty mask. Task interleave starts from ilPrev = MAX_NUMNODES-1, so its first pick
 * is the lowest node (§1.5).
 *
 * @example
 * nextNodeIn(1, [0, 2, 5]);    // 2
 * nextNodeIn(5, [0, 2, 5]);    // 0
 * nextNodeIn(1023, [2, 5]);    // 2
 */
export function nextNodeIn(node: number, mask: Nodemask): number {
  if (mask.length === 0) return MAX_NUMNODES;
  return mask.find((n) => n > node) ?? mask[0]!;
}

/**
 * bitmap_fold: every set bit i of the mask sets bit (i mod w). Used for RELATIVE policies, whose
 * user mask holds ordinals into the allowed set (§2.1). w = 0 gives the empty mask.
 *
 * @example
 * nodesFold([0, 2, 4], 4); // [0, 2]
 */
export function nodesFold(mask: Nodemask, w: number): Nodemask {
  if (w <= 0) return EMPTY;
  return normalise(mask.map((n) => n % w));
}

/**
 * bitmap_onto: bit k of the mask maps to the k-th lowest node of `rel`; bits with no k-th node
 * are dropped (§2.6).
 *
 * @example
 * nodesOnto([1, 2, 3], [4, 5, 6, 7]); // [5, 6, 7]
 */
export function nodesOnto(mask: Nodemask, rel: Nodemask): Nodemask {
  return mask.filter((k) => k < rel.length).map((k) => rel[k]!);
}

/**
 * mpol_relative_nodemask: fold the user mask by |rel|, then map it onto rel (§2.1, §2.6).
 *
 * @example
 * relativeNodemask([0, 2, 4], [2, 3, 4, 5]); // [2, 4]
 */
export function relativeNodemask(user: Nodemask, rel: Nodemask): Nodemask {
  return nodesOnto(nodesFold(user, rel.length), rel);
}

/**
 * bitmap_remap / nodes_remap: the n-th node of `oldMask` maps to the (n mod |newMask|)-th node
 * of `newMask`; nodes not in `oldMask` map to themselves; an empty old or new mask copies the
 * source unchanged (§2.6 positional remap).
 *
 * @example
 * nodesRemap([1, 3], [0, 1, 2, 3], [4, 5]); // [5]
 */
export function nodesRemap(src: Nodemask, oldMask: Nodemask, newMask: Nodemask): Nodemask {
  if (oldMask.length === 0 || newMask.length === 0) return src;
  const ordinal = new Map(oldMask.map((n, i) => [n, i]));
  return normalise(src.map((n) => {
    const i = ordinal.get(n);
    return i === undefined ? n : newMask[i % newMask.length]!;
  }));
}
