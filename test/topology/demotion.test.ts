import { describe, expect, it } from "vitest";
import { Random } from "../../src/core/random.js";
import { bestNodeContext, establishDemotionTargets, nextDemotionNode } from "../../src/topology/demotion.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import { interconnect, machine, mem, node, twoSocketCxl } from "./literal-spec.js";

describe("establish_demotion_targets (kernel-model.md §5.2)", () => {
  it("example 1: DRAM nodes demote to their nearest PMEM node; PMEM is terminal", () => {
    const d = [[10, 20, 30, 40], [20, 10, 40, 30], [30, 40, 10, 40], [40, 30, 40, 10]];
    const kt = deriveKernelTopology(machine([node(0, 0, 2, mem()), node(1, 1, 2, mem()), node(2, 0, [], mem({ kind: "pmem" })), node(3, 1, [], mem({ kind: "pmem" }))], [interconnect(0, 1)], d));
    expect([0, 1, 2, 3].map((n) => kt.demotionTargets(n))).toEqual([[2], [3], [], []]);
    expect([0, 1, 2, 3].map((n) => kt.lowerTierNodes(n))).toEqual([[2, 3], [2, 3], [], []]);
  });

  it("example 2: one tier, no demotion at all", () => {
    const d = [[10, 20, 30], [20, 10, 30], [30, 30, 10]];
    const kt = deriveKernelTopology(machine([node(0, 0, 2, mem()), node(1, 1, 2, mem()), node(2, 0, [], mem())], [interconnect(0, 1)], d));
    expect([0, 1, 2].map((n) => kt.demotionTargets(n))).toEqual([[], [], []]);
    expect([0, 1, 2].map((n) => kt.lowerTierNodes(n))).toEqual([[], [], []]);
  });

  it("example 3: HBM -> DRAM -> PMEM, tiers {1},{0},{2}", () => {
    const d = [[10, 20, 30], [20, 10, 40], [30, 40, 10]];
    const spec = machine(
      [
        node(0, 0, 4, mem({ hmat: true })),
        node(1, 0, [], mem({ kind: "hbm", latencyNs: 80, gbps: 400, hmat: true })),
        node(2, 0, [], mem({ kind: "pmem", latencyNs: 250, gbps: 32, hmat: true })),
      ],
      [],
      d,
    );
    const kt = deriveKernelTopology(spec);
    expect(kt.tiers.map((t) => t.nodes)).toEqual([[1], [0], [2]]);
    expect([0, 1, 2].map((n) => kt.demotionTargets(n))).toEqual([[2], [0], []]);
    expect([0, 1, 2].map((n) => kt.lowerTierNodes(n))).toEqual([[2], [0, 2], []]);
  });

  it("keeps every next-tier node at the first distance found (ties)", () => {
    // node 0 DRAM; CXL nodes 1, 2 both at 20, node 3 at 30: preferred {1, 2}, fallback {1, 2, 3}.
    const d = [[10, 20, 20, 30], [20, 10, 25, 25], [20, 25, 10, 25], [30, 25, 25, 10]];
    const cxl = () => mem({ kind: "cxl" });
    const kt = deriveKernelTopology(machine([node(0, 0, 4, mem()), node(1, 0, [], cxl()), node(2, 0, [], cxl()), node(3, 0, [], cxl())], [], d));
    expect(kt.demotionTargets(0)).toEqual([1, 2]);
    expect(kt.lowerTierNodes(0)).toEqual([1, 2, 3]);
  });

  it("inherits find_next_best_node's penalties: the first node found sets the distance", () => {
    /*
     * Tier {3} is DRAM with CPUs; the next tier holds node 1 (CPUs, distance 20, n < 3: +1 +1 = 22)
     * and node 4 (CPU-less, distance 21: 21). Node 4 is found first, so preferred = {4} although
     * node 1 is nearer; the loop stops at node 1 because its distance differs.
     */
    const d = [
      [10, 30, 30, 30, 30],
      [30, 10, 30, 20, 30],
      [30, 30, 10, 30, 30],
      [30, 20, 30, 10, 21],
      [30, 30, 30, 21, 10],
    ];
    const slow = mem({ kind: "cxl" });
    const spec = machine(
      [node(0, 0, 2, null), node(1, 1, 2, { ...slow, zone: "normal" }), node(2, 2, [], mem()), node(3, 3, 2, mem()), node(4, 3, [], slow)],
      [],
      d,
    );
    const kt = deriveKernelTopology(spec);
    expect(kt.tiers.map((t) => t.nodes)).toEqual([[2, 3], [1, 4]]);
    expect(kt.demotionTargets(3)).toEqual([4]);
  });
});

describe("next_demotion_node (kernel-model.md §5.2)", () => {
  const kt = deriveKernelTopology(twoSocketCxl());

  it("picks among preferred ∩ allowed", () => {
    expect(nextDemotionNode(kt, 0, [2, 3], new Random(1))).toBe(2);
    expect(nextDemotionNode(kt, 1, [2, 3], new Random(1))).toBe(3);
  });

  it("falls back to the nearest allowed node when no preferred node is allowed", () => {
    expect(nextDemotionNode(kt, 0, [3], new Random(1))).toBe(3);
    expect(nextDemotionNode(kt, 0, [1, 3], new Random(1))).toBe(1); // 21+1 beats 24
    expect(nextDemotionNode(kt, 0, [], new Random(1))).toBeNull();
  });

  it("returns the node itself when it is allowed (the complement mask leaves it unused)", () => {
    expect(nextDemotionNode(kt, 0, [0, 3], new Random(1))).toBe(0);
  });

  it("spreads uniformly over several preferred nodes", () => {
    const d = [[10, 20, 20], [20, 10, 25], [20, 25, 10]];
    const tied = deriveKernelTopology(machine([node(0, 0, 4, mem()), node(1, 0, [], mem({ kind: "cxl" })), node(2, 0, [], mem({ kind: "cxl" }))], [], d));
    const r = new Random(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 2000; i++) counts[nextDemotionNode(tied, 0, [1, 2], r)!]!++;
    expect(counts[0]).toBe(0);
    expect(counts[1]! / 2000).toBeGreaterThan(0.45);
    expect(counts[2]! / 2000).toBeGreaterThan(0.45);
  });

  it("works on a topology it did not derive by replaying node_load", () => {
    const copy = { ...kt };
    const ctx = bestNodeContext(copy);
    expect([...ctx.nodeLoad].sort((a, b) => a[0] - b[0])).toEqual([[0, 3], [1, 3], [2, 3], [3, 3]]);
    expect(establishDemotionTargets(kt.tiers, ctx).preferred.get(1)).toEqual([3]);
  });
});
