import { describe, expect, it } from "vitest";
import { formatPath, ScenarioError, UsageError } from "../../src/core/errors.js";
import { checkPolicyFit } from "../../src/policy/policyFit.js";
import { policyFromJSON, policyToJSON } from "../../src/policy/policySetJson.js";
import { policy, validatePolicyAgainstWorkload } from "../../src/policy/policySet.js";
import { workload } from "../../src/workload/workloadBuilder.js";

describe("policy() builder", () => {
  it("builds the DESIGN.md snippet as written", () => {
    const pol = policy().weights({ 0: 9, 1: 1 }).numactl("stream", "--weighted-interleave=0,1").build();
    expect(pol).toEqual({
      format: "tiersim.policy/1",
      kernel: null,
      weights: { mode: "manual", weights: { "0": 9, "1": 1 } },
      tasks: [
        {
          process: "stream",
          policy: { mode: "MPOL_WEIGHTED_INTERLEAVE", flags: [], nodes: [0, 1] },
          cpuNodes: null,
          physCpus: null,
          numactl: "--weighted-interleave=0,1",
        },
      ],
      vmas: [],
      sysctls: [],
      sysfs: [],
    });
    expect(JSON.parse(JSON.stringify(pol))).toEqual(pol);
    expect(Object.isFrozen(pol.tasks[0]!.policy!.nodes)).toBe(true);
  });

  it("is immutable: deriving a builder leaves the original unchanged", () => {
    const base = policy().kernel("v6.16");
    const derived = base.autoWeights().sysctl("kernel.numa_balancing", 2).taskPolicy("a", "bind", [0]);
    expect(base.build()).toEqual({ format: "tiersim.policy/1", kernel: "v6.16", weights: null, tasks: [], vmas: [], sysctls: [], sysfs: [] });
    expect(derived.build().weights).toEqual({ mode: "auto" });
    expect(derived.build().sysctls).toEqual([{ name: "kernel.numa_balancing", value: 2 }]);
  });

  it("numactl keeps the CPU binding and the original line; a leading 'numactl' is allowed", () => {
    const pol = policy().numactl("db", "numactl --cpunodebind=0 --membind=0,2 ./db").numactl("web", "-N 1 -C 4-5").build();
    expect(pol.tasks[0]).toEqual({
      process: "db",
      policy: { mode: "MPOL_BIND", flags: [], nodes: [0, 2] },
      cpuNodes: [0],
      physCpus: null,
      numactl: "numactl --cpunodebind=0 --membind=0,2 ./db",
    });
    expect(pol.tasks[1]).toMatchObject({ process: "web", policy: null, cpuNodes: [1], physCpus: [4, 5] });
  });

  it("numactl -b --membind sets MPOL_F_NUMA_BALANCING", () => {
    const pol = policy().numactl("db", "-b --membind=0").build();
    expect(pol.tasks[0]!.policy).toEqual({ mode: "MPOL_BIND", flags: ["MPOL_F_NUMA_BALANCING"], nodes: [0] });
  });

  it("taskPolicy takes modes by name, short name or ABI number, flags by name", () => {
    const a = policy().taskPolicy("p", "MPOL_PREFERRED_MANY", [0], ["MPOL_F_NUMA_BALANCING"]).build().tasks[0]!.policy;
    const b = policy().taskPolicy("p", 2, [1, 0, 1]).build().tasks[0]!.policy;
    const c = policy().taskPolicy("p", "interleave", 0b101, ["static"]).build().tasks[0]!.policy;
    const d = policy().taskPolicy("p", "MPOL_BIND|MPOL_F_RELATIVE_NODES", [0]).build().tasks[0]!.policy;
    expect(a).toEqual({ mode: "MPOL_PREFERRED_MANY", flags: ["MPOL_F_NUMA_BALANCING"], nodes: [0] });
    expect(b).toEqual({ mode: "MPOL_BIND", flags: [], nodes: [0, 1] });
    expect(c).toEqual({ mode: "MPOL_INTERLEAVE", flags: ["MPOL_F_STATIC_NODES"], nodes: [0, 2] });
    expect(d).toEqual({ mode: "MPOL_BIND", flags: ["MPOL_F_RELATIVE_NODES"], nodes: [0] });
    expect(policy().taskPolicy("p", "local", []).build().tasks[0]!.policy).toEqual({ mode: "MPOL_LOCAL", flags: [], nodes: [] });
  });

  it("mbind: calibration.md §1's 9:1 on the three arrays only", () => {
    const pol = policy().weights({ 0: 9, 1: 1 }).mbind("stream", ["a", "b", "c"], "MPOL_WEIGHTED_INTERLEAVE", [0, 1]).build();
    expect(pol.vmas).toEqual(
      ["a", "b", "c"].map((region) => ({ process: "stream", region, mode: "MPOL_WEIGHTED_INTERLEAVE", flags: [], nodes: [0, 1], mbindFlags: [] })),
    );
  });

  it("mbind separates mbind flags from mode flags", () => {
    const v = policy().mbind("p", "heap", "MPOL_BIND", [1], ["MPOL_MF_MOVE", "MPOL_F_STATIC_NODES", "MPOL_MF_STRICT"]).build().vmas[0]!;
    expect(v.flags).toEqual(["MPOL_F_STATIC_NODES"]);
    expect(v.mbindFlags).toEqual(["MPOL_MF_MOVE", "MPOL_MF_STRICT"]);
  });

  it("sysctl by dotted name or /proc/sys path, sysfs by path, in call order", () => {
    const pol = policy()
      .sysctl("/proc/sys/kernel/numa_balancing", 2)
      .sysctl("vm.zone_reclaim_mode", "0")
      .sysfs("/sys/kernel/mm/numa/demotion_enabled", "true")
      .sysfs("/sys/kernel/mm/mempolicy/weighted_interleave/node0", 3)
      .build();
    expect(pol.sysctls).toEqual([
      { name: "kernel.numa_balancing", value: 2 },
      { name: "vm.zone_reclaim_mode", value: "0" },
    ]);
    expect(pol.sysfs.map((s) => s.name)).toEqual(["/sys/kernel/mm/numa/demotion_enabled", "/sys/kernel/mm/mempolicy/weighted_interleave/node0"]);
  });

  it("kernel versions are normalised to a leading v", () => {
    expect(policy().kernel("6.9").build().kernel).toBe("v6.9");
    expect(policy().kernel("v6.16").build().kernel).toBe("v6.16");
  });

  it("the last weights call wins", () => {
    expect(policy().weights({ 0: 3 }).autoWeights().build().weights).toEqual({ mode: "auto" });
    expect(policy().autoWeights().weights({ 0: 3, 2: 1 }).build().weights).toEqual({ mode: "manual", weights: { "0": 3, "2": 1 } });
  });
});

