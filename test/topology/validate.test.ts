import { describe, expect, it } from "vitest";
import { checkTopology, validateTopology } from "../../src/topology/validate.js";

/** A valid two-socket machine with one CXL expander, as a JSON file would hold it. */
function machine(): any {
  return {
    format: "tiersim.topology/1",
    name: "m",
    description: "",
    nodes: [
      { id: 0, socket: 0, cpus: [0, 1], memory: mem("dram") },
      { id: 1, socket: 1, cpus: [2, 3], memory: mem("dram") },
      { id: 2, socket: 0, cpus: [], memory: { ...mem("cxl"), zone: "movable" } },
    ],
    links: [
      { id: "cxl0.2", kind: "cxl", from: 0, to: 2, readBandwidthGBps: 26.55, writeBandwidthGBps: 24.01, latencyNs: 33 },
      { id: "upi", kind: "interconnect", from: 0, to: 1, readBandwidthGBps: 128, writeBandwidthGBps: 128, latencyNs: 70 },
    ],
    distances: [
      [10, 20, 20],
      [20, 10, 30],
      [20, 30, 10],
    ],
  };
}

function mem(kind: string): any {
  return {
    kind,
    capacityBytes: 64 * 1024 ** 3,
    zone: "normal",
    readBandwidthGBps: 100,
    writeBandwidthGBps: 100,
    idleLatencyNs: 110,
    curves: [{ readShare: 1, points: [[0, 110], [100, 200]] }],
    hmat: true,
    online: true,
  };
}

/** Validates a mutated machine and returns its only issue. */
function onlyIssue(mutate: (m: any) => void): { code: string; path: readonly (string | number)[]; message: string } {
  const m = machine();
  mutate(m);
  const issues = validateTopology(m);
  expect(issues).toHaveLength(1);
  return issues[0]!;
}

