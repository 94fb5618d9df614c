import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { NumactlError, numactl, splitCommandLine } from "../../src/policy/numactl.js";
import { parseLibnumaList } from "../../src/policy/nodestring.js";

// twoSocketCxl-like: nodes 0-3, CPUs 0-7 on nodes 0-1.
const machine = { nodes: [0, 1, 2, 3], cpus: [0, 1, 2, 3, 4, 5, 6, 7] };

function numactlError(fn: () => unknown): NumactlError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NumactlError);
    return e as NumactlError;
  }
  throw new Error("expected numactl to fail");
}

describe("numactl: policies", () => {
  it("--weighted-interleave / -w take the node list (numactl 2.0.19)", () => {
    expect(numactl("--weighted-interleave=0,1 ./stream", machine)).toEqual({
      policy: { mode: "MPOL_WEIGHTED_INTERLEAVE", flags: [], nodes: [0, 1] },
      cpuNodes: null,
      physCpus: null,
      command: ["./stream"],
      warnings: [],
    });
    expect(numactl(["-w", "1,2", "./eatmem"], machine).policy?.mode).toBe("MPOL_WEIGHTED_INTERLEAVE");
  });
  it("the cover letter's `numactl -w --interleave=1,2` fails on released numactl: -w swallows the next word", () => {
    const e = numactlError(() => numactl("-w --interleave=1,2 ./stream", machine));
    expect(e.stdout).toBe("<--interleave=1,2> is invalid\n");
    expect(e.stderr).toBe("libnuma: Warning: unparseable node description `--interleave=1,2'\n\n");
    expect(e.fix).toContain("--weighted-interleave=1,2");
    expect(e.exitCode).toBe(1);
  });
  it("--membind, -m, with --balancing before it", () => {
    expect(numactl("--membind=0-1 ./a", machine).policy).toEqual({ mode: "MPOL_BIND", flags: [], nodes: [0, 1] });
    expect(numactl("-b -m 2 ./a", machine).policy).toEqual({ mode: "MPOL_BIND", flags: ["MPOL_F_NUMA_BALANCING"], nodes: [2] });
    expect(numactl("--balancing --interleave=all ./a", machine).policy).toEqual({ mode: "MPOL_INTERLEAVE", flags: [], nodes: [0, 1, 2, 3] });
  });
  it("--balancing after a policy is refused with numactl's (odd) message", () => {
    expect(numactlError(() => numactl("-m 0 -b ./a", machine)).stderr).toBe("numactl: specify policy after --shm/--file\n");
  });
  it("--preferred takes one node; --preferred-many several", () => {
    expect(numactl("-p 2 ./a", machine).policy).toEqual({ mode: "MPOL_PREFERRED", flags: [], nodes: [2] });
    expect(numactl("--preferred-many=0,1 ./a", machine).policy).toEqual({ mode: "MPOL_PREFERRED_MANY", flags: [], nodes: [0, 1] });
    const e = numactlError(() => numactl("--preferred=0,1 ./a", machine));
    expect([e.stdout, e.stderr]).toEqual(["", ""]);
    expect(e.rule).toContain("exactly one node");
  });
  it("--preferred-many needs kernel support (v5.15+)", () => {
    const e = numactlError(() => numactl("-P 0,1 ./a", { ...machine, kernelVersion: "v5.10" }));
    expect(e.stderr).toBe("numactl: preferred-many requested without kernel support\n");
  });
  it("--localalloc sets MPOL_LOCAL; an empty interleave list becomes MPOL_DEFAULT", () => {
    expect(numactl("-l ./a", machine).policy).toEqual({ mode: "MPOL_LOCAL", flags: [], nodes: [] });
    expect(numactl(["--interleave=", "./a"], machine).policy).toEqual({ mode: "MPOL_DEFAULT", flags: [], nodes: [] });
    expect(numactl("./a", machine).policy).toBeNull();
  });
  it("two policies conflict", () => {
    expect(numactlError(() => numactl("-m 0 -i 1 ./a", machine)).stderr).toBe("numactl: Conflicting policies\n");
    expect(numactlError(() => numactl("-l -p 0 ./a", machine)).stderr).toBe("numactl: Conflicting policies\n");
  });
});

