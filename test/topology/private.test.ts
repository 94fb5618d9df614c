/**
 * Private Memory Nodes (RFC v4, seed 002, kernel-model.md §6.1) on the topology side: the spec,
 * capability validation with paths, JSON, derived N_MEMORY / N_MEMORY_PRIVATE, zonelists,
 * demotion targets and the reachability table. Expected values are derived from the rules in
 * the comments, not printed by the code.
 */
import { describe, expect, it } from "vitest";
import { ScenarioError, UsageError } from "../../src/core/errors.js";
import { topology } from "../../src/topology/builder.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import { topologyFromJSON, topologyToJSON } from "../../src/topology/json.js";
import { checkPrivate, NP_OPS, PRIVATE_OP_RULES } from "../../src/topology/private.js";
import { privateNodesExample } from "../../src/topology/privateExample.js";
import { privateReachability, walkedZonelist } from "../../src/topology/privateZonelist.js";
import { validateTopology } from "../../src/topology/validate.js";
import { demotionTargetsText, numactlHardware, zonelistsText } from "../../src/topology/views.js";

const seed = privateNodesExample();
const kt = deriveKernelTopology(seed);

/** The seed machine as JSON with node 2's private object replaced. */
function withPrivate(priv: unknown): unknown {
  const raw = JSON.parse(topologyToJSON(seed)) as { nodes: { memory: Record<string, unknown> }[] };
  raw.nodes[2]!.memory.private = priv;
  return raw;
}

describe("private node spec and builder", () => {
  it("records { owner, ops } on the node's memory, ops canonical and without the NP_OPS_ prefix", () => {
    const spec = topology("t")
      .socket(0, { cpus: 2, memory: { capacity: "1GiB", readBandwidth: 100, idleLatency: 100 } })
      .privateNode({ socket: 0, owner: "cram", ops: ["NP_OPS_DEMOTION", "MIGRATION"], memory: { capacity: "1GiB", readBandwidth: 20, idleLatency: 250 } })
      .build();
    expect(spec.nodes[1]!.memory!.private).toEqual({ owner: "cram", ops: ["MIGRATION", "DEMOTION"] });
    expect(spec.nodes[1]!.memory!.kind).toBe("cxl");
    expect(spec.nodes[1]!.cpus).toEqual([]);
    expect(spec.nodes[0]!.memory).not.toHaveProperty("private");
  });

  it("with a link it is a CXL device behind that link", () => {
    expect(seed.links.map((l) => [l.id, l.from, l.to])).toEqual([["interconnect0.1", 0, 1], ["cxl0.2", 0, 2], ["cxl1.3", 1, 3]]);
  });

  it("builder errors name the value, the rule and the fix", () => {
    const b = topology("t").socket(0, { cpus: 2, memory: { capacity: "1GiB", readBandwidth: 100, idleLatency: 100 } });
    const mem = { capacity: "1GiB", readBandwidth: 20, idleLatency: 250 };
    expect(() => b.privateNode({ socket: 0, owner: "x", ops: ["MEMPOLICY"], memory: mem })).toThrow(UsageError);
    expect(() => b.privateNode({ socket: 0, owner: "x", ops: ["MEMPOLICY"], memory: mem })).toThrow(
      /privateNode\(\)\.ops\[0\]: got "MEMPOLICY"; MEMPOLICY requires MIGRATION \(.*\)\. Fix: add MIGRATION or remove MEMPOLICY\./,
    );
    expect(() => b.privateNode({ socket: 0, owner: "x", ops: ["SWAP"], memory: mem })).toThrow(/privateNode\(\)\.ops\[0\]: got "SWAP"; "SWAP" is not an NP_OPS_\* capability/);
    expect(() => b.privateNode({ socket: 0, owner: "", ops: [], memory: mem })).toThrow(/privateNode\(\)\.owner: got ""; .*Fix: write e\.g\. owner: "cram"/);
    expect(() => b.privateNode({ socket: 5, owner: "x", ops: [], memory: mem })).toThrow(/socket 5 is not declared/);
  });
});