describe("validateTopology", () => {
  it("accepts a valid machine", () => {
    expect(validateTopology(machine())).toEqual([]);
  });

  it.each([
    ["zero capacity", (m: any) => (m.nodes[2].memory.capacityBytes = 0), "not_positive", ["nodes", 2, "memory", "capacityBytes"], "must be greater than zero", 'e.g. "64GiB"'],
    ["negative capacity", (m: any) => (m.nodes[1].memory.capacityBytes = -4096), "not_positive", ["nodes", 1, "memory", "capacityBytes"], "must be greater than zero", "Fix: give the measured bytes"],
    ["duplicate node id", (m: any) => (m.nodes[1].id = 0), "duplicate_node", ["nodes", 1, "id"], "node id 0 is already used by nodes[0]; node ids are unique", "Fix: renumber one of them"],
    ["node id out of range", (m: any) => (m.nodes[1].id = 1024), "invalid_node_id", ["nodes", 1, "id"], "node id 1024 is outside 0..1023", "Fix: use a small non-negative integer"],
    ["negative node id", (m: any) => (m.nodes[1].id = -1), "invalid_node_id", ["nodes", 1, "id"], "node id -1 is outside 0..1023", "Fix:"],
    ["self distance not 10", (m: any) => (m.distances[1][1] = 11), "self_distance", ["distances", 1, 1], "node-to-itself distance is 11, but LOCAL_DISTANCE is 10", "Fix: set the diagonal to 10"],
    ["asymmetric distance", (m: any) => (m.distances[0][2] = 25), "asymmetric_distance", ["distances", 0, 2], "distance 0->2 is 25 but 2->0 is 20", "Fix: make both entries equal"],
    ["CPU id on two nodes", (m: any) => (m.nodes[1].cpus = [2, 1]), "duplicate_cpu", ["nodes", 1, "cpus", 1], "CPU 1 is already on nodes[0]", "Fix: list each CPU id once"],
    ["cxl link to a non-cxl node", (m: any) => (m.links[0].to = 1), "cxl_target_not_cxl", ["links", 0, "to"], 'whose memory is kind "dram"; a CXL link leads to a kind "cxl" node', "Fix: target the expander node"],
    ["cxl link to an unknown node", (m: any) => (m.links[0].to = 9), "unknown_node", ["links", 0, "to"], "cxl link targets node 9, which is not in the topology (nodes: 0, 1, 2)", "Fix: point it at the expander's node id"],
    ["cxl link from an unknown socket", (m: any) => { m.links[0].from = 5; m.nodes[2].socket = 5; }, "unknown_socket", ["links", 0, "from"], "host socket 5 has no node with CPUs (sockets: 0, 1)", "Fix: use a declared socket id"],
    ["interconnect to an unknown socket", (m: any) => (m.links[1].to = 4), "unknown_socket", ["links", 1, "to"], "to socket 4 has no node with CPUs", "Fix:"],
    ["cxl link and node disagree on the socket", (m: any) => (m.nodes[2].socket = 1), "socket_mismatch", ["links", 0, "from"], "comes from socket 0 but node 2 says it is attached to socket 1", "Fix: make the link's from and the node's socket agree"],
    ["curve not ascending", (m: any) => (m.nodes[0].memory.curves[0].points = [[0, 110], [100, 200], [90, 300]]), "curve_not_ascending", ["nodes", 0, "memory", "curves", 0, "points", 2, 0], "bandwidth 90 GB/s does not rise above the previous point's 100 GB/s", "Fix: list the points from idle to saturation"],
    ["read share above 1", (m: any) => (m.nodes[0].memory.curves[0].readShare = 1.2), "invalid_read_share", ["nodes", 0, "memory", "curves", 0, "readShare"], "read share 1.2 is outside 0..1", "Fix: write e.g. 1"],
    ["read share below 0", (m: any) => (m.nodes[0].memory.curves[0].readShare = -0.1), "invalid_read_share", ["nodes", 0, "memory", "curves", 0, "readShare"], "read share -0.1 is outside 0..1", "Fix:"],
    ["unknown unit in a JSON string", (m: any) => (m.nodes[2].memory.capacityBytes = "64 GiBs"), "invalid_unit", ["nodes", 2, "memory", "capacityBytes"], '"64 GiBs" is not a quantity with a known unit', 'Fix: write a number of bytes or e.g. "64GiB"'],
    ["unknown bandwidth unit", (m: any) => (m.links[0].readBandwidthGBps = "26 furlongs/s"), "invalid_unit", ["links", 0, "readBandwidthGBps"], "is not a quantity with a known unit", 'e.g. "26GB/s"'],
    ["CXL node with CPUs", (m: any) => (m.nodes[2].cpus = [7]), "cxl_with_cpus", ["nodes", 2, "cpus"], "expanders are CPU-less", "Fix: move the CPUs"],
    ["duplicate link id", (m: any) => (m.links[1].id = "cxl0.2"), "duplicate_link", ["links", 1, "id"], 'link id "cxl0.2" is already used by links[0]', "Fix: rename one of them"],
    ["a misspelt key", (m: any) => (m.nodes[0].memory.capcity = 1), "unrecognized_keys", ["nodes", 0, "memory"], 'has unknown key "capcity"', "Fix: remove them or correct their spelling"],
    ["a wrong type", (m: any) => (m.nodes[1].memory.hmat = "yes"), "invalid_type", ["nodes", 1, "memory", "hmat"], '"hmat" must be a boolean', "Fix: give"],
    ["an unknown memory kind", (m: any) => (m.nodes[1].memory.kind = "sram"), "invalid_value", ["nodes", 1, "memory", "kind"], 'must be "dram" or "cxl" or "hbm" or "pmem"', "Fix:"],
  ])("%s", (_label, mutate, code, path, rule, fix) => {
    const issue = onlyIssue(mutate);
    expect(issue.code).toBe(code);
    expect(issue.path).toEqual(path);
    expect(issue.message).toContain(rule);
    expect(issue.message).toContain(fix);
  });

  it.each([
    [10, "remote distance 10 is outside 11..254"],
    [5, "remote distance 5 is outside 11..254"],
    [255, "remote distance 255 is outside 11..254"],
  ])("remote distance %d is out of range", (d, rule) => {
    const m = machine();
    m.distances[1][2] = d;
    m.distances[2][1] = d;
    const issues = validateTopology(m);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["distance_range", ["distances", 1, 2]],
      ["distance_range", ["distances", 2, 1]],
    ]);
    expect(issues[0]!.message).toContain(rule);
    expect(issues[0]!.message).toContain("Fix: use e.g. 20 for one hop");
  });

  it("reports a matrix that does not match the node count", () => {
    const m = machine();
    m.distances = [[10, 20], [20, 10]];
    const issues = validateTopology(m);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "distance_size", path: ["distances"] });
    expect(issues[0]!.message).toBe(
      "the matrix has 2 rows but the topology has 3 nodes. Fix: give one row and one column per node in ascending node-id order, or null to derive the SLIT.",
    );
  });

  it("reports a ragged matrix row", () => {
    const m = machine();
    m.distances[2] = [20, 30];
    expect(validateTopology(m).map((i) => [i.code, i.path])).toEqual([["distance_not_square", ["distances", 2]]]);
  });

  it("reports distances to nodes that do not exist", () => {
    const m = machine();
    m.distances = [
      [10, 20, 20, 20],
      [20, 10, 30, 20],
      [20, 30, 10, 20],
      [20, 20, 20, 10],
    ];
    expect(validateTopology(m).map((i) => [i.code, i.path])).toEqual([
      ["distance_size", ["distances"]],
      ["unknown_node", ["distances", 3]],
      ["unknown_node", ["distances", 0, 3]],
      ["unknown_node", ["distances", 1, 3]],
      ["unknown_node", ["distances", 2, 3]],
    ]);
  });

  it("collects every issue at once, across nodes, links and distances", () => {
    const m = machine();
    m.nodes[0].memory.capacityBytes = 0;
    m.nodes[1].memory.kind = "sram";
    m.nodes[2].id = 0;
    m.links[1].to = 7;
    m.distances[0][0] = 0;
    expect(validateTopology(m).map((i) => [i.code, i.path])).toEqual([
      ["invalid_value", ["nodes", 1, "memory", "kind"]],
      ["not_positive", ["nodes", 0, "memory", "capacityBytes"]],
      ["duplicate_node", ["nodes", 2, "id"]],
      ["unknown_node", ["links", 0, "to"]],
      ["unknown_socket", ["links", 1, "to"]],
      ["self_distance", ["distances", 0, 0]],
    ]);
  });

  it("still resolves links to a node whose own shape is broken", () => {
    const m = machine();
    m.nodes[2].memory.zone = "dma";
    expect(validateTopology(m).map((i) => i.code)).toEqual(["invalid_value"]);
  });

  it("rejects a wrong format tag and a non-object", () => {
    const m = machine();
    m.format = "tiersim.topology/2";
    expect(validateTopology(m).map((i) => [i.code, i.path])).toEqual([["invalid_value", ["format"]]]);
    expect(validateTopology(42).map((i) => i.code)).toEqual(["invalid_type"]);
  });

  it("normalises unit strings to canonical numbers", () => {
    const m = machine();
    m.nodes[2].memory.capacityBytes = "128GiB";
    m.nodes[2].memory.readBandwidthGBps = "24484.6MB/s";
    m.nodes[2].memory.idleLatencyNs = "0.14us";
    m.links[0].latencyNs = "33ns";
    const { issues, spec } = checkTopology(m);
    expect(issues).toEqual([]);
    expect(spec!.nodes[2]!.memory).toMatchObject({ capacityBytes: 128 * 1024 ** 3, readBandwidthGBps: 24.4846, idleLatencyNs: 140 });
    expect(spec!.links[0]!.latencyNs).toBe(33);
  });
});
