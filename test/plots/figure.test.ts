import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../../src/core/errors.js";
import { Figure } from "../../src/plots/figure.js";

const require = createRequire(import.meta.url);
const bundle = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
// A stretch of the minified bundle long enough to be unique to it.
const marker = bundle.slice(2000, 2200);
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

const fig = new Figure([{ type: "scatter", x: [1, 2], y: [3, 4], name: "node 0 </script> dram" }], { title: { text: "demo" } });

describe("Figure.toHTML", () => {
  const html = fig.toHTML();

  it("is a standalone document with the plotly bundle inlined exactly once", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(count(html, marker)).toBe(1);
    expect(html).toContain("<title>demo</title>");
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it("carries the data, escaped so a string cannot close the script element", () => {
    expect(html).toContain('"x":[1,2],"y":[3,4]');
    expect(html).toContain("node 0 \\u003c/script> dram");
    expect(count(html, "</script>")).toBe(2);
  });
});

describe("Figure.toJSON", () => {
  it("is the plain { data, layout } plotly takes", () => {
    expect(JSON.parse(JSON.stringify(fig))).toEqual({ data: fig.data, layout: fig.layout });
  });
});

describe("Figure.show", () => {
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  afterEach(() => {
    jupyter.lastWriteDisplayData = null;
  });

  it("outside a tslab kernel throws a UsageError pointing at toHTML() and savePNG()", () => {
    expect(() => fig.show()).toThrow(UsageError);
    expect(() => fig.show()).toThrow(/fig\.toHTML\(\).*fig\.savePNG\(path\)/);
  });

  it("in a kernel sends HTML, with the bundle only in the first figure of the session", () => {
    const sent: string[] = [];
    jupyter.lastWriteDisplayData = (msg: { data: Record<string, string> }) => sent.push(msg.data["text/html"]!);
    fig.show();
    fig.show();
    expect(sent).toHaveLength(2);
    expect(count(sent[0]!, marker)).toBe(1);
    expect(count(sent[1]!, marker)).toBe(0);
    expect(sent[1]!.length).toBeLessThan(2000);
    for (const html of sent) expect(html).toContain("Plotly.newPlot");
    expect(sent[0]!.match(/id="([^"]+)"/)![1]).not.toBe(sent[1]!.match(/id="([^"]+)"/)![1]);
  });
});

describe("new Figure", () => {
  it("rejects data that is not a list of traces", () => {
    expect(() => new Figure({} as never)).toThrow(/new Figure\(data, layout\).*takes an array of plotly traces/);
  });
});