describe("capability validation (whole spec, with paths)", () => {
  const at = ["nodes", 2, "memory", "private"];
  const issues = (priv: unknown): { code: string; path: readonly (string | number)[]; message: string }[] => validateTopology(withPrivate(priv));

  it("accepts the seed machine and every single capability without dependencies", () => {
    expect(validateTopology(seed)).toEqual([]);
    for (const op of ["MIGRATION", "DEMOTION", "PROTECT_WRITE", "RECLAIM", "LONGTERM_PIN"]) expect(issues({ owner: "x", ops: [op] })).toEqual([]);
  });

  it("COMPACTION is accepted with MIGRATION (patch 19's rule) and kept in canonical order; tiersim gives it no effect", () => {
    expect(checkPrivate({ owner: "x", ops: ["COMPACTION", "MIGRATION"] })).toEqual({ spec: { owner: "x", ops: ["MIGRATION", "COMPACTION"] }, problems: [] });
    expect(PRIVATE_OP_RULES.find((r) => r.op === "COMPACTION")!.source).toMatch(/patch 19\/27 .*\(verified\); tiersim models no compaction/);
  });

  it("an unknown NP_OPS name is reported at its index, with or without the prefix", () => {
    const found = issues({ owner: "x", ops: ["MIGRATION", "NP_OPS_SWAP", "bogus"] });
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ["unknown_private_op", [...at, "ops", 1]],
      ["unknown_private_op", [...at, "ops", 2]],
    ]);
    expect(found[0]!.message).toMatch(/^"NP_OPS_SWAP" is not an NP_OPS_\* capability of RFC v4 \(known: MIGRATION, MEMPOLICY, .*\)\. Fix: use one of them/);
  });

  // Rules (private.ts file comment): MEMPOLICY, NUMA_BALANCING, COMPACTION need MIGRATION;
  // MEMPOLICY excludes PROTECT_WRITE; OOM_ELIGIBLE needs RECLAIM and DEMOTION (patch 17's mask;
  // the cover letter's MIGRATION|DEMOTION is then one bit short).
  it.each([
    [["MEMPOLICY"], "private_op_requires", 0, /^MEMPOLICY requires MIGRATION .*Fix: add MIGRATION or remove MEMPOLICY\.$/],
    [["DEMOTION", "NUMA_BALANCING"], "private_op_requires", 1, /^NUMA_BALANCING requires MIGRATION .*Fix: add MIGRATION or remove NUMA_BALANCING\.$/],
    [["COMPACTION"], "private_op_requires", 0, /^COMPACTION requires MIGRATION .*Fix: add MIGRATION or remove COMPACTION\.$/],
    [["MIGRATION", "PROTECT_WRITE", "MEMPOLICY"], "private_op_excludes", 2, /^MEMPOLICY excludes PROTECT_WRITE .*Fix: remove PROTECT_WRITE or MEMPOLICY\.$/],
    [["RECLAIM", "OOM_ELIGIBLE"], "private_op_requires", 1, /^OOM_ELIGIBLE requires RECLAIM and DEMOTION .*Fix: add DEMOTION or remove OOM_ELIGIBLE\.$/],
    [["MIGRATION", "DEMOTION", "OOM_ELIGIBLE"], "private_op_requires", 2, /^OOM_ELIGIBLE requires RECLAIM and DEMOTION .*patch 17.*Fix: add RECLAIM or remove OOM_ELIGIBLE\.$/],
    [["OOM_ELIGIBLE"], "private_op_requires", 0, /^OOM_ELIGIBLE requires RECLAIM and DEMOTION .*Fix: add RECLAIM and DEMOTION or remove OOM_ELIGIBLE\.$/],
    [["MIGRATION", "NP_OPS_MIGRATION"], "duplicate_private_op", 1, /^MIGRATION is already listed at ops\[0\]; .*Fix: list it once\.$/],
  ])("%j -> %s at ops[%i]", (ops, code, index, message) => {
    const found = issues({ owner: "x", ops });
    expect(found.map((i) => [i.code, i.path])).toEqual([[code, [...at, "ops", index]]]);
    expect(found[0]!.message).toMatch(message);
  });

  it("owner, ops type and unknown keys each have their path; all issues of a file come at once", () => {
    const found = issues({ owner: " ", ops: "MIGRATION", swapBackend: true });
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ["private_owner", [...at, "owner"]],
      ["invalid_type", [...at, "ops"]],
      ["unrecognized_keys", [...at, "swapBackend"]],
    ]);
    expect(() => topologyFromJSON(withPrivate({ owner: "x", ops: ["MEMPOLICY", "SWAP"] }) as object)).toThrow(ScenarioError);
  });

  it("every rule of the table is exercised above (a new rule needs a new test row)", () => {
    expect(PRIVATE_OP_RULES.map((r) => `${r.op} ${r.kind} ${r.other.join("+")}`)).toEqual([
      "MEMPOLICY requires MIGRATION",
      "NUMA_BALANCING requires MIGRATION",
      "COMPACTION requires MIGRATION",
      "MEMPOLICY excludes PROTECT_WRITE",
      "OOM_ELIGIBLE requires RECLAIM+DEMOTION",
    ]);
    expect(NP_OPS).toHaveLength(9);
    expect(checkPrivate({ owner: "cram", ops: NP_OPS.filter((o) => o !== "PROTECT_WRITE") }).problems).toEqual([]);
  });
});