describe("bad policy input throws a UsageError at once", () => {
  it("a weight of 0 names the value, the rule and the fix", () => {
    expect(() => policy().weights({ 0: 0, 1: 1 })).toThrow(
      new UsageError({
        what: "policy().weights() weight of node 0",
        value: 0,
        rule: "a weight is an integer 1..255 (the sysfs file is a u8 and 0 is refused)",
        fix: "scale the ratio to small integers, e.g. 9:1",
      }).message,
    );
  });

  it.each<[string, () => unknown, RegExp]>([
    ["weight 256", () => policy().weights({ 0: 256 }), /integer 1\.\.255/],
    ["weight 1.5", () => policy().weights({ 0: 1.5 }), /integer 1\.\.255/],
    ["negative node in weights", () => policy().weights({ [-1]: 1 } as any), /node ids are non-negative/],
    ["empty weights", () => policy().weights({}), /at least one node/],
    ["unknown mode name", () => policy().taskPolicy("p", "MPOL_BLIND", [0]), /neither a mode/],
    ["mode number 7", () => policy().taskPolicy("p", 7, [0]), /a mode number is 0\.\.6/],
    ["negative node id", () => policy().taskPolicy("p", "bind", [-1]), /node ids are non-negative integers/],
    ["BIND with no nodes", () => policy().taskPolicy("p", "MPOL_BIND", []), /needs at least one node/],
    ["LOCAL with nodes", () => policy().taskPolicy("p", "MPOL_LOCAL", [0]), /takes no nodes/],
    ["static and relative", () => policy().taskPolicy("p", "bind", [0], ["static", "relative"]), /exclude each other/],
    ["balancing with interleave", () => policy().taskPolicy("p", "interleave", [0], ["balancing"]), /only with MPOL_BIND or MPOL_PREFERRED_MANY/],
    ["unknown flag", () => policy().taskPolicy("p", "bind", [0], ["MPOL_F_FAST"]), /neither a mode/],
    ["two task policies for one process", () => policy().numactl("p", "-m 0").taskPolicy("p", "bind", [1]), /already has one/],
    ["bad numactl node list", () => policy().numactl("p", "--interleave=x"), /is invalid/],
    ["conflicting numactl policies", () => policy().numactl("p", "-m 0 -i 1"), /Conflicting policies/],
    ["empty process name", () => policy().numactl("", "-m 0"), /names a process/],
    ["mbind with MPOL_MF_LAZY", () => policy().mbind("p", "r", "bind", [0], ["MPOL_MF_LAZY"]), /LAZY is EINVAL/],
    ["mbind with no region", () => policy().mbind("p", [], "bind", [0]), /non-empty list of regions/],
    ["mbind the same region twice", () => policy().mbind("p", "r", "bind", [0]).mbind("p", "r", "bind", [1]), /already has a VMA policy/],
    ["sysctl without a dot", () => policy().sysctl("numa_balancing", 1), /dotted name/],
    ["sysctl value NaN", () => policy().sysctl("kernel.numa_balancing", NaN), /number or a string/],
    ["sysfs outside /sys", () => policy().sysfs("/proc/sys/vm/x", 1), /under \/sys/],
    ["bad kernel version", () => policy().kernel("latest"), /v<major>\.<minor>/],
  ])("%s", (_name, f, message) => {
    expect(f).toThrow(UsageError);
    expect(f).toThrow(message);
  });
});

