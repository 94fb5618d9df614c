import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../src/core/errors.js";
import { setMemoryOnline, topology } from "../../src/topology/builder.js";
import { topologyFromJSON, topologyToJSON } from "../../src/topology/json.js";
import { presetNames, presets } from "../../src/topology/presets.js";

const machine = topology("round trip")
  .describe("socket + SNC + CXL + interconnect")
  .socket(0, {
    cpus: 8,
    snc: 2,
    source: "test",
    memory: { capacity: "64GiB", readBandwidth: "200GB/s", idleLatency: "110ns", curves: [{ readShare: 0.5, points: [[0, 111], [236.6, 364.3]], source: "c" }], source: "m" },
  })
  .socket(1, { cpus: [100, 101], memory: null })
  .cxl({ socket: 0, memory: { capacity: "128GiB", readBandwidth: 24.4846, idleLatency: 140, online: false, hmat: false }, link: { readBandwidth: 26.55, writeBandwidth: 24.01, latency: 33, source: "l" } })
  .interconnect(0, 1, { bandwidth: 128, latency: 70 })
  .distances([
    [10, 12, 20, 20],
    [12, 10, 20, 20],
    [20, 20, 10, 30],
    [20, 20, 30, 10],
  ])
  .build();

function scenarioError(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error("expected a ScenarioError");
}

describe("topology JSON", () => {
  it("round-trips a builder spec exactly, through text and through an object", () => {
    const text = topologyToJSON(machine);
    expect(topologyFromJSON(text)).toEqual(machine);
    expect(topologyFromJSON(JSON.parse(text) as object)).toEqual(machine);
    expect(topologyToJSON(topologyFromJSON(text))).toBe(text);
  });

  it.each(presetNames())("round-trips preset %s", (name) => {
    const spec = presets[name as keyof typeof presets]();
    expect(topologyFromJSON(topologyToJSON(spec))).toEqual(spec);
  });

  it("keeps hotplug state across the round trip", () => {
    const offline = setMemoryOnline(presets.twoSocketCxl(), 3, false);
    expect(topologyFromJSON(topologyToJSON(offline)).nodes[3]!.memory!.online).toBe(false);
  });

  it("writes number arrays on one line and ends with a newline", () => {
    const text = topologyToJSON(machine);
    expect(text).toContain('"cpus": [0, 1, 2, 3]');
    expect(text).toContain("[10, 12, 20, 20]");
    expect(text.endsWith("}\n")).toBe(true);
  });

  it("accepts sizes, bandwidths and latencies as unit strings and normalises them", () => {
    const raw = JSON.parse(topologyToJSON(machine));
    raw.nodes[3].memory.capacityBytes = "128GiB";
    raw.nodes[3].memory.readBandwidthGBps = "24484.6MB/s";
    raw.nodes[3].memory.writeBandwidthGBps = "24.4846GB/s";
    raw.nodes[3].memory.idleLatencyNs = "140ns";
    raw.links[0].readBandwidthGBps = "26.55 GB/s";
    expect(topologyFromJSON(JSON.stringify(raw))).toEqual(machine);
  });

  it("reports every issue of a broken file with its path", () => {
    const raw = JSON.parse(topologyToJSON(machine));
    raw.nodes[0].memory.capacityBytes = "64 gigs";
    raw.nodes[3].memory.curves = [{ readShare: 2, points: [[0, 1], [5, 2]] }];
    raw.links[1].to = 9;
    const e = scenarioError(() => topologyFromJSON(raw));
    expect(e.issues.map((i) => [i.code, i.path])).toEqual([
      ["invalid_unit", ["nodes", 0, "memory", "capacityBytes"]],
      ["invalid_read_share", ["nodes", 3, "memory", "curves", 0, "readShare"]],
      ["unknown_socket", ["links", 1, "to"]],
    ]);
    expect(e.message).toContain("invalid topology: 3 issues");
    expect(e.message).toContain("→ at nodes[0].memory.capacityBytes");
    expect(e.message).toContain("→ at nodes[3].memory.curves[0].readShare");
    expect(e.message).toContain("→ at links[1].to");
  });

  it("reports text that is not JSON as one issue", () => {
    const e = scenarioError(() => topologyFromJSON("{ nodes: ["));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]!.code).toBe("invalid_json");
    expect(e.issues[0]!.message).toContain("Fix: check quotes, commas and brackets");
  });
});