describe("JSON", () => {
  it("round-trips the seed machine exactly", () => {
    const back = topologyFromJSON(topologyToJSON(seed));
    expect(back).toEqual(seed);
    expect(back.nodes[3]!.memory!.private).toEqual({ owner: "cram", ops: ["MIGRATION", "DEMOTION"] });
  });

  it("reads NP_OPS_ names and writes them canonically; private: null is ordinary memory", () => {
    const read = topologyFromJSON(withPrivate({ owner: "cxl_mempolicy", ops: ["NP_OPS_MEMPOLICY", "NP_OPS_MIGRATION"] }) as object);
    expect(read.nodes[2]!.memory!.private).toEqual({ owner: "cxl_mempolicy", ops: ["MIGRATION", "MEMPOLICY"] });
    const plain = topologyFromJSON(withPrivate(null) as object);
    expect(plain.nodes[2]!.memory).not.toHaveProperty("private");
    expect(topologyFromJSON(topologyToJSON(read))).toEqual(read);
  });
});

describe("derived state of the seed 002 machine", () => {
  it("private nodes are N_MEMORY_PRIVATE, not N_MEMORY, and keep their pages and watermarks", () => {
    expect(kt.memoryNodes).toEqual([0, 1]);
    expect(kt.privateNodes).toEqual([2, 3]);
    expect(kt.managedPages(2)).toBe((32 * 2 ** 30) / 4096);
    expect(kt.watermarks(2).min).toBeGreaterThan(0);
  });

  // §3.2 / §6.1 by hand with the SLIT A-B 21, A-C 14, A-D 24, B-C 24, B-D 14:
  // A: local first, then the only other N_MEMORY node B. B: B, A.
  // C (private): itself, then N_MEMORY by value = distance + (n < C) + CPU penalty:
  //   A 14+1+1 = 16, B 24+1+1 = 26 -> A, B. D: B 14+1+1 = 16, A 24+1+1 = 26 -> B, A.
  it("zonelists are exactly the seed's: A: A B, B: B A, C: C A B, D: D B A", () => {
    expect(zonelistsText(kt)).toBe("Fallback order for Node 0: 0 1 \nFallback order for Node 1: 1 0 \nFallback order for Node 2: 2 0 1 \nFallback order for Node 3: 3 1 0 \n");
    for (const n of kt.memoryNodes) {
      expect(kt.zonelist(n)).not.toContain(2);
      expect(kt.zonelist(n)).not.toContain(3);
    }
    expect([0, 1, 2, 3].map((n) => kt.noFallbackZonelist(n))).toEqual([[0], [1], [2], [3]]);
  });

  it("numactl --hardware shows the private nodes with their size, like any node with meminfo", () => {
    expect(numactlHardware(kt).split("\n").slice(0, 13)).toEqual([
      "available: 4 nodes (0-3)",
      "node 0 cpus: 0 1 2 3",
      "node 0 size: 65536 MB",
      "node 0 free: 65536 MB",
      "node 1 cpus: 4 5 6 7",
      "node 1 size: 65536 MB",
      "node 1 free: 65536 MB",
      "node 2 cpus:",
      "node 2 size: 32768 MB",
      "node 2 free: 32768 MB",
      "node 3 cpus:",
      "node 3 size: 32768 MB",
      "node 3 free: 32768 MB",
    ]);
  });
});

