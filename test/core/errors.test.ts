import { describe, expect, it } from "vitest";
import { ERRNO, ScenarioError, SyscallError, UsageError, formatPath } from "../../src/core/errors.js";

describe("errors", () => {
  it("SyscallError carries the errno name and Linux's number", () => {
    const e = new SyscallError("set_mempolicy", "EINVAL", "MPOL_BIND needs a non-empty node mask");
    expect(e.errno).toBe("EINVAL");
    expect(e.code).toBe(22);
    expect(e.syscall).toBe("set_mempolicy");
    expect(e.message).toBe("set_mempolicy: EINVAL (22): MPOL_BIND needs a non-empty node mask");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("SyscallError");
  });

  it("uses asm-generic errno numbers", () => {
    expect(ERRNO).toMatchObject({ EPERM: 1, ENOENT: 2, ESRCH: 3, EIO: 5, ENOMEM: 12, EACCES: 13, EFAULT: 14, ENODEV: 19, EINVAL: 22, EOPNOTSUPP: 95 });
  });

  it("formats issue paths zod-style", () => {
    expect(formatPath(["topology", "nodes", 2, "capacity"])).toBe("topology.nodes[2].capacity");
    expect(formatPath([])).toBe("(root)");
    expect(formatPath(["distances", 0, 3])).toBe("distances[0][3]");
  });

  it("ScenarioError lists every issue with its path", () => {
    const e = new ScenarioError(
      [
        { code: "invalid_value", path: ["nodes", 0, "capacityBytes"], message: "capacity must be positive" },
        { code: "asymmetric_distance", path: ["distances", 0, 1], message: "distance 0->1 differs from 1->0" },
      ],
      "topology",
    );
    expect(e.issues).toHaveLength(2);
    expect(e.message).toContain("invalid topology: 2 issues");
    expect(e.message).toContain("→ at nodes[0].capacityBytes");
    expect(e.message).toContain("→ at distances[0][1]");
  });

  it("UsageError keeps its parts", () => {
    const e = new UsageError({ what: "threads", value: -1, rule: "must be a positive integer", fix: "write threads(64)" });
    expect(e.message).toBe("threads: got -1; must be a positive integer. Fix: write threads(64).");
    expect(e.value).toBe(-1);
  });
});
