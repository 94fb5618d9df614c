import * as aq from "arquero";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { Figure } from "../../src/plots/figure.js";
import { plots } from "../../src/plots/index.js";
import { latencyCurvesTable, linksTable } from "../../src/results/topologyTables.js";
import { spec } from "../results/fixtures.js";

type Trace = { name: string; x: number[]; y: number[]; line: { color: string; dash: string }; legendgroup: string };

describe("plots.loadedLatency", () => {
  const fig = plots.loadedLatency(latencyCurvesTable(spec));
  const traces = fig.data as unknown as Trace[];

  it("draws one trace per node and read share, named like the legend should read", () => {
    expect(fig).toBeInstanceOf(Figure);
    expect(traces.map((t) => t.name)).toEqual(["node 0 dram, 100% reads", "node 0 dram, 50% reads", "node 2 cxl, 100% reads"]);
    expect(traces[1]).toMatchObject({ x: [0, 100, 180], y: [120, 150, 400], legendgroup: "node 0" });
  });

  it("tells nodes apart by colour and read shares by dash", () => {
    expect(traces[0]!.line.color).toBe(traces[1]!.line.color);
    expect(traces[0]!.line.color).not.toBe(traces[2]!.line.color);
    expect(traces.map((t) => t.line.dash)).toEqual(["solid", "dash", "solid"]);
  });

  it("puts units on both axes", () => {
    expect(fig.layout.xaxis?.title).toEqual({ text: "bandwidth (GB/s)" });
    expect(fig.layout.yaxis?.title).toEqual({ text: "latency (ns)" });
    expect(fig.layout.title).toEqual({ text: "Loaded latency" });
  });

  it("sorts each curve by bandwidth whatever the row order", () => {
    const shuffled = latencyCurvesTable(spec).orderby(aq.desc("bandwidth_gbps"));
    const t = plots.loadedLatency(shuffled).data as unknown as Trace[];
    expect(t[0]!.x).toEqual([0, 120, 230]);
  });

  it("says so, instead of drawing empty axes, when there are no curves", () => {
    const empty = plots.loadedLatency(latencyCurvesTable(spec).filter(() => false));
    expect(empty.data).toEqual([]);
    expect(empty.layout.annotations?.[0]?.text).toMatch(/no measured loaded-latency curves/);
  });

  it("rejects a table without the curve columns, naming them and the right table", () => {
    expect(() => plots.loadedLatency(linksTable(spec))).toThrow(UsageError);
    expect(() => plots.loadedLatency(linksTable(spec))).toThrow(/needs the columns node, read_share, bandwidth_gbps.*latencyCurvesTable\(spec\)/);
    expect(() => plots.loadedLatency({} as never)).toThrow(/must be an arquero table/);
  });
});

describe("plots.loadedLatency with identical devices", () => {
  it("gives nodes with identical curves one shared trace per read share instead of hiding one under the other", () => {
    const t = latencyCurvesTable(spec);
    const twin = t.filter((d: { node: number }) => d.node === 0).derive({ node: () => 5 });
    const names = plots.loadedLatency(t.concat(twin)).data.map((d) => d.name);
    expect(names).toEqual(["nodes 0, 5 dram, 100% reads", "nodes 0, 5 dram, 50% reads", "node 2 cxl, 100% reads"]);
  });
});