describe("validatePolicyAgainstWorkload", () => {
  const wl = workload()
    .process("stream", (p) => p.threads(64).on({ node: 0 }).stream({ kernel: "triad", arraySize: "3GiB" }))
    .process("db", (p) => p.zipf({ size: "1GiB" }))
    .build();

  it("accepts known processes and regions", () => {
    const pol = policy()
      .numactl("stream", "--weighted-interleave=0,1")
      .mbind("stream", ["a", "b", "c"], "MPOL_WEIGHTED_INTERLEAVE", [0, 1])
      .mbind("db", "heap", "bind", [0])
      .build();
    expect(validatePolicyAgainstWorkload(pol, wl)).toEqual([]);
  });

  it("reports unknown processes and regions with paths", () => {
    const pol = policy()
      .numactl("strem", "--interleave=0,1")
      .taskPolicy("db", "bind", [0])
      .mbind("stream", ["a", "d"], "bind", [0])
      .mbind("web", "heap", "bind", [0])
      .build();
    const issues = validatePolicyAgainstWorkload(pol, wl);
    expect(issues.map((i) => [i.code, formatPath(i.path)])).toEqual([
      ["unknown_process", "policy.tasks[0].process"],
      ["unknown_region", "policy.vmas[1].region"],
      ["unknown_process", "policy.vmas[2].process"],
    ]);
    expect(issues[0]!.message).toBe('got "strem"; a policy can only name a process of the workload (stream, db). Fix: fix the name or add the process to the workload.');
    expect(issues[1]!.message).toBe('got "d"; process "stream" has no such region (it has a, b, c). Fix: name one of its regions.');
  });
});

