/**
 * The compressed-RAM settings of a private node (compression.ts, kernel-model.md §6.1): defaults,
 * validation with paths, JSON round trip, the builder option and the example machine.
 */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { topology } from "../../src/topology/builder.js";
import { checkCompression, deviceBytes } from "../../src/topology/compression.js";
import { cramMachine, CRAM_DECOMPRESS_NS } from "../../src/topology/cramExample.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import { topologyFromJSON, topologyToJSON } from "../../src/topology/json.js";
import { presets } from "../../src/topology/presets.js";
import { validateTopology } from "../../src/topology/validate.js";

const at = ["nodes", 1, "memory", "private"];
function withPrivate(priv: unknown): unknown {
  const raw = JSON.parse(topologyToJSON(cramMachine())) as { nodes: { memory: Record<string, unknown> }[] };
  raw.nodes[1]!.memory.private = priv;
  return raw;
}

describe("compression spec", () => {
  it("fills the defaults (ratio 2, boostAt 0.9) and parses the device size", () => {
    expect(checkCompression({}, ["PROTECT_WRITE"]).spec).toEqual({ ratio: 2, boostAt: 0.9 });
    expect(checkCompression({ ratio: 3, deviceCapacity: "64MiB" }, ["PROTECT_WRITE"]).spec).toEqual({ ratio: 3, boostAt: 0.9, deviceCapacityBytes: 64 * 2 ** 20 });
    // Without a device size, the media is capacity / ratio in whole pages: 262144 pages / 3 = 87381.3 -> 87381.
    expect(deviceBytes({ ratio: 3, boostAt: 0.9 }, 2 ** 30)).toBe(87381 * 4096);
  });

  it("reports every problem with its path under private.compression", () => {
    const found = validateTopology(withPrivate({ owner: "cram", ops: ["DEMOTION"], compression: { ratio: 0.5, boostAt: 1.5, deviceCapacityBytes: 100, level: 9 } }));
    expect(found.map((i) => [i.code, i.path])).toEqual([
      ["invalid_value", [...at, "compression", "ratio"]],
      ["invalid_value", [...at, "compression", "boostAt"]],
      ["invalid_value", [...at, "compression", "deviceCapacityBytes"]],
      ["unrecognized_keys", [...at, "compression", "level"]],
      ["compression_requires", [...at, "compression"]],
    ]);
    expect(found[0]!.message).toMatch(/^ratio 0.5 is not a compression ratio between 1 and 64 .*Fix: write e.g. ratio: 2/);
    expect(found[4]!.message).toMatch(/requires PROTECT_WRITE.*Fix: add PROTECT_WRITE to ops\./);
  });

  it("round-trips through JSON and comes from the builder option", () => {
    const spec = topology("t")
      .socket(0, { cpus: 2, memory: { capacity: "1GiB", readBandwidth: 100, idleLatency: 100 } })
      .privateNode({ socket: 0, owner: "cram", ops: ["DEMOTION", "PROTECT_WRITE"], memory: { capacity: "4GiB", readBandwidth: 20, idleLatency: 300 }, compression: { ratio: 2.5, deviceCapacity: "1GiB" } })
      .build();
    expect(spec.nodes[1]!.memory!.private).toEqual({ owner: "cram", ops: ["DEMOTION", "PROTECT_WRITE"], compression: { ratio: 2.5, boostAt: 0.9, deviceCapacityBytes: 2 ** 30 } });
    expect(topologyFromJSON(topologyToJSON(spec))).toEqual(spec);
    const b = topology("t").socket(0, { cpus: 2, memory: { capacity: "1GiB", readBandwidth: 100, idleLatency: 100 } });
    expect(() => b.privateNode({ socket: 0, owner: "cram", ops: ["DEMOTION"], memory: { capacity: "1GiB", readBandwidth: 20, idleLatency: 300 }, compression: {} })).toThrow(UsageError);
    expect(() => b.privateNode({ socket: 0, owner: "cram", ops: ["DEMOTION", "PROTECT_WRITE"], memory: { capacity: "1GiB", readBandwidth: 20, idleLatency: 300 }, compression: { boostAt: 0 } })).toThrow(/privateNode\(\)\.compression\.boostAt: got 0; boostAt 0 is not a fraction/);
  });
});

describe("cramMachine", () => {
  it("sprCxl's socket + a CRAM node 1 that is node 0's demotion target, never in a fallback list", () => {
    const spec = cramMachine();
    expect(validateTopology(spec)).toEqual([]);
    const kt = deriveKernelTopology(spec);
    expect([kt.memoryNodes, kt.privateNodes, kt.demotionTargets(0), kt.zonelist(0)]).toEqual([[0], [1], [1], [0]]);
    const m = spec.nodes[1]!.memory!;
    expect(m.private).toEqual({ owner: "cram", ops: ["MIGRATION", "DEMOTION", "PROTECT_WRITE"], compression: { ratio: 2, boostAt: 0.9, deviceCapacityBytes: 32 * 2 ** 30 } });
    const cxl = presets.sprCxl().nodes[1]!.memory!;
    expect(m.idleLatencyNs).toBe(cxl.idleLatencyNs + CRAM_DECOMPRESS_NS);
    expect(m.curves[0]!.points[0]![1]).toBe(cxl.curves[0]!.points[0]![1] + CRAM_DECOMPRESS_NS);
    expect(m.capacityBytes).toBe(64 * 2 ** 30);
  });
});
