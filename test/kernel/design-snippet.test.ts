/**
 * The machine-layer lines of the DESIGN.md public snippet run as written, through the public
 * index; plus the sysfs/sysctl files they touch and the views they read.
 */
import { describe, expect, it } from "vitest";
import { boot, presets, SyscallError, topology } from "../../src/index.js";

describe("DESIGN.md machine-layer snippet", () => {
  it("runs as written", () => {
    const k = boot(presets.twoSocketCxl(), { kernel: "v6.16" });
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap("64MiB");
    p.mbind(a, "64MiB", "MPOL_WEIGHTED_INTERLEAVE", [0, 2]);
    p.touch(a, "64MiB", { write: true });
    const maps = p.numaMaps();
    expect(maps).toMatch(new RegExp(`^${a.toString(16)} weighted interleave:0,2 anon=16384 dirty=16384 N0=\\d+ N2=\\d+ kernelpagesize_kB=4\\n$`));
    const w0 = k.weights.weight(0);
    const w2 = k.weights.weight(2);
    const n2 = Number(/N2=(\d+)/.exec(maps)![1]);
    // Static weighted interleave: node 2 gets its weight share of every period (§1.5).
    expect(Math.abs(n2 - (16384 * w2) / (w0 + w2))).toBeLessThanOrEqual(w0 + w2);
    const g = p.getMempolicy({ addr: a, flags: ["MPOL_F_NODE", "MPOL_F_ADDR"] });
    expect([0, 2]).toContain(g.node);
    expect(() => p.setMempolicy("MPOL_BIND", [])).toThrow(SyscallError);
    try {
      p.setMempolicy("MPOL_BIND", []);
    } catch (e) {
      expect((e as SyscallError).errno).toBe("EINVAL");
    }
    k.sysfs.write("/sys/kernel/mm/mempolicy/weighted_interleave/node0", 3);
    k.sysctl.write("kernel.numa_balancing", 2);
    const vm = k.vmstat();
    expect(vm.numa_hit).toBe(16384);
    expect(vm.numa_interleave).toBe(16384);
    expect(vm).toHaveProperty("pgpromote_success", 0);
    expect(k.sysfs.read("/sys/kernel/mm/mempolicy/weighted_interleave/auto")).toBe("false");
  });
});

describe("sysfs and sysctl", () => {
  const k = boot(presets.twoSocketCxl(), { kernel: "v6.16" });
  const wi = "/sys/kernel/mm/mempolicy/weighted_interleave";

  it("weighted_interleave/nodeN accepts 1..255, else EINVAL (§1.6)", () => {
    for (const bad of [0, 256, "", "x", -1]) {
      expect(() => k.sysfs.write(`${wi}/node1`, bad)).toThrow(/EINVAL/);
    }
    k.sysfs.write(`${wi}/node1`, 7);
    expect(k.sysfs.read(`${wi}/node1`)).toBe("7");
    expect(k.sysfs.read(`${wi}/auto`)).toBe("false");
  });

  it("auto: true recomputes from bandwidth; other strings EINVAL; unknown files ENOENT", () => {
    k.sysfs.write(`${wi}/auto`, "true");
    expect(k.sysfs.read(`${wi}/auto`)).toBe("true");
    expect(() => k.sysfs.write(`${wi}/auto`, "maybe")).toThrow(/EINVAL/);
    expect(() => k.sysfs.write(`${wi}/nodeX`, 1)).toThrow(/ENOENT/);
  });

  it("auto = true is ENODEV when no node ever reported bandwidth", () => {
    const spec = topology("nohmat")
      .socket(0, { cpus: 2, memory: { capacity: "1GiB", readBandwidth: 100, idleLatency: 100, hmat: false } })
      .cxl({ socket: 0, memory: { capacity: "1GiB", readBandwidth: 25, idleLatency: 250, hmat: false }, link: { readBandwidth: 26, latency: 40 } })
      .build();
    const k2 = boot(spec);
    k2.sysfs.write(`${wi}/auto`, "0");
    expect(() => k2.sysfs.write(`${wi}/auto`, "1")).toThrow(/ENODEV/);
  });

  it("auto does not exist before v6.16", () => {
    const old = boot(presets.twoSocketCxl(), { kernel: "v6.9" });
    expect(() => old.sysfs.read(`${wi}/auto`)).toThrow(/ENOENT/);
    expect(old.sysfs.read(`${wi}/node0`)).toBe("1");
  });

  it("kernel.numa_balancing accepts 0..4", () => {
    expect(k.sysctl.read("kernel.numa_balancing")).toBe(1);
    expect(() => k.sysctl.write("kernel.numa_balancing", 5)).toThrow(/EINVAL/);
    k.sysctl.write("/proc/sys/kernel/numa_balancing", "3");
    expect(k.sysctl.read("kernel.numa_balancing")).toBe(3);
  });

  it("per-node numastat and meminfo files", () => {
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap("1MiB");
    p.touch(a, "1MiB");
    expect(k.sysfs.read("/sys/devices/system/node/node0/numastat")).toContain("numa_hit 256");
    expect(k.sysfs.read("/sys/devices/system/node/node0/meminfo")).toMatch(/Node 0 AnonPages:\s+1024 kB/);
  });
});

describe("procfs and node lists", () => {
  it("reads /proc/vmstat, numa_maps, status and the node state lists", () => {
    const k = boot(presets.twoSocketCxl());
    const p = k.spawn({ cpu: 0 });
    const a = p.mmap("4MiB");
    p.touch(a, "4MiB");
    expect(k.readProc("/proc/vmstat")).toMatch(/^nr_free_pages \d+\n/);
    expect(k.readProc("/proc/vmstat")).toContain("\nnuma_hit 1024\n");
    expect(k.readProc(`/proc/${p.pid}/numa_maps`)).toBe(p.numaMaps());
    expect(k.readProc(`/proc/${p.pid}/status`)).toContain("Mems_allowed_list:\t0-3");
    expect(k.readProc("/proc/sys/kernel/numa_balancing")).toBe("1");
    expect(k.sysfs.read("/sys/devices/system/node/has_memory")).toBe("0-3");
    expect(k.sysfs.read("/sys/devices/system/node/has_cpu")).toBe("0-1");
    expect(() => k.readProc("/proc/424242/numa_maps")).toThrow(/ENOENT/);
  });
});

describe("watermark sysctls (§1.9)", () => {
  it("vm.watermark_scale_factor and vm.min_free_kbytes recompute the watermarks", () => {
    const k = boot(presets.twoSocketCxl());
    const before = k.buddy.watermarks(0);
    k.sysctl.write("vm.watermark_scale_factor", 100);
    const after = k.buddy.watermarks(0);
    expect(after.min).toBe(before.min);
    expect(after.low - after.min).toBeGreaterThan(before.low - before.min);
    k.sysctl.write("vm.min_free_kbytes", 2 * k.sysctl.read("vm.min_free_kbytes"));
    expect(k.buddy.watermarks(0).min).toBeGreaterThan(after.min);
  });
});