describe("numactl: node and CPU lists (libnuma syntax)", () => {
  it("ranges, a leading ! inverts, + is relative to the allowed set, 'same' repeats", () => {
    expect(numactl("-m 0-1,3 ./a", machine).policy?.nodes).toEqual([0, 1, 3]);
    expect(numactl("-m !2 ./a", machine).policy?.nodes).toEqual([0, 1, 3]);
    expect(numactl("-m +1-2 ./a", { ...machine, memsAllowed: [1, 2, 3] }).policy?.nodes).toEqual([2, 3]);
    expect(numactl("-N 0 -m same ./a", machine)).toMatchObject({ cpuNodes: [0], policy: { nodes: [0] } });
    expect(numactl("-m 0x2 ./a", machine).policy?.nodes).toEqual([2]);
  });
  it("'0-3,!2' is not valid: ! only inverts a whole list", () => {
    const e = numactlError(() => numactl("-m 0-3,!2 ./a", machine));
    expect(e.stdout).toBe("<0-3,!2> is invalid\n");
    expect(e.stderr).toBe("libnuma: Warning: unparseable node description `!2'\n\n");
  });
  it("a node outside the allowed set: libnuma's warning, then numactl's '<list> is invalid'", () => {
    const e = numactlError(() => numactl("--membind=7 ./a", machine));
    expect(e.stdout).toBe("<7> is invalid\n");
    expect(e.stderr).toBe("libnuma: Warning: node argument 7 is out of range\n\n");
    expect(e).toBeInstanceOf(UsageError);
    expect(numactlError(() => numactl("-i 0-9 ./a", machine)).stderr).toBe("libnuma: Warning: node argument 9 out of range\n\n");
    expect(numactlError(() => numactl("-i 0- ./a", machine)).stderr).toBe("libnuma: Warning: missing node argument \n\n");
    expect(numactlError(() => numactl("-i 1x ./a", machine)).stderr).toBe("");
  });
  it("the cpuset limits lists unless --all comes first", () => {
    const inCpuset = { ...machine, memsAllowed: [0, 1] };
    expect(numactlError(() => numactl("-m 2 ./a", inCpuset)).stdout).toBe("<2> is invalid\n");
    expect(numactl("-a -m 2 ./a", inCpuset).policy?.nodes).toEqual([2]);
    expect(numactlError(() => numactl("-m 0 -a ./a", inCpuset)).stderr).toBe(
      "numactl: --all/-a option must be before all cpu/node specifications\n",
    );
  });
  it("--physcpubind and --cpunodebind", () => {
    expect(numactl("-C 0-3,6 -N 1 ./a", machine)).toMatchObject({ physCpus: [0, 1, 2, 3, 6], cpuNodes: [1] });
    expect(numactlError(() => numactl("-C 9 ./a", machine)).stderr).toBe("libnuma: Warning: cpu argument 9 is out of range\n\n");
  });
  it("without a machine, ids are only syntax-checked", () => {
    expect(numactl("-m 5,7 ./a").policy?.nodes).toEqual([5, 7]);
    expect(() => numactl("-m all ./a")).toThrow(UsageError);
  });
  it("device affinity names are not simulated", () => {
    expect(() => numactl("-N netdev:eth0 ./a", machine)).toThrow(/not simulate/);
  });
  it("parseLibnumaList returns libnuma's verdict", () => {
    expect(parseLibnumaList("", { kind: "node", allowed: [0], configured: 1 })).toEqual({ ok: true, ids: [] });
    expect(parseLibnumaList("+5", { kind: "node", allowed: [0, 1], configured: 2 })).toEqual({
      ok: false,
      warning: "libnuma: Warning: node argument 1024 is out of range\n\n",
    });
  });
});

describe("numactl: getopt behaviour", () => {
  it("stops at the first non-option; the rest is the command", () => {
    expect(numactl("-m 0 ./a -m 1", machine).command).toEqual(["./a", "-m", "1"]);
    expect(numactl("-m 0 -- -weird", machine).command).toEqual(["-weird"]);
    expect(numactl("numactl -l ls -l", machine).command).toEqual(["ls", "-l"]);
  });
  it("accepts unique long-option prefixes and clustered short options", () => {
    expect(numactl("--inter=0,1 ./a", machine).policy?.mode).toBe("MPOL_INTERLEAVE");
    expect(numactl("-bm0 ./a", machine).policy).toEqual({ mode: "MPOL_BIND", flags: ["MPOL_F_NUMA_BALANCING"], nodes: [0] });
    expect(numactl("--preferred 1 ./a", machine).policy?.mode).toBe("MPOL_PREFERRED");
  });
  it("reports glibc getopt errors", () => {
    expect(numactlError(() => numactl("--pre=1 ./a", machine)).stderr).toBe(
      "numactl: option '--pre' is ambiguous; possibilities: '--preferred' '--preferred-many'\n",
    );
    expect(numactlError(() => numactl("--frobnicate ./a", machine)).stderr).toBe("numactl: unrecognized option '--frobnicate'\n");
    expect(numactlError(() => numactl("-x ./a", machine)).stderr).toBe("numactl: invalid option -- 'x'\n");
    expect(numactlError(() => numactl("-m", machine)).stderr).toBe("numactl: option requires an argument -- 'm'\n");
    expect(numactlError(() => numactl("--membind", machine)).stderr).toBe("numactl: option '--membind' requires an argument\n");
    expect(numactlError(() => numactl("--localalloc=1 ./a", machine)).stderr).toBe("numactl: option '--localalloc' doesn't allow an argument\n");
  });
  it("--strict is ignored with a warning; a missing command fails only when required", () => {
    expect(numactl("-t -m 0 ./a", machine).warnings).toEqual(["numactl: warning. Strict flag for process ignored."]);
    expect(numactl("--weighted-interleave=0,1", machine).command).toEqual([]);
    expect(numactlError(() => numactl("-m 0", { ...machine, requireCommand: true })).rule).toContain("needs a command");
  });
  it("show/hardware/shm options are not simulated here", () => {
    expect(() => numactl("--hardware", machine)).toThrow(/not simulated/);
  });
  it("splits command lines like a shell", () => {
    expect(splitCommandLine(`-m 0 sh -c 'echo "hi there"'`)).toEqual(["-m", "0", "sh", "-c", 'echo "hi there"']);
    expect(splitCommandLine(`a\\ b "c\\"d"`)).toEqual(["a b", 'c"d']);
    expect(() => splitCommandLine("'open")).toThrow(UsageError);
  });
});
