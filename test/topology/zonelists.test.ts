import { describe, expect, it } from "vitest";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import { buildZonelists, findNextBestNode } from "../../src/topology/zonelists.js";
import { machine, mem, node, twoSocketCxl } from "./literal-spec.js";

const lists = (spec: Parameters<typeof deriveKernelTopology>[0]): number[][] => {
  const kt = deriveKernelTopology(spec);
  return kt.nodeIds.map((n) => [...kt.zonelist(n)]);
};

describe("build_zonelists (kernel-model.md §3.2)", () => {
  it("orders a 2-socket + one-CXL-per-socket machine by the worked example", () => {
    /*
     * SLIT [[10,21,14,24],[21,10,24,14],[14,24,10,26],[24,14,26,10]]; nodes 0,1 have CPUs (+1).
     * value = (d + (n < L) + cpu) * 1024 + load[n]; load starts [0,0,0,0].
     * L=0: 0 local. 1: 21+0+1=22, 2: 14, 3: 24 -> 2 (d 14 != 10: load[2]=1).
     *      1: 22*1024 vs 3: 24*1024 -> 1 (load[1]=1); then 3 (load[3]=1).  -> 0 2 1 3
     * L=1: 1 local. 0: 21+1+1=23 -> 23552; 2: 24 -> 24577; 3: 14 -> 14337 -> 3 (load[3]=2);
     *      0 (23552) before 2 (24577): 0 (load[0]=1); 2 (load[2]=2).  -> 1 3 0 2
     * L=2: 2 local. 0: 14+1+1=16 -> 16385; 1: 24+1+1=26 -> 26625; 3: 26 -> 26626 -> 0 (load[0]=2);
     *      1 (26625) vs 3 (26626): tie on 26, load decides -> 1 (load[1]=2); 3 (load[3]=3). -> 2 0 1 3
     * L=3: 3 local. 0: 24+1+1=26 -> 26626; 1: 14+1+1=16 -> 16386; 2: 26+1=27 -> 27650 -> 1;
     *      0 (26626) before 2 (27650).  -> 3 1 0 2
     */
    expect(lists(twoSocketCxl())).toEqual([
      [0, 2, 1, 3],
      [1, 3, 0, 2],
      [2, 0, 1, 3],
      [3, 1, 0, 2],
    ]);
  });

  it("spreads equal-distance nodes across local nodes through node_load", () => {
    /*
     * Sockets 0,1 (CPUs) and two CPU-less nodes 2,3 at 20 from everything (a shared pool).
     * L=0: 0; 2 and 3 tie at 20*1024 -> 2 (first of a new distance: load[2]=1); 3; 1 (22).
     * L=1: 1; 2: 20*1024+1, 3: 20*1024+0 -> 3 first (load[3]=1): node_load moved it ahead; then 2, 0.
     * L=2: 2; 3: 20*1024+1 (n > L, no CPU) beats 0 and 1 at 22*1024 -> 3 (load[3]=2); 0; 1.
     * L=3: 3; 2: (20+1)*1024+1 beats 0 and 1 at 22*1024 -> 2 (load[2]=2); 0; 1.
     */
    const d = [
      [10, 20, 20, 20],
      [20, 10, 20, 20],
      [20, 20, 10, 20],
      [20, 20, 20, 10],
    ];
    const spec = machine([node(0, 0, 2, mem()), node(1, 1, 2, mem()), node(2, 0, [], mem()), node(3, 1, [], mem())], [], d);
    expect(lists(spec)).toEqual([
      [0, 2, 3, 1],
      [1, 3, 2, 0],
      [2, 3, 0, 1],
      [3, 2, 0, 1],
    ]);
    const built = buildZonelists([0, 1, 2, 3], { memoryNodes: [0, 1, 2, 3], hasCpus: (n) => n < 2, distance: (a, b) => d[a]![b]! });
    expect([...built.nodeLoad].sort((a, b) => a[0] - b[0])).toEqual([[2, 2], [3, 2]]);
  });

  it("rotates equal CPU nodes by the lower-id penalty", () => {
    // Four CPU+DRAM nodes, all 20 apart: (n < L) pushes lower ids back, so each list rotates.
    const d = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 10 : 20)));
    const spec = machine([0, 1, 2, 3].map((i) => node(i, i, 1, mem())), [], d);
    expect(lists(spec)).toEqual([
      [0, 1, 2, 3],
      [1, 2, 3, 0],
      [2, 3, 0, 1],
      [3, 0, 1, 2],
    ]);
  });

  it("leaves memoryless nodes out of every list and starts a memoryless CPU node at its nearest memory", () => {
    /*
     * node 0: CPUs, no memory; node 1: CPUs + DRAM; node 2: CPU-less CXL.
     * SLIT 0-1: 20, 0-2: 17, 1-2: 30.
     * L=0 (memoryless, not in N_MEMORY): 1: 20+0+1 = 21, 2: 17 -> 2 (load[2]=1); then 1.
     * L=1: 1; then 2.  L=2: 2; then 1 (20... d 30).
     */
    const d = [
      [10, 20, 17],
      [20, 10, 30],
      [17, 30, 10],
    ];
    const spec = machine([node(0, 0, 4, null), node(1, 0, 4, mem()), node(2, 0, [], mem({ kind: "cxl" }))], [], d);
    const kt = deriveKernelTopology(spec);
    expect(kt.memoryNodes).toEqual([1, 2]);
    expect(kt.zonelist(0)).toEqual([2, 1]);
    expect(kt.zonelist(1)).toEqual([1, 2]);
    expect(kt.zonelist(2)).toEqual([2, 1]);
    expect(kt.noFallbackZonelist(0)).toEqual([]);
    expect(kt.noFallbackZonelist(2)).toEqual([2]);
  });

  it("drops nodes whose memory is offline", () => {
    const spec = twoSocketCxl();
    const offline = { ...spec, nodes: spec.nodes.map((n) => (n.id === 3 ? { ...n, memory: { ...n.memory!, online: false } } : n)) };
    const kt = deriveKernelTopology(offline);
    expect(kt.memoryNodes).toEqual([0, 1, 2]);
    expect(kt.zonelist(1)).toEqual([1, 0, 2]);
    expect(kt.zonelist(3)).toEqual([1, 0, 2]);
  });

  it("find_next_best_node marks what it returns and reports exhaustion as null", () => {
    const ctx = { memoryNodes: [0, 1], hasCpus: () => true, distance: (a: number, b: number) => (a === b ? 10 : 20), nodeLoad: new Map<number, number>() };
    const used = new Set<number>();
    expect(findNextBestNode(ctx, 0, used)).toBe(0);
    expect(findNextBestNode(ctx, 0, used)).toBe(1);
    expect(findNextBestNode(ctx, 0, used)).toBeNull();
    expect([...used]).toEqual([0, 1]);
  });
});