describe("policy set JSON", () => {
  const pol = policy()
    .kernel("v6.16")
    .weights({ 0: 9, 1: 1 })
    .numactl("stream", "-N 0 --weighted-interleave=0,1")
    .taskPolicy("db", "MPOL_PREFERRED_MANY", [0], ["MPOL_F_NUMA_BALANCING"])
    .mbind("db", "heap", "bind", [0, 1], ["MPOL_MF_MOVE"])
    .sysctl("kernel.numa_balancing", 2)
    .sysfs("/sys/kernel/mm/numa/demotion_enabled", "true")
    .build();

  it("round-trips: fromJSON(toJSON(p)) equals p", () => {
    const text = policyToJSON(pol);
    expect(policyFromJSON(text)).toEqual(pol);
    expect(policyToJSON(policyFromJSON(JSON.parse(text)))).toBe(text);
  });

  it("reports every bad entry with its path", () => {
    const bad: any = JSON.parse(policyToJSON(pol));
    bad.weights.weights["1"] = 0;
    bad.tasks[1].policy.mode = "MPOL_BLIND";
    bad.tasks[0].policy.nodes = [0, 2];
    bad.vmas[0].nodes = [];
    bad.sysctls.push({ name: "nodots", value: 1 });
    bad.extra = true;
    let error: unknown;
    try {
      policyFromJSON(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).issues.map((i) => [i.code, formatPath(i.path)])).toEqual([
      ["unrecognized_key", "extra"],
      ["invalid_value", "weights.weights"],
      ["numactl_mismatch", "tasks[0].policy"],
      ["invalid_value", "tasks[1].policy"],
      ["invalid_value", "vmas[0]"],
      ["invalid_value", "sysctls[1]"],
    ]);
  });

  it("rejects text that is not JSON and a wrong format", () => {
    expect(() => policyFromJSON("{")).toThrow(/not JSON/);
    expect(() => policyFromJSON({ format: "tiersim.policy/9" })).toThrow(/format must be "tiersim.policy\/1"/);
  });
});

describe("checkPolicyFit", () => {
  const GiB = 2 ** 30;
  const wl = workload()
    .process("stream", (p) => p.stream({ arraySize: "3GiB" }))
    .process("cache", (p) => p.kvCache({ size: "40GiB", file: "/dev/shm/kv" }))
    .process("warm", (p) => p.uniform({ size: "40GiB", kind: "shmem", file: "/dev/shm/kv" }))
    .build();
  const capacities = { 0: 16 * GiB, 1: 64 * GiB };

  it("fits: 9 GiB of STREAM arrays bound to a 16 GiB node", () => {
    expect(checkPolicyFit(policy().taskPolicy("stream", "bind", [0]).build(), wl, capacities)).toEqual([]);
  });

  it("a footprint larger than the BIND mask is an error with the binding policy's path", () => {
    const pol = policy().taskPolicy("stream", "bind", [0]).mbind("stream", "a", "bind", [1]).taskPolicy("cache", "bind", [0]).build();
    const issues = checkPolicyFit(pol, wl, capacities);
    expect(issues.map((i) => [i.code, formatPath(i.path)])).toEqual([["bind_footprint", "policy.tasks[0].policy.nodes"]]);
    expect(issues[0]!.message).toMatch(/^got 46 GiB bound to node 0, which hold 16 GiB; MPOL_BIND memory cannot spill/);
  });

  it("a shared shmem file counts once", () => {
    const pol = policy().taskPolicy("cache", "bind", [1]).taskPolicy("warm", "bind", [1]).build();
    expect(checkPolicyFit(pol, wl, capacities)).toEqual([]);
  });

  it("policies naming nodes the machine lacks", () => {
    const pol = policy().numactl("stream", "--interleave=0,2").mbind("cache", "cache", "bind", [3]).build();
    expect(checkPolicyFit(pol, wl, capacities).map((i) => [i.code, formatPath(i.path)])).toEqual([
      ["unknown_node", "policy.tasks[0].policy.nodes"],
      ["unknown_node", "policy.vmas[0].nodes"],
      ["bind_footprint", "policy.vmas[0].nodes"],
    ]);
  });
});