describe("demotion targets (§5.2 with §6.1: private nodes only with NP_OPS_DEMOTION)", () => {
  it("C (no DEMOTION) has no tier; D (DEMOTION) is the slower tier, so A and B demote to D", () => {
    // Tiers over N_MEMORY + {D}: D is CXL (slower adistance); A's and B's next slower tier is
    // {D}, its only node is the preferred target at any distance.
    expect(kt.tierOf(2)).toBeNull();
    expect(kt.tierOf(3)).not.toBeNull();
    expect(kt.tiers.map((t) => t.nodes)).toEqual([[0, 1], [3]]);
    expect([0, 1, 2, 3].map((n) => kt.demotionTargets(n))).toEqual([[3], [3], [], []]);
    expect(kt.lowerTierNodes(0)).toEqual([3]);
    expect(demotionTargetsText(kt)).toBe("Demotion targets for Node 0: preferred: 3, fallback: 3\nDemotion targets for Node 1: preferred: 3, fallback: 3\n");
  });

  it("without DEMOTION anywhere there is one tier and no demotion at all", () => {
    const none = deriveKernelTopology(privateNodesExample({ opsD: ["MIGRATION"] }));
    expect(none.tiers.map((t) => t.nodes)).toEqual([[0, 1]]);
    expect([0, 1].map((n) => none.demotionTargets(n))).toEqual([[], []]);
  });

  it("with DEMOTION on both, each socket demotes to its nearest device (find_next_best_node)", () => {
    // Restricted to tier {C, D}: from A, C = 14 (higher id, no CPUs: no penalty), D = 24 -> [C];
    // from B, C = 24, D = 14 -> [D].
    const both = deriveKernelTopology(privateNodesExample({ opsC: ["MIGRATION", "MEMPOLICY", "DEMOTION"] }));
    expect(both.tiers.map((t) => t.nodes)).toEqual([[0, 1], [2, 3]]);
    expect([0, 1].map((n) => both.demotionTargets(n))).toEqual([[2], [3]]);
  });
});

describe("reachability (seed 002 thread)", () => {
  // gfp-private: private nodes only with __GFP_PRIVATE; no flag from C walks C's list minus C.
  // fallback-only: no gate; a private node is reached through its own lists only.
  // From a normal node no flag ever reaches C or D: they are not in A's or B's list.
  const table = (design: "gfp-private" | "fallback-only"): Record<string, number[][]> => {
    const out: Record<string, number[][]> = {};
    for (const r of privateReachability(kt, design)) (out[r.flags] ??= []).push([...r.nodes]);
    return out;
  };

  it("gfp-private (RFC v4)", () => {
    expect(table("gfp-private")).toEqual({
      none: [[0, 1], [1, 0], [0, 1], [1, 0]],
      __GFP_THISNODE: [[0], [1], [], []],
      __GFP_PRIVATE: [[0, 1], [1, 0], [2, 0, 1], [3, 1, 0]],
      GFP_PRIVATE: [[0], [1], [2], [3]],
    });
  });

  it("fallback-only (the alternative without __GFP_PRIVATE: the flag changes nothing)", () => {
    expect(table("fallback-only")).toEqual({
      none: [[0, 1], [1, 0], [2, 0, 1], [3, 1, 0]],
      __GFP_THISNODE: [[0], [1], [2], [3]],
      __GFP_PRIVATE: [[0, 1], [1, 0], [2, 0, 1], [3, 1, 0]],
      GFP_PRIVATE: [[0], [1], [2], [3]],
    });
  });

  it("rows cover both designs x 4 flag combinations x 4 start nodes; bad design is a UsageError", () => {
    const rows = privateReachability(kt);
    expect(rows).toHaveLength(32);
    expect(rows[0]).toEqual({ design: "gfp-private", flags: "none", start: 0, nodes: [0, 1] });
    expect(() => privateReachability(kt, "cdm" as never)).toThrow(/design is one of gfp-private, fallback-only or "both"/);
  });

  it("a policy mask of private nodes moves the walk's origin to the nearest mask node", () => {
    // BIND{C} from A: A's list [A, B] holds no node of {C}, so the walk starts at C: [C A B] ∩ {C}.
    expect(walkedZonelist(kt, "gfp-private", { start: 0, mask: [2], gfpPrivate: true })).toEqual([2]);
    // BIND{C, D} from B: D (14) is nearer than C (24): D's list [D B A] ∩ {C, D} = [D].
    expect(walkedZonelist(kt, "gfp-private", { start: 1, mask: [2, 3], gfpPrivate: true })).toEqual([3]);
    // Without __GFP_PRIVATE the gate removes it again: the allocation cannot be served.
    expect(walkedZonelist(kt, "gfp-private", { start: 0, mask: [2] })).toEqual([]);
    // A mask that A's list already meets keeps the origin: BIND{A, C} from A walks [A].
    expect(walkedZonelist(kt, "gfp-private", { start: 0, mask: [0, 2], gfpPrivate: true })).toEqual([0]);
  });
});
