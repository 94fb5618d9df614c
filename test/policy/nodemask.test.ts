import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import {
  MAX_NUMNODES,
  copyNodemaskFromUser,
  formatNodelist,
  nextNodeIn,
  nodesFold,
  nodesOnto,
  nodesRemap,
  parseNodelist,
  relativeNodemask,
  toNodemask,
} from "../../src/policy/nodemask.js";
import { expectErrno } from "./helpers.js";

describe("toNodemask", () => {
  it("sorts and dedupes arrays, reads number and bigint bitmasks (bit n = node n)", () => {
    expect(toNodemask([3, 1, 1, 0])).toEqual([0, 1, 3]);
    expect(toNodemask(0b1010)).toEqual([1, 3]);
    expect(toNodemask(0)).toEqual([]);
    expect(toNodemask((1n << 70n) | 1n)).toEqual([0, 70]);
  });
  it("rejects negative or fractional ids with a UsageError", () => {
    expect(() => toNodemask([-1])).toThrow(UsageError);
    expect(() => toNodemask([1.5])).toThrow(UsageError);
    expect(() => toNodemask(-3)).toThrow(UsageError);
    expect(() => toNodemask(-1n)).toThrow(UsageError);
  });
});

describe("copyNodemaskFromUser (get_nodes, §2.1)", () => {
  it("reads maxnode-1 bits and ignores the bits above", () => {
    expect(copyNodemaskFromUser("set_mempolicy", [0, 1], 3)).toEqual([0, 1]);
    expect(copyNodemaskFromUser("set_mempolicy", [0, 2], 3)).toEqual([0]);
    expect(copyNodemaskFromUser("set_mempolicy", 0b111, 2)).toEqual([0]);
  });
  it("maxnode 1 or a NULL mask is the empty mask", () => {
    expect(copyNodemaskFromUser("set_mempolicy", [0, 1], 1)).toEqual([]);
    expect(copyNodemaskFromUser("set_mempolicy", null, 64)).toEqual([]);
    expect(copyNodemaskFromUser("set_mempolicy", null)).toEqual([]);
  });
  it("maxnode 0 wraps to ULONG_MAX: EINVAL with a mask, fine with NULL", () => {
    expectErrno(() => copyNodemaskFromUser("set_mempolicy", [0], 0), "EINVAL");
    expect(copyNodemaskFromUser("set_mempolicy", null, 0)).toEqual([]);
  });
  it("more than PAGE_SIZE*8 = 32768 bits is EINVAL; exactly 32768 is fine", () => {
    const e = expectErrno(() => copyNodemaskFromUser("mbind", [0], 32770), "EINVAL");
    expect(e.syscall).toBe("mbind");
    expect(e.explanation).toContain("PAGE_SIZE*8");
    expect(copyNodemaskFromUser("mbind", [0], 32769)).toEqual([0]);
  });
  it("a set bit at or above MAX_NUMNODES (1024) is EINVAL unless maxnode excludes it", () => {
    expect(MAX_NUMNODES).toBe(1024);
    const e = expectErrno(() => copyNodemaskFromUser("set_mempolicy", [0, 1024], 2000), "EINVAL");
    expect(e.explanation).toContain("MAX_NUMNODES");
    expectErrno(() => copyNodemaskFromUser("set_mempolicy", [1500]), "EINVAL");
    expect(copyNodemaskFromUser("set_mempolicy", [0, 1024], 1025)).toEqual([0]);
    expect(copyNodemaskFromUser("set_mempolicy", [1023], 1025)).toEqual([1023]);
  });
  it("above MAX_NUMNODES whole 64-bit words are checked: a bit past maxnode-1 in the last word is EINVAL", () => {
    // maxnode 1101 reads 1100 bits; the top word holds bits 1088..1151 and is checked entirely.
    expectErrno(() => copyNodemaskFromUser("set_mempolicy", [0, 1120], 1101), "EINVAL");
    expect(copyNodemaskFromUser("set_mempolicy", [0, 1152], 1101)).toEqual([0]);
  });
});

describe("nodelists", () => {
  it("parses ranges and lists", () => {
    expect(parseNodelist("0-3,5")).toEqual([0, 1, 2, 3, 5]);
    expect(parseNodelist(" 2 ")).toEqual([2]);
    expect(parseNodelist("")).toEqual([]);
  });
  it("rejects bad syntax with a UsageError naming the part", () => {
    expect(() => parseNodelist("3-1")).toThrow(/"3-1"/);
    expect(() => parseNodelist("a")).toThrow(UsageError);
    expect(() => parseNodelist("0,,1")).toThrow(UsageError);
  });
  it("formats like the kernel's %*pbl", () => {
    expect(formatNodelist([0, 1, 2, 3, 5])).toBe("0-3,5");
    expect(formatNodelist([1, 2])).toBe("1-2");
    expect(formatNodelist([0, 2, 4])).toBe("0,2,4");
    expect(formatNodelist([])).toBe("");
  });
});

describe("bitmap operations (§2.1, §2.6)", () => {
  it("next_node_in wraps and starts from MAX_NUMNODES-1 at the lowest node", () => {
    expect(nextNodeIn(1, [0, 2, 5])).toBe(2);
    expect(nextNodeIn(5, [0, 2, 5])).toBe(0);
    expect(nextNodeIn(MAX_NUMNODES - 1, [2, 5])).toBe(2);
    expect(nextNodeIn(0, [])).toBe(MAX_NUMNODES);
  });
  it("fold, onto and their composition", () => {
    expect(nodesFold([0, 2, 4], 4)).toEqual([0, 2]);
    expect(nodesOnto([1, 2, 3], [4, 5, 6, 7])).toEqual([5, 6, 7]);
    expect(nodesOnto([0, 3], [4, 5])).toEqual([4]);
    expect(relativeNodemask([1, 2, 3], [4, 5, 6, 7])).toEqual([5, 6, 7]);
    expect(relativeNodemask([0, 2, 4], [2, 3, 4, 5])).toEqual([2, 4]);
  });
  it("remap maps the n-th old node to the (n mod |new|)-th new node; others stay", () => {
    expect(nodesRemap([1, 3], [0, 1, 2, 3], [4, 5, 6, 7])).toEqual([5, 7]);
    expect(nodesRemap([1, 3], [0, 1, 2, 3], [4, 5])).toEqual([5]);
    expect(nodesRemap([1, 9], [0, 1], [4, 5])).toEqual([5, 9]);
    expect(nodesRemap([1], [], [4])).toEqual([1]);
  });
});
