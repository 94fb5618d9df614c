import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { deriveKernelTopology } from "../../src/topology/derive.js";
import { demotionTargetsText, formatNodelist, memoryTiersSysfs, numactlHardware, zonelistsText } from "../../src/topology/views.js";
import { machine, mem, node, twoSocketCxl } from "./literal-spec.js";

describe("formatNodelist (%*pbl)", () => {
  it("prints ranges and singles like the kernel", () => {
    expect(formatNodelist([0, 1, 2, 3, 5])).toBe("0-3,5");
    expect(formatNodelist([0, 1])).toBe("0-1");
    expect(formatNodelist([4, 2])).toBe("2,4");
    expect(formatNodelist([7])).toBe("7");
    expect(formatNodelist([3, 3, 2])).toBe("2-3");
    expect(formatNodelist([])).toBe("");
    expect(formatNodelist([0, 2, 3, 4, 9, 10])).toBe("0,2-4,9-10");
    expect(() => formatNodelist([-1])).toThrow(UsageError);
  });
});

describe("views of the derived topology", () => {
  const kt = deriveKernelTopology(twoSocketCxl());

  it("prints numactl --hardware", () => {
    const free = (n: number): number => (n === 0 ? 4096 * 256 : kt.managedPages(n)); // node 0: 4 GiB free
    expect(numactlHardware(kt, free)).toBe(
      [
        "available: 4 nodes (0-3)",
        "node 0 cpus: 0 1 2 3",
        "node 0 size: 65536 MB",
        "node 0 free: 4096 MB",
        "node 1 cpus: 4 5 6 7",
        "node 1 size: 65536 MB",
        "node 1 free: 65536 MB",
        "node 2 cpus:",
        "node 2 size: 262144 MB",
        "node 2 free: 262144 MB",
        "node 3 cpus:",
        "node 3 size: 262144 MB",
        "node 3 free: 262144 MB",
        "node distances:",
        "node     0    1    2    3 ",
        "   0:   10   21   14   24 ",
        "   1:   21   10   24   14 ",
        "   2:   14   24   10   26 ",
        "   3:   24   14   26   10 ",
        "",
      ].join("\n"),
    );
  });

  it("shows memoryless nodes with 0 MB and gaps in node ids", () => {
    const spec = machine([node(0, 0, [0, 1], mem()), node(2, 0, [2, 3], null), node(3, 0, [], mem({ kind: "cxl" }))], [], [[10, 12, 14], [12, 10, 14], [14, 14, 10]]);
    const text = numactlHardware(deriveKernelTopology(spec));
    expect(text.split("\n").slice(0, 1)).toEqual(["available: 3 nodes (0,2-3)"]);
    expect(text).toContain("node 2 cpus: 2 3\nnode 2 size: 0 MB\nnode 2 free: 0 MB\n");
    expect(text).toContain("node     0    2    3 \n   0:   10   12   14 \n");
  });

  it("lists memory tiers as sysfs does", () => {
    expect(memoryTiersSysfs(kt)).toEqual({
      "/sys/devices/virtual/memory_tiering/memory_tier4/nodelist": "0-1\n",
      "/sys/devices/virtual/memory_tiering/memory_tier22/nodelist": "2-3\n",
    });
  });

  it("prints the demotion boot log", () => {
    expect(demotionTargetsText(kt)).toBe(
      "Demotion targets for Node 0: preferred: 2, fallback: 2-3\n" +
        "Demotion targets for Node 1: preferred: 3, fallback: 2-3\n" +
        "Demotion targets for Node 2: null\n" +
        "Demotion targets for Node 3: null\n",
    );
  });

  it("prints the zonelist boot log with build_zonelists' trailing spaces", () => {
    expect(zonelistsText(kt)).toBe(
      "Fallback order for Node 0: 0 2 1 3 \n" +
        "Fallback order for Node 1: 1 3 0 2 \n" +
        "Fallback order for Node 2: 2 0 1 3 \n" +
        "Fallback order for Node 3: 3 1 0 2 \n",
    );
  });
});
